//! A request body's contract and its limits in, the probe's requests on and past every limit
//! out: each `minimum`, `maximum`, `exclusive_*` (one step inside), `min_length`, `max_length`,
//! `pattern`, `min_items` and `max_items` met exactly (valid), and crossed by one step (invalid,
//! rule `constraint`), one field at a time; and values kept inside the limits for the other
//! requests. Exact for bounds of any length (see `bounds`). These requests are tries: the plan
//! leaves out those the contract turns down (a field with several limits may have no value past
//! one alone).

use codegen::model::{Constraints, Object, Shape};
use serde_json::Value;

use crate::finding::Rule;
use crate::probe::bounds::{
    LONGEST_MADE_STRING, matching_string, non_matching_string, step, string_of_length,
};
use crate::probe::generate::{
    Expectation, Filling, GeneratedRequest, SeededRandom, TextStyle, exact_number, fields_of, put,
    value_of,
};

/// The valid requests at the boundaries of every constraint: each `minimum`, `maximum`,
/// `exclusive_*` (one step inside), `min_length`, `max_length`, `pattern`, `min_items` and
/// `max_items` met exactly, one field at a time, on `full`.
pub(super) fn boundary_requests(object: &Object, full: &Value) -> Vec<GeneratedRequest> {
    let mut requests = Vec::new();
    for place in limited_places(object) {
        for (limit, value) in boundary_values(&place) {
            let mut body = full.clone();
            put(&mut body, &place.pointer, value, full);
            requests.push(GeneratedRequest {
                id: format!("boundary{}/{limit}", place.pointer),
                what: format!("`{}` on its `{limit}`", place.pointer),
                expectation: Expectation::Valid,
                body,
                speculative: true,
            });
        }
    }
    requests
}

/// The invalid requests that cross one limit of one field (one step past `maximum`, one
/// character short of `min_length`, a string the `pattern` refuses, …), on `minimal`.
pub(super) fn bound_crossing_requests(
    object: &Object,
    minimal: &Value,
    full: &Value,
) -> Vec<GeneratedRequest> {
    let mut requests = Vec::new();
    for place in limited_places(object) {
        for (limit, value) in crossing_values(&place) {
            let mut body = minimal.clone();
            put(&mut body, &place.pointer, value, full);
            requests.push(GeneratedRequest {
                id: format!("bound-crossed{}/{limit}", place.pointer),
                what: format!("`{}` past its `{limit}`", place.pointer),
                expectation: Expectation::Invalid {
                    rule: Rule::Constraint,
                    pointer: place.pointer.clone(),
                },
                body,
                speculative: true,
            });
        }
    }
    requests
}

/// A value with limits: a field's, or an array's items' (at the first item).
struct LimitedPlace<'a> {
    pointer: String,
    shape: &'a Shape,
    constraints: &'a Constraints,
}

fn limited_places(object: &Object) -> Vec<LimitedPlace<'_>> {
    let mut places = Vec::new();
    for place in fields_of(object, "") {
        if !place.field.constraints.is_empty() {
            places.push(LimitedPlace {
                pointer: place.pointer.clone(),
                shape: &place.field.shape,
                constraints: &place.field.constraints,
            });
        }
        if let Shape::Array(items) = &place.field.shape
            && !items.constraints.is_empty()
        {
            places.push(LimitedPlace {
                pointer: format!("{}/0", place.pointer),
                shape: &items.shape,
                constraints: &items.constraints,
            });
        }
    }
    places
}

fn is_integer(shape: &Shape) -> bool {
    matches!(shape, Shape::Integer)
}

fn boundary_values(place: &LimitedPlace<'_>) -> Vec<(&'static str, Value)> {
    let limits = place.constraints;
    let integer = is_integer(place.shape);
    let mut values = Vec::new();
    if let Some(minimum) = &limits.minimum {
        values.push(("minimum", exact_number(minimum)));
    }
    if let Some(maximum) = &limits.maximum {
        values.push(("maximum", exact_number(maximum)));
    }
    if let Some(bound) = limits
        .exclusive_minimum
        .as_deref()
        .and_then(|b| step(b, true, integer))
    {
        values.push(("exclusive_minimum", exact_number(&bound)));
    }
    if let Some(bound) = limits
        .exclusive_maximum
        .as_deref()
        .and_then(|b| step(b, false, integer))
    {
        values.push(("exclusive_maximum", exact_number(&bound)));
    }
    let seed = limits
        .pattern
        .as_deref()
        .and_then(matching_string)
        .unwrap_or_else(|| "probe".to_owned());
    if let Some(length) = limits.min_length {
        values.push(("min_length", Value::String(string_of_length(&seed, length))));
    }
    if let Some(length) = limits
        .max_length
        .filter(|length| *length <= LONGEST_MADE_STRING)
    {
        values.push(("max_length", Value::String(string_of_length(&seed, length))));
    }
    if let Some(made) = limits.pattern.as_deref().and_then(matching_string) {
        values.push(("pattern", Value::String(made)));
    }
    if let Shape::Array(items) = place.shape {
        if let Some(count) = limits.min_items {
            values.push(("min_items", items_value(items, count)));
        }
        if let Some(count) = limits.max_items.filter(|count| *count <= 1000) {
            values.push(("max_items", items_value(items, count)));
        }
    }
    values
}

fn crossing_values(place: &LimitedPlace<'_>) -> Vec<(&'static str, Value)> {
    let limits = place.constraints;
    let integer = is_integer(place.shape);
    let mut values = Vec::new();
    if let Some(bound) = limits
        .minimum
        .as_deref()
        .and_then(|b| step(b, false, integer))
    {
        values.push(("minimum", exact_number(&bound)));
    }
    if let Some(bound) = limits
        .maximum
        .as_deref()
        .and_then(|b| step(b, true, integer))
    {
        values.push(("maximum", exact_number(&bound)));
    }
    if let Some(bound) = &limits.exclusive_minimum {
        values.push(("exclusive_minimum", exact_number(bound)));
    }
    if let Some(bound) = &limits.exclusive_maximum {
        values.push(("exclusive_maximum", exact_number(bound)));
    }
    let seed = limits
        .pattern
        .as_deref()
        .and_then(matching_string)
        .unwrap_or_else(|| "probe".to_owned());
    if let Some(length) = limits.min_length.filter(|length| *length > 0) {
        values.push((
            "min_length",
            Value::String(string_of_length(&seed, length - 1)),
        ));
    }
    if let Some(length) = limits
        .max_length
        .filter(|length| *length < LONGEST_MADE_STRING)
    {
        values.push((
            "max_length",
            Value::String(string_of_length(&seed, length + 1)),
        ));
    }
    if let Some(pattern) = &limits.pattern {
        let length = limits.min_length.unwrap_or(1).max(1);
        if let Some(other) = non_matching_string(pattern, Some(length)) {
            values.push(("pattern", Value::String(other)));
        }
    }
    if let Shape::Array(items) = place.shape {
        if let Some(count) = limits.min_items.filter(|count| *count > 0) {
            values.push(("min_items", items_value(items, count - 1)));
        }
        if let Some(count) = limits.max_items.filter(|count| *count < 1000) {
            values.push(("max_items", items_value(items, count + 1)));
        }
        if limits.unique_items && limits.max_items.is_none_or(|count| count >= 2) {
            let item = items_value(items, 1)
                .as_array()
                .and_then(|list| list.first().cloned());
            if let Some(item) = item {
                values.push(("unique_items", Value::Array(vec![item.clone(), item])));
            }
        }
    }
    values
}

/// `count` different items of an array's type.
fn items_value(items: &codegen::model::ArrayItems, count: u64) -> Value {
    let mut random = SeededRandom::new(count, "items");
    let filling = Filling {
        style: TextStyle::Plain,
        long_ids: false,
    };
    Value::Array(
        (0..count.min(1000))
            .map(|index| {
                let value = value_of(
                    &items.shape,
                    None,
                    &items.constraints,
                    false,
                    filling,
                    &mut random,
                );
                match value {
                    Value::String(text) if items.constraints.pattern.is_none() => {
                        Value::String(format!("{text} {index}"))
                    }
                    other => other,
                }
            })
            .collect(),
    )
}

/// `value` moved inside the limits: a number onto a bound, a string to a length or a pattern.
pub(super) fn within_limits(value: Value, shape: &Shape, limits: &Constraints) -> Value {
    let integer = matches!(shape, Shape::Integer);
    match value {
        Value::Number(_) => {
            let inside = limits
                .minimum
                .clone()
                .or_else(|| {
                    limits
                        .exclusive_minimum
                        .as_deref()
                        .and_then(|bound| step(bound, true, integer))
                })
                .or_else(|| limits.maximum.clone())
                .or_else(|| {
                    limits
                        .exclusive_maximum
                        .as_deref()
                        .and_then(|bound| step(bound, false, integer))
                });
            match inside {
                Some(bound) => exact_number(&bound),
                None => value,
            }
        }
        Value::String(text) => {
            let mut text = match limits.pattern.as_deref().and_then(matching_string) {
                Some(made) => made,
                None => text,
            };
            let length = text.chars().count() as u64;
            if let Some(least) = limits.min_length.filter(|least| length < *least) {
                text = string_of_length(&text, least.min(LONGEST_MADE_STRING));
            }
            if let Some(most) = limits.max_length.filter(|most| length > *most) {
                text = string_of_length(&text, most);
            }
            Value::String(text)
        }
        other => other,
    }
}
