//! The model and the example payloads (in memory) in, the text of every known discrepancy the
//! specs record out: per endpoint and example, the pointer, the rule, the example's own value
//! (exact, from its bytes) and the reason. README.md quotes it; the examples gate holds the
//! specs' `known` entries to what the checker finds, so the quote is what the pages contradict.

use std::fmt::Write as _;

use crate::load::SpecSources;
use crate::model::{Direction, ExamplePayload, Model};

/// Values longer than this are cut, with their length said.
const MAX_VALUE_CHARACTERS: usize = 120;

/// The quote: every known discrepancy of every example, grouped by endpoint, then a summary.
pub fn render(model: &Model, sources: &SpecSources) -> String {
    let mut out = String::new();
    let (mut discrepancies, mut payloads, mut endpoints_with_any) = (0usize, 0usize, 0usize);
    for (_, endpoint) in model.endpoints() {
        let mut section = String::new();
        for example in &endpoint.examples {
            for direction in Direction::BOTH {
                let Some(payload) = example.payload(direction) else {
                    continue;
                };
                if payload.known.is_empty() {
                    continue;
                }
                payloads += 1;
                discrepancies += payload.known.len();
                let _ = writeln!(
                    section,
                    "  {}  example `{}` ({}): {}",
                    direction.as_str(),
                    example.name,
                    payload.file,
                    count(
                        payload.known.len(),
                        "known discrepancy",
                        "known discrepancies"
                    )
                );
                render_payload(&mut section, payload, sources);
            }
        }
        if !section.is_empty() {
            endpoints_with_any += 1;
            let _ = writeln!(out, "{}  {}", endpoint.key(), endpoint.spec_path);
            out.push_str(&section);
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "summary: {} in {} of {}",
        count(discrepancies, "known discrepancy", "known discrepancies"),
        count(payloads, "example payload", "example payloads"),
        count(endpoints_with_any, "endpoint", "endpoints"),
    );
    out
}

/// One payload's entries, in the spec's order.
fn render_payload(out: &mut String, payload: &ExamplePayload, sources: &SpecSources) {
    let document = if payload.json {
        sources
            .get(&payload.file)
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
    } else {
        None
    };
    for known in &payload.known {
        let path = if known.path.is_empty() {
            "(the whole example)"
        } else {
            known.path.as_str()
        };
        let _ = writeln!(out, "    {path}  {}", known.rule.as_str());
        if let Some(value) = document
            .as_ref()
            .filter(|_| !known.path.is_empty() && !known.path.ends_with("/*"))
            .and_then(|document| document.pointer(&known.path))
        {
            let _ = writeln!(out, "      value: {}", shortened(&value.to_string()));
        }
        let _ = writeln!(out, "      reason: {}", known.reason);
        let _ = writeln!(out, "      recorded at {}", known.location);
    }
}

/// `text`, cut to `MAX_VALUE_CHARACTERS` with its full length said.
fn shortened(text: &str) -> String {
    let characters = text.chars().count();
    if characters <= MAX_VALUE_CHARACTERS {
        return text.to_owned();
    }
    let start: String = text.chars().take(MAX_VALUE_CHARACTERS).collect();
    format!("{start}… ({characters} characters in all)")
}

/// `1 thing`, `2 things`.
fn count(number: usize, one: &str, many: &str) -> String {
    if number == 1 {
        format!("1 {one}")
    } else {
        format!("{number} {many}")
    }
}
