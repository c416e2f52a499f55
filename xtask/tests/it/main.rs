//! xtask's integration tests: the built `xtask` binary run as a user runs it, on copies of the
//! project in temporary folders.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

mod project_root;
// The shards run `conformance recorded`, which only a build with the checker has.
#[cfg(feature = "checker")]
mod recorded_spark;
