//! `cargo xtask conformance examples`: every example payload the specs name, checked.

use std::path::Path;

use anyhow::Result;

use conformance::report::Timings;

use super::report::{Extras, ReportArgs, emit_with};

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    report: ReportArgs,
}

/// Checks the examples and prints the report.
pub(super) fn run(root: &Path, args: Args) -> Result<u8> {
    let (sources, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let started = std::time::Instant::now();
    let (report, cases) = conformance::examples::check_examples_timed(&contracts, &sources);
    let timings = Timings {
        total: Some(started.elapsed()),
        cases,
    };
    emit_with(
        &report,
        &args.report,
        &timings,
        &|file| sources.get(file).map(<[u8]>::to_vec),
        &Extras::default(),
    )
}
