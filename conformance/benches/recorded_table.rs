//! Benchmark: issue 12's table in one run. The deterministic JSON Lines recording of LadiFlow
//! `customer.create` exchanges (at least 200 MB, `support/recorded_corpus.rs`, shared with the
//! `recorded` bench) and the published response schema
//! (`generated/schemas/ladiflow/customer.create.response.json`) in; out, for each program on the
//! same bytes and schema, MB/s, the ratio to serde_json→`Value` and how many lines break the
//! contract, beside the reference figures:
//!
//! - serde_json → `Value` of every line, one core, no checking;
//! - jsonschema-rs (arbitrary precision, formats asserted, as our own checks compile it), one
//!   core: every line read into a `Value`, the endpoint's lines' bodies validated;
//! - ajv 8 (Ajv2020 + ajv-formats), one core, in node (`.ci/validators/recorded_lines.cjs`,
//!   installed by `.ci/install-validators`); its own timing, compiling the schema excluded;
//! - ours, release: `check_recording` with one worker, two workers, and one worker with
//!   `--full-check`, and the peak memory of the run with two workers.
//!
//! A line breaks the contract when its status is not the documented one, its body is not JSON,
//! or the schema rejects its body; ours counts the exchanges with at least one error finding
//! (an unlisted field is a warning, and the published schema allows them). All of them must
//! count the same lines, or the bench fails saying so. Not a timed test: figures vary with the
//! machine's load. `cargo bench -p conformance --bench recorded_table`; `BENCH_RECORDED_MB`
//! changes the size.

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

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::model::Direction;
use conformance::Contracts;
use conformance::recorded::{CheckPath, RecordedOptions, RecordingFormat, check_recording};
use peak_memory::{PeakMemory, megabytes};
use serde_json::Value;

#[global_allocator]
static ALLOCATOR: PeakMemory = PeakMemory::new();

/// The smallest recording the benchmark measures, in MB (the size).
const DEFAULT_MEGABYTES: u64 = 200;
const SERVICE: &str = "ladiflow";
const ENDPOINT: &str = "customer.create";

/// The endpoint's method, path and accepted statuses, from the specs.
struct EndpointUnderTest {
    method: &'static str,
    path: String,
    accepted_statuses: Vec<u16>,
    schema_path: PathBuf,
}

/// One row of the table.
struct Row {
    program: &'static str,
    seconds: f64,
    invalid: u64,
    /// The MB/s and ratio to serde_json→`Value`.
    reference: (f64, f64),
    note: String,
}

fn main() {
    let megabytes_wanted = std::env::var("BENCH_RECORDED_MB")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(DEFAULT_MEGABYTES);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let contracts = Contracts::for_generated_crate(model).expect("generated/ matches the specs");
    let endpoint = endpoint_under_test(&contracts, &root);
    let (recording, bytes) =
        recorded_corpus::recording(megabytes_wanted).expect("the recording can be written");
    let schema: Value = serde_json::from_slice(
        &std::fs::read(&endpoint.schema_path).expect("the published schema is there"),
    )
    .expect("the published schema is JSON");

    // Warm the page cache so the first program does not pay for the disk.
    let _ = serde_json_to_value(&recording);

    let mut rows = Vec::new();
    let (seconds, lines) = serde_json_to_value(&recording);
    rows.push(Row {
        program: "serde_json → Value, one core, no checking",
        seconds,
        invalid: u64::MAX,
        reference: (203.0, 1.00),
        note: format!("{lines} lines"),
    });
    let (seconds, invalid) = jsonschema_rs(&recording, &schema, &endpoint);
    rows.push(Row {
        program: "jsonschema-rs 0.60.2 (arbitrary precision), one core",
        seconds,
        invalid,
        reference: (157.0, 0.77),
        note: String::new(),
    });
    let (seconds, invalid) = ajv(&root, &recording, &endpoint);
    rows.push(Row {
        program: "ajv 8 (Ajv2020 + formats), one core",
        seconds,
        invalid,
        reference: (102.0, 0.50),
        note: String::new(),
    });
    for (program, threads, check_path, reference) in [
        (
            "ours, release, --threads 1",
            1,
            CheckPath::Fast,
            (127.0, 0.62),
        ),
        (
            "ours, release, 2 workers",
            2,
            CheckPath::Fast,
            (216.0, 1.07),
        ),
        (
            "ours, --full-check, one core",
            1,
            CheckPath::Full,
            (36.0, 0.18),
        ),
    ] {
        let (seconds, invalid, peak, full_checks) =
            ours(&contracts, &recording, threads, check_path);
        rows.push(Row {
            program,
            seconds,
            invalid,
            reference,
            note: format!(
                "peak memory {}, {full_checks} bodies checked in full",
                megabytes(peak)
            ),
        });
    }

    let value_seconds = rows[0].seconds;
    let megabytes_read = bytes as f64 / 1_000_000.0;
    println!(
        "issue 12's table, one run: {} of JSON Lines ({}), {} {} against {}",
        megabytes(bytes as usize),
        recording.display(),
        SERVICE,
        ENDPOINT,
        endpoint.schema_path.display()
    );
    println!(
        "{:<56} {:>8} {:>8} {:>9}   {:>9} {:>8}",
        "program", "MB/s", "× Value", "invalid", "issue MB/s", "issue ×"
    );
    for row in &rows {
        let invalid = if row.invalid == u64::MAX {
            "-".to_owned()
        } else {
            row.invalid.to_string()
        };
        let line = format!(
            "{:<56} {:>8.1} {:>8.2} {:>9}   {:>9.0} {:>8.2}  {}",
            row.program,
            megabytes_read / row.seconds,
            value_seconds / row.seconds,
            invalid,
            row.reference.0,
            row.reference.1,
            row.note
        );
        println!("{}", line.trim_end());
    }
    let two_workers = &rows[4];
    let ajv_row = &rows[2];
    println!(
        "ours with 2 workers: {:.2}× ajv (issue: 2.1×; goal of item 1: at least 3×); ours with one worker: {:.2}× serde_json→Value (goal: at least 1.5×)",
        ajv_row.seconds / two_workers.seconds,
        value_seconds / rows[3].seconds
    );
    let counts: Vec<u64> = rows[1..].iter().map(|row| row.invalid).collect();
    assert!(
        counts.iter().all(|count| *count == counts[0]),
        "the checkers disagree on the invalid lines: {}",
        rows[1..]
            .iter()
            .map(|row| format!("{}: {}", row.program, row.invalid))
            .collect::<Vec<_>>()
            .join("; ")
    );
    println!("every checker counts the same {} invalid lines", counts[0]);
}

fn endpoint_under_test(contracts: &Contracts, root: &Path) -> EndpointUnderTest {
    let endpoint = contracts
        .model
        .services
        .iter()
        .filter(|service| service.id == SERVICE)
        .flat_map(|service| service.endpoints.iter())
        .find(|endpoint| endpoint.id == ENDPOINT)
        .expect("the specs have ladiflow customer.create");
    EndpointUnderTest {
        method: endpoint.method.as_str(),
        path: endpoint.path.clone(),
        accepted_statuses: (100..=599)
            .filter(|status| endpoint.response.status.accepts(*status))
            .collect(),
        schema_path: root.join(format!(
            "generated/schemas/{SERVICE}/{ENDPOINT}.{}.json",
            Direction::Response.as_str()
        )),
    }
}

/// Calls `on_line` with every non-blank line of the recording, read as a stream.
fn each_line(recording: &Path, mut on_line: impl FnMut(&[u8])) {
    let file = std::fs::File::open(recording).expect("the recording was just written");
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::with_capacity(8 * 1024);
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .expect("the recording is readable");
        if read == 0 {
            break;
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if !text.iter().all(u8::is_ascii_whitespace) {
            on_line(text);
        }
    }
}

/// serde_json → `Value` of every line: seconds, lines.
fn serde_json_to_value(recording: &Path) -> (f64, u64) {
    let started = Instant::now();
    let mut lines = 0;
    each_line(recording, |line| {
        let value: Value = serde_json::from_slice(line).expect("every line is JSON");
        std::hint::black_box(&value);
        lines += 1;
    });
    (started.elapsed().as_secs_f64(), lines)
}

/// The request path of `target` without scheme, host, query or fragment.
fn path_of(target: &str) -> &str {
    let path = match target.find("://") {
        Some(scheme) => match target[scheme + 3..].find('/') {
            Some(slash) => &target[scheme + 3 + slash..],
            None => "/",
        },
        None => target,
    };
    match path.find(['?', '#']) {
        Some(end) => &path[..end],
        None => path,
    }
}

/// jsonschema-rs: every line read into a `Value`, the endpoint's lines checked: seconds, invalid.
fn jsonschema_rs(recording: &Path, schema: &Value, endpoint: &EndpointUnderTest) -> (f64, u64) {
    let validator =
        conformance::contract::compile_schema(schema).expect("the published schema compiles");
    let started = Instant::now();
    let mut invalid = 0;
    each_line(recording, |line| {
        let exchange: Value = serde_json::from_slice(line).expect("every line is JSON");
        let method = exchange["method"].as_str().unwrap_or_default();
        let target = exchange
            .get("path")
            .or_else(|| exchange.get("url"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !method.eq_ignore_ascii_case(endpoint.method) || path_of(target) != endpoint.path {
            return;
        }
        let status = exchange["status"].as_u64().unwrap_or_default();
        if !endpoint
            .accepted_statuses
            .iter()
            .any(|accepted| u64::from(*accepted) == status)
        {
            invalid += 1;
            return;
        }
        let valid = match exchange.get("body_text").and_then(Value::as_str) {
            Some(text) => {
                serde_json::from_str::<Value>(text).is_ok_and(|body| validator.is_valid(&body))
            }
            None => exchange
                .get("body")
                .is_some_and(|body| validator.is_valid(body)),
        };
        if !valid {
            invalid += 1;
        }
    });
    (started.elapsed().as_secs_f64(), invalid)
}

/// ajv in node, timed by itself: seconds, invalid.
fn ajv(root: &Path, recording: &Path, endpoint: &EndpointUnderTest) -> (f64, u64) {
    let validators = root.join(".ci/validators");
    if !validators.join("node_modules/ajv").is_dir() {
        let installed = Command::new("bash")
            .arg(root.join(".ci/install-validators"))
            .status()
            .expect("bash runs");
        assert!(installed.success(), "`.ci/install-validators` failed");
    }
    let statuses: Vec<String> = endpoint
        .accepted_statuses
        .iter()
        .map(u16::to_string)
        .collect();
    let output = Command::new("node")
        .arg(validators.join("recorded_lines.cjs"))
        .arg(&endpoint.schema_path)
        .arg(recording)
        .arg(endpoint.method)
        .arg(&endpoint.path)
        .arg(statuses.join(","))
        .current_dir(&validators)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "ajv failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout).expect("ajv prints JSON");
    (
        result["seconds"].as_f64().expect("seconds"),
        result["invalid"].as_u64().expect("invalid"),
    )
}

/// Our recorded check: seconds, exchanges with errors, peak memory, bodies checked in full.
fn ours(
    contracts: &Contracts,
    recording: &Path,
    threads: usize,
    check_path: CheckPath,
) -> (f64, u64, usize, u64) {
    let file = std::fs::File::open(recording).expect("the recording was just written");
    let mut options = RecordedOptions::new(recording.display().to_string());
    options.format = Some(RecordingFormat::JsonLines);
    options.threads = threads;
    options.check_path = check_path;
    let live_before = ALLOCATOR.live_bytes();
    ALLOCATOR.reset_peak();
    let started = Instant::now();
    let outcome = check_recording(contracts, file, &options).expect("the recording is readable");
    let seconds = started.elapsed().as_secs_f64();
    let peak = ALLOCATOR.peak_bytes().saturating_sub(live_before);
    let invalid = outcome
        .statistics
        .endpoints
        .iter()
        .filter(|tally| {
            tally.service == SERVICE
                && tally.endpoint == ENDPOINT
                && tally.direction == Direction::Response
        })
        .map(|tally| tally.with_errors)
        .sum::<u64>()
        + outcome.statistics.unreadable;
    (seconds, invalid, peak, outcome.statistics.full_checks)
}
