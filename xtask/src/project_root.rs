//! The environment and the current folder in, the project root out: found at run time, never
//! baked into the binary, so two checkouts sharing one target directory each act on their own.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// The file whose presence, beside `Cargo.toml`, marks a project root.
const ROOT_MARKER: &str = "spec/project.yaml";

/// The project root: the parent of the folder `cargo run` names in `CARGO_MANIFEST_DIR` when that
/// is a project root, else the nearest folder at or above the current one that holds
/// `Cargo.toml` and `spec/project.yaml`.
pub(crate) fn find() -> Result<PathBuf> {
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR")
        && let Some(root) = Path::new(&manifest_dir).parent()
        && is_project_root(root)
    {
        return Ok(root.to_path_buf());
    }
    let current = std::env::current_dir()?;
    match current.ancestors().find(|folder| is_project_root(folder)) {
        Some(root) => Ok(root.to_path_buf()),
        None => bail!(
            "no project root at or above {}: run inside a checkout (a folder holding Cargo.toml \
             and {ROOT_MARKER})",
            current.display()
        ),
    }
}

/// Whether `folder` holds `Cargo.toml` and `spec/project.yaml`.
fn is_project_root(folder: &Path) -> bool {
    folder.join("Cargo.toml").is_file() && folder.join(ROOT_MARKER).is_file()
}

/// The checkout these unit tests were compiled from: tests may bake it in, commands may not.
#[cfg(test)]
pub(crate) fn for_tests() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
