//! The contracts, the spec examples, the targets and the fixtures in, the requests a live run
//! would send out: one per endpoint (per example that has a request), its effect (read or
//! write), URL, headers (the required ones of the page's table from the fixtures) and exact
//! body, and the request's own findings against the request contract (an invalid request, or
//! one missing a required header, is never sent). Also renders the plan for `--dry-run` and for a refusal, secrets masked.

use std::fmt::Write;

use codegen::SpecSources;
use codegen::model::{Direction, Effect, Endpoint, Method};
use serde_json::Value;

use crate::check::{check_payload, parse_payload};
use crate::contract::Contracts;
use crate::finding::{Finding, Rule, Severity};
use crate::headers::is_filled_by_contract;
use crate::live::fixtures::{FixtureErrors, Fixtures};
use crate::live::secret::Scrubber;
use crate::live::target::ServiceTarget;

/// Which endpoints a run covers: the union of every endpoint of `services` and `endpoints`;
/// everything when both are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Service ids (`crm`).
    pub services: Vec<String>,
    /// Endpoints as `service/endpoint` (`crm/tickets.create`).
    pub endpoints: Vec<String>,
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// `--service` names no service.
    #[error("no service `{service}`; expected one of: {known}")]
    UnknownService {
        /// The name given.
        service: String,
        /// The services there are.
        known: String,
    },
    /// `--endpoint` names no endpoint.
    #[error("no endpoint `{endpoint}`; expected one of: {known}")]
    UnknownEndpoint {
        /// The name given.
        endpoint: String,
        /// The endpoints there are.
        known: String,
    },
    /// The fixtures file does not fit the specs.
    #[error("{0}")]
    Fixtures(#[from] FixtureErrors),
    /// A selected endpoint's service has no target.
    #[error("no base URL or credential was resolved for service `{service}`")]
    NoTarget {
        /// The service.
        service: String,
    },
}

/// One request a run would send.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRequest {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// The spec example the body was built from (`page`), or `fixtures` when the fixtures
    /// file gave the whole body.
    pub example: String,
    /// HTTP method.
    pub method: Method,
    /// Full URL (base URL + path); never carries a credential.
    pub url: String,
    /// Whether sending it only reads or may write (the endpoint's `effect`).
    pub effect: Effect,
    /// The body's media type.
    pub content_type: String,
    /// Headers the page's table requires besides the credential and `Content-Type`, with the
    /// values the fixtures file gives (name, value), in table order.
    pub headers: Vec<(String, String)>,
    /// The exact bytes to send, for endpoints that take a body.
    pub body: Option<Vec<u8>>,
    /// Whether a fixtures entry changed the example.
    pub fixtures_applied: bool,
    /// The request's own findings against the request contract. Any error: not sent.
    pub request_findings: Vec<Finding>,
}

impl PlannedRequest {
    /// `crm/tickets.create`.
    pub fn endpoint_key(&self) -> String {
        format!("{}/{}", self.service, self.endpoint)
    }

    /// Whether the request is valid against its schema, so a run may send it.
    pub fn is_valid(&self) -> bool {
        !self
            .request_findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
    }

    /// Whether sending it may create, change or delete data.
    pub fn writes(&self) -> bool {
        self.effect == Effect::Write
    }

    /// The `invalid-request` finding that stands for this request when it is not sent: every
    /// pointer the request schema refuses, and how to fix it with a fixtures file.
    pub fn invalid_request_finding(&self) -> Finding {
        let problems = self
            .request_findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .map(|finding| {
                let pointer = if finding.pointer.is_empty() {
                    "(body)"
                } else {
                    &finding.pointer
                };
                format!("{pointer} ({}: {})", finding.rule.as_str(), finding.message)
            })
            .collect::<Vec<_>>();
        let source = if self.fixtures_applied {
            format!("example `{}` with the fixtures applied", self.example)
        } else {
            format!("example `{}`", self.example)
        };
        Finding::error(
            "",
            Rule::InvalidRequest,
            format!(
                "not sent: the request built from {source} breaks the request schema at {} place{}: {}; fix these values under `{}` in a fixtures file (--fixtures)",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems.join("; "),
                self.endpoint_key()
            ),
        )
    }
}

/// Every request a run would send, and where each service is.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The requests, in service and endpoint order.
    pub requests: Vec<PlannedRequest>,
    /// The services called.
    pub targets: Vec<ServiceTarget>,
}

/// The endpoint keys a selection covers, in spec order, or why a name is unknown.
pub fn select_endpoints(
    contracts: &Contracts,
    selection: &Selection,
) -> Result<Vec<String>, PlanError> {
    let all = contracts.endpoint_keys();
    let services: Vec<&str> = contracts
        .model
        .services
        .iter()
        .map(|service| service.id.as_str())
        .collect();
    for service in &selection.services {
        if !services.contains(&service.as_str()) {
            return Err(PlanError::UnknownService {
                service: service.clone(),
                known: services.join(", "),
            });
        }
    }
    for endpoint in &selection.endpoints {
        if !all.contains(endpoint) {
            return Err(PlanError::UnknownEndpoint {
                endpoint: endpoint.clone(),
                known: all.join(", "),
            });
        }
    }
    if selection.services.is_empty() && selection.endpoints.is_empty() {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter(|key| {
            selection.endpoints.contains(key)
                || key.split_once('/').is_some_and(|(service, _)| {
                    selection.services.iter().any(|wanted| wanted == service)
                })
        })
        .collect())
}

/// The services of endpoint keys, each once, in order.
pub fn services_of(endpoint_keys: &[String]) -> Vec<String> {
    let mut services: Vec<String> = Vec::new();
    for key in endpoint_keys {
        let service = key
            .split_once('/')
            .map_or(key.as_str(), |(service, _)| service);
        if !services.iter().any(|known| known == service) {
            services.push(service.to_owned());
        }
    }
    services
}

/// Builds the request of every endpoint in `endpoint_keys` from its spec examples (the bytes
/// come from `sources`) and the fixtures, and checks each against its request contract.
pub fn build_plan(
    contracts: &Contracts,
    sources: &SpecSources,
    endpoint_keys: &[String],
    targets: Vec<ServiceTarget>,
    fixtures: Option<&Fixtures>,
) -> Result<Plan, PlanError> {
    if let Some(fixtures) = fixtures {
        let unknown = fixtures.unknown_endpoints(&contracts.endpoint_keys());
        if !unknown.is_empty() {
            return Err(PlanError::Fixtures(FixtureErrors(unknown)));
        }
    }
    let mut requests = Vec::new();
    let mut fixture_errors = Vec::new();
    for key in endpoint_keys {
        let Some((service, endpoint)) = contracts.endpoint(key) else {
            return Err(PlanError::UnknownEndpoint {
                endpoint: key.clone(),
                known: contracts.endpoint_keys().join(", "),
            });
        };
        let Some(target) = targets.iter().find(|target| target.service == service.id) else {
            return Err(PlanError::NoTarget {
                service: service.id.clone(),
            });
        };
        let url = format!("{}{}", target.base_url, endpoint.path);
        let fixture = fixtures.and_then(|fixtures| fixtures.for_endpoint(key));
        for (example, example_bytes) in example_requests(endpoint, sources) {
            let mut request = PlannedRequest {
                service: service.id.clone(),
                endpoint: endpoint.id.clone(),
                example: example.clone(),
                method: endpoint.method,
                url: url.clone(),
                effect: endpoint.effect,
                headers: Vec::new(),
                content_type: endpoint
                    .request
                    .as_ref()
                    .map(|body| body.content_type.clone())
                    .unwrap_or_else(|| "application/json".to_owned()),
                body: None,
                fixtures_applied: false,
                request_findings: Vec::new(),
            };
            if endpoint.request.is_some() {
                let body_fixture = fixture.filter(|fixture| fixture.edits_body());
                match build_body(example_bytes.as_deref(), body_fixture) {
                    Ok(BuiltBody {
                        bytes,
                        fixtures_applied,
                    }) => {
                        request.fixtures_applied = fixtures_applied;
                        request.request_findings =
                            match contracts.body(&service.id, &endpoint.id, Direction::Request) {
                                Some(contract) => check_payload(contract, &bytes).findings,
                                None => Vec::new(),
                            };
                        request.body = Some(bytes);
                    }
                    Err(BodyProblem::Fixtures(errors)) => fixture_errors.extend(errors.0),
                    Err(BodyProblem::Finding(finding)) => {
                        request.request_findings = vec![*finding];
                    }
                }
            }
            for header in &endpoint.request_headers {
                if !header.required || is_filled_by_contract(service, header) {
                    continue;
                }
                match fixture.and_then(|fixture| fixture.header(&header.name)) {
                    Some(value) => request
                        .headers
                        .push((header.name.clone(), value.to_owned())),
                    None => request.request_findings.push(Finding::error(
                        "",
                        Rule::Header,
                        format!(
                            "required header `{}` has no value: give it under `headers` of `{key}` in a fixtures file (--fixtures)",
                            header.name
                        ),
                    )),
                }
            }
            requests.push(request);
        }
    }
    if !fixture_errors.is_empty() {
        return Err(PlanError::Fixtures(FixtureErrors(fixture_errors)));
    }
    Ok(Plan { requests, targets })
}

/// (example name, request bytes) for every example with a request; one entry without bytes
/// when there is none (a fixture may then give the whole body).
fn example_requests(endpoint: &Endpoint, sources: &SpecSources) -> Vec<(String, Option<Vec<u8>>)> {
    let found: Vec<(String, Option<Vec<u8>>)> = endpoint
        .examples
        .iter()
        .filter_map(|example| {
            let payload = example.request.as_ref()?;
            Some((
                example.name.clone(),
                sources.get(&payload.file).map(<[u8]>::to_vec),
            ))
        })
        .collect();
    if found.is_empty() {
        vec![("fixtures".to_owned(), None)]
    } else {
        found
    }
}

struct BuiltBody {
    bytes: Vec<u8>,
    fixtures_applied: bool,
}

enum BodyProblem {
    Fixtures(FixtureErrors),
    Finding(Box<Finding>),
}

fn build_body(
    example: Option<&[u8]>,
    fixture: Option<&crate::live::fixtures::EndpointFixture>,
) -> Result<BuiltBody, BodyProblem> {
    let Some(fixture) = fixture else {
        return match example {
            // Sent byte for byte as the page has it.
            Some(bytes) => Ok(BuiltBody {
                bytes: bytes.to_vec(),
                fixtures_applied: false,
            }),
            None => Err(BodyProblem::Finding(Box::new(Finding::error(
                "",
                Rule::InvalidRequest,
                "not sent: the spec has no example request for this endpoint; give the whole body in a fixtures file with the pointer `\"\"`",
            )))),
        };
    };
    let mut body = match example {
        Some(bytes) => parse_payload(bytes).map_err(BodyProblem::Finding)?,
        None => Value::Null,
    };
    fixture.apply(&mut body).map_err(BodyProblem::Fixtures)?;
    let bytes = serde_json::to_vec(&body).map_err(|error| {
        BodyProblem::Finding(Box::new(Finding::error(
            "",
            Rule::InvalidRequest,
            format!("not sent: the request could not be written as JSON: {error}"),
        )))
    })?;
    Ok(BuiltBody {
        bytes,
        fixtures_applied: true,
    })
}

impl Plan {
    /// The target of a service.
    pub fn target(&self, service: &str) -> Option<&ServiceTarget> {
        self.targets.iter().find(|target| target.service == service)
    }

    /// The valid requests that write (that a run without `--allow-writes` refuses to send).
    pub fn writing_requests(&self) -> Vec<&PlannedRequest> {
        self.requests
            .iter()
            .filter(|request| request.is_valid() && request.writes())
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

    /// The plan for a person: each request's method, URL and headers (credentials masked), its
    /// body when `with_bodies`, and why an invalid one would not be sent.
    pub fn render(&self, with_bodies: bool) -> String {
        let scrubber = self.scrubber();
        let mut out = String::new();
        for request in &self.requests {
            let _ = writeln!(
                out,
                "{} {}  ({}, {}, example `{}`{})",
                request.method.as_str(),
                request.url,
                request.endpoint_key(),
                request.effect.as_str(),
                request.example,
                if request.fixtures_applied {
                    ", fixtures applied"
                } else {
                    ""
                }
            );
            if !request.is_valid() {
                let _ = writeln!(
                    out,
                    "    NOT SENT: {}",
                    request.invalid_request_finding().message
                );
                continue;
            }
            if let Some(target) = self.target(&request.service) {
                let _ = writeln!(
                    out,
                    "    {}: {}  (from {})",
                    target.credential.header_name,
                    target.credential.masked_header_value(),
                    target.credential.environment_variable
                );
            }
            for (name, value) in &request.headers {
                let _ = writeln!(out, "    {name}: {value}");
            }
            if request.body.is_some() {
                let _ = writeln!(out, "    Content-Type: {}", request.content_type);
            }
            let _ = writeln!(out, "    Accept: application/json");
            if let (true, Some(body)) = (with_bodies, &request.body) {
                let text = String::from_utf8_lossy(body);
                for line in text.lines() {
                    let _ = writeln!(out, "    | {line}");
                }
            }
        }
        let valid = self
            .requests
            .iter()
            .filter(|request| request.is_valid())
            .count();
        let _ = writeln!(
            out,
            "{} request{} planned: {valid} valid, {} not sent because the request schema refuses them",
            self.requests.len(),
            if self.requests.len() == 1 { "" } else { "s" },
            self.requests.len() - valid
        );
        scrubber.scrub(&out)
    }
}
