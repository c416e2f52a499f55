//! A table row (cells and their columns' roles) or an example's JSON value in, draft fields
//! out: the wire name, the type (through `type_words`), the required mark, the note verbatim
//! with its links, default and values (through `notes`), and a `# draft:` line for every guess.

use serde_json::Value;

use crate::spec::{FieldType, UndocumentedFields};

use super::type_words::{self, ColumnRole, RequiredMark};
use super::{DraftBody, DraftField, DraftType, notes};

/// The field a table row gives, or `None` for a row without a name.
pub(crate) fn field_from_row(row: &[String], roles: &[ColumnRole]) -> Option<DraftField> {
    let cell = |wanted: ColumnRole| {
        roles
            .iter()
            .position(|role| *role == wanted)
            .and_then(|index| row.get(index))
            .map(String::as_str)
    };
    let mut comments = Vec::new();
    let raw_name = cell(ColumnRole::Name)?.trim();
    let mut name = raw_name
        .trim_matches(|c: char| c == '`' || c == '"')
        .replace("**", "")
        .replace('`', "");
    let mut star_required = false;
    if let Some(stripped) = name.strip_suffix('*') {
        name = stripped.trim().to_owned();
        star_required = true;
    }
    let name = name.trim().to_owned();
    if name.is_empty() || name.contains(char::is_whitespace) && name.chars().count() > 40 {
        return None;
    }

    // The type cell, and a "(required)" or "(optional)" written in it.
    let type_cell = cell(ColumnRole::Type).unwrap_or_default().trim();
    let (type_cell, type_mark) = split_mark(type_cell);
    let mut ty = if roles.contains(&ColumnRole::Type) {
        type_words::type_of_word(&type_cell)
    } else {
        DraftType::Unknown(String::new())
    };

    let mut required = None;
    if let Some(mark) = cell(ColumnRole::Required) {
        match type_words::required_mark(mark) {
            RequiredMark::Yes => required = Some(true),
            RequiredMark::No => required = Some(false),
            RequiredMark::Unknown => comments.push(format!(
                "unknown required mark \"{}\": decide whether the field is required",
                mark.trim()
            )),
        }
    } else if let Some(mark) = cell(ColumnRole::Optional) {
        match type_words::required_mark(mark) {
            RequiredMark::Yes => required = Some(false),
            RequiredMark::No => required = Some(true),
            RequiredMark::Unknown => comments.push(format!(
                "unknown optional mark \"{}\": decide whether the field is required",
                mark.trim()
            )),
        }
    }
    if required.is_none() {
        if let Some(mark) = type_mark {
            required = Some(mark);
            comments.push(format!(
                "required mark read from the type cell \"{}\"",
                cell(ColumnRole::Type).unwrap_or_default().trim()
            ));
        } else if star_required {
            required = Some(true);
            comments.push(format!("required: the name is written \"{raw_name}\""));
        }
    }

    let note = cell(ColumnRole::Note).unwrap_or_default().trim();
    let (note_text, links) = notes::links(note);
    let mut reference = None;
    let mut see = None;
    for link in &links {
        if link.target.starts_with("http://") || link.target.starts_with("https://") {
            see.get_or_insert(link.target.clone());
        } else if !link.target.starts_with('#') && !link.target.starts_with("mailto:") {
            if reference.is_none() {
                comments.push(format!(
                    "the note links to \"{}\": taken as an id of what that page lists",
                    link.target
                ));
            }
            reference.get_or_insert((link.text.clone(), link.target.clone()));
        }
    }
    let note_text = note_text.trim().to_owned();
    // A note that is only a link elsewhere ("wiki") says nothing beyond the link.
    let only_see_link = links.len() == 1 && see.is_some() && note_text == links[0].text;
    let description = (!note_text.is_empty() && !only_see_link).then_some(note_text.clone());

    let mut default = None;
    let mut default_from_note = false;
    if let Some(cell) = cell(ColumnRole::Default)
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
    {
        default = Some(default_json(cell));
    } else if let Some(value) = notes::default_value(&note_text) {
        default_from_note = true;
        default = Some(value);
    }

    let page_word = type_cell.trim_matches('`').trim().to_owned();
    let type_cell = page_word.clone();
    match &ty {
        DraftType::Unknown(word) if word.is_empty() => {
            if let Some(values) = notes::enumeration(&note_text) {
                comments.push(format!(
                    "the values {} are read from the note",
                    values.join(", ")
                ));
                ty = DraftType::Enum(values);
            } else {
                comments.push("the table gives no type: decide it".to_owned());
            }
        }
        DraftType::Unknown(word) => {
            comments.push(format!("unknown type word \"{word}\": decide the type"));
        }
        DraftType::Scalar(FieldType::String) => {
            if let Some(values) = notes::enumeration(&note_text) {
                comments.push(format!(
                    "the note lists the values {}: an enum? (the type cell says \"{type_cell}\")",
                    values.join(", ")
                ));
            }
        }
        DraftType::Enum(values) => comments.push(format!(
            "enum: the type cell lists the values \"{}\"",
            values.join("/")
        )),
        DraftType::Array(items) if **items == DraftType::Any => comments.push(format!(
            "the table says \"{type_cell}\" without an item type"
        )),
        DraftType::Object(_) => comments.push(format!(
            "the table says \"{type_cell}\" without its members"
        )),
        _ => {}
    }
    if let Some(value) = default.take() {
        match serde_json::from_str::<Value>(&value) {
            Ok(parsed) if fits(&parsed, &ty) => {
                if default_from_note {
                    comments.push(format!("default {value} read from the note"));
                }
                default = Some(value);
            }
            _ => comments.push(format!(
                "the note gives the default {value}, which is not a `{}`: decide",
                ty.spec_name()
            )),
        }
    }
    if required != Some(true) && notes::mentions_required(&note_text) {
        comments.push(
            "the note speaks of being required, the required mark does not: decide".to_owned(),
        );
    }
    Some(DraftField {
        name,
        ty,
        required,
        description,
        from_example: false,
        reference,
        see,
        default,
        page_word,
        comments,
    })
}

/// A type cell without a trailing `(required)` / `(optional)`, and that mark.
fn split_mark(cell: &str) -> (String, Option<bool>) {
    let lower = cell.to_lowercase();
    for (word, mark) in [
        ("required", true),
        ("bắt buộc", true),
        ("חובה", true),
        ("optional", false),
        ("tùy chọn", false),
        ("không bắt buộc", false),
    ] {
        for form in [format!("({word})"), format!(", {word}")] {
            // Found in the lower-cased text, cut from the same text: lower-casing can change
            // byte lengths, so no index of one is used on the other.
            if let Some(at) = lower.rfind(&form)
                && lower[at + form.len()..].trim().is_empty()
            {
                let kept = lower[..at].trim();
                let original = cell
                    .char_indices()
                    .map(|(index, _)| index)
                    .chain([cell.len()])
                    .find(|index| cell[..*index].to_lowercase().trim() == kept)
                    .map_or(kept, |index| cell[..index].trim());
                return (original.to_owned(), Some(mark));
            }
        }
    }
    (cell.to_owned(), None)
}

/// A default cell as JSON text: numbers and `true`/`false`/`null` as written, anything else a
/// string.
fn default_json(cell: &str) -> String {
    let cell = cell.trim_matches('`');
    if notes::is_json_number(cell) || matches!(cell, "true" | "false" | "null") {
        cell.to_owned()
    } else {
        serde_json::to_string(cell.trim_matches(['"', '\''])).unwrap_or_default()
    }
}

/// A value's kind in words, for reasons and for fields read off an example.
pub(crate) fn value_words(value: &Value) -> String {
    match value {
        Value::Null => "`null`".to_owned(),
        Value::Bool(flag) => format!("the boolean `{flag}`"),
        Value::Number(number) => {
            let text = number.to_string();
            if text.trim_start_matches('-').len() > 15 {
                format!("a bare {}-digit number", text.trim_start_matches('-').len())
            } else {
                format!("the number {text}")
            }
        }
        Value::String(text) if text.chars().count() <= 40 => format!("the string \"{text}\""),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The fields of an example object, in its order. `top_level` members are marked required
/// (the response is documented only by its example); nested objects' members are not marked.
pub(crate) fn fields_from_example(
    object: &serde_json::Map<String, Value>,
    top_level: bool,
    tables: &[DraftField],
) -> Vec<DraftField> {
    object
        .iter()
        .map(|(name, value)| {
            let mut comments = Vec::new();
            let mut ty = type_of_value(value);
            if let Some(table) = tables.iter().find(|field| field.name == *name)
                && fits(value, &table.ty)
                && table.ty != ty
                && !matches!(table.ty, DraftType::Object(_) | DraftType::Array(_))
            {
                comments.push(format!(
                    "type `{}` from the request table's `{name}`, which the example's value fits",
                    table.ty.spec_name()
                ));
                ty = table.ty.clone();
            }
            if value.is_null() {
                comments.push("the example shows only `null`: decide the type".to_owned());
            }
            DraftField {
                name: name.clone(),
                ty,
                required: top_level.then_some(true),
                description: None,
                from_example: true,
                reference: None,
                see: None,
                default: None,
                page_word: value_words(value),
                comments,
            }
        })
        .collect()
}

/// The type of an example value: numbers with a fraction or exponent are `number`, others
/// `integer`; strings in the date or date-time form are those.
pub(crate) fn type_of_value(value: &Value) -> DraftType {
    match value {
        Value::Null => DraftType::Any,
        Value::Bool(_) => DraftType::Scalar(FieldType::Boolean),
        Value::Number(number) => {
            let text = number.to_string();
            if text.contains(['.', 'e', 'E']) {
                DraftType::Scalar(FieldType::Number)
            } else {
                DraftType::Scalar(FieldType::Integer)
            }
        }
        Value::String(text) if is_date(text) => DraftType::Scalar(FieldType::Date),
        Value::String(text) if is_date_time(text) => DraftType::Scalar(FieldType::DateTime),
        Value::String(_) => DraftType::Scalar(FieldType::String),
        Value::Array(items) => DraftType::Array(Box::new(items_type(items))),
        Value::Object(object) => DraftType::Object(DraftBody {
            fields: fields_from_example(object, false, &[]),
            undocumented: UndocumentedFields::Allow,
        }),
    }
}

/// The type of a list's items: objects merged (a member in every item is required), kinds that
/// differ made a union.
pub(crate) fn items_type(items: &[Value]) -> DraftType {
    if items.iter().all(Value::is_object) && !items.is_empty() {
        let mut fields: Vec<DraftField> = Vec::new();
        for item in items {
            let Value::Object(object) = item else {
                continue;
            };
            for field in fields_from_example(object, false, &[]) {
                match fields.iter_mut().find(|known| known.name == field.name) {
                    Some(known) => known.ty = merge(&known.ty, &field.ty),
                    None => fields.push(field),
                }
            }
        }
        for field in &mut fields {
            let everywhere = items.iter().all(|item| item.get(&field.name).is_some());
            field.required = Some(everywhere);
        }
        return DraftType::Object(DraftBody {
            fields,
            undocumented: UndocumentedFields::Allow,
        });
    }
    items
        .iter()
        .map(type_of_value)
        .reduce(|left, right| merge(&left, &right))
        .unwrap_or(DraftType::Any)
}

/// One type for two example values' types.
fn merge(left: &DraftType, right: &DraftType) -> DraftType {
    use DraftType::{Any, Scalar, Union};
    match (left, right) {
        _ if left == right => left.clone(),
        (Any, other) | (other, Any) => other.clone(),
        (Scalar(FieldType::Integer), Scalar(FieldType::Number))
        | (Scalar(FieldType::Number), Scalar(FieldType::Integer)) => Scalar(FieldType::Number),
        (Union(variants), other) | (other, Union(variants)) => {
            let mut variants = variants.clone();
            let text_like = |ty: &DraftType| matches!(ty, Scalar(kind) if is_text(*kind));
            match variants.iter_mut().find(|variant| {
                variant.spec_name() == other.spec_name() || text_like(variant) && text_like(other)
            }) {
                Some(variant) => *variant = merge(variant, other),
                None => variants.push(other.clone()),
            }
            Union(variants)
        }
        _ if left.spec_name() == right.spec_name() => left.clone(),
        (Scalar(a), Scalar(b)) if is_text(*a) && is_text(*b) => Scalar(FieldType::String),
        _ => Union(vec![left.clone(), right.clone()]),
    }
}

/// Whether a scalar is a JSON string on the wire.
fn is_text(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::String | FieldType::Date | FieldType::DateTime | FieldType::Email
    )
}

/// Whether an example value is one the draft type takes.
pub fn fits(value: &Value, ty: &DraftType) -> bool {
    match (ty, value) {
        (DraftType::Any | DraftType::Unknown(_), _) => true,
        (DraftType::Scalar(FieldType::String), Value::String(_)) => true,
        (DraftType::Scalar(FieldType::Date), Value::String(text)) => is_date(text),
        (DraftType::Scalar(FieldType::DateTime), Value::String(text)) => is_date_time(text),
        (DraftType::Scalar(FieldType::Email), Value::String(text)) => text.contains('@'),
        (DraftType::Scalar(FieldType::Number), Value::Number(_)) => true,
        (DraftType::Scalar(FieldType::Integer), Value::Number(number)) => {
            !number.to_string().contains(['.', 'e', 'E'])
        }
        (DraftType::Scalar(FieldType::Boolean), Value::Bool(_)) => true,
        (DraftType::Enum(values), Value::String(text)) => values.contains(text),
        (DraftType::Array(items), Value::Array(values)) => {
            values.iter().all(|value| fits(value, items))
        }
        (DraftType::Object(_), Value::Object(_)) => true,
        (DraftType::Union(variants), value) => variants.iter().any(|variant| fits(value, variant)),
        _ => false,
    }
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [year, month, day] if year.len() == 4 && month.len() == 2 && day.len() == 2 && digits(year) && digits(month) && digits(day))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, zone_ok) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, true)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let zone = &time[at + 1..];
        (
            &time[..at],
            zone.len() == 5
                && zone.as_bytes()[2] == b':'
                && digits(&zone[..2])
                && digits(&zone[3..]),
        )
    } else {
        (time, false)
    };
    let (clock, fraction_ok) = match clock.split_once('.') {
        Some((clock, fraction)) => (clock, digits(fraction)),
        None => (clock, true),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    zone_ok
        && fraction_ok
        && parts.len() == 3
        && parts.iter().all(|part| part.len() == 2 && digits(part))
}
