//! The examples check as CI runs it: every example payload of every endpoint is checked, every
//! contradiction between a page's example and its table is surfaced, and every one is known.
//! Expectations come from the specs (whatever endpoints `spec/` holds); the exact contradictions
//! are those of the vendor fixture. The README's quote of the report is kept current by
//! `cargo xtask gen` (and checked by `gen --check` and xtask's stale test).

use codegen::model::Direction;
use conformance::examples::check_examples;
use conformance::{Rule, Severity};

use crate::{project_contracts, vendor_contracts};

/// The gate: `cargo test` fails when an example has a finding its spec does not record, or a
/// recorded one vanished.
#[test]
fn every_example_finding_is_known() {
    let (sources, contracts) = project_contracts();
    let report = check_examples(&contracts, &sources);
    let rendered = conformance::report::human::render(&report, false);
    assert_eq!(report.exit_code(), 0, "{rendered}");
    assert_eq!(report.summary().new, 0, "{rendered}");
    assert_eq!(report.summary().vanished, 0, "{rendered}");
}

/// Every example payload the specs name is checked, once, in its direction.
#[test]
fn every_example_of_every_endpoint_is_checked() {
    let (sources, contracts) = project_contracts();
    let report = check_examples(&contracts, &sources);
    let mut checked: Vec<String> = report
        .cases
        .iter()
        .map(|case| format!("{} {}", case.endpoint_key(), case.direction.as_str()))
        .collect();
    checked.sort();
    let mut expected = Vec::new();
    for service in &contracts.model.services {
        for endpoint in &service.endpoints {
            for example in &endpoint.examples {
                for direction in Direction::BOTH {
                    if example.payload(direction).is_some() {
                        expected.push(format!("{} {}", endpoint.key(), direction.as_str()));
                    }
                }
            }
        }
    }
    expected.sort();
    assert_eq!(checked, expected);
}

/// A finding's value is the example's own value, exactly: parsed, it equals the value at the
/// finding's pointer in the example, number digits included (a 39-digit id digit for digit).
#[test]
fn every_quoted_value_is_the_examples_own_value() {
    let (sources, contracts) = project_contracts();
    let report = check_examples(&contracts, &sources);
    for case in &report.cases {
        let conformance::CaseSource::Example { file, .. } = &case.source else {
            continue;
        };
        let bytes = sources
            .get(file)
            .expect("the example file is in the sources");
        let Ok(example) = conformance::check::parse_payload(bytes) else {
            continue;
        };
        for finding in &case.findings {
            let Some(quoted) = &finding.value else {
                continue;
            };
            let quoted = conformance::check::parse_payload(quoted.as_bytes())
                .unwrap_or_else(|_| panic!("{file}: {quoted} is not JSON text"));
            assert_eq!(
                Some(&quoted),
                example.pointer(&finding.pointer),
                "{file}: {} {}",
                finding.pointer,
                finding.rule.as_str()
            );
        }
    }
}

/// The contradictions the issue names are each surfaced, at the right pointer, with the right
/// rule, and with the value's exact text (39-digit ids digit for digit): on the vendor fixture,
/// the CRM and LadiFlow pages as the checker's tests know them.
#[test]
fn the_pages_contradictions_are_surfaced_exactly() {
    let (sources, contracts) = vendor_contracts();
    let report = check_examples(&contracts, &sources);
    let expected: &[(&str, &str, &str, Rule, Option<&str>)] = &[
        (
            "crm/accounts.create",
            "request",
            "/email",
            Rule::UndocumentedField,
            Some("\"123123@123123.com\""),
        ),
        (
            "crm/accounts.create",
            "request",
            "/city",
            Rule::UndocumentedField,
            Some("\"\""),
        ),
        (
            "crm/accounts.create",
            "request",
            "/owner",
            Rule::Type,
            Some("233476065495939904005866822871905093425"),
        ),
        (
            "crm/accounts.create",
            "request",
            "/lead_id",
            Rule::Type,
            Some("233476065495942321857506052130254505777"),
        ),
        (
            "crm/accounts.create",
            "request",
            "/status",
            Rule::Type,
            Some("233476065495938695080047208242730387249"),
        ),
        (
            "crm/accounts.create",
            "request",
            "/type",
            Rule::Type,
            Some("233476065495941112931686437501079799601"),
        ),
        (
            "crm/accounts.create",
            "request",
            "/b_day",
            Rule::Format,
            Some("\"2003-11-21T01:11:11Z\""),
        ),
        (
            "crm/leads.create",
            "request",
            "/lead_status",
            Rule::Type,
            Some("233069071553535427697228277840563827497"),
        ),
        (
            "crm/leads.create",
            "request",
            "/is_subscriber",
            Rule::Type,
            Some("true"),
        ),
        (
            "crm/leads.intelligent",
            "request",
            "/UTM_CAMPAIGN",
            Rule::UndocumentedField,
            Some("\"טופס תחתון\""),
        ),
        (
            "crm/leads.intelligent",
            "request",
            "/UTM_SOURCE",
            Rule::UndocumentedField,
            Some("\"אתר אינטרנט\""),
        ),
        (
            "ladiflow/customer.create",
            "request",
            "/address_2",
            Rule::UndocumentedField,
            Some("\"\""),
        ),
        (
            "ladiflow/customer.create",
            "request",
            "/source",
            Rule::UndocumentedField,
            Some("\"API\""),
        ),
        (
            "ladiflow/customer.create",
            "request",
            "/subcribed_at",
            Rule::UndocumentedField,
            Some("\"2020-12-01\""),
        ),
        (
            "ladiflow/customer.create",
            "request",
            "/phone",
            Rule::Type,
            Some("null"),
        ),
        (
            "ladiflow/customer.create",
            "request",
            "/website",
            Rule::Type,
            Some("\"123\""),
        ),
    ];
    for (endpoint, direction, pointer, rule, value) in expected {
        let found = report.cases.iter().any(|case| {
            case.endpoint_key() == *endpoint
                && case.direction.as_str() == *direction
                && case.findings.iter().any(|finding| {
                    finding.pointer == *pointer
                        && finding.rule == *rule
                        && finding.severity == Severity::Error
                        && finding.value.as_deref() == *value
                        && finding.known.is_some()
                })
        });
        assert!(
            found,
            "{endpoint} {direction}: no known `{}` finding at {pointer} with value {value:?}\n{}",
            rule.as_str(),
            conformance::report::human::render(&report, false)
        );
    }
}
