//! The page's HTTP request block and curl command in, the request line out: method, URL and
//! path, the body's media type, the headers the page shows, and the body a curl sends.

/// What the request block and curl say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RequestLine {
    /// The method, upper case.
    pub method: Option<String>,
    /// The URL as written (`https://{{domain}}/v2/leads/create`).
    pub url: Option<String>,
    /// The body's media type.
    pub media_type: Option<String>,
    /// Headers the page shows: name and example value.
    pub headers: Vec<(String, String)>,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/// Words that label a method line (`Method: POST`), lower case.
const METHOD_LABELS: &[&str] = &["method", "phương thức", "http method", "שיטה", "מתודה"];
/// Words that label a URL line (`API: https://…`), lower case.
const URL_LABELS: &[&str] = &["api", "url", "endpoint", "đường dẫn", "כתובת"];
/// Words that label a media type line, lower case.
const MEDIA_LABELS: &[&str] = &["content type", "content-type", "body", "kiểu nội dung"];

/// Reads one line of text, adding what it says to `line`.
pub(crate) fn read_text_line(text: &str, line: &mut RequestLine) {
    let plain = strip_emphasis(text);
    let plain = plain.replace('`', "");
    let plain = plain.trim().trim_start_matches(['*', '-', '•']).trim();
    let lower = plain.to_lowercase();
    if let Some((label, value)) = plain.split_once(':') {
        let label_lower = label.trim().to_lowercase();
        let value = value.trim();
        if METHOD_LABELS.contains(&label_lower.as_str()) {
            let word = value
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_uppercase();
            if METHODS.contains(&word.as_str()) && line.method.is_none() {
                line.method = Some(word);
            }
            return;
        }
        if URL_LABELS.contains(&label_lower.as_str()) {
            if let Some(url) = first_url(value) {
                line.url.get_or_insert(url);
            }
            return;
        }
        if MEDIA_LABELS.contains(&label_lower.as_str()) {
            if let Some(media) = media_type_in(value) {
                line.media_type.get_or_insert(media);
            }
            return;
        }
        if label_lower == "headers" || label_lower == "header" {
            if let Some((name, header_value)) = value.trim_matches('`').split_once(':') {
                let name = name.trim().trim_matches('`');
                if name.eq_ignore_ascii_case("content-type") {
                    if let Some(media) = media_type_in(header_value) {
                        line.media_type.get_or_insert(media);
                    }
                } else if is_header_name(name) {
                    push_header(line, name, header_value.trim().trim_matches('`'));
                }
            }
            return;
        }
    }
    // `POST https://…`, `POST: https://…`, `POST /v2/leads`.
    let first = lower
        .split([' ', ':'])
        .next()
        .unwrap_or_default()
        .to_uppercase();
    if METHODS.contains(&first.as_str()) {
        let rest = plain[first.len()..].trim_start_matches(':').trim();
        let target = rest.split_whitespace().next().unwrap_or_default();
        if target.starts_with("http") || target.starts_with('/') || target.starts_with("{{") {
            line.method.get_or_insert(first);
            line.url.get_or_insert(target.trim_matches('`').to_owned());
        }
    }
}

/// Reads a curl command, adding what it says to `line`; returns the body it sends, if any,
/// exactly as written between its quotes.
pub(crate) fn read_curl(command: &str, line: &mut RequestLine) -> Option<String> {
    let trimmed = command.trim_start();
    if !trimmed.starts_with("curl ") {
        return None;
    }
    let words = shell_words(trimmed);
    let mut body = None;
    let mut explicit_method = None;
    let mut index = 1;
    while index < words.len() {
        let word = words[index].as_str();
        let value = words.get(index + 1).cloned();
        match word {
            "-X" | "--request" => {
                explicit_method = value.map(|method| method.to_uppercase());
                index += 1;
            }
            "-H" | "--header" => {
                if let Some((name, header_value)) = value.as_deref().and_then(|v| v.split_once(':'))
                {
                    let name = name.trim();
                    if name.eq_ignore_ascii_case("content-type") {
                        line.media_type
                            .get_or_insert(header_value.trim().to_owned());
                    } else if is_header_name(name) {
                        push_header(line, name, header_value.trim());
                    }
                }
                index += 1;
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--json" => {
                body = value;
                index += 1;
                if word == "--json" {
                    line.media_type.get_or_insert("application/json".to_owned());
                }
            }
            _ if word.starts_with("http") || word.starts_with("{{") => {
                line.url.get_or_insert(word.to_owned());
            }
            _ if word.starts_with('-') => {
                // A flag with a value (`-u`, `--user` would carry credentials: never kept).
                if matches!(
                    word,
                    "-u" | "--user" | "-o" | "--output" | "-A" | "--user-agent" | "-b" | "--cookie"
                ) {
                    index += 1;
                }
            }
            _ => {}
        }
        index += 1;
    }
    let method =
        explicit_method.unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned());
    line.method.get_or_insert(method);
    body
}

/// The path of `url` below its host, without query or fragment: `https://{{domain}}/v2/x` →
/// `/v2/x`.
pub fn path_of(url: &str) -> Option<String> {
    let url = url.trim().trim_matches(['`', '\'', '"', '<', '>']);
    let after_scheme = match url.find("://") {
        Some(at) => &url[at + 3..],
        None if url.starts_with('/') => return Some(cut_query(url).to_owned()),
        None => url,
    };
    let slash = after_scheme.find('/')?;
    Some(cut_query(&after_scheme[slash..]).to_owned())
}

fn cut_query(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

fn push_header(line: &mut RequestLine, name: &str, value: &str) {
    if !line
        .headers
        .iter()
        .any(|(known, _)| known.eq_ignore_ascii_case(name))
    {
        line.headers.push((name.to_owned(), value.to_owned()));
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The first `http(s)://` URL in `text` (a markdown link's target or text, or a bare one).
fn first_url(text: &str) -> Option<String> {
    let at = text.find("http")?;
    let url: String = text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ']' | '`' | '"' | '\'' | '<'))
        .collect();
    url.contains("://").then_some(url)
}

/// A media type in `text` (`application/json`, `Text/json`), as written.
fn media_type_in(text: &str) -> Option<String> {
    let plain = strip_emphasis(text);
    let value = plain
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .map(|word| word.trim_matches(['`', '*', '"', '\'']))
        .find(|word| {
            word.split_once('/').is_some_and(|(kind, sub)| {
                !kind.is_empty() && !sub.is_empty() && kind.chars().all(|c| c.is_ascii_alphabetic())
            })
        })?;
    Some(value.to_owned())
}

/// `text` without markdown emphasis marks and code ticks.
fn strip_emphasis(text: &str) -> String {
    text.replace("***", "").replace("**", "").replace("``", "")
}

/// The words of a shell command: quotes removed (their insides kept exactly), `\` line
/// continuations dropped.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for inner in chars.by_ref() {
                    if inner == '\'' {
                        break;
                    }
                    word.push(inner);
                }
            }
            '"' => {
                in_word = true;
                while let Some(inner) = chars.next() {
                    match inner {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            word.extend(chars.next());
                        }
                        _ => word.push(inner),
                    }
                }
            }
            '\\' if matches!(chars.peek(), Some('\n' | '\r')) => {
                chars.next();
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}
