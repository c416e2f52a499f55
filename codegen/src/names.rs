//! Wire names in, Rust names out: snake_case fields, PascalCase types and variants, keywords
//! made raw. Pure string functions; collisions are the caller's to find.

/// Words of a name: split at every non-alphanumeric character and at case changes
/// (`linkedIn_url` → `linked`, `In`, `url`; `HTTPStatus` → `HTTP`, `Status`).
/// `None` when the name has non-ASCII letters or digits, which make no good Rust name.
pub fn words(name: &str) -> Option<Vec<String>> {
    if name.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return None;
    }
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1).copied();
        let boundary = match previous {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    Some(words)
}

/// `linkedIn_url` → `linked_in_url`. `None` if the name has no ASCII word or starts with a
/// digit once cased.
pub fn snake_case(name: &str) -> Option<String> {
    let words = words(name)?;
    let joined = words
        .iter()
        .map(|word| word.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    valid_start(joined)
}

/// `custom_fields` → `CustomFields`, `2xx` → `None` (starts with a digit).
pub fn pascal_case(name: &str) -> Option<String> {
    let words = words(name)?;
    let joined: String = words
        .iter()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    valid_start(joined)
}

fn valid_start(name: String) -> Option<String> {
    match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => Some(name),
        _ => None,
    }
}

/// Keywords that `r#` makes usable as names.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const UNUSABLE_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Whether `name` is a Rust keyword (usable as a name only as `r#name`, or not at all).
pub(crate) fn is_keyword(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name) || UNUSABLE_KEYWORDS.contains(&name)
}

/// The Rust module of an endpoint, from its id: `leads.create` → `leads_create`.
pub(crate) fn endpoint_module_name(endpoint_id: &str) -> String {
    endpoint_id.replace('.', "_")
}

/// A snake_case name as a Rust field identifier: `type` → `r#type`, `self` → `self_`.
pub fn field_identifier(snake: &str) -> String {
    if RAW_KEYWORDS.contains(&snake) {
        format!("r#{snake}")
    } else if UNUSABLE_KEYWORDS.contains(&snake) {
        format!("{snake}_")
    } else {
        snake.to_owned()
    }
}

/// The name serde sees for a Rust field identifier: `r#type` → `type`.
pub(crate) fn unraw(identifier: &str) -> &str {
    identifier.strip_prefix("r#").unwrap_or(identifier)
}

/// Whether `name` is a lower snake_case ASCII identifier (`f_name`, `value2`).
pub(crate) fn is_snake_case_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "_"
}

/// Whether `name` is an UpperCamelCase ASCII identifier (`CustomField`).
pub(crate) fn is_pascal_case_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name != "Self"
}

/// Type names a generated module cannot define: they would shadow what it uses.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &[
    "Serialize",
    "Deserialize",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Map",
    "Value",
    "Number",
    // Used by bare name in generated modules (derives, constructors), or taken by the service
    // module (`Client`, which its `other_direction` module would import in place of the type).
    "PartialEq",
    "Eq",
    "Hash",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Into",
    "Client",
];

/// Whether `c` is a letter of the Latin script, with or without diacritics (`é`, `ữ`, `Đ`):
/// those transliterate to ASCII letters that still read as the word.
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (c.is_alphabetic()
            && matches!(u32::from(c),
                0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F))
}

/// An enum value as a Rust variant name: `active` → `Active`, and values in the Latin script
/// with diacritics transliterated (`nữ` → `Nu`, `Đã` → `Da`, `khác` → `Khac`). `None` for
/// values with letters of other scripts (Hebrew, Cyrillic, Han), which transliterate into
/// nothing a reader recognises, and for values without a letter to start with: those need a
/// `rust_name`.
pub fn enum_variant_name(value: &str) -> Option<String> {
    if value.is_ascii() {
        return pascal_case(value);
    }
    if value
        .chars()
        .any(|c| c.is_alphabetic() && !is_latin_letter(c))
    {
        return None;
    }
    pascal_case(&deunicode::deunicode(value))
}

/// The known name closest to `unknown` by edit distance, when it is close enough to be a
/// likely typo (at most a third of the name's characters differ, and at least one matches).
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(unknown, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}
