//! The contracts and the spec examples in, an HTTP server on a given listener out: every
//! endpoint of every service, answered as the docs describe, for developing against before
//! there are credentials (and as the well-behaved server of the live tests).
//!
//! Each request goes through, in order: the route (unknown path: 404; known path, other
//! method: 405 with `Allow`), the credential header (missing or malformed: 401 with a JSON
//! error; never echoed), the other headers the page's table requires (missing: 400 with a
//! `header` finding each), the body size (over the limit: 413), the media type (present and
//! not the documented one: 415), the JSON itself (malformed or empty: 400, with line and column), the request
//! schema (refused: 422 with every finding as JSON: pointer, rule, message, value), and then
//! the answer: the docs' example response with the documented status (the first code of the
//! class when the spec gives a class), fresh ids where the example has an `id` or `_id` string
//! (39-digit decimal strings for the CRM), and request values echoed where the example echoes
//! them. Every error answer is `{"error": <code>, "message": <text>}`. Nothing panics on any
//! request; each is logged (method, path, status, time) without headers or bodies.
//!
//! Bounds: a request head larger than [`MockOptions::max_header_bytes`] gets 431; a head slower
//! than [`MockOptions::header_timeout`] (also the longest a connection may sit idle) closes the
//! connection; a body slower than [`MockOptions::body_timeout`] gets 408; at most
//! [`MockOptions::max_connections`] connections are open at once (one more is closed as soon as
//! it is accepted); request bodies held at once over every connection are bounded by
//! [`MockOptions::max_buffered_body_bytes`] (503 past it). Slow or stalled clients cost a
//! connection each and never hold up the others.
//!
//! A mock told to be lenient with a rule for an endpoint ([`MockOptions::lenient`]) lets a
//! request that breaks only such rules through, as a server that does not enforce its page.
//!
//! Start it with [`serve`] on any `std::net::TcpListener` (tests bind `127.0.0.1:0`); it runs
//! on its own thread with its own runtime, so it can be started from any thread or process.

pub mod ids;
mod lenient;
pub mod routes;

pub use lenient::LenientRule;

use std::fmt;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use codegen::SpecSources;
use codegen::model::{AuthScheme, Direction};
use serde_json::{Value, json};

use crate::bounds::with_stack_for;
use crate::check::{check_value, parse_payload};
use crate::contract::Contracts;
use crate::finding::{Rule, Severity};
use crate::headers::media_type_matches;
use crate::live::secret::Scrubber;
use crate::mock::ids::IdGenerator;
use crate::mock::routes::{MockRoute, build_routes};

/// Largest request body accepted by default (1 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
/// Largest request head (request line and headers) accepted by default (64 KiB); a larger one
/// gets 431 and the connection is closed.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 * 1024;
/// How long a connection may take to send a request's head, and may sit idle between requests,
/// by default; then it is closed.
pub(crate) const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request's body may take to arrive, by default; then the answer is 408.
pub(crate) const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections open at once, by default; further ones are closed as soon as they are accepted.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Bytes of request bodies held at once over every connection, by default; a request whose body
/// would pass it gets 503.
pub(crate) const DEFAULT_MAX_BUFFERED_BODY_BYTES: usize = 64 << 20;

/// Called once per request with what may be logged.
pub type RequestLogger = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// How the mock runs.
#[derive(Clone)]
pub struct MockOptions {
    /// Largest request body; larger ones get 413.
    pub max_body_bytes: usize,
    /// Where each request's log line goes; `None`: nowhere.
    pub log: Option<RequestLogger>,
    /// Whether Ctrl-C (SIGINT) stops the server too.
    pub stop_on_interrupt: bool,
    /// Threads of the server's runtime.
    pub worker_threads: usize,
    /// Largest request head; larger ones get 431.
    pub max_header_bytes: usize,
    /// The longest a request's head may take to arrive, and a connection may sit idle.
    pub header_timeout: Duration,
    /// The longest a request's body may take to arrive.
    pub body_timeout: Duration,
    /// Connections open at once; further ones are closed when accepted.
    pub max_connections: usize,
    /// Bytes of request bodies held at once over every connection.
    pub max_buffered_body_bytes: usize,
    /// Rules the mock does not enforce, by endpoint (`crm/leads.create`, or `*` for every
    /// endpoint): a request breaking only these is answered as a valid one. For showing a
    /// probe catching a server that does not do what its page says.
    pub lenient: Vec<LenientRule>,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            log: None,
            stop_on_interrupt: false,
            worker_threads: 2,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_buffered_body_bytes: DEFAULT_MAX_BUFFERED_BODY_BYTES,
            lenient: Vec::new(),
        }
    }
}

impl fmt::Debug for MockOptions {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("MockOptions")
            .field("max_body_bytes", &self.max_body_bytes)
            .field("log", &self.log.is_some())
            .field("stop_on_interrupt", &self.stop_on_interrupt)
            .field("worker_threads", &self.worker_threads)
            .field("max_header_bytes", &self.max_header_bytes)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("max_connections", &self.max_connections)
            .field("max_buffered_body_bytes", &self.max_buffered_body_bytes)
            .field("lenient", &self.lenient)
            .finish()
    }
}

/// What is logged of one request: never a header, never a body, never the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    /// HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// The endpoint matched, as `service/endpoint`.
    pub endpoint: Option<String>,
    /// Why the status, in a few words.
    pub note: String,
    /// Time spent answering, in microseconds.
    pub micros: u64,
}

impl fmt::Display for RequestLog {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {} -> {} {}{} ({:.1} ms)",
            self.method,
            self.path,
            self.status,
            self.note,
            self.endpoint
                .as_deref()
                .map(|endpoint| format!(" [{endpoint}]"))
                .unwrap_or_default(),
            self.micros as f64 / 1000.0
        )
    }
}

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// Two endpoints share a method and a path.
    #[error("{first} and {second} are both `{method} {path}`: the mock cannot tell them apart")]
    RouteClash {
        /// One endpoint.
        first: String,
        /// The other.
        second: String,
        /// Their method.
        method: String,
        /// Their path.
        path: String,
    },
    /// The listener or the runtime failed.
    #[error("starting the mock server: {0}")]
    Io(#[from] std::io::Error),
    /// The server's thread ended with an error.
    #[error("the mock server stopped with an error: {0}")]
    Stopped(String),
}

/// The mock's routes and state, shared by every request.
pub struct MockServer {
    contracts: Arc<Contracts>,
    routes: Vec<MockRoute>,
    ids: IdGenerator,
    max_body_bytes: usize,
    body_timeout: Duration,
    buffered_body_bytes: Arc<tokio::sync::Semaphore>,
    log: Option<RequestLogger>,
    notes: Vec<String>,
    lenient: Vec<LenientRule>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("MockServer")
            .field("routes", &self.describe_routes())
            .field("max_body_bytes", &self.max_body_bytes)
            .field("notes", &self.notes)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Builds the routes of every endpoint from the contracts and the example files in
    /// `sources`.
    pub fn build(
        contracts: Arc<Contracts>,
        sources: &SpecSources,
        options: &MockOptions,
    ) -> Result<MockServer, MockError> {
        let (routes, notes) = build_routes(&contracts, sources);
        for (index, route) in routes.iter().enumerate() {
            if let Some(other) = routes[..index]
                .iter()
                .find(|other| other.method == route.method && other.path == route.path)
            {
                return Err(MockError::RouteClash {
                    first: other.key(),
                    second: route.key(),
                    method: route.method.as_str().to_owned(),
                    path: route.path.clone(),
                });
            }
        }
        Ok(MockServer {
            contracts,
            routes,
            ids: IdGenerator::new(),
            max_body_bytes: options.max_body_bytes,
            body_timeout: options.body_timeout,
            buffered_body_bytes: Arc::new(tokio::sync::Semaphore::new(
                options
                    .max_buffered_body_bytes
                    .min(tokio::sync::Semaphore::MAX_PERMITS),
            )),
            log: options.log.clone(),
            notes,
            lenient: options.lenient.clone(),
        })
    }

    /// Where an answer could not come from the docs' example, and why.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Every route, as `METHOD /path (service/endpoint, read|write)`.
    pub fn describe_routes(&self) -> Vec<String> {
        self.routes
            .iter()
            .map(|route| {
                format!(
                    "{} {} ({}, {})",
                    route.method.as_str(),
                    route.path,
                    route.key(),
                    route.effect.as_str()
                )
            })
            .collect()
    }

    /// The axum router answering every request.
    pub(crate) fn router(self: Arc<Self>) -> axum::Router {
        axum::Router::new().fallback(handle).with_state(self)
    }

    async fn answer(&self, request: Request) -> (Response, Option<String>, String) {
        let path = request.uri().path().to_owned();
        let method = request.method().as_str().to_owned();
        let on_path: Vec<&MockRoute> = self
            .routes
            .iter()
            .filter(|route| route.matches_path(&path))
            .collect();
        if on_path.is_empty() {
            let served = self.describe_routes().join(", ");
            return (
                error(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("no endpoint at `{path}`; this mock serves: {served}"),
                ),
                None,
                "unknown route".to_owned(),
            );
        }
        let Some(route) = on_path.iter().find(|route| route.method.as_str() == method) else {
            let allowed = on_path
                .iter()
                .map(|route| route.method.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let mut response = error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("`{path}` takes {allowed}, not {method}"),
            );
            if let Ok(value) = HeaderValue::from_str(&allowed) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            return (response, None, "wrong method".to_owned());
        };
        let key = Some(route.key());
        if let Err(message) = check_credential(route, request.headers()) {
            let mut response = error(StatusCode::UNAUTHORIZED, "unauthorized", message);
            if route.auth.scheme == AuthScheme::Bearer {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            return (response, key, "credential missing or malformed".to_owned());
        }
        let missing: Vec<&String> = route
            .required_headers
            .iter()
            .filter(|name| !request.headers().contains_key(name.as_str()))
            .collect();
        if !missing.is_empty() {
            let findings: Vec<Value> = missing
                .iter()
                .map(|name| {
                    json!({
                        "pointer": "",
                        "rule": Rule::Header.as_str(),
                        "message": format!("required header `{name}` is missing"),
                    })
                })
                .collect();
            let body = json!({
                "error": "missing_header",
                "message": format!(
                    "the request lacks {} header{} the page's table requires",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" }
                ),
                "findings": findings,
            });
            return (
                json_response(StatusCode::BAD_REQUEST, &body),
                key,
                "required header missing".to_owned(),
            );
        }
        let declared_length = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if declared_length.is_some_and(|length| length > self.max_body_bytes as u64) {
            return (self.too_large(), key, "body too large".to_owned());
        }
        if let Some(content_type) = request.headers().get(header::CONTENT_TYPE) {
            let media = content_type
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let documented = route
                .request_media_type
                .as_deref()
                .unwrap_or("application/json");
            if !media_type_matches(documented, &media) {
                return (
                    error(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "unsupported_media_type",
                        format!("the body must be `{documented}`, found `{media}`"),
                    ),
                    key,
                    "not JSON".to_owned(),
                );
            }
        }
        let read = read_limited(
            request.into_body(),
            self.max_body_bytes,
            &self.buffered_body_bytes,
        );
        // The permit holds the body's bytes against the budget of every connection until the
        // answer is made.
        let (bytes, _held) = match tokio::time::timeout(self.body_timeout, read).await {
            Ok(Ok(read)) => read,
            Ok(Err(BodyReadError::TooLarge)) => {
                return (self.too_large(), key, "body too large".to_owned());
            }
            Ok(Err(BodyReadError::Busy)) => {
                return (
                    error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "busy",
                        "the mock holds as many request bodies as it may; try again".to_owned(),
                    ),
                    key,
                    "too many bodies at once".to_owned(),
                );
            }
            Ok(Err(BodyReadError::Broken)) => {
                return (
                    error(
                        StatusCode::BAD_REQUEST,
                        "unreadable_body",
                        "the body broke off before its end".to_owned(),
                    ),
                    key,
                    "body broke off".to_owned(),
                );
            }
            Err(_) => {
                return (
                    error(
                        StatusCode::REQUEST_TIMEOUT,
                        "body_timeout",
                        format!(
                            "the body did not arrive within {} ms",
                            self.body_timeout.as_millis()
                        ),
                    ),
                    key,
                    "body too slow".to_owned(),
                );
            }
        };
        let request_value = if route.takes_body {
            // A deeply nested body is parsed and checked on a deep stack.
            match with_stack_for(&bytes, || self.check_request(route, &bytes)) {
                Ok(value) => Some(value),
                Err(refusal) => {
                    let (response, note) = *refusal;
                    return (response, key, note);
                }
            }
        } else {
            None
        };
        let answer = route.answer(request_value.as_ref(), &self.ids);
        let body = serde_json::to_vec(&answer).unwrap_or_default();
        let status = StatusCode::from_u16(route.status).unwrap_or(StatusCode::OK);
        let mut response = (status, body).into_response();
        let content_type = HeaderValue::from_str(&route.content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/json"));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
        (response, key, "answered".to_owned())
    }

    /// The request's JSON, or the 400 or 422 answer and a log note.
    fn check_request(
        &self,
        route: &MockRoute,
        bytes: &[u8],
    ) -> Result<Value, Box<(Response, String)>> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Box::new((
                error(
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    "the body is empty; expected a JSON object".to_owned(),
                ),
                "empty body".to_owned(),
            )));
        }
        let value = parse_payload(bytes).map_err(|finding| {
            Box::new((
                error(StatusCode::BAD_REQUEST, "malformed_json", finding.message),
                "malformed JSON".to_owned(),
            ))
        })?;
        let Some(contract) =
            self.contracts
                .body(&route.service, &route.endpoint, Direction::Request)
        else {
            return Ok(value);
        };
        let findings: Vec<Value> = check_value(contract, &value, bytes)
            .findings
            .into_iter()
            .filter(|finding| finding.severity == Severity::Error)
            .filter(|finding| {
                !self
                    .lenient
                    .iter()
                    .any(|lenient| lenient.covers(&route.key(), finding.rule))
            })
            .map(|finding| {
                let mut entry = json!({
                    "pointer": finding.pointer,
                    "rule": finding.rule.as_str(),
                    "message": finding.message,
                });
                if let (Some(text), Value::Object(map)) = (finding.value, &mut entry) {
                    map.insert("value".to_owned(), Value::String(text));
                }
                entry
            })
            .collect();
        if findings.is_empty() {
            return Ok(value);
        }
        let count = findings.len();
        let body = json!({
            "error": "invalid_request",
            "message": format!(
                "the request breaks the request schema of {} at {count} place{}",
                route.key(),
                if count == 1 { "" } else { "s" }
            ),
            "findings": findings,
        });
        Err(Box::new((
            json_response(StatusCode::UNPROCESSABLE_ENTITY, &body),
            format!("{count} finding{}", if count == 1 { "" } else { "s" }),
        )))
    }

    fn too_large(&self) -> Response {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the body is larger than {} bytes, the most this mock accepts",
                self.max_body_bytes
            ),
        )
    }
}

async fn handle(State(server): State<Arc<MockServer>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    // The log never shows a credential, even one a client put in the path.
    let mut credentials: Vec<String> = Vec::new();
    if server.log.is_some() {
        for route in &server.routes {
            if let Some(value) = request.headers().get(route.auth.header.as_str())
                && let Ok(value) = value.to_str()
                && !credentials.iter().any(|known| known == value)
            {
                credentials.push(value.to_owned());
            }
        }
    }
    let (response, endpoint, note) = server.answer(request).await;
    if let Some(log) = &server.log {
        let credentials: Vec<&str> = credentials.iter().map(String::as_str).collect();
        log(&RequestLog {
            method,
            path: Scrubber::for_credential_headers(&credentials).scrub(&path),
            status: response.status().as_u16(),
            endpoint,
            note,
            micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        });
    }
    response
}

/// Whether the credential header is present and well formed; the message never repeats it.
fn check_credential(route: &MockRoute, headers: &HeaderMap) -> Result<(), String> {
    let name = &route.auth.header;
    let variable = &route.auth.env;
    let Some(value) = headers.get(name.as_str()) else {
        return Err(match route.auth.scheme {
            AuthScheme::Bearer => format!(
                "missing header `{name}`: expected `Bearer <token>` (the token of {variable})"
            ),
            AuthScheme::ApiKey => {
                format!("missing header `{name}`: expected the API key (the value of {variable})")
            }
        });
    };
    let text = value
        .to_str()
        .map_err(|_| format!("header `{name}` holds characters outside visible ASCII"))?;
    match route.auth.scheme {
        AuthScheme::Bearer => {
            let token = text
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token.trim_start_matches(' '))
                .ok_or_else(|| format!("header `{name}` must be `Bearer <token>`"))?;
            let token68 = !token.is_empty()
                && token.trim_end_matches('=').bytes().all(|byte| {
                    byte.is_ascii_alphanumeric()
                        || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
                })
                && !token.trim_end_matches('=').is_empty();
            if token68 {
                Ok(())
            } else {
                Err(format!(
                    "header `{name}` must be `Bearer <token>` with a token of letters, digits and `-._~+/` (then `=` padding)"
                ))
            }
        }
        AuthScheme::ApiKey => {
            if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_graphic()) {
                Ok(())
            } else {
                Err(format!(
                    "header `{name}` must hold the API key: visible characters, no spaces"
                ))
            }
        }
    }
}

enum BodyReadError {
    TooLarge,
    Broken,
    Busy,
}

/// Reads the body, stopping as soon as it passes `limit` bytes; every byte held is taken from
/// `budget` (the bodies of every connection), and given back when the permit is dropped.
async fn read_limited(
    mut body: Body,
    limit: usize,
    budget: &Arc<tokio::sync::Semaphore>,
) -> Result<(Vec<u8>, Option<tokio::sync::OwnedSemaphorePermit>), BodyReadError> {
    let mut bytes = Vec::new();
    let mut held: Option<tokio::sync::OwnedSemaphorePermit> = None;
    while let Some(frame) =
        std::future::poll_fn(|context| Pin::new(&mut body).poll_frame(context)).await
    {
        let frame = frame.map_err(|_| BodyReadError::Broken)?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(BodyReadError::TooLarge);
            }
            let wanted = u32::try_from(data.len()).map_err(|_| BodyReadError::TooLarge)?;
            if wanted > 0 {
                let permit = Arc::clone(budget)
                    .try_acquire_many_owned(wanted)
                    .map_err(|_| BodyReadError::Busy)?;
                match &mut held {
                    Some(held) => held.merge(permit),
                    None => held = Some(permit),
                }
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok((bytes, held))
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn error(status: StatusCode, code: &str, message: String) -> Response {
    json_response(status, &json!({"error": code, "message": message}))
}

/// A running mock server. Dropping it stops the server.
#[derive(Debug)]
pub struct MockHandle {
    address: SocketAddr,
    stop: Arc<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
    notes: Vec<String>,
    routes: Vec<String>,
}

/// How long a stopping server waits for open connections to finish.
const STOP_GRACE: Duration = Duration::from_secs(2);

impl MockHandle {
    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Where an answer could not come from the docs' example, and why.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Every route served, as `METHOD /path (service/endpoint)`.
    pub fn routes(&self) -> &[String] {
        &self.routes
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) -> Result<(), MockError> {
        self.stop_and_join()
    }

    /// Waits until the server stops (Ctrl-C when [`MockOptions::stop_on_interrupt`]).
    pub fn wait(mut self) -> Result<(), MockError> {
        match self.thread.take() {
            Some(thread) => join(thread),
            None => Ok(()),
        }
    }

    fn stop_and_join(&mut self) -> Result<(), MockError> {
        let _ = self.stop.send(true);
        match self.thread.take() {
            Some(thread) => join(thread),
            None => Ok(()),
        }
    }
}

fn join(thread: std::thread::JoinHandle<Result<(), String>>) -> Result<(), MockError> {
    match thread.join() {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(MockError::Stopped(message)),
        Err(_) => Err(MockError::Stopped("the server thread panicked".to_owned())),
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// Accepts connections until a stop is asked for: each is served by hyper with the header
/// timeout (also the idle timeout between requests) and the header size bound, at most
/// `max_connections` at once (one more is closed as soon as it is accepted); on stop, open
/// connections finish their request within [`STOP_GRACE`].
async fn accept_loop(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    options: &MockOptions,
    stop_requested: tokio::sync::watch::Receiver<bool>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .max_header_size(options.max_header_bytes)
        .max_buf_size(options.max_header_bytes.saturating_mul(2).max(8192));
    let connections = Arc::new(tokio::sync::Semaphore::new(
        options
            .max_connections
            .clamp(1, tokio::sync::Semaphore::MAX_PERMITS),
    ));
    let mut tasks = tokio::task::JoinSet::new();
    let mut stopping = stop_requested.clone();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopping.wait_for(|stop| *stop) => break,
        };
        // Out of file descriptors, or a connection gone before it was accepted: wait a little
        // rather than spin.
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        while tasks.try_join_next().is_some() {}
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let mut stop = stop_requested.clone();
        tasks.spawn(async move {
            let _permit = permit;
            let mut connection = std::pin::pin!(connection);
            let stopping = tokio::select! {
                _ = connection.as_mut() => false,
                stopped = stop.wait_for(|stop| *stop) => stopped.is_ok(),
            };
            if stopping {
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(STOP_GRACE, connection).await;
            }
        });
    }
    let _ = tokio::time::timeout(STOP_GRACE, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
}

/// Serves every endpoint on `listener` from a thread of its own, until the handle is stopped
/// or dropped (or Ctrl-C, when asked).
pub fn serve(
    contracts: Arc<Contracts>,
    sources: &SpecSources,
    listener: std::net::TcpListener,
    options: MockOptions,
) -> Result<MockHandle, MockError> {
    let server = Arc::new(MockServer::build(contracts, sources, &options)?);
    let notes = server.notes().to_vec();
    let routes = server.describe_routes();
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.worker_threads.max(1))
        .thread_name("mock-server-worker")
        .enable_all()
        .build()?;
    let (stop, stop_requested) = tokio::sync::watch::channel(false);
    let stop = Arc::new(stop);
    let stop_for_interrupt = Arc::clone(&stop);
    let stop_on_interrupt = options.stop_on_interrupt;
    let router = server.router();
    let options = options.clone();
    let thread = std::thread::Builder::new()
        .name("mock-server".to_owned())
        .spawn(move || {
            let result = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)
                    .map_err(|error| error.to_string())?;
                if stop_on_interrupt {
                    tokio::spawn(async move {
                        if tokio::signal::ctrl_c().await.is_ok() {
                            let _ = stop_for_interrupt.send(true);
                        }
                    });
                }
                accept_loop(listener, router, &options, stop_requested).await;
                Ok(())
            });
            runtime.shutdown_timeout(Duration::from_millis(200));
            result
        })?;
    Ok(MockHandle {
        address,
        stop,
        thread: Some(thread),
        notes,
        routes,
    })
}
