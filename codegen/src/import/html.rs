//! HTML text in, the page's blocks out: headings, tables (cells as text, `<br>` as a line break,
//! links as `[text](href)`), `<pre>` code and lines of text. Also the table reader for the
//! `<table>`s inside markdown pages. A small tag scanner, not a full HTML5 parser: docs pages'
//! tables are plain, and the generator stays cheap to build.

use super::reading::{Block, RawTable};

/// One piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `<name attr="value">` (name lower case).
    Open { name: String, href: Option<String> },
    /// `</name>`.
    Close(String),
    /// Text between tags, entities decoded.
    Text(String),
}

/// Tags after which a new line of text starts.
const LINE_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "summary",
    "details",
    "dt",
    "dd",
    "blockquote",
    "hr",
    "main",
    "nav",
    "aside",
];

/// Every block of an HTML document, in order.
pub(crate) fn blocks(document: &str) -> Vec<Block> {
    let tokens = tokenize(document);
    let mut blocks = Vec::new();
    let mut line = String::new();
    let mut index = 0;
    let flush = |line: &mut String, blocks: &mut Vec<Block>| {
        let text = collapse_spaces(line);
        if !text.is_empty() {
            blocks.push(Block::Text(text));
        }
        line.clear();
    };
    while index < tokens.len() {
        match &tokens[index] {
            Token::Open { name, .. } if is_heading(name) => {
                flush(&mut line, &mut blocks);
                let level = name.as_bytes()[1] - b'0';
                let (text, next) = inner_text(&tokens, index + 1, name);
                blocks.push(Block::Heading {
                    level,
                    text: collapse_spaces(&text),
                });
                index = next;
                continue;
            }
            Token::Open { name, .. } if name == "table" => {
                flush(&mut line, &mut blocks);
                let (table, next) = table_at(&tokens, index + 1, 0);
                if let Some(table) = table {
                    blocks.push(Block::Table(table));
                }
                index = next;
                continue;
            }
            Token::Open { name, .. } if name == "pre" => {
                flush(&mut line, &mut blocks);
                let (text, next) = inner_text(&tokens, index + 1, "pre");
                blocks.push(Block::Code {
                    title: None,
                    language: None,
                    text,
                });
                index = next;
                continue;
            }
            Token::Open { name, .. } | Token::Close(name) if LINE_TAGS.contains(&name.as_str()) => {
                flush(&mut line, &mut blocks);
            }
            Token::Open { .. } | Token::Close(_) => {}
            Token::Text(text) => line.push_str(text),
        }
        index += 1;
    }
    flush(&mut line, &mut blocks);
    blocks
}

/// The tables in a piece of HTML (a `<table>` inside a markdown page).
pub fn tables(fragment: &str) -> Vec<RawTable> {
    let tokens = tokenize(fragment);
    let mut tables = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        if matches!(&tokens[index], Token::Open { name, .. } if name == "table") {
            let (table, next) = table_at(&tokens, index + 1, 0);
            tables.extend(table);
            index = next;
        } else {
            index += 1;
        }
    }
    tables
}

/// Text with HTML tags removed and entities decoded (a heading's `<a>` anchor, a `<code>`).
pub(crate) fn strip_tags(text: &str) -> String {
    tokenize(text)
        .into_iter()
        .filter_map(|token| match token {
            Token::Text(text) => Some(text),
            _ => None,
        })
        .collect()
}

fn is_heading(name: &str) -> bool {
    name.len() == 2 && name.starts_with('h') && (b'1'..=b'6').contains(&name.as_bytes()[1])
}

/// The text up to the closing `</end>`, and the index after it.
fn inner_text(tokens: &[Token], mut index: usize, end: &str) -> (String, usize) {
    let mut text = String::new();
    while index < tokens.len() {
        match &tokens[index] {
            Token::Close(name) if name == end => return (text, index + 1),
            Token::Open { name, .. } if name == "br" => text.push('\n'),
            Token::Text(piece) => text.push_str(piece),
            _ => {}
        }
        index += 1;
    }
    (text, index)
}

/// How deep tables inside tables are read as such.
const MAX_TABLE_DEPTH: usize = 4;

/// The table whose `<table>` ends just before `index`, and the index after its `</table>`.
fn table_at(tokens: &[Token], mut index: usize, depth: usize) -> (Option<RawTable>, usize) {
    let mut rows: Vec<(bool, Vec<String>)> = Vec::new();
    let mut in_head = false;
    let mut cell: Option<String> = None;
    let mut link: Option<(String, String)> = None;
    let finish_cell = |cell: &mut Option<String>, rows: &mut Vec<(bool, Vec<String>)>| {
        if let Some(text) = cell.take()
            && let Some((_, row)) = rows.last_mut()
        {
            row.push(trim_cell(&text));
        }
    };
    while index < tokens.len() {
        match &tokens[index] {
            Token::Close(name) if name == "table" => {
                index += 1;
                break;
            }
            // A nested table: read past it, keeping its text in the cell (so deep, it is read
            // as part of this one).
            Token::Open { name, .. } if name == "table" && depth < MAX_TABLE_DEPTH => {
                let (inner, next) = table_at(tokens, index + 1, depth + 1);
                if let (Some(text), Some(inner)) = (cell.as_mut(), inner) {
                    for row in inner.rows {
                        text.push_str(&row.join(" "));
                        text.push('\n');
                    }
                }
                index = next;
                continue;
            }
            Token::Open { name, .. } if name == "thead" => in_head = true,
            Token::Close(name) if name == "thead" => in_head = false,
            Token::Open { name, .. } if name == "tr" => {
                finish_cell(&mut cell, &mut rows);
                rows.push((in_head, Vec::new()));
            }
            Token::Close(name) if name == "tr" => finish_cell(&mut cell, &mut rows),
            Token::Open { name, .. } if name == "td" || name == "th" => {
                finish_cell(&mut cell, &mut rows);
                if rows.is_empty() {
                    rows.push((in_head, Vec::new()));
                }
                if name == "th"
                    && let Some(last) = rows.last_mut()
                {
                    last.0 |= last.1.is_empty();
                }
                cell = Some(String::new());
            }
            Token::Close(name) if name == "td" || name == "th" => finish_cell(&mut cell, &mut rows),
            Token::Open {
                name,
                href: Some(href),
            } if name == "a" => {
                link = Some((String::new(), href.clone()));
            }
            Token::Close(name) if name == "a" => {
                if let (Some((text, href)), Some(cell)) = (link.take(), cell.as_mut()) {
                    if href.starts_with('#') || text.trim().is_empty() {
                        cell.push_str(&text);
                    } else {
                        cell.push_str(&format!("[{}]({href})", text.trim()));
                    }
                }
            }
            Token::Open { name, .. } if name == "br" || name == "p" || name == "li" => {
                if let Some(cell) = cell.as_mut()
                    && !cell.trim().is_empty()
                {
                    cell.push('\n');
                }
            }
            Token::Text(text) => {
                if let Some((link_text, _)) = link.as_mut() {
                    link_text.push_str(text);
                } else if let Some(cell) = cell.as_mut() {
                    cell.push_str(text);
                }
            }
            _ => {}
        }
        index += 1;
    }
    finish_cell(&mut cell, &mut rows);
    rows.retain(|(_, row)| !row.is_empty());
    if rows.is_empty() {
        return (None, index);
    }
    let (_, header) = rows.remove(0);
    let rows = rows.into_iter().map(|(_, row)| row).collect();
    (Some(RawTable { header, rows }), index)
}

/// A cell's text: every line trimmed, runs of spaces made one, empty lines dropped.
fn trim_cell(text: &str) -> String {
    text.lines()
        .map(collapse_spaces)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with every run of whitespace (line breaks and no-break spaces too) made one space,
/// trimmed.
pub(crate) fn collapse_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tokens of an HTML text. Comments, doctypes and the insides of `<script>` and `<style>`
/// are dropped; text keeps its spaces and has its entities decoded.
fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let bytes = html.as_bytes();
    let mut position = 0;
    let mut text_start = 0;
    // Where the last `-->` and `>` end: past them, no comment or declaration closes, so none is
    // searched for (an unclosed `<!--` repeated would otherwise be read to the end each time).
    let last_comment_end = html.rfind("-->").map_or(0, |at| at + 3);
    let last_close = html.rfind('>').map_or(0, |at| at + 1);
    while position < bytes.len() {
        if bytes[position] != b'<' {
            position += 1;
            continue;
        }
        let rest = &html[position..];
        let tag_end = if rest.starts_with("<!--") {
            if position < last_comment_end {
                rest.find("-->").map(|end| end + 3)
            } else {
                Some(rest.len())
            }
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            if position < last_close {
                rest.find('>').map(|end| end + 1)
            } else {
                None
            }
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            tag_length(rest)
        } else {
            None
        };
        let Some(length) = tag_end else {
            position += 1;
            continue;
        };
        if text_start < position {
            tokens.push(Token::Text(decode_entities(&html[text_start..position])));
        }
        let tag = &rest[..length];
        if !is_html_element(tag) {
            position += 1;
            continue;
        }
        position += length;
        text_start = position;
        if let Some(token) = parse_tag(tag) {
            if let Token::Open { name, .. } = &token
                && (name == "script" || name == "style")
            {
                let close = format!("</{name}");
                let found = html[position..].to_ascii_lowercase().find(&close);
                position = found.map_or(html.len(), |at| position + at);
                text_start = position;
            }
            tokens.push(token);
        }
    }
    if text_start < html.len() {
        tokens.push(Token::Text(decode_entities(&html[text_start..])));
    }
    tokens
}

/// HTML elements; anything else in angle brackets (`List<String>`) is text.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "s",
    "samp",
    "script",
    "section",
    "small",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "u",
    "ul",
    "var",
    "path",
    "noscript",
    "template",
    "iframe",
    "source",
    "picture",
    "figcaption",
    "time",
    "button",
];

/// Whether the tag text `<name …>` or `</name>` names an HTML element (or is a comment).
fn is_html_element(tag: &str) -> bool {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    if inner.starts_with('!') || inner.starts_with('?') {
        return true;
    }
    let name_end = inner
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(inner.len());
    ELEMENTS.contains(&inner[..name_end].to_ascii_lowercase().as_str())
}

/// Longest tag read; a `<` with an unclosed quote after it is text, not a tag to the page's end.
const MAX_TAG_CHARS: usize = 8 * 1024;

/// The length of the tag at the start of `rest` (`<…>`), quotes respected.
fn tag_length(rest: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (offset, c) in rest.char_indices().skip(1).take(MAX_TAG_CHARS) {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(offset + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// A tag's token: its lower-case name, and `href` for links.
fn parse_tag(tag: &str) -> Option<Token> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let inner = inner.trim_end_matches('/');
    if let Some(name) = inner.strip_prefix('/') {
        return Some(Token::Close(name.trim().to_ascii_lowercase()));
    }
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let href = attribute(&inner[name_end..], "href");
    Some(Token::Open { name, href })
}

/// The value of attribute `wanted` in a tag's attribute text, entities decoded.
fn attribute(attributes: &str, wanted: &str) -> Option<String> {
    let mut rest = attributes.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(quote).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining.trim_start();
            Some(value)
        } else {
            None
        };
        if name == wanted {
            return value.map(decode_entities);
        }
        if name.is_empty() {
            break;
        }
    }
    None
}

/// `text` with HTML character references decoded: numeric ones, and the named ones docs pages
/// use. An unknown name is kept as written.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|end| end + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') => {
                entity(&rest[1..end]).map(|c| (c, end + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "copy" => '©',
        "reg" => '®',
        "check" => '✓',
        "times" => '×',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        _ => return None,
    })
}
