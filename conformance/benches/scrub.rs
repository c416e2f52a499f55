//! The scrubber's cost, printed: building it for two credentials (every spelling of each, one
//! automaton), and scrubbing a response body of 1 MiB and 8 MiB (the default response limit)
//! without a credential in it and with one spelling of a credential every 4 KiB. Medians of
//! several rounds. Run with `cargo bench -p conformance --bench scrub`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

use std::time::{Duration, Instant};

use base64::Engine;
use conformance::live::Secret;
use conformance::live::secret::Scrubber;

const ROUNDS: usize = 7;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(mut work: impl FnMut()) -> Duration {
    median(
        (0..ROUNDS)
            .map(|_| {
                let started = Instant::now();
                work();
                started.elapsed()
            })
            .collect(),
    )
}

fn build() -> Scrubber {
    let mut scrubber = Scrubber::new();
    scrubber.add("CRM_TOKEN", &Secret::new("crm-TOKEN-do-not-leak-7f3a9c"));
    scrubber.add(
        "LADIFLOW_API_KEY",
        &Secret::new("ladiflow-KEY-do-not-leak-51be20"),
    );
    scrubber
}

/// A JSON-ish body of `size` bytes; with `echoes`, a base64 `Bearer <token>` every 4 KiB.
fn body(size: usize, echoes: bool) -> Vec<u8> {
    let echo =
        base64::engine::general_purpose::STANDARD.encode("Bearer crm-TOKEN-do-not-leak-7f3a9c");
    let filler = r#"{"id": "271911966272026940869079307116515873576", "message": "טיקט נוצר בהצלחה", "status": "ok"}, "#;
    let mut out = Vec::with_capacity(size + 4096);
    while out.len() < size {
        if echoes && out.len() % 4096 < filler.len() {
            out.extend_from_slice(format!(r#"{{"token": "{echo}"}}, "#).as_bytes());
        }
        out.extend_from_slice(filler.as_bytes());
    }
    out
}

fn main() {
    let built = time(|| {
        std::hint::black_box(build());
    });
    println!(
        "build for 2 credentials: {} µs ({:?})",
        built.as_micros(),
        build()
    );
    let scrubber = build();
    for size in [1 << 20, 8 << 20] {
        for echoes in [false, true] {
            let input = body(size, echoes);
            let mut replaced = 0;
            let spent = time(|| {
                let out = scrubber.scrub_bytes(std::hint::black_box(&input));
                replaced = out.len();
            });
            let mib = input.len() as f64 / (1 << 20) as f64;
            println!(
                "scrub {:.0} MiB {}: {:.2} ms, {:.0} MiB/s{}",
                mib,
                if echoes {
                    "with an echo every 4 KiB"
                } else {
                    "without a credential"
                },
                spent.as_secs_f64() * 1e3,
                mib / spent.as_secs_f64(),
                if echoes {
                    format!(" ({} bytes out of {})", replaced, input.len())
                } else {
                    String::new()
                }
            );
        }
    }
}
