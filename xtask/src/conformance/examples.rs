//! `cargo xtask conformance examples`: every example payload the specs name, checked.

use std::path::Path;

use anyhow::Result;

use super::report::{ReportArgs, emit};

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    report: ReportArgs,
}

/// Checks the examples and prints the report.
pub fn run(root: &Path, args: Args) -> Result<u8> {
    let (sources, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let report = conformance::examples::check_examples(&contracts, &sources);
    emit(&report, &args.report)
}
