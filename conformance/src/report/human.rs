//! A report as people read it: grouped by endpoint, each finding with its pointer, rule, value,
//! the spec line that defines the field, and whether it is known; text in any language as it is.

use std::fmt::Write;

use crate::case::{Case, Report};
use crate::finding::{Finding, Severity};
use crate::report::changed_from;

/// Terminal styles, or none.
#[derive(Debug, Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn red(self, text: &str) -> String {
        self.paint("31;1", text)
    }
    fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// Longest value shown in full; longer ones are cut (the JSON report always has them whole).
const SHOWN_VALUE_CHARS: usize = 160;

/// Renders `report` for a person; `color` adds ANSI colours (for terminals only).
pub fn render(report: &Report, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    let mut endpoint = String::new();
    for case in &report.cases {
        if case.endpoint_key() != endpoint {
            endpoint = case.endpoint_key();
            let _ = writeln!(
                out,
                "{}  {}",
                style.bold(&endpoint),
                style.dim(&case.spec_path)
            );
        }
        render_case(&mut out, case, style);
    }
    let summary = report.summary();
    let _ = writeln!(
        out,
        "\n{} {} cases ({} passed, {} failed); {} findings ({} errors, {} warnings): {} known, {} new; {} known discrepancies vanished",
        style.bold("summary:"),
        summary.cases,
        summary.passed,
        summary.failed,
        summary.errors + summary.warnings,
        summary.errors,
        summary.warnings,
        summary.known,
        summary.new,
        summary.vanished,
    );
    out
}

fn render_case(out: &mut String, case: &Case, style: Style) {
    let verdict = match case.verdict() {
        "passed" => style.green("passed"),
        "known" => style.green(&format!(
            "{} finding{}, all known",
            case.findings.len(),
            if case.findings.len() == 1 { "" } else { "s" }
        )),
        _ => style.red(&format!(
            "FAILED: {} new finding{}, {} vanished",
            case.findings.iter().filter(|f| f.is_new()).count(),
            if case.findings.iter().filter(|f| f.is_new()).count() == 1 {
                ""
            } else {
                "s"
            },
            case.vanished.len()
        )),
    };
    let file = case
        .source
        .file()
        .map(|file| format!(" ({file})"))
        .unwrap_or_default();
    let latency = case
        .latency_ms
        .map(|ms| format!(" in {ms} ms"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<9}{}{file}{latency}: {verdict}",
        case.direction.as_str(),
        case.source.describe()
    );
    for finding in &case.findings {
        render_finding(out, case, finding, style);
    }
    for vanished in &case.vanished {
        let _ = writeln!(
            out,
            "    {} {}  {}  recorded at {} as known ({}) but no longer found",
            style.red("vanished"),
            display_pointer(&vanished.path),
            vanished.rule.as_str(),
            vanished.location,
            vanished.reason
        );
    }
}

fn render_finding(out: &mut String, case: &Case, finding: &Finding, style: Style) {
    let severity = match (finding.severity, finding.is_new()) {
        (Severity::Error, true) => style.red("error  "),
        (Severity::Warning, true) => style.yellow("warning"),
        (Severity::Error, false) => style.dim("error  "),
        (Severity::Warning, false) => style.dim("warning"),
    };
    let status = if finding.is_new() {
        style.red("NEW")
    } else {
        style.dim("known")
    };
    let _ = writeln!(
        out,
        "    {severity} {status}  {}  {}  {}",
        display_pointer(&finding.pointer),
        finding.rule.as_str(),
        finding.message
    );
    if let Some(value) = &finding.value {
        let _ = writeln!(out, "            value: {}", shorten(value));
    }
    if let Some(location) = &finding.spec_location {
        let _ = writeln!(out, "            spec: {location}");
    }
    if let Some(known) = &finding.known {
        let _ = writeln!(
            out,
            "            known ({}): {}",
            known.location, known.reason
        );
    }
    if let Some(before) = changed_from(case, finding) {
        let _ = writeln!(
            out,
            "            changed: was `{}` at {}",
            before.rule.as_str(),
            before.location
        );
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
    if value.chars().count() <= SHOWN_VALUE_CHARS {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(SHOWN_VALUE_CHARS).collect();
        format!("{cut}… ({} characters in all)", value.chars().count())
    }
}
