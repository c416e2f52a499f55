//! One HTTP exchange's response in (status, content type, body bytes), its findings out: the
//! status against the spec's expectation, the media type, and the body against the response
//! contract. Shared by live runs and recorded traffic, so both judge a response the same way.

use codegen::model::{Endpoint, StatusExpectation};

use crate::check::check_payload;
use crate::contract::BodyContract;
use crate::finding::{Finding, Rule};
use crate::shape::exact_text;

/// A response as it came off the wire.
#[derive(Debug, Clone, Copy)]
pub struct ResponseParts<'a> {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The body bytes, as received.
    pub body: &'a [u8],
}

/// Longest body kept in a finding about an unexpected status.
pub(crate) const SHOWN_BODY_BYTES: usize = 500;

/// Checks a response against its endpoint and response contract.
pub fn check_response(
    endpoint: &Endpoint,
    contract: &BodyContract,
    response: ResponseParts<'_>,
) -> Vec<Finding> {
    let head = check_response_head(endpoint, response);
    let mut findings = head.findings;
    if head.body_is_checked {
        findings.extend(check_payload(contract, response.body).findings);
    }
    findings
}

/// The findings about a response's status and media type, and whether its body is to be
/// checked against the success contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResponseHeadCheck {
    /// Status and media type findings.
    pub findings: Vec<Finding>,
    /// False for an error status, whose body is an error body and not the documented one.
    pub body_is_checked: bool,
}

/// Checks a response's status and media type, not its body: what `check_response` does before
/// the body, for callers (recorded traffic) that check bodies their own way with the same
/// verdicts.
pub(crate) fn check_response_head(
    endpoint: &Endpoint,
    response: ResponseParts<'_>,
) -> ResponseHeadCheck {
    let mut findings = Vec::new();
    let expectation = &endpoint.response.status;
    if !expectation.accepts(response.status) {
        findings.push(status_finding(endpoint, expectation, response));
        // An error status comes with an error body, not the documented one: checking it
        // against the success contract would only add noise.
        if response.status >= 300 {
            return ResponseHeadCheck {
                findings,
                body_is_checked: false,
            };
        }
    }
    let expected_type = endpoint.response.body.content_type.as_str();
    let media_type = response.content_type.map(|value| {
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    let json_like = media_type.as_deref().is_some_and(|media| {
        media == expected_type || (media.ends_with("+json") && expected_type == "application/json")
    });
    if !json_like {
        findings.push(
            Finding::error(
                "",
                Rule::ContentType,
                format!(
                    "the response's media type is {}, the spec says `{expected_type}`",
                    media_type
                        .as_deref()
                        .map(|media| format!("`{media}`"))
                        .unwrap_or_else(|| "not given".to_owned())
                ),
            )
            .with_value(
                response
                    .content_type
                    .map(|value| exact_text(&serde_json::Value::String(value.to_owned()))),
            ),
        );
    }
    ResponseHeadCheck {
        findings,
        body_is_checked: true,
    }
}

fn status_finding(
    endpoint: &Endpoint,
    expectation: &StatusExpectation,
    response: ResponseParts<'_>,
) -> Finding {
    let hint = match response.status {
        401 | 403 => " (check the environment variable that holds the credential)",
        404 => " (check the base URL and the path)",
        429 => " (rate limited)",
        500..=599 => " (the server failed)",
        _ => "",
    };
    let shown = &response.body[..response.body.len().min(SHOWN_BODY_BYTES)];
    let mut body = String::from_utf8_lossy(shown).into_owned();
    if response.body.len() > SHOWN_BODY_BYTES {
        body.push_str(&format!("… ({} bytes in all)", response.body.len()));
    }
    Finding::error(
        "",
        Rule::Status,
        format!(
            "`{} {}` answered {}, the spec says {}{hint}",
            endpoint.method.as_str(),
            endpoint.path,
            response.status,
            expectation.describe()
        ),
    )
    .with_value(Some(exact_text(&serde_json::Value::String(body))))
}
