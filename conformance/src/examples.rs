//! The specs' example payloads in, a report out: every example of every endpoint, request and
//! response, checked against its contract (the body, and the headers the page's example sends)
//! and matched with the discrepancies its spec records.

use codegen::SpecSources;
use codegen::model::Direction;

use crate::case::{Case, CaseSource, Report, apply_known};
use crate::check::check_payload;
use crate::contract::Contracts;
use crate::finding::{Finding, Rule};

/// Checks every example payload the specs name. The bytes come from `sources`, which hold the
/// example files the specs were loaded with.
pub fn check_examples(contracts: &Contracts, sources: &SpecSources) -> Report {
    check_examples_timed(contracts, sources).0
}

/// As [`check_examples`], with how long each case took to check (for JUnit's `time`).
pub fn check_examples_timed(
    contracts: &Contracts,
    sources: &SpecSources,
) -> (Report, Vec<Option<std::time::Duration>>) {
    let mut times = Vec::new();
    let mut cases = Vec::new();
    for (service, endpoint) in contracts.model.endpoints() {
        for example in &endpoint.examples {
            for direction in Direction::BOTH {
                let Some(payload) = example.payload(direction) else {
                    continue;
                };
                let source = CaseSource::Example {
                    name: example.name.clone(),
                    file: payload.file.clone(),
                };
                let started = std::time::Instant::now();
                let mut findings = match (
                    contracts.body(&service.id, &endpoint.id, direction),
                    sources.get(&payload.file),
                ) {
                    (Some(contract), Some(bytes)) => check_payload(contract, bytes).findings,
                    (None, _) => vec![Finding::error(
                        "",
                        Rule::Type,
                        format!(
                            "the endpoint has no {} body to check this example against",
                            direction.as_str()
                        ),
                    )],
                    (_, None) => vec![Finding::error(
                        "",
                        Rule::NotJson,
                        format!("example file {} is missing", payload.file),
                    )],
                };
                findings.extend(crate::headers::example_header_findings(
                    endpoint, direction, payload,
                ));
                crate::finding::sort_findings(&mut findings);
                let vanished = apply_known(&mut findings, &payload.known);
                cases.push(Case {
                    service: service.id.clone(),
                    endpoint: endpoint.id.clone(),
                    direction,
                    source,
                    spec_path: endpoint.spec_path.clone(),
                    findings,
                    vanished,
                    latency_ms: None,
                });
                times.push(Some(started.elapsed()));
            }
        }
    }
    (Report { cases }, times)
}

/// Checks a payload file against `service/endpoint`'s body going in `direction`.
pub fn check_file(
    contracts: &Contracts,
    endpoint_key: &str,
    direction: Direction,
    path: &str,
    bytes: &[u8],
) -> Option<Case> {
    let (service, endpoint) = contracts.endpoint(endpoint_key)?;
    let contract = contracts.body(&service.id, &endpoint.id, direction)?;
    Some(Case {
        service: service.id.clone(),
        endpoint: endpoint.id.clone(),
        direction,
        source: CaseSource::File {
            path: path.to_owned(),
        },
        spec_path: endpoint.spec_path.clone(),
        findings: check_payload(contract, bytes).findings,
        vanished: Vec::new(),
        latency_ms: None,
    })
}
