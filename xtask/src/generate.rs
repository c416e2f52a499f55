//! `cargo xtask gen [--check]`: reads `spec/`, runs the generator, and brings `generated/` up to
//! date, writing only files whose bytes changed and removing files no spec produces any more.
//!
//! Invariant: when the specs have a problem, or any write fails before the swap, `generated/`
//! is left byte for byte as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use codegen::{GenerateError, GeneratedFiles};

use crate::spec_dir::{read_spec_sources, relative, walk};

/// The command that brings `generated/` up to date, as messages name it.
pub const GEN_COMMAND: &str = "cargo xtask gen";

/// Runs `gen`; `check` writes nothing and reports what is out of date.
pub fn run(root: &Path, check: bool) -> Result<u8> {
    let sources = read_spec_sources(root)?;
    let files = match codegen::generate(&sources) {
        Ok(files) => files,
        Err(GenerateError::Spec(errors)) => {
            eprint!("{}", errors.render());
            eprintln!(
                "error: {errors}; {} left untouched",
                codegen::GENERATED_ROOT
            );
            return Ok(2);
        }
        Err(GenerateError::Bug(bug)) => anyhow::bail!(bug),
    };
    let plan = plan(root, &files)?;
    if check {
        if plan.is_empty() {
            return Ok(0);
        }
        eprint!("{}", plan.describe());
        eprintln!("error: generated files are out of date: run `{GEN_COMMAND}`");
        return Ok(1);
    }
    let changed = plan.apply(root)?;
    if changed > 0 {
        eprint!("{}", plan.describe());
    }
    eprintln!(
        "{} generated, {changed} changed",
        codegen::display_text::count(files.0.len(), "file", "files")
    );
    Ok(0)
}

/// What it takes to bring `generated/` in line with the generator's output.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to create: path relative to the root → contents.
    pub missing: BTreeMap<String, String>,
    /// Files whose contents differ.
    pub stale: BTreeMap<String, String>,
    /// Files no spec produces any more.
    pub extra: BTreeSet<String>,
}

impl Plan {
    /// Whether everything is up to date.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.extra.is_empty()
    }

    /// One line per file: `missing: …`, `stale: …`, `extra: …`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for path in self.missing.keys() {
            out.push_str(&format!("missing: {path}\n"));
        }
        for path in self.stale.keys() {
            out.push_str(&format!("stale: {path}\n"));
        }
        for path in &self.extra {
            out.push_str(&format!("extra: {path}\n"));
        }
        out
    }

    /// Writes every new and changed file through a temporary file and a rename, then removes
    /// extra files. Returns how many files changed.
    fn apply(&self, root: &Path) -> Result<usize> {
        let mut staged = Vec::new();
        for (path, contents) in self.missing.iter().chain(&self.stale) {
            let target = root.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            let temporary = target.with_extension(format!(
                "{}.gen-tmp",
                target
                    .extension()
                    .map(|extension| extension.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            if let Err(error) = fs::write(&temporary, contents) {
                for (temporary, _) in &staged {
                    let _ = fs::remove_file(temporary);
                }
                let _ = fs::remove_file(&temporary);
                return Err(error).with_context(|| format!("writing {}", temporary.display()));
            }
            staged.push((temporary, target));
        }
        for (temporary, target) in &staged {
            fs::rename(temporary, target)
                .with_context(|| format!("replacing {}", target.display()))?;
        }
        for path in &self.extra {
            let target = root.join(path);
            fs::remove_file(&target).with_context(|| format!("removing {}", target.display()))?;
            remove_empty_parents(root, &target);
        }
        Ok(staged.len() + self.extra.len())
    }
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let generated = root.join(codegen::GENERATED_ROOT);
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == generated || !current.starts_with(&generated) {
            break;
        }
        if fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

/// Compares the generator's output with what is on disk under `generated/`.
pub fn plan(root: &Path, files: &GeneratedFiles) -> Result<Plan> {
    let mut plan = Plan::default();
    let generated_dir = root.join(codegen::GENERATED_ROOT);
    let on_disk: BTreeSet<String> = walk(&generated_dir)
        .with_context(|| format!("reading {}", generated_dir.display()))?
        .iter()
        .map(|path| relative(root, path))
        .collect();
    for (path, contents) in &files.0 {
        if !on_disk.contains(path) {
            plan.missing.insert(path.clone(), contents.clone());
            continue;
        }
        let current = fs::read(root.join(path)).with_context(|| format!("reading {path}"))?;
        if normalize_newlines(&current) != contents.as_bytes() {
            plan.stale.insert(path.clone(), contents.clone());
        }
    }
    for path in on_disk {
        if !files.0.contains_key(&path) {
            plan.extra.insert(path);
        }
    }
    Ok(plan)
}

/// A checkout with CRLF line endings is not stale for that alone.
fn normalize_newlines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&byte) = iter.next() {
        if byte == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when anything checked in under `generated/` is out of date.
    #[test]
    fn generated_files_are_up_to_date() {
        let root = crate::project_root();
        let sources = read_spec_sources(&root).expect("spec/ is readable");
        let files = match codegen::generate(&sources) {
            Ok(files) => files,
            Err(error) => panic!("the specs do not generate: {error}\n{error:?}"),
        };
        let plan = plan(&root, &files).expect("generated/ is readable");
        assert!(
            plan.is_empty(),
            "{}generated files are out of date: run `{GEN_COMMAND}`",
            plan.describe()
        );
    }

    /// A copy of the project's `spec/` and `generated/` in a temporary folder.
    fn project_copy() -> tempfile::TempDir {
        let copy = tempfile::tempdir().expect("a temporary folder");
        let root = crate::project_root();
        for folder in [codegen::load::SPEC_ROOT, codegen::GENERATED_ROOT] {
            for file in walk(&root.join(folder)).expect("readable") {
                let target = copy.path().join(relative(&root, &file));
                fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
                fs::copy(&file, &target).expect("copied");
            }
        }
        copy
    }

    /// Every file under `generated/` with its bytes.
    fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
        walk(&root.join(codegen::GENERATED_ROOT))
            .expect("readable")
            .into_iter()
            .map(|path| (relative(root, &path), fs::read(&path).expect("readable")))
            .collect()
    }

    #[test]
    fn a_failed_gen_leaves_generated_byte_for_byte_untouched() {
        let copy = project_copy();
        let before = snapshot(copy.path());
        let spec = copy.path().join("spec/crm/tickets.create.yaml");
        let text = fs::read_to_string(&spec).expect("readable");
        fs::write(&spec, text.replace("required: true", "requried: true")).expect("writable");
        fs::write(copy.path().join("spec/crm/broken.yaml"), "").expect("writable");

        assert_eq!(run(copy.path(), false).expect("runs"), 2);
        assert_eq!(snapshot(copy.path()), before);
    }

    #[test]
    fn gen_rewrites_only_what_changed_and_removes_what_no_spec_produces() {
        let copy = project_copy();
        let root = copy.path();
        let before = snapshot(root);
        let unchanged = root.join("generated/src/crm/mod.rs");
        let unchanged_modified = fs::metadata(&unchanged)
            .and_then(|m| m.modified())
            .expect("mtime");
        fs::write(
            root.join("generated/schemas/crm/retired.request.json"),
            "{}",
        )
        .expect("writable");
        fs::write(
            root.join("generated/src/crm/leads_create.rs"),
            "// edited by hand\n",
        )
        .expect("writable");

        assert_eq!(run(root, true).expect("runs"), 1, "--check sees both");
        assert!(
            root.join("generated/schemas/crm/retired.request.json")
                .exists(),
            "--check writes nothing"
        );

        assert_eq!(run(root, false).expect("runs"), 0);
        assert_eq!(snapshot(root), before);
        assert_eq!(
            fs::metadata(&unchanged)
                .and_then(|m| m.modified())
                .expect("mtime"),
            unchanged_modified,
            "a file whose bytes did not change is not rewritten"
        );
        assert_eq!(run(root, true).expect("runs"), 0);
    }
}
