//! A request's contract (media type, header table) and the headers of a request or of a page's
//! example in; out, the `content-type` and `header` findings, and the media type check the mock
//! and the examples share.

use codegen::model::{Direction, Endpoint, ExamplePayload, RequestHeader};

use crate::finding::{Finding, Rule};

/// A media type's essence: `Application/JSON; charset=utf-8` → `application/json`.
pub(crate) fn media_type_essence(text: &str) -> String {
    text.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether `given` is the documented media type `documented`: the same essence, or, where the
/// contract is JSON, any `+json` type.
pub(crate) fn media_type_matches(documented: &str, given: &str) -> bool {
    let documented = media_type_essence(documented);
    let given = media_type_essence(given);
    given == documented || documented == "application/json" && given.ends_with("+json")
}

/// Whether a header of the table is filled by something other than the caller: the service's
/// credential header (from `auth`) or `Content-Type` (from the media type).
#[cfg(feature = "live")]
pub(crate) fn is_filled_by_contract(
    service: &codegen::model::Service,
    header: &RequestHeader,
) -> bool {
    header.name.eq_ignore_ascii_case(&service.auth.header)
        || header.name.eq_ignore_ascii_case("content-type")
}

/// The required headers of `endpoint`'s table that `present` says are absent, in table order.
pub(crate) fn missing_required_headers(
    endpoint: &Endpoint,
    present: impl Fn(&str) -> bool,
) -> Vec<&RequestHeader> {
    endpoint
        .request_headers
        .iter()
        .filter(|header| header.required && !present(&header.name))
        .collect()
}

/// The findings of a page example's recorded headers against the contract: its `Content-Type`
/// against the body's media type, and (for a request) every required header it does not send.
/// An example that records no headers has none.
pub(crate) fn example_header_findings(
    endpoint: &Endpoint,
    direction: Direction,
    payload: &ExamplePayload,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if payload.headers.is_empty() {
        return findings;
    }
    let location = Some(payload.location.clone());
    let header = |name: &str| {
        payload
            .headers
            .iter()
            .find(|(given, _)| given.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    if let (Some(body), Some(given)) = (endpoint.body(direction), header("content-type"))
        && !media_type_matches(&body.content_type, given)
    {
        findings.push(
            Finding::error(
                "",
                Rule::ContentType,
                format!(
                    "the example sends `Content-Type: {given}`; the contract's media type is `{}`",
                    body.content_type
                ),
            )
            .with_spec_location(location.clone()),
        );
    }
    if direction == Direction::Request {
        for missing in missing_required_headers(endpoint, |name| header(name).is_some()) {
            findings.push(
                Finding::error(
                    "",
                    Rule::Header,
                    format!(
                        "the example does not send header `{}`, which the page's table requires",
                        missing.name
                    ),
                )
                .with_spec_location(location.clone()),
            );
        }
    }
    findings
}
