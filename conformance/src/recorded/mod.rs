//! A traffic recording in (JSON Lines or HAR 1.2, read as a stream), a report out: every
//! exchange matched to an endpoint by method and path, its response (and request, when recorded)
//! checked against the contracts on every core, findings aggregated per endpoint and direction,
//! unmatched and unreadable exchanges counted and listed.
//!
//! # JSON Lines
//!
//! One exchange per line, UTF-8, lines ended by `\n` (`\r\n` is accepted, a UTF-8 byte order mark
//! at the start is skipped); blank lines are ignored. Each line is one JSON object:
//!
//! | member                | type             | meaning                                                       |
//! |-----------------------|------------------|---------------------------------------------------------------|
//! | `method`              | string, required | HTTP method; compared ignoring ASCII case                     |
//! | `path`                | string           | request target, `/1.0/customer/create`; a query is ignored    |
//! | `url`                 | string           | absolute URL; only its path is used (host, query ignored)     |
//! | `status`              | integer, required| response status, 100 to 599                                   |
//! | `content_type`        | string           | response `Content-Type`; when absent it is not checked        |
//! | `body`                | any JSON value   | response body, embedded as JSON (recommended)                 |
//! | `body_text`           | string           | response body as text, for bodies that are not (all) JSON     |
//! | `body_base64`         | string           | response body bytes, standard base64                          |
//! | `request_body`        | any JSON value   | request body, embedded as JSON                                |
//! | `request_body_text`   | string           | request body as text                                          |
//! | `request_body_base64` | string           | request body bytes, standard base64                           |
//!
//! Exactly one of `path` and `url`. At most one of the three response body members and at most
//! one of the three request body members. Other members (headers, timings, ids) are ignored and
//! never printed. A line longer than [`RecordedOptions::max_entry_bytes`] (4 MiB by default) is
//! unreadable. For example:
//!
//! ```text
//! {"method":"POST","path":"/1.0/customer/create","status":201,"content_type":"application/json","body":{"data":{"_id":"653a…"},"message":"Thành công","code":201}}
//! ```
//!
//! `body` is recommended for JSON bodies: the checker reads the very bytes written in the line,
//! so numbers keep every digit and text stays as it came. `"body": null` is a body that is JSON
//! `null`. `body_text` is for bodies that are not valid JSON: a truncated body written there is
//! a `not-json` finding of its endpoint, whereas a truncated `body` makes the whole line
//! unreadable. A line without any response body member records no body: the exchange is counted
//! as matched but not checked.
//!
//! # HAR 1.2
//!
//! The document is streamed: `log.entries` is read one entry at a time, the rest of the document
//! is skipped. `log.version` must be `1.2` (or `1.1`); another version, or none, refuses the
//! document. An entry longer than [`RecordedOptions::max_entry_bytes`] ends the stream there
//! (the entries before it are checked; it is reported unreadable). Of each entry:
//! `request.method`, `request.url` (only its path is used), `request.postData.text` (the request
//! body, when present), `response.status`, `response.content.mimeType` (the response media type;
//! an empty one is "not given") and `response.content.text` (the response body;
//! `response.content.encoding: "base64"` decodes it). An entry without `content.text`, or with status 0 (a request that got no response), is
//! counted but not checked. Headers and cookies are never read.
//!
//! In both formats, a response whose status the spec does not expect gets a `status` finding;
//! its body is checked against the success contract only if the status is below 300. A line or
//! entry that is not an exchange is counted and listed as unreadable (where, and what was
//! expected; never its text) and fails the run (exit code 1), as new findings do; unmatched
//! exchanges are listed but do not fail it.
//!
//! # Matching
//!
//! An exchange belongs to the endpoint whose method equals its method (ignoring ASCII case) and
//! whose path equals its path exactly (no percent-decoding, a trailing `/` matters), after the
//! query and fragment are dropped. Where a deployment puts the API under a prefix, the prefixes
//! in [`RecordedOptions::base_paths`] and the path part of the service's base URL are tried too:
//! `/proxy/1.0/customer/create` matches `/1.0/customer/create` under `--base-path /proxy`.
//!
//! # Report
//!
//! One case per endpoint and direction that any exchange reached, its source the first exchange
//! that reached it. Findings are aggregated by pointer, rule, severity and message (for
//! `not-json`, by what is wrong rather than where the parser stopped): each kind appears once,
//! with the first exchange's value, how many exchanges had it and the first few line or entry
//! numbers. At most [`LISTED_FINDING_KINDS_PER_CASE`] kinds are listed per case; further kinds
//! are folded into one finding per rule and severity, so no rule is ever lost. The specs' known
//! discrepancies belong to their examples and are not applied to recorded traffic.
//! [`RecordingStatistics`] holds the counts: exchanges per endpoint, unmatched method and path
//! pairs (the most frequent listed), unreadable lines or entries (the first listed, with why).
//!
//! # Threads
//!
//! A reader thread cuts the stream into batches (whole lines, or whole HAR entries as raw text),
//! worker threads parse and check them, and the calling thread merges their tallies strictly in
//! input order, so the outcome is the same with any number of threads. A fixed number of tokens
//! bounds the batches in flight, so memory does not grow with the file.
//!
//! # Shards
//!
//! [`check_recording_shard`] checks the Ith of N byte ranges of a file (whole JSON Lines lines,
//! whole HAR entries, each belonging to the range where it starts), and [`merge_shard_reports`]
//! adds the shards' JSON reports into the outcome of one run over the whole file: same
//! summary, counts and first line numbers. `shard.rs` says what a shard reads.
//!
//! # Fast path
//!
//! A body is checked in full (parsed into a `Value`, the schema run, the undocumented fields
//! walked, the generated type decoded) only when the generated fast check declines it. The fast
//! check (`crate::fast_check`, over the body's table in `generated::fast_check`) reads the bytes
//! once, building no `Value`, and accepts only what the schema accepts, unlisted fields aside:
//! each unlisted field becomes its `undocumented-field` finding right there. A payload it is
//! unsure of (a repeated or escaped member name, a pattern, …) or that breaks the contract goes
//! to the full check, which gives the findings. [`CheckPath::Full`] checks every payload in full.
//!
//! # Memory
//!
//! A run's memory does not grow with the recording: batches in flight are bounded in bytes, a
//! line or HAR entry by [`RecordedOptions::max_entry_bytes`], findings per payload and kinds of
//! finding per endpoint by their caps. The fast check holds nothing per value; the full check holds
//! the body in memory (the generated type, a `Value`): a body of more than [`MOST_VALUES_CHECKED_IN_FULL`] values is a
//! `too-large` finding instead, and large bodies take turns. `tests/memory.rs` holds adversarial
//! recordings under 64 MB.

mod base64;
mod har;
mod json_lines;
pub mod merge;
mod pipeline;
mod routes;
pub mod shard;
mod statistics;
mod tally;
mod tally_json;

use std::io::Read;

pub use crate::fast_check::fast_check_payload;
pub use base64::{Base64Error, decode_base64};
pub use merge::{MergeError, merge_shard_reports};
pub use routes::{Route, RouteTable, path_of_target};
pub use shard::{
    HarShardChain, Shard, ShardOutcome, ShardPart, ShardSyntaxError, check_recording_shard,
    shard_json_value,
};
pub use statistics::{
    EndpointTally, RecordingStatistics, UnmatchedRoute, UnreadableEntry, render_statistics_human,
    statistics_json_value,
};

use crate::bounds::{json_value_count, with_thousands};
use crate::case::Report;
use crate::check::check_payload;
use crate::contract::{BodyContract, Contracts};
use crate::exchange::{ResponseParts, check_response_head};
use crate::finding::{Finding, Rule};

/// At most this many kinds of finding are listed per case; further kinds are folded per rule.
pub const LISTED_FINDING_KINDS_PER_CASE: usize = 200;
/// At most this many line or entry numbers are named per kind of finding.
pub(crate) const LISTED_ENTRIES_PER_FINDING_KIND: usize = 5;
/// At most this many unmatched method and path pairs are listed.
pub const LISTED_UNMATCHED_ROUTES: usize = 20;
/// At most this many distinct unmatched method and path pairs are counted one by one.
pub const TRACKED_UNMATCHED_ROUTES: usize = 1_000;
/// At most this many unreadable lines or entries are listed.
pub const LISTED_UNREADABLE_ENTRIES: usize = 20;
/// The default most bytes of one JSON Lines line or one HAR entry: a longer line is unreadable
/// (and skipped without being held in memory); a longer HAR entry ends the stream there.
pub const LONGEST_LINE_BYTES: usize = 4 * 1024 * 1024;
/// The default size of a batch handed to a worker.
pub(crate) const DEFAULT_BATCH_BYTES: usize = 1024 * 1024;
/// The most JSON values one recorded body may hold to be checked (the generated type and the
/// full check hold it in memory, the full check at about 200 bytes a value); a body holding
/// more is one `too-large` finding.
pub const MOST_VALUES_CHECKED_IN_FULL: usize = 100_000;
/// The check of a body larger than this, or holding more than [`LARGE_BODY_VALUES`], waits
/// for its turn: one such check runs at a time.
pub(crate) const LARGE_BODY_BYTES: usize = 256 * 1024;
/// See [`LARGE_BODY_BYTES`].
pub(crate) const LARGE_BODY_VALUES: usize = 10_000;

/// Held by the one large body being checked.
static LARGE_BODY_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The two recording formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingFormat {
    /// One exchange per line.
    JsonLines,
    /// HTTP Archive 1.2.
    Har,
}

impl RecordingFormat {
    /// `json lines` or `har`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordingFormat::JsonLines => "json lines",
            RecordingFormat::Har => "har",
        }
    }

    /// Guesses the format from the start of a file: a JSON object whose first member is `log`
    /// is HAR, anything else JSON Lines.
    pub fn detect(start: &[u8]) -> RecordingFormat {
        let text = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        let mut rest = text.iter().skip_while(|byte| byte.is_ascii_whitespace());
        if rest.next() != Some(&b'{') {
            return RecordingFormat::JsonLines;
        }
        let after_brace: Vec<u8> = rest
            .skip_while(|byte| byte.is_ascii_whitespace())
            .take(5)
            .copied()
            .collect();
        if after_brace == b"\"log\"" {
            RecordingFormat::Har
        } else {
            RecordingFormat::JsonLines
        }
    }

    /// What an exchange's place is called: `line` or `entry`.
    pub fn entry_word(self) -> &'static str {
        match self {
            RecordingFormat::JsonLines => "line",
            RecordingFormat::Har => "entry",
        }
    }
}

/// How each payload is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckPath {
    /// The generated fast check (one pass over the bytes along the body's table); the full
    /// check only where it declines a payload. Same findings about the payload as `Full`; what
    /// it does not do is decode an accepted payload into the generated type, so a
    /// `generator-disagreement` (a defect of the generator, not of the traffic) shows only
    /// with `Full`, `cargo xtask conformance check` or the agreement tests.
    Fast,
    /// Every payload parsed into a `Value`, checked against the schema and decoded.
    Full,
    /// Nothing checked: every line or entry only parsed into a `Value`, on the same threads.
    /// The baseline the benchmark compares the check with.
    ParseOnly,
}

/// How a recording is read and checked.
#[derive(Debug, Clone)]
pub struct RecordedOptions {
    /// The recording's name as reports show it (the path as given).
    pub file_name: String,
    /// The format, or `None` to detect it from the first bytes.
    pub format: Option<RecordingFormat>,
    /// Path prefixes a deployment puts before the documented paths (`/proxy`).
    pub base_paths: Vec<String>,
    /// Worker threads; 0 for one per core.
    pub threads: usize,
    /// Fast (default) or full checks.
    pub check_path: CheckPath,
    /// Bytes of lines (or HAR entries) per batch handed to a worker.
    pub batch_bytes: usize,
    /// The most bytes of one line or HAR entry ([`LONGEST_LINE_BYTES`] by default).
    pub max_entry_bytes: u64,
}

impl RecordedOptions {
    /// Defaults for a recording named `file_name`: format detected, every core, fast path.
    pub fn new(file_name: impl Into<String>) -> RecordedOptions {
        RecordedOptions {
            file_name: file_name.into(),
            format: None,
            base_paths: Vec::new(),
            threads: 0,
            check_path: CheckPath::Fast,
            batch_bytes: DEFAULT_BATCH_BYTES,
            max_entry_bytes: LONGEST_LINE_BYTES as u64,
        }
    }

    /// The number of worker threads this run uses.
    pub(crate) fn worker_threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, usize::from)
        }
    }
}

/// Why a recording could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The recording could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The recording.
        file: String,
        /// What failed.
        source: std::io::Error,
    },
    /// The document is not a HAR: no `log.entries` array, or not JSON before the first entry.
    #[error("{file} is not a HAR 1.2 document: {reason}")]
    NotHar {
        /// The recording.
        file: String,
        /// What was expected and where.
        reason: String,
    },
    /// A worker thread failed (a defect, never the input's fault).
    #[error("a worker thread checking {file} stopped unexpectedly")]
    WorkerFailed {
        /// The recording.
        file: String,
    },
}

/// The result of checking a recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedOutcome {
    /// One case per endpoint and direction that exchanges reached.
    pub report: Report,
    /// Counts: exchanges, matched per endpoint, unmatched, unreadable.
    pub statistics: RecordingStatistics,
}

impl RecordedOutcome {
    /// 0 when every finding is known and every line or entry was readable; 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.statistics.unreadable > 0 {
            1
        } else {
            self.report.exit_code()
        }
    }
}

/// One exchange as a recording holds it, borrowing from the line or entry where it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedExchange<'a> {
    /// HTTP method as recorded.
    pub method: std::borrow::Cow<'a, str>,
    /// The request path, without query or fragment.
    pub path: std::borrow::Cow<'a, str>,
    /// HTTP status.
    pub status: u16,
    /// Whether the recording says what the response's media type was.
    pub content_type_recorded: bool,
    /// The response `Content-Type`, when recorded and not empty.
    pub content_type: Option<std::borrow::Cow<'a, str>>,
    /// The response body, when recorded.
    pub response_body: Option<std::borrow::Cow<'a, [u8]>>,
    /// The request body, when recorded.
    pub request_body: Option<std::borrow::Cow<'a, [u8]>>,
}

/// Checks a recording read from `reader` against `contracts`.
pub fn check_recording<R: Read + Send>(
    contracts: &Contracts,
    reader: R,
    options: &RecordedOptions,
) -> Result<RecordedOutcome, RecordingError> {
    let routes = RouteTable::new(contracts, &options.base_paths);
    pipeline::run(&routes, reader, options)
}

/// Checks a recorded response against its route; `None` when no body was recorded (or the
/// status is 0: no response arrived), so there is nothing to check.
pub fn check_recorded_response(
    route: &Route<'_>,
    exchange: &RecordedExchange<'_>,
    check_path: CheckPath,
) -> Option<Vec<Finding>> {
    check_recorded_response_counting(route, exchange, check_path).map(|(findings, _)| findings)
}

/// Checks a recorded request body against its route's request contract; `None` when the
/// endpoint takes no request body.
pub fn check_recorded_request(
    route: &Route<'_>,
    body: &[u8],
    check_path: CheckPath,
) -> Option<Vec<Finding>> {
    check_recorded_request_counting(route, body, check_path).map(|(findings, _)| findings)
}

/// `check_recorded_response`, also saying whether the body took the full check.
pub(crate) fn check_recorded_response_counting(
    route: &Route<'_>,
    exchange: &RecordedExchange<'_>,
    check_path: CheckPath,
) -> Option<(Vec<Finding>, bool)> {
    let body = exchange.response_body.as_deref()?;
    if exchange.status == 0 {
        return None;
    }
    let parts = ResponseParts {
        status: exchange.status,
        content_type: exchange.content_type.as_deref(),
        body,
    };
    let head = check_response_head(route.endpoint, parts);
    let mut findings = head.findings;
    let mut checked_in_full = false;
    if head.body_is_checked {
        let (body_findings, in_full) = bounded_body_check(route.response, body, check_path);
        findings.extend(body_findings);
        checked_in_full = in_full;
    }
    if !exchange.content_type_recorded {
        findings.retain(|finding| finding.rule != Rule::ContentType);
    }
    Some((findings, checked_in_full))
}

/// `check_recorded_request`, also saying whether the body took the full check.
pub(crate) fn check_recorded_request_counting(
    route: &Route<'_>,
    body: &[u8],
    check_path: CheckPath,
) -> Option<(Vec<Finding>, bool)> {
    let contract = route.request?;
    Some(bounded_body_check(contract, body, check_path))
}

/// Checks a recorded body within the run's memory (fast path first unless `check_path` is
/// `Full`), also saying whether it took the full check. A body of more than
/// [`MOST_VALUES_CHECKED_IN_FULL`] values is one `too-large` finding: the full check holds it
/// in memory, at tens of bytes a value (the fast check declines it, holding nothing per value).
/// A large one waits until no other large one is being checked in full.
fn bounded_body_check(
    contract: &BodyContract,
    body: &[u8],
    check_path: CheckPath,
) -> (Vec<Finding>, bool) {
    if check_path != CheckPath::Full
        && let Some(findings) = fast_check_payload(contract, body, MOST_VALUES_CHECKED_IN_FULL)
    {
        return (findings, false);
    }
    let values = json_value_count(body, MOST_VALUES_CHECKED_IN_FULL);
    if values > MOST_VALUES_CHECKED_IN_FULL {
        let finding = Finding::error(
            "",
            Rule::TooLarge,
            format!(
                "the body holds more than {} JSON values, the most a recorded run checks in one body (its memory stays under 64 MB); check it alone with `cargo xtask conformance check`",
                with_thousands(MOST_VALUES_CHECKED_IN_FULL as u64)
            ),
        )
        .with_spec_location(Some(contract.object.location.clone()));
        return (vec![finding], false);
    }
    let _turn = (body.len() > LARGE_BODY_BYTES || values > LARGE_BODY_VALUES).then(|| {
        LARGE_BODY_TURN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    (check_payload(contract, body).findings, true)
}
