//! One planned request and its target in, what came back out: the status, content type and
//! raw body bytes (secrets scrubbed) and the time taken, or why nothing usable came back
//! (refused, timed out, broke off). Redirects are followed here, a bounded number of times, and
//! the credential only ever goes to the origin it was meant for; 429 and 503 are retried as the
//! retry policy (`retry`) decides: backoff, `Retry-After`, a budget of waiting per case.

use std::io::Read;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ureq::http::{self, HeaderValue};

use crate::live::LiveOptions;
use crate::live::plan::PlannedRequest;
use crate::live::retry::{RetryDecision, is_retryable_status};
use crate::live::secret::Scrubber;
use crate::live::target::{ServiceTarget, split_host_port};

/// A response that arrived.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The `Content-Type` header, scrubbed.
    pub content_type: Option<String>,
    /// The body bytes as received, secrets replaced.
    pub body: Vec<u8>,
    /// Why the body is incomplete, when it is (the connection broke off, a timeout).
    pub body_problem: Option<String>,
    /// Time of the last attempt, from sending to the body's end.
    pub latency: Duration,
    /// Attempts made (1 when the first was answered).
    pub attempts: u32,
    /// Why retrying stopped with a 429 or 503 still standing, when it did.
    pub retry_note: Option<String>,
}

/// The outcome of sending one request.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The server answered (any status).
    Answered(Answer),
    /// Nothing usable came back.
    Failed {
        /// What went wrong, scrubbed.
        message: String,
        /// Time until it went wrong.
        latency: Duration,
    },
}

/// Sends requests with one connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    options: LiveOptions,
}

const REDIRECT_STATUSES: [u16; 5] = [301, 302, 303, 307, 308];

/// The most bytes of a response's head (status line and headers); a larger head fails the
/// exchange (a `transport` finding).
pub(crate) const MAX_RESPONSE_HEAD_BYTES: usize = 64 * 1024;

impl Client {
    /// A client for `options` (timeout, pool size); environment proxies only when
    /// `use_environment_proxy`.
    pub fn new(options: &LiveOptions, use_environment_proxy: bool) -> Client {
        let pool = options.concurrency.max(1).max(10);
        let mut builder = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(options.timeout))
            .max_response_header_size(MAX_RESPONSE_HEAD_BYTES)
            .max_idle_connections(pool)
            .max_idle_connections_per_host(pool)
            .user_agent(concat!("conformance-live/", env!("CARGO_PKG_VERSION")))
            .accept("application/json");
        if !use_environment_proxy {
            builder = builder.proxy(None);
        }
        Client {
            agent: builder.build().into(),
            options: options.clone(),
        }
    }

    /// Sends `request` to `target`, retrying 429 and 503 and following redirects.
    pub fn send(
        &self,
        request: &PlannedRequest,
        target: &ServiceTarget,
        scrubber: &Scrubber,
    ) -> Outcome {
        let retry = &self.options.retry;
        let mut attempts = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempts += 1;
            let mut answer = match self.send_once(request, target, scrubber) {
                Ok(answer) => answer,
                Err((message, latency)) => {
                    return Outcome::Failed {
                        message: scrubber.scrub(&message),
                        latency,
                    };
                }
            };
            answer.attempts = attempts;
            if !is_retryable_status(answer.status) {
                return Outcome::Answered(answer.into_answer(None));
            }
            match retry.decide(
                attempts,
                answer.status,
                answer.retry_after.as_deref(),
                waited,
            ) {
                RetryDecision::WaitAndRetry(wait) => {
                    std::thread::sleep(wait);
                    waited += wait;
                }
                RetryDecision::Stop(note) => {
                    return Outcome::Answered(answer.into_answer(Some(note)));
                }
            }
        }
    }

    /// Runs one HTTP exchange, body included, within `remaining`.
    fn run_within(
        &self,
        request: http::Request<impl ureq::AsSendBody>,
        remaining: Duration,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(remaining))
            .build();
        self.agent.run(request)
    }

    fn send_once(
        &self,
        request: &PlannedRequest,
        target: &ServiceTarget,
        scrubber: &Scrubber,
    ) -> Result<RawAnswer, (String, Duration)> {
        let started = Instant::now();
        let origin = Origin::of(&request.url);
        let mut url = request.url.clone();
        let mut method = request.method.as_str().to_owned();
        let mut body = request.body.clone();
        let mut carry_credential = true;
        let mut hops = 0;
        loop {
            let mut builder = http::Request::builder()
                .method(method.as_str())
                .uri(url.as_str());
            if carry_credential {
                let mut value =
                    HeaderValue::from_str(target.credential.header_value().expose_to_header())
                        .map_err(|_| {
                            (
                                format!(
                                    "{} holds characters an HTTP header cannot carry",
                                    target.credential.environment_variable
                                ),
                                started.elapsed(),
                            )
                        })?;
                value.set_sensitive(true);
                builder = builder.header(target.credential.header_name.as_str(), value);
            }
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let remaining = self.options.timeout.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err((
                    format!(
                        "no complete answer from {url} within {} (the --timeout), redirects included",
                        seconds(self.options.timeout)
                    ),
                    started.elapsed(),
                ));
            }
            let result = match &body {
                Some(bytes) => builder
                    .header("content-type", request.content_type.as_str())
                    .body(bytes.as_slice())
                    .map_err(ureq::Error::from)
                    .and_then(|built| self.run_within(built, remaining)),
                None => builder
                    .body(())
                    .map_err(ureq::Error::from)
                    .and_then(|built| self.run_within(built, remaining)),
            };
            let mut response = match result {
                Ok(response) => response,
                Err(error) => {
                    return Err((
                        describe_error(&error, &url, self.options.timeout),
                        started.elapsed(),
                    ));
                }
            };
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned)
            };
            if REDIRECT_STATUSES.contains(&status)
                && let Some(location) = header("location")
            {
                hops += 1;
                if hops > self.options.max_redirects {
                    return Err((
                        format!(
                            "more than {} redirects from {}; the last pointed to {}",
                            self.options.max_redirects,
                            request.url,
                            scrubber.scrub(&location)
                        ),
                        started.elapsed(),
                    ));
                }
                let Some(next) = resolve_location(&url, &location) else {
                    return Err((
                        format!(
                            "a {status} redirect points to `{}`, which is not a usable URL",
                            scrubber.scrub(&location)
                        ),
                        started.elapsed(),
                    ));
                };
                // Once the credential is dropped it stays dropped, even if a later hop returns.
                if Origin::of(&next) != origin {
                    carry_credential = false;
                }
                if status == 303
                    || (matches!(status, 301 | 302) && method != "GET" && method != "HEAD")
                {
                    method = "GET".to_owned();
                    body = None;
                }
                url = next;
                continue;
            }
            let content_type = header("content-type").map(|value| scrubber.scrub(&value));
            let retry_after = header("retry-after");
            let (bytes, body_problem) = read_body(
                &mut response,
                self.options.max_response_bytes,
                self.options.timeout,
            );
            return Ok(RawAnswer {
                status,
                content_type,
                body: scrubber.scrub_bytes(&bytes),
                body_problem: body_problem.map(|problem| scrubber.scrub(&problem)),
                latency: started.elapsed(),
                attempts: 1,
                retry_after,
            });
        }
    }
}

struct RawAnswer {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
    body_problem: Option<String>,
    latency: Duration,
    attempts: u32,
    retry_after: Option<String>,
}

impl RawAnswer {
    fn into_answer(self, retry_note: Option<String>) -> Answer {
        Answer {
            status: self.status,
            content_type: self.content_type,
            body: self.body,
            body_problem: self.body_problem,
            latency: self.latency,
            attempts: self.attempts,
            retry_note,
        }
    }
}

/// Reads at most `limit` bytes; what arrived is kept even when the body breaks off.
fn read_body(
    response: &mut http::Response<ureq::Body>,
    limit: u64,
    timeout: Duration,
) -> (Vec<u8>, Option<String>) {
    let mut reader = response.body_mut().with_config().limit(limit).reader();
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return (bytes, None),
            Ok(read) => bytes.extend_from_slice(&chunk[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => {
                let error = ureq::Error::from(error);
                let problem = match &error {
                    ureq::Error::BodyExceedsLimit(_) => {
                        format!("the body is larger than {limit} bytes, the most a live run reads")
                    }
                    ureq::Error::Timeout(_) => format!(
                        "the body did not arrive within {} (the --timeout); {} came",
                        seconds(timeout),
                        codegen::display_text::count(bytes.len(), "byte", "bytes")
                    ),
                    ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => format!(
                        "the body did not arrive within {} (the --timeout); {} came",
                        seconds(timeout),
                        codegen::display_text::count(bytes.len(), "byte", "bytes")
                    ),
                    ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                        format!(
                            "the connection closed before the body ended; {} came",
                            codegen::display_text::count(bytes.len(), "byte", "bytes")
                        )
                    }
                    other => format!(
                        "reading the body failed after {}: {other}",
                        codegen::display_text::count(bytes.len(), "byte", "bytes")
                    ),
                };
                return (bytes, Some(problem));
            }
        }
    }
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{millis} ms")
    }
}

/// Says in words why a request got no answer.
fn describe_error(error: &ureq::Error, url: &str, timeout: Duration) -> String {
    let host = Origin::of(url).map_or_else(|| url.to_owned(), |origin| origin.host_port());
    match error {
        ureq::Error::Timeout(_) => format!(
            "no complete answer from {host} within {} (the --timeout)",
            seconds(timeout)
        ),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                format!("connection refused by {host}: nothing listens there")
            }
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                format!("{host} reset the connection before answering")
            }
            std::io::ErrorKind::UnexpectedEof => {
                format!("{host} closed the connection before answering")
            }
            std::io::ErrorKind::TimedOut => format!(
                "no complete answer from {host} within {} (the --timeout)",
                seconds(timeout)
            ),
            _ => format!("talking to {host} failed: {io}"),
        },
        ureq::Error::HostNotFound => format!("host not found: {host}"),
        ureq::Error::ConnectionFailed => format!("could not connect to {host}"),
        ureq::Error::Protocol(problem) => {
            format!("{host} answered something that is not HTTP/1.1: {problem}")
        }
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            format!("the request to {url} could not be built: {error}")
        }
        other => format!("the request to {host} failed: {other}"),
    }
}

/// Whether a URL's host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(url: &str) -> bool {
    Origin::of(url).is_some_and(|origin| {
        origin.host == "localhost"
            || origin
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|address| address.is_loopback())
    })
}

/// Scheme, host and port: what decides whether a credential may follow a redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute `http(s)` URL.
    pub fn of(url: &str) -> Option<Origin> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let (host, port) = split_host_port(authority);
        let port = match port {
            Some(port) => port.parse().ok()?,
            None => default_port,
        };
        Some(Origin {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// A `Location` header's target as an absolute URL, resolved against `current`.
pub fn resolve_location(current: &str, location: &str) -> Option<String> {
    let location = location.trim();
    if location.is_empty()
        || location
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    if let Some((scheme, _)) = location.split_once("://")
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Origin::of(location).map(|_| location.to_owned());
    }
    let (scheme, rest) = current.split_once("://")?;
    if let Some(network_path) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{network_path}"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    let path = &rest[authority_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    if location.starts_with('?') {
        return Some(format!("{scheme}://{authority}{path}{location}"));
    }
    let directory = &path[..path.rfind('/').map_or(0, |slash| slash + 1)];
    let directory = if directory.is_empty() { "/" } else { directory };
    Some(format!("{scheme}://{authority}{directory}{location}"))
}

/// `Retry-After` as a wait: delta-seconds, or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_imf_fixdate(value)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an IMF-fixdate.
fn parse_imf_fixdate(value: &str) -> Option<u64> {
    let (_, rest) = value.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|name| name == month)? as u64
        + 1;
    let year: i64 = year.parse().ok()?;
    let clock: Vec<u64> = time
        .split(':')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [hours, minutes, seconds] = clock.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *hours > 23 || *minutes > 59 || *seconds > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + hours * 3600 + minutes * 60 + seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> Option<u64> {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400) as u64;
    let month_index = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era as i64 - 719_468;
    u64::try_from(days).ok()
}
