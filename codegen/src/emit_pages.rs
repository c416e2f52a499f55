//! Model and catalog in, the publish site's pages for people and its SchemaStore catalog out:
//! one readable HTML page per endpoint (`pages/<service>/<version>/<endpoint>.html`: fields,
//! nested, with their types, required and nullable marks, and the page's own notes in its
//! language, with `lang` and, for right-to-left languages such as Hebrew, `dir="rtl"`; the
//! response status; the contradictions the spec records as known), and `schema-catalog.json` in
//! SchemaStore's format so that editors and validators find the schemas. Pure, like the rest.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value, json};

use crate::emit_catalog::Catalog;
use crate::emit_site::{SiteFiles, escape_html};
use crate::model::{Direction, Endpoint, Model, Object, Service, Shape};

/// The SchemaStore-format catalog at the site's root.
pub const SCHEMA_STORE_CATALOG_FILE_NAME: &str = "schema-catalog.json";

/// The JSON Schema of the JSON reports, published at the site's root by `cargo xtask publish`.
pub const REPORT_SCHEMA_FILE_NAME: &str = "report.schema.json";

/// The folder of the endpoint pages.
pub(crate) const PAGES_FOLDER: &str = "pages";

/// The page of one endpoint of one service version, relative to the site.
pub fn page_path(service: &str, version: &str, endpoint: &str) -> String {
    format!("{PAGES_FOLDER}/{service}/{version}/{endpoint}.html")
}

/// The site of [`crate::emit_site::site_files`] with the endpoint pages of `model`'s versions
/// added, the index linking every page the site has (new or already published), and the
/// SchemaStore catalog of its latest schemas.
pub fn add_pages(
    mut site: SiteFiles,
    model: &Model,
    existing: &BTreeMap<String, String>,
) -> SiteFiles {
    for (service, endpoint) in model.endpoints() {
        site.files.insert(
            page_path(
                &service.id,
                &service.schema_version.to_string(),
                &endpoint.id,
            ),
            endpoint_page(service, endpoint),
        );
    }
    let catalog: Option<Catalog> = site
        .files
        .get(crate::emit_catalog::CATALOG_FILE_NAME)
        .and_then(|text| serde_json::from_str(text).ok());
    if let Some(catalog) = catalog {
        let has_page = |service: &str, version: &str, endpoint: &str| {
            let path = page_path(service, version, endpoint);
            (site.files.contains_key(&path) || existing.contains_key(&path)).then_some(path)
        };
        let index = crate::emit_site::index_html_with_pages(&catalog, &has_page);
        let store = schema_store_catalog(&catalog);
        site.files
            .insert(crate::emit_site::INDEX_FILE_NAME.to_owned(), index);
        site.files
            .insert(SCHEMA_STORE_CATALOG_FILE_NAME.to_owned(), store);
    }
    site
}

/// `schema-catalog.json`: every latest schema as SchemaStore lists schemas (`name`,
/// `description`, `fileMatch`, `url`, and `versions` by schema version), and the report schema.
pub(crate) fn schema_store_catalog(catalog: &Catalog) -> String {
    let base = &catalog.schema_base_uri;
    let mut schemas = Vec::new();
    for entry in catalog.latest_entries() {
        let versions: serde_json::Map<String, Value> = catalog
            .schemas
            .iter()
            .filter(|other| {
                other.service == entry.service
                    && other.endpoint == entry.endpoint
                    && other.direction == entry.direction
            })
            .map(|other| (other.schema_version.clone(), json!(other.id)))
            .collect();
        schemas.push(json!({
            "name": entry.title,
            "description": entry.description,
            "fileMatch": [format!("*.{}.{}.{}.json", entry.service, entry.endpoint, entry.direction)],
            "url": entry.id,
            "versions": versions,
        }));
    }
    schemas.push(json!({
        "name": "conformance and diff report",
        "description": "The JSON report of `cargo xtask conformance … --format json` and `cargo xtask diff --format json`",
        "fileMatch": ["*.conformance-report.json"],
        "url": format!("{base}{REPORT_SCHEMA_FILE_NAME}"),
    }));
    let document = json!({
        "$schema": "https://json.schemastore.org/schema-catalog.json",
        "version": 1,
        "schemas": schemas,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether text in `language` (a BCP 47 tag) runs right to left.
pub fn is_right_to_left(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    matches!(
        primary.to_ascii_lowercase().as_str(),
        "he" | "iw" | "ar" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
    )
}

/// Opening attributes for text in the service's language: `lang="he" dir="rtl"`.
fn language_attributes(language: &str) -> String {
    let mut attributes = format!("lang=\"{}\"", escape_html(language));
    attributes.push_str(if is_right_to_left(language) {
        " dir=\"rtl\""
    } else {
        " dir=\"ltr\""
    });
    attributes
}

/// One endpoint's page.
pub fn endpoint_page(service: &Service, endpoint: &Endpoint) -> String {
    let text = |value: &str| {
        format!(
            "<span {}>{}</span>",
            language_attributes(&service.language),
            escape_html(value)
        )
    };
    let mut out = String::new();
    out.push_str(
        "<!DOCTYPE html>\n<!-- @generated by `cargo xtask publish`; do not edit by hand -->\n",
    );
    out.push_str("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>{} {} ({})</title>",
        escape_html(&service.id),
        escape_html(&endpoint.id),
        escape_html(&service.schema_version.to_string())
    );
    out.push_str(
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem}\
         table{border-collapse:collapse;margin-bottom:1.5rem}td,th{border:1px solid #ccc;\
         padding:.3rem .6rem;text-align:start;vertical-align:top}code{font-size:.95em}\
         .required{color:#a40000;font-weight:600}.optional{color:#555}\
         .depth1{padding-inline-start:1.6rem}.depth2{padding-inline-start:3.2rem}\
         .depth3{padding-inline-start:4.8rem}.depth4{padding-inline-start:6.4rem}</style>\n",
    );
    out.push_str("</head>\n<body>\n");
    let _ = writeln!(
        out,
        "<p><a href=\"../../../index.html\">All contracts</a></p>\n<h1>{} <small>(<code>{}/{}</code>, version {})</small></h1>",
        text(&endpoint.title),
        escape_html(&service.id),
        escape_html(&endpoint.id),
        escape_html(&service.schema_version.to_string())
    );
    let _ = writeln!(
        out,
        "<p><code>{} {}</code> on <code>{}</code>; success: status {}.</p>",
        escape_html(endpoint.method.as_str()),
        escape_html(&endpoint.path),
        escape_html(&service.base_url),
        escape_html(&endpoint.response.status.describe())
    );
    if let Some(summary) = &endpoint.summary {
        let _ = writeln!(out, "<p>{}</p>", text(summary));
    }
    if let Some(description) = &endpoint.description {
        let _ = writeln!(out, "<p>{}</p>", text(description));
    }
    let source = match &endpoint.source.url {
        Some(url) => format!(
            "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
            escape_html(url),
            escape_html(url)
        ),
        None => format!("<code>{}</code>", escape_html(&endpoint.source.page)),
    };
    let _ = writeln!(
        out,
        "<p>Written from the vendor's page {source}{}. Spec: <code>{}</code>.</p>",
        endpoint
            .source
            .section
            .as_ref()
            .map(|section| format!(", section {}", text(section)))
            .unwrap_or_default(),
        escape_html(&endpoint.spec_path)
    );
    for direction in Direction::BOTH {
        let Some(body) = endpoint.body(direction) else {
            continue;
        };
        let _ = writeln!(
            out,
            "<h2>{} body <small>(<code>{}</code>)</small></h2>",
            if direction == Direction::Request {
                "Request"
            } else {
                "Response"
            },
            escape_html(&body.content_type)
        );
        let schema_file = format!(
            "../../../{}/{}/{}.{}.json",
            service.id,
            service.schema_version,
            endpoint.id,
            direction.as_str()
        );
        let _ = writeln!(
            out,
            "<p>JSON Schema: <a href=\"{}\">{}.{}.json</a>. {}</p>",
            escape_html(&schema_file),
            escape_html(&endpoint.id),
            direction.as_str(),
            undocumented_note(&body.object)
        );
        out.push_str(
            "<table>\n<tr><th>field</th><th>type</th><th>required</th><th>notes</th></tr>\n",
        );
        render_fields(&mut out, &body.object, 0, &service.language);
        out.push_str("</table>\n");
    }
    let known: Vec<(String, &crate::model::KnownDiscrepancy)> = endpoint
        .examples
        .iter()
        .flat_map(|example| {
            Direction::BOTH.into_iter().filter_map(move |direction| {
                example
                    .payload(direction)
                    .map(|payload| (example, direction, payload))
            })
        })
        .flat_map(|(example, direction, payload)| {
            payload.known.iter().map(move |known| {
                (
                    format!("{} example `{}`", direction.as_str(), example.name),
                    known,
                )
            })
        })
        .collect();
    out.push_str("<h2>Known contradictions</h2>\n");
    if known.is_empty() {
        out.push_str("<p>None: the page's examples agree with its tables.</p>\n");
    } else {
        out.push_str(
            "<p>Where the page's examples contradict its tables (the tables are the contract).</p>\n\
             <table>\n<tr><th>example</th><th>where</th><th>rule</th><th>why</th><th>recorded at</th></tr>\n",
        );
        for (example, discrepancy) in known {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td dir=\"auto\">{}</td><td><code>{}</code></td></tr>",
                escape_html(&example),
                escape_html(if discrepancy.path.is_empty() {
                    "(body)"
                } else {
                    &discrepancy.path
                }),
                escape_html(discrepancy.rule.as_str()),
                escape_html(&discrepancy.reason),
                escape_html(&discrepancy.location.to_string())
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn undocumented_note(object: &Object) -> &'static str {
    match object.undocumented_fields {
        crate::model::UndocumentedFields::Forbid => "Fields the page does not list are refused.",
        crate::model::UndocumentedFields::Allow => {
            "Fields the page does not list are let through (and reported as warnings)."
        }
    }
}

/// One row per field, nested objects (and objects inside lists) indented under their field.
fn render_fields(out: &mut String, object: &Object, depth: usize, language: &str) {
    for field in &object.fields {
        let mut marks = if field.required {
            "<span class=\"required\">required</span>".to_owned()
        } else {
            "<span class=\"optional\">optional</span>".to_owned()
        };
        if field.nullable {
            marks.push_str(", may be null");
        }
        let mut notes = String::new();
        if let Some(description) = &field.description {
            let _ = write!(
                notes,
                "<span {}>{}</span>",
                language_attributes(language),
                escape_html(description)
            );
        }
        if let Some(see) = &field.see {
            let _ = write!(
                notes,
                " (see <span dir=\"auto\">{}</span>)",
                escape_html(see)
            );
        }
        if let Some(reference) = &field.reference {
            let _ = write!(
                notes,
                " (values: <span {}>{}</span>)",
                language_attributes(language),
                escape_html(&reference.title)
            );
        }
        let _ = writeln!(
            out,
            "<tr><td class=\"depth{}\"><code>{}</code></td><td>{}</td><td>{marks}</td><td>{notes}</td></tr>",
            depth.min(4),
            escape_html(&field.wire_name),
            type_text(&field.shape)
        );
        if let Some(nested) = nested_object(&field.shape) {
            render_fields(out, nested, depth + 1, language);
        }
    }
    if !object.at_least_one_of.is_empty() {
        for group in &object.at_least_one_of {
            let _ = writeln!(
                out,
                "<tr><td class=\"depth{}\" colspan=\"4\">at least one of: {}</td></tr>",
                depth.min(4),
                group
                    .iter()
                    .map(|name| format!("<code>{}</code>", escape_html(name)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
}

fn nested_object(shape: &Shape) -> Option<&Object> {
    match shape {
        Shape::Object(object) => Some(object),
        Shape::Array(items) => nested_object(&items.shape),
        _ => None,
    }
}

/// A shape in words: `string`, `date (YYYY-MM-DD)`, `list of object`, `one of: "a", "b"`.
fn type_text(shape: &Shape) -> String {
    match shape {
        Shape::String => "string".to_owned(),
        Shape::Integer => "integer".to_owned(),
        Shape::Number => "number".to_owned(),
        Shape::Boolean => "boolean".to_owned(),
        Shape::Date => "date (YYYY-MM-DD)".to_owned(),
        Shape::DateTime => "date-time (RFC 3339)".to_owned(),
        Shape::Email => "email".to_owned(),
        Shape::Any => "any JSON".to_owned(),
        Shape::Enum(enumeration) => format!(
            "one of: {}",
            enumeration
                .values
                .iter()
                .map(|value| format!("<code>{}</code>", escape_html(&value.wire)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Shape::Array(items) => format!(
            "list of {}{}",
            type_text(&items.shape),
            if items.nullable {
                " (items may be null)"
            } else {
                ""
            }
        ),
        Shape::Object(_) => "object".to_owned(),
        Shape::Recursive(name) => format!("{} (itself, nested)", escape_html(name)),
        Shape::Union(union) => union
            .variants
            .iter()
            .map(|variant| type_text(&variant.shape))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}
