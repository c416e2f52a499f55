//! `cargo xtask conformance recorded FILE`: a traffic recording (JSON Lines or HAR 1.2, see
//! `conformance/src/recorded/mod.rs`) checked against the specs on every core, streamed; the
//! report as for the examples, followed by the recording's counts (matched per endpoint,
//! unmatched, unreadable). Exit 0 when every finding is known and every line was readable,
//! 1 otherwise, 2 when the file cannot be read or is not a recording at all.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Result;
use conformance::recorded::{
    CheckPath, RecordedOptions, RecordingFormat, check_recording, render_statistics_human,
    statistics_json_value,
};

use conformance::report::Timings;

use super::report::{Extras, ReportArgs, emit_with};

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
    let (reader, length): (Box<dyn Read + Send>, Option<u64>) = if shown == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        match std::fs::File::open(&args.file) {
            Ok(file) => {
                let length = file.metadata().ok().map(|metadata| metadata.len());
                (Box::new(file), length)
            }
            Err(error) => {
                eprintln!("error: cannot read {shown}: {error}");
                return Ok(2);
            }
        }
    };
    let bar = progress_bar(length);
    let reader: Box<dyn Read + Send> = match &bar {
        Some(bar) => Box::new(bar.wrap_read(reader)),
        None => reader,
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
    let started = std::time::Instant::now();
    let outcome = match check_recording(&contracts, reader, &options) {
        Ok(outcome) => outcome,
        Err(error) => {
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            eprintln!("error: {error}");
            return Ok(2);
        }
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let extras = Extras {
        // Paths and file names in the counts come from the recording: escaped line by line.
        human_suffix: Some(codegen::display_text::escape_control_characters_by_line(
            &render_statistics_human(&outcome.statistics),
        )),
        json_members: vec![("recording", statistics_json_value(&outcome.statistics))],
        recorded_entries_are_lines: outcome.statistics.format == RecordingFormat::JsonLines,
    };
    let timings = Timings {
        total: Some(started.elapsed()),
        cases: Vec::new(),
    };
    emit_with(&outcome.report, &args.report, &timings, &|_| None, &extras)?;
    Ok(outcome.exit_code())
}

/// Bytes read so far (of how many, for a file), on standard error when it is a terminal.
fn progress_bar(length: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(length, indicatif::ProgressDrawTarget::stderr());
    let template = if length.is_some() {
        "[{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {elapsed}"
    } else {
        "{spinner} {bytes} read, {bytes_per_sec} {elapsed}"
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    Some(bar)
}
