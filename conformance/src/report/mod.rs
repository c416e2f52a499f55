//! A report in, text out: for people (`human`, colour only when [`color::use_color`] says so),
//! for programs (`json`, a documented and stable document with a JSON Schema), for CI dashboards
//! (`junit`), for code scanning (`sarif`, SARIF 2.1.0) and for GitHub Actions (`github`,
//! workflow-command annotations). `diff_formats` gives the schema diff the same last three.

/// Whether human output gets colour (shared with `cargo xtask diff`, which has no checker).
pub use codegen::display_color as color;
pub mod diff_formats;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod position;
pub mod sarif;

use std::time::Duration;

use codegen::model::KnownDiscrepancy;

use crate::case::{Case, Report};
use crate::finding::{Finding, Rule};

/// A known discrepancy that vanished at the same place where a new finding appeared: the
/// discrepancy changed rather than went away.
pub fn changed_from<'a>(case: &'a Case, finding: &Finding) -> Option<&'a KnownDiscrepancy> {
    if !finding.is_new() {
        return None;
    }
    case.vanished
        .iter()
        .find(|vanished| vanished.path == finding.pointer)
}

/// How long a run and each of its cases took, measured by the command and handed to the
/// renderers as data (so that rendering stays deterministic and testable).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    /// The whole run, when measured.
    pub total: Option<Duration>,
    /// One entry per case of the report, in its order; `None` where a case was not timed on its
    /// own (a recording's exchanges are checked in a stream).
    pub cases: Vec<Option<Duration>>,
}

impl Timings {
    /// The time of case `index`: measured, or else the exchange's latency for a live case.
    pub fn case(&self, report: &Report, index: usize) -> Option<Duration> {
        self.cases.get(index).copied().flatten().or_else(|| {
            report
                .cases
                .get(index)
                .and_then(|case| case.latency_ms)
                .map(Duration::from_millis)
        })
    }
}

/// What a case means to a CI dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseOutcome {
    /// Nothing new: passed (or only known findings).
    Passed,
    /// A new finding or a vanished known one: the contract is broken.
    Failed,
    /// The payload could not be checked at all: the exchange failed below HTTP.
    Error,
    /// Nothing was checked on purpose: the request is invalid and known to be, so it was not sent.
    Skipped,
}

/// Classifies `case` for JUnit's `failures`, `errors` and `skipped`.
pub(crate) fn case_outcome(case: &Case) -> CaseOutcome {
    let new_rule = |rule: Rule| {
        case.findings
            .iter()
            .any(|finding| finding.is_new() && finding.rule == rule)
    };
    if case.failed() {
        if new_rule(Rule::Transport) {
            CaseOutcome::Error
        } else {
            CaseOutcome::Failed
        }
    } else if case
        .findings
        .iter()
        .any(|finding| finding.rule == Rule::InvalidRequest)
    {
        CaseOutcome::Skipped
    } else {
        CaseOutcome::Passed
    }
}
