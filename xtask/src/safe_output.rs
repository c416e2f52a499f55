//! A target folder and the files a command means to put there in; those files written inside it
//! and nowhere else out. Shared by every command that writes (`gen`, `publish`, `corpus`):
//!
//! - every path built from data (service ids, endpoint ids, versions, a catalog's entries) is
//!   checked as a chain of safe segments: no `..`, no separator, not absolute, not empty, no NUL
//!   or control character, no leading dot;
//! - no link inside the target is ever followed for writing: every component below the target is
//!   looked at with `symlink_metadata`, and a file is written to a temporary file in its own
//!   folder and renamed into place;
//! - a command replaces or removes only files it wrote itself, recorded with their size and
//!   SHA-256 in the target's manifest ([`MANIFEST_FILE_NAME`]); a target that is neither empty
//!   nor holds that command's manifest is refused unless `--force` is given;
//! - a target inside (or holding) `generated/` or `spec/` is refused, comparing canonical paths.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The file in a target folder that lists what the command wrote there.
pub(crate) const MANIFEST_FILE_NAME: &str = ".contracts-manifest.json";

/// Longest segment accepted in a data-built path, in bytes (most file systems stop at 255).
pub(crate) const MAX_SEGMENT_BYTES: usize = 200;

/// Largest manifest read; a manifest lists a few thousand files at most.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// Why `segment` cannot be one component of a path inside a target, or `None` when it can.
pub(crate) fn unsafe_segment_reason(segment: &str) -> Option<&'static str> {
    if segment.is_empty() {
        Some("an empty component")
    } else if segment == "." || segment == ".." {
        Some("a `.` or `..` component")
    } else if segment.contains(['/', '\\']) {
        Some("a path separator")
    } else if segment.contains('\0') {
        Some("a NUL character")
    } else if segment.chars().any(char::is_control) {
        Some("a control character")
    } else if segment.contains(':') {
        Some("a `:` (a drive or stream name on Windows)")
    } else if segment.starts_with('.') {
        Some("a leading `.` (hidden files are the command's own)")
    } else if segment.len() > MAX_SEGMENT_BYTES {
        Some("a component longer than 200 bytes")
    } else {
        None
    }
}

/// Checks that `path` (relative, `/`-separated) names a place inside a target: every component
/// a safe segment. An absolute path fails on its empty first component.
pub(crate) fn check_relative_path(path: &str) -> Result<()> {
    if path.starts_with('/') || path.starts_with('\\') {
        bail!("`{path}` is an absolute path, expected a path inside the target folder");
    }
    for segment in path.split('/') {
        if let Some(reason) = unsafe_segment_reason(segment) {
            bail!(
                "`{}` has {reason}, expected a path inside the target folder",
                path.escape_debug()
            );
        }
    }
    Ok(())
}

/// Refuses `target` when it is inside `generated/` or `spec/` of `project_root`, or holds
/// either: those belong to `gen` and to people.
pub(crate) fn refuse_project_folders(project_root: &Path, target: &Path) -> Result<()> {
    let target = canonical_even_if_missing(target)?;
    for folder in [codegen::GENERATED_ROOT, codegen::load::SPEC_ROOT] {
        let Ok(protected) = fs::canonicalize(project_root.join(folder)) else {
            continue;
        };
        if target.starts_with(&protected) {
            bail!(
                "`{}` is inside {folder}/, which is {}: choose a folder outside generated/ and \
                 spec/",
                target.display(),
                if folder == codegen::GENERATED_ROOT {
                    "written only by `cargo xtask gen`"
                } else {
                    "where people write the specs"
                }
            );
        }
        if protected.starts_with(&target) {
            bail!(
                "`{}` holds {folder}/: choose a folder that holds neither generated/ nor spec/",
                target.display()
            );
        }
    }
    Ok(())
}

/// `path` made canonical, when some of its last components do not exist yet: its deepest
/// existing ancestor canonical, the missing components appended (they may not be `.` or `..`).
fn canonical_even_if_missing(path: &Path) -> Result<PathBuf> {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        match fs::canonicalize(existing) {
            Ok(mut canonical) => {
                for component in missing.iter().rev() {
                    canonical.push(component);
                }
                return Ok(canonical);
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                match (existing.parent(), existing.components().next_back()) {
                    (Some(parent), Some(std::path::Component::Normal(name))) => {
                        missing.push(name.to_owned());
                        existing = if parent.as_os_str().is_empty() {
                            Path::new(".")
                        } else {
                            parent
                        };
                    }
                    _ => bail!(
                        "`{}` does not exist and has `.` or `..` in its missing part: name the \
                         folder plainly",
                        path.display()
                    ),
                }
            }
            Err(error) => {
                return Err(error).with_context(|| format!("resolving {}", path.display()));
            }
        }
    }
}

/// What is at `base/relative` when no link is followed on the way.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// Nothing: the file and maybe some folders above it are to be created.
    Free,
    /// A regular file.
    File,
    /// A link, where a file is to go.
    Link,
    /// Something else (a folder, a FIFO, a device).
    Other,
}

/// Looks at every component of `relative` below `base` without following links. Fails, naming
/// the component, when a folder on the way is a link or not a folder.
pub(crate) fn look_without_following(base: &Path, relative: &str) -> Result<Place> {
    check_relative_path(relative)?;
    look_unchecked(base, relative)
}

/// [`look_without_following`] for a path the command itself names (its manifest).
fn look_unchecked(base: &Path, relative: &str) -> Result<Place> {
    let segments: Vec<&str> = relative.split('/').collect();
    let mut current = base.to_path_buf();
    for (index, segment) in segments.iter().enumerate() {
        current.push(segment);
        let metadata = match fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Place::Free),
            Err(error) => {
                return Err(error).with_context(|| format!("reading {}", current.display()));
            }
        };
        let is_last = index + 1 == segments.len();
        let file_type = metadata.file_type();
        if is_last {
            return Ok(if file_type.is_symlink() {
                Place::Link
            } else if file_type.is_file() {
                Place::File
            } else {
                Place::Other
            });
        }
        if file_type.is_symlink() {
            bail!(
                "`{}` is a link: links inside the target are never followed for writing",
                current.display()
            );
        }
        if !file_type.is_dir() {
            bail!(
                "`{}` is not a folder, and `{relative}` is to go inside it",
                current.display()
            );
        }
    }
    Ok(Place::Free)
}

/// Writes `bytes` to `base/relative`: creates missing folders (refusing links on the way),
/// writes a temporary file beside the target and renames it into place, so that a link at the
/// target itself is replaced, never followed.
pub(crate) fn write_inside(base: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    check_relative_path(relative)?;
    stage_unchecked(base, relative, bytes)?.commit()
}

/// A file written to a temporary name beside its target, waiting to be renamed into place.
#[derive(Debug)]
pub(crate) struct StagedFile {
    temporary: PathBuf,
    target: PathBuf,
}

impl StagedFile {
    /// Renames the temporary file over the target (a link there is replaced, not followed).
    pub(crate) fn commit(self) -> Result<()> {
        if let Err(error) = fs::rename(&self.temporary, &self.target) {
            let _ = fs::remove_file(&self.temporary);
            return Err(error).with_context(|| format!("replacing {}", self.target.display()));
        }
        Ok(())
    }

    /// Where the contents wait, for tests that break a commit on purpose.
    #[cfg(test)]
    pub(crate) fn temporary_path(&self) -> &Path {
        &self.temporary
    }

    /// Removes the temporary file, leaving the target as it was.
    pub(crate) fn discard(self) {
        let _ = fs::remove_file(&self.temporary);
    }
}

/// Puts every staged file in place and removes `removals` (paths relative to `base`, each
/// removed only if it is a plain file), all or nothing: each file replaced or removed is first
/// renamed to a backup beside it, and if any step fails every step before it is undone and the
/// staged files left are discarded, so the folder is byte for byte as it was. Backups are
/// deleted once every step has succeeded, and folders left empty by a removal with them.
pub(crate) fn commit_all(files: Vec<StagedFile>, base: &Path, removals: &[&str]) -> Result<()> {
    /// A step done: the target, and where its former contents wait (none if it had none).
    struct Done {
        target: PathBuf,
        backup: Option<PathBuf>,
    }

    fn backup_of(target: &Path) -> PathBuf {
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        target.with_file_name(format!(".{name}.{}.bak", std::process::id()))
    }

    fn set_aside(target: &Path) -> Result<Option<PathBuf>> {
        match fs::symlink_metadata(target) {
            Ok(_) => {
                let backup = backup_of(target);
                fs::rename(target, &backup)
                    .with_context(|| format!("setting {} aside", target.display()))?;
                Ok(Some(backup))
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error).with_context(|| format!("reading {}", target.display())),
        }
    }

    fn undo(done: Vec<Done>) {
        for step in done.into_iter().rev() {
            match step.backup {
                Some(backup) => {
                    let _ = fs::rename(&backup, &step.target);
                }
                None => {
                    let _ = fs::remove_file(&step.target);
                }
            }
        }
    }

    let mut done: Vec<Done> = Vec::with_capacity(files.len() + removals.len());
    let mut files = files.into_iter();
    let mut failure = None;
    for file in files.by_ref() {
        let step = set_aside(&file.target).and_then(|backup| {
            match fs::rename(&file.temporary, &file.target) {
                Ok(()) => Ok(backup),
                Err(error) => {
                    if let Some(backup) = &backup {
                        let _ = fs::rename(backup, &file.target);
                    }
                    Err(error).with_context(|| format!("replacing {}", file.target.display()))
                }
            }
        });
        match step {
            Ok(backup) => done.push(Done {
                target: file.target,
                backup,
            }),
            Err(error) => {
                file.discard();
                failure = Some(error);
                break;
            }
        }
    }
    for file in files {
        file.discard();
    }
    if failure.is_none() {
        for relative in removals {
            let step = look_without_following(base, relative).and_then(|place| {
                if place == Place::File {
                    let target = base.join(relative);
                    set_aside(&target).map(|backup| Some((target, backup)))
                } else {
                    Ok(None)
                }
            });
            match step {
                Ok(Some((target, backup))) => done.push(Done { target, backup }),
                Ok(None) => {}
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
    }
    if let Some(error) = failure {
        undo(done);
        return Err(error.context("nothing was changed: every file is as it was"));
    }
    for step in done {
        let Some(backup) = step.backup else { continue };
        let _ = fs::remove_file(&backup);
        // A removed file's folders go with it once empty (a replaced file's target is there).
        if fs::symlink_metadata(&step.target).is_err() {
            remove_empty_folders(base, &step.target);
        }
    }
    Ok(())
}

/// The first half of [`write_inside`]: folders created, the contents in a temporary file beside
/// `base/relative`, nothing replaced yet.
pub(crate) fn stage_inside(base: &Path, relative: &str, bytes: &[u8]) -> Result<StagedFile> {
    check_relative_path(relative)?;
    stage_unchecked(base, relative, bytes)
}

/// [`stage_inside`] for a path the command itself names (its manifest).
fn stage_unchecked(base: &Path, relative: &str, bytes: &[u8]) -> Result<StagedFile> {
    match look_unchecked(base, relative)? {
        Place::Free | Place::File | Place::Link => {}
        Place::Other => bail!(
            "`{}` is not a file, expected a file or nothing",
            base.join(relative).display()
        ),
    }
    let target = base.join(relative);
    let folder = target.parent().unwrap_or(base);
    let mut current = base.to_path_buf();
    let folder_segments: Vec<&str> = relative.split('/').collect();
    for segment in &folder_segments[..folder_segments.len() - 1] {
        current.push(segment);
        match fs::create_dir(&current) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                let metadata = fs::symlink_metadata(&current)
                    .with_context(|| format!("reading {}", current.display()))?;
                if !metadata.file_type().is_dir() {
                    bail!(
                        "`{}` is not a folder (or is a link, never followed for writing)",
                        current.display()
                    );
                }
            }
            Err(error) => {
                return Err(error).with_context(|| format!("creating {}", current.display()));
            }
        }
    }
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    if let Err(error) = write_new_file(&temporary, bytes) {
        let _ = fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("writing {}", temporary.display()));
    }
    Ok(StagedFile { temporary, target })
}

/// Creates `path` (which must not exist; a leftover temporary file of an earlier crash is
/// removed first) and writes `bytes` to it. `create_new` never follows a link at `path`.
fn write_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let open = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match open() {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            open()?
        }
        Err(error) => return Err(error),
    };
    file.write_all(bytes)?;
    file.sync_all()
}

/// Removes the regular file `base/relative` (never through a link) and then the folders above
/// it, up to `base`, that it leaves empty.
pub(crate) fn remove_inside(base: &Path, relative: &str) -> Result<()> {
    if look_without_following(base, relative)? != Place::File {
        return Ok(());
    }
    let target = base.join(relative);
    fs::remove_file(&target).with_context(|| format!("removing {}", target.display()))?;
    remove_empty_folders(base, &target);
    Ok(())
}

/// Removes the folders above a removed `target` that are left empty, up to `base` (kept).
fn remove_empty_folders(base: &Path, target: &Path) {
    let mut folder = target.parent();
    while let Some(current) = folder {
        if current == base || !current.starts_with(base) || fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
}

/// One file a command wrote, as its manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ManifestEntry {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, lower-case hex.
    pub sha256: String,
}

impl ManifestEntry {
    /// The entry for `contents`.
    pub(crate) fn of(contents: &[u8]) -> ManifestEntry {
        let digest = Sha256::digest(contents);
        ManifestEntry {
            bytes: contents.len() as u64,
            sha256: digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        }
    }
}

/// The manifest file: which command wrote the folder, and every file it wrote there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    #[serde(rename = "$comment")]
    comment: String,
    writer: String,
    files: BTreeMap<String, ManifestEntry>,
}

/// What to do with files the command wrote before and does not write this time.
#[derive(Debug, Clone)]
pub(crate) enum Leftovers {
    /// Remove every one (the command writes its whole output each time).
    Remove,
    /// Remove those under these folders (relative to the target); keep the others.
    RemoveUnder(Vec<String>),
}

/// A target folder opened by one command: where it is, and what the command wrote there before.
#[derive(Debug)]
pub(crate) struct TargetFolder {
    /// The folder as the user named it, for messages.
    shown: PathBuf,
    /// The folder, canonical; everything is written below it.
    base: PathBuf,
    /// `gen`, `publish`, `corpus`.
    writer: String,
    /// What the manifest lists (empty for a new folder, or a forced one without manifest).
    owned: BTreeMap<String, ManifestEntry>,
    force: bool,
}

/// What a write will do, decided before anything is written.
#[derive(Debug, Default)]
pub(crate) struct WritePlan {
    /// Files to write (new or changed), relative to the target.
    pub writes: BTreeMap<String, Vec<u8>>,
    /// Files already there with the right bytes.
    pub unchanged: BTreeSet<String>,
    /// Files the command wrote before and now removes.
    pub removals: BTreeSet<String>,
    /// Files the command wrote before that a person has changed since: left alone, forgotten.
    pub left_alone: BTreeSet<String>,
    manifest: BTreeMap<String, ManifestEntry>,
}

impl TargetFolder {
    /// Opens (creating it if missing) the folder `out_dir` for `writer`. Refuses a folder inside
    /// or holding `generated/` or `spec/`, and, unless `force`, a folder that is neither empty
    /// nor holds `writer`'s manifest.
    pub(crate) fn open(
        project_root: &Path,
        out_dir: &Path,
        writer: &str,
        force: bool,
    ) -> Result<Self> {
        if out_dir.exists() && !out_dir.is_dir() {
            bail!("`{}` is not a folder", out_dir.display());
        }
        refuse_project_folders(project_root, out_dir)?;
        fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
        let base = fs::canonicalize(out_dir)
            .with_context(|| format!("resolving {}", out_dir.display()))?;
        let shown = out_dir.to_path_buf();
        let refuse_unowned = |why: String| -> Result<()> {
            if force {
                return Ok(());
            }
            bail!(
                "`{}` {why}: nothing written; choose an empty folder, or pass --force to write \
                 there anyway (replacing the files `cargo xtask {writer}` writes, removing none \
                 of the others)",
                shown.display()
            )
        };
        let mut owned = BTreeMap::new();
        match look_unchecked(&base, MANIFEST_FILE_NAME)? {
            Place::File => match read_manifest(&base.join(MANIFEST_FILE_NAME)) {
                Ok(manifest) if manifest.writer == writer => owned = manifest.files,
                Ok(manifest) => refuse_unowned(format!(
                    "was written by `cargo xtask {}`, not `{writer}`",
                    manifest.writer
                ))?,
                Err(error) => refuse_unowned(format!(
                    "has an unreadable {MANIFEST_FILE_NAME} ({error:#})"
                ))?,
            },
            Place::Free => {
                let mut entries =
                    fs::read_dir(&base).with_context(|| format!("reading {}", shown.display()))?;
                if entries.next().is_some() {
                    refuse_unowned(format!(
                        "is not empty and holds no {MANIFEST_FILE_NAME} of `cargo xtask {writer}`"
                    ))?;
                }
            }
            Place::Link | Place::Other => refuse_unowned(format!(
                "has a {MANIFEST_FILE_NAME} that is not a regular file"
            ))?,
        }
        for path in owned.keys() {
            check_relative_path(path).with_context(|| {
                format!(
                    "{} lists a file outside the folder; remove the manifest to start afresh",
                    shown.join(MANIFEST_FILE_NAME).display()
                )
            })?;
        }
        Ok(TargetFolder {
            shown,
            base,
            writer: writer.to_owned(),
            owned,
            force,
        })
    }

    /// The canonical folder everything is written below.
    pub(crate) fn base(&self) -> &Path {
        &self.base
    }

    /// Decides what writing `files` (relative path → contents) does, reading but writing
    /// nothing. Every problem is collected and the plan refused as a whole, naming each file: a
    /// path that is not inside the folder, a link on the way, a file the command did not write
    /// (or a person changed) with other bytes than it would write (unless `--force`).
    pub(crate) fn plan(
        &self,
        files: &BTreeMap<String, Vec<u8>>,
        leftovers: &Leftovers,
    ) -> Result<WritePlan> {
        let mut plan = WritePlan {
            manifest: self.owned.clone(),
            ..WritePlan::default()
        };
        let mut problems = Vec::new();
        for (path, contents) in files {
            let place = match look_without_following(&self.base, path) {
                Ok(place) => place,
                Err(error) => {
                    problems.push(format!("{error:#}"));
                    continue;
                }
            };
            let entry = ManifestEntry::of(contents);
            let conflict = match place {
                Place::Free => None,
                Place::File => {
                    let current = fs::read(self.base.join(path))
                        .with_context(|| format!("reading {}", self.base.join(path).display()))?;
                    let current_entry = ManifestEntry::of(&current);
                    if current == *contents {
                        plan.unchanged.insert(path.clone());
                        plan.manifest.insert(path.clone(), entry);
                        continue;
                    }
                    match self.owned.get(path) {
                        Some(recorded) if *recorded == current_entry => None,
                        Some(_) => Some("was changed since this command wrote it"),
                        None => Some("is not this command's (not in its manifest)"),
                    }
                }
                Place::Link => Some("is a link (never followed; --force replaces the link itself)"),
                Place::Other => {
                    problems.push(format!(
                        "{path}: is not a regular file, expected a file or nothing"
                    ));
                    continue;
                }
            };
            if let Some(conflict) = conflict
                && !self.force
            {
                problems.push(format!(
                    "{path}: {conflict} and has other bytes than `cargo xtask {}` would write",
                    self.writer
                ));
                continue;
            }
            plan.writes.insert(path.clone(), contents.clone());
            plan.manifest.insert(path.clone(), entry);
        }
        let removable_folders = match leftovers {
            Leftovers::Remove => None,
            Leftovers::RemoveUnder(folders) => {
                for folder in folders {
                    if let Err(error) = check_relative_path(folder) {
                        problems.push(format!("{error:#}"));
                    }
                }
                Some(folders)
            }
        };
        for (path, recorded) in &self.owned {
            if files.contains_key(path) {
                continue;
            }
            let removable = removable_folders.is_none_or(|folders| {
                folders
                    .iter()
                    .any(|folder| path.starts_with(&format!("{folder}/")))
            });
            if !removable {
                continue;
            }
            plan.manifest.remove(path);
            match look_without_following(&self.base, path) {
                Ok(Place::File) => {
                    let current = fs::read(self.base.join(path))
                        .with_context(|| format!("reading {}", self.base.join(path).display()))?;
                    if ManifestEntry::of(&current) == *recorded {
                        plan.removals.insert(path.clone());
                    } else {
                        plan.left_alone.insert(path.clone());
                    }
                }
                Ok(Place::Free) => {}
                Ok(Place::Link | Place::Other) => {
                    plan.left_alone.insert(path.clone());
                }
                Err(error) => problems.push(format!("{error:#}")),
            }
        }
        if !problems.is_empty() {
            bail!(
                "refusing to write into `{}`, nothing written:\n  {}",
                self.shown.display(),
                problems.join("\n  ")
            );
        }
        Ok(plan)
    }

    /// Carries out `plan`: writes, removals, then the manifest. Returns how many files were
    /// written.
    pub(crate) fn apply(&self, plan: &WritePlan) -> Result<usize> {
        for (path, contents) in &plan.writes {
            write_inside(&self.base, path, contents)?;
        }
        for path in &plan.removals {
            remove_inside(&self.base, path)?;
        }
        for path in &plan.left_alone {
            eprintln!(
                "warning: {}: changed since `cargo xtask {}` wrote it, left alone",
                self.shown.join(path).display(),
                self.writer
            );
        }
        let manifest = Manifest {
            comment: format!(
                "written by `cargo xtask {}`: the files it wrote here, the only ones it replaces or \
                 removes; do not edit",
                self.writer
            ),
            writer: self.writer.clone(),
            files: plan.manifest.clone(),
        };
        let mut text = serde_json::to_string_pretty(&manifest).context("writing the manifest")?;
        text.push('\n');
        stage_unchecked(&self.base, MANIFEST_FILE_NAME, text.as_bytes())?.commit()?;
        Ok(plan.writes.len())
    }
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    let metadata = fs::symlink_metadata(path)?;
    if metadata.len() > MAX_MANIFEST_BYTES {
        bail!("larger than {MAX_MANIFEST_BYTES} bytes");
    }
    let text = fs::read_to_string(path)?;
    Ok(serde_json::from_str(&text)?)
}
