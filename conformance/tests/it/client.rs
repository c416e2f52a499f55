//! The generated typed clients (of the vendor fixture: `conformance_fixture_types::<service>::Client`)
//! against the mock server started on 127.0.0.1 (ephemeral port): every endpoint called with its
//! page's example request gets its typed response; a refused credential gives an error with the
//! status and findings; and against a scripted server on 127.0.0.1, 429 and 503 are retried as
//! `Retry-After` says, within the bound, and the credential never appears in an error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use conformance::mock::{MockOptions, serve};
use conformance_fixture_types::Endpoint;
use conformance_fixture_types::client::{ClientError, ClientOptions, Finding, Secret};
use serde::de::DeserializeOwned;

use crate::live::support::vendor_fixture;

const TOKEN: &str = "mock-token-123";

/// A request of endpoint `E`: the first of the page's example requests that reads as the request
/// type (some carry known discrepancies), else the mock's minimal request for the body.
fn example_request<E: Endpoint>() -> E::Request
where
    E::Request: DeserializeOwned,
{
    let (sources, _) = vendor_fixture();
    let model = codegen::load_model(sources).expect("the specs load");
    let endpoint = model
        .services
        .iter()
        .flat_map(|service| &service.endpoints)
        .find(|endpoint| endpoint.service == E::SERVICE && endpoint.id == E::ID)
        .expect("the endpoint is specified");
    let examples = endpoint
        .examples
        .iter()
        .filter_map(|example| example.request.as_ref())
        .filter_map(|file| sources.get(&file.file))
        .filter_map(|bytes| serde_json::from_slice::<E::Request>(bytes).ok());
    let minimal = endpoint.request.as_ref().and_then(|body| {
        serde_json::from_value(conformance::mock::routes::minimal_object(&body.object)).ok()
    });
    examples
        .chain(minimal)
        .next()
        .unwrap_or_else(|| panic!("{}/{}: no request reads as the type", E::SERVICE, E::ID))
}

/// Calls `E` through `call` with its example request; the typed response must come back.
fn check<E: Endpoint>(call: impl Fn(&E::Request) -> Result<E::Response, ClientError>)
where
    E::Request: DeserializeOwned,
{
    let request = example_request::<E>();
    if let Err(error) = call(&request) {
        panic!("{}/{}: {error}", E::SERVICE, E::ID);
    }
}

fn quick_options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(10),
        default_retry_wait: Duration::from_millis(10),
        longest_retry_wait: Duration::from_secs(2),
        ..ClientOptions::default()
    }
}

#[test]
fn every_endpoint_answers_its_typed_response_from_the_mock() {
    let (sources, contracts) = vendor_fixture();
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let mock = serve(
        Arc::clone(contracts),
        sources,
        listener,
        MockOptions::default(),
    )
    .expect("the mock starts");
    let base_url = mock.base_url();
    let crm = conformance_fixture_types::crm::Client::with_options(
        &base_url,
        Secret::new(TOKEN),
        quick_options(),
    );
    check::<conformance_fixture_types::crm::endpoints::AccountsCreate>(|request| {
        crm.accounts_create(request)
    });
    check::<conformance_fixture_types::crm::endpoints::LeadsCreate>(|request| {
        crm.leads_create(request)
    });
    check::<conformance_fixture_types::crm::endpoints::LeadsIntelligent>(|request| {
        crm.leads_intelligent(request)
    });
    check::<conformance_fixture_types::crm::endpoints::TicketsCreate>(|request| {
        crm.tickets_create(request)
    });
    let ladiflow = conformance_fixture_types::ladiflow::Client::with_options(
        &base_url,
        Secret::new("mock-key-123"),
        quick_options(),
    );
    check::<conformance_fixture_types::ladiflow::endpoints::CustomerCreate>(|request| {
        ladiflow.customer_create(request)
    });

    // A malformed credential: the mock answers 401, which is not the contract's success.
    let refused = conformance_fixture_types::crm::Client::with_options(
        &base_url,
        Secret::new("not a token"),
        quick_options(),
    );
    let error = refused
        .tickets_create(&conformance_fixture_types::crm::TicketsCreateRequest::new(
            "s", "1",
        ))
        .expect_err("a refused credential is an error");
    assert_eq!(error.status(), Some(401), "{error}");
    assert!(
        error
            .findings()
            .iter()
            .any(|finding| matches!(finding, Finding::StatusMismatch { actual: 401, .. })),
        "{error}"
    );
    assert!(!error.to_string().contains("not a token"), "{error}");
    mock.stop().expect("the mock stops");
}

/// A server on 127.0.0.1 answering each request with the next of `answers` (status,
/// `Retry-After`, body; `{auth}` in a body is replaced by the request's `authorization` header),
/// the last one repeated; it counts the requests.
fn scripted_server(answers: Vec<(u16, Option<u64>, String)>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let address = listener.local_addr().expect("an address");
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
            let mut authorization = String::new();
            let mut length = 0_usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(value) = lower.strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("authorization:") {
                    authorization = line["authorization:".len()..].trim().to_owned();
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let index = counter.fetch_add(1, Ordering::SeqCst);
            let (status, retry_after, text) = answers[index.min(answers.len() - 1)].clone();
            let text = text.replace("{auth}", &authorization);
            let retry_after = retry_after
                .map(|seconds| format!("retry-after: {seconds}\r\n"))
                .unwrap_or_default();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{retry_after}content-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (format!("http://{address}"), count)
}

const TICKET_ANSWER: &str = r#"{"id": "271911966272026940869079307116515873576", "message": "ok", "ticket_status": "233476065495939904005866822871905093425"}"#;
const SECRET_VALUE: &str = "s3cr3t-token-value";

fn ticket() -> conformance_fixture_types::crm::TicketsCreateRequest {
    conformance_fixture_types::crm::TicketsCreateRequest::new("subject", "1")
}

#[test]
fn too_many_requests_is_retried_after_the_wait_the_server_asks_for() {
    let (base_url, count) = scripted_server(vec![
        (429, Some(0), r#"{"error": "slow down"}"#.to_owned()),
        (201, None, TICKET_ANSWER.to_owned()),
    ]);
    let client = conformance_fixture_types::crm::Client::with_options(
        &base_url,
        Secret::new(SECRET_VALUE),
        quick_options(),
    );
    let response = client
        .tickets_create(&ticket())
        .expect("the retry succeeds");
    assert_eq!(
        response.ticket_status,
        "233476065495939904005866822871905093425"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[test]
fn retries_stop_at_the_bound_and_the_error_masks_the_credential() {
    let echo = r#"{"error": "unavailable", "you sent": "{auth}"}"#.to_owned();
    let (base_url, count) = scripted_server(vec![(503, Some(0), echo.clone())]);
    let client = conformance_fixture_types::crm::Client::with_options(
        &base_url,
        Secret::new(SECRET_VALUE),
        quick_options(),
    );
    let error = client
        .tickets_create(&ticket())
        .expect_err("503 every time");
    assert_eq!(count.load(Ordering::SeqCst), 3, "three attempts in all");
    assert_eq!(error.status(), Some(503));
    let shown = format!("{error} {error:?} {:?}", error.body());
    assert!(!shown.contains(SECRET_VALUE), "{shown}");
    assert!(
        error
            .body()
            .is_some_and(|body| body.contains("Bearer ****")),
        "{shown}"
    );
    assert!(
        error
            .findings()
            .iter()
            .any(|finding| matches!(finding, Finding::BodyDoesNotMatchType { .. })),
        "{shown}"
    );

    // A wait beyond the bound is not waited for: one attempt.
    let (base_url, count) = scripted_server(vec![(429, Some(3600), echo)]);
    let client = conformance_fixture_types::crm::Client::with_options(
        &base_url,
        Secret::new(SECRET_VALUE),
        quick_options(),
    );
    let error = client
        .tickets_create(&ticket())
        .expect_err("429 asking for an hour");
    assert_eq!(error.status(), Some(429));
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_eq!(
        format!(
            "{:?} {}",
            Secret::new(SECRET_VALUE),
            Secret::new(SECRET_VALUE)
        ),
        "Secret(****) ****"
    );
}

#[test]
fn a_request_the_schema_would_refuse_is_not_sent() {
    let (base_url, count) = scripted_server(vec![(201, None, "{}".to_owned())]);
    let client = conformance_fixture_types::ladiflow::Client::with_options(
        &base_url,
        Secret::new(SECRET_VALUE),
        quick_options(),
    );
    let mut request =
        conformance_fixture_types::ladiflow::CustomerCreateRequest::new_with_email("a@example.com");
    request.email = None;
    let error = client
        .customer_create(&request)
        .expect_err("no email and no phone");
    assert!(matches!(error, ClientError::Request { .. }), "{error}");
    assert!(
        error.to_string().contains("needs at least one of"),
        "{error}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 0);
}
