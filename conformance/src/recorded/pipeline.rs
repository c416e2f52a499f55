//! A reader, the routes and options in, the outcome out: a reader thread cuts the recording into
//! batches (whole lines, or whole HAR entries as raw text), worker threads read and check them
//! into batch tallies, and the calling thread merges those in input order. Tokens bound the
//! batches in flight (read, being checked, or waiting to be merged), so memory stays flat
//! whatever the file size.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::panic::AssertUnwindSafe;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use codegen::model::Direction;
use serde_json::value::RawValue;

use crate::bounds::describe_bytes;
use crate::recorded::har::{HarStreamEnd, parse_har_entry, stream_har_entries};
use crate::recorded::json_lines::parse_exchange_line;
use crate::recorded::routes::RouteTable;
use crate::recorded::shard::HarShardChain;
use crate::recorded::statistics::UnreadableEntry;
use crate::recorded::tally::Tally;
use crate::recorded::{
    CheckPath, RecordedExchange, RecordedOptions, RecordedOutcome, RecordingError, RecordingFormat,
    check_recorded_request_counting, check_recorded_response_counting,
};

/// The read buffer in front of the recording.
const READ_BUFFER_BYTES: usize = 256 * 1024;
/// The most batches in flight, whatever the number of workers.
const MOST_BATCHES_IN_FLIGHT: usize = 24;
/// Bytes of batches in flight, at most (before a line longer than a batch).
const BATCH_BYTES_IN_FLIGHT: usize = 24 * 1024 * 1024;

/// What a worker reads.
enum BatchItems {
    /// Whole lines, each ended by `\n`, the first being `first_line`.
    Lines { first_line: u64, text: Vec<u8> },
    /// Whole HAR entries, the first being `first_entry`.
    HarEntries {
        first_entry: u64,
        entries: Vec<Box<RawValue>>,
    },
}

/// One batch, numbered in input order, with what the reader itself found unreadable in it.
struct Batch {
    index: u64,
    items: BatchItems,
    unreadable: Vec<UnreadableEntry>,
}

/// What the reader thread reports when it is done.
struct ReaderEnd {
    bytes: u64,
    /// JSON Lines: the lines read, blank ones included.
    lines_read: u64,
    /// HAR: what was read.
    har: Option<HarPartEnd>,
    error: Option<RecordingError>,
}

/// Which part of a recording a run checks (all of it, or one shard's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part {
    /// HAR: one shard's entries (else all of them).
    pub(crate) har: Option<HarPart>,
    /// JSON Lines: whether the reader starts at the start of the file (where a byte order mark
    /// may be).
    pub(crate) at_file_start: bool,
}

impl Part {
    /// The whole recording.
    pub(crate) const WHOLE: Part = Part {
        har: None,
        at_file_start: true,
    };
}

/// A HAR shard's entries: those from the reader's start (the document's, or an entry's at
/// `resume_at`) up to the first one whose `{` lies at or after `range_end`, which stops the
/// reading.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HarPart {
    /// The file offset of the entry the reader starts at; `None`: the document's start.
    pub(crate) resume_at: Option<u64>,
    /// Where the shard's byte range ends.
    pub(crate) range_end: u64,
}

/// What a HAR part read: how many entries, and how they chain to the neighbouring parts'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HarPartEnd {
    /// The entries read (numbered from 1 in the part's report).
    pub(crate) entries_read: u64,
    /// Where they start and what follows them.
    pub(crate) chain: HarShardChain,
}

/// What a run found, before it becomes a report.
pub(crate) struct RunEnd {
    pub(crate) tally: Tally,
    pub(crate) format: RecordingFormat,
    pub(crate) bytes: u64,
    pub(crate) lines_read: u64,
    pub(crate) har: Option<HarPartEnd>,
}

impl RunEnd {
    /// A HAR part that checked nothing: no entry starts in it, or it could not be read.
    pub(crate) fn har_without_entries(chain: HarShardChain) -> RunEnd {
        RunEnd {
            tally: Tally::default(),
            format: RecordingFormat::Har,
            bytes: 0,
            lines_read: 0,
            har: Some(HarPartEnd {
                entries_read: 0,
                chain,
            }),
        }
    }
}

/// A reader that counts the bytes it hands on.
struct CountingReader<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.bytes += read as u64;
        Ok(read)
    }
}

/// Hands batches to the workers, waiting for a token for each.
struct BatchSender {
    tokens: Receiver<()>,
    work: SyncSender<Batch>,
    next_index: u64,
}

impl BatchSender {
    /// False when nobody takes batches any more.
    fn send(&mut self, items: BatchItems, unreadable: Vec<UnreadableEntry>) -> bool {
        if self.tokens.recv().is_err() {
            return false;
        }
        let batch = Batch {
            index: self.next_index,
            items,
            unreadable,
        };
        self.next_index += 1;
        self.work.send(batch).is_ok()
    }
}

/// Batch buffers the workers are done with, for the reader to fill again: no fresh pages (which
/// the system zeroes) for every batch. At most [`SpareBuffers::MOST`] wait here.
/// A buffer that grew past twice the batch size (to hold a very long line) is dropped rather
/// than kept, so what waits here stays a few batches' worth.
#[derive(Debug)]
struct SpareBuffers {
    spare: Mutex<Vec<Vec<u8>>>,
    batch_capacity: usize,
}

impl SpareBuffers {
    const MOST: usize = 4;

    /// No spare buffer yet; new ones hold `batch_capacity` bytes.
    fn new(batch_capacity: usize) -> Self {
        Self {
            spare: Mutex::new(Vec::new()),
            batch_capacity,
        }
    }

    /// A spare buffer, emptied, or a new one of the batch capacity.
    fn take(&self) -> Vec<u8> {
        let spare = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        spare.unwrap_or_else(|| Vec::with_capacity(self.batch_capacity))
    }

    /// Keeps `buffer` for another batch, unless enough are kept or it grew too large.
    fn give(&self, mut buffer: Vec<u8>) {
        if buffer.capacity() > self.batch_capacity.saturating_mul(2) {
            return;
        }
        buffer.clear();
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < Self::MOST
        {
            spare.push(buffer);
        }
    }
}

/// Checks the recording in `reader` with the routes.
pub(crate) fn run<R: Read + Send>(
    routes: &RouteTable<'_>,
    reader: R,
    options: &RecordedOptions,
) -> Result<RecordedOutcome, RecordingError> {
    let end = run_part(routes, reader, options, Part::WHOLE)?;
    let (report, statistics) =
        end.tally
            .into_outcome(routes, &options.file_name, end.format, end.bytes);
    Ok(RecordedOutcome { report, statistics })
}

/// Checks `part` of the recording in `reader` with the routes; the tally, not yet a report.
pub(crate) fn run_part<R: Read + Send>(
    routes: &RouteTable<'_>,
    reader: R,
    options: &RecordedOptions,
    part: Part,
) -> Result<RunEnd, RecordingError> {
    let file = options.file_name.as_str();
    let mut buffered = BufReader::with_capacity(
        READ_BUFFER_BYTES,
        CountingReader {
            inner: reader,
            bytes: 0,
        },
    );
    let format = match options.format {
        Some(format) => format,
        None => {
            let start = buffered.fill_buf().map_err(|source| RecordingError::Read {
                file: file.to_owned(),
                source,
            })?;
            RecordingFormat::detect(start)
        }
    };
    let workers = options.worker_threads();
    let batches_in_flight = (2 * workers + 1).min(MOST_BATCHES_IN_FLIGHT);
    let batch_bytes = options
        .batch_bytes
        .clamp(1, BATCH_BYTES_IN_FLIGHT / batches_in_flight);
    let check_path = options.check_path;
    let max_entry_bytes = options.max_entry_bytes.max(1);
    let spare_buffers = SpareBuffers::new(batch_bytes + batch_bytes / 4);
    let spare_buffers = &spare_buffers;

    std::thread::scope(|scope| {
        let (work_sender, work_receiver) = sync_channel::<Batch>(batches_in_flight);
        let work_receiver = std::sync::Arc::new(Mutex::new(work_receiver));
        let (result_sender, result_receiver) = channel::<(u64, Option<Tally>)>();
        let (token_sender, token_receiver) = sync_channel::<()>(batches_in_flight);
        for _ in 0..batches_in_flight {
            let _ = token_sender.send(());
        }
        let mut batch_sender = BatchSender {
            tokens: token_receiver,
            work: work_sender,
            next_index: 0,
        };
        let reader_thread = scope.spawn(move || {
            let mut lines_read = 0;
            let mut har = None;
            let error = match format {
                RecordingFormat::JsonLines => read_json_lines(
                    &mut buffered,
                    spare_buffers,
                    batch_bytes,
                    max_entry_bytes,
                    &mut batch_sender,
                    &mut lines_read,
                )
                .err()
                .map(|source| RecordingError::Read {
                    file: file.to_owned(),
                    source,
                }),
                RecordingFormat::Har => {
                    let mut end = HarPartEnd::default();
                    let error = read_har(
                        &mut buffered,
                        batch_bytes,
                        max_entry_bytes,
                        &mut batch_sender,
                        file,
                        part.har,
                        &mut end,
                    );
                    har = Some(end);
                    error
                }
            };
            ReaderEnd {
                bytes: buffered.get_ref().bytes,
                lines_read,
                har,
                error,
            }
        });
        for _ in 0..workers {
            let result_sender = result_sender.clone();
            let work_receiver = std::sync::Arc::clone(&work_receiver);
            scope.spawn(move || {
                loop {
                    let batch = match work_receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    let Ok(batch) = batch else {
                        return;
                    };
                    let index = batch.index;
                    let checked = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        check_batch(routes, batch, check_path, part.at_file_start)
                    }))
                    .ok();
                    let tally = checked.map(|(tally, buffer)| {
                        if let Some(buffer) = buffer {
                            spare_buffers.give(buffer);
                        }
                        tally
                    });
                    if result_sender.send((index, tally)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(result_sender);

        let mut merged = Tally::default();
        let mut waiting: BTreeMap<u64, Option<Tally>> = BTreeMap::new();
        let mut next_index = 0;
        let mut worker_failed = false;
        for (index, tally) in result_receiver {
            waiting.insert(index, tally);
            while let Some(tally) = waiting.remove(&next_index) {
                match tally {
                    Some(tally) => merged.absorb_later(tally),
                    None => worker_failed = true,
                }
                next_index += 1;
                let _ = token_sender.send(());
            }
        }
        let reader_end = reader_thread
            .join()
            .map_err(|_| RecordingError::WorkerFailed {
                file: file.to_owned(),
            })?;
        if let Some(error) = reader_end.error {
            return Err(error);
        }
        if worker_failed || !waiting.is_empty() {
            return Err(RecordingError::WorkerFailed {
                file: file.to_owned(),
            });
        }
        Ok(RunEnd {
            tally: merged,
            format,
            bytes: reader_end.bytes,
            lines_read: reader_end.lines_read,
            har: reader_end.har,
        })
    })
}

/// Cuts JSON Lines into batches of whole lines; a line longer than `max_line_bytes` is skipped
/// without being held (an empty line keeps the numbering) and reported unreadable.
fn read_json_lines<R: BufRead>(
    reader: &mut R,
    spare_buffers: &SpareBuffers,
    batch_bytes: usize,
    max_line_bytes: u64,
    sender: &mut BatchSender,
    lines_read: &mut u64,
) -> std::io::Result<()> {
    let mut first_line: u64 = 1;
    let mut text: Vec<u8> = spare_buffers.take();
    let mut unreadable = Vec::new();
    loop {
        let line_start = text.len();
        let read = reader
            .by_ref()
            .take(max_line_bytes + 1)
            .read_until(b'\n', &mut text)?;
        if read == 0 {
            break;
        }
        *lines_read += 1;
        if text.last() != Some(&b'\n') {
            if read as u64 > max_line_bytes {
                text.truncate(line_start);
                skip_rest_of_line(reader)?;
                unreadable.push(UnreadableEntry {
                    entry: *lines_read,
                    reason: format!(
                        "the line is longer than {}, the most read of one line (raise it with --max-entry-bytes); skipped",
                        describe_bytes(max_line_bytes)
                    ),
                });
            }
            text.push(b'\n');
        }
        if text.len() >= batch_bytes {
            let full = std::mem::replace(&mut text, spare_buffers.take());
            let items = BatchItems::Lines {
                first_line,
                text: full,
            };
            if !sender.send(items, std::mem::take(&mut unreadable)) {
                return Ok(());
            }
            first_line = *lines_read + 1;
        }
    }
    if !text.is_empty() || !unreadable.is_empty() {
        sender.send(BatchItems::Lines { first_line, text }, unreadable);
    }
    Ok(())
}

fn skip_rest_of_line<R: BufRead>(reader: &mut R) -> std::io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|byte| *byte == b'\n') {
            Some(end) => {
                reader.consume(end + 1);
                return Ok(());
            }
            None => {
                let length = buffer.len();
                reader.consume(length);
            }
        }
    }
}

/// Cuts a HAR document's entries (those of `part`, or all) into batches; what was read goes to
/// `end`. A break in the document is reported by the part whose reading runs into it.
fn read_har<R: BufRead>(
    reader: &mut R,
    batch_bytes: usize,
    max_entry_bytes: u64,
    sender: &mut BatchSender,
    file: &str,
    part: Option<HarPart>,
    end: &mut HarPartEnd,
) -> Option<RecordingError> {
    let mut entries: Vec<Box<RawValue>> = Vec::new();
    let mut entries_bytes = 0;
    let mut entries_read: u64 = 0;
    let mut first_entry: u64 = 1;
    let mut stopped = false;
    let mut next_entry_start = None;
    let mut first_entry_start = None;
    let resume_at = part.and_then(|part| part.resume_at);
    let streamed = stream_har_entries(
        reader,
        max_entry_bytes,
        resume_at,
        &mut |entry, entry_end| {
            let entry_start = entry_end.saturating_sub(entry.get().len() as u64);
            if let Some(part) = part
                && entry_start >= part.range_end
            {
                next_entry_start = Some(entry_start);
                return false;
            }
            entries_read += 1;
            first_entry_start.get_or_insert(entry_start);
            entries_bytes += entry.get().len();
            entries.push(entry);
            if entries_bytes >= batch_bytes {
                let items = BatchItems::HarEntries {
                    first_entry,
                    entries: std::mem::take(&mut entries),
                };
                entries_bytes = 0;
                first_entry = entries_read + 1;
                if !sender.send(items, Vec::new()) {
                    stopped = true;
                    return false;
                }
            }
            true
        },
    );
    let streamed = match streamed {
        Err(not_har) => {
            return Some(RecordingError::NotHar {
                file: file.to_owned(),
                reason: not_har.0,
            });
        }
        Ok(streamed) => streamed,
    };
    *end = HarPartEnd {
        entries_read,
        chain: HarShardChain {
            first_entry_start,
            next_entry_start,
            version_seen: streamed.version_seen,
            document_complete: streamed.end == HarStreamEnd::Complete,
            refused: None,
        },
    };
    let unreadable = match streamed.end {
        HarStreamEnd::Stopped if next_entry_start.is_none() => return None,
        HarStreamEnd::Stopped | HarStreamEnd::Complete => Vec::new(),
        HarStreamEnd::BrokeOff {
            entries_read,
            reason,
        } => vec![UnreadableEntry {
            entry: entries_read + 1,
            reason,
        }],
    };
    if !stopped && (!entries.is_empty() || !unreadable.is_empty()) {
        sender.send(
            BatchItems::HarEntries {
                first_entry,
                entries,
            },
            unreadable,
        );
    }
    None
}

/// Reads and checks one batch; out, its tally and the batch's buffer of lines, for another
/// batch.
fn check_batch(
    routes: &RouteTable<'_>,
    batch: Batch,
    check_path: CheckPath,
    at_file_start: bool,
) -> (Tally, Option<Vec<u8>>) {
    let mut tally = Tally::default();
    for unreadable in batch.unreadable {
        tally.record_unreadable(unreadable.entry, unreadable.reason);
    }
    let buffer = match batch.items {
        BatchItems::Lines {
            first_line,
            text: buffer,
        } => {
            let text = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
            let mut line_start = 0;
            let line_ends = memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len()));
            for (offset, line_end) in line_ends.enumerate() {
                let line = &text[line_start..line_end];
                line_start = line_end + 1;
                let line_number = first_line + offset as u64;
                let mut line = line.strip_suffix(b"\r").unwrap_or(line);
                if line_number == 1 && at_file_start {
                    line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if check_path == CheckPath::ParseOnly {
                    tally.exchanges += 1;
                    let _parsed = serde_json::from_slice::<serde_json::Value>(line);
                    continue;
                }
                match parse_exchange_line(line) {
                    Ok(exchange) => {
                        check_exchange(routes, &mut tally, line_number, &exchange, check_path)
                    }
                    Err(reason) => tally.record_unreadable(line_number, reason),
                }
            }
            Some(buffer)
        }
        BatchItems::HarEntries {
            first_entry,
            entries,
        } => {
            for (offset, entry) in entries.iter().enumerate() {
                let entry_number = first_entry + offset as u64;
                if check_path == CheckPath::ParseOnly {
                    tally.exchanges += 1;
                    let _parsed = serde_json::from_str::<serde_json::Value>(entry.get());
                    continue;
                }
                match parse_har_entry(entry.get()) {
                    Ok(exchange) => {
                        check_exchange(routes, &mut tally, entry_number, &exchange, check_path)
                    }
                    Err(reason) => tally.record_unreadable(entry_number, reason),
                }
            }
            None
        }
    };
    (tally, buffer)
}

/// Matches one exchange and checks its request and response bodies.
fn check_exchange(
    routes: &RouteTable<'_>,
    tally: &mut Tally,
    entry: u64,
    exchange: &RecordedExchange<'_>,
    check_path: CheckPath,
) {
    tally.exchanges += 1;
    let Some(route_index) = routes.find(&exchange.method, &exchange.path) else {
        tally.record_unmatched(&exchange.method, &exchange.path, entry);
        return;
    };
    tally.matched += 1;
    let route = routes.route(route_index);
    if let Some(body) = exchange.request_body.as_deref()
        && let Some((findings, checked_in_full)) =
            check_recorded_request_counting(route, body, check_path)
    {
        if checked_in_full {
            tally.full_checks += 1;
        }
        tally.record_findings(route_index, Direction::Request, entry, findings);
    }
    match check_recorded_response_counting(route, exchange, check_path) {
        Some((findings, checked_in_full)) => {
            if checked_in_full {
                tally.full_checks += 1;
            }
            tally.record_findings(route_index, Direction::Response, entry, findings);
        }
        None => tally.without_response_body += 1,
    }
}
