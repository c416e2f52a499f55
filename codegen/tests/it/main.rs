//! One integration-test binary for the generator: fixture snapshots, bad specs, names, and the
//! wire runtime and format patterns.

#[path = "../../../xtask/src/spec_dir.rs"]
mod spec_dir;

mod bad_specs;
mod breaking_changes;
mod fixtures;
mod names;
mod pages;
mod publication;
mod wire;

use std::path::PathBuf;

/// `codegen/tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}
