//! The runtime of the generated typed clients (`crm::Client`, …): a request body and an
//! endpoint's facts in, the typed response out, or a [`ClientError`] carrying the status, the
//! findings against the contract and the body with the credential masked.
//!
//! `cargo xtask gen` copies this file verbatim into the generated crate as `src/client.rs`,
//! compiled only with a `<service>-client` feature, which also brings in `ureq`.
//!
//! Blocking, on purpose: a blocking client imposes no async runtime on the consumer's build, is
//! the simplest to embed (a CLI, a build script, a test, a worker thread), and an async program
//! can call it from `tokio::task::spawn_blocking` or its runtime's equivalent.
//!
//! Retries: a `429 Too Many Requests` or `503 Service Unavailable` is retried up to
//! [`ClientOptions::max_attempts`] in all, after the `Retry-After` seconds the server asks for
//! (or a short backoff when it does not say), never waiting longer than
//! [`ClientOptions::longest_retry_wait`]; a longer `Retry-After` ends the call with the error.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::endpoint::{Endpoint, SuccessStatus};

/// What a masked value prints as.
const MASK: &str = "****";
/// The most body text an error keeps, in bytes.
const ERROR_BODY_LIMIT: usize = 4096;

/// A credential: its value is sent in a header and never printed (`Debug` and `Display` show a
/// mask) or put in an error.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential's value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Reads a credential from the environment variable `name`; `None` when unset or empty.
    pub fn from_env(name: &str) -> Option<Self> {
        std::env::var(name)
            .ok()
            .filter(|value| !value.is_empty())
            .map(Self)
    }

    /// The value, for the one place that sends it.
    fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the value, as is and as JSON escapes it, masked.
    pub fn mask_in(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        let mut masked = text.replace(&self.0, MASK);
        let escaped = serde_json::to_string(&self.0).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        if !escaped.is_empty() && escaped != self.0 {
            masked = masked.replace(escaped, MASK);
        }
        masked
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({MASK})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// How the credential travels.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    /// `Authorization: Bearer <credential>`.
    Bearer,
    /// The credential as the value of this header.
    ApiKey(&'static str),
}

/// Timeouts, retries and limits of a client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The most one attempt may take, connecting and reading included.
    pub timeout: Duration,
    /// The most connecting may take.
    pub connect_timeout: Duration,
    /// Attempts in all for a call answered `429` or `503` (1: no retry).
    pub max_attempts: u32,
    /// The longest wait before a retry; a server asking for more ends the call.
    pub longest_retry_wait: Duration,
    /// The wait before a retry when the server does not send `Retry-After`.
    pub default_retry_wait: Duration,
    /// The largest response body read, in bytes.
    pub max_body_bytes: u64,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_attempts: 3,
            longest_retry_wait: Duration::from_secs(30),
            default_retry_wait: Duration::from_millis(500),
            max_body_bytes: 16 * 1024 * 1024,
        }
    }
}

/// A contradiction between an answer and the endpoint's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The status is not the documented success.
    StatusMismatch {
        /// The documented success.
        expected: SuccessStatus,
        /// What the server answered.
        actual: u16,
    },
    /// The body does not read as the response type.
    BodyDoesNotMatchType {
        /// The response type.
        type_name: &'static str,
        /// Why, as `serde_json` says it (with the credential masked).
        message: String,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::StatusMismatch { expected, actual } => {
                write!(f, "status {actual} where the contract says {expected}")
            }
            Finding::BodyDoesNotMatchType { type_name, message } => {
                write!(f, "the body does not read as `{type_name}`: {message}")
            }
        }
    }
}

/// Why a call did not give the typed response.
#[derive(Debug)]
pub enum ClientError {
    /// The request body could not be written (for example, a request the schema would refuse).
    Request {
        /// `POST /v2/leads/create`.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// No answer: connecting, sending or reading failed, or an attempt timed out.
    Transport {
        /// `POST /v2/leads/create`.
        endpoint: String,
        /// Why (with the credential masked).
        message: String,
    },
    /// An answer that contradicts the contract.
    Contract {
        /// `POST /v2/leads/create`.
        endpoint: String,
        /// The status answered.
        status: u16,
        /// What contradicts the contract.
        findings: Vec<Finding>,
        /// The body, with the credential masked and cut at 4 KiB.
        body: String,
    },
}

impl ClientError {
    /// The status answered, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Contract { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The findings against the contract (none when there was no answer).
    pub fn findings(&self) -> &[Finding] {
        match self {
            ClientError::Contract { findings, .. } => findings,
            _ => &[],
        }
    }

    /// The body answered, credential masked, cut at 4 KiB.
    pub fn body(&self) -> Option<&str> {
        match self {
            ClientError::Contract { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Request { endpoint, message } => {
                write!(f, "{endpoint}: cannot write the request: {message}")
            }
            ClientError::Transport { endpoint, message } => {
                write!(f, "{endpoint}: no answer: {message}")
            }
            ClientError::Contract {
                endpoint,
                status,
                findings,
                body,
            } => {
                let findings: Vec<String> = findings.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "{endpoint} answered {status}: {}; body: {body}",
                    findings.join("; ")
                )
            }
        }
    }
}

impl std::error::Error for ClientError {}

/// The part of a client every service shares: base URL, credential, agent, options.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Transport {
    base_url: String,
    credential: Secret,
    auth: Auth,
    agent: ureq::Agent,
    options: ClientOptions,
}

impl Transport {
    /// A transport to `base_url` sending `credential` as `auth` says.
    pub fn new(base_url: &str, credential: Secret, auth: Auth, options: ClientOptions) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .build()
            .into();
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            credential,
            auth,
            agent,
            options,
        }
    }

    /// Calls `E` with `body` (none for an endpoint without a request body).
    pub fn call<E, B>(&self, body: Option<&B>) -> Result<E::Response, ClientError>
    where
        E: Endpoint,
        E::Response: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        let endpoint = format!("{} {}", E::METHOD, E::PATH);
        let bytes = match body {
            Some(body) => Some(
                serde_json::to_vec(body).map_err(|error| ClientError::Request {
                    endpoint: endpoint.clone(),
                    message: self.credential.mask_in(&error.to_string()),
                })?,
            ),
            None => None,
        };
        let url = format!("{}{}", self.base_url, E::PATH);
        let mut attempt = 1;
        let (status, text) = loop {
            let (status, retry_after, text) = self
                .attempt(E::METHOD, &url, bytes.as_deref())
                .map_err(|message| ClientError::Transport {
                    endpoint: endpoint.clone(),
                    message: self.credential.mask_in(&message),
                })?;
            let retryable = status == 429 || status == 503;
            if !retryable || attempt >= self.options.max_attempts {
                break (status, text);
            }
            let wait = retry_after.unwrap_or(self.options.default_retry_wait);
            if wait > self.options.longest_retry_wait {
                break (status, text);
            }
            std::thread::sleep(wait);
            attempt += 1;
        };
        let mut findings = Vec::new();
        if !E::STATUS.accepts(status) {
            findings.push(Finding::StatusMismatch {
                expected: E::STATUS,
                actual: status,
            });
        }
        match serde_json::from_str::<E::Response>(&text) {
            Ok(response) if findings.is_empty() => return Ok(response),
            Ok(_) => {}
            Err(error) => findings.push(Finding::BodyDoesNotMatchType {
                type_name: std::any::type_name::<E::Response>()
                    .rsplit("::")
                    .next()
                    .unwrap_or_default(),
                message: self.credential.mask_in(&error.to_string()),
            }),
        }
        let mut body = self.credential.mask_in(&text);
        if body.len() > ERROR_BODY_LIMIT {
            let mut end = ERROR_BODY_LIMIT;
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            body.truncate(end);
            body.push('…');
        }
        Err(ClientError::Contract {
            endpoint,
            status,
            findings,
            body,
        })
    }

    /// One request: the status, the wait `Retry-After` asks for, and the body as text.
    fn attempt(
        &self,
        method: &str,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<(u16, Option<Duration>, String), String> {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(url)
            .header("accept", "application/json");
        request = match self.auth {
            Auth::Bearer => request.header(
                "authorization",
                format!("Bearer {}", self.credential.expose()),
            ),
            Auth::ApiKey(header) => request.header(header, self.credential.expose()),
        };
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let request = request
            .body(body.unwrap_or_default().to_vec())
            .map_err(|error| error.to_string())?;
        let mut response = self.agent.run(request).map_err(|error| error.to_string())?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response
            .body_mut()
            .with_config()
            .limit(self.options.max_body_bytes)
            .read_to_string()
            .map_err(|error| error.to_string())?;
        Ok((status, retry_after, text))
    }
}
