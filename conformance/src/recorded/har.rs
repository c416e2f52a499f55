//! HAR 1.2 in: the document streamed from a reader (from its start, or for a shard from an entry
//! found in the middle of it), `log.entries` handed on one entry at a time as raw JSON text (the
//! rest skipped, so memory holds one entry, not the document; an entry or a member name longer
//! than the bound stops the stream there), `log.version` checked (1.2 or 1.1); then each entry's
//! text read into a recorded exchange, or why it is not one.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::bounds::{describe_bytes, json_value_count};
use crate::recorded::RecordedExchange;
use crate::recorded::base64::decode_base64;
use crate::recorded::json_lines::{RecordedText, without_quoted_string};
use crate::recorded::routes::path_of_target;

/// How streaming a HAR document ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HarStreamEnd {
    /// Every entry was read and the document is whole.
    Complete,
    /// The document broke off after some entries: the rest cannot be read.
    BrokeOff {
        /// Entries handed on before the break.
        entries_read: u64,
        /// What broke, and where.
        reason: String,
    },
    /// The receiver of entries stopped taking them.
    Stopped,
}

/// Why a document is not HAR at all (nothing was handed on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotHar(pub(crate) String);

const STOPPED: &str = "the receiver of entries stopped";

/// The HAR versions read (`log.version`).
pub(super) const SUPPORTED_HAR_VERSIONS: [&str; 2] = ["1.2", "1.1"];

/// How many bytes of the document may be read for one unit held in memory (an entry, a member
/// name, the version), counted from where the unit starts; skipped values are not counted.
struct ReadBudget {
    limit: u64,
    /// Bytes read from the document so far (serde_json reads it a byte at a time, so this is
    /// where its scanner is, plus at most the one byte it peeked at).
    position: Cell<u64>,
    used: Cell<u64>,
    counting: Cell<bool>,
    exceeded: Cell<bool>,
}

impl ReadBudget {
    /// A unit starts: count from zero.
    fn start(&self) {
        self.used.set(0);
        self.counting.set(true);
    }

    /// What follows is skipped without being held: not counted.
    fn pause(&self) {
        self.counting.set(false);
    }
}

/// The document's reader, failing once a unit passes its budget.
struct BudgetedReader<'b, R> {
    inner: R,
    budget: &'b ReadBudget,
}

impl<R: Read> Read for BudgetedReader<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.budget
            .position
            .set(self.budget.position.get() + read as u64);
        if self.budget.counting.get() {
            let used = self.budget.used.get() + read as u64;
            self.budget.used.set(used);
            if used > self.budget.limit {
                self.budget.exceeded.set(true);
                return Err(std::io::Error::other("larger than the bound"));
            }
        }
        Ok(read)
    }
}

/// What `on_entry` is handed: an entry's raw text (from its `{` to its `}`) and the byte offset
/// just after it in the document.
pub(crate) type OnHarEntry<'a> = dyn FnMut(Box<RawValue>, u64) -> bool + 'a;

/// How streaming ended, and whether `log.version` was among what was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HarStreamed {
    /// How it ended.
    pub(crate) end: HarStreamEnd,
    /// Whether a (supported) `log.version` was read.
    pub(crate) version_seen: bool,
}

/// Streams `log.entries` of the HAR document in `reader`, handing each entry's raw text and
/// the file offset just after it to `on_entry`, which returns false to stop. No entry (and no
/// member name) longer than `max_entry_bytes` is held: the stream stops there, saying so.
///
/// `resume_at`: the reader starts at that offset of the file, at an entry's `{` (see
/// [`find_entry_start`]) rather than at the document's start: the document is read as if
/// [`RESUMED_DOCUMENT_PREFIX`] came before, so the entries that follow and the document's end
/// are read in their place. A `log.version` may then lie before, unseen: its absence is not an
/// error here, and [`HarStreamed::version_seen`] says whether it was read.
pub(crate) fn stream_har_entries<R: BufRead>(
    reader: R,
    max_entry_bytes: u64,
    resume_at: Option<u64>,
    on_entry: &mut OnHarEntry<'_>,
) -> Result<HarStreamed, NotHar> {
    let prefix: &[u8] = if resume_at.is_some() {
        RESUMED_DOCUMENT_PREFIX
    } else {
        b""
    };
    let base = resume_at.unwrap_or(0);
    // The file offset of a position in the stream (the prefix is before the file's bytes).
    let file_offset = |position: u64| (position + base).saturating_sub(prefix.len() as u64);
    let budget = ReadBudget {
        limit: max_entry_bytes,
        position: Cell::new(0),
        used: Cell::new(0),
        counting: Cell::new(true),
        exceeded: Cell::new(false),
    };
    let mut deserializer = serde_json::Deserializer::from_reader(BudgetedReader {
        inner: prefix.chain(reader),
        budget: &budget,
    });
    let mut on_entry_in_file = |entry: Box<RawValue>, end: u64| on_entry(entry, file_offset(end));
    let mut progress = Progress {
        entries_read: 0,
        entries_found: false,
        in_entries: false,
        stopped: false,
        version: None,
        budget: &budget,
    };
    let result = deserializer
        .deserialize_map(DocumentVisitor {
            on_entry: &mut on_entry_in_file,
            progress: &mut progress,
        })
        .and_then(|()| deserializer.end());
    let limit = describe_bytes(max_entry_bytes);
    let version_seen = progress.version.is_some();
    if budget.exceeded.get() && !progress.stopped {
        return if progress.in_entries {
            Ok(HarStreamed {
                end: HarStreamEnd::BrokeOff {
                    entries_read: progress.entries_read,
                    reason: format!(
                        "the entry is larger than {limit}, the most one HAR entry may have (raise it with --max-entry-bytes); nothing after it is read"
                    ),
                },
                version_seen,
            })
        } else {
            Err(NotHar(format!(
                "a member name or value outside `log.entries` is larger than {limit}, the most read of one (raise it with --max-entry-bytes)"
            )))
        };
    }
    if let Some(version) = &progress.version
        && !SUPPORTED_HAR_VERSIONS.contains(&version.as_str())
    {
        return Err(NotHar(unsupported_version(version)));
    }
    if result.is_ok()
        && progress.entries_found
        && !version_seen
        && !progress.stopped
        && resume_at.is_none()
    {
        return Err(NotHar(NO_VERSION.to_owned()));
    }
    let end = match result {
        _ if progress.stopped => HarStreamEnd::Stopped,
        Ok(()) if progress.entries_found => HarStreamEnd::Complete,
        Ok(()) => return Err(NotHar("it has no `log.entries` array".to_owned())),
        Err(error) if progress.entries_read == 0 => {
            return Err(NotHar(format!(
                "{} (line {}, column {})",
                message_without_position(&error),
                error.line(),
                error.column()
            )));
        }
        // Said without the entry's number or a line (a shard knows neither as the file has
        // them): the report numbers the entry, and the byte offset is the file's.
        Err(error) => HarStreamEnd::BrokeOff {
            entries_read: progress.entries_read,
            reason: format!(
                "the document breaks off after the entry before: {} (near byte {}); nothing after it is read",
                if error.is_eof() {
                    "it ends early (truncated?)".to_owned()
                } else {
                    message_without_position(&error)
                },
                file_offset(budget.position.get())
            ),
        },
    };
    Ok(HarStreamed { end, version_seen })
}

/// What a resumed document is read behind (see [`stream_har_entries`]): the document's start,
/// up to where its entries begin.
pub(crate) const RESUMED_DOCUMENT_PREFIX: &[u8] = b"{\"log\":{\"entries\":[";

/// Most whitespace read back before a shard's range to see what precedes a `{` at its start,
/// and read on after a `{` to see what follows it.
const MOST_WHITESPACE_LOOKED_AT: u64 = 64 * 1024;

/// How much of a shard's range is scanned at a time.
const SCAN_WINDOW_BYTES: usize = 256 * 1024;

/// The file offset of the first HAR entry whose `{` lies in `start..end`, found without reading
/// the document before `start` (but for whitespace and the one byte just before it), or `None`.
///
/// Where an entry starts cannot be known for certain from the middle of a document (a string
/// may hold anything), so an entry is recognised by what only an entry looks like: a `{` after
/// `,` or `[` and before `"` (whitespace aside), an object of at most `max_entry_bytes` that
/// reads whole and has a `request` or `response` member, followed by `,` or `]`. Something
/// else that passed all of this would still be caught: the shard before knows exactly where
/// the next entry starts, and `conformance merge` refuses shards that disagree (see
/// `merge.rs`). Candidates are read from a window of the range held in memory, so a rejected
/// one costs no reading again; only one larger than the window is read from the file.
pub(crate) fn find_entry_start<R: Read + Seek>(
    reader: &mut R,
    start: u64,
    end: u64,
    max_entry_bytes: u64,
) -> std::io::Result<Option<u64>> {
    let mut previous = significant_byte_before(reader, start)?;
    let mut window = Window {
        bytes: Vec::new(),
        start,
    };
    let mut position = start;
    while position < end {
        let Some(byte) = window.byte_at(reader, position)? else {
            return Ok(None);
        };
        if byte == b'{'
            && matches!(previous, Some(b',' | b'['))
            && window.significant_byte_after(reader, position)? == Some(b'"')
            && window.is_entry_at(reader, position, max_entry_bytes)?
        {
            return Ok(Some(position));
        }
        if !byte.is_ascii_whitespace() {
            previous = Some(byte);
        }
        position += 1;
    }
    Ok(None)
}

/// The last byte before `at` that is not whitespace (`None` at the file's start, or past the
/// most whitespace looked back at), read a byte at a time so that nothing else before `at` is.
fn significant_byte_before<R: Read + Seek>(reader: &mut R, at: u64) -> std::io::Result<Option<u8>> {
    let lowest = at.saturating_sub(MOST_WHITESPACE_LOOKED_AT);
    let mut byte = [0u8; 1];
    let mut position = at;
    while position > lowest {
        position -= 1;
        reader.seek(SeekFrom::Start(position))?;
        reader.read_exact(&mut byte)?;
        if !byte[0].is_ascii_whitespace() {
            return Ok(Some(byte[0]));
        }
    }
    Ok(None)
}

/// Bytes of the file from `start` on, read as needed.
struct Window {
    bytes: Vec<u8>,
    start: u64,
}

impl Window {
    /// The byte at `at` (not before the window's start), reading a new window from `at` when
    /// the window ends before it; `None` past the file's end.
    fn byte_at<R: Read + Seek>(&mut self, reader: &mut R, at: u64) -> std::io::Result<Option<u8>> {
        if at - self.start >= self.bytes.len() as u64 {
            self.bytes.clear();
            self.start = at;
        }
        self.byte_at_keeping(reader, at)
    }

    /// The first byte after `at` that is not whitespace, looking at most
    /// [`MOST_WHITESPACE_LOOKED_AT`] bytes on.
    fn significant_byte_after<R: Read + Seek>(
        &mut self,
        reader: &mut R,
        at: u64,
    ) -> std::io::Result<Option<u8>> {
        for offset in 1..=MOST_WHITESPACE_LOOKED_AT {
            match self.byte_at_keeping(reader, at + offset)? {
                Some(byte) if byte.is_ascii_whitespace() => {}
                other => return Ok(other),
            }
        }
        Ok(None)
    }

    /// The byte at `at`, at most one read past the window's end: what the window holds is kept
    /// and the next bytes are added to it; `None` past the file's end.
    fn byte_at_keeping<R: Read + Seek>(
        &mut self,
        reader: &mut R,
        at: u64,
    ) -> std::io::Result<Option<u8>> {
        let index = usize::try_from(at - self.start).unwrap_or(usize::MAX);
        if index < self.bytes.len() {
            return Ok(Some(self.bytes[index]));
        }
        reader.seek(SeekFrom::Start(self.start + self.bytes.len() as u64))?;
        (&mut *reader)
            .take(SCAN_WINDOW_BYTES as u64)
            .read_to_end(&mut self.bytes)?;
        Ok(self.bytes.get(index).copied())
    }

    /// Whether an entry starts at `at` (see [`find_entry_start`]): read from the window when
    /// the object ends in it, else from the file.
    fn is_entry_at<R: Read + Seek>(
        &mut self,
        reader: &mut R,
        at: u64,
        max_entry_bytes: u64,
    ) -> std::io::Result<bool> {
        let index = usize::try_from(at - self.start).unwrap_or(usize::MAX);
        let held = self.bytes.get(index..).unwrap_or_default();
        let mut stream = serde_json::Deserializer::from_slice(held).into_iter::<EntryMembers>();
        let (looks_like_an_entry, length) = match stream.next() {
            Some(Ok(EntryMembers(found))) => (found, stream.byte_offset() as u64),
            // The object goes on past the window: read it from the file.
            Some(Err(error)) if error.is_eof() => {
                return is_entry_in_file(reader, at, max_entry_bytes);
            }
            _ => return Ok(false),
        };
        if !looks_like_an_entry || length > max_entry_bytes {
            return Ok(false);
        }
        // What follows must be the next entry's comma or the array's end.
        let after = self.significant_byte_after(reader, at + length - 1)?;
        Ok(matches!(after, Some(b',' | b']')))
    }
}

/// [`Window::is_entry_at`] for an object longer than the window: read from the file, at most
/// `max_entry_bytes` of it.
fn is_entry_in_file<R: Read + Seek>(
    reader: &mut R,
    at: u64,
    max_entry_bytes: u64,
) -> std::io::Result<bool> {
    reader.seek(SeekFrom::Start(at))?;
    let mut buffered = BufReader::with_capacity(64 * 1024, &mut *reader);
    let mut limited = (&mut buffered).take(max_entry_bytes);
    let mut deserializer = serde_json::Deserializer::from_reader(&mut limited);
    let Ok(EntryMembers(looks_like_an_entry)) = EntryMembers::deserialize(&mut deserializer) else {
        return Ok(false);
    };
    drop(deserializer);
    if !looks_like_an_entry {
        return Ok(false);
    }
    // What follows (not counted in the entry's bound) must be `,` or `]`.
    let mut looked_at = 0;
    while looked_at <= MOST_WHITESPACE_LOOKED_AT {
        let buffer = buffered.fill_buf()?;
        let Some(&byte) = buffer.first() else {
            return Ok(false);
        };
        if !byte.is_ascii_whitespace() {
            return Ok(matches!(byte, b',' | b']'));
        }
        buffered.consume(1);
        looked_at += 1;
    }
    Ok(false)
}

/// Whether an object has a member only a HAR entry has (`startedDateTime` is not one: a page
/// has it too).
struct EntryMembers(bool);

impl<'de> Deserialize<'de> for EntryMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = EntryMembers;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EntryMembers, A::Error> {
                let mut found = false;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    found |= matches!(key.as_ref(), "request" | "response");
                    map.next_value::<IgnoredAny>()?;
                }
                Ok(EntryMembers(found))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Why a whole document without `log.version` is not read.
pub(crate) const NO_VERSION: &str = "it has no `log.version`; expected \"1.2\" (or \"1.1\")";

fn message_without_position(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(position) => &full[..position],
        None => full.as_str(),
    };
    without_quoted_string(message)
}

fn unsupported_version(version: &str) -> String {
    let shown: String = version.chars().take(20).collect();
    format!("`log.version` is {shown:?}, expected \"1.2\" (or \"1.1\")")
}

struct Progress<'b> {
    entries_read: u64,
    entries_found: bool,
    in_entries: bool,
    stopped: bool,
    version: Option<String>,
    budget: &'b ReadBudget,
}

struct DocumentVisitor<'s, 'b> {
    on_entry: &'s mut OnHarEntry<'s>,
    progress: &'s mut Progress<'b>,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a HAR document (an object with `log`)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.progress.budget.start();
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                map.next_value_seed(LogSeed {
                    on_entry: &mut *self.on_entry,
                    progress: &mut *self.progress,
                })?;
            } else {
                self.progress.budget.pause();
                map.next_value::<IgnoredAny>()?;
            }
            self.progress.budget.start();
        }
        Ok(())
    }
}

struct LogSeed<'s, 'b> {
    on_entry: &'s mut OnHarEntry<'s>,
    progress: &'s mut Progress<'b>,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("the `log` object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.progress.budget.start();
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                self.progress.entries_found = true;
                self.progress.in_entries = true;
                map.next_value_seed(EntriesSeed {
                    on_entry: &mut *self.on_entry,
                    progress: &mut *self.progress,
                })?;
                self.progress.in_entries = false;
            } else if key == "version" {
                let version = map.next_value::<String>()?;
                if !SUPPORTED_HAR_VERSIONS.contains(&version.as_str()) {
                    self.progress.version = Some(version);
                    return Err(de::Error::custom(unsupported_version(
                        self.progress.version.as_deref().unwrap_or_default(),
                    )));
                }
                self.progress.version = Some(version);
            } else {
                self.progress.budget.pause();
                map.next_value::<IgnoredAny>()?;
            }
            self.progress.budget.start();
        }
        Ok(())
    }
}

struct EntriesSeed<'s, 'b> {
    on_entry: &'s mut OnHarEntry<'s>,
    progress: &'s mut Progress<'b>,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("the `log.entries` array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.progress.budget.start();
            let Some(entry) = seq.next_element::<Box<RawValue>>()? else {
                break;
            };
            self.progress.entries_read += 1;
            let end = self.progress.budget.position.get();
            if !(self.on_entry)(entry, end) {
                self.progress.stopped = true;
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
struct HarEntry<'a> {
    #[serde(borrow)]
    request: HarRequest<'a>,
    #[serde(borrow)]
    response: HarResponse<'a>,
}

#[derive(Debug, Deserialize)]
struct HarRequest<'a> {
    #[serde(borrow)]
    method: RecordedText<'a>,
    #[serde(borrow)]
    url: RecordedText<'a>,
    #[serde(rename = "postData", borrow, default)]
    post_data: Option<HarPostData<'a>>,
}

#[derive(Debug, Deserialize)]
struct HarPostData<'a> {
    #[serde(borrow, default)]
    text: Option<RecordedText<'a>>,
}

#[derive(Debug, Deserialize)]
struct HarResponse<'a> {
    status: i64,
    #[serde(borrow)]
    content: HarContent<'a>,
}

#[derive(Debug, Deserialize)]
struct HarContent<'a> {
    #[serde(rename = "mimeType", borrow, default)]
    mime_type: Option<RecordedText<'a>>,
    #[serde(borrow, default)]
    text: Option<RecordedText<'a>>,
    #[serde(borrow, default)]
    encoding: Option<RecordedText<'a>>,
}

/// Reads one entry's text as an exchange.
pub(crate) fn parse_har_entry(text: &str) -> Result<RecordedExchange<'_>, String> {
    // serde's derive also reads a struct from an array, by position: an entry must be an object.
    if !text.trim_start().starts_with('{') {
        return Err("the entry must be an object".to_owned());
    }
    let entry: HarEntry<'_> =
        serde_json::from_str(text).map_err(|_| explain_entry_problem(text))?;
    let status = match entry.response.status {
        status if status <= 0 => 0,
        status @ 100..=599 => status as u16,
        status => {
            return Err(format!(
                "`response.status` is {status}, expected an HTTP status from 100 to 599 (or 0 for no response)"
            ));
        }
    };
    let content = entry.response.content;
    let response_body = match content.text {
        None => None,
        Some(body) => match content
            .encoding
            .as_ref()
            .map(|encoding| encoding.0.as_ref())
        {
            Some("base64") => {
                Some(Cow::Owned(decode_base64(&body.0).map_err(|error| {
                    format!("`response.content.text` is not base64: {error}")
                })?))
            }
            Some(other) if !other.is_empty() => {
                return Err(format!(
                    "`response.content.encoding` is {other:?}, expected \"base64\" or none"
                ));
            }
            _ => Some(match body.0 {
                Cow::Borrowed(body) => Cow::Borrowed(body.as_bytes()),
                Cow::Owned(body) => Cow::Owned(body.into_bytes()),
            }),
        },
    };
    let request_body = entry
        .request
        .post_data
        .and_then(|post_data| post_data.text)
        .map(|body| match body.0 {
            Cow::Borrowed(body) => Cow::Borrowed(body.as_bytes()),
            Cow::Owned(body) => Cow::Owned(body.into_bytes()),
        });
    let path = match entry.request.url.0 {
        Cow::Borrowed(url) => Cow::Borrowed(path_of_target(url)),
        Cow::Owned(url) => Cow::Owned(path_of_target(&url).to_owned()),
    };
    let content_type_recorded = content.mime_type.is_some();
    Ok(RecordedExchange {
        method: entry.request.method.0,
        path,
        status,
        content_type_recorded,
        content_type: content
            .mime_type
            .map(|mime_type| mime_type.0)
            .filter(|mime_type| !mime_type.is_empty()),
        response_body,
        request_body,
    })
}

/// Entries holding more JSON values than this are not read again to say what is wrong.
const MOST_VALUES_EXPLAINED: usize = 10_000;

/// Which member of an entry is missing or of the wrong type, found by reading the entry again
/// as a `Value` (only for entries that failed).
fn explain_entry_problem(text: &str) -> String {
    // A `Value` costs tens of bytes a value: a large entry is not read again.
    if json_value_count(text.as_bytes(), MOST_VALUES_EXPLAINED) > MOST_VALUES_EXPLAINED {
        return "the entry does not have the HAR 1.2 shape".to_owned();
    }
    let Ok(entry) = serde_json::from_str::<Value>(text) else {
        return "the entry is not JSON".to_owned();
    };
    let expectations: [(&str, &str, bool); 9] = [
        ("", "an object", true),
        ("/request", "an object", true),
        ("/request/method", "a string", true),
        ("/request/url", "a string", true),
        ("/response", "an object", true),
        ("/response/status", "a whole number", true),
        ("/response/content", "an object", true),
        ("/response/content/text", "a string", false),
        ("/request/postData", "an object", false),
    ];
    for (pointer, expected, required) in expectations {
        let name = if pointer.is_empty() {
            "the entry".to_owned()
        } else {
            format!("`{}`", pointer[1..].replace('/', "."))
        };
        match entry.pointer(pointer) {
            None if required => return format!("{name} is missing, expected {expected}"),
            None | Some(Value::Null) if !required => {}
            None => {}
            Some(value) => {
                let fits = match expected {
                    "an object" => value.is_object(),
                    "a string" => value.is_string(),
                    _ => value.as_i64().is_some(),
                };
                if !fits {
                    return format!("{name} must be {expected}");
                }
            }
        }
    }
    for optional_string in [
        "/response/content/mimeType",
        "/response/content/encoding",
        "/request/postData/text",
    ] {
        if let Some(value) = entry.pointer(optional_string)
            && !value.is_null()
            && !value.is_string()
        {
            return format!(
                "`{}` must be a string",
                optional_string[1..].replace('/', ".")
            );
        }
    }
    "the entry does not have the HAR 1.2 shape".to_owned()
}
