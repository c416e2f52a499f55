//! A page's reading and the import options in, the spec draft out: YAML text the loader reads,
//! every guess on a `# draft:` line, the example files byte for byte, and the summary of what
//! a person must decide. Keys of the newer spec format are written as keys or, with
//! `DraftFeatures::spec_format_additions` off, as `# draft:` lines.

use crate::spec::UndocumentedFields;

use super::{
    DraftBody, DraftField, DraftType, EndpointReading, ExampleFile, ExampleReading, ImportOptions,
    KnownReading, PageFormat, StatusReading,
};

/// The most lines the summary has; the draft's `# draft:` lines carry the rest.
pub(crate) const MAX_SUMMARY_LINES: usize = 100;

/// Lines of YAML being written.
struct Yaml {
    out: String,
    /// Summary lines found while writing (names a person must give).
    decisions: Vec<String>,
}

impl Yaml {
    fn line(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn draft(&mut self, indent: usize, text: &str) {
        for (index, line) in text.lines().enumerate() {
            let mark = if index == 0 { "# draft: " } else { "#   " };
            self.line(indent, &format!("{mark}{line}"));
        }
    }

    fn key(&mut self, indent: usize, key: &str, value: &str) {
        self.line(indent, &format!("{}: {value}", scalar(key)));
    }
}

/// `text` as a YAML scalar: plain where that reads back as the same string, double-quoted
/// otherwise.
pub(crate) fn scalar(text: &str) -> String {
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-'))
        && !text.starts_with(['-', '.'])
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str());
    if plain {
        return text.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                quoted.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The draft's text, its example files and the summary.
pub fn render(
    reading: &EndpointReading,
    options: &ImportOptions,
    format: PageFormat,
) -> (String, Vec<ExampleFile>, Vec<String>) {
    let additions = options.features.spec_format_additions;
    let mut summary = reading.summary.clone();
    let mut yaml = Yaml {
        out: String::new(),
        decisions: Vec::new(),
    };
    yaml.line(
        0,
        "# yaml-language-server: $schema=../../generated/spec-format/endpoint.schema.json",
    );
    yaml.draft(
        0,
        &format!(
            "written by `cargo xtask import` from {} ({} page). Review every `# draft:` line,\nthen delete it; the summary the command printed lists what to decide.",
            options.page_path,
            format.as_str()
        ),
    );
    yaml.key(0, "id", &scalar(&options.endpoint_id));
    match &reading.title {
        Some(title) => yaml.key(0, "title", &scalar(title)),
        None => {
            yaml.draft(0, "the page has no title: the endpoint id stands in");
            yaml.key(0, "title", &scalar(&options.endpoint_id));
            summary.push("the page has no title: write one".to_owned());
        }
    }
    if let Some(description) = &reading.description {
        yaml.draft(0, "the page's first paragraph");
        yaml.key(0, "description", &scalar(description));
    }
    yaml.line(0, "source:");
    yaml.key(2, "page", &scalar(&options.page_path));
    if let Some(url) = &options.url {
        yaml.key(2, "url", &scalar(url));
    }
    if let Some(section) = &reading.section {
        yaml.key(2, "section", &scalar(section));
    }
    yaml.key(0, "method", &reading.method);
    yaml.key(0, "path", &scalar(&reading.path));
    let effect = if matches!(reading.method.as_str(), "GET" | "HEAD") {
        "read"
    } else {
        "write"
    };
    let effect_note = format!(
        "from the method {}: a call that only reads (a search by POST) is `read`",
        reading.method
    );
    if additions {
        yaml.draft(0, &effect_note);
        yaml.key(0, "effect", effect);
    } else {
        yaml.draft(
            0,
            &format!("effect: {effect} ({effect_note}; needs the spec format's `effect` key)"),
        );
    }

    // The request.
    let has_request = reading.request.is_some();
    if let Some(body) = &reading.request {
        yaml.line(0, "request:");
        request_extras(&mut yaml, reading, additions, &mut summary);
        if !reading.request_from_table {
            yaml.draft(
                2,
                "the page has no table for the request: its fields are read off the example",
            );
        } else if body.fields.iter().all(|field| field.required.is_none()) {
            yaml.draft(
                2,
                "the table has no required column: no field is marked required",
            );
            summary.push(
                "the request table has no required column: mark the required fields".to_owned(),
            );
        }
        write_body(&mut yaml, 2, body, additions);
    } else if !reading.headers.is_empty() || reading.media_type.is_some() {
        let names: Vec<&str> = reading
            .headers
            .iter()
            .map(|header| header.name.as_str())
            .collect();
        yaml.draft(
            0,
            &format!(
                "the page shows headers ({}) but no request body",
                names.join(", ")
            ),
        );
    }

    // The response.
    yaml.line(0, "response:");
    match &reading.status {
        StatusReading::Code(code, from) => {
            yaml.draft(2, &format!("the status from \"{from}\""));
            yaml.key(2, "status", &code.to_string());
        }
        StatusReading::Undocumented => {
            yaml.line(2, "status:");
            yaml.key(4, "undocumented", "2XX");
            yaml.key(4, "note", "the page does not state the HTTP status");
            summary.push(
                "the page does not state the response status: `undocumented: 2XX` stands in"
                    .to_owned(),
            );
        }
    }
    if !reading.response_from_table && !reading.response.fields.is_empty() {
        yaml.draft(2, "the page has no table for the response: its fields are read off the example,\neach marked required as the example sends it");
    }
    write_body(&mut yaml, 2, &reading.response, additions);

    // The examples.
    let id = &options.endpoint_id;
    let mut files = Vec::new();
    let request_examples: &[ExampleReading] = if has_request {
        &reading.request_examples
    } else {
        &[]
    };
    if !has_request && !reading.request_examples.is_empty() {
        summary.push(
            "the page shows a request example but the draft has no request body: it is not written"
                .to_owned(),
        );
    }
    let count = request_examples.len().max(reading.response_examples.len());
    if count > 0 {
        yaml.line(0, "examples:");
    }
    for index in 0..count {
        let name = if index == 0 {
            "page".to_owned()
        } else {
            format!("page-{}", index + 1)
        };
        let stem = if index == 0 {
            id.clone()
        } else {
            format!("{id}.{}", index + 1)
        };
        yaml.line(2, &format!("- name: {}", scalar(&name)));
        let request = request_examples.get(index);
        let response = reading.response_examples.get(index);
        if let Some(title) = request
            .or(response)
            .and_then(|example| example.title.as_ref())
        {
            yaml.key(4, "title", &scalar(title));
        }
        for (direction, example, known) in [
            ("request", request, reading.request_known.get(index)),
            ("response", response, reading.response_known.get(index)),
        ] {
            let Some(example) = example else { continue };
            let extension = if example.is_json { "json" } else { "txt" };
            let file_name = format!("{stem}.{direction}.{extension}");
            files.push(ExampleFile {
                file_name: file_name.clone(),
                bytes: example.text.clone().into_bytes(),
            });
            if !example.is_json && !additions {
                yaml.draft(4, &format!("{direction}: examples/{file_name} is not JSON; naming it needs the spec format's `.txt` examples"));
                summary.push(format!("the {direction} example is not JSON: kept as examples/{file_name}, not named in the draft"));
                continue;
            }
            yaml.line(4, &format!("{direction}:"));
            yaml.key(6, "file", &scalar(&format!("examples/{file_name}")));
            if !example.headers.is_empty() {
                if additions {
                    yaml.draft(
                        6,
                        "the headers the page's curl sends with it (credentials left out)",
                    );
                    yaml.line(6, "headers:");
                    for (name, value) in &example.headers {
                        yaml.key(8, name, &scalar(value));
                    }
                } else {
                    let listed: Vec<String> = example
                        .headers
                        .iter()
                        .map(|(name, value)| format!("{name}: {value}"))
                        .collect();
                    yaml.draft(
                        6,
                        &format!(
                            "the page's curl sends {} (needs the spec format's example `headers`)",
                            listed.join(", ")
                        ),
                    );
                }
            }
            let mut entries: Vec<KnownReading> = known.cloned().unwrap_or_default();
            if !example.is_json {
                entries.insert(
                    0,
                    KnownReading {
                        path: String::new(),
                        rule: crate::spec::Rule::NotJson,
                        reason: format!(
                            "the page's example is not JSON: {}",
                            example.json_error.as_deref().unwrap_or("it does not parse")
                        ),
                    },
                );
                summary.push(format!(
                    "the {direction} example is not JSON: kept as examples/{file_name}"
                ));
            }
            if !entries.is_empty() {
                yaml.draft(
                    6,
                    "the example contradicts the table here: confirm each entry",
                );
                summary.push(format!(
                    "{} contradiction{} between the table and the {direction} example written as `known`: confirm each",
                    entries.len(),
                    if entries.len() == 1 { "" } else { "s" }
                ));
                yaml.line(6, "known:");
                for entry in entries {
                    yaml.line(8, &format!("- path: {}", scalar_path(&entry.path)));
                    yaml.key(10, "rule", entry.rule.as_str());
                    yaml.key(10, "reason", &scalar(&entry.reason));
                }
            }
        }
    }

    // Field-level decisions.
    let mut decisions = Vec::new();
    if let Some(body) = &reading.request {
        collect_decisions("request", body, &mut decisions);
    }
    collect_decisions("response", &reading.response, &mut decisions);
    summary.extend(decisions);
    summary.append(&mut yaml.decisions);
    if summary.len() > MAX_SUMMARY_LINES {
        let more = summary.len() - MAX_SUMMARY_LINES;
        summary.truncate(MAX_SUMMARY_LINES);
        summary.push(format!(
            "… and {more} more: see the draft's `# draft:` lines"
        ));
    }
    (yaml.out, files, summary)
}

/// A JSON Pointer as a YAML scalar (`""` for the whole body).
fn scalar_path(path: &str) -> String {
    if path.is_empty() {
        "\"\"".to_owned()
    } else {
        scalar(path)
    }
}

fn request_extras(
    yaml: &mut Yaml,
    reading: &EndpointReading,
    additions: bool,
    summary: &mut Vec<String>,
) {
    if let Some(media_type) = &reading.media_type {
        if additions {
            yaml.key(2, "media_type", &scalar(media_type));
        } else {
            yaml.draft(2, &format!("media_type: {media_type} (the page's; needs the spec format's `media_type` key)"));
        }
    }
    if reading.headers.is_empty() {
        return;
    }
    let auth_like: Vec<&str> = reading
        .headers
        .iter()
        .map(|header| header.name.as_str())
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            lower == "authorization" || lower.contains("key") || lower.contains("token")
        })
        .collect();
    if !auth_like.is_empty() {
        summary.push(format!(
            "header{} {} may be the service's credential (service.yaml `auth`): keep or drop",
            if auth_like.len() == 1 { "" } else { "s" },
            auth_like.join(", ")
        ));
    }
    if additions {
        yaml.line(2, "headers:");
        for header in &reading.headers {
            yaml.line(4, &format!("{}:", scalar(&header.name)));
            match header.required {
                Some(required) => yaml.key(6, "required", if required { "true" } else { "false" }),
                None => yaml.draft(6, "shown in the request block or curl; the page does not say whether it is required"),
            }
            if let Some(description) = &header.description {
                yaml.key(6, "description", &scalar(description));
            }
            if header.required.is_none() && header.description.is_none() {
                yaml.key(6, "required", "false");
            }
        }
    } else {
        for header in &reading.headers {
            let required = match header.required {
                Some(true) => ", required",
                _ => "",
            };
            let description = header
                .description
                .as_deref()
                .map(|text| format!(": {text}"))
                .unwrap_or_default();
            yaml.draft(
                2,
                &format!(
                    "header {}{required}{description} (needs the spec format's `headers` key)",
                    header.name
                ),
            );
        }
    }
}

fn write_body(yaml: &mut Yaml, indent: usize, body: &DraftBody, additions: bool) {
    yaml.key(
        indent,
        "undocumented_fields",
        undocumented(body.undocumented),
    );
    if body.fields.is_empty() {
        yaml.key(indent, "fields", "{}");
        return;
    }
    yaml.line(indent, "fields:");
    let mut wire_names: Vec<&str> = Vec::new();
    let mut rust_names: Vec<String> = Vec::new();
    for (index, field) in body.fields.iter().enumerate() {
        if wire_names.contains(&field.name.as_str()) {
            yaml.draft(
                indent + 2,
                &format!(
                    "the table lists `{}` a second time: only its first row is kept",
                    field.name
                ),
            );
            yaml.decisions.push(format!(
                "`{}` is listed twice: only the first row is drafted",
                field.name
            ));
            continue;
        }
        wire_names.push(&field.name);
        // The loader needs a Rust name for every field: where the wire name makes none, or
        // one an earlier field took, a stand-in is drafted for a person to name.
        let derived = crate::names::snake_case(&field.name);
        let stand_in = match &derived {
            Some(rust)
                if !rust_names.contains(rust)
                    && rust != crate::model::UNLISTED_FIELDS_RUST_NAME =>
            {
                None
            }
            Some(rust) => Some(format!("{rust}_{}", index + 1)),
            None => Some(format!("field_{}", index + 1)),
        };
        if let Some(rust) = &stand_in {
            yaml.decisions.push(format!(
                "`{}` makes no Rust field name of its own: `{rust}` stands in, name it",
                field.name
            ));
        }
        rust_names.push(stand_in.clone().or(derived).unwrap_or_default());
        write_field(yaml, indent + 2, field, additions, stand_in.as_deref());
    }
}

fn undocumented(value: UndocumentedFields) -> &'static str {
    match value {
        UndocumentedFields::Forbid => "forbid",
        UndocumentedFields::Allow => "allow",
    }
}

fn write_field(
    yaml: &mut Yaml,
    indent: usize,
    field: &DraftField,
    additions: bool,
    rust_name: Option<&str>,
) {
    yaml.line(indent, &format!("{}:", scalar(&field.name)));
    let inner = indent + 2;
    for comment in &field.comments {
        yaml.draft(inner, comment);
    }
    if let Some(rust_name) = rust_name {
        yaml.draft(
            inner,
            "the wire name makes no Rust field name of its own (or another took it): name it",
        );
        yaml.key(inner, "rust_name", rust_name);
    }
    write_type(yaml, inner, &field.ty, additions);
    if field.required == Some(true) {
        yaml.key(inner, "required", "true");
    }
    if let Some(description) = &field.description {
        yaml.key(inner, "description", &scalar(description));
    }
    if field.from_example {
        yaml.key(inner, "documented_in", "example");
    }
    if let Some((title, page)) = &field.reference {
        yaml.line(inner, "reference:");
        yaml.key(inner + 2, "title", &scalar(title));
        yaml.key(inner + 2, "page", &scalar(page));
    }
    if let Some(see) = &field.see {
        yaml.key(inner, "see", &scalar(see));
    }
    if let Some(default) = &field.default {
        if additions {
            yaml.key(inner, "default", default);
        } else {
            yaml.draft(
                inner,
                &format!("default: {default} (needs the spec format's `default` key)"),
            );
        }
    }
}

/// `type:` and what the type takes (`values`, `items`, `fields`, `variants`) at `indent`.
fn write_type(yaml: &mut Yaml, indent: usize, ty: &DraftType, additions: bool) {
    // Enum values without an ASCII Rust name need one each: with the newer keys a stand-in,
    // without them the field stays a string.
    if let DraftType::Enum(values) = ty
        && values
            .iter()
            .any(|value| crate::names::pascal_case(value).is_none())
    {
        let listed = values.join(", ");
        yaml.decisions
            .push(format!("the values {listed} make no Rust names: name each"));
        if !additions {
            yaml.draft(indent, &format!("an enum of {listed}: its values make no Rust names, which needs the spec format's `{{value, rust_name}}` entries"));
            yaml.key(indent, "type", "string");
            return;
        }
        yaml.key(indent, "type", "enum");
        yaml.draft(
            indent,
            "the values make no Rust names: `Value1`… stand in, name each",
        );
        yaml.line(indent, "values:");
        for (index, value) in values.iter().enumerate() {
            let rust =
                crate::names::pascal_case(value).unwrap_or_else(|| format!("Value{}", index + 1));
            yaml.line(
                indent + 2,
                &format!("- {{value: {}, rust_name: {rust}}}", scalar(value)),
            );
        }
        return;
    }
    yaml.key(indent, "type", ty.spec_name());
    match ty {
        DraftType::Enum(values) => {
            yaml.line(indent, "values:");
            for value in values {
                yaml.line(indent + 2, &format!("- {}", scalar(value)));
            }
        }
        DraftType::Array(items) => {
            yaml.line(indent, "items:");
            write_type(yaml, indent + 2, items, additions);
        }
        DraftType::Object(body) => write_body(yaml, indent, body, additions),
        DraftType::Union(variants) => {
            yaml.line(indent, "variants:");
            for variant in variants {
                let mut inner = Yaml {
                    out: String::new(),
                    decisions: Vec::new(),
                };
                write_type(&mut inner, indent + 2, variant, additions);
                let mut lines = inner.out.lines();
                if let Some(first) = lines.next() {
                    yaml.line(indent, &format!("- {}", first.trim_start()));
                }
                for line in lines {
                    yaml.out.push_str(line);
                    yaml.out.push('\n');
                }
            }
        }
        DraftType::Unknown(word) if !word.is_empty() => {}
        _ => {}
    }
}

/// The fields' guesses a person must decide, as summary lines.
fn collect_decisions(direction: &str, body: &DraftBody, out: &mut Vec<String>) {
    for field in &body.fields {
        for comment in &field.comments {
            let decide = comment.contains("decide") || comment.starts_with("unknown");
            if decide {
                out.push(format!("{direction} field `{}`: {comment}", field.name));
            }
        }
        let nested = match &field.ty {
            DraftType::Object(inner) => Some(inner),
            DraftType::Array(items) => match &**items {
                DraftType::Object(inner) => Some(inner),
                _ => None,
            },
            _ => None,
        };
        if let Some(inner) = nested {
            collect_decisions(&format!("{direction} `{}`", field.name), inner, out);
        }
    }
}
