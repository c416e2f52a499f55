//! A server misbehaving on purpose, one fault at a time, in; each case's findings out: the rule,
//! the JSON Pointer and the severity the live run gives every fault (a required field missing,
//! a wrong type, a wrong status, an HTML error page, truncated JSON, a body that breaks off, a
//! response slower than the timeout, 429 then success, a 401, redirects), and faults in one run
//! staying in their own case.

use std::time::Duration;

use codegen::model::Direction;
use conformance::live::LiveOptions;
use conformance::{Case, CaseSource, Rule, Severity};

use super::support::{
    GOOD_TICKET, Reply, ScriptedServer, TEST_CRM_TOKEN, http_response, json_reply, mock_fixtures,
    refused_base_url, run_against, test_options,
};

/// How the scripted server misbehaves.
#[derive(Debug, Clone, Copy)]
enum Fault {
    RequiredFieldMissing,
    WrongType,
    WrongStatus,
    HtmlErrorPage,
    HtmlWithTheDocumentedStatus,
    TruncatedJson,
    BodyBreaksOff,
    SlowerThanTheTimeout,
    SlowerThanTheLatencyBudget,
    TooManyRequestsThenSuccess,
    UnavailableThenSuccess,
    TooManyRequestsEveryTime,
    TooManyRequestsForLongerThanTheBudget,
    Unauthorized,
    UndocumentedField,
    RedirectOnTheSameOrigin,
    TooManyRedirects,
}

fn reply_for(fault: Fault, index: usize) -> Reply {
    match fault {
        Fault::RequiredFieldMissing => json_reply(
            201,
            r#"{"message": "טיקט נוצר בהצלחה", "ticket_status": "1"}"#,
        ),
        Fault::WrongType => json_reply(
            201,
            r#"{"id": 271911966272026940869079307116515873576, "message": "ok", "ticket_status": "1"}"#,
        ),
        Fault::WrongStatus => json_reply(200, GOOD_TICKET),
        Fault::HtmlErrorPage => Reply::Raw(http_response(
            500,
            Some("text/html; charset=utf-8"),
            b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
            &[],
        )),
        Fault::HtmlWithTheDocumentedStatus => Reply::Raw(http_response(
            201,
            Some("text/html"),
            b"<!DOCTYPE html><html><body>created</body></html>",
            &[],
        )),
        Fault::TruncatedJson => json_reply(201, r#"{"id": "2719119662720269408690793071165"#),
        Fault::BodyBreaksOff => {
            let mut bytes =
                http_response(201, Some("application/json"), GOOD_TICKET.as_bytes(), &[]);
            // Keeps the promised Content-Length, sends only the first part, and closes.
            bytes.truncate(bytes.len() - 40);
            Reply::Raw(bytes)
        }
        Fault::SlowerThanTheTimeout => Reply::After(
            Duration::from_millis(1500),
            Box::new(json_reply(201, GOOD_TICKET)),
        ),
        Fault::SlowerThanTheLatencyBudget => Reply::After(
            Duration::from_millis(150),
            Box::new(json_reply(201, GOOD_TICKET)),
        ),
        Fault::TooManyRequestsThenSuccess if index == 0 => Reply::Raw(http_response(
            429,
            Some("application/json"),
            br#"{"error": "slow down"}"#,
            &[("Retry-After", "1")],
        )),
        Fault::UnavailableThenSuccess if index == 0 => {
            Reply::Raw(http_response(503, Some("text/plain"), b"maintenance", &[]))
        }
        Fault::TooManyRequestsThenSuccess | Fault::UnavailableThenSuccess => {
            json_reply(201, GOOD_TICKET)
        }
        Fault::TooManyRequestsEveryTime => Reply::Raw(http_response(
            429,
            Some("application/json"),
            br#"{"error": "slow down"}"#,
            &[("Retry-After", "0")],
        )),
        Fault::TooManyRequestsForLongerThanTheBudget => Reply::Raw(http_response(
            429,
            Some("application/json"),
            br#"{"error": "slow down"}"#,
            &[("Retry-After", "29")],
        )),
        Fault::Unauthorized => json_reply(401, r#"{"error": "invalid token"}"#),
        Fault::UndocumentedField => json_reply(
            201,
            r#"{"id": "271911966272026940869079307116515873576", "message": "ok", "ticket_status": "1", "created_by": "api"}"#,
        ),
        Fault::RedirectOnTheSameOrigin if index == 0 => Reply::Raw(http_response(
            307,
            None,
            b"",
            &[("Location", "/v2/tickets/create-moved")],
        )),
        Fault::RedirectOnTheSameOrigin => json_reply(201, GOOD_TICKET),
        Fault::TooManyRedirects => Reply::Raw(http_response(
            302,
            None,
            b"",
            &[("Location", &format!("/loop/{index}"))],
        )),
    }
}

struct Expectation {
    fault: Fault,
    /// (rule, pointer, severity) of every finding, in report order.
    findings: &'static [(Rule, &'static str, Severity)],
    /// Words the first finding's message holds.
    message_holds: &'static [&'static str],
    /// Requests the server receives.
    requests: usize,
}

const EXPECTATIONS: &[Expectation] = &[
    Expectation {
        fault: Fault::RequiredFieldMissing,
        findings: &[(Rule::Required, "/id", Severity::Error)],
        message_holds: &["`id`"],
        requests: 1,
    },
    Expectation {
        fault: Fault::WrongType,
        findings: &[(Rule::Type, "/id", Severity::Error)],
        message_holds: &["must be a string, found a number"],
        requests: 1,
    },
    Expectation {
        fault: Fault::WrongStatus,
        findings: &[(Rule::Status, "", Severity::Error)],
        message_holds: &["answered 200", "the spec says 201"],
        requests: 1,
    },
    Expectation {
        fault: Fault::HtmlErrorPage,
        findings: &[(Rule::Status, "", Severity::Error)],
        message_holds: &["answered 500", "(the server failed)"],
        requests: 1,
    },
    Expectation {
        fault: Fault::HtmlWithTheDocumentedStatus,
        findings: &[
            (Rule::ContentType, "", Severity::Error),
            (Rule::NotJson, "", Severity::Error),
        ],
        message_holds: &["`text/html`"],
        requests: 1,
    },
    Expectation {
        fault: Fault::TruncatedJson,
        findings: &[(Rule::NotJson, "", Severity::Error)],
        message_holds: &["truncated"],
        requests: 1,
    },
    Expectation {
        fault: Fault::BodyBreaksOff,
        findings: &[(Rule::Transport, "", Severity::Error)],
        message_holds: &["closed before the body ended"],
        requests: 1,
    },
    Expectation {
        fault: Fault::SlowerThanTheTimeout,
        findings: &[(Rule::Transport, "", Severity::Error)],
        message_holds: &["within 400 ms (the --timeout)"],
        requests: 1,
    },
    Expectation {
        fault: Fault::SlowerThanTheLatencyBudget,
        findings: &[(Rule::Latency, "", Severity::Warning)],
        message_holds: &["over the latency budget of 50 ms"],
        requests: 1,
    },
    Expectation {
        fault: Fault::TooManyRequestsThenSuccess,
        findings: &[],
        message_holds: &[],
        requests: 2,
    },
    Expectation {
        fault: Fault::UnavailableThenSuccess,
        findings: &[],
        message_holds: &[],
        requests: 2,
    },
    Expectation {
        fault: Fault::TooManyRequestsEveryTime,
        findings: &[(Rule::Status, "", Severity::Error)],
        message_holds: &["answered 429", "still 429 after 3 attempts"],
        requests: 3,
    },
    Expectation {
        fault: Fault::Unauthorized,
        findings: &[(Rule::Status, "", Severity::Error)],
        message_holds: &[
            "answered 401",
            "check the environment variable",
            "CRM_TOKEN",
        ],
        requests: 1,
    },
    Expectation {
        fault: Fault::UndocumentedField,
        findings: &[(Rule::UndocumentedField, "/created_by", Severity::Warning)],
        message_holds: &["`created_by`"],
        requests: 1,
    },
    Expectation {
        fault: Fault::RedirectOnTheSameOrigin,
        findings: &[],
        message_holds: &[],
        requests: 2,
    },
    Expectation {
        fault: Fault::TooManyRedirects,
        findings: &[(Rule::Transport, "", Severity::Error)],
        message_holds: &["more than 5 redirects"],
        requests: 6,
    },
];

fn options_for(fault: Fault) -> LiveOptions {
    let mut options = test_options();
    match fault {
        Fault::SlowerThanTheTimeout => options.timeout = Duration::from_millis(400),
        Fault::SlowerThanTheLatencyBudget => {
            options.latency_budget = Some(Duration::from_millis(50))
        }
        _ => {}
    }
    options
}

fn only_case(cases: &[Case]) -> &Case {
    assert_eq!(cases.len(), 1, "one endpoint, one case: {cases:#?}");
    &cases[0]
}

#[test]
fn each_fault_is_classified_with_its_rule_pointer_and_severity() {
    for expectation in EXPECTATIONS {
        let fault = expectation.fault;
        let server = ScriptedServer::start(move |index, _| reply_for(fault, index));
        let report = run_against(
            &["crm/tickets.create"],
            &server.base_url(),
            None,
            &options_for(fault),
        );
        let case = only_case(&report.cases);
        let found: Vec<(Rule, &str, Severity)> = case
            .findings
            .iter()
            .map(|finding| (finding.rule, finding.pointer.as_str(), finding.severity))
            .collect();
        assert_eq!(found, expectation.findings, "{fault:?}: {case:#?}");
        for words in expectation.message_holds {
            assert!(
                case.findings[0].message.contains(words),
                "{fault:?}: the message should hold {words:?}: {:?}",
                case.findings[0].message
            );
        }
        assert_eq!(
            server.received().len(),
            expectation.requests,
            "{fault:?}: requests received"
        );
        assert_eq!(case.direction, Direction::Response, "{fault:?}");
        assert_eq!(case.failed(), !expectation.findings.is_empty(), "{fault:?}");
        assert!(
            case.latency_ms.is_some(),
            "{fault:?}: every sent case has a latency"
        );
    }
}

#[test]
fn an_html_error_page_is_reported_with_its_body() {
    let server = ScriptedServer::start(|index, _| reply_for(Fault::HtmlErrorPage, index));
    let report = run_against(
        &["crm/tickets.create"],
        &server.base_url(),
        None,
        &test_options(),
    );
    let value = only_case(&report.cases).findings[0]
        .value
        .clone()
        .unwrap_or_default();
    assert!(
        value.contains("<h1>502 Bad Gateway</h1>"),
        "the page is shown: {value}"
    );
}

#[test]
fn a_wrong_type_keeps_every_digit_of_the_value() {
    let server = ScriptedServer::start(|index, _| reply_for(Fault::WrongType, index));
    let report = run_against(
        &["crm/tickets.create"],
        &server.base_url(),
        None,
        &test_options(),
    );
    assert_eq!(
        only_case(&report.cases).findings[0].value.as_deref(),
        Some("271911966272026940869079307116515873576")
    );
}

#[test]
fn retry_after_is_honoured_before_the_retry() {
    let server =
        ScriptedServer::start(|index, _| reply_for(Fault::TooManyRequestsThenSuccess, index));
    let report = run_against(
        &["crm/tickets.create"],
        &server.base_url(),
        None,
        &test_options(),
    );
    assert!(!report.cases[0].failed(), "{report:#?}");
    let received = server.received();
    let waited = received[1].at.duration_since(received[0].at);
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 was waited for, waited {waited:?}"
    );
}

/// Issue 17: `Retry-After: 29` with `--timeout 10` spent 87 s on one case. The budget of waiting
/// per case (the timeout by default) ends the retries at once, and the finding says why.
#[test]
fn a_retry_after_longer_than_the_budget_ends_the_retries_with_a_clear_finding() {
    let server = ScriptedServer::start(|index, _| {
        reply_for(Fault::TooManyRequestsForLongerThanTheBudget, index)
    });
    let mut options = test_options();
    options.timeout = Duration::from_secs(10);
    options.retry.longest_wait = Duration::from_secs(30);
    options.retry.wait_budget = options.timeout;
    let report = run_against(&["crm/tickets.create"], &server.base_url(), None, &options);
    assert_eq!(server.received().len(), 1, "no retry was waited for");
    let finding = &only_case(&report.cases).findings[0];
    assert_eq!(finding.rule, Rule::Status);
    assert!(
        finding.message.ends_with(
            "; not retried: `Retry-After` asks for 29 s, more than the 10 s left of the retry budget of 10 s per case (--retry-budget)"
        ),
        "{}",
        finding.message
    );
}

#[test]
fn a_refused_connection_is_a_transport_finding() {
    let report = run_against(
        &["crm/tickets.create"],
        &refused_base_url(),
        None,
        &test_options(),
    );
    let finding = &only_case(&report.cases).findings[0];
    assert_eq!(
        (finding.rule, finding.pointer.as_str()),
        (Rule::Transport, "")
    );
    assert!(
        finding.message.contains("connection refused"),
        "{}",
        finding.message
    );
}

#[test]
fn a_redirect_to_another_host_never_carries_the_credential() {
    let other_host = ScriptedServer::start(|_, _| json_reply(201, GOOD_TICKET));
    let location = format!("{}/elsewhere", other_host.base_url());
    let server = ScriptedServer::start(move |_, _| {
        Reply::Raw(http_response(
            307,
            None,
            b"",
            &[("Location", location.as_str())],
        ))
    });
    let report = run_against(
        &["crm/tickets.create"],
        &server.base_url(),
        None,
        &test_options(),
    );
    assert!(
        !report.cases[0].failed(),
        "the redirect was followed: {report:#?}"
    );
    let first = &server.received()[0];
    assert_eq!(
        first.header("authorization"),
        Some(format!("Bearer {TEST_CRM_TOKEN}").as_str())
    );
    let followed = &other_host.received()[0];
    assert_eq!(followed.target, "/elsewhere");
    assert_eq!(followed.method, "POST", "307 keeps the method");
    assert_eq!(followed.body, first.body, "307 keeps the body");
    assert!(!followed.body.is_empty());
    assert_eq!(
        followed.header("authorization"),
        None,
        "the other host got no credential"
    );
    assert!(
        !followed
            .headers
            .iter()
            .any(|(_, value)| value.contains(TEST_CRM_TOKEN)),
        "no header carries the token: {:?}",
        followed.headers
    );
}

#[test]
fn a_redirect_on_the_same_origin_keeps_the_credential() {
    let server = ScriptedServer::start(|index, _| reply_for(Fault::RedirectOnTheSameOrigin, index));
    let report = run_against(
        &["crm/tickets.create"],
        &server.base_url(),
        None,
        &test_options(),
    );
    assert!(!report.cases[0].failed(), "{report:#?}");
    let received = server.received();
    assert_eq!(received[1].target, "/v2/tickets/create-moved");
    assert_eq!(
        received[1].header("authorization"),
        Some(format!("Bearer {TEST_CRM_TOKEN}").as_str())
    );
}

#[test]
fn faults_in_one_run_stay_in_their_own_case() {
    // One server, a different fault on each path; LadiFlow points at a port that refuses.
    let server = ScriptedServer::start(|_, request| match request.target.as_str() {
        "/v2/accounts/create" => reply_for(Fault::SlowerThanTheTimeout, 0),
        "/v2/leads/create" => reply_for(Fault::HtmlErrorPage, 0),
        "/v2/leads/intelligent" => reply_for(Fault::TruncatedJson, 0),
        _ => json_reply(201, GOOD_TICKET),
    });
    let mut base_urls = super::support::everything_at(&server.base_url());
    base_urls.insert("ladiflow".to_owned(), refused_base_url());
    let fixtures = mock_fixtures();
    let plan = super::support::plan_for(&[], &base_urls, Some(&fixtures));
    let mut options = test_options();
    options.timeout = Duration::from_millis(400);
    let report = conformance::live::run(
        &super::support::vendor_fixture().1,
        &plan,
        &options,
        &|_| {},
    )
    .expect("writes are allowed");
    let outcome: Vec<(String, Vec<Rule>)> = report
        .cases
        .iter()
        .map(|case| {
            (
                case.endpoint_key(),
                case.findings.iter().map(|finding| finding.rule).collect(),
            )
        })
        .collect();
    assert_eq!(
        outcome,
        vec![
            ("crm/accounts.create".to_owned(), vec![Rule::Transport]),
            ("crm/leads.create".to_owned(), vec![Rule::Status]),
            ("crm/leads.intelligent".to_owned(), vec![Rule::NotJson]),
            ("crm/tickets.create".to_owned(), vec![]),
            ("ladiflow/customer.create".to_owned(), vec![Rule::Transport]),
        ]
    );
    assert!(
        report
            .cases
            .iter()
            .all(|case| matches!(&case.source, CaseSource::Live { .. }))
    );
}
