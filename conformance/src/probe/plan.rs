//! The contracts, the spec examples, the targets, a fixtures file and a seed in, the probe's
//! plan out: for every selected endpoint, the page's examples (with the fixtures' real values)
//! and the generated requests, each checked against the compiled request contract so that a
//! valid one really is valid and an invalid one breaks exactly the one rule it claims. A
//! request that is not what it claims is a generator mistake: it is never sent, and the plan
//! lists it. Also renders the plan (`--dry-run`) and each request as a curl-like line, secrets
//! masked.

use std::fmt::Write;

use codegen::SourceLocation;
use codegen::SpecSources;
pub use codegen::model::Effect;
use codegen::model::{Direction, Endpoint, Method};
use serde_json::Value;

use crate::check::check_value;
use crate::contract::Contracts;
use crate::finding::{Finding, Rule, Severity};
use crate::live::fixtures::Fixtures;
use crate::live::plan::{PlanError, PlannedRequest, build_plan};
use crate::live::secret::Scrubber;
use crate::live::target::ServiceTarget;
use crate::probe::generate::{Expectation, generate};

/// The effect of calling `endpoint`: the spec's `effect` (by default from the method: GET
/// reads, every other method writes). The one place the probe decides what it may send.
pub fn endpoint_effect(endpoint: &Endpoint) -> Effect {
    endpoint.effect
}

/// One request the probe would send.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeRequest {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// Stable id within the endpoint (`example/page`, `required-missing/f_name`).
    pub id: String,
    /// What it tries, in words.
    pub what: String,
    /// HTTP method.
    pub method: Method,
    /// Full URL; never carries a credential.
    pub url: String,
    /// The body's media type.
    pub content_type: String,
    /// Headers the page's table requires besides the credential and `Content-Type`, with the
    /// fixtures' values (as for live runs).
    pub headers: Vec<(String, String)>,
    /// The exact bytes sent, for endpoints that take a body.
    pub body: Option<Vec<u8>>,
    /// Valid, or the one rule it breaks.
    pub expectation: Expectation,
    /// Where the spec states the rule the request tests (the field's line for an invalid
    /// request, the body's for a valid one).
    pub rule_location: Option<SourceLocation>,
    /// Whether the endpoint writes.
    pub effect: Effect,
}

impl ProbeRequest {
    /// `crm/leads.create`.
    pub fn endpoint_key(&self) -> String {
        format!("{}/{}", self.service, self.endpoint)
    }

    /// The request as the live client sends it.
    pub(crate) fn as_planned(&self) -> PlannedRequest {
        PlannedRequest {
            service: self.service.clone(),
            endpoint: self.endpoint.clone(),
            example: self.id.clone(),
            method: self.method,
            url: self.url.clone(),
            effect: self.effect,
            headers: self.headers.clone(),
            content_type: self.content_type.clone(),
            body: self.body.clone(),
            fixtures_applied: false,
            request_findings: Vec::new(),
        }
    }

    /// `expects 2XX` or `expects 4XX (breaks required at /f_name)`.
    pub(crate) fn describe_expectation(&self) -> String {
        match &self.expectation {
            Expectation::Valid => "valid, expects success".to_owned(),
            Expectation::Invalid { rule, pointer } => format!(
                "breaks `{}` at {}, expects 4XX",
                rule.as_str(),
                if pointer.is_empty() {
                    "(body)"
                } else {
                    pointer
                }
            ),
        }
    }
}

/// A request the probe did not send because it is not what it claims to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotGenerated {
    /// `service/endpoint`.
    pub endpoint: String,
    /// The request's id.
    pub id: String,
    /// Why, in words.
    pub reason: String,
}

/// Every request a probe would send, and where each service is.
#[derive(Debug, Clone)]
pub struct ProbePlan {
    /// The requests, by endpoint in spec order: examples, valid, then invalid ones.
    pub requests: Vec<ProbeRequest>,
    /// Requests left out: examples the request schema refuses, generator mistakes.
    pub not_generated: Vec<NotGenerated>,
    /// The services called.
    pub targets: Vec<ServiceTarget>,
    /// The seed the requests were generated with.
    pub seed: u64,
}

/// Builds the probe plan of every endpoint in `endpoint_keys`.
pub fn build_probe_plan(
    contracts: &Contracts,
    sources: &SpecSources,
    endpoint_keys: &[String],
    targets: Vec<ServiceTarget>,
    fixtures: Option<&Fixtures>,
    seed: u64,
) -> Result<ProbePlan, PlanError> {
    let examples = build_plan(contracts, sources, endpoint_keys, targets, fixtures)?;
    let mut requests = Vec::new();
    let mut not_generated = Vec::new();
    for key in endpoint_keys {
        let Some((service, endpoint)) = contracts.endpoint(key) else {
            continue;
        };
        let effect = endpoint_effect(endpoint);
        let body_location = endpoint
            .request
            .as_ref()
            .map(|body| body.object.location.clone());
        let endpoint_examples: Vec<&PlannedRequest> = examples
            .requests
            .iter()
            .filter(|request| request.endpoint_key() == *key)
            .collect();
        // The required headers' values come from the fixtures, as for the examples; without
        // them no request of the endpoint is sent.
        let headers = endpoint_examples
            .first()
            .map(|request| request.headers.clone())
            .unwrap_or_default();
        let missing_header = endpoint_examples.iter().find_map(|request| {
            request
                .request_findings
                .iter()
                .find(|finding| finding.rule == Rule::Header)
                .map(|finding| finding.message.clone())
        });
        for example in endpoint_examples {
            let id = format!("example/{}", example.example);
            if !example.is_valid() {
                not_generated.push(NotGenerated {
                    endpoint: key.clone(),
                    id,
                    reason: example.invalid_request_finding().message,
                });
                continue;
            }
            requests.push(ProbeRequest {
                service: service.id.clone(),
                endpoint: endpoint.id.clone(),
                id,
                what: if example.fixtures_applied {
                    "the page's example with the fixtures' values".to_owned()
                } else {
                    "the page's example".to_owned()
                },
                method: endpoint.method,
                url: example.url.clone(),
                content_type: example.content_type.clone(),
                headers: example.headers.clone(),
                body: example.body.clone(),
                expectation: Expectation::Valid,
                rule_location: body_location.clone(),
                effect,
            });
        }
        let Some(contract) = contracts.body(&service.id, &endpoint.id, Direction::Request) else {
            continue;
        };
        let url = examples
            .target(&service.id)
            .map(|target| format!("{}{}", target.base_url, endpoint.path))
            .unwrap_or_default();
        let real_values: Vec<(String, Value)> = fixtures
            .and_then(|fixtures| fixtures.for_endpoint(key))
            .map(|fixture| {
                fixture
                    .set
                    .iter()
                    .filter_map(|(pointer, value, _)| {
                        let name = pointer.strip_prefix('/')?;
                        (!name.contains('/') && !name.contains('~'))
                            .then(|| (name.to_owned(), value.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        for generated in generate(&contract.object, seed, key, &real_values) {
            if let Some(message) = &missing_header {
                not_generated.push(NotGenerated {
                    endpoint: key.clone(),
                    id: generated.id.clone(),
                    reason: format!("not sent: {message}"),
                });
                continue;
            }
            let bytes = serde_json::to_vec(&generated.body).unwrap_or_default();
            let findings: Vec<Finding> = check_value(contract, &generated.body, &bytes)
                .findings
                .into_iter()
                .filter(|finding| finding.severity == Severity::Error)
                .collect();
            let rule_location = match &generated.expectation {
                Expectation::Valid if findings.is_empty() => body_location.clone(),
                Expectation::Invalid { rule, .. }
                    if !findings.is_empty()
                        && findings.iter().all(|finding| finding.rule == *rule) =>
                {
                    findings
                        .first()
                        .and_then(|finding| finding.spec_location.clone())
                        .or_else(|| body_location.clone())
                }
                _ if generated.speculative => {
                    not_generated.push(NotGenerated {
                        endpoint: key.clone(),
                        id: generated.id.clone(),
                        reason: format!(
                            "left out: no value found for this limit alone ({})",
                            mistake(&generated.expectation, &findings)
                        ),
                    });
                    continue;
                }
                _ => {
                    not_generated.push(NotGenerated {
                        endpoint: key.clone(),
                        id: generated.id.clone(),
                        reason: mistake(&generated.expectation, &findings),
                    });
                    continue;
                }
            };
            requests.push(ProbeRequest {
                service: service.id.clone(),
                endpoint: endpoint.id.clone(),
                id: generated.id,
                what: generated.what,
                method: endpoint.method,
                url: url.clone(),
                content_type: endpoint
                    .request
                    .as_ref()
                    .map(|body| body.content_type.clone())
                    .unwrap_or_else(|| "application/json".to_owned()),
                headers: headers.clone(),
                body: Some(bytes),
                expectation: generated.expectation,
                rule_location,
                effect,
            });
        }
    }
    Ok(ProbePlan {
        requests,
        not_generated,
        targets: examples.targets,
        seed,
    })
}

fn mistake(expectation: &Expectation, findings: &[Finding]) -> String {
    let found = if findings.is_empty() {
        "the request contract accepts it".to_owned()
    } else {
        format!(
            "the request contract finds {}",
            findings
                .iter()
                .map(|finding| format!("`{}` at {}", finding.rule.as_str(), finding.pointer))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match expectation {
        Expectation::Valid => {
            format!("generator mistake, not sent: meant to be valid, but {found}")
        }
        Expectation::Invalid { rule, .. } => format!(
            "not sent: meant to break only `{}`, but {found}",
            rule.as_str()
        ),
    }
}

/// Quotes text for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Longest body written out in a curl-like line; longer ones are named, not shown.
pub(crate) const CURL_BODY_LIMIT: usize = 4000;

impl ProbePlan {
    /// The target of a service.
    pub fn target(&self, service: &str) -> Option<&ServiceTarget> {
        self.targets.iter().find(|target| target.service == service)
    }

    /// The requests to endpoints that write.
    pub fn writing_requests(&self) -> Vec<&ProbeRequest> {
        self.requests
            .iter()
            .filter(|request| request.effect == Effect::Write)
            .collect()
    }

    /// A scrubber that knows every credential of the plan.
    pub fn scrubber(&self) -> Scrubber {
        let mut scrubber = Scrubber::new();
        for target in &self.targets {
            scrubber.add(
                &target.credential.environment_variable,
                &target.credential.secret,
            );
        }
        scrubber
    }

    /// The request as a curl command, the credential masked.
    pub(crate) fn curl_line(&self, request: &ProbeRequest) -> String {
        let mut line = format!(
            "curl -X {} {}",
            request.method.as_str(),
            shell_quote(&request.url)
        );
        if let Some(target) = self.target(&request.service) {
            let header = format!(
                "{}: {}",
                target.credential.header_name,
                target.credential.masked_header_value()
            );
            let _ = write!(line, " -H {}", shell_quote(&header));
        }
        for (name, value) in &request.headers {
            let _ = write!(line, " -H {}", shell_quote(&format!("{name}: {value}")));
        }
        if let Some(body) = &request.body {
            let _ = write!(
                line,
                " -H {}",
                shell_quote(&format!("Content-Type: {}", request.content_type))
            );
            if body.len() <= CURL_BODY_LIMIT {
                let _ = write!(
                    line,
                    " --data-binary {}",
                    shell_quote(&String::from_utf8_lossy(body))
                );
            } else {
                let _ = write!(
                    line,
                    " --data-binary @request.json  # the {} byte body",
                    body.len()
                );
            }
        }
        self.scrubber().scrub(&line)
    }

    /// The plan for a person: each request's line, what it tests and its body; then what was
    /// left out and why.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for request in &self.requests {
            let _ = writeln!(
                out,
                "{} {}  ({} {}: {}; {})",
                request.method.as_str(),
                request.url,
                request.endpoint_key(),
                request.id,
                request.what,
                request.describe_expectation()
            );
            if let Some(body) = &request.body {
                let _ = writeln!(out, "    | {}", String::from_utf8_lossy(body));
            }
        }
        for skipped in &self.not_generated {
            let _ = writeln!(
                out,
                "not sent: {} {}: {}",
                skipped.endpoint, skipped.id, skipped.reason
            );
        }
        let writes = self.writing_requests().len();
        let _ = writeln!(
            out,
            "{} request{} planned (seed {}), {writes} to endpoints that write; {} left out",
            self.requests.len(),
            if self.requests.len() == 1 { "" } else { "s" },
            self.seed,
            self.not_generated.len()
        );
        self.scrubber().scrub(&out)
    }
}
