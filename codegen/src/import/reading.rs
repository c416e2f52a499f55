//! A page's blocks (headings, tables, code, text) in, what the page says about one endpoint out:
//! title, section, request line, header table, request and response fields (tables first,
//! examples failing that), examples with their bytes, the response status, the contradictions
//! between tables and examples, and what a person must decide.

use serde_json::Value;

use crate::spec::UndocumentedFields;

use super::type_words::{self, ColumnRole};
use super::{
    DraftBody, DraftField, DraftType, EndpointReading, ExampleReading, HeaderReading, ImportError,
    StatusReading, contradictions, fields, request_block,
};

/// A piece of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading (level 1 to 6).
    Heading {
        /// Its level.
        level: u8,
        /// Its text.
        text: String,
    },
    /// A table.
    Table(RawTable),
    /// A code block: its exact bytes, and the title and language its fence gives.
    Code {
        /// The fence's `title="…"`.
        title: Option<String>,
        /// The fence's language (`json`, `text`, `bash`), lower case.
        language: Option<String>,
        /// The block's bytes.
        text: String,
    },
    /// A line of text.
    Text(String),
}

/// A table's cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    /// The header row.
    pub header: Vec<String>,
    /// The body rows.
    pub rows: Vec<Vec<String>>,
}

/// Words that mark a heading, title or line as about the response, lower case.
const RESPONSE_WORDS: &[&str] = &[
    "response",
    "respon",
    "phản hồi",
    "trả về",
    "kết quả",
    "תגובה",
    "תשובה",
    "החזר",
    "output",
    "returns",
];
/// Words that mark a heading, title or line as about the request, lower case.
const REQUEST_WORDS: &[&str] = &[
    "request",
    "body",
    "yêu cầu",
    "tham số",
    "בקשה",
    "גוף",
    "input",
    "payload",
    "attributes",
];
/// Words that mark a table as the headers' table, lower case.
const HEADER_WORDS: &[&str] = &["header", "כותר", "tiêu đề"];

fn mentions(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    words.iter().any(|word| lower.contains(word))
}

/// A table with its columns' roles and the text above it.
struct FieldTable {
    context: String,
    roles: Vec<ColumnRole>,
    rows: Vec<Vec<String>>,
}

enum Role {
    Request,
    Response,
}

/// What the page says, from its blocks.
pub fn read(blocks: &[Block]) -> Result<EndpointReading, ImportError> {
    let mut summary = Vec::new();
    let title = blocks.iter().find_map(|block| match block {
        Block::Heading { level: 1, text } => Some(text.clone()),
        _ => None,
    });
    let description = blocks
        .iter()
        .position(|block| matches!(block, Block::Heading { level: 1, .. }))
        .and_then(|at| match blocks.get(at + 1) {
            // A short line is a heading the page's shape does not mark (rendered text).
            Some(Block::Text(text)) if text.chars().count() >= 25 => Some(text.clone()),
            _ => None,
        });

    // The request line, and the heading above it.
    let mut line = request_block::RequestLine::default();
    let mut section = None;
    let mut heading: Option<String> = None;
    let mut curl_bodies = Vec::new();
    for block in blocks {
        match block {
            Block::Heading { text, level } if *level > 1 => {
                // `## PUT /v3/invoices/{id}`: a heading can be the request line itself.
                let had = line.method.is_some() || line.url.is_some();
                request_block::read_text_line(text, &mut line);
                if had || (line.method.is_none() && line.url.is_none()) {
                    heading = Some(text.clone());
                }
            }
            Block::Text(text) => {
                let had = line.method.is_some() || line.url.is_some();
                request_block::read_text_line(text, &mut line);
                if !had && (line.method.is_some() || line.url.is_some()) {
                    section = heading.clone();
                }
            }
            Block::Code { text, .. } => {
                let had = line.method.is_some() || line.url.is_some();
                if let Some(body) = request_block::read_curl(text, &mut line) {
                    // This command's own headers, for its example.
                    let mut own = request_block::RequestLine::default();
                    request_block::read_curl(text, &mut own);
                    let mut headers = Vec::new();
                    if let Some(media_type) = own.media_type {
                        headers.push(("Content-Type".to_owned(), media_type));
                    }
                    headers.extend(
                        own.headers
                            .into_iter()
                            .filter(|(name, _)| !is_credential_header(name)),
                    );
                    curl_bodies.push((text.clone(), body, headers));
                }
                if !had && (line.method.is_some() || line.url.is_some()) {
                    section = heading.clone();
                }
            }
            _ => {}
        }
    }
    let method = line.method.clone().ok_or(ImportError::NoRequestLine)?;
    let path = line
        .url
        .as_deref()
        .and_then(request_block::path_of)
        .ok_or(ImportError::NoRequestLine)?;

    // Tables and examples, each with the text above it.
    let mut tables = Vec::new();
    let mut header_rows: Vec<HeaderReading> = Vec::new();
    let mut request_examples = Vec::new();
    let mut response_examples = Vec::new();
    let mut status = StatusReading::Undocumented;
    // `label`: the last heading or short line (a heading the shape does not mark); `previous`:
    // the line just before, when nothing else came between (a rendered code block's title).
    let mut label = String::new();
    let mut previous: Option<String> = None;
    for block in blocks {
        match block {
            Block::Heading { text, .. } => {
                label = text.clone();
                previous = None;
            }
            Block::Text(text) => {
                if text.chars().count() < 60 && !text.trim_end_matches(':').contains(": ") {
                    label = text.clone();
                }
                previous = Some(text.clone());
                if let (StatusReading::Undocumented, Some(found)) = (&status, status_in(text)) {
                    status = found;
                }
            }
            Block::Table(table) => {
                previous = None;
                let roles: Vec<Option<ColumnRole>> = table
                    .header
                    .iter()
                    .map(|cell| type_words::column_role(cell))
                    .collect();
                if !roles.contains(&Some(ColumnRole::Name)) {
                    continue;
                }
                let roles: Vec<ColumnRole> = roles
                    .into_iter()
                    .map(|role| role.unwrap_or(ColumnRole::Ignored))
                    .collect();
                if mentions(&label, HEADER_WORDS) {
                    for row in &table.rows {
                        if let Some(field) = fields::field_from_row(row, &roles) {
                            header_rows.push(HeaderReading {
                                name: field.name,
                                required: field.required,
                                description: field.description,
                            });
                        }
                    }
                } else {
                    tables.push(FieldTable {
                        context: label.clone(),
                        roles,
                        rows: table.rows.clone(),
                    });
                }
            }
            Block::Code {
                title,
                language,
                text,
            } => {
                let label = title
                    .clone()
                    .or_else(|| previous.take())
                    .unwrap_or_else(|| label.clone());
                if let (StatusReading::Undocumented, Some(found)) = (&status, status_in(&label)) {
                    status = found;
                }
                if let Some((_, body, headers)) =
                    curl_bodies.iter().find(|(command, _, _)| command == text)
                {
                    let mut reading = example(title.clone(), body.clone());
                    reading.headers = headers.clone();
                    request_examples.push(reading);
                    continue;
                }
                let trimmed = text.trim_start();
                let json_like = trimmed.starts_with('{') || trimmed.starts_with('[');
                if !json_like && !is_text_example(language.as_deref(), trimmed, &label) {
                    continue;
                }
                let reading = example(title.clone(), text.clone());
                if mentions(&label, RESPONSE_WORDS) {
                    response_examples.push(reading);
                } else if mentions(&label, REQUEST_WORDS)
                    || (request_examples.is_empty()
                        && method != "GET"
                        && response_examples.is_empty())
                {
                    request_examples.push(reading);
                } else {
                    response_examples.push(reading);
                }
            }
        }
    }

    let parse = |examples: &[ExampleReading]| -> Option<Value> {
        examples
            .iter()
            .find(|example| example.is_json)
            .and_then(|example| serde_json::from_str(&example.text).ok())
    };
    let request_value = parse(&request_examples);
    let response_value = parse(&response_examples);

    // Which table is which: the words above it, else the example its names match.
    let mut request_table: Option<Vec<DraftField>> = None;
    let mut response_table: Option<Vec<DraftField>> = None;
    let mut extra_tables = Vec::new();
    for table in tables {
        let rows: Vec<DraftField> = table
            .rows
            .iter()
            .filter_map(|row| fields::field_from_row(row, &table.roles))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let overlap = |value: &Option<Value>| {
            value
                .as_ref()
                .and_then(Value::as_object)
                .map_or(0, |object| {
                    rows.iter()
                        .filter(|field| object.contains_key(&field.name))
                        .count()
                })
        };
        let role = if mentions(&table.context, RESPONSE_WORDS)
            || overlap(&response_value) > overlap(&request_value)
        {
            Role::Response
        } else if mentions(&table.context, REQUEST_WORDS) || request_table.is_none() {
            Role::Request
        } else {
            Role::Response
        };
        let slot = match role {
            Role::Request => &mut request_table,
            Role::Response => &mut response_table,
        };
        if slot.is_none() {
            *slot = Some(rows);
        } else {
            extra_tables.push((table.context, rows));
        }
    }
    // A further table whose heading names an object or list field gives that field's members.
    for (context, rows) in extra_tables {
        let target = [request_table.as_mut(), response_table.as_mut()]
            .into_iter()
            .flatten()
            .flat_map(|fields| fields.iter_mut())
            .find(|field| {
                context
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|word| word == field.name)
            });
        match target {
            Some(field) => attach_members(field, rows),
            None => summary.push(format!(
                "a further table under \"{context}\" is not read: it names no field of the request or response"
            )),
        }
    }

    // The request body.
    let request_from_table = request_table.is_some();
    let request = match request_table {
        Some(rows) => {
            let mut body = DraftBody { fields: rows, undocumented: UndocumentedFields::Forbid };
            complete_from_example(&mut body.fields, request_value.as_ref(), UndocumentedFields::Forbid, &[]);
            Some(body)
        }
        None => request_value.as_ref().and_then(Value::as_object).map(|object| {
            summary.push("the request's fields are read off its example (no table): review each type and required mark".to_owned());
            DraftBody {
                fields: fields::fields_from_example(object, false, &[]),
                undocumented: UndocumentedFields::Allow,
            }
        }),
    };
    let request_fields: Vec<DraftField> = request
        .as_ref()
        .map(|body| body.fields.clone())
        .unwrap_or_default();

    // The response body.
    let response_from_table = response_table.is_some();
    let response = match response_table {
        Some(rows) => {
            let mut body = DraftBody {
                fields: rows,
                undocumented: UndocumentedFields::Allow,
            };
            complete_from_example(
                &mut body.fields,
                response_value.as_ref(),
                UndocumentedFields::Allow,
                &request_fields,
            );
            body
        }
        None => match response_value.as_ref().and_then(Value::as_object) {
            Some(object) => {
                summary.push("the response's fields are read off its example (no table): each is marked required as the example sends it; review".to_owned());
                DraftBody {
                    fields: fields::fields_from_example(object, true, &request_fields),
                    undocumented: UndocumentedFields::Allow,
                }
            }
            None => {
                summary.push("the page documents no response body: write its fields".to_owned());
                DraftBody {
                    fields: Vec::new(),
                    undocumented: UndocumentedFields::Allow,
                }
            }
        },
    };

    // Contradictions between tables and examples.
    let known_of =
        |examples: &[ExampleReading], body: Option<&DraftBody>| -> Vec<Vec<super::KnownReading>> {
            examples
                .iter()
                .map(
                    |example| match (body, serde_json::from_str::<Value>(&example.text)) {
                        (Some(body), Ok(value)) => contradictions::check(&value, body),
                        _ => Vec::new(),
                    },
                )
                .collect()
        };
    let request_known = if request_from_table {
        known_of(&request_examples, request.as_ref())
    } else {
        vec![Vec::new(); request_examples.len()]
    };
    let response_known = if response_from_table {
        known_of(&response_examples, Some(&response))
    } else {
        vec![Vec::new(); response_examples.len()]
    };

    // Headers: the table's rows, else what the block and curl show.
    let mut headers = header_rows;
    if headers.is_empty() {
        for (name, _) in &line.headers {
            headers.push(HeaderReading {
                name: name.clone(),
                required: None,
                description: None,
            });
        }
    }

    Ok(EndpointReading {
        title,
        description,
        section,
        method,
        path,
        media_type: line.media_type,
        headers,
        request,
        request_from_table,
        response,
        response_from_table,
        status,
        request_examples,
        response_examples,
        request_known,
        response_known,
        summary,
    })
}

/// Whether a code block that does not look like JSON is an example payload: a text, XML, HTML
/// or form body under a request or response label, not a command.
fn is_text_example(language: Option<&str>, text: &str, label: &str) -> bool {
    const TEXT_LANGUAGES: &[&str] = &["text", "txt", "plain", "plaintext", "xml", "html", "csv"];
    const COMMANDS: &[&str] = &[
        "curl", "wget", "http", "get ", "post ", "put ", "patch ", "delete ", "$ ",
    ];
    let language_fits = language.is_none_or(|language| TEXT_LANGUAGES.contains(&language));
    let lower = text.to_lowercase();
    let command = COMMANDS.iter().any(|command| lower.starts_with(command));
    language_fits
        && !command
        && !text.is_empty()
        && (mentions(label, RESPONSE_WORDS) || mentions(label, REQUEST_WORDS))
}

/// Whether a header carries a credential: its value is never written anywhere.
pub(crate) fn is_credential_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "authorization",
        "cookie",
        "key",
        "token",
        "secret",
        "password",
        "auth",
        "signature",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn example(title: Option<String>, text: String) -> ExampleReading {
    let json_error = serde_json::from_str::<Value>(&text)
        .err()
        .map(|error| error.to_string());
    ExampleReading {
        title,
        headers: Vec::new(),
        is_json: json_error.is_none(),
        json_error,
        text,
    }
}

/// A status code in a line: `Status Code: 201 Created`, `HTTP/1.1 200 OK`, `status: 201`.
fn status_in(text: &str) -> Option<StatusReading> {
    let lower = text.to_lowercase();
    // A title that is the status line itself: `200 OK`, `201 Created`.
    let leading: String = lower
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let after = lower.trim()[leading.len()..].chars().next();
    if leading.len() == 3
        && after.is_none_or(|c| c == ' ')
        && let Ok(number @ 100..=599) = leading.parse::<u16>()
    {
        return Some(StatusReading::Code(number, text.trim().to_owned()));
    }
    // A response label with one code in it: `Response 202`, `Phản hồi (200)`.
    if mentions(&lower, RESPONSE_WORDS) {
        let codes: Vec<u16> = lower
            .split(|c: char| !c.is_ascii_digit())
            .filter(|word| word.len() == 3)
            .filter_map(|word| word.parse().ok())
            .filter(|code| (100..600).contains(code))
            .collect();
        if let [code] = codes.as_slice() {
            return Some(StatusReading::Code(*code, text.trim().to_owned()));
        }
    }
    let at = [
        "status code",
        "http/1.1",
        "http/2",
        "mã trạng thái",
        "קוד סטטוס",
        "status",
    ]
    .iter()
    .find_map(|word| lower.find(word).map(|at| at + word.len()))?;
    let rest = lower[at..].trim_start_matches([':', ' ', '-', '=']);
    let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let number: u16 = code.parse().ok()?;
    ((100..600).contains(&number) && code.len() == 3)
        .then(|| StatusReading::Code(number, text.trim().to_owned()))
}

/// Gives an object or list field the members of a table of its own.
fn attach_members(field: &mut DraftField, rows: Vec<DraftField>) {
    let body = DraftBody {
        fields: rows,
        undocumented: UndocumentedFields::Allow,
    };
    match &mut field.ty {
        DraftType::Array(items) => **items = DraftType::Object(body),
        _ => field.ty = DraftType::Object(body),
    }
    field
        .comments
        .push("members from a table of their own below".to_owned());
}

/// Where a table says only "list", "List Object" or "Object", the items or members are read off
/// the example and marked as such.
fn complete_from_example(
    fields: &mut [DraftField],
    example: Option<&Value>,
    undocumented: UndocumentedFields,
    request_fields: &[DraftField],
) {
    let Some(object) = example.and_then(Value::as_object) else {
        return;
    };
    for field in fields {
        let Some(value) = object.get(&field.name) else {
            continue;
        };
        match (&mut field.ty, value) {
            (DraftType::Object(body), Value::Object(members)) if body.fields.is_empty() => {
                body.fields = fields::fields_from_example(members, false, request_fields);
                body.undocumented = undocumented;
                field.comments.push(
                    "its members are read off the page's example; none is marked required"
                        .to_owned(),
                );
            }
            (DraftType::Array(items), Value::Array(values))
                if is_open(items) && !values.is_empty() =>
            {
                let mut read = fields::items_type(values);
                if let DraftType::Object(body) = &mut read {
                    body.undocumented = undocumented;
                    for member in &mut body.fields {
                        member.from_example = true;
                    }
                    field.comments.push("the items' members are read off the page's example; a member in every item is marked required".to_owned());
                } else {
                    field.comments.push(format!(
                        "the items' type `{}` is read off the page's example",
                        read.spec_name()
                    ));
                }
                **items = read;
            }
            _ => {}
        }
    }
}

/// Whether a list's item type leaves its shape to the example: `any`, or an object without
/// members (`List Object`).
fn is_open(items: &DraftType) -> bool {
    match items {
        DraftType::Any => true,
        DraftType::Object(body) => body.fields.is_empty(),
        _ => false,
    }
}
