//! `cargo xtask conformance probe`: options, the environment, a fixtures file and a seed in,
//! the contradictions between a server and its docs out (same report formats as every
//! conformance command; exit 0 when every finding is known, 1 otherwise, 2 for usage errors).
//! Sends nothing to an endpoint that writes without `--allow-writes` (lists what it would send
//! and exits 2), nothing at all with `--dry-run` (lists the plan and exits 0). Lists the records
//! the server created at the end, for cleaning up.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use conformance::live::{
    self, Fixtures, LiveOptions, PlanError, RetryPolicy, Selection, resolve_targets,
    select_endpoints, services_of,
};
use conformance::probe::known::KnownProbeFindings;
use conformance::probe::{
    PROBE_KNOWN_FILE, ProbeError, ProbeOptions, ProbeOutcome, build_probe_plan,
};

use conformance::report::Timings;
use serde_json::json;

use super::report::{Extras, ReportArgs, emit_with};

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this service's endpoints (repeatable; default: every service).
    #[arg(long = "service", value_name = "SERVICE")]
    services: Vec<String>,
    /// Only this endpoint, as `service/endpoint` (repeatable; default: every endpoint).
    #[arg(long = "endpoint", value_name = "SERVICE/ENDPOINT")]
    endpoints: Vec<String>,
    /// Call a service here instead of its spec's base URL: `crm=http://127.0.0.1:8080`, or a
    /// bare URL for every service (repeatable).
    #[arg(long = "base-url", value_name = "[SERVICE=]URL")]
    base_urls: Vec<String>,
    /// Send requests to endpoints that write (they create records).
    #[arg(long)]
    allow_writes: bool,
    /// List every request the probe would send (credentials masked) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Values for this environment (real ids), by endpoint and JSON Pointer, as for `live`.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Seed of the generated requests: the same seed gives the same requests, byte for byte.
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// The most requests sent in the run.
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    max_requests: u64,
    /// The most requests sent per second.
    #[arg(long, value_name = "PER_SECOND", default_value_t = 5.0)]
    rate: f64,
    /// The longest one request may take, in seconds (redirects and body included).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Retries of a 429 or 503 answer (with backoff, honouring `Retry-After`).
    #[arg(long, value_name = "N", default_value_t = 3)]
    retries: u32,
    #[command(flatten)]
    report: ReportArgs,
}

/// Plans, then sends (or lists) the requests and prints the report.
pub(super) fn run(root: &Path, args: Args) -> Result<u8> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        eprintln!(
            "error: --timeout must be a number of seconds above 0 and at most 3600, found {}",
            args.timeout
        );
        return Ok(2);
    }
    if !(args.rate.is_finite() && args.rate > 0.0 && args.rate <= 10_000.0) {
        eprintln!(
            "error: --rate must be a number of requests per second above 0 and at most 10000, found {}",
            args.rate
        );
        return Ok(2);
    }
    let (sources, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let environment = |name: &str| std::env::var(name).ok();
    // Every message below is scrubbed of the credentials in the environment, in every spelling.
    let scrubber = live::target::environment_scrubber(&contracts, &environment);
    let refuse = |message: String| -> Result<u8> {
        eprintln!("{}", scrubber.scrub(&message));
        Ok(2)
    };
    let known = match sources.get(PROBE_KNOWN_FILE) {
        Some(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            match KnownProbeFindings::parse(PROBE_KNOWN_FILE, &text, &contracts.endpoint_keys()) {
                Ok(known) => known,
                Err(errors) => {
                    for error in &errors {
                        eprintln!("{error}");
                    }
                    eprintln!("error: {PROBE_KNOWN_FILE} has {} problem(s)", errors.len());
                    return Ok(2);
                }
            }
        }
        None => KnownProbeFindings::default(),
    };
    let selection = Selection {
        services: args.services.clone(),
        endpoints: args.endpoints.clone(),
    };
    let endpoint_keys = match select_endpoints(&contracts, &selection) {
        Ok(keys) => keys,
        Err(error) => return refuse(format!("error: {error}")),
    };
    let services = services_of(&endpoint_keys);
    let known_services: Vec<&str> = contracts
        .model
        .services
        .iter()
        .map(|service| service.id.as_str())
        .collect();
    let overrides =
        match live::target::parse_base_url_arguments(&args.base_urls, &services, &known_services) {
            Ok(overrides) => overrides,
            Err(error) => return refuse(format!("error: {error}")),
        };
    let fixtures = match &args.fixtures {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the fixtures file {}", path.display()))?;
            match Fixtures::parse(&path.display().to_string(), &text) {
                Ok(fixtures) => Some(fixtures),
                Err(errors) => {
                    eprintln!("{errors}");
                    eprintln!("error: the fixtures file has {} problem(s)", errors.0.len());
                    return Ok(2);
                }
            }
        }
        None => None,
    };
    let targets = match resolve_targets(&contracts, &services, &overrides, &environment) {
        Ok(targets) => targets,
        Err(error) => return refuse(format!("error: {error}")),
    };
    let plan = match build_probe_plan(
        &contracts,
        &sources,
        &endpoint_keys,
        targets,
        fixtures.as_ref(),
        args.seed,
    ) {
        Ok(plan) => plan,
        Err(PlanError::Fixtures(errors)) => {
            eprintln!("{errors}");
            eprintln!("error: the fixtures file has {} problem(s)", errors.0.len());
            return Ok(2);
        }
        Err(error) => return refuse(format!("error: {error}")),
    };
    if args.dry_run {
        print!("{}", plan.render());
        println!("dry run: nothing was sent");
        return Ok(0);
    }
    let options = ProbeOptions {
        allow_writes: args.allow_writes,
        max_requests: usize::try_from(args.max_requests).unwrap_or(usize::MAX),
        rate_per_second: args.rate,
        live: LiveOptions {
            timeout: Duration::from_secs_f64(args.timeout),
            latency_budget: None,
            retry: RetryPolicy {
                max_retries: args.retries,
                ..RetryPolicy::default()
            },
            ..LiveOptions::default()
        },
        progress: progress_bar(),
        ..ProbeOptions::default()
    };
    let started = Instant::now();
    let outcome = match conformance::probe::run(&contracts, &plan, &known, &options) {
        Ok(outcome) => outcome,
        Err(error @ ProbeError::WritesNotAllowed { .. }) => {
            return refuse(format!("error: {error}"));
        }
    };
    if let Some(progress) = &options.progress {
        // Clears the bar before the report.
        progress(usize::MAX, 0);
    }
    let elapsed = started.elapsed();
    let extras = Extras {
        human_suffix: Some(closing_note(&outcome, elapsed, plan.not_generated.len())),
        json_members: vec![(
            "probe",
            json!({
                "seed": plan.seed,
                "sent": outcome.sent,
                "not_sent": outcome.not_sent,
                "left_out": plan.not_generated.len(),
                "stopped": outcome.stopped,
                "created": outcome.created.iter().map(|record| json!({
                    "endpoint": record.endpoint,
                    "request": record.request,
                    "pointer": record.pointer,
                    "id": record.id,
                })).collect::<Vec<_>>(),
            }),
        )],
        ..Extras::default()
    };
    let timings = Timings {
        total: Some(elapsed),
        cases: Vec::new(),
    };
    emit_with(&outcome.report, &args.report, &timings, &|_| None, &extras)
}

/// What was sent, how long it took, why it stopped, and the records created.
fn closing_note(outcome: &ProbeOutcome, elapsed: Duration, left_out: usize) -> String {
    let mut note = format!(
        "probe: {} request{} sent in {:.1} s, {} not sent{}; {left_out} left out of the plan (see --dry-run)\n",
        outcome.sent,
        if outcome.sent == 1 { "" } else { "s" },
        elapsed.as_secs_f64(),
        outcome.not_sent,
        outcome
            .stopped
            .as_deref()
            .map(|why| format!(" ({why})"))
            .unwrap_or_default()
    );
    if outcome.created.is_empty() {
        note.push_str("records created: none found in the answers\n");
    } else {
        note.push_str(&format!(
            "records created ({}), to clean up:\n",
            outcome.created.len()
        ));
        for record in &outcome.created {
            note.push_str(&format!(
                "  {} {} (request {}, at {})\n",
                record.endpoint, record.id, record.request, record.pointer
            ));
        }
    }
    note
}

/// Requests sent of those planned, on standard error when it is a terminal (standard output
/// stays the report's). `(usize::MAX, _)` clears it.
fn progress_bar() -> Option<conformance::probe::ProbeProgress> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len} requests {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    Some(std::sync::Arc::new(move |sent, planned| {
        if sent == usize::MAX {
            bar.finish_and_clear();
        } else {
            bar.set_length(planned as u64);
            bar.set_position(sent as u64);
        }
    }))
}
