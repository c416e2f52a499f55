//! One probe request and the server's answer in, the contradictions of the docs out:
//! "documented rule not enforced" (a request breaking one rule answered with success), "valid
//! request refused" (a valid one answered 4XX, with the server's message), an undocumented
//! status (a 5XX, a success code other than the documented one), and, for a valid request
//! answered as documented, every finding of the response contract. Each finding carries the
//! request's body as its value and a curl-like line to replay it (credential masked), and names
//! the spec line of the rule.

use codegen::model::Endpoint;

use crate::contract::BodyContract;
use crate::exchange::{ResponseParts, SHOWN_BODY_BYTES, check_response};
use crate::finding::{Finding, Rule};
use crate::live::client::Answer;
use crate::probe::generate::Expectation;
use crate::probe::plan::ProbeRequest;

/// The findings of one answered probe request; `curl` is the request's replay line, already
/// masked.
pub fn judge(
    endpoint: &Endpoint,
    response_contract: Option<&BodyContract>,
    request: &ProbeRequest,
    curl: &str,
    answer: &Answer,
) -> Vec<Finding> {
    let status = answer.status;
    let sent = request
        .body
        .as_ref()
        .map(|body| String::from_utf8_lossy(body).into_owned());
    let call = format!("`{} {}`", endpoint.method.as_str(), endpoint.path);
    let about_request = |pointer: &str, rule: Rule, message: String| {
        Finding::error(pointer, rule, format!("{message}; replay: {curl}"))
            .with_value(sent.clone())
            .with_spec_location(request.rule_location.clone())
    };
    let server_said = server_message(&answer.body);
    match (&request.expectation, status / 100) {
        (Expectation::Invalid { rule, pointer }, 2) => vec![about_request(
            pointer,
            Rule::RuleNotEnforced,
            format!(
                "documented rule not enforced: {call} answered {status} to a request that breaks `{}` at {} ({})",
                rule.as_str(),
                if pointer.is_empty() {
                    "(body)"
                } else {
                    pointer
                },
                request.what
            ),
        )],
        (Expectation::Invalid { .. }, 4) => Vec::new(),
        (Expectation::Valid, 4) => vec![about_request(
            "",
            Rule::ValidRequestRefused,
            format!(
                "valid request refused: {call} answered {status} to a request the page's contract accepts ({}); the server said: {server_said}",
                request.what
            ),
        )],
        (Expectation::Valid, 2) => {
            let Some(contract) = response_contract else {
                return Vec::new();
            };
            let parts = ResponseParts {
                status,
                content_type: answer.content_type.as_deref(),
                body: &answer.body,
            };
            let mut findings = check_response(endpoint, contract, parts);
            if let Some(problem) = &answer.body_problem {
                findings.retain(|finding| finding.rule == Rule::Status);
                findings.push(Finding::error("", Rule::Transport, problem.clone()));
            }
            for finding in &mut findings {
                if finding.rule == Rule::Status {
                    finding.rule = Rule::UndocumentedStatus;
                    finding.message = format!(
                        "undocumented status: {call} answered {status}, the page documents {}; replay: {curl}",
                        endpoint.response.status.describe()
                    );
                    finding.value = sent.clone();
                }
            }
            findings
        }
        (expectation, class) => {
            let what = match (expectation, class) {
                (Expectation::Invalid { .. }, 5) => {
                    "the server failed on an invalid request instead of refusing it"
                }
                (_, 5) => "the server failed",
                _ => "a status the page does not document",
            };
            vec![about_request(
                "",
                Rule::UndocumentedStatus,
                format!(
                    "undocumented status: {call} answered {status} ({what}; {}); the server said: {server_said}",
                    request.what
                ),
            )]
        }
    }
}

/// The server's answer, as text for a finding: at most [`SHOWN_BODY_BYTES`], already scrubbed
/// by the client.
fn server_message(body: &[u8]) -> String {
    if body.is_empty() {
        return "(an empty body)".to_owned();
    }
    let shown = &body[..body.len().min(SHOWN_BODY_BYTES)];
    let mut text = String::from_utf8_lossy(shown).into_owned();
    if body.len() > SHOWN_BODY_BYTES {
        text.push_str(&format!("… ({} bytes in all)", body.len()));
    }
    text
}
