//! One shard of a recording: a seekable file and `I/N` in, the outcome of checking the Ith of N
//! byte ranges out, with what `conformance merge` needs to combine the shards into the outcome
//! of one run over the whole file (see [`crate::recorded::merge`]).
//!
//! The file's bytes are cut into N ranges of (almost) equal size: shard I has
//! `len × (I−1) / N .. len × I / N`.
//!
//! - JSON Lines: a line belongs to the shard in which its first byte lies. A shard seeks to its
//!   range's start, and unless that is 0 skips to just after the next `\n` (a line that starts
//!   before the range is the previous shard's); it reads up to and including the line that
//!   crosses its range's end. It reads no other byte of the file, except the rest of the line
//!   straddling its start, skipped unparsed. Its line numbers count from its own first line (it
//!   does not read the lines before it); its report says how many lines it read, and the merge
//!   adds the lines of the shards before it, so merged line numbers are the file's.
//! - HAR: an entry belongs to the shard in which its `{` lies. The first shard reads the
//!   document from its start. Any other finds the first entry that starts in its range without
//!   reading what comes before (see `har::find_entry_start`: a string may hold braces, so an
//!   entry is recognised by its shape) and reads the document from there as if from its start.
//!   Each shard reads through the entry that crosses its range's end and stops at the first
//!   entry that starts at or after it; its report says where that entry starts. The merge
//!   checks that each shard started exactly where the shard before says the next entry starts
//!   (refusing, not guessing, if not), and leaves out shards after the entries ended. Entries
//!   are numbered from the part's first, as lines are. A break in the document is reported by
//!   the shard whose reading runs into it; a `log.version` may be seen by the first shard (before
//!   the entries) or the one that reads the document's end, and the merge refuses a whole
//!   document without one, as one run does.
//!
//! Exact: the merged summary, counts and first line numbers equal one run's, provided no case
//! has more kinds of finding than a report lists (as for the batches of one run, see
//! `tally.rs`).

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use serde_json::{Value, json};

use crate::contract::Contracts;
use crate::recorded::har::find_entry_start;
use crate::recorded::pipeline::{HarPart, Part, RunEnd, run_part};
use crate::recorded::routes::RouteTable;
use crate::recorded::tally::RouteName;
use crate::recorded::tally_json::tally_to_json;
use crate::recorded::{RecordedOptions, RecordedOutcome, RecordingError, RecordingFormat};

/// The Ith of N parts (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1.
    pub index: u64,
    /// How many parts.
    pub count: u64,
}

/// Why `I/N` is not a shard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a shard: expected I/N with 1 <= I <= N, such as 2/8")]
pub struct ShardSyntaxError {
    /// What was given.
    pub given: String,
}

impl std::str::FromStr for Shard {
    type Err = ShardSyntaxError;
    fn from_str(text: &str) -> Result<Shard, ShardSyntaxError> {
        let error = || ShardSyntaxError {
            given: text.chars().take(40).collect(),
        };
        let (index, count) = text.split_once('/').ok_or_else(error)?;
        let index: u64 = index.trim().parse().map_err(|_| error())?;
        let count: u64 = count.trim().parse().map_err(|_| error())?;
        if index == 0 || count == 0 || index > count {
            return Err(error());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The byte range `start..end` of this shard in a file of `length` bytes.
    pub fn byte_range(self, length: u64) -> (u64, u64) {
        let at =
            |part: u64| (u128::from(length) * u128::from(part) / u128::from(self.count)) as u64;
        (at(self.index - 1), at(self.index))
    }

    /// Whether this is the last part.
    pub fn is_last(self) -> bool {
        self.index == self.count
    }
}

/// Where a shard lies in the file and what it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardPart {
    /// Which shard.
    pub shard: Shard,
    /// The file's length.
    pub file_bytes: u64,
    /// The shard's byte range, `start..end`.
    pub start: u64,
    /// See `start`.
    pub end: u64,
    /// JSON Lines: the bytes of the whole lines checked, `read_start..read_end`; HAR: from the
    /// first entry read (the range's start when there is none) to the range's end.
    pub read_start: u64,
    /// See `read_start`.
    pub read_end: u64,
    /// The lines (blank and unreadable ones included) or HAR entries the shard read: its report
    /// numbers them from 1, and the merge adds those of the shards before.
    pub entries_read: u64,
    /// HAR: how the shard's entries chain to its neighbours'.
    pub har: Option<HarShardChain>,
}

/// Where a HAR shard's entries begin and what follows them, for the merge to check that the
/// shards meet exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HarShardChain {
    /// Where its first entry starts; `None`: no entry starts in its range.
    pub first_entry_start: Option<u64>,
    /// Where the first entry past its range starts; `None`: the entries ended before one.
    pub next_entry_start: Option<u64>,
    /// Whether it read `log.version`.
    pub version_seen: bool,
    /// Whether it read the document to its end, whole.
    pub document_complete: bool,
    /// Why the document could not be read from the shard's first entry on, when it could not.
    /// A shard that started elsewhere than an entry may fail so; the merge leaves such a shard
    /// out, or refuses the whole with this reason if it takes it.
    pub refused: Option<String>,
}

/// The outcome of one shard, and its tally for the merge.
#[derive(Debug, Clone)]
pub struct ShardOutcome {
    /// The shard's own report and counts (JSON Lines: lines numbered from the part's start).
    pub outcome: RecordedOutcome,
    /// Where it lies.
    pub part: ShardPart,
    /// The recording's format.
    pub format: RecordingFormat,
    /// The base paths it matched with.
    pub base_paths: Vec<String>,
    tally: Value,
}

/// Checks shard `shard` of the recording in `reader` (a file: it is sought) against
/// `contracts`.
pub fn check_recording_shard<R: Read + Seek + Send>(
    contracts: &Contracts,
    mut reader: R,
    options: &RecordedOptions,
    shard: Shard,
) -> Result<ShardOutcome, RecordingError> {
    let file = options.file_name.clone();
    let read_error = |source: std::io::Error| RecordingError::Read {
        file: file.clone(),
        source,
    };
    let file_bytes = reader.seek(SeekFrom::End(0)).map_err(read_error)?;
    let format = match options.format {
        Some(format) => format,
        None => {
            reader.seek(SeekFrom::Start(0)).map_err(read_error)?;
            let mut start = Vec::with_capacity(4096);
            (&mut reader)
                .take(4096)
                .read_to_end(&mut start)
                .map_err(read_error)?;
            RecordingFormat::detect(&start)
        }
    };
    let mut options = options.clone();
    options.format = Some(format);
    let (start, end) = shard.byte_range(file_bytes);
    let routes = RouteTable::new(contracts, &options.base_paths);
    let (run_end, part) = match format {
        RecordingFormat::JsonLines => {
            let read_start = next_line_start(&mut reader, start, file_bytes).map_err(read_error)?;
            let read_end = next_line_start(&mut reader, end, file_bytes)
                .map_err(read_error)?
                .max(read_start);
            reader
                .seek(SeekFrom::Start(read_start))
                .map_err(read_error)?;
            let part_reader = (&mut reader).take(read_end - read_start);
            let run_end = run_part(
                &routes,
                part_reader,
                &options,
                Part {
                    har: None,
                    at_file_start: read_start == 0,
                },
            )?;
            let part = ShardPart {
                shard,
                file_bytes,
                start,
                end,
                read_start,
                read_end,
                entries_read: run_end.lines_read,
                har: None,
            };
            (run_end, part)
        }
        RecordingFormat::Har => {
            // The last shard reads on to the document's end, wherever its entries end.
            let range_end = if shard.is_last() { u64::MAX } else { end };
            let resume_at = if start == 0 {
                None
            } else {
                find_entry_start(&mut reader, start, end, options.max_entry_bytes.max(1))
                    .map_err(read_error)?
            };
            let mut run_end = if start > 0 && resume_at.is_none() {
                RunEnd::har_without_entries(HarShardChain::default())
            } else {
                reader
                    .seek(SeekFrom::Start(resume_at.unwrap_or(0)))
                    .map_err(read_error)?;
                let checked = run_part(
                    &routes,
                    &mut reader,
                    &options,
                    Part {
                        har: Some(HarPart {
                            resume_at,
                            range_end,
                        }),
                        at_file_start: resume_at.is_none(),
                    },
                );
                match (checked, resume_at) {
                    (Ok(run_end), _) => run_end,
                    // Read from the middle, the document may fail where one run would not
                    // (the shard took something else for an entry): the merge decides.
                    (Err(RecordingError::NotHar { reason, .. }), Some(resume_at)) => {
                        RunEnd::har_without_entries(HarShardChain {
                            first_entry_start: Some(resume_at),
                            refused: Some(reason),
                            ..HarShardChain::default()
                        })
                    }
                    (Err(error), _) => return Err(error),
                }
            };
            run_end.bytes = end - start;
            let har_end = run_end.har.take().unwrap_or_default();
            let part = ShardPart {
                shard,
                file_bytes,
                start,
                end,
                read_start: har_end.chain.first_entry_start.unwrap_or(start),
                read_end: end,
                entries_read: har_end.entries_read,
                har: Some(har_end.chain),
            };
            (run_end, part)
        }
    };
    let name_of = |route_index: usize| {
        let route = routes.route(route_index);
        RouteName {
            service: route.service.id.clone(),
            endpoint: route.endpoint.id.clone(),
            spec_path: route.endpoint.spec_path.clone(),
        }
    };
    let tally = tally_to_json(&run_end.tally, &name_of);
    let (report, statistics) =
        run_end
            .tally
            .into_outcome(&routes, &options.file_name, run_end.format, run_end.bytes);
    Ok(ShardOutcome {
        outcome: RecordedOutcome { report, statistics },
        part,
        format,
        base_paths: options.base_paths.clone(),
        tally,
    })
}

/// The offset of the first line that starts at or after `at`: `at` itself when it is 0 or
/// follows a `\n`, else just after the next `\n` (the file's length when there is none).
fn next_line_start<R: Read + Seek>(reader: &mut R, at: u64, length: u64) -> std::io::Result<u64> {
    if at == 0 || at >= length {
        return Ok(at.min(length));
    }
    reader.seek(SeekFrom::Start(at - 1))?;
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let mut position = at - 1;
    loop {
        let buffer = buffered.fill_buf()?;
        if buffer.is_empty() {
            return Ok(length);
        }
        if let Some(newline) = buffer.iter().position(|byte| *byte == b'\n') {
            return Ok(position + newline as u64 + 1);
        }
        let consumed = buffer.len();
        position += consumed as u64;
        buffered.consume(consumed);
    }
}

/// The `shard` member of a shard's JSON report: which shard, where, what it read (lines or
/// entries, numbered from its first), for HAR how its entries chain to its neighbours', the
/// specs it was checked against (`specs`, a fingerprint the caller computes), and its tally.
///
/// ```text
/// "shard": { "index", "count", "format", "file_bytes", "start", "end", "read_start",
///            "read_end", "entries_read",
///            "har": null | { "first_entry_start", "next_entry_start", "version_seen",
///                            "document_complete", "refused": null | "…" },
///            "specs", "base_paths": [ … ], "tally": { … } }
/// ```
pub fn shard_json_value(shard: &ShardOutcome, specs_fingerprint: &str) -> Value {
    json!({
        "index": shard.part.shard.index,
        "count": shard.part.shard.count,
        "format": shard.format.as_str(),
        "file_bytes": shard.part.file_bytes,
        "start": shard.part.start,
        "end": shard.part.end,
        "read_start": shard.part.read_start,
        "read_end": shard.part.read_end,
        "entries_read": shard.part.entries_read,
        "har": shard.part.har.as_ref().map(|chain| json!({
            "first_entry_start": chain.first_entry_start,
            "next_entry_start": chain.next_entry_start,
            "version_seen": chain.version_seen,
            "document_complete": chain.document_complete,
            "refused": chain.refused,
        })),
        "specs": specs_fingerprint,
        "base_paths": shard.base_paths,
        "tally": shard.tally,
    })
}
