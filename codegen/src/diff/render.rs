//! A diff report in, its two renderings out: one for people (each changed schema, each
//! service's version advice, a closing line) and JSON for tools.

use std::fmt::Write;

use serde_json::Value;

use super::{ACKNOWLEDGEMENTS_FILE, Bump, DiffReport, SchemaKey};

/// The report for people: each changed schema and its changes, each service's version advice,
/// and a closing line.
pub fn render_human(report: &DiffReport) -> String {
    let mut out = String::new();
    let mut current: Option<&SchemaKey> = None;
    for change in &report.changes {
        if current != Some(&change.schema) {
            let _ = writeln!(out, "{}", change.schema);
            current = Some(&change.schema);
        }
        let verdict = match (change.breaking, &change.acknowledged) {
            (false, _) => "compatible",
            (true, None) => "BREAKING",
            (true, Some(_)) => "breaking, acknowledged",
        };
        let place = if change.pointer.is_empty() {
            "the body".to_owned()
        } else {
            format!("`{}`", change.pointer)
        };
        let _ = writeln!(
            out,
            "  {verdict}: {} at {place}: {}",
            change.change, change.detail
        );
        if let Some(reason) = &change.acknowledged {
            let _ = writeln!(out, "    reason: {reason}");
        }
    }
    if !report.changes.is_empty() {
        out.push('\n');
    }
    for service in &report.services {
        let version =
            |version: &Option<String>| version.clone().unwrap_or_else(|| "(none)".to_owned());
        let needed = match service.required_bump {
            Bump::None => "no change, no bump needed".to_owned(),
            bump => format!("the changes need a {} bump", bump.as_str()),
        };
        let _ = write!(
            out,
            "{}: schema_version {} -> {}; {needed}",
            service.service,
            version(&service.base_version),
            version(&service.current_version),
        );
        if let (Some(suggested), true) = (
            &service.suggested_version,
            service.required_bump != Bump::None,
        ) {
            let _ = write!(out, " (suggested: {suggested})");
        }
        if !service.version_is_enough {
            let _ = write!(
                out,
                "; schema_version is not raised enough: set it in spec/{}/service.yaml",
                service.service
            );
        }
        out.push('\n');
    }
    let breaking = report
        .changes
        .iter()
        .filter(|change| change.breaking)
        .count();
    let unacknowledged = report.unacknowledged_breaking().count();
    let _ = writeln!(
        out,
        "{} change{}, {breaking} breaking, {unacknowledged} not acknowledged{}",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
        if unacknowledged > 0 {
            format!(": acknowledge each with a reason in {ACKNOWLEDGEMENTS_FILE}, or undo it")
        } else {
            String::new()
        }
    );
    out
}

/// The report as JSON: `report: "diff"`, `version: 1`, `changes`, `services` and
/// `breaking_unacknowledged` (its JSON Schema: `conformance/report.schema.json`).
pub fn render_json(report: &DiffReport) -> String {
    let mut value = serde_json::to_value(report).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        let mut document = serde_json::Map::new();
        document.insert("report".to_owned(), Value::from("diff"));
        document.insert("version".to_owned(), Value::from(1));
        document.append(map);
        document.insert(
            "breaking_unacknowledged".to_owned(),
            Value::from(report.unacknowledged_breaking().count()),
        );
        value = Value::Object(document);
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
