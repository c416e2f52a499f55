//! A probe plan in, a report of the contradictions between a server and its docs out: each
//! planned request (the page's examples, valid requests generated from the request contract,
//! and invalid ones breaking exactly one documented rule each) sent in order, at most `rate`
//! per second and at most `max_requests` in all, and each answer judged by `verdict`. Known
//! findings come from `spec/probe-known.yaml`. Records the server created are listed (ids from
//! the responses) so they can be cleaned up.
//!
//! Safety, as for live runs: nothing is sent to an endpoint that writes without
//! [`ProbeOptions::allow_writes`] (the run is refused, listing what it would send); after
//! repeated 5XX answers the probe backs off, then stops; credentials are `Secret`s and every
//! text from the server is scrubbed before it reaches a finding.
//!
//! Modules: `generate` (seeded requests from a request contract), `limits` (requests on and past every
//! limit), `bounds` (values on and past a limit, exact), `plan` (requests checked
//! against the contract, the plan), `verdict` (one answer judged), `known` (known findings).

pub mod bounds;
pub mod generate;
pub mod known;
pub mod limits;
pub mod plan;
pub mod verdict;

use std::time::{Duration, Instant};

use codegen::model::Direction;
use serde_json::Value;

use crate::case::{Case, CaseSource, Report};
use crate::contract::Contracts;
use crate::finding::{Finding, Known, Rule};
use crate::live::LiveOptions;
use crate::live::client::{self, Client, Outcome};
use crate::probe::known::KnownProbeFindings;
use crate::probe::plan::{Effect, ProbePlan, ProbeRequest};

pub use generate::{Expectation, GeneratedRequest, SeededRandom, generate};
pub use known::{KnownFileError, PROBE_KNOWN_FILE};
pub use plan::{NotGenerated, build_probe_plan, endpoint_effect};

/// How a probe sends.
#[derive(Clone)]
pub struct ProbeOptions {
    /// Whether requests to endpoints that write may be sent.
    pub allow_writes: bool,
    /// The most requests sent in the run.
    pub max_requests: usize,
    /// The most requests sent per second.
    pub rate_per_second: f64,
    /// 5XX answers in a row after which the probe stops.
    pub server_errors_before_stop: u32,
    /// Wait after a 5XX answer, doubled for each one in a row.
    pub server_error_backoff: Duration,
    /// Timeouts, retries of 429 and 503, redirects, proxies: as for live runs.
    pub live: LiveOptions,
    /// Called after each request with how many were sent and how many are planned (a progress
    /// bar on a terminal); told nothing of what was sent or answered.
    pub progress: Option<ProbeProgress>,
}

/// `(sent, planned)` after each request.
pub type ProbeProgress = std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>;

impl std::fmt::Debug for ProbeOptions {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ProbeOptions")
            .field("allow_writes", &self.allow_writes)
            .field("max_requests", &self.max_requests)
            .field("rate_per_second", &self.rate_per_second)
            .field("server_errors_before_stop", &self.server_errors_before_stop)
            .field("server_error_backoff", &self.server_error_backoff)
            .field("live", &self.live)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            allow_writes: false,
            max_requests: 500,
            rate_per_second: 5.0,
            server_errors_before_stop: 3,
            server_error_backoff: Duration::from_secs(2),
            live: LiveOptions::default(),
            progress: None,
        }
    }
}

/// Why a probe sent nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// The plan holds requests to endpoints that write and writes were not allowed.
    #[error(
        "refusing to send {} request{} to endpoints that write: nothing was sent; pass --allow-writes to send them, or --dry-run to see them in full:\n{}",
        .requests.len(),
        if .requests.len() == 1 { "" } else { "s" },
        .requests.iter().map(|line| format!("  {line}")).collect::<Vec<_>>().join("\n")
    )]
    WritesNotAllowed {
        /// `POST https://…/v2/leads/create (crm/leads.create required-missing/f_name)`.
        requests: Vec<String>,
    },
}

/// A record the server created in answer to a probe request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedRecord {
    /// `service/endpoint`.
    pub endpoint: String,
    /// The probe request's id.
    pub request: String,
    /// Where the id is in the answer (`/data/_id`).
    pub pointer: String,
    /// The id's exact text.
    pub id: String,
}

/// What a probe did.
#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    /// One case per request sent.
    pub report: Report,
    /// Requests sent.
    pub sent: usize,
    /// Requests planned but not sent (budget reached, or stopped after 5XX answers).
    pub not_sent: usize,
    /// Why the run stopped before its end, when it did.
    pub stopped: Option<String>,
    /// Records the server created.
    pub created: Vec<CreatedRecord>,
}

/// Where answers carry the id of a created record.
const CREATED_ID_POINTERS: [&str; 4] = ["/_id", "/id", "/data/_id", "/data/id"];

/// Sends the plan's requests in order and judges every answer.
pub fn run(
    contracts: &Contracts,
    plan: &ProbePlan,
    known: &KnownProbeFindings,
    options: &ProbeOptions,
) -> Result<ProbeOutcome, ProbeError> {
    let writing = plan.writing_requests();
    if !options.allow_writes && !writing.is_empty() {
        return Err(ProbeError::WritesNotAllowed {
            requests: writing
                .iter()
                .map(|request| {
                    format!(
                        "{} {} ({} {})",
                        request.method.as_str(),
                        request.url,
                        request.endpoint_key(),
                        request.id
                    )
                })
                .collect(),
        });
    }
    let every_target_local = plan
        .targets
        .iter()
        .all(|target| client::is_loopback(&target.base_url));
    let client = Client::new(
        &options.live,
        options.live.proxy_from_environment && !every_target_local,
    );
    let scrubber = plan.scrubber();
    let interval = if options.rate_per_second > 0.0 && options.rate_per_second.is_finite() {
        Duration::from_secs_f64(1.0 / options.rate_per_second)
    } else {
        Duration::ZERO
    };
    let mut cases = Vec::new();
    let mut created = Vec::new();
    let mut server_errors_in_a_row = 0u32;
    let mut stopped = None;
    let mut last_sent: Option<Instant> = None;
    let mut sent = 0usize;
    for request in &plan.requests {
        if sent >= options.max_requests {
            stopped = Some(format!(
                "the request budget of {} (--max-requests) was reached",
                options.max_requests
            ));
            break;
        }
        if server_errors_in_a_row >= options.server_errors_before_stop {
            stopped = Some(format!(
                "stopped after {server_errors_in_a_row} answers in a row with a 5XX status: the server is failing"
            ));
            break;
        }
        if let Some(last) = last_sent {
            let since = last.elapsed();
            if since < interval {
                std::thread::sleep(interval - since);
            }
        }
        last_sent = Some(Instant::now());
        sent += 1;
        let case = probe_one(contracts, plan, request, &client, &scrubber, known);
        if let Some(progress) = &options.progress {
            progress(sent, plan.requests.len().min(options.max_requests));
        }
        if case.1.is_some_and(|status| status >= 500) {
            server_errors_in_a_row += 1;
            if server_errors_in_a_row < options.server_errors_before_stop {
                let backoff = options
                    .server_error_backoff
                    .saturating_mul(1 << (server_errors_in_a_row - 1).min(8));
                std::thread::sleep(backoff);
            }
        } else {
            server_errors_in_a_row = 0;
        }
        if let Some(answer) = &case.2
            && request.effect == Effect::Write
        {
            created.extend(created_records(request, answer));
        }
        cases.push(case.0);
    }
    let not_sent = plan.requests.len() - sent;
    Ok(ProbeOutcome {
        report: Report { cases },
        sent,
        not_sent,
        stopped,
        created,
    })
}

/// The case of one request, the status answered, and the answer's JSON when it was a success.
fn probe_one(
    contracts: &Contracts,
    plan: &ProbePlan,
    request: &ProbeRequest,
    client: &Client,
    scrubber: &crate::live::secret::Scrubber,
    known: &KnownProbeFindings,
) -> (Case, Option<u16>, Option<Value>) {
    let endpoint = contracts.endpoint(&request.endpoint_key());
    let mut case = Case {
        service: request.service.clone(),
        endpoint: request.endpoint.clone(),
        direction: Direction::Response,
        source: CaseSource::Probe {
            request: request.id.clone(),
            url: scrubber.scrub(&request.url),
        },
        spec_path: endpoint
            .map(|(_, endpoint)| endpoint.spec_path.clone())
            .unwrap_or_default(),
        findings: Vec::new(),
        vanished: Vec::new(),
        latency_ms: None,
    };
    let Some(target) = plan.target(&request.service) else {
        case.findings.push(Finding::error(
            "",
            Rule::Transport,
            format!(
                "not sent: no base URL or credential for service `{}`",
                request.service
            ),
        ));
        return (case, None, None);
    };
    let curl = plan.curl_line(request);
    let mut status = None;
    let mut success_body = None;
    match client.send(&request.as_planned(), target, scrubber) {
        Outcome::Failed { message, latency } => {
            case.latency_ms = Some(millis(latency));
            case.findings.push(Finding::error(
                "",
                Rule::Transport,
                format!("{message}; replay: {curl}"),
            ));
        }
        Outcome::Answered(answer) => {
            case.latency_ms = Some(millis(answer.latency));
            status = Some(answer.status);
            if answer.status / 100 == 2 {
                success_body = serde_json::from_slice(&answer.body).ok();
            }
            if let Some((_, endpoint)) = endpoint {
                let contract =
                    contracts.body(&request.service, &request.endpoint, Direction::Response);
                case.findings = verdict::judge(endpoint, contract, request, &curl, &answer);
            }
        }
    }
    for finding in &mut case.findings {
        finding.message = scrubber.scrub(&finding.message);
        if let Some(value) = &mut finding.value {
            *value = scrubber.scrub(value);
        }
    }
    case.vanished = apply_known(
        &mut case.findings,
        &known.for_request(&request.endpoint_key(), &request.id),
    );
    (case, status, success_body)
}

/// Marks findings a known entry of the same rule covers; returns the entries nothing matched.
fn apply_known(
    findings: &mut [Finding],
    known: &[codegen::model::KnownDiscrepancy],
) -> Vec<codegen::model::KnownDiscrepancy> {
    let mut matched = vec![false; known.len()];
    for finding in findings.iter_mut() {
        if let Some(index) = known.iter().position(|entry| entry.rule == finding.rule) {
            matched[index] = true;
            finding.known = Some(Known {
                reason: known[index].reason.clone(),
                location: known[index].location.clone(),
            });
        }
    }
    known
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(entry, _)| entry.clone())
        .collect()
}

fn created_records(request: &ProbeRequest, answer: &Value) -> Vec<CreatedRecord> {
    CREATED_ID_POINTERS
        .iter()
        .filter_map(|pointer| {
            let id = match answer.pointer(pointer)? {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => return None,
            };
            Some(CreatedRecord {
                endpoint: request.endpoint_key(),
                request: request.id.clone(),
                pointer: (*pointer).to_owned(),
                id,
            })
        })
        .collect()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
