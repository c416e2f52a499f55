//! The JSON reports of the N shards of one recording in (`recorded --shard I/N --format json`,
//! each with its `shard` member), the outcome of one run over the whole recording out: the
//! shards' tallies added in file order exactly as one run adds its batches, line and entry
//! numbers made the file's by adding those of the shards before. HAR shards are chained: each
//! must start where the shard before says the next entry starts, a shard in which no entry
//! starts adds nothing, and once the entries end (the array closed, or the document broke off)
//! the shards after add nothing. Refused, saying why: a report that is not a shard's, shards
//! of different recordings, specs, base paths, formats or shard counts, a missing or repeated
//! shard, a HAR shard that started elsewhere than the next entry, and a whole HAR document
//! without `log.version` (as one run refuses it).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::recorded::shard::HarShardChain;
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
    /// A HAR shard did not start at the entry the shard before says comes next.
    #[error(
        "{report} starts at {found}, but the shard before says the next entry starts at byte {expected}: it took something else for an entry's start, so the shards cannot be merged exactly; check the file in fewer shards, or unsharded"
    )]
    MisjudgedStart {
        /// The report.
        report: String,
        /// Where the entry starts, as the shard before read it.
        expected: u64,
        /// Where this shard started (`no entry` when it found none).
        found: String,
    },
    /// A whole HAR document without `log.version`, as one run refuses it.
    #[error("{file} is not a HAR 1.2 document: {reason}")]
    NotHar {
        /// The recording.
        file: String,
        /// Why.
        reason: String,
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
    har: Option<HarShardChain>,
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
    let har = match shard.get("har") {
        None | Some(Value::Null) => None,
        Some(chain) => {
            let offset = |member: &str| match chain.get(member) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value.as_u64().map(Some).ok_or_else(|| {
                    not_shard(format!("`shard.har.{member}` is not a whole number"))
                }),
            };
            let flag = |member: &str| {
                chain
                    .get(member)
                    .and_then(Value::as_bool)
                    .ok_or_else(|| not_shard(format!("`shard.har.{member}` is not true or false")))
            };
            let refused = match chain.get("refused") {
                None | Some(Value::Null) => None,
                Some(Value::String(reason)) => Some(reason.clone()),
                Some(_) => {
                    return Err(not_shard(
                        "`shard.har.refused` is not a string or null".to_owned(),
                    ));
                }
            };
            Some(HarShardChain {
                first_entry_start: offset("first_entry_start")?,
                next_entry_start: offset("next_entry_start")?,
                version_seen: flag("version_seen")?,
                document_complete: flag("document_complete")?,
                refused,
            })
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
        har,
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
    let mut har_chain = HarChain::default();
    for shard in by_index.values() {
        if shard.start != expected_start {
            return Err(MergeError::Gap {
                report: shard.name.to_owned(),
                expected: expected_start,
                found: shard.start,
            });
        }
        expected_start = shard.end;
        if format == RecordingFormat::Har && !har_chain.takes(shard)? {
            continue;
        }
        let (tally, routes) = tally_from_json(shard.tally, lines_before).map_err(|reason| {
            MergeError::NotShardReport {
                report: shard.name.to_owned(),
                reason: format!("in `shard.tally`: {reason}"),
            }
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
    if format == RecordingFormat::Har && har_chain.document_complete && !har_chain.version_seen {
        return Err(MergeError::NotHar {
            file: first.file.clone(),
            reason: crate::recorded::har::NO_VERSION.to_owned(),
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

/// The HAR shards read so far, in file order: where the next entry starts.
#[derive(Default)]
struct HarChain {
    /// Where the next entry starts, as the last shard taken read it (`None` before the first).
    next_entry_start: Option<u64>,
    /// The entries ended (the array closed, or the document broke off).
    ended: bool,
    version_seen: bool,
    document_complete: bool,
}

impl HarChain {
    /// Whether `shard` (the next in file order) adds its entries: the first does; a later one
    /// only while entries go on and the next one starts in its range, where it must have
    /// started.
    fn takes(&mut self, shard: &ShardReport<'_>) -> Result<bool, MergeError> {
        let chain = shard
            .har
            .as_ref()
            .ok_or_else(|| MergeError::NotShardReport {
                report: shard.name.to_owned(),
                reason: "a HAR shard's report has no `shard.har`".to_owned(),
            })?;
        if shard.index > 1 {
            if self.ended {
                return Ok(false);
            }
            match self.next_entry_start {
                Some(next) if next < shard.end => {
                    if chain.first_entry_start != Some(next) {
                        return Err(MergeError::MisjudgedStart {
                            report: shard.name.to_owned(),
                            expected: next,
                            found: chain
                                .first_entry_start
                                .map_or("no entry".to_owned(), |start| format!("byte {start}")),
                        });
                    }
                }
                // No entry starts in its range: what it took for one lies inside an entry.
                _ => return Ok(false),
            }
        }
        if let Some(reason) = &chain.refused {
            return Err(MergeError::NotHar {
                file: shard.file.clone(),
                reason: reason.clone(),
            });
        }
        self.next_entry_start = chain.next_entry_start;
        self.ended = chain.next_entry_start.is_none();
        self.version_seen |= chain.version_seen;
        self.document_complete |= chain.document_complete;
        Ok(true)
    }
}
