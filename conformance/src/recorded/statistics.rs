//! A recording's counts in (exchanges, matched per endpoint, unmatched method and path pairs,
//! unreadable lines or entries), text out: a section for people under the human report, and a
//! `recording` member for the JSON report.
//!
//! ```text
//! "recording": { "file", "format": "json lines" | "har", "bytes", "exchanges", "matched",
//!                "without_response_body", "full_checks",
//!                "endpoints": [ { "service", "endpoint", "direction", "exchanges", "with_findings",
//!                                 "with_errors" } ],
//!                "unmatched": { "exchanges", "distinct", "not_tracked",
//!                               "listed": [ { "method", "path", "exchanges", "first_entry" } ] },
//!                "unreadable": { "entries", "listed": [ { "entry", "reason" } ] } }
//! ```

use std::fmt::Write;

use codegen::display_text::count;
use codegen::model::Direction;
use serde_json::{Value, json};

use crate::recorded::{RecordingFormat, TRACKED_UNMATCHED_ROUTES};

/// Counts over a recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingStatistics {
    /// The recording's name as given.
    pub file: String,
    /// Its format.
    pub format: RecordingFormat,
    /// Bytes read.
    pub bytes: u64,
    /// Exchanges read (lines or entries that are exchanges).
    pub exchanges: u64,
    /// Exchanges matched to an endpoint.
    pub matched: u64,
    /// Matched exchanges whose response body was not recorded (or that got no response).
    pub without_response_body: u64,
    /// Payloads the fast path could not vouch for, checked in full.
    pub full_checks: u64,
    /// Per endpoint and direction, the exchanges checked.
    pub endpoints: Vec<EndpointTally>,
    /// Exchanges no endpoint has.
    pub unmatched: u64,
    /// Distinct unmatched method and path pairs counted one by one.
    pub distinct_unmatched_routes: u64,
    /// The most frequent unmatched pairs.
    pub unmatched_routes: Vec<UnmatchedRoute>,
    /// Unmatched exchanges of pairs beyond the ones counted one by one.
    pub unmatched_not_tracked: u64,
    /// Lines or entries that are not exchanges.
    pub unreadable: u64,
    /// The first of them, with why.
    pub unreadable_entries: Vec<UnreadableEntry>,
}

/// The exchanges of one endpoint and direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointTally {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// Request or response.
    pub direction: Direction,
    /// Payloads checked.
    pub exchanges: u64,
    /// Payloads with at least one finding.
    pub with_findings: u64,
    /// Payloads with at least one error finding: the exchanges that break the contract.
    pub with_errors: u64,
}

/// An unmatched method and path (without query), how often, and where first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedRoute {
    /// Method, upper case.
    pub method: String,
    /// Path without query.
    pub path: String,
    /// How many exchanges.
    pub exchanges: u64,
    /// The first line or entry.
    pub first_entry: u64,
}

/// A line or entry that is not an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableEntry {
    /// 1-based line or entry number.
    pub entry: u64,
    /// What is wrong and what was expected (never the line's text).
    pub reason: String,
}

/// The statistics as a section for people, to print under the human report.
pub fn render_statistics_human(statistics: &RecordingStatistics) -> String {
    let word = statistics.format.entry_word();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "recording: {} ({}, {:.1} MB): {}, {} matched ({} without a response body, {} checked in full), {} unmatched, {} unreadable",
        statistics.file,
        statistics.format.as_str(),
        statistics.bytes as f64 / 1_000_000.0,
        count(statistics.exchanges as usize, "exchange", "exchanges"),
        statistics.matched,
        statistics.without_response_body,
        statistics.full_checks,
        statistics.unmatched,
        statistics.unreadable,
    );
    for endpoint in &statistics.endpoints {
        let _ = writeln!(
            out,
            "  {}/{} {}: {} checked, {} with findings",
            endpoint.service,
            endpoint.endpoint,
            endpoint.direction.as_str(),
            endpoint.exchanges,
            endpoint.with_findings
        );
    }
    if statistics.unmatched > 0 {
        let _ = writeln!(
            out,
            "unmatched: {}, {}{}:",
            count(statistics.unmatched as usize, "exchange", "exchanges"),
            count(
                statistics.distinct_unmatched_routes as usize,
                "distinct method and path",
                "distinct methods and paths"
            ),
            if statistics.unmatched_not_tracked > 0 {
                format!(
                    " (and {} exchanges of pairs beyond the first {TRACKED_UNMATCHED_ROUTES})",
                    statistics.unmatched_not_tracked
                )
            } else {
                String::new()
            }
        );
        for route in &statistics.unmatched_routes {
            let _ = writeln!(
                out,
                "  {:>8}  {} {}  (first at {word} {})",
                route.exchanges, route.method, route.path, route.first_entry
            );
        }
        let not_listed =
            statistics.distinct_unmatched_routes - statistics.unmatched_routes.len() as u64;
        if not_listed > 0 {
            let _ = writeln!(out, "  … and {not_listed} more pairs");
        }
    }
    if statistics.unreadable > 0 {
        let _ = writeln!(
            out,
            "unreadable: {} {}:",
            statistics.unreadable,
            if statistics.format == RecordingFormat::Har {
                "entries"
            } else {
                "lines"
            }
        );
        for unreadable in &statistics.unreadable_entries {
            let _ = writeln!(out, "  {word} {}: {}", unreadable.entry, unreadable.reason);
        }
        let not_listed = statistics.unreadable - statistics.unreadable_entries.len() as u64;
        if not_listed > 0 {
            let _ = writeln!(out, "  … and {not_listed} more");
        }
    }
    out
}

/// The statistics as the JSON report's `recording` member.
pub fn statistics_json_value(statistics: &RecordingStatistics) -> Value {
    json!({
        "file": statistics.file,
        "format": statistics.format.as_str(),
        "bytes": statistics.bytes,
        "exchanges": statistics.exchanges,
        "matched": statistics.matched,
        "without_response_body": statistics.without_response_body,
        "full_checks": statistics.full_checks,
        "endpoints": statistics.endpoints.iter().map(|endpoint| json!({
            "service": endpoint.service,
            "endpoint": endpoint.endpoint,
            "direction": endpoint.direction.as_str(),
            "exchanges": endpoint.exchanges,
            "with_findings": endpoint.with_findings,
            "with_errors": endpoint.with_errors,
        })).collect::<Vec<_>>(),
        "unmatched": {
            "exchanges": statistics.unmatched,
            "distinct": statistics.distinct_unmatched_routes,
            "not_tracked": statistics.unmatched_not_tracked,
            "listed": statistics.unmatched_routes.iter().map(|route| json!({
                "method": route.method,
                "path": route.path,
                "exchanges": route.exchanges,
                "first_entry": route.first_entry,
            })).collect::<Vec<_>>(),
        },
        "unreadable": {
            "entries": statistics.unreadable,
            "listed": statistics.unreadable_entries.iter().map(|unreadable| json!({
                "entry": unreadable.entry,
                "reason": unreadable.reason,
            })).collect::<Vec<_>>(),
        },
    })
}
