//! Recorded traffic: recordings in (the fixtures under `tests/fixtures/recorded/`, and lines,
//! entries and payloads built here), outcomes out, compared with what each exchange should give:
//! both formats, matching, the fast path against the full check, the report's bounds and
//! determinism, secrets, exit codes.

mod equivalence;
mod formats;
mod matching;
mod report_shape;
mod shards;

use std::sync::OnceLock;

use conformance::recorded::{RecordedOptions, RecordedOutcome, check_recording};
use conformance::{Contracts, Finding};

use crate::project_root;

/// The vendor fixture's contracts, built once for every test here.
pub(crate) fn contracts() -> &'static Contracts {
    static CONTRACTS: OnceLock<Contracts> = OnceLock::new();
    CONTRACTS.get_or_init(|| crate::vendor_contracts().1)
}

/// A fixture file's bytes.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = project_root()
        .join("conformance/tests/fixtures/recorded")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

/// Checks `bytes` as a recording named `name`, with the options `configure` sets.
pub(crate) fn check_bytes(
    name: &str,
    bytes: &[u8],
    configure: impl FnOnce(&mut RecordedOptions),
) -> RecordedOutcome {
    let mut options = RecordedOptions::new(name);
    configure(&mut options);
    check_recording(contracts(), bytes, &options)
        .unwrap_or_else(|error| panic!("{name} could not be checked: {error}"))
}

/// A finding as the tests compare it: case, pointer, rule, severity, value, and the message's
/// tally (`[2 of 13 responses; lines 3, 19]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct FindingRow {
    pub case: String,
    pub pointer: String,
    pub rule: &'static str,
    pub severity: &'static str,
    pub value: Option<String>,
    pub tally: String,
}

/// Every finding of an outcome as rows, in report order.
pub(crate) fn finding_rows(outcome: &RecordedOutcome) -> Vec<FindingRow> {
    let mut rows = Vec::new();
    for case in &outcome.report.cases {
        for finding in &case.findings {
            rows.push(FindingRow {
                case: format!("{} {}", case.endpoint_key(), case.direction.as_str()),
                pointer: finding.pointer.clone(),
                rule: finding.rule.as_str(),
                severity: finding.severity.as_str(),
                value: finding.value.clone(),
                tally: tally_of(finding),
            });
        }
    }
    rows
}

/// The `[…]` the recorded report appends to a finding's message.
pub(crate) fn tally_of(finding: &Finding) -> String {
    finding
        .message
        .rfind(" [")
        .map(|start| finding.message[start + 1..].to_owned())
        .unwrap_or_default()
}

/// A JSON Lines recording of `lines`, each ended by a newline.
pub(crate) fn json_lines(lines: &[String]) -> Vec<u8> {
    let mut text = lines.join("\n");
    text.push('\n');
    text.into_bytes()
}

/// The page's example response of LadiFlow `customer.create`, compact.
pub(crate) fn ladiflow_response() -> String {
    let text =
        std::fs::read(project_root().join("spec/ladiflow/examples/customer.create.response.json"))
            .expect("the example is there");
    let value: serde_json::Value = serde_json::from_slice(&text).expect("the example is JSON");
    serde_json::to_string(&value).expect("values serialize")
}

/// A JSON Lines line of a LadiFlow `customer.create` response with `body` embedded as written.
pub(crate) fn ladiflow_line(status: u16, body: &str) -> String {
    format!(
        "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":{status},\"content_type\":\"application/json\",\"body\":{body}}}"
    )
}
