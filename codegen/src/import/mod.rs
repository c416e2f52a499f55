//! A vendor's docs page (text) and import options in, a spec draft out: the draft's YAML text,
//! the page's example payloads byte for byte, and a summary of what a person must decide. Also
//! the drift check: a page's reading against an existing spec. Pure: the caller reads and writes.
//!
//! The stages: `detect` (which shape the page has) → `markdown` / `html` / `rendered` (the page
//! as blocks: headings, tables, code, text) → `reading` (request block, tables and examples
//! found) → `fields` (table rows and example values as draft fields, with `type_words` and
//! `notes`) → `contradictions` (the examples against the tables) → `draft` (YAML text);
//! `drift` compares the same reading with a loaded spec.

pub mod contradictions;
pub mod detect;
pub mod draft;
pub mod drift;
pub mod fields;
pub mod html;
pub mod markdown;
pub mod notes;
pub mod reading;
pub mod rendered;
pub mod request_block;
pub mod type_words;

use crate::spec::{FieldType, Rule, UndocumentedFields};

/// Largest page the importer reads; docs pages are tens of kilobytes.
pub const MAX_PAGE_BYTES: usize = 8 << 20;

/// The shapes a saved page comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    /// Markdown (Docusaurus, GitBook): pipe tables or HTML `<table>`s, fenced code.
    Markdown,
    /// An HTML document: `<h1>`…, `<table>`, `<pre>`.
    Html,
    /// Text copied from a browser: every table cell on its own line, empty cells gone.
    Rendered,
}

impl PageFormat {
    /// The name the command line and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            PageFormat::Markdown => "markdown",
            PageFormat::Html => "html",
            PageFormat::Rendered => "rendered",
        }
    }

    /// The format named `name` (`markdown`, `html`, `rendered`).
    pub fn from_name(name: &str) -> Option<PageFormat> {
        match name {
            "markdown" | "md" => Some(PageFormat::Markdown),
            "html" => Some(PageFormat::Html),
            "rendered" | "text" => Some(PageFormat::Rendered),
            _ => None,
        }
    }
}

/// Which of the spec format's newer keys the draft writes as keys. Off, each is written as a
/// `# draft:` comment instead, so the draft loads with a loader that does not know them yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftFeatures {
    /// `default`, `effect`, `media_type` and `headers` (the spec format additions of issue 10).
    pub spec_format_additions: bool,
}

impl Default for DraftFeatures {
    fn default() -> Self {
        DraftFeatures {
            spec_format_additions: true,
        }
    }
}

/// What the importer is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The endpoint id (`leads.create`): names the spec and its example files.
    pub endpoint_id: String,
    /// The saved page's path relative to the spec file (`pages/leads.create.md`).
    pub page_path: String,
    /// Where the page was fetched from, if it was.
    pub url: Option<String>,
    /// The page's shape; detected when `None`.
    pub format: Option<PageFormat>,
    /// Which newer spec keys to write as keys.
    pub features: DraftFeatures,
}

/// One example payload to write beside the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFile {
    /// File name under `examples/` (`leads.create.request.json`).
    pub file_name: String,
    /// The page's bytes, unedited.
    pub bytes: Vec<u8>,
}

/// What an import produces.
#[derive(Debug, Clone)]
pub struct ImportOutput {
    /// The page's shape, as given or detected.
    pub format: PageFormat,
    /// The spec draft, YAML text.
    pub draft: String,
    /// The page's example payloads.
    pub examples: Vec<ExampleFile>,
    /// What a person must decide, one line each.
    pub summary: Vec<String>,
    /// The fields the draft gives (request, then response), for measuring and checking.
    pub reading: EndpointReading,
}

/// Why a page cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The page is larger than `MAX_PAGE_BYTES`.
    #[error("the page is {0} bytes, more than the {MAX_PAGE_BYTES} bytes read")]
    TooLarge(usize),
    /// The endpoint id is not dot-separated lower-case words.
    #[error("endpoint id `{0}` is not dot-separated lower-case words (`leads.create`)")]
    BadEndpointId(String),
    /// Nothing on the page says which method and path the endpoint has.
    #[error(
        "the page names no HTTP method and path (looked for `Method: POST`, `POST https://…`, a curl command)"
    )]
    NoRequestLine,
}

/// A field as the page gives it: from a table row or read off an example.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftField {
    /// The wire name, as written.
    pub name: String,
    /// The type the page gives.
    pub ty: DraftType,
    /// The required mark: `None` where the table has no such column or the mark is unknown.
    pub required: Option<bool>,
    /// The note, verbatim (links reduced to their text).
    pub description: Option<String>,
    /// Whether the field was read off an example rather than a table.
    pub from_example: bool,
    /// A link to a page of the same site the note gives: `(title, target)`.
    pub reference: Option<(String, String)>,
    /// A link to another site the note gives.
    pub see: Option<String>,
    /// A default value the note states, as JSON text.
    pub default: Option<String>,
    /// The type cell as written (`List Object`, `yyyy-mm-dd`), or the example's value kind.
    pub page_word: String,
    /// Every guess, one `# draft:` line each.
    pub comments: Vec<String>,
}

/// A field's type as the draft gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftType {
    /// A spec scalar (`string`, `integer`, `number`, `boolean`, `date`, `date-time`, `email`).
    Scalar(FieldType),
    /// One of the listed values, as the page spells them.
    Enum(Vec<String>),
    /// A list of items of a type.
    Array(Box<DraftType>),
    /// An object with fields.
    Object(DraftBody),
    /// One of several types (read off examples only).
    Union(Vec<DraftType>),
    /// Any value: the page does not say.
    Any,
    /// A type word the importer does not know, as written; drafted as `any`.
    Unknown(String),
}

impl DraftType {
    /// The spec type name the draft writes.
    pub(crate) fn spec_name(&self) -> &'static str {
        match self {
            DraftType::Scalar(ty) => ty.as_str(),
            DraftType::Enum(_) => "enum",
            DraftType::Array(_) => "array",
            DraftType::Object(_) => "object",
            DraftType::Union(_) => "union",
            DraftType::Any | DraftType::Unknown(_) => "any",
        }
    }
}

/// An object's fields, in the page's order.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftBody {
    /// The fields.
    pub fields: Vec<DraftField>,
    /// Whether unlisted fields are allowed.
    pub undocumented: UndocumentedFields,
}

/// A header the page documents.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderReading {
    /// The header's name.
    pub name: String,
    /// The required mark, where the page gives one.
    pub required: Option<bool>,
    /// The note or the curl's example value.
    pub description: Option<String>,
}

/// An example payload found on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleReading {
    /// The block's title, where the page gives one.
    pub title: Option<String>,
    /// The exact bytes of the payload.
    pub text: String,
    /// Whether the bytes are JSON.
    pub is_json: bool,
    /// Why they are not, with line and column (`trailing comma at line 5 column 1`).
    pub json_error: Option<String>,
    /// The headers its curl sends, credentials left out (name, value as written).
    pub headers: Vec<(String, String)>,
}

/// A contradiction between a table and an example, found at import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownReading {
    /// JSON Pointer into the example.
    pub path: String,
    /// The conformance rule the example breaks.
    pub rule: Rule,
    /// Why, in words.
    pub reason: String,
}

/// The status the page gives a successful response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusReading {
    /// A code, and the text it was read from.
    Code(u16, String),
    /// The page does not say.
    Undocumented,
}

/// Everything the importer reads off one page.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointReading {
    /// The page's title.
    pub title: Option<String>,
    /// The page's first paragraph.
    pub description: Option<String>,
    /// The heading above the request block.
    pub section: Option<String>,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path below the host.
    pub path: String,
    /// The request body's media type, where the page states one.
    pub media_type: Option<String>,
    /// The headers the page documents.
    pub headers: Vec<HeaderReading>,
    /// The request body, where the page has one.
    pub request: Option<DraftBody>,
    /// Whether the request body's fields come from a table (rather than the example).
    pub request_from_table: bool,
    /// The response body.
    pub response: DraftBody,
    /// Whether the response's fields come from a table.
    pub response_from_table: bool,
    /// The response status.
    pub status: StatusReading,
    /// Request examples, in page order.
    pub request_examples: Vec<ExampleReading>,
    /// Response examples, in page order.
    pub response_examples: Vec<ExampleReading>,
    /// Contradictions per request example (same order).
    pub request_known: Vec<Vec<KnownReading>>,
    /// Contradictions per response example (same order).
    pub response_known: Vec<Vec<KnownReading>>,
    /// What a person must decide.
    pub summary: Vec<String>,
}

/// Whether `id` is dot-separated lower-case words, as the loader wants endpoint ids.
pub(crate) fn is_endpoint_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('.').all(|word| {
            !word.is_empty()
                && word.starts_with(|c: char| c.is_ascii_lowercase())
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Reads `page` (its shape given or detected) into what the draft says.
pub fn read_page(
    page: &str,
    format: Option<PageFormat>,
) -> Result<(PageFormat, EndpointReading), ImportError> {
    if page.len() > MAX_PAGE_BYTES {
        return Err(ImportError::TooLarge(page.len()));
    }
    let format = format.unwrap_or_else(|| detect::detect(page));
    let blocks = match format {
        PageFormat::Markdown => markdown::blocks(page),
        PageFormat::Html => html::blocks(page),
        PageFormat::Rendered => rendered::blocks(page),
    };
    let reading = reading::read(&blocks)?;
    Ok((format, reading))
}

/// Imports `page`: the draft, its example files and the summary.
pub fn import(page: &str, options: &ImportOptions) -> Result<ImportOutput, ImportError> {
    if !is_endpoint_id(&options.endpoint_id) {
        return Err(ImportError::BadEndpointId(options.endpoint_id.clone()));
    }
    let (format, reading) = read_page(page, options.format)?;
    let (draft, examples, summary) = draft::render(&reading, options, format);
    Ok(ImportOutput {
        format,
        draft,
        examples,
        summary,
        reading,
    })
}
