//! A folder on disk in, `SpecSources` out: the one place that reads `spec/` into memory.
//!
//! `xtask` uses it as a module; the generator's tests, the fixture crate's build script and the
//! conformance tests include this same file with `#[path]`, so there is one reader.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codegen::SpecSources;

/// Reads every file under `<root>/spec/`, keyed by path relative to `root` (`spec/crm/…`).
pub fn read_spec_sources(root: &Path) -> io::Result<SpecSources> {
    let mut sources = SpecSources::new();
    for path in walk(&root.join(codegen::load::SPEC_ROOT))? {
        let bytes = fs::read(&path).map_err(|error| {
            io::Error::new(error.kind(), format!("reading {}: {error}", path.display()))
        })?;
        sources.insert(relative(root, &path), bytes);
    }
    Ok(sources)
}

/// Every file below `dir`, in path order; a missing `dir` has none.
pub fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                pending.push(entry.path());
            } else if file_type.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
