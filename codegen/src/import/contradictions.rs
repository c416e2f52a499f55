//! An example payload and the fields a table gives in, the contradictions between them out,
//! each as a `known` entry: a JSON Pointer, the conformance rule the example breaks (`type`,
//! `format`, `enum`, `required`, `undocumented-field`) and the reason in words.

use serde_json::Value;

use crate::spec::{FieldType, Rule, UndocumentedFields};

use super::fields::{fits, is_date, is_date_time, value_words};
use super::{DraftBody, DraftType, KnownReading};

/// Every contradiction of `example` against `body`, in the example's order.
pub fn check(example: &Value, body: &DraftBody) -> Vec<KnownReading> {
    let mut found = Vec::new();
    if let Value::Object(object) = example {
        check_object(object, body, "", &mut found);
    }
    found
}

fn check_object(
    object: &serde_json::Map<String, Value>,
    body: &DraftBody,
    path: &str,
    found: &mut Vec<KnownReading>,
) {
    for (name, value) in object {
        let pointer = format!("{path}/{}", escape(name));
        match body.fields.iter().find(|field| field.name == *name) {
            Some(field) if field.from_example => {}
            Some(field) => check_value(value, &field.ty, &field.page_word, &pointer, found),
            None if body.undocumented == UndocumentedFields::Forbid => {
                let near = body
                    .fields
                    .iter()
                    .find(|field| field.name.eq_ignore_ascii_case(name));
                let reason = match near {
                    Some(field) => format!(
                        "the table spells it `{}`; the example sends `{name}`",
                        field.name
                    ),
                    None => format!("the example sends `{name}`, which the table does not list"),
                };
                found.push(KnownReading {
                    path: pointer,
                    rule: Rule::UndocumentedField,
                    reason,
                });
            }
            None => {}
        }
    }
    for field in &body.fields {
        if field.required == Some(true) && !field.from_example && !object.contains_key(&field.name)
        {
            found.push(KnownReading {
                path: format!("{path}/{}", escape(&field.name)),
                rule: Rule::Required,
                reason: format!(
                    "the table marks `{}` required; the example does not send it",
                    field.name
                ),
            });
        }
    }
}

fn check_value(
    value: &Value,
    ty: &DraftType,
    word: &str,
    pointer: &str,
    found: &mut Vec<KnownReading>,
) {
    if fits(value, ty) {
        match (ty, value) {
            (DraftType::Object(body), Value::Object(object)) if !body.fields.is_empty() => {
                check_object(object, body, pointer, found);
            }
            (DraftType::Array(items), Value::Array(values)) => {
                for (index, item) in values.iter().enumerate() {
                    if let (DraftType::Object(body), Value::Object(object)) = (&**items, item)
                        && !body.fields.is_empty()
                    {
                        check_object(object, body, &format!("{pointer}/{index}"), found);
                    }
                }
            }
            _ => {}
        }
        return;
    }
    let says = if word.is_empty() {
        ty.spec_name().to_owned()
    } else {
        word.to_owned()
    };
    let rule = match (ty, value) {
        (
            DraftType::Scalar(FieldType::Date | FieldType::DateTime | FieldType::Email),
            Value::String(_),
        ) => Rule::Format,
        (DraftType::Enum(_), Value::String(_)) => Rule::Enum,
        (DraftType::Array(items), Value::Array(values)) => {
            for (index, item) in values.iter().enumerate() {
                check_value(item, items, "", &format!("{pointer}/{index}"), found);
            }
            return;
        }
        _ => Rule::Type,
    };
    let sends = match (ty, value) {
        (DraftType::Scalar(FieldType::Date), Value::String(text)) if is_date_time(text) => {
            "a date-time".to_owned()
        }
        (DraftType::Scalar(FieldType::DateTime), Value::String(text)) if is_date(text) => {
            "a date without a time".to_owned()
        }
        _ => value_words(value),
    };
    found.push(KnownReading {
        path: pointer.to_owned(),
        rule,
        reason: format!("the table says `{says}`; the example sends {sends}"),
    });
}

/// A JSON Pointer segment for `name` (`~` and `/` escaped).
pub fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
