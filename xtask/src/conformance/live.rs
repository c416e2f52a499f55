//! `cargo xtask conformance live`: options, the environment and a fixtures file in, the live
//! report out (same formats and exit codes as the examples check). Sends nothing that writes
//! without `--allow-writes` (lists what it would send and exits 2), nothing at all with
//! `--dry-run` (shows each request, credentials masked, and exits 0). Missing environment
//! variables are reported by name before anything is sent (exit 2).

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use conformance::live::{
    self, Fixtures, LiveError, LiveOptions, PlanError, Progress, RetryPolicy, Selection,
    build_plan, resolve_targets, select_endpoints, services_of,
};

use super::report::{ReportArgs, emit};

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
    /// Send requests of endpoints whose effect is `write` (reads are sent without it).
    #[arg(long)]
    allow_writes: bool,
    /// Show each request (credentials masked) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// The longest one request may take, in seconds (redirects and body included).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// A slower response gets a `latency` warning; 0 turns the check off.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    latency_budget_ms: u64,
    /// Retries of a 429 or 503 answer (with backoff, honouring `Retry-After`).
    #[arg(long, value_name = "N", default_value_t = 3)]
    retries: u32,
    /// The most time spent waiting on retries per case, in seconds (default: the --timeout);
    /// a `Retry-After` asking for more than is left ends the retries, saying so.
    #[arg(long, value_name = "SECONDS")]
    retry_budget: Option<f64>,
    /// The most bytes read of one response body; a longer body is a `transport` finding.
    #[arg(long, value_name = "BYTES", default_value_t = conformance::bounds::MAX_PAYLOAD_BYTES)]
    max_response_bytes: u64,
    /// Values for this environment (real status and owner ids), by endpoint and JSON Pointer;
    /// `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Plans, then sends (or shows) the requests and prints the report.
pub(super) fn run(root: &Path, args: Args) -> Result<u8> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        eprintln!(
            "error: --timeout must be a number of seconds above 0 and at most 3600, found {}",
            args.timeout
        );
        return Ok(2);
    }
    let retry_budget = args.retry_budget.unwrap_or(args.timeout);
    if !(retry_budget.is_finite() && (0.0..=3600.0).contains(&retry_budget)) {
        eprintln!(
            "error: --retry-budget must be a number of seconds from 0 to 3600, found {retry_budget}"
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
            let text = if path.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("reading the fixtures file from standard input")?;
                text
            } else {
                std::fs::read_to_string(path)
                    .with_context(|| format!("reading the fixtures file {}", path.display()))?
            };
            match Fixtures::parse(&path.display().to_string(), &text) {
                Ok(fixtures) => Some(fixtures),
                Err(errors) => {
                    return refuse(format!(
                        "{errors}\nerror: the fixtures file has {}",
                        codegen::display_text::count(errors.0.len(), "problem", "problems")
                    ));
                }
            }
        }
        None => None,
    };
    let targets = match resolve_targets(&contracts, &services, &overrides, &environment) {
        Ok(targets) => targets,
        Err(error) => return refuse(format!("error: {error}")),
    };
    let plan = match build_plan(
        &contracts,
        &sources,
        &endpoint_keys,
        targets,
        fixtures.as_ref(),
    ) {
        Ok(plan) => plan,
        Err(PlanError::Fixtures(errors)) => {
            return refuse(format!(
                "{errors}\nerror: the fixtures file has {}",
                codegen::display_text::count(errors.0.len(), "problem", "problems")
            ));
        }
        Err(error) => return refuse(format!("error: {error}")),
    };
    if args.dry_run {
        print!("{}", plan.render(true));
        println!("dry run: nothing was sent");
        return Ok(0);
    }
    let options = LiveOptions {
        allow_writes: args.allow_writes,
        concurrency: usize::from(args.concurrency),
        timeout: Duration::from_secs_f64(args.timeout),
        latency_budget: (args.latency_budget_ms > 0)
            .then(|| Duration::from_millis(args.latency_budget_ms)),
        retry: RetryPolicy {
            max_retries: args.retries,
            wait_budget: Duration::from_secs_f64(retry_budget),
            ..RetryPolicy::default()
        },
        max_response_bytes: args.max_response_bytes,
        ..LiveOptions::default()
    };
    let bar = ProgressBar::new(std::io::stderr().is_terminal());
    let report = match live::run(&contracts, &plan, &options, &|progress| bar.show(progress)) {
        Ok(report) => report,
        Err(error @ LiveError::WritesNotAllowed { .. }) => {
            return refuse(format!("error: {error}"));
        }
    };
    bar.finish();
    emit(&report, &args.report)
}

/// A progress bar on standard error, drawn only when it is a terminal (indicatif hides it
/// otherwise); standard output stays the report's.
struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressBar {
    fn new(enabled: bool) -> ProgressBar {
        ProgressBar {
            bar: enabled.then(|| {
                let bar = indicatif::ProgressBar::with_draw_target(
                    None,
                    indicatif::ProgressDrawTarget::stderr(),
                );
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "[{bar:30}] {pos}/{len} {elapsed} {msg}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar
            }),
        }
    }

    fn show(&self, progress: Progress<'_>) {
        if let Some(bar) = &self.bar {
            bar.set_length(progress.total as u64);
            bar.set_position(progress.done as u64);
            bar.set_message(format!(
                "{} {}",
                codegen::display_text::escape_control_characters(&progress.case.endpoint_key()),
                progress.case.verdict()
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
