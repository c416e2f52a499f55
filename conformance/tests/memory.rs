//! Adversarial recordings in, the peak memory of checking each out, held under the 64 MB every
//! `recorded` run keeps to: a million distinct findings, lines as long as a line may be whose
//! bodies only the full check can judge, a HAR entry of the wrong shape as long as an entry may
//! be, and a HAR entry that never ends. A test binary of
//! its own because it installs a counting global allocator (the live bytes of every thread of
//! the process), and one test, so nothing else runs while it measures. It measures bytes
//! allocated and not freed (deterministic up to thread timing, never time itself).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../codegen/benches/support/peak_memory.rs"]
mod peak_memory;
#[path = "../../xtask/src/spec_dir.rs"]
mod spec_dir;

use std::io::Read;
use std::path::PathBuf;

use conformance::Contracts;
use conformance::recorded::{RecordedOptions, RecordedOutcome, check_recording};
use peak_memory::{PeakMemory, megabytes};

#[global_allocator]
static ALLOCATOR: PeakMemory = PeakMemory::new();

/// What every `recorded` run stays under, whatever the input.
const MEMORY_BOUND_BYTES: usize = 64 * 1000 * 1000;

fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn contracts() -> Contracts {
    let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    Contracts::for_generated_crate(model).expect("generated/ matches the specs")
}

fn ladiflow_response() -> String {
    let text =
        std::fs::read(project_root().join("spec/ladiflow/examples/customer.create.response.json"))
            .expect("the example is there");
    let value: serde_json::Value = serde_json::from_slice(&text).expect("the example is JSON");
    serde_json::to_string(&value).expect("values serialize")
}

fn ladiflow_line(body: &str) -> String {
    format!(
        "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"content_type\":\"application/json\",\"body\":{body}}}\n"
    )
}

/// Checks `reader` on two threads, returning the outcome (or the error's text) and the peak of
/// live bytes above what was live before.
fn measure(
    contracts: &Contracts,
    reader: impl Read + Send,
    name: &str,
) -> (Result<RecordedOutcome, String>, usize) {
    let mut options = RecordedOptions::new(name);
    options.threads = 2;
    let before = ALLOCATOR.live_bytes();
    ALLOCATOR.reset_peak();
    let outcome = check_recording(contracts, reader, &options).map_err(|error| error.to_string());
    let peak = ALLOCATOR.peak_bytes().saturating_sub(before);
    (outcome, peak)
}

/// A recording of CRM ticket responses whose lines each add a hundred unlisted members (the
/// most a payload lists) of names never seen before: a million distinct findings in all.
fn distinct_findings_recording() -> Vec<u8> {
    let mut recording = Vec::new();
    for line in 0..10_000 {
        let mut members = String::new();
        for member in 0..100 {
            members.push_str(&format!("\"u{line}_{member}\":{member},"));
        }
        recording.extend_from_slice(
            format!(
                "{{\"method\":\"POST\",\"path\":\"/v2/tickets/create\",\"status\":201,\"body\":{{{members}\"id\":\"271911966272026940869079307116515873576\",\"message\":\"ok\",\"ticket_status\":\"1\"}}}}\n"
            )
            .as_bytes(),
        );
    }
    recording
}

/// One line of at most the line bound whose body, besides an unlisted enum value (so only the
/// full check can judge it), holds an unlisted list of `items` copies of `item`.
fn full_check_line(item: &str, items: usize) -> Vec<u8> {
    let body = ladiflow_response().replace("\"gender\":\"male\"", "\"gender\":\"khác\"");
    let list = vec![item; items].join(",");
    let body = body.replacen('{', &format!("{{\"padding\":[{list}],"), 1);
    let line = ladiflow_line(&body).into_bytes();
    assert!(line.len() <= conformance::recorded::LONGEST_LINE_BYTES);
    line
}

/// A HAR document whose only entry never ends.
struct EndlessEntry {
    start: &'static [u8],
    sent: usize,
}

impl Read for EndlessEntry {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.sent < self.start.len() {
            let rest = &self.start[self.sent..];
            let count = rest.len().min(buffer.len());
            buffer[..count].copy_from_slice(&rest[..count]);
            self.sent += count;
            return Ok(count);
        }
        buffer.fill(b'x');
        Ok(buffer.len())
    }
}

#[test]
fn every_recorded_run_stays_under_64_mb_whatever_the_input() {
    let contracts = contracts();
    let mut peaks = Vec::new();

    let recording = distinct_findings_recording();
    let (outcome, peak) = measure(&contracts, recording.as_slice(), "distinct.jsonl");
    let outcome = outcome.expect("the recording is checked");
    let findings = &outcome.report.cases[0].findings;
    let counted: u64 = findings
        .iter()
        .map(|finding| {
            let tally = &finding.message[finding.message.rfind(" [").expect("a tally") + 2..];
            tally[..tally.find(' ').expect("a count")]
                .parse::<u64>()
                .expect("a count")
        })
        .sum();
    assert!(
        counted >= 1_000_000,
        "a million distinct findings are counted, found {counted}"
    );
    peaks.push(("a million distinct findings", peak));
    drop(recording);

    let most = conformance::recorded::MOST_VALUES_CHECKED_IN_FULL;
    let long_string = format!("\"{}\"", "x".repeat(80));
    let full_checks: [(&str, Vec<u8>, bool); 3] = [
        (
            "the longest line of zeros",
            full_check_line("0", 2_000_000),
            true,
        ),
        (
            "three lines of as many values as a body may hold",
            full_check_line("0", most - 200).repeat(3),
            false,
        ),
        (
            "the longest line of long strings",
            full_check_line(&long_string, 45_000),
            false,
        ),
    ];
    for (what, line, too_large) in full_checks {
        let (outcome, peak) = measure(&contracts, line.as_slice(), "full.jsonl");
        let outcome = outcome.expect("the recording is checked");
        let rules: Vec<&str> = outcome.report.cases[0]
            .findings
            .iter()
            .map(|finding| finding.rule.as_str())
            .collect();
        assert_eq!(rules.contains(&"too-large"), too_large, "{what}: {rules:?}");
        peaks.push((what, peak));
    }

    let zeros = vec!["0"; 1_500_000].join(",");
    let misshapen =
        format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":[{{\"request\":[{zeros}]}}]}}}}");
    let (outcome, peak) = measure(&contracts, misshapen.as_bytes(), "misshapen.har");
    let outcome = outcome.expect("the document is read");
    assert_eq!(outcome.statistics.unreadable, 1);
    peaks.push(("a HAR entry of the longest misshapen kind", peak));
    drop(misshapen);

    let endless = EndlessEntry {
        start: b"{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":\"",
        sent: 0,
    };
    let (outcome, peak) = measure(&contracts, endless, "endless.har");
    let outcome = outcome.expect("the entries before the endless one are checked");
    assert_eq!(outcome.statistics.unreadable, 1);
    assert_eq!(outcome.statistics.unreadable_entries[0].entry, 1);
    let reason = &outcome.statistics.unreadable_entries[0].reason;
    assert!(
        reason.starts_with("the entry is larger than 4 MiB"),
        "the endless entry is refused clearly: {reason}"
    );
    peaks.push(("an endless HAR entry", peak));

    for (what, peak) in &peaks {
        println!("peak memory, {what}: {}", megabytes(*peak));
    }
    for (what, peak) in peaks {
        assert!(
            peak < MEMORY_BOUND_BYTES,
            "{what}: peak {} is over {}",
            megabytes(peak),
            megabytes(MEMORY_BOUND_BYTES)
        );
    }
}
