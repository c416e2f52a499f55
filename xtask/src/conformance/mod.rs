//! `cargo xtask conformance …`: loads the specs and the generated contracts once, runs one kind
//! of check, and prints the report in the format asked for.

mod check;
mod examples;
mod live;
mod merge;
mod probe;
mod recorded;
mod report;

use std::path::Path;

use anyhow::Result;
use clap::Subcommand;
use codegen::SpecSources;
use conformance::Contracts;

/// The kinds of check.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check every example payload the specs name (what `cargo test` gates on).
    Examples(examples::Args),
    /// Check payload files against one endpoint's request or response contract.
    Check(check::Args),
    /// Call the real APIs (or a stand-in) and check every response.
    Live(live::Args),
    /// Probe a server with requests generated from the specs, valid and each breaking one
    /// documented rule, and report where it contradicts its docs.
    Probe(probe::Args),
    /// Check captured traffic (JSON Lines or HAR 1.2) against the specs.
    Recorded(recorded::Args),
    /// Combine the JSON reports of `recorded --shard I/N` into the report of the whole recording.
    Merge(merge::Args),
}

/// Runs a conformance command.
pub(crate) fn run(root: &Path, command: Command) -> Result<u8> {
    match command {
        Command::Examples(args) => examples::run(root, args),
        Command::Check(args) => check::run(root, args),
        Command::Live(args) => live::run(root, args),
        Command::Probe(args) => probe::run(root, args),
        Command::Recorded(args) => recorded::run(root, args),
        Command::Merge(args) => merge::run(args),
    }
}

/// The specs and their contracts, or the exit code after reporting why there are none.
pub(crate) fn load(root: &Path) -> Result<std::result::Result<(SpecSources, Contracts), u8>> {
    let (sources, model) = match crate::load_model_or_report(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(Err(code)),
    };
    match Contracts::for_generated_crate(model) {
        Ok(contracts) => Ok(Ok((sources, contracts))),
        Err(error) => {
            eprintln!("error: {error}");
            Ok(Err(2))
        }
    }
}
