//! A report as JUnit XML: one test suite per endpoint, one test case per checked payload (per
//! example), failing when it has a new finding or a vanished known one.

use std::fmt::Write;

use crate::case::{Case, Report};

/// The report as a JUnit XML document.
pub fn render(report: &Report) -> String {
    let summary = report.summary();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"conformance\" tests=\"{}\" failures=\"{}\">",
        summary.cases, summary.failed
    );
    let mut suites: Vec<(String, Vec<&Case>)> = Vec::new();
    for case in &report.cases {
        let key = case.endpoint_key();
        match suites.iter_mut().find(|(name, _)| *name == key) {
            Some((_, cases)) => cases.push(case),
            None => suites.push((key, vec![case])),
        }
    }
    for (name, cases) in suites {
        let failures = cases.iter().filter(|case| case.failed()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
            escape(&name),
            cases.len()
        );
        for case in cases {
            render_case(&mut out, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn render_case(out: &mut String, case: &Case) {
    let time = case.latency_ms.map_or(0.0, |ms| ms as f64 / 1000.0);
    let _ = writeln!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\">",
        escape(&case.endpoint_key()),
        escape(&format!(
            "{} {}",
            case.direction.as_str(),
            case.source.describe()
        ))
    );
    let lines = |new: bool| -> String {
        let mut text = String::new();
        for finding in case
            .findings
            .iter()
            .filter(|finding| finding.is_new() == new)
        {
            let _ = write!(
                text,
                "{} {} {}: {}",
                finding.severity.as_str(),
                if finding.pointer.is_empty() {
                    "(body)"
                } else {
                    &finding.pointer
                },
                finding.rule.as_str(),
                finding.message
            );
            if let Some(value) = &finding.value {
                let _ = write!(text, " value: {value}");
            }
            if let Some(known) = &finding.known {
                let _ = write!(text, " (known: {})", known.reason);
            }
            text.push('\n');
        }
        text
    };
    if case.failed() {
        let mut body = lines(true);
        for vanished in &case.vanished {
            let _ = writeln!(
                body,
                "vanished {} {}: recorded at {} as known but no longer found",
                vanished.path,
                vanished.rule.as_str(),
                vanished.location
            );
        }
        let _ = writeln!(
            out,
            "      <failure type=\"conformance\" message=\"{}\">{}</failure>",
            escape(&format!(
                "{} new findings, {} vanished",
                case.findings
                    .iter()
                    .filter(|finding| finding.is_new())
                    .count(),
                case.vanished.len()
            )),
            escape(&body)
        );
    }
    let known = lines(false);
    if !known.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&known));
    }
    out.push_str("    </testcase>\n");
}

/// Escapes text for XML 1.0: markup characters become entities, characters XML cannot hold
/// become `\u{…}` text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}
