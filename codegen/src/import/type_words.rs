//! The one vocabulary of the importer: a table header's words in, its column's role out; a type
//! cell's words in, the spec type out; a required cell in, the mark out. Hebrew, Vietnamese and
//! English, as the vendors write them. Words not here stay as written and are flagged.

use crate::spec::FieldType;

use super::DraftType;

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnRole {
    /// The wire name.
    Name,
    /// The type.
    Type,
    /// The required mark.
    Required,
    /// An "optional" mark: the required mark inverted.
    Optional,
    /// The note.
    Note,
    /// The default value.
    Default,
    /// A column the importer does not read (`STT`, `#`, `Example`).
    Ignored,
}

/// Header words and the role of their column. Compared after lower-casing and trimming.
const COLUMN_WORDS: &[(&str, ColumnRole)] = &[
    ("key", ColumnRole::Name),
    ("name", ColumnRole::Name),
    ("field", ColumnRole::Name),
    ("field name", ColumnRole::Name),
    ("parameter", ColumnRole::Name),
    ("parameters", ColumnRole::Name),
    ("param", ColumnRole::Name),
    ("attribute", ColumnRole::Name),
    ("property", ColumnRole::Name),
    ("tham số", ColumnRole::Name),
    ("thuộc tính", ColumnRole::Name),
    ("trường", ColumnRole::Name),
    ("tên trường", ColumnRole::Name),
    ("tên", ColumnRole::Name),
    ("שם", ColumnRole::Name),
    ("שם שדה", ColumnRole::Name),
    ("שדה", ColumnRole::Name),
    ("מפתח", ColumnRole::Name),
    ("פרמטר", ColumnRole::Name),
    ("type", ColumnRole::Type),
    ("value", ColumnRole::Type),
    ("data type", ColumnRole::Type),
    ("kiểu", ColumnRole::Type),
    ("kiểu dữ liệu", ColumnRole::Type),
    ("loại", ColumnRole::Type),
    ("định dạng", ColumnRole::Type),
    ("סוג", ColumnRole::Type),
    ("ערך", ColumnRole::Type),
    ("טיפוס", ColumnRole::Type),
    ("סוג נתון", ColumnRole::Type),
    ("required", ColumnRole::Required),
    ("mandatory", ColumnRole::Required),
    ("req", ColumnRole::Required),
    ("req.", ColumnRole::Required),
    ("bắt buộc", ColumnRole::Required),
    ("yêu cầu", ColumnRole::Required),
    ("חובה", ColumnRole::Required),
    ("נדרש", ColumnRole::Required),
    ("שדה חובה", ColumnRole::Required),
    ("optional", ColumnRole::Optional),
    ("tùy chọn", ColumnRole::Optional),
    ("tuỳ chọn", ColumnRole::Optional),
    ("אופציונלי", ColumnRole::Optional),
    ("note", ColumnRole::Note),
    ("notes", ColumnRole::Note),
    ("description", ColumnRole::Note),
    ("desc", ColumnRole::Note),
    ("details", ColumnRole::Note),
    ("comment", ColumnRole::Note),
    ("remarks", ColumnRole::Note),
    ("meaning", ColumnRole::Note),
    ("mô tả", ColumnRole::Note),
    ("ghi chú", ColumnRole::Note),
    ("diễn giải", ColumnRole::Note),
    ("תיאור", ColumnRole::Note),
    ("הערה", ColumnRole::Note),
    ("הערות", ColumnRole::Note),
    ("הסבר", ColumnRole::Note),
    ("default", ColumnRole::Default),
    ("default value", ColumnRole::Default),
    ("mặc định", ColumnRole::Default),
    ("giá trị mặc định", ColumnRole::Default),
    ("ברירת מחדל", ColumnRole::Default),
];

/// The role of a column whose header reads `header`.
pub(crate) fn column_role(header: &str) -> Option<ColumnRole> {
    let key = normalize(header);
    COLUMN_WORDS
        .iter()
        .find(|(word, _)| *word == key)
        .map(|(_, role)| *role)
}

/// A cell's text lower-cased, markup (`` ` ``, `*`, `_` around it) and spaces trimmed.
pub(crate) fn normalize(cell: &str) -> String {
    let trimmed = cell
        .trim()
        .trim_matches(|c: char| c == '`' || c == '*' || c == '"' || c == '\'')
        .trim();
    super::html::collapse_spaces(&trimmed.to_lowercase())
}

/// What a required cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredMark {
    /// Required.
    Yes,
    /// Not required (an empty cell included).
    No,
    /// A mark the importer does not know.
    Unknown,
}

const REQUIRED_YES: &[&str] = &[
    "✓",
    "✔",
    "✔️",
    "✅",
    "☑",
    "☑️",
    "x",
    "yes",
    "y",
    "true",
    "required",
    "mandatory",
    "*",
    "có",
    "bắt buộc",
    "כן",
    "חובה",
    "נדרש",
    "v",
];
const REQUIRED_NO: &[&str] = &[
    "",
    "no",
    "n",
    "false",
    "optional",
    "không",
    "không bắt buộc",
    "tùy chọn",
    "tuỳ chọn",
    "לא",
    "רשות",
    "אופציונלי",
    "-",
    "–",
    "—",
    "✗",
    "✘",
    "❌",
    "none",
];

/// The mark of a required cell.
pub fn required_mark(cell: &str) -> RequiredMark {
    let key = normalize(cell);
    if REQUIRED_YES.contains(&key.as_str()) {
        RequiredMark::Yes
    } else if REQUIRED_NO.contains(&key.as_str()) {
        RequiredMark::No
    } else {
        RequiredMark::Unknown
    }
}

/// Whether `cell` is a required mark the table would show (used to read rendered text, where a
/// cell is a line of its own). Empty cells vanish there, so only non-empty marks count.
pub(crate) fn is_visible_required_mark(cell: &str) -> bool {
    let key = normalize(cell);
    !key.is_empty() && (REQUIRED_YES.contains(&key.as_str()) || REQUIRED_NO.contains(&key.as_str()))
}

/// Type words and their spec types.
const SCALAR_WORDS: &[(&str, FieldType)] = &[
    ("string", FieldType::String),
    ("str", FieldType::String),
    ("text", FieldType::String),
    ("char", FieldType::String),
    ("uuid", FieldType::String),
    ("guid", FieldType::String),
    ("url", FieldType::String),
    ("uri", FieldType::String),
    ("varchar", FieldType::String),
    ("chuỗi", FieldType::String),
    ("văn bản", FieldType::String),
    ("מחרוזת", FieldType::String),
    ("טקסט", FieldType::String),
    ("number", FieldType::Number),
    ("numeric", FieldType::Number),
    ("float", FieldType::Number),
    ("double", FieldType::Number),
    ("decimal", FieldType::Number),
    ("số", FieldType::Number),
    ("số thực", FieldType::Number),
    ("מספר", FieldType::Number),
    ("int", FieldType::Integer),
    ("integer", FieldType::Integer),
    ("long", FieldType::Integer),
    ("int32", FieldType::Integer),
    ("int64", FieldType::Integer),
    ("short", FieldType::Integer),
    ("số nguyên", FieldType::Integer),
    ("מספר שלם", FieldType::Integer),
    ("boolean", FieldType::Boolean),
    ("bool", FieldType::Boolean),
    ("true/false", FieldType::Boolean),
    ("true | false", FieldType::Boolean),
    ("logic", FieldType::Boolean),
    ("בוליאני", FieldType::Boolean),
    ("date", FieldType::Date),
    ("yyyy-mm-dd", FieldType::Date),
    ("ngày", FieldType::Date),
    ("תאריך", FieldType::Date),
    ("datetime", FieldType::DateTime),
    ("date-time", FieldType::DateTime),
    ("date time", FieldType::DateTime),
    ("iso 8601", FieldType::DateTime),
    ("iso8601", FieldType::DateTime),
    ("yyyy-mm-ddthh:mm:ssz", FieldType::DateTime),
    ("yyyy-mm-dd hh:mm:ss", FieldType::String),
    ("thời gian", FieldType::DateTime),
    ("תאריך ושעה", FieldType::DateTime),
    ("email", FieldType::Email),
    ("e-mail", FieldType::Email),
    ("אימייל", FieldType::Email),
    ("דוא\"ל", FieldType::Email),
];

const OBJECT_WORDS: &[&str] = &[
    "object",
    "obj",
    "json",
    "json object",
    "map",
    "dict",
    "dictionary",
    "đối tượng",
    "אובייקט",
];
const ARRAY_WORDS: &[&str] = &["list", "array", "mảng", "danh sách", "רשימה", "מערך"];
const ANY_WORDS: &[&str] = &["any", "mixed", "bất kỳ"];

/// The spec type a type cell names; a word not in the table stays as written
/// (`DraftType::Unknown`). `a/b/c` of plain lower-case words that are not type words is an
/// enumeration.
pub fn type_of_word(cell: &str) -> DraftType {
    let word = normalize(cell);
    if word.is_empty() {
        return DraftType::Unknown(String::new());
    }
    if let Some(ty) = known_type(&word) {
        return ty;
    }
    if let Some(values) = enumeration(cell) {
        return DraftType::Enum(values);
    }
    DraftType::Unknown(cell.trim().trim_matches('`').trim().to_owned())
}

fn known_type(word: &str) -> Option<DraftType> {
    if let Some((_, ty)) = SCALAR_WORDS.iter().find(|(known, _)| *known == word) {
        return Some(DraftType::Scalar(*ty));
    }
    if OBJECT_WORDS.contains(&word) {
        return Some(DraftType::Object(super::DraftBody {
            fields: Vec::new(),
            undocumented: crate::spec::UndocumentedFields::Allow,
        }));
    }
    if ARRAY_WORDS.contains(&word) {
        return Some(DraftType::Array(Box::new(DraftType::Any)));
    }
    if ANY_WORDS.contains(&word) {
        return Some(DraftType::Any);
    }
    // Lists of a type: `string[]`, `list<string>`, `array of string`, `list object`,
    // `danh sách string`, `mảng đối tượng`.
    if let Some(item) = word.strip_suffix("[]") {
        return known_type(item.trim()).map(|item| DraftType::Array(Box::new(item)));
    }
    for container in ARRAY_WORDS {
        for separator in ["<", " of ", " ", "(", "["] {
            let prefix = format!("{container}{separator}");
            if let Some(rest) = word.strip_prefix(&prefix) {
                let item = rest.trim_end_matches(['>', ')', ']']).trim();
                let item = item
                    .strip_suffix('s')
                    .filter(|singular| known_type(singular).is_some())
                    .unwrap_or(item);
                if let Some(item) = known_type(item) {
                    return Some(DraftType::Array(Box::new(item)));
                }
            }
        }
    }
    None
}

/// `male/female`, `vi | en | other`: two or more plain words, none of them a type word.
pub fn enumeration(cell: &str) -> Option<Vec<String>> {
    let text = cell.trim().trim_matches('`');
    let separator = ['/', '|']
        .into_iter()
        .find(|separator| text.contains(*separator))?;
    let values: Vec<String> = text
        .split(separator)
        .map(|value| value.trim().trim_matches(['`', '"', '\'']).to_owned())
        .collect();
    let plain = values.iter().all(|value| {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
            && known_type(&value.to_lowercase()).is_none()
    });
    (values.len() >= 2 && plain).then_some(values)
}

/// Whether `line` reads as a type cell (rendered text: telling a type line from a note).
pub(crate) fn is_type_word(line: &str) -> bool {
    let word = normalize(line);
    !word.is_empty() && (known_type(&word).is_some() || enumeration(line).is_some())
}
