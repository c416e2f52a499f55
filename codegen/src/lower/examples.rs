//! An endpoint's example payload in (a file next to the spec, or text in it), the checked
//! example out: JSON parsed without loss, or kept as text when the page's example is not JSON.

use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::model::{ExamplePayload, KnownDiscrepancy};
use crate::spec::{Entries, ExamplePayloadSpec};

use super::Cx;
use super::identifiers::{is_header_name, is_json_pointer_pattern};

pub(super) fn lower_example_payload(
    cx: &mut Cx<'_>,
    payload: &ExamplePayloadSpec,
) -> Option<ExamplePayload> {
    let file = cx.resolve(&payload.file, "example file")?;
    let bytes = cx.sources.get(&file).unwrap_or_default();
    // A `.txt` example is the page's text as it is, JSON or not: checking it says what it is.
    let kept_as_text = file.ends_with(NOT_JSON_EXAMPLE_EXTENSION);
    let parsed = serde_json::from_slice::<serde_json::Value>(bytes);
    if let (Err(error), false) = (&parsed, kept_as_text) {
        let message = format!(
            "example named at {} is not valid JSON: {}; an example that is not JSON is kept byte for byte under a `{NOT_JSON_EXAMPLE_EXTENSION}` name, with `known: [{{path: \"\", rule: not-json, reason: …}}]`",
            cx.location(&payload.file),
            strip_serde_json_position(&error.to_string())
        );
        cx.diagnostics.push(Diagnostic::new(
            SourceLocation {
                path: file.clone(),
                line: error.line().max(1) as u64,
                column: error.column().max(1) as u64,
            },
            message,
        ));
        return None;
    }
    let mut known: Vec<crate::model::KnownDiscrepancy> = Vec::new();
    for entry in &payload.known {
        if !is_json_pointer_pattern(&entry.path.value) {
            let message = format!(
                "`{}` is not a JSON Pointer: expected `/a/b` (or an empty string for the whole payload), optionally ending in `/*`",
                entry.path.value
            );
            cx.error(&entry.path, message);
            continue;
        }
        if entry.reason.trim().is_empty() {
            cx.error(&entry.path, "a known discrepancy needs a `reason` in words");
            continue;
        }
        let lowered = KnownDiscrepancy {
            path: entry.path.value.clone(),
            rule: entry.rule.value,
            reason: entry.reason.clone(),
            location: cx.location(&entry.path),
        };
        if let Some(first) = known
            .iter()
            .find(|other| other.path == lowered.path && other.rule == lowered.rule)
        {
            let message = format!(
                "known discrepancy `{}` `{}` is already recorded at {}",
                lowered.path,
                lowered.rule.as_str(),
                first.location
            );
            cx.error(&entry.path, message);
            continue;
        }
        known.push(lowered);
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in payload.headers.iter().flat_map(Entries::iter) {
        if !is_header_name(&name.value) {
            let message = format!("`{}` is not an HTTP header name", name.value);
            cx.error(name, message);
        } else if headers
            .iter()
            .any(|(other, _)| other.eq_ignore_ascii_case(&name.value))
        {
            let message = format!(
                "the example's header `{}` is listed twice (header names are the same whatever their case)",
                name.value
            );
            cx.error(name, message);
        } else {
            headers.push((name.value.clone(), value.value.clone()));
        }
    }
    Some(ExamplePayload {
        file,
        location: cx.location(&payload.file),
        known,
        json: parsed.is_ok(),
        headers,
    })
}

/// The extension of an example file kept as the page's text, JSON or not.
pub const NOT_JSON_EXAMPLE_EXTENSION: &str = ".txt";

pub(super) fn strip_serde_json_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(index) => &message[..index],
        None => message,
    }
}
