//! Fuzz targets of the checker: mutated real inputs (the specs' example payloads, the recording
//! fixtures) or random bytes in, never a panic out. The payload checker holds any bytes
//! against every real contract with a bounded number of findings, each at a JSON Pointer; the
//! JSON Lines and HAR readers read any recording to a report or a located refusal, and the fast
//! path finds what the full check finds. Run with a small case count by `cargo test`, a large
//! one by `.ci/fuzz`; each target prints how many cases ran and how they ended.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../../codegen/tests/fuzz/mutate.rs"]
mod mutate;

#[path = "../../../xtask/src/spec_dir.rs"]
#[allow(dead_code)]
mod spec_dir;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::model::Direction;
use conformance::Contracts;
use conformance::check::check_payload;
use conformance::contract::BodyContract;
use conformance::recorded::{
    CheckPath, RecordedOptions, RecordingError, RecordingFormat, check_recording,
};
use proptest::prelude::*;

fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn contracts() -> &'static Contracts {
    static CONTRACTS: OnceLock<Contracts> = OnceLock::new();
    CONTRACTS.get_or_init(|| {
        let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
        let model = codegen::load_model(&sources).expect("the specs load");
        Contracts::for_generated_crate(model).expect("generated/ matches the specs")
    })
}

/// Every body contract of the project: each endpoint's request and response.
fn body_contracts() -> Vec<&'static BodyContract> {
    let contracts = contracts();
    let mut bodies = Vec::new();
    for service in &contracts.model.services {
        for endpoint in &service.endpoints {
            for direction in [Direction::Request, Direction::Response] {
                if let Some(body) = contracts.body(&service.id, &endpoint.id, direction) {
                    bodies.push(body);
                }
            }
        }
    }
    bodies
}

/// Findings one payload may give beyond one per input byte: the required fields an empty
/// object lacks, and the whole-payload findings.
const FINDINGS_BEYOND_ONE_PER_BYTE: usize = 256;

#[test]
fn the_payload_checker_never_panics_and_bounds_its_findings() {
    let seeds = mutate::seed_files(&project_root(), "spec", &[".json"]);
    assert!(
        seeds
            .iter()
            .filter(|(path, _)| path.contains("/examples/"))
            .count()
            >= 5,
        "the seeds are the specs' example payloads"
    );
    let bodies = body_contracts();
    assert!(bodies.len() >= 5, "every endpoint's contracts");
    let ran = AtomicUsize::new(0);
    let accepted = AtomicUsize::new(0);
    let findings_seen = AtomicUsize::new(0);
    proptest!(mutate::config(), |(case in mutate::input(seeds.len()), body in 0..bodies.len())| {
        let bytes = mutate::bytes_of(&seeds, &case);
        let check = check_payload(bodies[body], &bytes);
        prop_assert!(
            check.findings.len() <= bytes.len() + FINDINGS_BEYOND_ONE_PER_BYTE,
            "{} findings for {} bytes",
            check.findings.len(),
            bytes.len()
        );
        for finding in &check.findings {
            prop_assert!(
                finding.pointer.is_empty() || finding.pointer.starts_with('/'),
                "not a JSON Pointer: {finding:?}"
            );
            prop_assert!(!finding.message.is_empty(), "no message: {finding:?}");
        }
        if check.findings.is_empty() {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        findings_seen.fetch_add(check.findings.len(), Ordering::Relaxed);
        ran.fetch_add(1, Ordering::Relaxed);
    });
    let (ran, accepted, findings) = (
        ran.into_inner(),
        accepted.into_inner(),
        findings_seen.into_inner(),
    );
    eprintln!(
        "fuzz payload checker: {ran} cases, {accepted} without findings, {findings} findings in all, 0 panics"
    );
    assert!(
        findings > 0,
        "no case gave a finding: the mutations do nothing"
    );
}

/// The recording seeds of one format: the fixture whole and, for JSON Lines, each line alone.
fn recording_seeds(format: RecordingFormat) -> Vec<(String, Vec<u8>)> {
    let extension = match format {
        RecordingFormat::JsonLines => ".jsonl",
        RecordingFormat::Har => ".har",
    };
    let mut seeds = mutate::seed_files(
        &project_root(),
        "conformance/tests/fixtures/recorded",
        &[extension],
    );
    if format == RecordingFormat::JsonLines {
        let lines: Vec<(String, Vec<u8>)> = seeds
            .iter()
            .flat_map(|(path, bytes)| {
                bytes
                    .split(|byte| *byte == b'\n')
                    .filter(|line| !line.is_empty())
                    .enumerate()
                    .map(|(index, line)| (format!("{path} line {}", index + 1), line.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect();
        seeds.extend(lines);
    }
    seeds
}

fn fuzz_recording_reader(format: RecordingFormat) {
    let seeds = recording_seeds(format);
    assert!(!seeds.is_empty(), "the seeds are the recording fixtures");
    let ran = AtomicUsize::new(0);
    let read = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let unreadable = AtomicUsize::new(0);
    proptest!(mutate::config(), |(case in mutate::input(seeds.len()))| {
        let bytes = mutate::bytes_of(&seeds, &case);
        let run = |check_path: CheckPath| {
            let mut options = RecordedOptions::new("fuzzed");
            options.format = Some(format);
            options.threads = 1;
            options.check_path = check_path;
            check_recording(contracts(), bytes.as_slice(), &options)
        };
        match (run(CheckPath::Fast), run(CheckPath::Full)) {
            (Ok(fast), Ok(full)) => {
                prop_assert_eq!(&fast.report, &full.report, "the fast path and the full check disagree");
                unreadable.fetch_add(
                    usize::try_from(fast.statistics.unreadable).unwrap_or(usize::MAX),
                    Ordering::Relaxed,
                );
                read.fetch_add(1, Ordering::Relaxed);
            }
            (Err(RecordingError::NotHar { reason, .. }), Err(RecordingError::NotHar { .. })) => {
                prop_assert!(!reason.is_empty());
                refused.fetch_add(1, Ordering::Relaxed);
            }
            (fast, full) => {
                prop_assert!(false, "unexpected outcome: fast {fast:?}, full {full:?}");
            }
        }
        ran.fetch_add(1, Ordering::Relaxed);
    });
    let (ran, read, refused, unreadable) = (
        ran.into_inner(),
        read.into_inner(),
        refused.into_inner(),
        unreadable.into_inner(),
    );
    eprintln!(
        "fuzz {} reader: {ran} cases, {read} read ({unreadable} unreadable, counted by {}), {refused} refused, 0 panics",
        format.as_str(),
        format.entry_word()
    );
    assert_eq!(ran, read + refused);
    assert!(read > 0, "no case was read at all");
}

#[test]
fn the_json_lines_reader_never_panics() {
    fuzz_recording_reader(RecordingFormat::JsonLines);
}

#[test]
fn the_har_reader_never_panics() {
    fuzz_recording_reader(RecordingFormat::Har);
}
