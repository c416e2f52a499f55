//! A report and its measured [`Timings`] in, JUnit XML out: one test suite per endpoint, one test
//! case per checked payload (per example). Every suite and the root carry `tests`, `failures`,
//! `errors`, `skipped` and `time` (seconds): a case fails with a new finding or a vanished known
//! one, is an error when the exchange failed below HTTP, and is skipped when its request was not
//! sent because it is known to be invalid (see [`case_outcome`]).

use std::fmt::Write;
use std::time::Duration;

use crate::case::{Case, Report};
use crate::report::{CaseOutcome, Timings, case_outcome};

/// The report as a JUnit XML document, timed by live latencies only.
pub fn render(report: &Report) -> String {
    render_timed(report, &Timings::default())
}

/// Counts of one suite (or of all of them).
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    time: Duration,
}

impl Counts {
    fn add(&mut self, outcome: CaseOutcome, time: Duration) {
        self.tests += 1;
        match outcome {
            CaseOutcome::Passed => {}
            CaseOutcome::Failed => self.failures += 1,
            CaseOutcome::Error => self.errors += 1,
            CaseOutcome::Skipped => self.skipped += 1,
        }
        self.time += time;
    }

    fn attributes(&self, time: Duration) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
            self.tests,
            self.failures,
            self.errors,
            self.skipped,
            seconds(time)
        )
    }
}

/// The report as a JUnit XML document; `timings` gives each case's and the run's time.
pub fn render_timed(report: &Report, timings: &Timings) -> String {
    let mut suites: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, case) in report.cases.iter().enumerate() {
        let key = case.endpoint_key();
        match suites.iter_mut().find(|(name, _)| *name == key) {
            Some((_, cases)) => cases.push(index),
            None => suites.push((key, vec![index])),
        }
    }
    let time_of = |index: usize| timings.case(report, index).unwrap_or_default();
    let mut all = Counts::default();
    let mut body = String::new();
    for (name, indices) in suites {
        let mut counts = Counts::default();
        for &index in &indices {
            counts.add(case_outcome(&report.cases[index]), time_of(index));
        }
        all.tests += counts.tests;
        all.failures += counts.failures;
        all.errors += counts.errors;
        all.skipped += counts.skipped;
        all.time += counts.time;
        let _ = writeln!(
            body,
            "  <testsuite name=\"{}\" {}>",
            escape(&name),
            counts.attributes(counts.time)
        );
        for index in indices {
            render_case(&mut body, &report.cases[index], time_of(index));
        }
        body.push_str("  </testsuite>\n");
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"conformance\" {}>",
        all.attributes(timings.total.unwrap_or(all.time))
    );
    out.push_str(&body);
    out.push_str("</testsuites>\n");
    out
}

/// Seconds with millisecond precision, as JUnit readers expect.
fn seconds(time: Duration) -> String {
    format!("{:.3}", time.as_secs_f64())
}

fn render_case(out: &mut String, case: &Case, time: Duration) {
    let _ = writeln!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\">",
        escape(&case.endpoint_key()),
        escape(&format!(
            "{} {}",
            case.direction.as_str(),
            case.source.describe()
        )),
        seconds(time)
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
    let outcome = case_outcome(case);
    if matches!(outcome, CaseOutcome::Failed | CaseOutcome::Error) {
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
        let new = case
            .findings
            .iter()
            .filter(|finding| finding.is_new())
            .count();
        let (element, kind) = if outcome == CaseOutcome::Error {
            ("error", "transport")
        } else {
            ("failure", "conformance")
        };
        let _ = writeln!(
            out,
            "      <{element} type=\"{kind}\" message=\"{}\">{}</{element}>",
            escape(&format!(
                "{}, {} vanished",
                codegen::display_text::count(new, "new finding", "new findings"),
                case.vanished.len()
            )),
            escape(&body)
        );
    }
    if outcome == CaseOutcome::Skipped {
        out.push_str(
            "      <skipped message=\"the request is known to be invalid, so it was not sent\"/>\n",
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
pub fn escape(text: &str) -> String {
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
