//! HAR 1.2 in: the document streamed from a reader, `log.entries` handed on one entry at a time
//! as raw JSON text (the rest skipped, so memory holds one entry, not the document); then each
//! entry's text read into a recorded exchange, or why it is not one.

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

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

/// Streams `log.entries` of the HAR document in `reader`, handing each entry's raw text to
/// `on_entry`, which returns false to stop.
pub(crate) fn stream_har_entries<R: BufRead>(
    reader: R,
    on_entry: &mut dyn FnMut(Box<RawValue>) -> bool,
) -> Result<HarStreamEnd, NotHar> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut progress = Progress {
        entries_read: 0,
        entries_found: false,
        stopped: false,
    };
    let result = deserializer
        .deserialize_map(DocumentVisitor {
            on_entry,
            progress: &mut progress,
        })
        .and_then(|()| deserializer.end());
    match result {
        _ if progress.stopped => Ok(HarStreamEnd::Stopped),
        Ok(()) if progress.entries_found => Ok(HarStreamEnd::Complete),
        Ok(()) => Err(NotHar("it has no `log.entries` array".to_owned())),
        Err(error) if progress.entries_read == 0 => Err(NotHar(format!(
            "{} (line {}, column {})",
            message_without_position(&error),
            error.line(),
            error.column()
        ))),
        Err(error) => Ok(HarStreamEnd::BrokeOff {
            entries_read: progress.entries_read,
            reason: format!(
                "the document breaks off after entry {}: {} (line {}, column {}); nothing after it is read",
                progress.entries_read,
                if error.is_eof() {
                    "it ends early (truncated?)".to_owned()
                } else {
                    message_without_position(&error)
                },
                error.line(),
                error.column()
            ),
        }),
    }
}

fn message_without_position(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(position) => &full[..position],
        None => full.as_str(),
    };
    without_quoted_string(message)
}

struct Progress {
    entries_read: u64,
    entries_found: bool,
    stopped: bool,
}

struct DocumentVisitor<'s> {
    on_entry: &'s mut dyn FnMut(Box<RawValue>) -> bool,
    progress: &'s mut Progress,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a HAR document (an object with `log`)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                map.next_value_seed(LogSeed {
                    on_entry: &mut *self.on_entry,
                    progress: &mut *self.progress,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct LogSeed<'s> {
    on_entry: &'s mut dyn FnMut(Box<RawValue>) -> bool,
    progress: &'s mut Progress,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("the `log` object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                self.progress.entries_found = true;
                map.next_value_seed(EntriesSeed {
                    on_entry: &mut *self.on_entry,
                    progress: &mut *self.progress,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct EntriesSeed<'s> {
    on_entry: &'s mut dyn FnMut(Box<RawValue>) -> bool,
    progress: &'s mut Progress,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("the `log.entries` array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Box<RawValue>>()? {
            self.progress.entries_read += 1;
            if !(self.on_entry)(entry) {
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

/// Which member of an entry is missing or of the wrong type, found by reading the entry again
/// as a `Value` (only for entries that failed).
fn explain_entry_problem(text: &str) -> String {
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
