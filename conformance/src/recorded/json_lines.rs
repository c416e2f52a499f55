//! One JSON Lines line in (its bytes), one recorded exchange out (borrowing from the line where
//! it can), or why the line is not one: which member is missing or wrong and at which column,
//! never the line's text. The format is described in the module above.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::value::RawValue;

use crate::recorded::RecordedExchange;
use crate::recorded::base64::decode_base64;
use crate::recorded::routes::path_of_target;

/// A JSON string, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordedText<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for RecordedText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(RecordedTextVisitor)
    }
}

struct RecordedTextVisitor;

impl<'de> Visitor<'de> for RecordedTextVisitor {
    type Value = RecordedText<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(RecordedText(Cow::Borrowed(text)))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(RecordedText(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(RecordedText(Cow::Owned(text)))
    }
}

/// A member that holds any JSON value, `null` included, kept as its exact text.
fn raw_json<'de: 'a, 'a, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<&'a RawValue>, D::Error> {
    <&'a RawValue>::deserialize(deserializer).map(Some)
}

/// One line as written.
#[derive(Debug, Deserialize)]
struct ExchangeLine<'a> {
    #[serde(borrow)]
    method: RecordedText<'a>,
    #[serde(borrow, default)]
    path: Option<RecordedText<'a>>,
    #[serde(borrow, default)]
    url: Option<RecordedText<'a>>,
    status: u16,
    #[serde(borrow, default)]
    content_type: Option<RecordedText<'a>>,
    #[serde(borrow, default, deserialize_with = "raw_json")]
    body: Option<&'a RawValue>,
    #[serde(borrow, default)]
    body_text: Option<RecordedText<'a>>,
    #[serde(borrow, default)]
    body_base64: Option<RecordedText<'a>>,
    #[serde(borrow, default, deserialize_with = "raw_json")]
    request_body: Option<&'a RawValue>,
    #[serde(borrow, default)]
    request_body_text: Option<RecordedText<'a>>,
    #[serde(borrow, default)]
    request_body_base64: Option<RecordedText<'a>>,
}

/// The lowest and highest status a line may carry.
const STATUS_RANGE: std::ops::RangeInclusive<u16> = 100..=599;

/// Reads one line (without its line end) as an exchange.
pub(crate) fn parse_exchange_line(line: &[u8]) -> Result<RecordedExchange<'_>, String> {
    // serde's derive also reads a struct from an array, by position: a line must be an object.
    let first = line.iter().find(|byte| !byte.is_ascii_whitespace());
    if first.is_some_and(|byte| *byte == b'[') {
        return Err("the line is an array, expected an exchange object".to_owned());
    }
    let parsed: ExchangeLine<'_> =
        serde_json::from_slice(line).map_err(|error| describe_line_error(&error))?;
    let target = match (parsed.path, parsed.url) {
        (Some(path), None) => path,
        (None, Some(url)) => url,
        (Some(_), Some(_)) => return Err("give `path` or `url`, not both".to_owned()),
        (None, None) => return Err("missing member `path` (or `url`)".to_owned()),
    };
    if !STATUS_RANGE.contains(&parsed.status) {
        return Err(format!(
            "`status` is {}, expected an HTTP status from 100 to 599",
            parsed.status
        ));
    }
    let response_body = body_of(
        parsed.body,
        parsed.body_text,
        parsed.body_base64,
        ["body", "body_text", "body_base64"],
    )?;
    let request_body = body_of(
        parsed.request_body,
        parsed.request_body_text,
        parsed.request_body_base64,
        ["request_body", "request_body_text", "request_body_base64"],
    )?;
    let path = match target.0 {
        Cow::Borrowed(target) => Cow::Borrowed(path_of_target(target)),
        Cow::Owned(target) => Cow::Owned(path_of_target(&target).to_owned()),
    };
    let content_type_recorded = parsed.content_type.is_some();
    let content_type = parsed
        .content_type
        .map(|text| text.0)
        .filter(|text| !text.is_empty());
    Ok(RecordedExchange {
        method: parsed.method.0,
        path,
        status: parsed.status,
        content_type_recorded,
        content_type,
        response_body,
        request_body,
    })
}

/// The body given by at most one of its three members.
fn body_of<'a>(
    json: Option<&'a RawValue>,
    text: Option<RecordedText<'a>>,
    base64: Option<RecordedText<'a>>,
    names: [&str; 3],
) -> Result<Option<Cow<'a, [u8]>>, String> {
    let given = [json.is_some(), text.is_some(), base64.is_some()];
    if given.iter().filter(|given| **given).count() > 1 {
        let named: Vec<String> = names
            .iter()
            .zip(given)
            .filter(|(_, given)| *given)
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        return Err(format!(
            "give one of `{}`, `{}`, `{}`, not several ({} given)",
            names[0],
            names[1],
            names[2],
            named.join(", ")
        ));
    }
    if let Some(json) = json {
        return Ok(Some(Cow::Borrowed(json.get().as_bytes())));
    }
    if let Some(text) = text {
        return Ok(Some(match text.0 {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        }));
    }
    if let Some(base64) = base64 {
        return decode_base64(&base64.0)
            .map(|bytes| Some(Cow::Owned(bytes)))
            .map_err(|error| format!("`{}` is not base64: {error}", names[2]));
    }
    Ok(None)
}

/// What serde_json says, without its position, with the column, and the derive's type name
/// replaced by what a line is.
fn describe_line_error(error: &serde_json::Error) -> String {
    if error.is_eof() {
        return format!(
            "the line ends before its JSON does (truncated?) at column {}",
            error.column()
        );
    }
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(position) => &full[..position],
        None => full.as_str(),
    };
    let message =
        without_quoted_string(message).replace("struct ExchangeLine", "an exchange object");
    if error.is_syntax() {
        format!(
            "the line is not JSON: {message} (column {})",
            error.column()
        )
    } else {
        format!("{message} (column {})", error.column())
    }
}

/// serde quotes a string of the wrong type (`invalid type: string "…", expected u16`); the
/// string could be anything the recorder wrote, so the reason leaves it out.
pub(crate) fn without_quoted_string(message: &str) -> String {
    match (message.find("string \""), message.rfind("\", expected")) {
        (Some(start), Some(end)) if start + 7 <= end => {
            format!("{}{}", &message[..start + 6], &message[end + 1..])
        }
        _ => message.to_owned(),
    }
}
