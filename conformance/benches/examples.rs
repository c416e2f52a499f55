//! Benchmark: the specs in, printed figures out: the cost of compiling every published schema
//! once (building the contracts), and how many example payloads per second the compiled
//! contracts check (schema, unlisted-field walk, generated type, duplicate members), on one
//! core. `cargo bench -p conformance --bench examples`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../xtask/src/spec_dir.rs"]
mod spec_dir;

#[path = "../../codegen/benches/support/peak_memory.rs"]
mod peak_memory;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use codegen::model::Direction;
use conformance::Contracts;
use conformance::check::check_payload;
use peak_memory::{PeakMemory, megabytes};

#[global_allocator]
static ALLOCATOR: PeakMemory = PeakMemory::new();

fn median(mut durations: Vec<Duration>) -> Duration {
    durations.sort();
    durations[durations.len() / 2]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");

    // Compiling: every body's schema, plus the check that generated/ matches the specs.
    let mut compile_times = Vec::new();
    let mut contracts = None;
    let mut peak = 0;
    for _ in 0..9 {
        let model = model.clone();
        ALLOCATOR.reset_peak();
        let base = ALLOCATOR.live_bytes();
        let start = Instant::now();
        let built = Contracts::for_generated_crate(model).expect("generated/ matches the specs");
        compile_times.push(start.elapsed());
        peak = ALLOCATOR.peak_bytes() - base;
        contracts = Some(built);
    }
    let contracts = contracts.expect("built at least once");
    let bodies = contracts.bodies().count();
    println!(
        "examples: compiling the contracts of {bodies} bodies (schemas compiled, staleness checked): median {:.2} ms, peak memory {}",
        median(compile_times).as_secs_f64() * 1000.0,
        megabytes(peak)
    );

    // Checking: every example payload, round after round.
    let mut payloads = Vec::new();
    for service in &contracts.model.services {
        for endpoint in &service.endpoints {
            for example in &endpoint.examples {
                for direction in Direction::BOTH {
                    if let Some(payload) = example.payload(direction) {
                        let contract = contracts
                            .body(&service.id, &endpoint.id, direction)
                            .expect("every body has a contract");
                        let bytes = sources.get(&payload.file).expect("examples are read");
                        payloads.push((contract, bytes));
                    }
                }
            }
        }
    }
    let bytes_per_round: usize = payloads.iter().map(|(_, bytes)| bytes.len()).sum();
    let rounds = 2_000;
    let mut findings = 0;
    let mut round_times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..rounds {
            for (contract, bytes) in &payloads {
                findings += check_payload(contract, bytes).findings.len();
            }
        }
        round_times.push(start.elapsed());
    }
    let elapsed = median(round_times).as_secs_f64();
    let checked = (rounds * payloads.len()) as f64;
    println!(
        "  checked {} example payloads ({} bytes) {rounds} times, one core: {:.0} payloads/s, {:.1} MB/s, {:.1} µs per payload ({findings} findings in all runs)",
        payloads.len(),
        bytes_per_round,
        checked / elapsed,
        (rounds * bytes_per_round) as f64 / elapsed / 1_000_000.0,
        elapsed / checked * 1e6
    );
    println!(
        "  reference, same machine, one core: jsonschema 85 MB/s, ajv 83 MB/s, serde_json to Value 111 MB/s (200 MB of LadiFlow responses)"
    );
}
