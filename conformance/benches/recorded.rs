//! Benchmark: a generated JSON Lines recording of LadiFlow `customer.create` responses (at least
//! 200 MB, written once under the system's temporary folder, never in the repository) in; out,
//! printed beside the reference figures: MB/s and exchanges/s of merely parsing every line into
//! a `Value` on the same threads, of the recorded check (fast path, then full checks only), and
//! the peak memory of the check on the whole file and on a quarter of it (flat, not growing);
//! then the same for a HAR 1.2 document of half the size.
//! `cargo bench -p conformance --bench recorded`; `BENCH_RECORDED_MB` changes the size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../codegen/benches/support/peak_memory.rs"]
mod peak_memory;
#[path = "support/recorded_corpus.rs"]
mod recorded_corpus;
#[path = "../../xtask/src/spec_dir.rs"]
mod spec_dir;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use conformance::Contracts;
use conformance::recorded::{
    CheckPath, RecordedOptions, RecordedOutcome, RecordingFormat, check_recording,
};
use peak_memory::{PeakMemory, megabytes};
use recorded_corpus::{har_recording, recording};

#[global_allocator]
static ALLOCATOR: PeakMemory = PeakMemory::new();

/// The smallest recording the benchmark measures, in MB.
const DEFAULT_MEGABYTES: u64 = 200;
/// One timed run: the outcome, seconds, and the peak memory above what was live before.
fn timed_run(
    contracts: &Contracts,
    path: &Path,
    limit_bytes: Option<u64>,
    check_path: CheckPath,
    threads: usize,
) -> (RecordedOutcome, f64, usize) {
    timed_run_of_format(
        contracts,
        path,
        RecordingFormat::JsonLines,
        limit_bytes,
        check_path,
        threads,
    )
}

fn timed_run_of_format(
    contracts: &Contracts,
    path: &Path,
    format: RecordingFormat,
    limit_bytes: Option<u64>,
    check_path: CheckPath,
    threads: usize,
) -> (RecordedOutcome, f64, usize) {
    let file = std::fs::File::open(path).expect("the recording was just written");
    let reader: Box<dyn Read + Send> = match limit_bytes {
        Some(limit) => Box::new(file.take(limit)),
        None => Box::new(file),
    };
    let mut options = RecordedOptions::new(path.display().to_string());
    options.format = Some(format);
    options.check_path = check_path;
    options.threads = threads;
    let live_before = ALLOCATOR.live_bytes();
    ALLOCATOR.reset_peak();
    let started = Instant::now();
    let outcome = check_recording(contracts, reader, &options).expect("the recording is readable");
    let seconds = started.elapsed().as_secs_f64();
    let peak = ALLOCATOR.peak_bytes().saturating_sub(live_before);
    (outcome, seconds, peak)
}

fn rate_line(label: &str, outcome: &RecordedOutcome, seconds: f64, peak: Option<usize>) -> String {
    let megabytes_per_second = outcome.statistics.bytes as f64 / 1_000_000.0 / seconds;
    let exchanges_per_second = outcome.statistics.exchanges as f64 / seconds;
    format!(
        "  {label:<44} {megabytes_per_second:>7.1} MB/s {exchanges_per_second:>10.0} exchanges/s{}",
        peak.map(|peak| format!("   peak memory {}", megabytes(peak)))
            .unwrap_or_default()
    )
}

fn main() {
    let megabytes_wanted = std::env::var("BENCH_RECORDED_MB")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(DEFAULT_MEGABYTES);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let contracts = Contracts::for_generated_crate(model).expect("generated/ matches the specs");
    let (path, bytes) = recording(megabytes_wanted).expect("the recording can be written");
    let cores = std::thread::available_parallelism().map_or(1, usize::from);

    // Warm the page cache so the first measurement does not pay for the disk.
    let (_, _, _) = timed_run(&contracts, &path, None, CheckPath::ParseOnly, 0);

    let (parse_all, parse_all_seconds, _) =
        timed_run(&contracts, &path, None, CheckPath::ParseOnly, 0);
    let (fast_all, fast_all_seconds, fast_all_peak) =
        timed_run(&contracts, &path, None, CheckPath::Fast, 0);
    let (_, _, quarter_peak) = timed_run(&contracts, &path, Some(bytes / 4), CheckPath::Fast, 0);
    let (full_all, full_all_seconds, full_all_peak) =
        timed_run(&contracts, &path, None, CheckPath::Full, 0);
    let (parse_one, parse_one_seconds, _) =
        timed_run(&contracts, &path, None, CheckPath::ParseOnly, 1);
    let (fast_one, fast_one_seconds, fast_one_peak) =
        timed_run(&contracts, &path, None, CheckPath::Fast, 1);

    let statistics = &fast_all.statistics;
    println!(
        "recorded traffic: {} of JSON Lines, {} exchanges ({} matched, {} unmatched, {} unreadable; {} checked in full), {cores} cores",
        megabytes(statistics.bytes as usize),
        statistics.exchanges,
        statistics.matched,
        statistics.unmatched,
        statistics.unreadable,
        statistics.full_checks,
    );
    println!("every core ({cores} workers and a reader thread):");
    println!(
        "{}",
        rate_line(
            "(a) parse only (serde_json to Value)",
            &parse_all,
            parse_all_seconds,
            None
        )
    );
    println!(
        "{}",
        rate_line(
            "(b) recorded check, fast path",
            &fast_all,
            fast_all_seconds,
            Some(fast_all_peak)
        )
    );
    println!(
        "{}",
        rate_line(
            "    recorded check, full check of every body",
            &full_all,
            full_all_seconds,
            Some(full_all_peak)
        )
    );
    println!(
        "  (b) / (a): {:.2} (target at least 0.50); peak memory on a quarter of the file: {} (target under 64 MB whatever the size)",
        parse_all_seconds / fast_all_seconds,
        megabytes(quarter_peak)
    );
    println!(
        "one worker (and a reader thread), beside the reference figures measured on one core:"
    );
    println!(
        "{}",
        rate_line(
            "(a) parse only (serde_json to Value)",
            &parse_one,
            parse_one_seconds,
            None
        )
    );
    println!(
        "{}",
        rate_line(
            "(b) recorded check, fast path",
            &fast_one,
            fast_one_seconds,
            Some(fast_one_peak)
        )
    );
    println!(
        "  reference: serde_json to Value 111 MB/s; jsonschema 85 MB/s; ajv 83 MB/s; typed serde pass 165-187 MB/s"
    );
    let (har_path, _) = har_recording(megabytes_wanted / 2).expect("the HAR can be written");
    let (har_parse, har_parse_seconds, _) = timed_run_of_format(
        &contracts,
        &har_path,
        RecordingFormat::Har,
        None,
        CheckPath::ParseOnly,
        0,
    );
    let (har_fast, har_fast_seconds, har_fast_peak) = timed_run_of_format(
        &contracts,
        &har_path,
        RecordingFormat::Har,
        None,
        CheckPath::Fast,
        0,
    );
    println!(
        "HAR 1.2 ({}, {} entries, streamed by one reader thread), every core:",
        megabytes(har_fast.statistics.bytes as usize),
        har_fast.statistics.exchanges
    );
    println!(
        "{}",
        rate_line(
            "(a) parse only (serde_json to Value)",
            &har_parse,
            har_parse_seconds,
            None
        )
    );
    println!(
        "{}",
        rate_line(
            "(b) recorded check, fast path",
            &har_fast,
            har_fast_seconds,
            Some(har_fast_peak)
        )
    );
    let same = fast_all.report == full_all.report && fast_all.report == fast_one.report;
    println!(
        "same findings on the fast path, the full check and one worker: {}",
        if same { "yes" } else { "NO" }
    );
}
