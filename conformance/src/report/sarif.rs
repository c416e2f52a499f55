//! A report and the payload files' bytes in, SARIF 2.1.0 out (for GitHub code scanning and other
//! SARIF viewers): one result per finding, located at its value in the example or payload file
//! (line and column from [`pointer_position`]) and related to the spec line that defines the
//! field and, for a known finding, the line that records it (then also suppressed, with the
//! spec's reason). A known discrepancy that vanished is a result at the line that records it.
//! Live findings, which have no file, are located at the spec line.

use std::collections::BTreeMap;

use codegen::SourceLocation;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool,
    ToolComponent,
};

use crate::case::{Case, CaseSource, Report};
use crate::finding::{Finding, Rule, Severity};
use crate::report::position::{TextPosition, pointer_position};

/// The `$schema` of the document.
pub(crate) const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Longest value quoted in a result's message; the JSON report has them whole.
const QUOTED_VALUE_CHARS: usize = 160;

/// The report as a SARIF 2.1.0 log; `payload_bytes` gives a payload file's bytes by the name the
/// report uses (for the value's line and column), or `None` when they are not at hand.
pub fn render(report: &Report, payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>) -> String {
    render_located(report, payload_bytes, false)
}

/// As [`render`]; `recorded_entries_are_lines` says a recorded case's entry number is its line in
/// the recording (JSON Lines), so that its results are located on that line.
pub fn render_located(
    report: &Report,
    payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
    recorded_entries_are_lines: bool,
) -> String {
    let mut results = Vec::new();
    for case in &report.cases {
        let bytes = match &case.source {
            CaseSource::Example { file, .. } => payload_bytes(file),
            CaseSource::File { path } => payload_bytes(path),
            CaseSource::Live { .. } | CaseSource::Recorded { .. } | CaseSource::Probe { .. } => {
                None
            }
        };
        for finding in &case.findings {
            results.push(finding_result(
                case,
                finding,
                bytes.as_deref(),
                recorded_entries_are_lines,
            ));
        }
        for vanished in &case.vanished {
            results.push(
                SarifResult::builder()
                    .rule_id(vanished.rule.as_str())
                    .level(ResultLevel::Error)
                    .message(text_message(format!(
                        "{}: `{}` was recorded as known ({}) but is no longer found",
                        case.name(),
                        display_pointer(&vanished.path),
                        vanished.reason
                    )))
                    .locations(vec![spec_location(&vanished.location, None)])
                    .partial_fingerprints(fingerprint(case, &vanished.path, vanished.rule))
                    .build(),
            );
        }
    }
    let log = Sarif::builder()
        .schema(SARIF_SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![
            Run::builder()
                .tool(tool())
                .column_kind(json!("unicodeCodePoints"))
                .results(results)
                .build(),
        ])
        .build();
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn finding_result(
    case: &Case,
    finding: &Finding,
    bytes: Option<&[u8]>,
    recorded_entries_are_lines: bool,
) -> SarifResult {
    let level = match finding.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
    };
    let mut text = format!(
        "{}: `{}` {}",
        case.name(),
        display_pointer(&finding.pointer),
        finding.message
    );
    if let Some(value) = &finding.value {
        text.push_str(&format!(" (value: {})", shorten(value)));
    }
    let primary = match &case.source {
        // Standard input (`-`) is no artifact: the spec line stands in, as for live cases.
        CaseSource::File { path } if path == "-" => None,
        CaseSource::Example { file, .. } | CaseSource::File { path: file } => {
            let position = bytes.and_then(|bytes| pointer_position(bytes, &finding.pointer));
            Some(file_location(file, position, None))
        }
        CaseSource::Recorded { file, entry } => {
            text.push_str(&format!(" (exchange {entry} of the recording)"));
            let line = recorded_entries_are_lines.then_some(TextPosition {
                line: *entry,
                column: 1,
            });
            (file != "-").then(|| file_location(file, line, None))
        }
        CaseSource::Live { .. } | CaseSource::Probe { .. } => None,
    };
    let mut related = Vec::new();
    if let Some(location) = &finding.spec_location {
        related.push(spec_location(
            location,
            Some("where the spec defines the value"),
        ));
    }
    if let Some(known) = &finding.known {
        related.push(spec_location(
            &known.location,
            Some("where the spec records it as a known discrepancy"),
        ));
    }
    let locations = match primary {
        Some(location) => vec![location],
        None => related
            .first()
            .cloned()
            .map(|location| vec![location])
            .unwrap_or_default(),
    };
    let mut properties = BTreeMap::new();
    properties.insert("pointer".to_owned(), json!(finding.pointer));
    properties.insert("case".to_owned(), json!(case.name()));
    let mut result = SarifResult::builder()
        .rule_id(finding.rule.as_str())
        .level(level)
        .message(text_message(text))
        .locations(locations)
        .partial_fingerprints(fingerprint(case, &finding.pointer, finding.rule))
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    if !related.is_empty() {
        for (index, location) in related.iter_mut().enumerate() {
            location.id = Some(index as i64);
        }
        result.related_locations = Some(related);
    }
    if let Some(known) = &finding.known {
        result.suppressions = Some(vec![
            Suppression::builder()
                .kind(json!("external"))
                .status(json!("accepted"))
                .justification(known.reason.clone())
                .build(),
        ]);
    }
    result
}

/// One fingerprint per place and rule, stable across runs and line moves.
fn fingerprint(case: &Case, pointer: &str, rule: Rule) -> BTreeMap<String, String> {
    BTreeMap::from([(
        "conformanceFinding/v1".to_owned(),
        format!(
            "{} {} {} {}",
            case.endpoint_key(),
            case.direction.as_str(),
            pointer,
            rule.as_str()
        ),
    )])
}

fn text_message(text: String) -> Message {
    Message::builder().text(text).build()
}

fn file_location(file: &str, position: Option<TextPosition>, message: Option<&str>) -> Location {
    let mut physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(file_uri(file)).build())
        .build();
    if let Some(position) = position {
        physical.region = Some(
            Region::builder()
                .start_line(position.line as i64)
                .start_column(position.column as i64)
                .build(),
        );
    }
    let mut location = Location::builder().physical_location(physical).build();
    location.message = message.map(|text| text_message(text.to_owned()));
    location
}

fn spec_location(location: &SourceLocation, message: Option<&str>) -> Location {
    file_location(
        &location.path,
        Some(TextPosition {
            line: location.line.max(1),
            column: location.column.max(1),
        }),
        message,
    )
}

/// A path as a URI reference: relative paths stay relative (to the repository root, as code
/// scanning expects), absolute ones become `file://` URIs; bytes outside the unreserved set and
/// `/` are percent-encoded.
pub(crate) fn file_uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

fn tool() -> Tool {
    let rules = Rule::ALL
        .iter()
        .map(|rule| {
            ReportingDescriptor::builder()
                .id(rule.as_str())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(rule_description(*rule))
                        .build(),
                )
                .build()
        })
        .collect::<Vec<_>>();
    Tool::builder()
        .driver(
            ToolComponent::builder()
                .name("conformance")
                .full_name("vendor API contracts: conformance checker")
                .version(env!("CARGO_PKG_VERSION"))
                .rules(rules)
                .build(),
        )
        .build()
}

/// One line per rule, for SARIF viewers.
fn rule_description(rule: Rule) -> &'static str {
    match rule {
        Rule::Type => "a value of the wrong JSON type",
        Rule::Required => "a required field is absent",
        Rule::Format => "a string not in the field's format",
        Rule::Enum => "a value outside the field's listed values",
        Rule::UndocumentedField => "a field the page does not list",
        Rule::AtLeastOneOf => "none of a group of fields of which at least one is needed",
        Rule::Constraint => {
            "a value outside a limit the page gives (range, length, pattern, items)"
        }
        Rule::NotJson => "the body is not JSON, or not all of it arrived",
        Rule::TooDeep => "JSON nested deeper than the checker's documented bound",
        Rule::TooLarge => "a body holding more JSON values than the checker's documented bound",
        Rule::Header => "a header the page's table requires is missing",
        Rule::DuplicateKey => "an object names the same member twice",
        Rule::GeneratorDisagreement => "the schema and the generated type disagree",
        Rule::Status => "the response status is not the documented one",
        Rule::ContentType => "the media type is not the documented one",
        Rule::Transport => "the exchange failed below HTTP",
        Rule::Latency => "the response took longer than the latency budget",
        Rule::InvalidRequest => "the request is itself invalid against its schema",
        Rule::RuleNotEnforced => "a request breaking one documented rule was answered with success",
        Rule::ValidRequestRefused => "a request the page's contract accepts was refused",
        Rule::UndocumentedStatus => "a status the page does not document",
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(body)"
    } else {
        pointer
    }
}

fn shorten(value: &str) -> String {
    if value.chars().count() <= QUOTED_VALUE_CHARS {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(QUOTED_VALUE_CHARS).collect();
        format!("{cut}…")
    }
}
