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
//! - HAR: an entry belongs to the shard in which its `{` lies. Where an entry starts cannot be
//!   known without reading the document from its start (a string may hold braces and brackets),
//!   so every shard lexes the document from byte 0 up to its range: serde_json scans the
//!   entries before the range and drops them, unparsed into exchanges and unchecked, one at a
//!   time. Lexing runs several times faster than checking, but a shard late in a large HAR
//!   still reads the whole file before it; JSON Lines is the format that scales out. A shard
//!   stops at the first entry that starts at or after its range's end. Entry numbers are the
//!   document's. A break in the document is reported by the shard in whose range the last whole
//!   entry before it ends; a `log.version` after the entries is seen only by the last shard.
//!
//! Exact: the merged summary, counts and first line numbers equal one run's, provided no case
//! has more kinds of finding than a report lists (as for the batches of one run, see
//! `tally.rs`).

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use serde_json::{Value, json};

use crate::contract::Contracts;
use crate::recorded::pipeline::{Part, run_part};
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

/// How a shard's report numbers its lines or entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryNumbering {
    /// From the shard's own first line (JSON Lines): the merge adds the lines before it.
    Part,
    /// As in the whole file (HAR entries).
    File,
}

impl EntryNumbering {
    /// `part` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryNumbering::Part => "part",
            EntryNumbering::File => "file",
        }
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
    /// JSON Lines: the bytes of the whole lines checked, `read_start..read_end`; HAR: the range.
    pub read_start: u64,
    /// See `read_start`.
    pub read_end: u64,
    /// JSON Lines: the lines the shard read, blank and unreadable ones included (0 for HAR).
    pub entries_read: u64,
    /// How its line or entry numbers count.
    pub numbering: EntryNumbering,
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
                    har_range: None,
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
                numbering: EntryNumbering::Part,
            };
            (run_end, part)
        }
        RecordingFormat::Har => {
            reader.seek(SeekFrom::Start(0)).map_err(read_error)?;
            let range_end = if shard.is_last() { u64::MAX } else { end };
            let mut run_end = run_part(
                &routes,
                &mut reader,
                &options,
                Part {
                    har_range: Some((start, range_end)),
                    at_file_start: true,
                },
            )?;
            run_end.bytes = end - start;
            let part = ShardPart {
                shard,
                file_bytes,
                start,
                end,
                read_start: start,
                read_end: end,
                entries_read: 0,
                numbering: EntryNumbering::File,
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

/// The `shard` member of a shard's JSON report: which shard, where, how it numbers, the specs it
/// was checked against (`specs`, a fingerprint the caller computes), and its tally.
///
/// ```text
/// "shard": { "index", "count", "format", "file_bytes", "start", "end", "read_start",
///            "read_end", "entries_read", "numbering": "part" | "file", "specs",
///            "base_paths": [ … ], "tally": { … } }
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
        "numbering": shard.part.numbering.as_str(),
        "specs": specs_fingerprint,
        "base_paths": shard.base_paths,
        "tally": shard.tally,
    })
}
