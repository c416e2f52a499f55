//! One integration-test binary for the generator: fixture snapshots, bad specs, names, and the
//! wire runtime and format patterns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../../xtask/src/spec_dir.rs"]
mod spec_dir;

mod bad_specs;
mod breaking_changes;
mod decimal;
mod fast_check_tables;
mod fixtures;
mod import;
mod names;
mod pages;
mod publication;
mod readme_example;
mod site_pages;
mod wire;

use std::path::{Path, PathBuf};

/// `codegen/tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The case folders of a data-driven fixture folder, sorted; `_base` (what cases share) is not a
/// case.
pub fn case_folders(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "_base")
        .collect();
    names.sort();
    names
}

/// One test per case folder of `$folder`, each calling the invoking module's `check(name)`, and
/// a test that every case folder has a test and every test a folder.
macro_rules! fixture_cases {
    ($folder:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                check(stringify!($case));
            }
        )*

        #[test]
        fn every_case_folder_has_a_test() {
            let mut listed: Vec<String> = vec![$(stringify!($case).to_owned()),*];
            listed.sort();
            assert_eq!($crate::case_folders(&$folder), listed);
        }
    };
}
pub(crate) use fixture_cases;
