//! One integration-test binary for conformance.

#[path = "../../../xtask/src/spec_dir.rs"]
mod spec_dir;

mod agreement;
