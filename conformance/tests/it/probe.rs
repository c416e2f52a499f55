//! The probe against servers on 127.0.0.1 that the tests start: the strict mock (a probe of
//! every endpoint finds nothing), the mock told to be lenient with one rule (every request
//! breaking that rule is reported as not enforced, nothing else), a failing server (the probe
//! stops), the write guard, the budget, the known-findings file, reproducible generation, and
//! every generated request being what it claims against the kitchen-sink fixture's contracts.
//! Expectations come from the specs and the plan, never from today's endpoints.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use codegen::model::Direction;
use conformance::check::check_value;
use conformance::finding::{Rule, Severity};
use conformance::live::{self, LiveOptions, RetryPolicy, Selection};
use conformance::mock::{LenientRule, MockHandle, MockOptions, serve};
use conformance::probe::known::KnownProbeFindings;
use conformance::probe::plan::ProbePlan;
use conformance::probe::{
    Expectation, ProbeError, ProbeOptions, ProbeOutcome, build_probe_plan, generate,
};

use crate::live::support::{
    ScriptedServer, TEST_CRM_TOKEN, TEST_LADIFLOW_KEY, everything_at, json_reply, mock_fixtures,
    test_environment, vendor_fixture,
};

/// The rules a generated invalid request can break.
const PROBED_RULES: [Rule; 6] = [
    Rule::Required,
    Rule::Type,
    Rule::UndocumentedField,
    Rule::AtLeastOneOf,
    Rule::Enum,
    Rule::Format,
];

fn start_mock(lenient: Vec<LenientRule>, received: Option<Arc<AtomicUsize>>) -> MockHandle {
    let (sources, contracts) = vendor_fixture();
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let options = MockOptions {
        lenient,
        log: received.map(|counter| {
            let log: conformance::mock::RequestLogger = Arc::new(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            });
            log
        }),
        ..MockOptions::default()
    };
    serve(Arc::clone(contracts), sources, listener, options).expect("the mock starts")
}

fn every_endpoint() -> Vec<String> {
    vendor_fixture().1.endpoint_keys()
}

fn plan_at(base_urls: &BTreeMap<String, String>, seed: u64, with_fixtures: bool) -> ProbePlan {
    let (sources, contracts) = vendor_fixture();
    let keys = live::select_endpoints(contracts, &Selection::default()).expect("selection");
    let services = live::services_of(&keys);
    let targets = live::resolve_targets(contracts, &services, base_urls, &test_environment)
        .expect("the test environment is complete");
    let fixtures = mock_fixtures();
    build_probe_plan(
        contracts,
        sources,
        &keys,
        targets,
        with_fixtures.then_some(&fixtures),
        seed,
    )
    .expect("the probe plan builds")
}

fn fast_options() -> ProbeOptions {
    ProbeOptions {
        allow_writes: true,
        max_requests: 100_000,
        rate_per_second: 10_000.0,
        server_errors_before_stop: 3,
        server_error_backoff: Duration::from_millis(5),
        progress: None,
        live: LiveOptions {
            timeout: Duration::from_secs(5),
            latency_budget: None,
            retry: RetryPolicy {
                max_retries: 0,
                first_backoff: Duration::from_millis(5),
                longest_wait: Duration::from_millis(50),
                ..RetryPolicy::default()
            },
            proxy_from_environment: false,
            ..LiveOptions::default()
        },
    }
}

fn probe(plan: &ProbePlan, options: &ProbeOptions) -> ProbeOutcome {
    conformance::probe::run(
        &vendor_fixture().1,
        plan,
        &KnownProbeFindings::default(),
        options,
    )
    .expect("writes are allowed in tests")
}

#[test]
fn every_generated_request_is_what_it_claims_and_the_examples_with_fixtures_are_sent() {
    let plan = plan_at(&everything_at("http://127.0.0.1:9"), 1, true);
    let mistakes: Vec<_> = plan
        .not_generated
        .iter()
        .filter(|left_out| left_out.reason.starts_with("generator mistake"))
        .collect();
    assert!(
        mistakes.is_empty(),
        "the generator made requests that are not what they claim: {mistakes:#?}"
    );
    for key in every_endpoint() {
        let ids: Vec<&str> = plan
            .requests
            .iter()
            .filter(|request| request.endpoint_key() == key)
            .map(|request| request.id.as_str())
            .collect();
        let (_, endpoint) = vendor_fixture()
            .1
            .endpoint(&key)
            .expect("the endpoint exists");
        for example in endpoint.examples.iter().filter(|e| e.request.is_some()) {
            let wanted = format!("example/{}", example.name);
            assert!(ids.contains(&wanted.as_str()), "{key}: {wanted} is planned");
        }
        if endpoint.request.is_some() {
            assert!(ids.contains(&"valid/required-only"), "{key}: {ids:?}");
            assert!(ids.contains(&"valid/every-field"), "{key}: {ids:?}");
        }
    }
}

#[test]
fn generation_against_the_kitchen_sink_makes_only_requests_that_are_what_they_claim() {
    let (_, contracts) = crate::kitchen_sink_contracts();
    let mut checked = 0;
    let mut rules_broken = std::collections::BTreeSet::new();
    let mut speculative_kept = 0;
    for contract in contracts
        .bodies()
        .filter(|contract| contract.direction == Direction::Request)
    {
        for seed in [1, 2, 3] {
            for generated in generate(&contract.object, seed, &contract.key(), &[]) {
                let bytes = serde_json::to_vec(&generated.body).expect("JSON");
                let errors: Vec<_> = check_value(contract, &generated.body, &bytes)
                    .findings
                    .into_iter()
                    .filter(|finding| finding.severity == Severity::Error)
                    .collect();
                let as_claimed = match &generated.expectation {
                    Expectation::Valid => errors.is_empty(),
                    Expectation::Invalid { rule, pointer } => {
                        !errors.is_empty()
                            && errors
                                .iter()
                                .all(|finding| finding.rule == *rule && finding.pointer == *pointer)
                    }
                };
                // A try at one limit of a field with several may be turned down: the plan
                // leaves it out. Every other request must be what it claims.
                if generated.speculative {
                    if as_claimed {
                        speculative_kept += 1;
                    }
                    continue;
                }
                match &generated.expectation {
                    Expectation::Valid => assert!(
                        errors.is_empty(),
                        "{} {} (seed {seed}) should be valid: {errors:#?}",
                        contract.key(),
                        generated.id
                    ),
                    Expectation::Invalid { rule, pointer } => {
                        assert!(
                            !errors.is_empty()
                                && errors
                                    .iter()
                                    .all(|finding| finding.rule == *rule
                                        && finding.pointer == *pointer),
                            "{} {} (seed {seed}) should break only `{}` at {pointer}: {errors:#?}",
                            contract.key(),
                            generated.id,
                            rule.as_str()
                        )
                    }
                }
                if let Expectation::Invalid { rule, .. } = &generated.expectation {
                    rules_broken.insert(*rule);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "the kitchen sink has request bodies");
    // The kitchen sink has a field of every kind, so every kind of invalid request is made.
    for rule in PROBED_RULES {
        assert!(
            rules_broken.contains(&rule),
            "no request breaks `{}`",
            rule.as_str()
        );
    }
    // The kitchen sink has limits: requests on and past them are made, and kept.
    assert!(
        speculative_kept > 0,
        "no boundary request is what it claims"
    );
}

#[test]
fn the_same_seed_gives_the_same_requests_byte_for_byte_and_another_seed_other_ones() {
    let base = everything_at("http://127.0.0.1:9");
    let bodies = |plan: &ProbePlan| -> Vec<(String, Option<Vec<u8>>)> {
        plan.requests
            .iter()
            .map(|request| (request.id.clone(), request.body.clone()))
            .collect()
    };
    let first = plan_at(&base, 42, true);
    let second = plan_at(&base, 42, true);
    let other = plan_at(&base, 43, true);
    assert_eq!(bodies(&first), bodies(&second));
    assert_eq!(first.render(), second.render());
    assert_ne!(bodies(&first), bodies(&other));
}

#[test]
fn against_the_strict_mock_a_probe_of_every_endpoint_finds_nothing() {
    let mock = start_mock(Vec::new(), None);
    let plan = plan_at(&everything_at(&mock.base_url()), 1, true);
    let outcome = probe(&plan, &fast_options());
    assert_eq!(outcome.sent, plan.requests.len());
    assert_eq!(outcome.not_sent, 0);
    let findings: Vec<String> = outcome
        .report
        .cases
        .iter()
        .flat_map(|case| {
            case.findings
                .iter()
                .map(move |finding| format!("{}: {}", case.name(), finding.message))
        })
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(outcome.report.exit_code(), 0);
    // Records the mock created are listed: one per successful write whose answer has an id.
    let answered_with_id = outcome
        .created
        .iter()
        .map(|record| (record.endpoint.clone(), record.request.clone()))
        .collect::<std::collections::BTreeSet<_>>();
    for record in &outcome.created {
        assert!(!record.id.is_empty(), "{record:?}");
    }
    let (sources, contracts) = vendor_fixture();
    for key in every_endpoint() {
        let (_, endpoint) = contracts.endpoint(&key).expect("endpoint");
        let example_has_id = endpoint.examples.iter().any(|example| {
            example
                .response
                .as_ref()
                .and_then(|payload| sources.get(&payload.file))
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
                .is_some_and(|answer| {
                    ["/_id", "/id", "/data/_id", "/data/id"]
                        .iter()
                        .any(|pointer| answer.pointer(pointer).is_some())
                })
        });
        let listed = answered_with_id
            .iter()
            .any(|(endpoint, _)| *endpoint == key);
        assert_eq!(listed, example_has_id, "{key}: created records listed");
    }
}

#[test]
fn a_mock_lenient_with_one_rule_is_caught_on_every_request_breaking_it_and_only_there() {
    for rule in PROBED_RULES.into_iter().chain([Rule::Constraint]) {
        let breaking: Vec<(String, String)> = plan_at(&everything_at("http://127.0.0.1:9"), 1, true)
            .requests
            .iter()
            .filter(|request| {
                matches!(&request.expectation, Expectation::Invalid { rule: broken, .. } if *broken == rule)
            })
            .map(|request| (request.endpoint_key(), request.id.clone()))
            .collect();
        // The strict mock's test covers the rest; here only the endpoints where a request
        // breaks the rule are probed (every request of theirs, valid or not).
        if breaking.is_empty() {
            continue;
        }
        let mock = start_mock(
            vec![LenientRule {
                endpoint: "*".to_owned(),
                rule,
            }],
            None,
        );
        let mut plan = plan_at(&everything_at(&mock.base_url()), 1, true);
        plan.requests.retain(|request| {
            breaking
                .iter()
                .any(|(endpoint, _)| *endpoint == request.endpoint_key())
        });
        let outcome = probe(&plan, &fast_options());
        let mut caught = Vec::new();
        for case in &outcome.report.cases {
            for finding in &case.findings {
                assert_eq!(
                    finding.rule,
                    Rule::RuleNotEnforced,
                    "lenient with `{}`: {}: {}",
                    rule.as_str(),
                    case.name(),
                    finding.message
                );
                assert!(finding.spec_location.is_some(), "{}", finding.message);
                assert!(
                    finding.message.contains("replay: curl -X "),
                    "{}",
                    finding.message
                );
                let conformance::CaseSource::Probe { request, .. } = &case.source else {
                    panic!("a probe case names its request");
                };
                caught.push((case.endpoint_key(), request.clone()));
            }
        }
        assert_eq!(caught, breaking, "lenient with `{}`", rule.as_str());
        assert_eq!(outcome.report.exit_code(), 1);
    }
}

#[test]
fn a_lenient_mock_for_one_endpoint_is_caught_only_on_that_endpoint_and_a_known_entry_passes_it() {
    let plan = plan_at(&everything_at("http://127.0.0.1:9"), 1, true);
    let Some(target) = plan.requests.iter().find(|request| {
        matches!(
            &request.expectation,
            Expectation::Invalid {
                rule: Rule::Required,
                ..
            }
        )
    }) else {
        return; // no spec has a required field to leave out
    };
    let key = target.endpoint_key();
    let mock = start_mock(
        vec![LenientRule {
            endpoint: key.clone(),
            rule: Rule::Required,
        }],
        None,
    );
    let plan = plan_at(&everything_at(&mock.base_url()), 1, true);
    let expected: Vec<String> = plan
        .requests
        .iter()
        .filter(|request| {
            request.endpoint_key() == key
                && matches!(
                    &request.expectation,
                    Expectation::Invalid {
                        rule: Rule::Required,
                        ..
                    }
                )
        })
        .map(|request| request.id.clone())
        .collect();
    let known_text = expected
        .iter()
        .map(|id| {
            format!(
                "  - endpoint: {key}\n    request: {id}\n    rule: rule-not-enforced\n    reason: the server does not check required fields\n"
            )
        })
        .collect::<String>();
    let known = KnownProbeFindings::parse(
        "spec/probe-known.yaml",
        &format!("known:\n{known_text}"),
        &every_endpoint(),
    )
    .expect("the known file parses");
    let outcome = conformance::probe::run(&vendor_fixture().1, &plan, &known, &fast_options())
        .expect("writes allowed");
    let summary = outcome.report.summary();
    assert_eq!(summary.known, expected.len());
    assert_eq!(summary.new, 0);
    assert_eq!(outcome.report.exit_code(), 0);

    // Against the strict mock the same entries vanished: the run fails and says so.
    let strict = start_mock(Vec::new(), None);
    let plan = plan_at(&everything_at(&strict.base_url()), 1, true);
    let outcome = conformance::probe::run(&vendor_fixture().1, &plan, &known, &fast_options())
        .expect("writes allowed");
    assert_eq!(outcome.report.summary().vanished, expected.len());
    assert_eq!(outcome.report.exit_code(), 1);
}

#[test]
fn a_known_file_with_an_unknown_endpoint_or_no_reason_is_refused_with_its_line() {
    let text = "known:\n  - endpoint: nope/nothing\n    request: valid/every-field\n    rule: valid-request-refused\n    reason: x\n";
    let errors = KnownProbeFindings::parse("spec/probe-known.yaml", text, &every_endpoint())
        .expect_err("an unknown endpoint is refused");
    assert_eq!(errors[0].location.line, 2, "{errors:?}");
    let text = format!(
        "known:\n  - endpoint: {}\n    request: valid/every-field\n    rule: valid-request-refused\n    reason: \"\"\n",
        every_endpoint()[0]
    );
    let errors = KnownProbeFindings::parse("spec/probe-known.yaml", &text, &every_endpoint())
        .expect_err("an empty reason is refused");
    assert_eq!(errors[0].location.line, 5, "{errors:?}");
}

#[test]
fn without_allow_writes_nothing_is_sent_and_every_write_is_listed() {
    let received = Arc::new(AtomicUsize::new(0));
    let mock = start_mock(Vec::new(), Some(Arc::clone(&received)));
    let plan = plan_at(&everything_at(&mock.base_url()), 1, true);
    let options = ProbeOptions {
        allow_writes: false,
        ..fast_options()
    };
    let writes = plan.writing_requests().len();
    match conformance::probe::run(
        &vendor_fixture().1,
        &plan,
        &KnownProbeFindings::default(),
        &options,
    ) {
        Err(ProbeError::WritesNotAllowed { requests }) => {
            assert_eq!(requests.len(), writes);
            let message = ProbeError::WritesNotAllowed { requests }.to_string();
            assert!(!message.contains(TEST_CRM_TOKEN) && !message.contains(TEST_LADIFLOW_KEY));
        }
        Ok(_) => assert_eq!(writes, 0, "a plan with writes must be refused"),
    }
    assert_eq!(received.load(Ordering::SeqCst), 0);
}

#[test]
fn the_request_budget_stops_the_run_and_says_so() {
    let mock = start_mock(Vec::new(), None);
    let plan = plan_at(&everything_at(&mock.base_url()), 1, true);
    let budget = plan.requests.len().min(3);
    let outcome = probe(
        &plan,
        &ProbeOptions {
            max_requests: budget,
            ..fast_options()
        },
    );
    assert_eq!(outcome.sent, budget);
    assert_eq!(outcome.not_sent, plan.requests.len() - budget);
    assert_eq!(outcome.report.cases.len(), budget);
    if budget < plan.requests.len() {
        assert!(
            outcome
                .stopped
                .as_deref()
                .is_some_and(|why| why.contains("--max-requests"))
        );
    }
}

#[test]
fn a_failing_server_makes_the_probe_back_off_then_stop_and_no_secret_is_shown() {
    let server = ScriptedServer::start(|_, _| {
        json_reply(
            500,
            &format!(r#"{{"error": "boom", "echo": "{TEST_CRM_TOKEN} {TEST_LADIFLOW_KEY}"}}"#),
        )
    });
    let plan = plan_at(&everything_at(&server.base_url()), 1, true);
    let options = fast_options();
    let outcome = probe(&plan, &options);
    let limit = options.server_errors_before_stop as usize;
    assert_eq!(outcome.sent, limit.min(plan.requests.len()));
    assert_eq!(server.received().len(), outcome.sent);
    if plan.requests.len() > limit {
        assert!(
            outcome
                .stopped
                .as_deref()
                .is_some_and(|why| why.contains("5XX"))
        );
    }
    for case in &outcome.report.cases {
        assert!(
            case.findings
                .iter()
                .any(|finding| finding.rule == Rule::UndocumentedStatus),
            "{}",
            case.name()
        );
    }
    let rendered = [
        conformance::report::human::render(&outcome.report, false),
        conformance::report::json::render(&outcome.report),
        conformance::report::junit::render(&outcome.report),
        plan.render(),
    ];
    for text in rendered {
        assert!(!text.contains(TEST_CRM_TOKEN), "{text}");
        assert!(!text.contains(TEST_LADIFLOW_KEY), "{text}");
    }
    // The JSON report of a probe follows the published report schema.
    let schema: serde_json::Value =
        serde_json::from_str(conformance::report::json::REPORT_SCHEMA).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let document = conformance::report::json::to_value(&outcome.report);
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_server_refusing_valid_requests_is_reported_with_its_message() {
    let server =
        ScriptedServer::start(|_, _| json_reply(400, r#"{"error": "f_name must be a number"}"#));
    let plan = plan_at(&everything_at(&server.base_url()), 1, true);
    let outcome = probe(&plan, &fast_options());
    for (request, case) in plan.requests.iter().zip(&outcome.report.cases) {
        let refused = case
            .findings
            .iter()
            .any(|finding| finding.rule == Rule::ValidRequestRefused);
        assert_eq!(
            refused,
            request.expectation == Expectation::Valid,
            "{}",
            case.name()
        );
        if refused {
            assert!(case.findings[0].message.contains("f_name must be a number"));
        }
    }
}
