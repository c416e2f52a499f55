//! A report (and the payload files' bytes) in, GitHub Actions workflow commands out: one
//! `::error file=…,line=…,col=…,title=…::message` line per new finding (`::warning` for a
//! warning, `::notice` for a known one), located like the SARIF results. Data is escaped as
//! GitHub requires (`%`, CR and LF in messages; also `:` and `,` in properties) and control
//! characters never pass raw.

use std::fmt::Write;

use codegen::display_text::is_unsafe_to_show;

use crate::case::{CaseSource, Report};
use crate::finding::Severity;
use crate::report::position::{TextPosition, pointer_position};

/// One annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// `error`, `warning` or `notice`.
    pub level: &'static str,
    /// The file, relative to the repository root where possible.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u64>,
    /// 1-based column.
    pub column: Option<u64>,
    /// A short title.
    pub title: String,
    /// The message.
    pub message: String,
}

impl Annotation {
    /// The workflow command line, with its newline.
    pub fn render(&self) -> String {
        let mut properties = Vec::new();
        if let Some(file) = &self.file {
            properties.push(format!("file={}", escape_property(file)));
        }
        if let Some(line) = self.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = self.column {
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", escape_property(&self.title)));
        format!(
            "::{} {}::{}\n",
            self.level,
            properties.join(","),
            escape_data(&self.message)
        )
    }
}

/// Escapes a command's message: `%`, CR and LF as GitHub decodes them, every other control
/// character (and bidirectional override) as `\u{…}`, so none reaches a log viewer raw.
pub(crate) fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_unsafe_to_show(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a command's property value: as [`escape_data`], and `:` and `,` too.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Every annotation of `report`; `payload_bytes` gives a payload file's bytes for line numbers.
pub fn annotations(
    report: &Report,
    payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
    recorded_entries_are_lines: bool,
) -> Vec<Annotation> {
    let mut out = Vec::new();
    for case in &report.cases {
        // Standard input (`-`) is no file to annotate.
        let file = match &case.source {
            CaseSource::Example { file, .. } | CaseSource::File { path: file } => Some(file),
            CaseSource::Recorded { file, .. } => Some(file),
            CaseSource::Live { .. } | CaseSource::Probe { .. } => None,
        }
        .filter(|file| file.as_str() != "-");
        let bytes = match &case.source {
            CaseSource::Example { .. } | CaseSource::File { .. } => {
                file.and_then(|file| payload_bytes(file))
            }
            _ => None,
        };
        for finding in &case.findings {
            let level = match (finding.is_new(), finding.severity) {
                (false, _) => "notice",
                (true, Severity::Error) => "error",
                (true, Severity::Warning) => "warning",
            };
            let position = match &case.source {
                CaseSource::Recorded { entry, .. } if recorded_entries_are_lines => {
                    Some(TextPosition {
                        line: *entry,
                        column: 1,
                    })
                }
                _ => bytes
                    .as_deref()
                    .and_then(|bytes| pointer_position(bytes, &finding.pointer)),
            };
            let (file, line, column) = match (file, position, &finding.spec_location) {
                (Some(file), position, _) => (
                    Some(file.clone()),
                    position.map(|p| p.line),
                    position.map(|p| p.column),
                ),
                (None, _, Some(spec)) => (Some(spec.path.clone()), Some(spec.line), None),
                (None, _, None) => (None, None, None),
            };
            let mut message = format!("{}: {}", case.name(), finding.message);
            if let Some(value) = &finding.value {
                let _ = write!(message, "\nvalue: {}", shorten(value));
            }
            if let Some(spec) = &finding.spec_location {
                let _ = write!(message, "\nspec: {spec}");
            }
            if let Some(known) = &finding.known {
                let _ = write!(message, "\nknown ({}): {}", known.location, known.reason);
            }
            out.push(Annotation {
                level,
                file,
                line,
                column,
                title: format!(
                    "{} at {}",
                    finding.rule.as_str(),
                    if finding.pointer.is_empty() {
                        "(body)"
                    } else {
                        &finding.pointer
                    }
                ),
                message,
            });
        }
        for vanished in &case.vanished {
            out.push(Annotation {
                level: "error",
                file: Some(vanished.location.path.clone()),
                line: Some(vanished.location.line),
                column: Some(vanished.location.column),
                title: format!("vanished {} at {}", vanished.rule.as_str(), vanished.path),
                message: format!(
                    "{}: recorded as known ({}) but no longer found",
                    case.name(),
                    vanished.reason
                ),
            });
        }
    }
    out
}

/// The report as workflow command lines.
pub fn render(report: &Report, payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>) -> String {
    render_located(report, payload_bytes, false)
}

/// As [`render`]; `recorded_entries_are_lines` as for `sarif::render_located`.
pub fn render_located(
    report: &Report,
    payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
    recorded_entries_are_lines: bool,
) -> String {
    annotations(report, payload_bytes, recorded_entries_are_lines)
        .iter()
        .map(Annotation::render)
        .collect()
}

fn shorten(value: &str) -> String {
    if value.chars().count() <= 160 {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(160).collect();
        format!("{cut}…")
    }
}
