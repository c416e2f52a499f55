//! The binary built from this checkout, run in another copy of the project: it acts on the copy
//! it runs in (found at run time), never on the checkout it was built from.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The checkout this test was built from.
fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}

/// Copies `from` into `to`, recursively (regular files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder in the copy");
    for entry in fs::read_dir(from).expect("readable") {
        let entry = entry.expect("an entry");
        let kind = entry.file_type().expect("a file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).expect("copied");
        }
    }
}

/// Another checkout: the project's `spec/`, `generated/` and root manifest, nothing built.
fn another_checkout() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary folder");
    let from = this_checkout();
    for folder in ["spec", "generated"] {
        copy_tree(&from.join(folder), &copy.path().join(folder));
    }
    fs::copy(from.join("Cargo.toml"), copy.path().join("Cargo.toml")).expect("copied");
    copy
}

/// `xtask gen --check` run from `current_dir`, with `CARGO_MANIFEST_DIR` as given.
fn gen_check(current_dir: &Path, manifest_dir: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["gen", "--check"]).current_dir(current_dir);
    command.env_remove("CARGO_MANIFEST_DIR");
    if let Some(manifest_dir) = manifest_dir {
        command.env("CARGO_MANIFEST_DIR", manifest_dir);
    }
    command.output().expect("xtask runs")
}

/// What the command printed, standard output then standard error.
fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Makes one of the copy's generated files stale, and returns its path relative to the root.
fn make_stale(copy: &Path) -> &'static str {
    let stale = "generated/src/lib.rs";
    let path = copy.join(stale);
    let mut text = fs::read_to_string(&path).expect("readable");
    text.push_str("// edited in the other checkout\n");
    fs::write(&path, text).expect("writable");
    stale
}

#[test]
fn the_binary_acts_on_the_checkout_it_runs_in_found_from_the_current_folder() {
    let copy = another_checkout();
    let clean = gen_check(copy.path(), None);
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");

    let stale = make_stale(copy.path());
    let nested = copy.path().join("spec/crm");
    let output = gen_check(&nested, None);
    let said = said(&output);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(said.contains(stale), "names the copy's stale file: {said}");

    let here = gen_check(&this_checkout(), None);
    assert_eq!(
        here.status.code(),
        Some(0),
        "this checkout is untouched: {here:?}"
    );
}

#[test]
fn cargo_run_s_manifest_dir_names_the_checkout() {
    let copy = another_checkout();
    let stale = make_stale(copy.path());
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let output = gen_check(elsewhere.path(), Some(&copy.path().join("xtask")));
    let said = said(&output);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(said.contains(stale), "{said}");
}

#[test]
fn outside_any_checkout_it_says_so() {
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let output = gen_check(elsewhere.path(), None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr.contains("no project root"), "{stderr}");
}
