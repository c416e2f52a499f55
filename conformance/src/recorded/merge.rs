//! The JSON reports of the N shards of one recording in (`recorded --shard I/N --format json`,
//! each with its `shard` member), the outcome of one run over the whole recording out: the
//! shards' tallies added in file order exactly as one run adds its batches, JSON Lines line
//! numbers made the file's by adding the lines of the shards before (HAR entry numbers already
//! are). Refused, saying why: a report that is not a shard's, shards of different recordings,
//! specs, base paths, formats or shard counts, a missing or repeated shard.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::recorded::shard::EntryNumbering;
use crate::recorded::tally::{RouteName, Tally};
use crate::recorded::tally_json::tally_from_json;
use crate::recorded::{RecordedOutcome, RecordingFormat};

/// Why shard reports cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// No reports were given.
    #[error("no reports to merge")]
    NoReports,
    /// A report is not a shard's report, or its `shard` member is misshapen.
    #[error(
        "{report} is not a shard report ({reason}); write one with `conformance recorded --shard I/N --format json`"
    )]
    NotShardReport {
        /// The report's name.
        report: String,
        /// What is missing or wrong.
        reason: String,
    },
    /// Two reports disagree on what must be the same for every shard.
    #[error("{report} is of another run than {first}: its {what} is {found}, expected {expected}")]
    Mismatch {
        /// The report that differs.
        report: String,
        /// The first report.
        first: String,
        /// What differs.
        what: &'static str,
        /// The first report's value.
        expected: String,
        /// This report's value.
        found: String,
    },
    /// The same shard twice.
    #[error("shard {index} is given twice: {first} and {second}")]
    DuplicateShard {
        /// Which shard.
        index: u64,
        /// The first report of it.
        first: String,
        /// The second.
        second: String,
    },
    /// Shards are missing.
    #[error("shards {missing} of {count} are missing")]
    MissingShards {
        /// The missing indexes, comma-separated.
        missing: String,
        /// How many shards there are.
        count: u64,
    },
    /// Two shards' byte ranges do not meet.
    #[error("{report}'s byte range starts at {found}, but the shard before ends at {expected}")]
    Gap {
        /// The report.
        report: String,
        /// Where the shard before ends.
        expected: u64,
        /// Where this one starts.
        found: u64,
    },
    /// A route index names different endpoints in two reports.
    #[error("{report} names route {route} {found}, another shard {expected}")]
    RouteMismatch {
        /// The report.
        report: String,
        /// The route index.
        route: usize,
        /// What the other shard calls it.
        expected: String,
        /// What this one calls it.
        found: String,
    },
}

/// One shard report as read.
struct ShardReport<'r> {
    name: &'r str,
    index: u64,
    count: u64,
    format: String,
    file_bytes: u64,
    start: u64,
    end: u64,
    entries_read: u64,
    numbering: EntryNumbering,
    specs: String,
    base_paths: String,
    file: String,
    tally: &'r Value,
}

fn read_shard_report<'r>(name: &'r str, report: &'r Value) -> Result<ShardReport<'r>, MergeError> {
    let not_shard = |reason: String| MergeError::NotShardReport {
        report: name.to_owned(),
        reason,
    };
    let shard = report
        .get("shard")
        .ok_or_else(|| not_shard("it has no `shard` member".to_owned()))?;
    let number = |member: &str| {
        shard
            .get(member)
            .and_then(Value::as_u64)
            .ok_or_else(|| not_shard(format!("`shard.{member}` is not a whole number")))
    };
    let text = |member: &str| {
        shard
            .get(member)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| not_shard(format!("`shard.{member}` is not a string")))
    };
    let numbering = match text("numbering")?.as_str() {
        "part" => EntryNumbering::Part,
        "file" => EntryNumbering::File,
        other => {
            return Err(not_shard(format!(
                "`shard.numbering` is {other:?}, expected \"part\" or \"file\""
            )));
        }
    };
    let file = report
        .pointer("/recording/file")
        .and_then(Value::as_str)
        .ok_or_else(|| not_shard("`recording.file` is not a string".to_owned()))?
        .to_owned();
    Ok(ShardReport {
        name,
        index: number("index")?,
        count: number("count")?,
        format: text("format")?,
        file_bytes: number("file_bytes")?,
        start: number("start")?,
        end: number("end")?,
        entries_read: number("entries_read")?,
        numbering,
        specs: text("specs")?,
        base_paths: shard
            .get("base_paths")
            .map(Value::to_string)
            .unwrap_or_default(),
        file,
        tally: shard
            .get("tally")
            .ok_or_else(|| not_shard("it has no `shard.tally`".to_owned()))?,
    })
}

/// Merges the shard reports (name, parsed JSON) of one recording into the outcome of one run
/// over all of it.
pub fn merge_shard_reports(reports: &[(String, Value)]) -> Result<RecordedOutcome, MergeError> {
    let shards = reports
        .iter()
        .map(|(name, report)| read_shard_report(name, report))
        .collect::<Result<Vec<ShardReport<'_>>, MergeError>>()?;
    let first = shards.first().ok_or(MergeError::NoReports)?;
    for shard in &shards[1..] {
        let checks: [(&'static str, String, String); 5] = [
            (
                "shard count",
                first.count.to_string(),
                shard.count.to_string(),
            ),
            (
                "specs fingerprint",
                first.specs.clone(),
                shard.specs.clone(),
            ),
            ("format", first.format.clone(), shard.format.clone()),
            (
                "file length",
                first.file_bytes.to_string(),
                shard.file_bytes.to_string(),
            ),
            (
                "base paths",
                first.base_paths.clone(),
                shard.base_paths.clone(),
            ),
        ];
        for (what, expected, found) in checks {
            if expected != found {
                return Err(MergeError::Mismatch {
                    report: shard.name.to_owned(),
                    first: first.name.to_owned(),
                    what,
                    expected,
                    found,
                });
            }
        }
    }
    let format = match first.format.as_str() {
        "json lines" => RecordingFormat::JsonLines,
        "har" => RecordingFormat::Har,
        other => {
            return Err(MergeError::NotShardReport {
                report: first.name.to_owned(),
                reason: format!("`shard.format` is {other:?}, expected \"json lines\" or \"har\""),
            });
        }
    };
    let mut by_index: BTreeMap<u64, &ShardReport<'_>> = BTreeMap::new();
    for shard in &shards {
        if shard.index == 0 || shard.index > shard.count {
            return Err(MergeError::NotShardReport {
                report: shard.name.to_owned(),
                reason: format!("`shard.index` is {} of {}", shard.index, shard.count),
            });
        }
        if let Some(earlier) = by_index.insert(shard.index, shard) {
            return Err(MergeError::DuplicateShard {
                index: shard.index,
                first: earlier.name.to_owned(),
                second: shard.name.to_owned(),
            });
        }
    }
    let missing: Vec<String> = (1..=first.count)
        .filter(|index| !by_index.contains_key(index))
        .map(|index| index.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards {
            missing: missing.join(", "),
            count: first.count,
        });
    }

    let mut merged = Tally::default();
    let mut names: BTreeMap<usize, RouteName> = BTreeMap::new();
    let mut lines_before: u64 = 0;
    let mut expected_start: u64 = 0;
    for shard in by_index.values() {
        if shard.start != expected_start {
            return Err(MergeError::Gap {
                report: shard.name.to_owned(),
                expected: expected_start,
                found: shard.start,
            });
        }
        expected_start = shard.end;
        let offset = match shard.numbering {
            EntryNumbering::Part => lines_before,
            EntryNumbering::File => 0,
        };
        let (tally, routes) =
            tally_from_json(shard.tally, offset).map_err(|reason| MergeError::NotShardReport {
                report: shard.name.to_owned(),
                reason: format!("in `shard.tally`: {reason}"),
            })?;
        for route in routes {
            match names.get(&route.index) {
                Some(known) if *known != route.name => {
                    return Err(MergeError::RouteMismatch {
                        report: shard.name.to_owned(),
                        route: route.index,
                        expected: format!("{}/{}", known.service, known.endpoint),
                        found: format!("{}/{}", route.name.service, route.name.endpoint),
                    });
                }
                Some(_) => {}
                None => {
                    names.insert(route.index, route.name);
                }
            }
        }
        merged.absorb_later(tally);
        lines_before += shard.entries_read;
    }
    if expected_start != first.file_bytes {
        return Err(MergeError::Gap {
            report: "the end of the file".to_owned(),
            expected: expected_start,
            found: first.file_bytes,
        });
    }
    let name_of = |route_index: usize| {
        names.get(&route_index).cloned().unwrap_or(RouteName {
            service: String::new(),
            endpoint: String::new(),
            spec_path: String::new(),
        })
    };
    let (report, statistics) =
        merged.into_outcome_named(&name_of, &first.file, format, first.file_bytes);
    Ok(RecordedOutcome { report, statistics })
}
