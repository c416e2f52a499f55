//! `cargo xtask mock` (being written).

use std::path::Path;

use anyhow::Result;

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_root: &Path, _args: Args) -> Result<u8> {
    anyhow::bail!("`mock` is being written")
}
