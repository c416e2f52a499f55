//! `cargo xtask conformance live`: options, the environment and a fixtures file in, the live
//! report out (same formats and exit codes as the examples check). Sends nothing that writes
//! without `--allow-writes` (lists what it would send and exits 2), nothing at all with
//! `--dry-run` (shows each request, credentials masked, and exits 0). Missing environment
//! variables are reported by name before anything is sent (exit 2).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result};
use conformance::live::{
    self, Fixtures, LiveError, LiveOptions, PlanError, Progress, RetryPolicy, Selection,
    build_plan, resolve_targets, select_endpoints, services_of,
};

use super::report::{ReportArgs, emit};

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {
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
    /// Send requests that write (every endpoint here creates records).
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
    /// Values for this environment (real status and owner ids), by endpoint and JSON Pointer.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Plans, then sends (or shows) the requests and prints the report.
pub fn run(root: &Path, args: Args) -> Result<u8> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        eprintln!(
            "error: --timeout must be a number of seconds above 0 and at most 3600, found {}",
            args.timeout
        );
        return Ok(2);
    }
    let (sources, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let selection = Selection {
        services: args.services.clone(),
        endpoints: args.endpoints.clone(),
    };
    let endpoint_keys = match select_endpoints(&contracts, &selection) {
        Ok(keys) => keys,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(2);
        }
    };
    let services = services_of(&endpoint_keys);
    let overrides = match base_url_overrides(&args.base_urls, &services) {
        Ok(overrides) => overrides,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(2);
        }
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
    let environment = |name: &str| std::env::var(name).ok();
    let targets = match resolve_targets(&contracts, &services, &overrides, &environment) {
        Ok(targets) => targets,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(2);
        }
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
            eprintln!("{errors}");
            eprintln!("error: the fixtures file has {} problem(s)", errors.0.len());
            return Ok(2);
        }
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(2);
        }
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
            ..RetryPolicy::default()
        },
        ..LiveOptions::default()
    };
    let bar = ProgressBar::new(std::io::stderr().is_terminal());
    let report = match live::run(&contracts, &plan, &options, &|progress| bar.show(progress)) {
        Ok(report) => report,
        Err(error @ LiveError::WritesNotAllowed { .. }) => {
            eprintln!("error: {error}");
            return Ok(2);
        }
    };
    bar.finish();
    emit(&report, &args.report)
}

/// `crm=URL` pairs, or a bare URL for every service of the run.
pub(super) fn base_url_overrides(
    given: &[String],
    services: &[String],
) -> Result<BTreeMap<String, String>, String> {
    let mut overrides = BTreeMap::new();
    for text in given {
        if text.starts_with("http://") || text.starts_with("https://") {
            for service in services {
                overrides.insert(service.clone(), text.clone());
            }
            continue;
        }
        let Some((service, url)) = text.split_once('=') else {
            return Err(format!(
                "--base-url takes `SERVICE=URL` (like `crm=http://127.0.0.1:8080`) or a URL for every service, found `{}`",
                conformance::live::target::mask_user_information(text)
            ));
        };
        overrides.insert(service.to_owned(), url.to_owned());
    }
    Ok(overrides)
}

/// A one-line progress bar on standard error, drawn only on a terminal.
struct ProgressBar {
    enabled: bool,
    drawn: Mutex<bool>,
}

impl ProgressBar {
    fn new(enabled: bool) -> ProgressBar {
        ProgressBar {
            enabled,
            drawn: Mutex::new(false),
        }
    }

    fn show(&self, progress: Progress<'_>) {
        if !self.enabled {
            return;
        }
        const WIDTH: usize = 30;
        let filled = WIDTH * progress.done / progress.total.max(1);
        let line = format!(
            "[{}{}] {}/{} {} {}",
            "=".repeat(filled),
            " ".repeat(WIDTH - filled),
            progress.done,
            progress.total,
            progress.case.endpoint_key(),
            progress.case.verdict()
        );
        if let Ok(mut drawn) = self.drawn.lock() {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K{line}");
            let _ = stderr.flush();
            *drawn = true;
        }
    }

    fn finish(&self) {
        if let Ok(drawn) = self.drawn.lock()
            && *drawn
        {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
