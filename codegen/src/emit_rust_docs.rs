//! Model pieces in, doc-comment text out, for the Rust emitter: a field's paragraphs (its note,
//! its wire name where it differs from the Rust name, the page it refers to with the link made
//! absolute against the endpoint page's URL when that is known), and the sentence, said once per
//! type, naming the fields only the page's example documents.

use std::cell::RefCell;

use crate::model::{DocumentedIn, Field, Object};
use crate::names;

thread_local! {
    /// The URL of the page the endpoint being emitted was written from, if the spec gives it:
    /// relative "refers to" links resolve against it. Set for the duration of one endpoint file,
    /// which is emitted on one thread.
    static ENDPOINT_PAGE_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `emit` with `page_url` as the base of relative links.
pub(crate) fn with_endpoint_page_url<T>(page_url: Option<&str>, emit: impl FnOnce() -> T) -> T {
    let previous = ENDPOINT_PAGE_URL.with(|slot| slot.replace(page_url.map(str::to_owned)));
    let result = emit();
    ENDPOINT_PAGE_URL.with(|slot| slot.replace(previous));
    result
}

/// `reference` resolved against `base` (an absolute `http(s)` URL) as a browser would: absolute
/// links stay, `/x` keeps the origin, `x`, `./x` and `../x` replace the last path segment.
pub(crate) fn absolute_link(base: &str, reference: &str) -> Option<String> {
    if reference.starts_with("http://") || reference.starts_with("https://") {
        return Some(reference.to_owned());
    }
    let scheme_end = base.find("://")? + 3;
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |index| scheme_end + index);
    let origin = &base[..path_start];
    if reference.starts_with('/') {
        return Some(format!("{origin}{reference}"));
    }
    let base_path = base[path_start..]
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let mut segments: Vec<&str> = base_path.split('/').skip(1).collect();
    segments.pop();
    for part in reference.split('/') {
        match part {
            "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    Some(format!("{origin}/{}", segments.join("/")))
}

/// The doc text of a field.
pub(crate) fn field_doc(field: &Field) -> String {
    let mut paragraphs = Vec::new();
    if let Some(description) = &field.description {
        paragraphs.push(description.clone());
    }
    if names::unraw(&field.rust_name) != field.wire_name {
        paragraphs.push(format!("On the wire: `{}`.", field.wire_name));
    }
    if let Some(reference) = &field.reference {
        let link = ENDPOINT_PAGE_URL.with(|slot| {
            slot.borrow()
                .as_deref()
                .and_then(|base| absolute_link(base, &reference.page))
        });
        paragraphs.push(match link {
            Some(url) => format!("Refers to: {} (<{url}>).", reference.title),
            None => format!("Refers to: {} (`{}`).", reference.title, reference.page),
        });
    }
    if let Some(see) = &field.see {
        paragraphs.push(format!("See <{see}>."));
    }
    let limits = describe_constraints(&field.constraints);
    if !limits.is_empty() {
        paragraphs.push(format!(
            "Limits (checked by the schema, not by this type): {limits}."
        ));
    }
    if let crate::model::Shape::Array(items) = &field.shape {
        let item_limits = describe_constraints(&items.constraints);
        if !item_limits.is_empty() {
            paragraphs.push(format!(
                "Limits on each item (checked by the schema, not by this type): {item_limits}."
            ));
        }
    }
    if let Some(default) = &field.default {
        paragraphs.push(format!(
            "Default when left out: `{}`.",
            serde_json::to_string(default).unwrap_or_default()
        ));
    }
    paragraphs.join("\n\n")
}

/// The sentence naming the fields of `object` that only the page's example documents, or
/// `None` when the tables document every field.
pub(crate) fn documented_by_example(object: &Object) -> Option<String> {
    let by_example: Vec<String> = object
        .fields
        .iter()
        .filter(|field| field.documented_in == DocumentedIn::Example)
        .map(|field| format!("`{}`", field.wire_name))
        .collect();
    if by_example.is_empty() {
        None
    } else if by_example.len() == object.fields.len() {
        Some("Every field is documented only by the page's example, not by a table.".to_owned())
    } else {
        Some(format!(
            "Documented only by the page's example, not by a table: {}.",
            by_example.join(", ")
        ))
    }
}

/// The limits in words for docs: `minimum 1, max_length 255`.
pub(crate) fn describe_constraints(constraints: &crate::model::Constraints) -> String {
    let mut parts = Vec::new();
    let texts = [
        ("minimum", constraints.minimum.clone()),
        ("exclusive_minimum", constraints.exclusive_minimum.clone()),
        ("maximum", constraints.maximum.clone()),
        ("exclusive_maximum", constraints.exclusive_maximum.clone()),
        ("min_length", constraints.min_length.map(|n| n.to_string())),
        ("max_length", constraints.max_length.map(|n| n.to_string())),
        (
            "pattern",
            constraints.pattern.as_ref().map(|p| format!("`{p}`")),
        ),
        ("min_items", constraints.min_items.map(|n| n.to_string())),
        ("max_items", constraints.max_items.map(|n| n.to_string())),
        (
            "unique_items",
            constraints.unique_items.then(|| "true".to_owned()),
        ),
    ];
    for (name, text) in texts {
        if let Some(text) = text {
            parts.push(format!("{name} {text}"));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::absolute_link;

    #[test]
    fn links_resolve_as_a_browser_resolves_them() {
        let base = "https://docs.example/api/v2/leads/create?tab=1";
        for (reference, expected) in [
            (
                "../users/users-list",
                "https://docs.example/api/v2/users/users-list",
            ),
            ("./statuses", "https://docs.example/api/v2/leads/statuses"),
            ("statuses", "https://docs.example/api/v2/leads/statuses"),
            ("/home", "https://docs.example/home"),
            ("https://other.example/x", "https://other.example/x"),
        ] {
            assert_eq!(
                absolute_link(base, reference).as_deref(),
                Some(expected),
                "{reference}"
            );
        }
        assert_eq!(absolute_link("pages/leads.txt", "../users"), None);
    }
}
