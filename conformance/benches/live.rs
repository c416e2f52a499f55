//! Live-run overhead, printed: 1,000 requests (the five endpoints' example requests, made valid
//! by the test fixtures, 200 times over) sent to the local mock at concurrency 32, once judged
//! (status, media type, body against the response contract, latency) and once sent without
//! judging; several rounds each, alternating, medians reported, plus the checker's own time per
//! response measured alone. Run with `cargo bench -p conformance --bench live`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../xtask/src/spec_dir.rs"]
mod spec_dir;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use codegen::model::Direction;
use conformance::Contracts;
use conformance::exchange::{ResponseParts, check_response};
use conformance::live::{self, Fixtures, LiveOptions, Selection};
use conformance::mock::{MockOptions, serve};

const REQUESTS: usize = 1_000;
const CONCURRENCY: usize = 32;
const ROUNDS: usize = 5;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let contracts =
        Arc::new(Contracts::for_generated_crate(model).expect("generated/ matches the specs"));
    let fixtures = Fixtures::parse(
        "tests/it/live/mock-fixtures.yaml",
        include_str!("../tests/it/live/mock-fixtures.yaml"),
    )
    .expect("the fixtures parse");

    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let mock = serve(
        Arc::clone(&contracts),
        &sources,
        listener,
        MockOptions::default(),
    )
    .expect("the mock starts");

    let keys = live::select_endpoints(&contracts, &Selection::default()).expect("every endpoint");
    let services = live::services_of(&keys);
    let base_urls = services
        .iter()
        .map(|service| (service.clone(), mock.base_url()))
        .collect();
    let environment = |name: &str| match name {
        "CRM_TOKEN" => Some("bench-token".to_owned()),
        "LADIFLOW_API_KEY" => Some("bench-key".to_owned()),
        _ => None,
    };
    let targets = live::resolve_targets(&contracts, &services, &base_urls, &environment)
        .expect("credentials set");
    let mut plan = live::build_plan(&contracts, &sources, &keys, targets, Some(&fixtures))
        .expect("the plan builds");
    let one_round = plan.requests.clone();
    plan.requests = one_round.iter().cycle().take(REQUESTS).cloned().collect();

    let options = |check_responses: bool| LiveOptions {
        allow_writes: true,
        concurrency: CONCURRENCY,
        timeout: Duration::from_secs(30),
        latency_budget: None,
        proxy_from_environment: false,
        check_responses,
        ..LiveOptions::default()
    };
    let run = |check_responses: bool| -> Duration {
        let started = Instant::now();
        let report = live::run(&contracts, &plan, &options(check_responses), &|_| {})
            .expect("writes allowed");
        let elapsed = started.elapsed();
        assert_eq!(report.cases.len(), REQUESTS);
        if check_responses {
            assert_eq!(report.exit_code(), 0, "every answer of the mock conforms");
        }
        elapsed
    };

    // Warm-up: connections, caches, lazy schema state.
    run(true);
    run(false);
    let mut judged = Vec::new();
    let mut unjudged = Vec::new();
    for _ in 0..ROUNDS {
        judged.push(run(true));
        unjudged.push(run(false));
    }
    let judged = median(&mut judged);
    let unjudged = median(&mut unjudged);

    println!(
        "live run: {REQUESTS} requests to the local mock at concurrency {CONCURRENCY}, median of {ROUNDS} rounds"
    );
    report_line("sent and judged", judged);
    report_line("sent, not judged", unjudged);
    let overhead = judged.as_secs_f64() - unjudged.as_secs_f64();
    println!(
        "  judging overhead           {:>8.1} ms in all, {:>6.1} µs per request ({:+.1}%)",
        overhead * 1e3,
        overhead * 1e6 / REQUESTS as f64,
        overhead / unjudged.as_secs_f64() * 100.0
    );

    // The checker alone, on one thread: each endpoint's answer from the mock, judged.
    let answers: Vec<(String, u16, Vec<u8>)> = one_round
        .iter()
        .map(|request| {
            let mut http = ureq::http::Request::builder()
                .method(request.method.as_str())
                .uri(&request.url)
                .header("content-type", "application/json");
            http = match request.service.as_str() {
                "crm" => http.header("authorization", "Bearer bench-token"),
                _ => http.header("api-key", "bench-key"),
            };
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .proxy(None)
                .build()
                .into();
            let mut response = agent
                .run(
                    http.body(request.body.clone().unwrap_or_default())
                        .expect("the request builds"),
                )
                .expect("the mock answers");
            let status = response.status().as_u16();
            let body = response.body_mut().read_to_vec().expect("the body arrives");
            (request.endpoint_key(), status, body)
        })
        .collect();
    let repetitions = 2_000;
    let started = Instant::now();
    let mut findings = 0;
    for _ in 0..repetitions {
        for (key, status, body) in &answers {
            let (service, endpoint) = contracts.endpoint(key).expect("the endpoint exists");
            let contract = contracts
                .body(&service.id, &endpoint.id, Direction::Response)
                .expect("a response contract");
            findings += check_response(
                endpoint,
                contract,
                ResponseParts {
                    status: *status,
                    content_type: Some("application/json"),
                    body,
                },
            )
            .len();
        }
    }
    let per_response = started.elapsed() / (repetitions * answers.len()) as u32;
    assert_eq!(findings, 0);
    println!(
        "  checker alone, one thread  {:>8.1} µs per response (the five endpoints' answers, {} times each)",
        per_response.as_secs_f64() * 1e6,
        repetitions
    );
    mock.stop().expect("the mock stops");
}

fn median(durations: &mut [Duration]) -> Duration {
    durations.sort();
    durations[durations.len() / 2]
}

fn report_line(label: &str, elapsed: Duration) {
    println!(
        "  {label:<26} {:>8.1} ms, {:>7.0} requests/s, {:>6.1} µs per request",
        elapsed.as_secs_f64() * 1e3,
        REQUESTS as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / REQUESTS as f64
    );
}
