//! Model in, the table-derived corpus out: for every body, payloads that the page's table says
//! are valid and invalid, each with its expected verdict and, for invalid ones, the rule broken
//! and the JSON Pointer of the offending value.
//!
//! Every payload is derived from the model, never from a validator: a valid payload sets every
//! field (or only the required ones) to a value of its type; an invalid one changes exactly one
//! place of a valid payload (the required fields plus the top-level field holding the place) (drops a required field, gives a field another type, an enum value
//! outside the list, a date in another form, an unlisted field where the spec forbids them, or
//! leaves out every member of an at-least-one-of group, or crosses one of a field's limits: a
//! value just past each bound, length and item count, a string off its pattern, a repeated item;
//! the values right at each limit are valid cases). Checkers and foreign validators run it and
//! must agree with the verdicts.

use serde_json::{Map, Number, Value, json};

use crate::decimal::Decimal;
use crate::model::{Body, Constraints, Endpoint, Object, Service, Shape, UndocumentedFields};
use crate::spec::Rule;

/// One corpus entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusCase {
    /// What the payload is, in words.
    pub name: String,
    /// Whether the body's schema accepts it.
    pub valid: bool,
    /// For invalid payloads: the rule broken and where.
    pub violation: Option<(Rule, String)>,
    /// The payload.
    pub payload: Value,
}

/// A whole number beyond 2^64, as the CRM's ids are.
const BIG_INTEGER: &str = "233476065495939904005866822871905093425";
/// A decimal whose digits `f64` cannot hold.
const EXACT_DECIMAL: &str = "12345678901234567890.125";

fn number(text: &str) -> Value {
    serde_json::from_str::<Number>(text)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn sample_text(language: &str) -> &'static str {
    match language {
        "he" => "טקסט לדוגמה",
        "vi" => "Văn bản mẫu: Hà Nội",
        _ => "sample text",
    }
}

/// No limits.
const UNLIMITED: &Constraints = &Constraints {
    minimum: None,
    maximum: None,
    exclusive_minimum: None,
    exclusive_maximum: None,
    min_length: None,
    max_length: None,
    pattern: None,
    min_items: None,
    max_items: None,
    unique_items: false,
};

/// Whether `value` (a number) is inside the numeric limits.
fn number_within(constraints: &Constraints, value: &Decimal) -> bool {
    let bound = |text: &Option<String>| text.as_deref().and_then(Decimal::parse);
    bound(&constraints.minimum).is_none_or(|m| *value >= m)
        && bound(&constraints.maximum).is_none_or(|m| *value <= m)
        && bound(&constraints.exclusive_minimum).is_none_or(|m| *value > m)
        && bound(&constraints.exclusive_maximum).is_none_or(|m| *value < m)
}

/// A number inside the limits, preferring the unlimited sample (a 39-digit integer or an exact
/// decimal), then each bound and its neighbours.
fn number_inside(constraints: &Constraints, integer: bool) -> Value {
    let sample = if integer { BIG_INTEGER } else { EXACT_DECIMAL };
    let step = if integer {
        Decimal::one()
    } else {
        Decimal::parse("1e-9").unwrap_or_else(Decimal::one)
    };
    let mut candidates: Vec<Decimal> = Decimal::parse(sample).into_iter().collect();
    for (bound, direction) in [
        (&constraints.minimum, 0),
        (&constraints.maximum, 0),
        (&constraints.exclusive_minimum, 1),
        (&constraints.exclusive_maximum, -1),
    ] {
        if let Some(bound) = bound.as_deref().and_then(Decimal::parse) {
            candidates.push(match direction {
                1 => bound.plus(&step),
                -1 => bound.minus(&step),
                _ => bound,
            });
        }
    }
    candidates.push(Decimal::parse("0").unwrap_or_else(Decimal::one));
    candidates
        .into_iter()
        .find(|candidate| number_within(constraints, candidate))
        .map_or_else(|| number(sample), |found| number(&found.to_plain_text()))
}

/// `text` repeated or cut to a number of characters inside the length limits.
fn fit_length(text: &str, constraints: &Constraints) -> String {
    let length = text.chars().count() as u64;
    let wanted = length
        .max(constraints.min_length.unwrap_or(0))
        .min(constraints.max_length.unwrap_or(u64::MAX));
    text.chars()
        .cycle()
        .take(usize::try_from(wanted).unwrap_or(usize::MAX))
        .collect()
}

/// Whether `text` matches `pattern` as the schema validators read it.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    jsonschema_regex::to_rust_regex(pattern)
        .ok()
        .and_then(|translated| fancy_regex::Regex::new(&translated).ok())
        .is_some_and(|regex| regex.is_match(text).unwrap_or(false))
}

/// A string inside the length limits and matching the pattern, when one can be built.
fn string_inside(constraints: &Constraints, language: &str) -> Value {
    let fitted = fit_length(sample_text(language), constraints);
    let Some(pattern) = &constraints.pattern else {
        return json!(fitted);
    };
    let length_fits = |text: &str| {
        let length = text.chars().count() as u64;
        constraints.min_length.is_none_or(|min| length >= min)
            && constraints.max_length.is_none_or(|max| length <= max)
    };
    let witness = jsonschema_regex::pattern_witness(pattern)
        .into_iter()
        .chain([fitted.clone()])
        .find(|text| length_fits(text) && matches_pattern(pattern, text));
    json!(witness.unwrap_or(fitted))
}

/// An e-mail address inside the length limits.
fn email_inside(constraints: &Constraints) -> Value {
    let sample = "first.last+tag@example.com";
    let length = sample.len() as u64;
    if constraints.max_length.is_some_and(|max| max < length) {
        return json!("a@b.co");
    }
    match constraints.min_length {
        Some(min) if min > length => {
            let local = "a".repeat(usize::try_from(min - length + 10).unwrap_or(0));
            json!(format!("{local}@example.com"))
        }
        _ => json!(sample),
    }
}

/// The `index`th of several different valid values of `shape`, for lists whose items differ.
fn distinct_value(shape: &Shape, constraints: &Constraints, language: &str, index: usize) -> Value {
    match shape {
        Shape::String if constraints.pattern.is_none() => {
            json!(fit_length(
                &format!("{index} {}", sample_text(language)),
                constraints
            ))
        }
        Shape::Integer | Shape::Number => {
            let base = number_inside(constraints, matches!(shape, Shape::Integer));
            let shifted = Decimal::parse(&base.to_string())
                .map(|decimal| {
                    let mut value = decimal;
                    for _ in 0..index {
                        value = value.plus(&Decimal::one());
                    }
                    value
                })
                .filter(|value| number_within(constraints, value));
            shifted.map_or(base, |value| number(&value.to_plain_text()))
        }
        Shape::Enum(enumeration) => enumeration
            .values
            .get(index)
            .map_or(Value::Null, |value| json!(value.wire)),
        _ => valid_value(shape, constraints, language, true),
    }
}

/// A list of items inside the item limits.
fn list_inside(
    items: &crate::model::ArrayItems,
    constraints: &Constraints,
    language: &str,
    full: bool,
) -> Value {
    if matches!(items.shape, Shape::Recursive(_)) {
        return json!([]);
    }
    let count = constraints
        .min_items
        .unwrap_or(1)
        .max(1)
        .min(constraints.max_items.unwrap_or(u64::MAX));
    let values: Vec<Value> = (0..usize::try_from(count).unwrap_or(1))
        .map(|index| {
            if constraints.unique_items {
                distinct_value(&items.shape, &items.constraints, language, index)
            } else {
                valid_value(&items.shape, &items.constraints, language, full)
            }
        })
        .collect();
    Value::Array(values)
}

/// The smallest valid value of `shape` inside `constraints` (objects with their required fields
/// only), in English sample text: what a mock answers where nothing better is known.
pub fn minimal_valid_value(shape: &Shape, constraints: &Constraints) -> Value {
    valid_value(shape, constraints, "en", false)
}

/// A valid value of `shape` inside `constraints`: every field of objects when `full`, else only
/// what is required.
fn valid_value(shape: &Shape, constraints: &Constraints, language: &str, full: bool) -> Value {
    match shape {
        Shape::String => string_inside(constraints, language),
        Shape::Integer => number_inside(constraints, true),
        Shape::Number => number_inside(constraints, false),
        Shape::Boolean => json!(true),
        Shape::Date => json!("2024-02-29"),
        Shape::DateTime => json!("2024-02-29T12:30:00.250+07:00"),
        Shape::Email => email_inside(constraints),
        Shape::Any => json!({"free": ["form", 1]}),
        Shape::Enum(enumeration) => enumeration
            .values
            .first()
            .map_or(Value::Null, |value| json!(value.wire)),
        Shape::Array(items) => list_inside(items, constraints, language, full),
        Shape::Object(object) => Value::Object(object_value(object, language, full)),
        Shape::Union(union) => union.variants.first().map_or(Value::Null, |variant| {
            valid_value(&variant.shape, UNLIMITED, language, full)
        }),
        // A shape inside itself: its fields that lead back are left out (see `object_value`).
        Shape::Recursive(_) => Value::Null,
    }
}

fn object_value(object: &Object, language: &str, full: bool) -> Map<String, Value> {
    let mut members = Map::new();
    for field in &object.fields {
        let in_a_group = object
            .at_least_one_of
            .iter()
            .any(|group| group.first() == Some(&field.wire_name));
        let leads_back = matches!(field.shape, Shape::Recursive(_));
        if (full && !leads_back) || field.required || in_a_group {
            members.insert(
                field.wire_name.clone(),
                valid_value(&field.shape, &field.constraints, language, full),
            );
        }
    }
    members
}

/// A value of another JSON type than any `shape` admits, if there is one.
fn wrong_type_value(shape: &Shape) -> Option<Value> {
    let admits = |candidate: &Value| admits_type(shape, candidate);
    let candidates = [
        number(BIG_INTEGER),
        json!("233476065495939904005866822871905093425"),
        json!(true),
        json!(["a list"]),
        json!({"an": "object"}),
        number("1.5"),
    ];
    candidates.into_iter().find(|candidate| !admits(candidate))
}

/// Whether `shape`'s JSON type admits `value`'s JSON type (formats and enums aside).
fn admits_type(shape: &Shape, value: &Value) -> bool {
    match shape {
        Shape::String | Shape::Date | Shape::DateTime | Shape::Email | Shape::Enum(_) => {
            value.is_string()
        }
        Shape::Integer => value.as_number().is_some_and(|number| {
            let text = number.to_string();
            !text.contains('.') && !text.contains(['e', 'E'])
        }),
        Shape::Number => value.is_number(),
        Shape::Boolean => value.is_boolean(),
        Shape::Any => true,
        Shape::Array(_) => value.is_array(),
        Shape::Object(_) => value.is_object(),
        Shape::Union(union) => union
            .variants
            .iter()
            .any(|variant| admits_type(&variant.shape, value)),
        Shape::Recursive(_) => value.is_object(),
    }
}

/// Strings in another form than a format asks for, each with what it is.
fn other_forms(shape: &Shape) -> &'static [(&'static str, &'static str)] {
    match shape {
        Shape::Date => &[
            ("2003-11-21T01:11:11Z", "a date-time"),
            ("2023-02-29", "the 29th of February of a common year"),
            ("2024-2-9", "single-digit month and day"),
        ],
        Shape::DateTime => &[
            ("2024-02-29", "a date without a time"),
            ("2024-02-29 12:30:00Z", "a space for the `T`"),
            ("2024-02-29T12:30:00", "no offset"),
        ],
        Shape::Email => &[
            ("not an address", "no `@`"),
            ("user@localhost", "a host without a dot"),
        ],
        _ => &[],
    }
}

/// Every place a case can change: fields of objects, recursively, and the first item of
/// arrays, each with its pointer and a way to reach it in a payload.
struct Place<'a> {
    pointer: String,
    /// The name of the value, as case names show it (`custom_fields/0/name`).
    label: String,
    shape: &'a Shape,
    constraints: &'a Constraints,
    required: bool,
    nullable: bool,
    wire_name: Option<&'a str>,
    /// A member of an at-least-one-of group of its object: `null` there may leave it empty.
    in_group: bool,
}

fn places<'a>(object: &'a Object, pointer: &str, out: &mut Vec<Place<'a>>) {
    for field in &object.fields {
        let field_pointer = format!("{pointer}/{}", escape(&field.wire_name));
        out.push(Place {
            pointer: field_pointer.clone(),
            label: field_pointer[1..].to_owned(),
            shape: &field.shape,
            constraints: &field.constraints,
            required: field.required,
            nullable: field.nullable,
            wire_name: Some(&field.wire_name),
            in_group: object
                .at_least_one_of
                .iter()
                .any(|group| group.contains(&field.wire_name)),
        });
        shape_places(&field.shape, &field_pointer, out);
    }
}

fn shape_places<'a>(shape: &'a Shape, pointer: &str, out: &mut Vec<Place<'a>>) {
    match shape {
        Shape::Object(object) => places(object, pointer, out),
        // A list of a shape met again inside itself is left empty by the valid payloads.
        Shape::Array(items) if matches!(items.shape, Shape::Recursive(_)) => {}
        Shape::Array(items) => {
            let item_pointer = format!("{pointer}/0");
            out.push(Place {
                pointer: item_pointer.clone(),
                label: item_pointer[1..].to_owned(),
                shape: &items.shape,
                constraints: &items.constraints,
                required: true,
                nullable: items.nullable,
                wire_name: None,
                in_group: false,
            });
            shape_places(&items.shape, &item_pointer, out);
        }
        _ => {}
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Sets (or with `None`, removes) the value at `pointer`.
fn edited(payload: &Value, pointer: &str, value: Option<Value>) -> Value {
    let mut payload = payload.clone();
    let (parent, last) = match pointer.rfind('/') {
        Some(slash) => (&pointer[..slash], &pointer[slash + 1..]),
        None => return payload,
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match payload.pointer_mut(parent) {
        Some(Value::Object(members)) => match value {
            Some(value) => {
                members.insert(last, value);
            }
            None => {
                members.shift_remove(&last);
            }
        },
        Some(Value::Array(items)) => {
            if let (Ok(index), Some(value)) = (last.parse::<usize>(), value)
                && let Some(item) = items.get_mut(index)
            {
                *item = value;
            }
        }
        _ => {}
    }
    payload
}

/// A valid value inside the limits and the values right at and just past each of them, each
/// with whether the schema accepts it: samples for property tests of values with limits.
pub fn limit_samples(shape: &Shape, constraints: &Constraints) -> Vec<(Value, bool)> {
    let inside = valid_value(shape, constraints, "vi", true);
    let mut samples = vec![(inside.clone(), true)];
    samples.extend(
        limit_values(shape, constraints, Some(&inside), "vi")
            .into_iter()
            .map(|(_, value, valid)| (value, valid)),
    );
    samples
}

/// The values right at and just past each limit of a place: (what, value, valid).
fn limit_cases(
    place: &Place<'_>,
    current: Option<&Value>,
    language: &str,
) -> Vec<(String, Value, bool)> {
    limit_values(place.shape, place.constraints, current, language)
}

fn limit_values(
    shape: &Shape,
    constraints: &Constraints,
    current: Option<&Value>,
    language: &str,
) -> Vec<(String, Value, bool)> {
    let mut out = Vec::new();
    match shape {
        Shape::Integer | Shape::Number => {
            let integer = matches!(shape, Shape::Integer);
            let step = if integer {
                Decimal::one()
            } else {
                Decimal::parse("1e-9").unwrap_or_else(Decimal::one)
            };
            let bounds = [
                ("minimum", &constraints.minimum, false, true),
                ("maximum", &constraints.maximum, false, false),
                (
                    "exclusive_minimum",
                    &constraints.exclusive_minimum,
                    true,
                    true,
                ),
                (
                    "exclusive_maximum",
                    &constraints.exclusive_maximum,
                    true,
                    false,
                ),
            ];
            for (name, bound, exclusive, lower) in bounds {
                let Some(bound) = bound.as_deref().and_then(Decimal::parse) else {
                    continue;
                };
                let past = if lower {
                    bound.minus(&step)
                } else {
                    bound.plus(&step)
                };
                if exclusive {
                    out.push((
                        format!("at its {name}, which it must pass"),
                        number(&bound.to_plain_text()),
                        false,
                    ));
                } else {
                    if number_within(constraints, &bound) {
                        out.push((
                            format!("at its {name}"),
                            number(&bound.to_plain_text()),
                            true,
                        ));
                    }
                    out.push((
                        format!("just past its {name}"),
                        number(&past.to_plain_text()),
                        false,
                    ));
                }
            }
        }
        Shape::String | Shape::Email => {
            let inside = match current {
                Some(Value::String(text)) => text.clone(),
                _ => sample_text(language).to_owned(),
            };
            if let Some(min) = constraints.min_length.filter(|min| *min > 0) {
                let short: String = inside
                    .chars()
                    .cycle()
                    .take(usize::try_from(min - 1).unwrap_or(0))
                    .collect();
                if constraints.pattern.is_none() && matches!(shape, Shape::String) {
                    out.push((
                        format!("{} characters, fewer than its min_length", min - 1),
                        json!(short),
                        false,
                    ));
                }
            }
            if let Some(max) = constraints.max_length {
                let long: String = inside
                    .chars()
                    .cycle()
                    .take(usize::try_from(max + 1).unwrap_or(0))
                    .collect();
                if constraints.pattern.is_none()
                    && matches!(shape, Shape::String)
                    && !inside.is_empty()
                {
                    out.push((
                        format!("{} characters, more than its max_length", max + 1),
                        json!(long),
                        false,
                    ));
                }
            }
            if let Some(pattern) = &constraints.pattern {
                let off_pattern = ["", "~", "sample text", "0", "~~~~~~~~~~~~"]
                    .into_iter()
                    .map(|text| fit_length(text, constraints))
                    .find(|text| {
                        let length = text.chars().count() as u64;
                        constraints.min_length.is_none_or(|min| length >= min)
                            && constraints.max_length.is_none_or(|max| length <= max)
                            && !matches_pattern(pattern, text)
                    });
                if let Some(text) = off_pattern {
                    out.push(("off its pattern".to_owned(), json!(text), false));
                }
            }
        }
        Shape::Array(items) => {
            let item = match current {
                Some(Value::Array(values)) if !values.is_empty() => values[0].clone(),
                _ => valid_value(&items.shape, &items.constraints, language, true),
            };
            if let Some(min) = constraints.min_items.filter(|min| *min > 0) {
                let few = vec![item.clone(); usize::try_from(min - 1).unwrap_or(0)];
                if !constraints.unique_items || min <= 2 {
                    out.push((
                        format!("with {} items, fewer than its min_items", min - 1),
                        Value::Array(few),
                        false,
                    ));
                }
            }
            if let Some(max) = constraints.max_items
                && !constraints.unique_items
            {
                let many = vec![item.clone(); usize::try_from(max + 1).unwrap_or(0)];
                out.push((
                    format!("with {} items, more than its max_items", max + 1),
                    Value::Array(many),
                    false,
                ));
            }
            if constraints.unique_items && constraints.max_items.is_none_or(|max| max >= 2) {
                let count = constraints.min_items.unwrap_or(2).max(2);
                let repeated = vec![item; usize::try_from(count).unwrap_or(2)];
                out.push((
                    "with an item repeated".to_owned(),
                    Value::Array(repeated),
                    false,
                ));
            }
        }
        _ => {}
    }
    out
}

/// The table-derived cases of one body.
pub fn corpus_cases(service: &Service, body: &Body) -> Vec<CorpusCase> {
    let language = service.language.as_str();
    let object = &body.object;
    let full = Value::Object(object_value(object, language, true));
    let minimal_payload = Value::Object(object_value(object, language, false));
    let full_for_limits = full.clone();
    let mut cases = vec![
        CorpusCase {
            name: "every field, each with a value of its type".to_owned(),
            valid: true,
            violation: None,
            payload: full.clone(),
        },
        CorpusCase {
            name: "only the required fields".to_owned(),
            valid: true,
            violation: None,
            payload: minimal_payload,
        },
    ];
    let invalid = |name: String, rule: Rule, pointer: &str, payload: Value| CorpusCase {
        name,
        valid: false,
        violation: Some((rule, pointer.to_owned())),
        payload,
    };

    // Each invalid payload changes one place of a valid payload kept small: the required
    // fields, plus the whole of the top-level field the place is in.
    let minimal = match &cases[1].payload {
        Value::Object(members) => members.clone(),
        _ => Map::new(),
    };
    let base_for = |pointer: &str| -> Value {
        let mut base = minimal.clone();
        let top = pointer
            .split('/')
            .nth(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"));
        if let (Some(top), Value::Object(all)) = (top, &full)
            && let Some(value) = all.get(&top)
        {
            base.insert(top, value.clone());
        }
        Value::Object(base)
    };

    let mut all_places = Vec::new();
    places(object, "", &mut all_places);
    for place in &all_places {
        let label = &place.label;
        if place.wire_name.is_some() && place.required {
            cases.push(invalid(
                format!("`{label}` missing"),
                Rule::Required,
                &place.pointer,
                edited(&base_for(&place.pointer), &place.pointer, None),
            ));
        }
        if place.nullable && place.in_group {
            // Whether null is valid there depends on the group's other members.
        } else if place.nullable {
            cases.push(CorpusCase {
                name: format!("`{label}` is null, which it may be"),
                valid: true,
                violation: None,
                payload: edited(&base_for(&place.pointer), &place.pointer, Some(Value::Null)),
            });
        } else if !matches!(place.shape, Shape::Any) {
            cases.push(invalid(
                format!("`{label}` is null"),
                Rule::Type,
                &place.pointer,
                edited(&base_for(&place.pointer), &place.pointer, Some(Value::Null)),
            ));
        }
        if let Some(wrong) = wrong_type_value(place.shape) {
            cases.push(invalid(
                format!("`{label}` of another type"),
                Rule::Type,
                &place.pointer,
                edited(&base_for(&place.pointer), &place.pointer, Some(wrong)),
            ));
        }
        if let Shape::Enum(_) = place.shape {
            cases.push(invalid(
                format!("`{label}` outside the listed values"),
                Rule::Enum,
                &place.pointer,
                edited(
                    &base_for(&place.pointer),
                    &place.pointer,
                    Some(json!("not-a-listed-value")),
                ),
            ));
        }
        for (text, what) in other_forms(place.shape) {
            cases.push(invalid(
                format!("`{label}` as {what}"),
                Rule::Format,
                &place.pointer,
                edited(&base_for(&place.pointer), &place.pointer, Some(json!(text))),
            ));
        }
        let current = full_for_limits.pointer(&place.pointer).cloned();
        for (name, value, valid) in limit_cases(place, current.as_ref(), language) {
            let payload = edited(&base_for(&place.pointer), &place.pointer, Some(value));
            cases.push(if valid {
                CorpusCase {
                    name: format!("`{label}` {name}"),
                    valid: true,
                    violation: None,
                    payload,
                }
            } else {
                invalid(
                    format!("`{label}` {name}"),
                    Rule::Constraint,
                    &place.pointer,
                    payload,
                )
            });
        }
    }

    let mut objects = vec![(object, String::new())];
    for place in &all_places {
        if let Shape::Object(nested) = place.shape {
            objects.push((nested, place.pointer.clone()));
        }
    }
    for (nested, pointer) in objects {
        let where_ = if pointer.is_empty() {
            "the body".to_owned()
        } else {
            format!("`{}`", &pointer[1..])
        };
        let unlisted_pointer = format!("{pointer}/undocumented_field_example");
        let with_unlisted = edited(
            &base_for(&unlisted_pointer),
            &unlisted_pointer,
            Some(json!(sample_text(language))),
        );
        match nested.undocumented_fields {
            UndocumentedFields::Forbid => cases.push(invalid(
                format!("an unlisted field in {where_}, which the spec forbids"),
                Rule::UndocumentedField,
                &unlisted_pointer,
                with_unlisted,
            )),
            UndocumentedFields::Allow => cases.push(CorpusCase {
                name: format!("an unlisted field in {where_}, which the spec allows"),
                valid: true,
                violation: None,
                payload: with_unlisted,
            }),
        }
        for group in &nested.at_least_one_of {
            if group
                .iter()
                .any(|name| nested.field(name).is_some_and(|field| field.required))
            {
                continue;
            }
            let mut payload = base_for(&pointer);
            for name in group {
                payload = edited(&payload, &format!("{pointer}/{}", escape(name)), None);
            }
            let names = group
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            cases.push(invalid(
                format!("none of {names} in {where_}"),
                Rule::AtLeastOneOf,
                &pointer,
                payload,
            ));
        }
    }
    cases
}

/// The corpus file of one body, as `generated/corpus/<service>/<endpoint>.<direction>.json`:
/// a JSON document with one case per line, so a file of hundreds of cases stays readable and a
/// change to one case is a one-line diff.
pub fn corpus_file(service: &Service, endpoint: &Endpoint, body: &Body) -> String {
    let compact = |value: &Value| serde_json::to_string(value).unwrap_or_default();
    let header = [
        (
            "$comment",
            json!(format!(
                "@generated by `cargo xtask gen` from {}; do not edit by hand. Payloads the page's table says are valid and invalid, with the verdict every validator must give",
                endpoint.spec_path
            )),
        ),
        ("service", json!(service.id)),
        ("endpoint", json!(endpoint.id)),
        ("direction", json!(body.direction.as_str())),
        (
            "schema",
            json!(format!(
                "../../schemas/{}",
                crate::emit_schema::schema_file_name(service, endpoint, body)
            )),
        ),
    ];
    let mut out = String::from("{\n");
    for (key, value) in header {
        out.push_str(&format!(
            "  {}: {},\n",
            compact(&json!(key)),
            compact(&value)
        ));
    }
    out.push_str("  \"cases\": [\n");
    let cases = corpus_cases(service, body);
    for (index, case) in cases.iter().enumerate() {
        let mut entry = Map::new();
        entry.insert("name".into(), json!(case.name));
        entry.insert("valid".into(), json!(case.valid));
        if let Some((rule, pointer)) = &case.violation {
            entry.insert("rule".into(), json!(rule.as_str()));
            entry.insert("pointer".into(), json!(pointer));
        }
        entry.insert("payload".into(), case.payload.clone());
        out.push_str("    ");
        out.push_str(&compact(&Value::Object(entry)));
        out.push_str(if index + 1 < cases.len() { ",\n" } else { "\n" });
    }
    out.push_str("  ]\n}\n");
    out
}
