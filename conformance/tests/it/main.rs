//! One integration-test binary for conformance: agreement of types and schemas, the examples
//! check and its reports, exact numbers, the table-derived corpus, live runs, the mock server,
//! recorded traffic, and foreign validators.

#[path = "../../../xtask/src/spec_dir.rs"]
mod spec_dir;

mod agreement;
mod corpus;
mod cross_validators;
mod exact_numbers;
mod examples;
mod live;
mod mock;
mod recorded;
mod reports;

use std::path::PathBuf;

/// The project root.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
