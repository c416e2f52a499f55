//! A report as people read it: grouped by endpoint, each finding with its pointer, rule, value,
//! the spec line that defines the field, and whether it is known; text in any language as it is,
//! control characters from data escaped (`\u{1b}`) so that no payload or server drives the
//! reader's terminal.

use std::fmt::Write;

use codegen::display_text::{count, escape_control_characters as clean};

use crate::case::{Case, CaseSource, Report};
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
                style.bold(&clean(&endpoint)),
                style.dim(&clean(&case.spec_path))
            );
        }
        render_case(&mut out, case, style);
    }
    let _ = writeln!(out, "\n{} {}", style.bold("summary:"), summary_line(report));
    out
}

fn render_case(out: &mut String, case: &Case, style: Style) {
    let new = case.findings.iter().filter(|f| f.is_new()).count();
    let verdict = match case.verdict() {
        "passed" => style.green("passed"),
        "known" => style.green(&format!(
            "{}, all known",
            count(case.findings.len(), "finding", "findings")
        )),
        _ => style.red(&format!(
            "FAILED: {}, {} vanished",
            count(new, "new finding", "new findings"),
            case.vanished.len()
        )),
    };
    // Only an example's name leaves its file unsaid; the other sources name theirs.
    let file = match &case.source {
        CaseSource::Example { file, .. } => format!(" ({})", clean(file)),
        _ => String::new(),
    };
    let latency = case
        .latency_ms
        .map(|ms| format!(" in {ms} ms"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<9}{}{file}{latency}: {verdict}",
        case.direction.as_str(),
        clean(&case.source.describe())
    );
    for finding in &case.findings {
        render_finding(out, case, finding, style);
    }
    for vanished in &case.vanished {
        let _ = writeln!(
            out,
            "    {} {}  {}  recorded at {} as known ({}) but no longer found",
            style.red("vanished"),
            clean(display_pointer(&vanished.path)),
            vanished.rule.as_str(),
            clean(&vanished.location.to_string()),
            clean(&vanished.reason)
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
        clean(display_pointer(&finding.pointer)),
        finding.rule.as_str(),
        clean(&finding.message)
    );
    if let Some(value) = &finding.value {
        let _ = writeln!(out, "            value: {}", clean(&shorten(value)));
    }
    if let Some(location) = &finding.spec_location {
        let _ = writeln!(out, "            spec: {}", clean(&location.to_string()));
    }
    if let Some(known) = &finding.known {
        let _ = writeln!(
            out,
            "            known ({}): {}",
            clean(&known.location.to_string()),
            clean(&known.reason)
        );
    }
    if let Some(before) = changed_from(case, finding) {
        let _ = writeln!(
            out,
            "            changed: was `{}` at {}",
            before.rule.as_str(),
            clean(&before.location.to_string())
        );
    }
}

/// `10 cases (10 passed, 0 failed); 21 findings (21 errors, 0 warnings): 21 known, 0 new;
/// 0 known discrepancies vanished`, every noun in the right number.
pub(crate) fn summary_line(report: &Report) -> String {
    let summary = report.summary();
    format!(
        "{} ({} passed, {} failed); {} ({}, {}): {} known, {} new; {} vanished",
        count(summary.cases, "case", "cases"),
        summary.passed,
        summary.failed,
        count(summary.errors + summary.warnings, "finding", "findings"),
        count(summary.errors, "error", "errors"),
        count(summary.warnings, "warning", "warnings"),
        summary.known,
        summary.new,
        count(summary.vanished, "known discrepancy", "known discrepancies"),
    )
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
