//! The schema diff's report (`codegen::diff::DiffReport`) in the formats CI tools read: JUnit (a
//! suite per schema, a failing case per unacknowledged breaking change), SARIF 2.1.0 and GitHub
//! annotations, each change located at the published schema file
//! (`generated/schemas/<service>/<endpoint>.<direction>.json`). Human and JSON are
//! `codegen::diff::render_human` and `render_json`.

use std::fmt::Write;

use codegen::diff::{Change, DiffReport};
use codegen::display_text::count;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, PhysicalLocation, Result as SarifResult, ResultLevel, Run,
    Sarif, Tool, ToolComponent,
};

use crate::report::github::Annotation;
use crate::report::junit::escape;
use crate::report::sarif::SARIF_SCHEMA_URI;

/// Where a change's schema is published in the repository.
pub fn schema_file(change: &Change) -> String {
    format!(
        "generated/schemas/{}/{}.{}.json",
        change.schema.service,
        change.schema.endpoint,
        change.schema.direction.as_str()
    )
}

fn place(change: &Change) -> String {
    if change.pointer.is_empty() {
        "the body".to_owned()
    } else {
        format!("`{}`", change.pointer)
    }
}

fn verdict(change: &Change) -> &'static str {
    match (change.breaking, &change.acknowledged) {
        (false, _) => "compatible",
        (true, None) => "breaking",
        (true, Some(_)) => "breaking, acknowledged",
    }
}

/// The diff as JUnit XML: one suite per changed schema, one case per change.
pub fn junit(report: &DiffReport) -> String {
    let mut suites: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in &report.changes {
        let key = change.schema.to_string();
        match suites.iter_mut().find(|(name, _)| *name == key) {
            Some((_, changes)) => changes.push(change),
            None => suites.push((key, vec![change])),
        }
    }
    fn failing(change: &Change) -> bool {
        change.breaking && change.acknowledged.is_none()
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"diff\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0.000\">",
        report.changes.len(),
        report
            .changes
            .iter()
            .filter(|change| failing(change))
            .count()
    );
    for (name, changes) in suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0.000\">",
            escape(&name),
            changes.len(),
            changes.iter().filter(|change| failing(change)).count()
        );
        for change in changes {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{} at {}\" time=\"0.000\"",
                escape(&name),
                escape(change.change.as_str()),
                escape(&place(change))
            );
            if failing(change) {
                let _ = writeln!(
                    out,
                    ">\n      <failure type=\"breaking-change\" message=\"{}\">{}</failure>\n    </testcase>",
                    escape(&format!("breaking: {}", change.detail)),
                    escape(&change.detail)
                );
            } else {
                out.push_str("/>\n");
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The diff as GitHub annotations: an error per unacknowledged breaking change, a notice per
/// other change.
pub fn github(report: &DiffReport) -> String {
    let mut out = String::new();
    for change in &report.changes {
        let annotation = Annotation {
            level: if change.breaking && change.acknowledged.is_none() {
                "error"
            } else {
                "notice"
            },
            file: Some(schema_file(change)),
            line: None,
            column: None,
            title: format!(
                "{}: {} at {}",
                verdict(change),
                change.change,
                place(change)
            ),
            message: format!(
                "{}: {}{}",
                change.schema,
                change.detail,
                change
                    .acknowledged
                    .as_ref()
                    .map(|reason| format!("\nacknowledged: {reason}"))
                    .unwrap_or_default()
            ),
        };
        out.push_str(&annotation.render());
    }
    out
}

/// The diff as a SARIF 2.1.0 log: one result per change (`error` when breaking and not
/// acknowledged, `note` otherwise).
pub fn sarif(report: &DiffReport) -> String {
    let results = report
        .changes
        .iter()
        .map(|change| {
            let level = if change.breaking && change.acknowledged.is_none() {
                ResultLevel::Error
            } else {
                ResultLevel::Note
            };
            SarifResult::builder()
                .rule_id(change.change.as_str())
                .level(level)
                .message(
                    Message::builder()
                        .text(format!(
                            "{} ({}) at {}: {}",
                            change.schema,
                            verdict(change),
                            place(change),
                            change.detail
                        ))
                        .build(),
                )
                .locations(vec![
                    Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(
                                    ArtifactLocation::builder().uri(schema_file(change)).build(),
                                )
                                .build(),
                        )
                        .build(),
                ])
                .build()
        })
        .collect::<Vec<_>>();
    let log = Sarif::builder()
        .schema(SARIF_SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![
            Run::builder()
                .tool(
                    Tool::builder()
                        .driver(
                            ToolComponent::builder()
                                .name("diff")
                                .full_name("vendor API contracts: breaking-change check")
                                .version(env!("CARGO_PKG_VERSION"))
                                .build(),
                        )
                        .build(),
                )
                .results(results)
                .build(),
        ])
        .build();
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// `3 changes, 1 breaking`: for a one-line summary.
pub fn summary(report: &DiffReport) -> String {
    format!(
        "{}, {} breaking",
        count(report.changes.len(), "change", "changes"),
        report
            .changes
            .iter()
            .filter(|change| change.breaking)
            .count()
    )
}
