//! `cargo xtask conformance recorded FILE`: a traffic recording (JSON Lines or HAR 1.2, see
//! `conformance/src/recorded/mod.rs`) checked against the specs on every core, streamed; the
//! report as for the examples, followed by the recording's counts (matched per endpoint,
//! unmatched, unreadable). Exit 0 when every finding is known and every line was readable,
//! 1 otherwise, 2 when the file cannot be read or is not a recording at all. `--shard I/N`
//! checks only the Ith of N byte ranges of the file (`conformance merge` combines the shards'
//! JSON reports; see `conformance/src/recorded/shard.rs`). Ends, on standard error, with the
//! time taken and the throughput.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use conformance::bounds::with_thousands;
use conformance::recorded::{
    CheckPath, RecordedOptions, RecordedOutcome, RecordingFormat, Shard, check_recording,
    check_recording_shard, render_statistics_human, shard_json_value, statistics_json_value,
};

use conformance::report::Timings;

use super::report::{Extras, ReportArgs, emit_with};

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
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
    /// Check only the Ith of N byte ranges of the file (whole lines of JSON Lines, whole entries
    /// of HAR), for running the parts on many machines; `conformance merge` combines their
    /// `--format json` reports. JSON Lines line numbers count from the part's first line until
    /// merged.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
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
pub(super) fn run(root: &Path, args: Args) -> Result<u8> {
    let (sources, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let shown = args.file.display().to_string();
    let file = if shown == "-" {
        None
    } else {
        match std::fs::File::open(&args.file) {
            Ok(file) => Some(file),
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
    let started = Instant::now();
    let mut shard_member = None;
    let checked = match (args.shard, file) {
        (None, file) => {
            // A whole recording streams through the progress bar (a shard seeks, so it has none).
            let length = file
                .as_ref()
                .and_then(|file| file.metadata().ok())
                .map(|metadata| metadata.len());
            let reader: Box<dyn Read + Send> = match file {
                Some(file) => Box::new(file),
                None => Box::new(std::io::stdin()),
            };
            let bar = progress_bar(length);
            let reader: Box<dyn Read + Send> = match &bar {
                Some(bar) => Box::new(bar.wrap_read(reader)),
                None => reader,
            };
            let checked = check_recording(&contracts, reader, &options);
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            checked
        }
        (Some(shard), None) => {
            eprintln!(
                "error: --shard {}/{} needs a file to seek in, not standard input",
                shard.index, shard.count
            );
            return Ok(2);
        }
        (Some(shard), Some(file)) => check_recording_shard(&contracts, file, &options, shard)
            .map(|sharded| {
                eprintln!(
                    "shard {}/{}: bytes {}..{} of {}, {} {}, numbered from the part's first (`conformance merge` gives the file's)",
                    shard.index,
                    shard.count,
                    sharded.part.read_start,
                    sharded.part.read_end,
                    sharded.part.file_bytes,
                    sharded.part.entries_read,
                    if sharded.part.har.is_some() {
                        "entries (through the one crossing the range's end)"
                    } else {
                        "lines"
                    }
                );
                if let Some(reason) = sharded.part.har.as_ref().and_then(|chain| chain.refused.as_ref()) {
                    eprintln!(
                        "shard {}/{}: the document could not be read from its first entry on ({reason}); \
                         `conformance merge` leaves this shard out if it started inside an entry, \
                         and refuses otherwise",
                        shard.index, shard.count
                    );
                }
                shard_member = Some(shard_json_value(
                    &sharded,
                    &super::merge::specs_fingerprint(&sources),
                ));
                sharded.outcome
            }),
    };
    let outcome = match checked {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(2);
        }
    };
    let elapsed = elapsed_and_throughput(&outcome, started);
    let code = print_outcome(
        &outcome,
        &args.report,
        shard_member,
        Some(started.elapsed()),
    )?;
    eprintln!("{elapsed}");
    Ok(code)
}

/// Prints the report of a recorded run in every format asked for (the JSON report with the
/// recording's counts and, for a shard, its `shard` member), and returns the exit code.
pub(super) fn print_outcome(
    outcome: &RecordedOutcome,
    report_args: &ReportArgs,
    shard_member: Option<serde_json::Value>,
    total_time: Option<std::time::Duration>,
) -> Result<u8> {
    let mut json_members = vec![("recording", statistics_json_value(&outcome.statistics))];
    if let Some(shard_member) = shard_member {
        json_members.push(("shard", shard_member));
    }
    let extras = Extras {
        // Paths and file names in the counts come from the recording: escaped line by line.
        human_suffix: Some(codegen::display_text::escape_control_characters_by_line(
            &render_statistics_human(&outcome.statistics),
        )),
        json_members,
        recorded_entries_are_lines: outcome.statistics.format == RecordingFormat::JsonLines,
    };
    let timings = Timings {
        total: total_time,
        cases: Vec::new(),
    };
    emit_with(&outcome.report, report_args, &timings, &|_| None, &extras)?;
    Ok(outcome.exit_code())
}

/// `checked 200.0 MB (115,424 exchanges) in 1.6 s: 125.3 MB/s, 72,140 exchanges/s`.
fn elapsed_and_throughput(outcome: &RecordedOutcome, started: Instant) -> String {
    let seconds = started.elapsed().as_secs_f64().max(1e-6);
    let statistics = &outcome.statistics;
    format!(
        "checked {:.1} MB ({} exchanges) in {seconds:.1} s: {:.1} MB/s, {} exchanges/s",
        statistics.bytes as f64 / 1_000_000.0,
        with_thousands(statistics.exchanges),
        statistics.bytes as f64 / 1_000_000.0 / seconds,
        with_thousands((statistics.exchanges as f64 / seconds) as u64),
    )
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
