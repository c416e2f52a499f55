//! The mock server started on 127.0.0.1 (an ephemeral port), requests in, answers out: the
//! documented status and example body with fresh ids and echoed values for valid requests, a
//! JSON error with the right status for everything else (401, 404, 405, 400, 413, 415, 422 with
//! every finding's pointer), no panic and no stop on hostile input, and a live run against it
//! that passes. The mock serves the vendor fixture (`tests/fixtures/vendors`), whose endpoints
//! these tests name.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use conformance::mock::{MockHandle, MockOptions, serve};
use serde_json::Value;

use crate::live::support::{mock_fixtures, run_against, test_options, vendor_fixture};

const TICKET: &str = r#"{"subject": "בדיקה", "status": "233476065495939904005866822871905093425"}"#;

fn start_mock(options: MockOptions) -> MockHandle {
    let (sources, contracts) = vendor_fixture();
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    serve(Arc::clone(contracts), sources, listener, options).expect("the mock starts")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Sends a request and returns the status, the content type and the body parsed as JSON.
fn send(
    mock: &MockHandle,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Value) {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", mock.base_url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body.to_vec())
        .expect("the test request builds");
    let mut response = agent().run(request).expect("the mock answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.body_mut().read_to_vec().expect("the body arrives");
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, content_type, value)
}

const JSON: (&str, &str) = ("content-type", "application/json");
const BEARER: (&str, &str) = ("authorization", "Bearer mock-token-123");
const API_KEY: (&str, &str) = ("api-key", "mock-key-123");

/// One request to the mock and the answer it must get.
struct Exchange {
    what: &'static str,
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    status: u16,
    /// The answer's `error` code, or `None` for the documented answer.
    error: Option<&'static str>,
}

#[test]
fn each_request_gets_the_documented_answer_or_a_json_error_with_the_right_status() {
    let mock = start_mock(MockOptions {
        max_body_bytes: 2048,
        ..MockOptions::default()
    });
    let big = format!(r#"{{"subject": "{}", "status": "1"}}"#, "x".repeat(4096));
    let row = |what,
               method,
               path,
               headers: &[(&'static str, &'static str)],
               body: &[u8],
               status,
               error| Exchange {
        what,
        method,
        path,
        headers: headers.to_vec(),
        body: body.to_vec(),
        status,
        error,
    };
    let basic = ("authorization", "Basic dXNlcjpwdw==");
    let form = ("content-type", "application/x-www-form-urlencoded");
    let customer = br#"{"email": "a@b.vn"}"#;
    let cases = [
        row(
            "a valid ticket",
            "POST",
            "/v2/tickets/create",
            &[JSON, BEARER],
            TICKET.as_bytes(),
            201,
            None,
        ),
        row(
            "no media type is taken as JSON",
            "POST",
            "/v2/tickets/create",
            &[BEARER],
            TICKET.as_bytes(),
            201,
            None,
        ),
        row(
            "no credential",
            "POST",
            "/v2/tickets/create",
            &[JSON],
            TICKET.as_bytes(),
            401,
            Some("unauthorized"),
        ),
        row(
            "another scheme",
            "POST",
            "/v2/tickets/create",
            &[JSON, basic],
            TICKET.as_bytes(),
            401,
            Some("unauthorized"),
        ),
        row(
            "a bearer without a token",
            "POST",
            "/v2/tickets/create",
            &[JSON, ("authorization", "Bearer ")],
            TICKET.as_bytes(),
            401,
            Some("unauthorized"),
        ),
        row(
            "a token with a space",
            "POST",
            "/v2/tickets/create",
            &[JSON, ("authorization", "Bearer a b")],
            TICKET.as_bytes(),
            401,
            Some("unauthorized"),
        ),
        row(
            "the CRM's header on LadiFlow",
            "POST",
            "/1.0/customer/create",
            &[JSON, BEARER],
            customer,
            401,
            Some("unauthorized"),
        ),
        row(
            "an API key with a space",
            "POST",
            "/1.0/customer/create",
            &[JSON, ("api-key", "a b")],
            customer,
            401,
            Some("unauthorized"),
        ),
        row(
            "a valid customer",
            "POST",
            "/1.0/customer/create",
            &[JSON, API_KEY],
            customer,
            200,
            None,
        ),
        row(
            "an unknown route",
            "POST",
            "/v2/nothing",
            &[JSON, BEARER],
            b"{}",
            404,
            Some("not_found"),
        ),
        row(
            "a trailing slash is another route",
            "POST",
            "/v2/tickets/create/",
            &[JSON, BEARER],
            b"{}",
            404,
            Some("not_found"),
        ),
        row(
            "another method",
            "GET",
            "/v2/tickets/create",
            &[BEARER],
            b"",
            405,
            Some("method_not_allowed"),
        ),
        row(
            "malformed JSON",
            "POST",
            "/v2/tickets/create",
            &[JSON, BEARER],
            br#"{"subject": "#,
            400,
            Some("malformed_json"),
        ),
        row(
            "an empty body",
            "POST",
            "/v2/tickets/create",
            &[JSON, BEARER],
            b"",
            400,
            Some("malformed_json"),
        ),
        row(
            "a form body",
            "POST",
            "/v2/tickets/create",
            &[form, BEARER],
            b"subject=x",
            415,
            Some("unsupported_media_type"),
        ),
        row(
            "an oversized body",
            "POST",
            "/v2/tickets/create",
            &[JSON, BEARER],
            big.as_bytes(),
            413,
            Some("payload_too_large"),
        ),
        row(
            "a schema violation",
            "POST",
            "/v2/tickets/create",
            &[JSON, BEARER],
            br#"{"subject": 1}"#,
            422,
            Some("invalid_request"),
        ),
    ];
    for case in cases {
        let name = case.what;
        let (got_status, content_type, value) =
            send(&mock, case.method, case.path, &case.headers, &case.body);
        assert_eq!(got_status, case.status, "{name}: {value}");
        assert_eq!(content_type, "application/json", "{name}");
        match case.error {
            Some(code) => {
                assert_eq!(value["error"], code, "{name}: {value}");
                assert!(
                    value["message"]
                        .as_str()
                        .is_some_and(|message| !message.is_empty()),
                    "{name}"
                );
            }
            None => assert!(value.get("error").is_none(), "{name}: {value}"),
        }
    }
}

/// A request the mock refuses, and the (pointer, rule) of every finding it must list.
struct Refusal {
    what: &'static str,
    path: &'static str,
    credential: (&'static str, &'static str),
    body: Vec<u8>,
    expected: &'static [(&'static str, &'static str)],
}

#[test]
fn a_refused_request_lists_every_finding_with_its_pointer() {
    let mock = start_mock(MockOptions::default());
    let (sources, _) = vendor_fixture();
    let accounts_example = sources
        .get("spec/crm/examples/accounts.create.request.json")
        .expect("the example exists")
        .to_vec();
    let cases = [
        Refusal {
            what: "the CRM accounts example as the page prints it",
            path: "/v2/accounts/create",
            credential: BEARER,
            body: accounts_example,
            expected: &[
                ("/b_day", "format"),
                ("/city", "undocumented-field"),
                ("/email", "undocumented-field"),
                ("/lead_id", "type"),
                ("/owner", "type"),
                ("/status", "type"),
                ("/type", "type"),
            ],
        },
        Refusal {
            what: "a customer with neither email nor phone",
            path: "/1.0/customer/create",
            credential: API_KEY,
            body: br#"{"first_name": "Lan", "gender": "other"}"#.to_vec(),
            expected: &[("", "at-least-one-of"), ("/gender", "enum")],
        },
        Refusal {
            what: "a ticket without its required fields",
            path: "/v2/tickets/create",
            credential: BEARER,
            body: b"{}".to_vec(),
            expected: &[("/status", "required"), ("/subject", "required")],
        },
    ];
    for Refusal {
        what: name,
        path,
        credential,
        body,
        expected,
    } in cases
    {
        let (status, _, value) = send(&mock, "POST", path, &[JSON, credential], &body);
        assert_eq!(status, 422, "{name}: {value}");
        let found: Vec<(String, String)> = value["findings"]
            .as_array()
            .map(|findings| {
                findings
                    .iter()
                    .map(|finding| {
                        (
                            finding["pointer"].as_str().unwrap_or_default().to_owned(),
                            finding["rule"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(pointer, rule)| ((*pointer).to_owned(), (*rule).to_owned()))
            .collect();
        assert_eq!(found, expected, "{name}: {value}");
    }
}

#[test]
fn crm_answers_carry_fresh_39_digit_string_ids_and_echo_the_status() {
    let mock = start_mock(MockOptions::default());
    let mut ids = Vec::new();
    for status in [
        "233476065495939904005866822871905093425",
        "111111111111111111111111111111111111111",
    ] {
        let body = format!(r#"{{"subject": "x", "status": "{status}"}}"#);
        let (code, _, value) = send(
            &mock,
            "POST",
            "/v2/tickets/create",
            &[JSON, BEARER],
            body.as_bytes(),
        );
        assert_eq!(code, 201);
        assert_eq!(
            value["ticket_status"], status,
            "the request's status is echoed"
        );
        assert_eq!(
            value["message"], "טיקט נוצר בהצלחה",
            "the docs' Hebrew message is kept"
        );
        let id = value["id"].as_str().expect("the id is a string").to_owned();
        assert_eq!(id.len(), 39, "{id}");
        let number: u128 = id
            .parse()
            .expect("a 39-digit id fits 128 bits, as the CRM's do");
        assert!(number >= 10u128.pow(38), "{id}");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1], "each answer gets a fresh id");
    assert_ne!(
        ids[0], "271911966272026940869079307116515873576",
        "not the docs' id"
    );
}

#[test]
fn ladiflow_answers_carry_a_fresh_hex_id_and_echo_the_customer() {
    let mock = start_mock(MockOptions::default());
    let body = r#"{"email": "lan@ví-dụ.vn", "first_name": "Nguyễn Thị Lan", "gender": "female", "postal_code": 700000000000000000000001}"#;
    let (status, _, value) = send(
        &mock,
        "POST",
        "/1.0/customer/create",
        &[JSON, API_KEY],
        body.as_bytes(),
    );
    assert_eq!(
        status, 200,
        "the spec gives the class 2XX; the mock answers its first code"
    );
    let data = &value["data"];
    assert_eq!(data["email"], "lan@ví-dụ.vn");
    assert_eq!(data["first_name"], "Nguyễn Thị Lan");
    assert_eq!(data["gender"], "female");
    assert_eq!(
        data["postal_code"].to_string(),
        "700000000000000000000001",
        "every digit echoed"
    );
    assert_eq!(
        data["city"], "Hà Nội",
        "what the request does not give stays the docs' example"
    );
    let id = data["_id"].as_str().expect("the id is a string");
    assert_eq!(id.len(), 24);
    assert!(id.bytes().all(|byte| byte.is_ascii_hexdigit()), "{id}");
    assert_ne!(id, "653a3ca502e8ab00122c39c3", "not the docs' id");
}

#[test]
fn a_live_run_against_the_mock_passes() {
    let mock = start_mock(MockOptions::default());
    assert!(
        mock.notes().is_empty(),
        "every answer is the docs' example: {:?}",
        mock.notes()
    );
    let endpoints = vendor_fixture().1.endpoint_keys().len();
    assert_eq!(mock.routes().len(), endpoints, "{:?}", mock.routes());
    let fixtures = mock_fixtures();
    let mut options = test_options();
    options.concurrency = 3;
    let report = run_against(&[], &mock.base_url(), Some(&fixtures), &options);
    assert_eq!(report.cases.len(), endpoints);
    let failed: Vec<String> = report
        .cases
        .iter()
        .filter(|case| case.failed())
        .map(|case| case.name())
        .collect();
    assert!(failed.is_empty(), "{failed:?}: {report:#?}");
    assert_eq!(
        report.summary().new + report.summary().known,
        0,
        "not even a warning"
    );
}

#[test]
fn hostile_requests_never_break_the_mock() {
    // Bodies stay under the limit: an over-limit body is refused before it is read, and a
    // client still writing it may see its connection closed (the 413 case is tested above).
    let mock = start_mock(MockOptions::default());
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let nested_object = format!("{}1{}", r#"{"a":"#.repeat(5000), "}".repeat(5000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("not UTF-8", vec![0xff, 0xfe, 0x7b, 0x00, 0x80]),
        (
            "a NUL inside a string",
            b"{\"subject\": \"a\0b\", \"status\": \"1\"}".to_vec(),
        ),
        ("deep arrays", deep.into_bytes()),
        ("deep objects", nested_object.into_bytes()),
        (
            "a huge exponent",
            br#"{"subject": "x", "status": "1", "n": 1e999999999}"#.to_vec(),
        ),
        (
            "a lone surrogate",
            br#"{"subject": "\ud800", "status": "1"}"#.to_vec(),
        ),
        ("a top-level string", br#""just a string""#.to_vec()),
        (
            "duplicate keys",
            br#"{"subject": "a", "subject": 1, "status": "1"}"#.to_vec(),
        ),
    ];
    for (name, body) in &bodies {
        let (status, _, value) = send(&mock, "POST", "/v2/tickets/create", &[JSON, BEARER], body);
        assert!(
            matches!(status, 400 | 413 | 422),
            "{name}: {status} {value}"
        );
        assert!(value["error"].is_string(), "{name}: {value}");
    }
    let raw_requests: Vec<(&str, Vec<u8>)> = vec![
        ("a header value that is not ASCII", b"POST /v2/tickets/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xc3\xa9\xff\r\nContent-Length: 2\r\n\r\n{}".to_vec()),
        ("a body shorter than promised", b"POST /v2/tickets/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 100\r\n\r\n{\"a\"".to_vec()),
        ("a huge promised length", b"POST /v2/tickets/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 99999999999\r\n\r\n{}".to_vec()),
        ("a chunked body past the limit", {
            let mut bytes = b"POST /v2/tickets/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for _ in 0..300 {
                bytes.extend_from_slice(b"1000\r\n");
                bytes.extend_from_slice(&[b' '; 0x1000]);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            bytes
        }),
        ("not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n".to_vec()),
        ("a path with odd bytes", b"GET /%00/../%ff?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
    ];
    for (name, bytes) in &raw_requests {
        let mut stream = TcpStream::connect(mock.address()).expect("the mock accepts connections");
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.write_all(bytes);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let head = String::from_utf8_lossy(&answer[..answer.len().min(12)]).into_owned();
        assert!(
            answer.is_empty() || head.starts_with("HTTP/1.1 4"),
            "{name}: answered {head:?}"
        );
    }
    let (status, _, _) = send(
        &mock,
        "POST",
        "/v2/tickets/create",
        &[JSON, BEARER],
        TICKET.as_bytes(),
    );
    assert_eq!(status, 201, "the mock still answers after all of it");
}

#[test]
fn the_mock_runs_from_another_thread_and_stops_when_asked() {
    let (sources, contracts) = vendor_fixture();
    let contracts = Arc::clone(contracts);
    let sources = sources.clone();
    let started = std::thread::spawn(move || {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        serve(contracts, &sources, listener, MockOptions::default()).expect("the mock starts")
    })
    .join()
    .expect("the starting thread finishes");
    let address = started.address();
    assert!(address.ip().is_loopback());
    assert_ne!(address.port(), 0, "the OS chose a port");
    let (status, _, _) = send(
        &started,
        "POST",
        "/v2/tickets/create",
        &[JSON, BEARER],
        TICKET.as_bytes(),
    );
    assert_eq!(status, 201);
    started.stop().expect("the mock stops cleanly");
    assert!(
        TcpStream::connect(address).is_err(),
        "nothing listens after stop"
    );
}

/// Where the mock makes a body up, it answers each field that has a `default` with it, exactly
/// as the spec writes it, and the body it makes keeps every limit: every body of the kitchen
/// sink (which has defaults and limits) checks without an error.
#[test]
fn made_up_bodies_use_defaults_and_keep_limits() {
    let (_, contracts) = crate::kitchen_sink_contracts();
    let mut defaults_seen = 0;
    for contract in contracts.bodies() {
        let body = conformance::mock::routes::minimal_object(&contract.object);
        for field in &contract.object.fields {
            if let Some(default) = &field.default {
                defaults_seen += 1;
                assert_eq!(
                    body.get(&field.wire_name).map(|value| value.to_string()),
                    Some(default.to_string()),
                    "{} {}: `{}` is answered with its default",
                    contract.key(),
                    contract.direction.as_str(),
                    field.wire_name
                );
            }
        }
        let bytes = serde_json::to_vec(&body).expect("json writes");
        let check = conformance::check::check_payload(contract, &bytes);
        let errors: Vec<_> = check
            .findings
            .iter()
            .filter(|finding| finding.severity == conformance::Severity::Error)
            .map(|finding| format!("{} {}", finding.rule.as_str(), finding.pointer))
            .collect();
        assert!(
            errors.is_empty(),
            "{} {}: the made-up body {body} has errors: {errors:?}",
            contract.key(),
            contract.direction.as_str()
        );
    }
    assert!(
        defaults_seen > 0,
        "the kitchen sink has no field with a default"
    );
}
