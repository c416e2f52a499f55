//! Test support for live runs and the mock: the vendor fixture's contracts loaded once, a scripted
//! HTTP server on 127.0.0.1 (an ephemeral port) that answers each request with the raw bytes a
//! script gives and records what it received, and a helper that plans and runs a live run
//! against a base URL with known test credentials.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use codegen::SpecSources;
use conformance::live::{self, Fixtures, LiveOptions, RetryPolicy, Selection};
use conformance::{Contracts, Report};

/// The CRM token every live test uses; no output may ever contain it.
pub(crate) const TEST_CRM_TOKEN: &str = "crm-TOKEN-do-not-leak-7f3a9c";
/// The LadiFlow API key every live test uses; no output may ever contain it.
pub(crate) const TEST_LADIFLOW_KEY: &str = "ladiflow-KEY-do-not-leak-51be20";

/// The vendor fixture's specs and contracts, loaded once for the whole test binary.
pub(crate) fn vendor_fixture() -> &'static (SpecSources, Arc<Contracts>) {
    static PROJECT: OnceLock<(SpecSources, Arc<Contracts>)> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let (sources, contracts) = crate::vendor_contracts();
        (sources, Arc::new(contracts))
    })
}

/// The fixtures that make every spec example a valid request.
pub(crate) fn mock_fixtures() -> Fixtures {
    Fixtures::parse(
        "tests/it/live/mock-fixtures.yaml",
        include_str!("mock-fixtures.yaml"),
    )
    .expect("the test fixtures parse")
}

/// Options for tests: writes allowed, short timeouts and backoff, no proxies, no budget.
pub(crate) fn test_options() -> LiveOptions {
    LiveOptions {
        allow_writes: true,
        concurrency: 4,
        timeout: Duration::from_secs(5),
        latency_budget: None,
        retry: RetryPolicy {
            max_retries: 2,
            first_backoff: Duration::from_millis(10),
            longest_wait: Duration::from_secs(3),
            wait_budget: Duration::from_secs(5),
        },
        proxy_from_environment: false,
        ..LiveOptions::default()
    }
}

/// The test environment: both credentials set, no CRM domain (base URLs are always given).
pub(crate) fn test_environment(name: &str) -> Option<String> {
    match name {
        "CRM_TOKEN" => Some(TEST_CRM_TOKEN.to_owned()),
        "LADIFLOW_API_KEY" => Some(TEST_LADIFLOW_KEY.to_owned()),
        _ => None,
    }
}

/// Plans the endpoints in `endpoint_keys` against `base_urls` (by service) with the test
/// credentials and `fixtures`.
pub(crate) fn plan_for(
    endpoint_keys: &[&str],
    base_urls: &BTreeMap<String, String>,
    fixtures: Option<&Fixtures>,
) -> live::plan::Plan {
    let (sources, contracts) = vendor_fixture();
    let selection = Selection {
        services: Vec::new(),
        endpoints: endpoint_keys.iter().map(|key| (*key).to_owned()).collect(),
    };
    let keys = live::select_endpoints(contracts, &selection).expect("the endpoints exist");
    let services = live::services_of(&keys);
    let targets = live::resolve_targets(contracts, &services, base_urls, &test_environment)
        .expect("the test environment is complete");
    live::build_plan(contracts, sources, &keys, targets, fixtures).expect("the plan builds")
}

/// Every service at `base_url`.
pub(crate) fn everything_at(base_url: &str) -> BTreeMap<String, String> {
    ["crm", "ladiflow"]
        .into_iter()
        .map(|service| (service.to_owned(), base_url.to_owned()))
        .collect()
}

/// Runs `endpoint_keys` against `base_url` with `options`; panics if the run refuses.
pub(crate) fn run_against(
    endpoint_keys: &[&str],
    base_url: &str,
    fixtures: Option<&Fixtures>,
    options: &LiveOptions,
) -> Report {
    let plan = plan_for(endpoint_keys, &everything_at(base_url), fixtures);
    live::run(&vendor_fixture().1, &plan, options, &|_| {}).expect("writes are allowed in tests")
}

/// A request as the scripted server received it.
#[derive(Debug, Clone)]
pub(crate) struct ReceivedRequest {
    /// Request line's method.
    pub method: String,
    /// Request line's target.
    pub target: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// When the head arrived.
    pub at: Instant,
}

impl ReceivedRequest {
    /// The first header of that (lower-case) name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What the scripted server does with one request.
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    /// Writes these bytes (a whole HTTP response) and closes.
    Raw(Vec<u8>),
    /// Waits, then replies.
    After(Duration, Box<Reply>),
}

/// The script: request number (0-based, over the server's life) and the request → the reply.
pub(crate) type Script = dyn Fn(usize, &ReceivedRequest) -> Reply + Send + Sync;

/// A server on 127.0.0.1 that replies as scripted and records every request.
pub(crate) struct ScriptedServer {
    address: SocketAddr,
    received: Arc<Mutex<Vec<ReceivedRequest>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ScriptedServer {
    /// Starts the server on an ephemeral port.
    pub(crate) fn start(
        script: impl Fn(usize, &ReceivedRequest) -> Reply + Send + Sync + 'static,
    ) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let address = listener.local_addr().expect("the listener has an address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let thread = {
            let received = Arc::clone(&received);
            let connections = Arc::clone(&connections);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let counter = Arc::new(AtomicUsize::new(0));
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let received = Arc::clone(&received);
                    let script = Arc::clone(&script);
                    let counter = Arc::clone(&counter);
                    std::thread::spawn(move || {
                        serve_connection(stream, &received, script.as_ref(), &counter)
                    });
                }
            })
        };
        ScriptedServer {
            address,
            received,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request received so far.
    pub(crate) fn received(&self) -> Vec<ReceivedRequest> {
        self.received
            .lock()
            .map(|list| list.clone())
            .unwrap_or_default()
    }

    /// Connections accepted so far (with or without a request on them).
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop; the connection itself is not counted after `stop`.
        let _ = TcpStream::connect(self.address);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve_connection(
    mut stream: TcpStream,
    received: &Mutex<Vec<ReceivedRequest>>,
    script: &Script,
    counter: &AtomicUsize,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(read) => body.extend_from_slice(&chunk[..read]),
        }
    }
    let request = ReceivedRequest {
        method,
        target,
        headers,
        body,
        at: Instant::now(),
    };
    let index = counter.fetch_add(1, Ordering::SeqCst);
    let reply = script(index, &request);
    if let Ok(mut list) = received.lock() {
        list.push(request);
    }
    let mut reply = reply;
    loop {
        match reply {
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
                return;
            }
            Reply::After(wait, next) => {
                std::thread::sleep(wait);
                reply = *next;
            }
        }
    }
}

/// A whole HTTP/1.1 response that closes the connection.
pub(crate) fn http_response(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    extra_headers: &[(&str, &str)],
) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} Scripted\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    for (name, value) in extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A JSON reply.
pub(crate) fn json_reply(status: u16, body: &str) -> Reply {
    Reply::Raw(http_response(
        status,
        Some("application/json"),
        body.as_bytes(),
        &[],
    ))
}

/// The documented answer of `crm/tickets.create`.
pub(crate) const GOOD_TICKET: &str = r#"{"id": "271911966272026940869079307116515873576", "message": "טיקט נוצר בהצלחה", "ticket_status": "233476065495939904005866822871905093425"}"#;

/// A port on 127.0.0.1 where nothing listens.
pub(crate) fn refused_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let address = listener.local_addr().expect("the listener has an address");
    drop(listener);
    format!("http://{address}")
}
