//! A plan (requests built from the spec examples and a fixtures file, targets with credentials)
//! in, a report out: each request sent to the real API (or a stand-in) on a bounded pool of
//! worker threads, and each response judged like any other payload: the status against the
//! spec (a code or a class), the content type, the body as exact JSON against the response
//! contract, unlisted fields (warnings), and the latency against a budget (a warning).
//!
//! Safety: nothing that writes is sent without [`LiveOptions::allow_writes`]; a request the
//! request schema refuses is never sent (it becomes an `invalid-request` finding listing every
//! pointer to fix in the fixtures file). Faults (refused connections, timeouts, HTML error
//! pages, truncated JSON, slow servers) each become a finding for that case, and the other
//! cases still run. 429 and 503 are retried with backoff, honouring `Retry-After`, within a
//! budget of time spent waiting per case (`retry`).
//!
//! Secrets: credentials are [`secret::Secret`]s, which print masked; every status line, header,
//! body and error text is scrubbed of them before it can reach a finding, and the finished
//! report is scrubbed once more. Redirects are followed here (bounded); the credential header
//! only goes to the origin the request was meant for. A case's URL never carries a credential.
//!
//! Modules: `target` (base URLs and credentials from the environment), `fixtures` (the
//! fixtures file), `plan` (the requests), `client` (one exchange: redirects, retries, faults),
//! `retry` (the retry policy), `secret` (masking and scrubbing).

pub mod client;
pub mod fixtures;
pub mod plan;
pub mod retry;
pub mod secret;
pub mod spellings;
pub mod target;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use codegen::model::Direction;

use crate::case::{Case, CaseSource, Report};
use crate::contract::Contracts;
use crate::exchange::{ResponseParts, check_response};
use crate::finding::{Finding, Rule, Severity};
use crate::live::client::{Answer, Client, Outcome};
use crate::live::plan::{Plan, PlannedRequest};
use crate::live::secret::Scrubber;

pub use fixtures::{FixtureError, FixtureErrors, Fixtures};
pub use plan::{PlanError, Selection, build_plan, select_endpoints, services_of};
pub use retry::{DEFAULT_RETRY_BUDGET, RetryDecision, RetryPolicy};
pub use secret::Secret;
pub use target::{ServiceTarget, TargetError, resolve_targets};

/// How a live run sends and judges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveOptions {
    /// Whether requests of endpoints whose effect is `write` may be sent (reads always may).
    /// Without it, a plan holding any is refused and nothing is sent.
    pub allow_writes: bool,
    /// Requests in flight at once (worker threads).
    pub concurrency: usize,
    /// The longest one request may take, redirects and body included.
    pub timeout: Duration,
    /// A response slower than this gets a `latency` warning; `None`: no budget.
    pub latency_budget: Option<Duration>,
    /// Retrying 429 and 503.
    pub retry: RetryPolicy,
    /// Redirects followed per request.
    pub max_redirects: u32,
    /// The most body bytes read from one response.
    pub max_response_bytes: u64,
    /// Whether `HTTP(S)_PROXY` / `ALL_PROXY` (and `NO_PROXY`) are honoured; they never are
    /// when every target is on this machine.
    pub proxy_from_environment: bool,
    /// Whether responses are judged (off only to measure the checker's own cost).
    pub check_responses: bool,
}

/// Default timeout per request.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default latency budget.
pub(crate) const DEFAULT_LATENCY_BUDGET: Duration = Duration::from_secs(5);

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            allow_writes: false,
            concurrency: 4,
            timeout: DEFAULT_TIMEOUT,
            latency_budget: Some(DEFAULT_LATENCY_BUDGET),
            retry: RetryPolicy::default(),
            max_redirects: 5,
            max_response_bytes: crate::bounds::MAX_PAYLOAD_BYTES,
            proxy_from_environment: true,
            check_responses: true,
        }
    }
}

/// Why a run sent nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// The plan holds requests that write and writes were not allowed.
    #[error(
        "refusing to send {} request{} that write{} (endpoints whose effect is `write`; reads are sent without it): nothing was sent; pass --allow-writes to send them, or --dry-run to see them in full:\n{}",
        .requests.len(),
        if .requests.len() == 1 { "" } else { "s" },
        if .requests.len() == 1 { "s" } else { "" },
        .requests.iter().map(|line| format!("  {line}")).collect::<Vec<_>>().join("\n")
    )]
    WritesNotAllowed {
        /// `POST https://…/v2/accounts/create (crm/accounts.create)`, one per request.
        requests: Vec<String>,
    },
}

/// One case finished.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Cases finished so far, this one included.
    pub done: usize,
    /// Cases in the run.
    pub total: usize,
    /// The case just finished.
    pub case: &'a Case,
}

/// Sends every valid request of `plan` and judges every response; invalid requests become
/// `invalid-request` cases without being sent. Cases come back in plan order. `progress` is
/// called (from worker threads) as each case finishes.
pub fn run(
    contracts: &Contracts,
    plan: &Plan,
    options: &LiveOptions,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Report, LiveError> {
    let writing = plan.writing_requests();
    if !options.allow_writes && !writing.is_empty() {
        return Err(LiveError::WritesNotAllowed {
            requests: writing
                .iter()
                .map(|request| {
                    format!(
                        "{} {} ({})",
                        request.method.as_str(),
                        request.url,
                        request.endpoint_key()
                    )
                })
                .collect(),
        });
    }
    // A stand-in on this machine is never reached through a proxy.
    let every_target_local = plan
        .targets
        .iter()
        .all(|target| client::is_loopback(&target.base_url));
    let client = Client::new(
        options,
        options.proxy_from_environment && !every_target_local,
    );
    let scrubber = plan.scrubber();
    let total = plan.requests.len();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Case>>> = Mutex::new(vec![None; total]);
    let workers = options.concurrency.clamp(1, total.max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(request) = plan.requests.get(index) else {
                        break;
                    };
                    // A defect in the checker costs its own case, never the run.
                    let case = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_one(contracts, plan, request, &client, &scrubber, options)
                    }))
                    .unwrap_or_else(|_| checker_defect_case(contracts, request));
                    // Scrubbed once more before anyone sees it, the progress callback included.
                    let case = scrub_case(case, &scrubber);
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(Progress {
                        done: finished,
                        total,
                        case: &case,
                    });
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(case);
                    }
                }
            });
        }
    });
    let cases = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .flatten()
        .collect();
    Ok(Report { cases })
}

fn run_one(
    contracts: &Contracts,
    plan: &Plan,
    request: &PlannedRequest,
    client: &Client,
    scrubber: &Scrubber,
    options: &LiveOptions,
) -> Case {
    let spec_path = contracts
        .endpoint(&request.endpoint_key())
        .map(|(_, endpoint)| endpoint.spec_path.clone())
        .unwrap_or_default();
    let mut case = Case {
        service: request.service.clone(),
        endpoint: request.endpoint.clone(),
        direction: Direction::Response,
        source: CaseSource::Live {
            url: request.url.clone(),
        },
        spec_path,
        findings: Vec::new(),
        vanished: Vec::new(),
        latency_ms: None,
    };
    if !request.is_valid() {
        case.direction = Direction::Request;
        case.findings.push(request.invalid_request_finding());
        return case;
    }
    let Some(target) = plan.target(&request.service) else {
        case.findings.push(Finding::error(
            "",
            Rule::Transport,
            format!(
                "not sent: no base URL or credential for service `{}`",
                request.service
            ),
        ));
        return case;
    };
    match client.send(request, target, scrubber) {
        Outcome::Failed { message, latency } => {
            case.latency_ms = Some(millis(latency));
            case.findings
                .push(Finding::error("", Rule::Transport, message));
        }
        Outcome::Answered(answer) => {
            case.latency_ms = Some(millis(answer.latency));
            if options.check_responses {
                case.findings = judge(
                    contracts,
                    request,
                    &target.credential.environment_variable,
                    &answer,
                );
                if let Some(budget) = options.latency_budget
                    && answer.latency > budget
                {
                    let mut finding = Finding::error(
                        "",
                        Rule::Latency,
                        format!(
                            "answered in {} ms, over the latency budget of {} ms (--latency-budget-ms)",
                            millis(answer.latency),
                            millis(budget)
                        ),
                    );
                    finding.severity = Severity::Warning;
                    case.findings.push(finding);
                }
            }
        }
    }
    case
}

/// The findings of one answered exchange.
fn judge(
    contracts: &Contracts,
    request: &PlannedRequest,
    credential_variable: &str,
    answer: &Answer,
) -> Vec<Finding> {
    let Some((_, endpoint)) = contracts.endpoint(&request.endpoint_key()) else {
        return Vec::new();
    };
    let Some(contract) = contracts.body(&request.service, &request.endpoint, Direction::Response)
    else {
        return Vec::new();
    };
    let parts = ResponseParts {
        status: answer.status,
        content_type: answer.content_type.as_deref(),
        body: &answer.body,
    };
    let mut findings = check_response(endpoint, contract, parts);
    if let Some(problem) = &answer.body_problem {
        // An incomplete body says nothing about the contract: keep what the status says and
        // report why the rest is missing.
        findings.retain(|finding| finding.rule == Rule::Status);
        findings.push(Finding::error("", Rule::Transport, problem.clone()));
    }
    for finding in findings
        .iter_mut()
        .filter(|finding| finding.rule == Rule::Status)
    {
        if matches!(answer.status, 401 | 403) {
            finding
                .message
                .push_str(&format!("; the credential came from {credential_variable}"));
        }
        if let Some(note) = &answer.retry_note {
            finding.message.push_str(&format!("; {note}"));
        }
    }
    findings
}

/// The case of a request whose checking panicked (a defect of this tool, not of the API).
fn checker_defect_case(contracts: &Contracts, request: &PlannedRequest) -> Case {
    Case {
        service: request.service.clone(),
        endpoint: request.endpoint.clone(),
        direction: Direction::Response,
        source: CaseSource::Live {
            url: request.url.clone(),
        },
        spec_path: contracts
            .endpoint(&request.endpoint_key())
            .map(|(_, endpoint)| endpoint.spec_path.clone())
            .unwrap_or_default(),
        findings: vec![Finding::error(
            "",
            Rule::Transport,
            "the checker failed on this exchange (a defect of this tool, please report it); the other cases ran",
        )],
        vanished: Vec::new(),
        latency_ms: None,
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The case with every secret scrubbed from every text it carries, once more.
fn scrub_case(mut case: Case, scrubber: &Scrubber) -> Case {
    if let CaseSource::Live { url } = &mut case.source {
        *url = scrubber.scrub(url);
    }
    for finding in &mut case.findings {
        finding.pointer = scrubber.scrub(&finding.pointer);
        finding.message = scrubber.scrub(&finding.message);
        if let Some(value) = &mut finding.value {
            *value = scrubber.scrub(value);
        }
    }
    case
}
