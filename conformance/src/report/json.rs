//! A report as one JSON document, version 2 (version 1 gave `value` as a string of JSON text).
//! Stable: fields are only ever added. Its JSON Schema is `conformance/report.schema.json`
//! (published with the site as `report.schema.json`).
//!
//! ```text
//! { "report": "conformance", "version": 1,
//!   "summary": { "cases", "passed", "failed", "findings": { "error", "warning" },
//!                "known", "new", "vanished" },
//!   "cases": [ { "name", "service", "endpoint", "direction": "request" | "response",
//!                "source": { "kind": "example" | "file" | "live" | "recorded" | "probe", … },
//!                "spec", "verdict": "passed" | "known" | "failed", "latency_ms"?,
//!                "findings": [ { "pointer", "rule", "severity": "error" | "warning",
//!                                "message", "value"?, "spec"?, "known", "reason"?,
//!                                "known_at"?, "changed_from"? } ],
//!                "vanished": [ { "pointer", "rule", "reason", "spec" } ] } ] }
//! ```
//!
//! `value` is the offending value itself, embedded as JSON with its exact text: a 39-digit number
//! keeps every digit (`233476…425`, never `2.33e38`), a string is a string. `pointer` is a JSON
//! Pointer.

use serde_json::{Map, Value, json};

use crate::case::{Case, CaseSource, Report};
use crate::finding::Finding;
use crate::report::changed_from;

/// The JSON Schema of every JSON report (conformance and diff), `conformance/report.schema.json`.
pub const REPORT_SCHEMA: &str = include_str!("../../report.schema.json");

/// The file name the schema is published under, at the site's root.
pub use codegen::emit_pages::REPORT_SCHEMA_FILE_NAME;

/// The report format's version.
pub const VERSION: u64 = 2;

/// The report as a JSON value.
pub fn to_value(report: &Report) -> Value {
    let summary = report.summary();
    json!({
        "report": "conformance",
        "version": VERSION,
        "summary": {
            "cases": summary.cases,
            "passed": summary.passed,
            "failed": summary.failed,
            "findings": {"error": summary.errors, "warning": summary.warnings},
            "known": summary.known,
            "new": summary.new,
            "vanished": summary.vanished,
        },
        "cases": report.cases.iter().map(case_value).collect::<Vec<_>>(),
    })
}

/// The report as pretty-printed JSON text with a final newline.
pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    text.push('\n');
    text
}

fn source_value(source: &CaseSource) -> Value {
    match source {
        CaseSource::Example { name, file } => {
            json!({"kind": "example", "name": name, "file": file})
        }
        CaseSource::File { path } => json!({"kind": "file", "file": path}),
        CaseSource::Live { url } => json!({"kind": "live", "url": url}),
        CaseSource::Recorded { file, entry } => {
            json!({"kind": "recorded", "file": file, "entry": entry})
        }
        CaseSource::Probe { request, url } => {
            json!({"kind": "probe", "request": request, "url": url})
        }
    }
}

fn case_value(case: &Case) -> Value {
    let mut map = Map::new();
    map.insert("name".into(), json!(case.name()));
    map.insert("service".into(), json!(case.service));
    map.insert("endpoint".into(), json!(case.endpoint));
    map.insert("direction".into(), json!(case.direction.as_str()));
    map.insert("source".into(), source_value(&case.source));
    map.insert("spec".into(), json!(case.spec_path));
    map.insert("verdict".into(), json!(case.verdict()));
    if let Some(latency) = case.latency_ms {
        map.insert("latency_ms".into(), json!(latency));
    }
    map.insert(
        "findings".into(),
        Value::Array(
            case.findings
                .iter()
                .map(|finding| finding_value(case, finding))
                .collect(),
        ),
    );
    map.insert(
        "vanished".into(),
        Value::Array(
            case.vanished
                .iter()
                .map(|vanished| {
                    json!({
                        "pointer": vanished.path,
                        "rule": vanished.rule.as_str(),
                        "reason": vanished.reason,
                        "spec": vanished.location.to_string(),
                    })
                })
                .collect(),
        ),
    );
    Value::Object(map)
}

fn finding_value(case: &Case, finding: &Finding) -> Value {
    let mut map = Map::new();
    map.insert("pointer".into(), json!(finding.pointer));
    map.insert("rule".into(), json!(finding.rule.as_str()));
    map.insert("severity".into(), json!(finding.severity.as_str()));
    map.insert("message".into(), json!(finding.message));
    if let Some(value) = &finding.value {
        map.insert("value".into(), embedded_value(value));
    }
    if let Some(location) = &finding.spec_location {
        map.insert("spec".into(), json!(location.to_string()));
    }
    map.insert("known".into(), json!(finding.known.is_some()));
    if let Some(known) = &finding.known {
        map.insert("reason".into(), json!(known.reason));
        map.insert("known_at".into(), json!(known.location.to_string()));
    }
    if let Some(before) = changed_from(case, finding) {
        map.insert(
            "changed_from".into(),
            json!({"rule": before.rule.as_str(), "known_at": before.location.to_string()}),
        );
    }
    Value::Object(map)
}

/// A finding's value text as JSON: parsed with exact numbers (`arbitrary_precision`) and key order
/// kept, so it serializes to the same JSON. Text too deep for the parser stays a string.
fn embedded_value(text: &str) -> Value {
    serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}
