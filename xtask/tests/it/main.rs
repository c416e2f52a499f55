//! xtask's integration tests: the built `xtask` binary run as a user runs it, on copies of the
//! project in temporary folders.

mod project_root;
mod recorded_spark;
