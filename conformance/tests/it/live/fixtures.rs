//! Fixtures files in, edited requests or errors at file:line:column out: numbers keep every
//! digit (read from the file's text), Hebrew and Vietnamese stay as written, `remove` and `set`
//! apply in order, and every mistake is reported where it is, with what was expected.

use std::collections::BTreeMap;

use conformance::Rule;
use conformance::live::{Fixtures, PlanError};
use serde_json::Value;

use super::support::{everything_at, plan_for, test_environment, vendor_fixture};

/// Applies `fixtures_text` to the example request of `endpoint` and returns the body sent.
fn body_after(endpoint: &str, fixtures_text: &str) -> Value {
    let fixtures = Fixtures::parse("test.yaml", fixtures_text).expect("the fixtures parse");
    let plan = plan_for(
        &[endpoint],
        &everything_at("http://127.0.0.1:9"),
        Some(&fixtures),
    );
    let body = plan.requests[0]
        .body
        .clone()
        .expect("the endpoint takes a body");
    serde_json::from_slice(&body).expect("the body is JSON")
}

#[test]
fn set_edits_the_example_request_exactly() {
    // (what, endpoint, the `set` entry as written, pointer, the body's JSON text there)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "a 39-digit number keeps every digit",
            "crm/tickets.create",
            "/status: 233476065495939904005866822871905093425",
            "/status",
            "233476065495939904005866822871905093425",
        ),
        (
            "a fraction keeps its trailing zero",
            "ladiflow/customer.create",
            "/score: 14.10",
            "/score",
            "14.10",
        ),
        (
            "a quoted id is a string",
            "crm/tickets.create",
            "/status: \"233476065495939904005866822871905093425\"",
            "/status",
            "\"233476065495939904005866822871905093425\"",
        ),
        (
            "Hebrew stays as written",
            "crm/tickets.create",
            "/subject: פנייה חדשה",
            "/subject",
            "\"פנייה חדשה\"",
        ),
        (
            "Vietnamese stays as written",
            "ladiflow/customer.create",
            "/city: Thành phố Hồ Chí Minh",
            "/city",
            "\"Thành phố Hồ Chí Minh\"",
        ),
        (
            "a list holding a big number",
            "ladiflow/customer.create",
            "/website: [\"a\", 12345678901234567890123]",
            "/website",
            "[\"a\",12345678901234567890123]",
        ),
        (
            "`-` appends to a list",
            "ladiflow/customer.create",
            "/tags/-: new-tag",
            "/tags/3",
            "\"new-tag\"",
        ),
        (
            "a nested member is replaced in place",
            "ladiflow/customer.create",
            "/custom_fields/1/value: LADIPAGE-STARTER",
            "/custom_fields/1/value",
            "\"LADIPAGE-STARTER\"",
        ),
        (
            "null is JSON's null",
            "crm/leads.create",
            "/owner: null",
            "/owner",
            "null",
        ),
        (
            "false is JSON's false",
            "crm/leads.create",
            "/is_subscriber: false",
            "/is_subscriber",
            "false",
        ),
        (
            "a new member is added",
            "crm/tickets.create",
            "/extra: {a: [1, 2.50]}",
            "/extra",
            "{\"a\":[1,2.50]}",
        ),
    ];
    for (name, endpoint, entry, pointer, expected) in cases {
        let text = format!("endpoints:\n  {endpoint}:\n    set:\n      {entry}\n");
        let body = body_after(endpoint, &text);
        let found = body
            .pointer(pointer)
            .map(|value| serde_json::to_string(value).unwrap_or_default());
        assert_eq!(found.as_deref(), Some(*expected), "{name}");
    }
}

#[test]
fn remove_takes_values_out_before_set_puts_them_in() {
    let body = body_after(
        "crm/leads.intelligent",
        "endpoints:\n  crm/leads.intelligent:\n    remove: [/UTM_CAMPAIGN]\n    set:\n      /utm_campaign: טופס תחתון\n",
    );
    assert_eq!(body.pointer("/UTM_CAMPAIGN"), None);
    assert_eq!(
        body.pointer("/utm_campaign"),
        Some(&Value::String("טופס תחתון".to_owned()))
    );
}

#[test]
fn mistakes_are_reported_at_file_line_and_column() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "an unknown key",
            "endpoints:\n  crm/tickets.create:\n    sett: {}\n",
            &["test.yaml:3:5: unknown key `sett`: did you mean `set`?"],
        ),
        (
            "an unknown top-level key",
            "endpoint:\n  crm/tickets.create: {}\n",
            &["test.yaml:1:1: unknown key `endpoint`: did you mean `endpoints`?"],
        ),
        (
            "a number JSON cannot write",
            "endpoints:\n  crm/tickets.create:\n    set:\n      /status: 1_000\n",
            &[
                "test.yaml:4:16: numbers are written as JSON writes them",
                "found `1_000`",
            ],
        ),
        (
            "a pointer without its slash",
            "endpoints:\n  crm/tickets.create:\n    set:\n      status: \"1\"\n",
            &[
                "test.yaml:4:7: a JSON Pointer starts with `/`",
                "found `status`",
            ],
        ),
        (
            "an endpoint without its service",
            "endpoints:\n  tickets.create:\n    set: {}\n",
            &["test.yaml:2:3: endpoints are named `service/endpoint`"],
        ),
        (
            "a duplicate key",
            "endpoints:\n  crm/tickets.create:\n    set:\n      /status: \"1\"\n      /status: \"2\"\n",
            &["test.yaml:5:7:", "duplicate"],
        ),
        (
            "removing the whole body",
            "endpoints:\n  crm/tickets.create:\n    remove: [\"\"]\n",
            &["test.yaml:3:14: `remove` cannot take out the whole body"],
        ),
    ];
    for (name, text, expected) in cases {
        let errors = Fixtures::parse("test.yaml", text)
            .expect_err(name)
            .to_string();
        for words in *expected {
            assert!(
                errors.contains(words),
                "{name}: {errors:?} should hold {words:?}"
            );
        }
    }
}

#[test]
fn edits_that_do_not_fit_the_example_are_reported_where_they_are_written() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "removing what is not there",
            "endpoints:\n  crm/tickets.create:\n    remove: [/nothing]\n",
            &[
                "test.yaml:3:14: cannot remove `/nothing` from the request of crm/tickets.create: the body has no member `nothing`",
            ],
        ),
        (
            "setting below a missing parent",
            "endpoints:\n  crm/tickets.create:\n    set:\n      /a/b: 1\n",
            &[
                "test.yaml:4:7: cannot set `/a/b`",
                "there is no value at `/a`: set the parent first",
            ],
        ),
        (
            "an index past the end of a list",
            "endpoints:\n  ladiflow/customer.create:\n    set:\n      /tags/9: x\n",
            &["test.yaml:4:7:", "`/tags` has 3 items"],
        ),
        (
            "an endpoint no spec defines",
            "endpoints:\n  crm/nothing.create:\n    set: {}\n",
            &[
                "test.yaml:2:3: no endpoint `crm/nothing.create`; expected one of: crm/accounts.create",
            ],
        ),
    ];
    let (sources, contracts) = vendor_fixture();
    for (name, text, expected) in cases {
        let fixtures = Fixtures::parse("test.yaml", text).expect("the file itself is well formed");
        let keys = contracts.endpoint_keys();
        let services = conformance::live::services_of(&keys);
        let targets = conformance::live::resolve_targets(
            contracts,
            &services,
            &everything_at("http://127.0.0.1:9"),
            &test_environment,
        )
        .expect("the test environment is complete");
        let error =
            conformance::live::build_plan(contracts, sources, &keys, targets, Some(&fixtures))
                .expect_err(name);
        assert!(matches!(error, PlanError::Fixtures(_)), "{name}: {error:?}");
        let text = error.to_string();
        for words in *expected {
            assert!(
                text.contains(words),
                "{name}: {text:?} should hold {words:?}"
            );
        }
    }
}

#[test]
fn an_invalid_example_request_is_not_sent_and_lists_every_pointer_to_fix() {
    let plan = plan_for(
        &["crm/accounts.create"],
        &everything_at("http://127.0.0.1:9"),
        None,
    );
    let request = &plan.requests[0];
    assert!(!request.is_valid());
    let finding = request.invalid_request_finding();
    assert_eq!(
        (finding.rule, finding.pointer.as_str()),
        (Rule::InvalidRequest, "")
    );
    for pointer in [
        "/b_day", "/city", "/email", "/lead_id", "/owner", "/status", "/type",
    ] {
        assert!(
            finding.message.contains(&format!("{pointer} (")),
            "{pointer} is listed: {}",
            finding.message
        );
    }
    assert!(
        finding
            .message
            .contains("under `crm/accounts.create` in a fixtures file")
    );
}

#[test]
fn the_test_fixtures_make_every_example_request_valid() {
    let fixtures = super::support::mock_fixtures();
    let plan = plan_for(&[], &everything_at("http://127.0.0.1:9"), Some(&fixtures));
    let invalid: BTreeMap<String, Vec<String>> = plan
        .requests
        .iter()
        .filter(|request| !request.is_valid())
        .map(|request| {
            (
                request.endpoint_key(),
                request
                    .request_findings
                    .iter()
                    .map(|finding| finding.pointer.clone())
                    .collect(),
            )
        })
        .collect();
    assert!(invalid.is_empty(), "{invalid:#?}");
    assert_eq!(plan.requests.len(), 5);
}
