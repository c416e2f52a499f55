//! A folder on disk in, `SpecSources` out: the one place that reads `spec/` into memory.
//!
//! `xtask` uses it as a module; the generator's tests, the fixture crate's build script and the
//! conformance tests include this same file with `#[path]`, so there is one reader.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codegen::SpecSources;

/// Reads every file under `<root>/spec/`, keyed by path relative to `root` (`spec/crm/…`).
///
/// Links are followed when they lead to a file or folder inside `root`, and the file is keyed by
/// where the link sits. Whatever cannot be read as a file is refused, every such entry named with
/// what is wrong (a FIFO, socket or device; a link out of `root` or to nothing; a folder named
/// like a spec file), so that no spec is ever dropped silently.
pub(crate) fn read_spec_sources(root: &Path) -> io::Result<SpecSources> {
    let canonical_root = fs::canonicalize(root).map_err(|error| {
        io::Error::new(error.kind(), format!("reading {}: {error}", root.display()))
    })?;
    let spec_dir = root.join(codegen::load::SPEC_ROOT);
    let mut sources = SpecSources::new();
    let mut refused = Vec::new();
    let mut pending = vec![(spec_dir, 0)];
    while let Some((dir, depth)) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(io::Error::new(
                    error.kind(),
                    format!("reading {}: {error}", dir.display()),
                ));
            }
        };
        for entry in entries {
            let path = entry?.path();
            match spec_entry(&canonical_root, &path)? {
                SpecEntry::File => {
                    let bytes = fs::read(&path).map_err(|error| {
                        io::Error::new(error.kind(), format!("reading {}: {error}", path.display()))
                    })?;
                    sources.insert(relative(root, &path), bytes);
                }
                SpecEntry::Folder if depth >= MAX_SPEC_FOLDER_DEPTH => refused.push(format!(
                    "{}: folders nest deeper than {MAX_SPEC_FOLDER_DEPTH} levels",
                    relative(root, &path)
                )),
                SpecEntry::Folder => pending.push((path, depth + 1)),
                SpecEntry::Refused(problem) => {
                    refused.push(format!("{}: {problem}", relative(root, &path)));
                }
            }
        }
    }
    if refused.is_empty() {
        return Ok(sources);
    }
    refused.sort();
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{} cannot be read under {}/ (nothing generated):\n  {}",
            if refused.len() == 1 {
                "1 entry".to_owned()
            } else {
                format!("{} entries", refused.len())
            },
            codegen::load::SPEC_ROOT,
            refused.join("\n  ")
        ),
    ))
}

/// How deep folders under `spec/` may nest (links to folders included).
const MAX_SPEC_FOLDER_DEPTH: usize = 16;

/// What the reader does with one entry under `spec/`.
enum SpecEntry {
    /// A regular file, or a link to one inside the project: read it.
    File,
    /// A folder, or a link to one inside the project: read what is in it.
    Folder,
    /// Anything else, with what is wrong.
    Refused(String),
}

fn spec_entry(canonical_root: &Path, path: &Path) -> io::Result<SpecEntry> {
    let own = fs::symlink_metadata(path)?;
    let metadata = if own.file_type().is_symlink() {
        let Ok(target) = fs::canonicalize(path) else {
            let destination = fs::read_link(path).unwrap_or_default();
            return Ok(SpecEntry::Refused(format!(
                "is a link to `{}`, which does not exist",
                destination.display()
            )));
        };
        let link_folder = path
            .parent()
            .and_then(|parent| fs::canonicalize(parent).ok());
        if !target.starts_with(canonical_root) {
            return Ok(SpecEntry::Refused(format!(
                "is a link to `{}`, outside the project: links are followed only inside it",
                target.display()
            )));
        }
        if link_folder.is_some_and(|folder| folder.starts_with(&target)) {
            return Ok(SpecEntry::Refused(format!(
                "is a link to `{}`, a folder it is itself in: the link loops",
                target.display()
            )));
        }
        fs::metadata(&target)?
    } else {
        own
    };
    let file_type = metadata.file_type();
    let named_like_spec = path
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml")
        });
    if file_type.is_file() {
        Ok(SpecEntry::File)
    } else if file_type.is_dir() && named_like_spec {
        Ok(SpecEntry::Refused(
            "is a folder named like a spec file, expected a file".to_owned(),
        ))
    } else if file_type.is_dir() {
        Ok(SpecEntry::Folder)
    } else {
        Ok(SpecEntry::Refused(format!(
            "is {}, expected a regular file",
            special_file_kind(&file_type)
        )))
    }
}

#[cfg(unix)]
fn special_file_kind(file_type: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "not a file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: &fs::FileType) -> &'static str {
    "not a file"
}

/// Every file below `dir`, in path order; a missing `dir` has none. No link is followed.
#[allow(
    dead_code,
    reason = "xtask's commands and tests use it; not every crate that includes this file does"
)]
pub(crate) fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
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
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
