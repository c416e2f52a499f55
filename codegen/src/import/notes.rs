//! A table's note in, what it states out: its links (a page of the same site is a reference, an
//! other site a background link), a default (`Mặc định =1`, `default: 1`, `ברירת מחדל 1`), the
//! values of an enumeration (`one of: a, b`, `Giá trị: a, b`), and whether it speaks of being
//! required. Only unambiguous statements count: two defaults, or values that are not plain
//! words, give nothing.

/// A markdown link in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteLink {
    /// The link's text.
    pub text: String,
    /// The link's target, as written.
    pub target: String,
}

/// The note with every `[text](target)` replaced by its text, and the links.
pub fn links(note: &str) -> (String, Vec<NoteLink>) {
    let mut text = String::new();
    let mut links = Vec::new();
    let mut rest = note;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let parsed = after.find("](").and_then(|close| {
            let target_start = close + 2;
            after[target_start..]
                .find(')')
                .map(|end| (close, target_start, target_start + end))
        });
        match parsed {
            Some((close, target_start, target_end)) => {
                text.push_str(&rest[..open]);
                let link_text = &after[..close];
                text.push_str(link_text);
                links.push(NoteLink {
                    text: link_text.trim().to_owned(),
                    target: after[target_start..target_end].trim().to_owned(),
                });
                rest = &after[target_end + 1..];
            }
            None => {
                text.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    (text, links)
}

/// Phrases that introduce a default value, lower case.
const DEFAULT_PHRASES: &[&str] = &[
    "giá trị mặc định",
    "mặc định",
    "defaults to",
    "default value",
    "default",
    "ברירת המחדל",
    "ברירת מחדל",
];

/// The default value the note states, as JSON text (`1`, `true`, `"vi"`), when it states
/// exactly one.
pub fn default_value(note: &str) -> Option<String> {
    let lower = note.to_lowercase();
    let mut found: Vec<String> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for phrase in DEFAULT_PHRASES {
        let mut from = 0;
        while let Some(at) = lower[from..].find(phrase) {
            let start = from + at;
            let end = start + phrase.len();
            from = end;
            // A shorter phrase inside a longer one already read (`mặc định` in `giá trị mặc
            // định`) is the same statement.
            if covered
                .iter()
                .any(|(from, to)| start >= *from && end <= *to)
            {
                continue;
            }
            covered.push((start, end));
            let after = note.get(end..).unwrap_or_default();
            let after = after
                .trim_start()
                .trim_start_matches(['=', ':', '-'])
                .trim_start();
            let after = ["is ", "là ", "= ", "הוא ", "היא "]
                .iter()
                .find_map(|word| after.strip_prefix(word))
                .unwrap_or(after)
                .trim_start_matches(['=', ':'])
                .trim_start();
            if let Some(value) = first_value(after) {
                found.push(value);
            }
        }
    }
    found.dedup();
    (found.len() == 1).then(|| found.remove(0))
}

/// The value at the start of `text`, as JSON text: a number keeps its digits, `true`/`false`,
/// a quoted or backticked string, or a plain word.
fn first_value(text: &str) -> Option<String> {
    let text = text.trim_start();
    if let Some(quote) = text
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`' | '“'))
    {
        let close = if quote == '“' { '”' } else { quote };
        let body = &text[quote.len_utf8()..];
        let end = body.find(close)?;
        return serde_json::to_string(&body[..end]).ok();
    }
    let word: String = text
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | ')' | '(' | '。'))
        .collect();
    let word = word.trim_end_matches('.');
    if word.is_empty() {
        return None;
    }
    if is_json_number(word) {
        return Some(word.to_owned());
    }
    match word.to_lowercase().as_str() {
        "true" | "false" | "null" => Some(word.to_lowercase()),
        _ if word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
        {
            serde_json::to_string(word).ok()
        }
        _ => None,
    }
}

/// Whether `word` is a JSON number as written.
pub(crate) fn is_json_number(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(|fraction| {
            !fraction.is_empty() && fraction.chars().all(|c| c.is_ascii_digit())
        })
}

/// Phrases that introduce the values a field takes, lower case.
const ENUM_PHRASES: &[&str] = &[
    "one of",
    "possible values",
    "allowed values",
    "accepted values",
    "values",
    "các giá trị",
    "giá trị",
    "một trong",
    "nhận giá trị",
    "אחד מ",
    "ערכים אפשריים",
    "ערכים",
];

/// The values the note lists after one of the phrases (`one of: a, b or c`), when they are
/// plain words or quoted.
pub fn enumeration(note: &str) -> Option<Vec<String>> {
    let lower = note.to_lowercase();
    let (start, phrase) = ENUM_PHRASES
        .iter()
        .filter_map(|phrase| lower.find(phrase).map(|at| (at, *phrase)))
        .min_by_key(|(at, phrase)| (*at, std::cmp::Reverse(phrase.len())))?;
    let rest = note.get(start + phrase.len()..)?;
    let rest = rest.trim_start().trim_start_matches([':', '=', '-']).trim();
    let line = rest.lines().next().unwrap_or_default();
    let line = line.trim_end_matches(['.', ')']);
    let mut values = Vec::new();
    for piece in line.split([',', '|', '/', ';']) {
        for part in split_words(piece, &[" or ", " hoặc ", " או ", " hay "]) {
            let value = part.trim().trim_matches(['`', '"', '\'', '“', '”']).trim();
            if value.is_empty() {
                continue;
            }
            let plain = value
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !plain {
                return None;
            }
            values.push(value.to_owned());
        }
    }
    (values.len() >= 2).then_some(values)
}

fn split_words<'a>(text: &'a str, words: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![text];
    for word in words {
        parts = parts
            .into_iter()
            .flat_map(|part| part.split(word))
            .collect();
    }
    parts
}

/// Whether the note speaks of the field being required, in one of the pages' languages.
pub(crate) fn mentions_required(note: &str) -> bool {
    let lower = note.to_lowercase();
    ["required", "mandatory", "bắt buộc", "חובה", "נדרש"]
        .iter()
        .any(|word| lower.contains(word))
        && !lower.contains("không bắt buộc")
        && !lower.contains("not required")
}
