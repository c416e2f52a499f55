//! `cargo xtask conformance|mock …` (and `import --url`) in the generator-only build: the arguments in, the same
//! command run by the optimized build that has the checker, its exit code out.
//!
//! The `cargo xtask` alias builds xtask without its `checker` feature, so `gen`, `diff`,
//! `publish` and `corpus` compile only the generator (no generated crate, no checker, no server
//! or client stack) and still run when `generated/` does not compile. Checking payloads is where
//! speed matters, so those commands run `cargo run --release` of xtask with the feature on: the
//! first one builds it (cargo's progress shows on standard error), later ones start at once.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

/// Runs this very command line in the full build (`import --url` needs its HTTP client; `diff`'s
/// JUnit, SARIF and annotations its report renderers).
#[cfg_attr(
    all(feature = "checker", feature = "fetch"),
    allow(dead_code, reason = "only the generator-only build forwards")
)]
pub(crate) fn run_this_command(root: &Path) -> Result<u8> {
    let mut arguments = std::env::args_os().skip(1);
    let command = arguments.next().unwrap_or_default();
    let arguments: Vec<OsString> = arguments.collect();
    run(root, &command.to_string_lossy(), &arguments)
}

/// Runs `cargo xtask <command> <arguments…>` in the optimized checker build of the checkout at
/// `root`, with this process's standard streams, and returns its exit code.
#[cfg_attr(
    all(feature = "checker", feature = "fetch"),
    allow(dead_code, reason = "only the generator-only build forwards")
)]
pub(crate) fn run(root: &Path, command: &str, arguments: &[OsString]) -> Result<u8> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(&cargo)
        .arg("run")
        .arg("--release")
        .arg("--package")
        .arg("xtask")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--")
        .arg(command)
        .args(arguments)
        .status()
        .with_context(|| {
            format!(
                "running the checker build with {}",
                Path::new(&cargo).display()
            )
        })?;
    Ok(match status.code() {
        Some(code) => u8::try_from(code).unwrap_or(2),
        // Ended by a signal (Ctrl-C on the mock): as a shell reports it.
        None => 130,
    })
}
