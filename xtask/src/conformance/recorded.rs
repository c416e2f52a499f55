//! `cargo xtask conformance recorded FILE`: a traffic recording (JSON Lines or HAR 1.2, see
//! `conformance/src/recorded/mod.rs`) checked against the specs on every core, streamed; the
//! report as for the examples, followed by the recording's counts (matched per endpoint,
//! unmatched, unreadable). Exit 0 when every finding is known and every line was readable,
//! 1 otherwise, 2 when the file cannot be read or is not a recording at all.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use conformance::recorded::{
    CheckPath, RecordedOptions, RecordingFormat, check_recording, render_statistics_human,
    statistics_json_value,
};

use super::report::{Format, ReportArgs};

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The recording: JSON Lines (one exchange per line) or HAR 1.2; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The recording's format; detected from its first bytes when not given (a JSON object
    /// whose first member is `log` is HAR).
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
    /// A path prefix the deployment puts before the documented paths, such as `/proxy`
    /// (repeatable); exact paths are always tried first.
    #[arg(long = "base-path", value_name = "PREFIX")]
    base_paths: Vec<String>,
    /// Worker threads; 0 (the default) for one per core.
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Check every payload in full (schema, unlisted fields, generated type) instead of the fast
    /// path: the same findings, slower.
    #[arg(long)]
    full_check: bool,
    /// The most bytes of one JSON Lines line or one HAR entry; a longer line is unreadable and
    /// skipped, a longer HAR entry ends the reading there.
    #[arg(long, value_name = "BYTES", default_value_t = conformance::recorded::LONGEST_LINE_BYTES as u64)]
    max_entry_bytes: u64,
    #[command(flatten)]
    report: ReportArgs,
}

/// Recording formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum InputFormat {
    /// One exchange per line.
    Jsonl,
    /// HTTP Archive 1.2.
    Har,
}

/// Checks the recording and prints the report.
pub fn run(root: &Path, args: Args) -> Result<u8> {
    let (_, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let shown = args.file.display().to_string();
    let reader: Box<dyn Read + Send> = if shown == "-" {
        Box::new(std::io::stdin())
    } else {
        match std::fs::File::open(&args.file) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!("error: cannot read {shown}: {error}");
                return Ok(2);
            }
        }
    };
    let mut options = RecordedOptions::new(shown);
    options.format = args.input_format.map(|format| match format {
        InputFormat::Jsonl => RecordingFormat::JsonLines,
        InputFormat::Har => RecordingFormat::Har,
    });
    options.base_paths = args.base_paths;
    options.threads = args.threads;
    options.max_entry_bytes = args.max_entry_bytes;
    if args.full_check {
        options.check_path = CheckPath::Full;
    }
    let outcome = match check_recording(&contracts, reader, &options) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(2);
        }
    };
    let text = match args.report.format {
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut text = conformance::report::human::render(&outcome.report, color);
            text.push_str(&render_statistics_human(&outcome.statistics));
            text
        }
        Format::Json => {
            let mut document = conformance::report::json::to_value(&outcome.report);
            if let Some(members) = document.as_object_mut() {
                members.insert(
                    "recording".to_owned(),
                    statistics_json_value(&outcome.statistics),
                );
            }
            let mut text = serde_json::to_string_pretty(&document)?;
            text.push('\n');
            text
        }
    };
    print!("{text}");
    if let Some(path) = &args.report.junit {
        std::fs::write(path, conformance::report::junit::render(&outcome.report))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(outcome.exit_code())
}
