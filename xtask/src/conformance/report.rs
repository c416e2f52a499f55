//! How a conformance command prints its report: `--format human|json` on standard output,
//! `--junit FILE` beside it, and the exit code the report implies.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use conformance::Report;

/// Output options shared by every conformance command.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// `human` (colour on a terminal, unless NO_COLOR is set) or `json` (the versioned report).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write the report as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// One JSON document (`conformance/src/report/json.rs` documents it).
    Json,
}

/// Prints `report`, writes JUnit if asked, and returns the exit code: 0 when every finding is
/// known, 1 otherwise.
pub fn emit(report: &Report, args: &ReportArgs) -> Result<u8> {
    let text = match args.format {
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            conformance::report::human::render(report, color)
        }
        Format::Json => conformance::report::json::render(report),
    };
    print!("{text}");
    if let Some(path) = &args.junit {
        std::fs::write(path, conformance::report::junit::render(report))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(report.exit_code())
}
