//! `cargo xtask conformance merge REPORT.json…`: the JSON reports of the shards of one recording
//! (`conformance recorded --shard I/N --format json`) in, the report of the whole recording out,
//! as `recorded` prints it: its summary, counts and first line numbers those of one unsharded
//! run (see `conformance/src/recorded/merge.rs`). Exit codes as `recorded`: 2 when the reports
//! cannot be read or do not belong together.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Result;
use codegen::SpecSources;
use conformance::recorded::merge_shard_reports;
use sha2::{Digest, Sha256};

use super::recorded::print_outcome;
use super::report::ReportArgs;

/// The largest shard report read (a shard's report is bounded by the report's caps: a few MB).
const LARGEST_REPORT_BYTES: u64 = 256 * 1024 * 1024;

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The shards' JSON reports, in any order: every shard of one recording, once.
    #[arg(value_name = "REPORT.json", required = true)]
    reports: Vec<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Merges the reports and prints the whole recording's report.
pub(super) fn run(args: Args) -> Result<u8> {
    let mut reports = Vec::with_capacity(args.reports.len());
    for path in &args.reports {
        let name = path.display().to_string();
        match read_report(path) {
            Ok(report) => reports.push((name, report)),
            Err(reason) => {
                eprintln!("error: {name}: {reason}");
                return Ok(2);
            }
        }
    }
    match merge_shard_reports(&reports) {
        Ok(outcome) => print_outcome(&outcome, &args.report, None, None),
        Err(error) => {
            eprintln!("error: {error}");
            Ok(2)
        }
    }
}

/// One report as JSON, or why not.
fn read_report(path: &std::path::Path) -> std::result::Result<serde_json::Value, String> {
    let file = std::fs::File::open(path).map_err(|error| format!("cannot read it: {error}"))?;
    let mut bytes = Vec::new();
    file.take(LARGEST_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read it: {error}"))?;
    if bytes.len() as u64 > LARGEST_REPORT_BYTES {
        return Err(format!(
            "it is larger than {}, the most read of a shard report",
            conformance::bounds::describe_bytes(LARGEST_REPORT_BYTES)
        ));
    }
    serde_json::from_slice(&bytes).map_err(|error| {
        format!(
            "it is not JSON (line {}, column {}); expected the report of `conformance recorded --shard I/N --format json`",
            error.line(),
            error.column()
        )
    })
}

/// What shards checked against the same specs share: the SHA-256 of every spec file's path and
/// bytes, in path order.
pub(super) fn specs_fingerprint(sources: &SpecSources) -> String {
    let mut hasher = Sha256::new();
    for (path, bytes) in sources.iter() {
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let digest = hasher.finalize();
    let mut text = String::with_capacity(71);
    text.push_str("sha256:");
    for byte in &digest {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}
