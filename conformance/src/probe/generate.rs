//! A request body's contract (`model::Object`) and a seed in, the probe's requests out: valid
//! ones (only the required fields, every field, each enum value, Hebrew and Vietnamese text,
//! 39-digit ids as the table types them, the boundaries of every constraint) and invalid ones,
//! each breaking exactly one documented rule (a required field missing, a wrong type, an
//! unlisted field where the spec forbids them, `at_least_one_of` unmet, a value not listed, a
//! bad format, a bound crossed). Invalid ones are built on the smallest valid body, so the
//! request that shows a finding is minimal.
//!
//! Pure and reproducible: the same object, seed and real values give the same requests, byte
//! for byte (a small SplitMix64 generator, no clock, no global state). Whether each request
//! really is what it claims is checked against the compiled contract by `plan`, not here.

use codegen::model::{Constraints, Field, Object, Shape, UndocumentedFields};
use serde_json::{Map, Number, Value};

use crate::finding::Rule;
use crate::probe::limits::{bound_crossing_requests, boundary_requests, within_limits};
use crate::shape::{child_pointer, pointer_tokens};

/// What the contract says of a generated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// The request contract accepts it: the server should too.
    Valid,
    /// It breaks exactly one documented rule: the server should refuse it (4XX).
    Invalid {
        /// The rule broken.
        rule: Rule,
        /// Where, as a JSON Pointer into the body.
        pointer: String,
    },
}

/// One generated request body.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedRequest {
    /// Stable id within its endpoint, for reports and known entries: `valid/required-only`,
    /// `required-missing/f_name`, `wrong-type/tags/0`.
    pub id: String,
    /// What the request tries, in words.
    pub what: String,
    /// Valid, or the one rule it breaks.
    pub expectation: Expectation,
    /// The body.
    pub body: Value,
    /// Whether the request is a try that the contract check may turn down without it being a
    /// generator mistake (a value past one limit of a field that has several).
    pub speculative: bool,
}

/// A deterministic SplitMix64 generator: small, fast, and the same on every machine.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    state: u64,
}

impl SeededRandom {
    /// A generator for `seed` mixed with `stream` (an endpoint's key), so each endpoint's
    /// requests do not depend on which other endpoints a run selects.
    pub fn new(seed: u64, stream: &str) -> SeededRandom {
        // FNV-1a of the stream name.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in stream.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        SeededRandom {
            state: seed ^ hash.rotate_left(17),
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut mixed = self.state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        mixed ^ (mixed >> 31)
    }

    /// A number in `0..bound` (`bound` above 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Which text strings get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextStyle {
    Plain,
    Hebrew,
    Vietnamese,
}

const HEBREW_TEXTS: [&str; 4] = ["שלום עולם", "בדיקה", "ליד חדש מהאתר", "טופס תחתון"];
const VIETNAMESE_TEXTS: [&str; 4] = [
    "Nguyễn Văn Ánh",
    "Tạo khách hàng",
    "Hà Nội, Việt Nam",
    "Đường Lê Lợi",
];
const PLAIN_WORDS: [&str; 6] = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];

/// How bodies are filled.
#[derive(Debug, Clone, Copy)]
pub(super) struct Filling {
    pub(super) style: TextStyle,
    /// Whether id fields (see `is_id_field`) get 39-digit ids.
    pub(super) long_ids: bool,
}

/// Name of the member the probe adds where the spec forbids unlisted fields.
pub(crate) const UNLISTED_MEMBER: &str = "probe_unlisted_field";

/// Every request the probe sends for a body of `object`: valid ones first, then one invalid
/// request per documented rule. `real_values` (top-level member → value, from a fixtures
/// file) replace generated values wherever the body has that member and the request does not
/// vary it.
pub fn generate(
    object: &Object,
    seed: u64,
    stream: &str,
    real_values: &[(String, Value)],
) -> Vec<GeneratedRequest> {
    let mut random = SeededRandom::new(seed, stream);
    let plain = Filling {
        style: TextStyle::Plain,
        long_ids: false,
    };
    let minimal = object_value(object, false, plain, &mut random);
    let full = object_value(object, true, plain, &mut random);
    let mut requests = Vec::new();
    let mut push = |id: String, what: String, expectation: Expectation, mut body: Value| {
        let varied = match &expectation {
            Expectation::Invalid { pointer, .. } => pointer_tokens(pointer).into_iter().next(),
            Expectation::Valid => None,
        };
        apply_real_values(&mut body, real_values, varied.as_deref());
        requests.push(GeneratedRequest {
            id,
            what,
            expectation,
            body,
            speculative: false,
        });
    };

    push(
        "valid/required-only".to_owned(),
        "only the required fields (and one of each at-least-one-of group)".to_owned(),
        Expectation::Valid,
        minimal.clone(),
    );
    push(
        "valid/every-field".to_owned(),
        "every field the page lists".to_owned(),
        Expectation::Valid,
        full.clone(),
    );
    let fields = fields_of(object, "");
    for place in &fields {
        if let Shape::Enum(enumeration) = &place.field.shape {
            for value in &enumeration.values {
                let mut body = full.clone();
                put(
                    &mut body,
                    &place.pointer,
                    Value::String(value.wire.clone()),
                    &full,
                );
                push(
                    format!("valid/enum{}={}", place.pointer, value.wire),
                    format!(
                        "`{}` set to the listed value `{}`",
                        place.pointer, value.wire
                    ),
                    Expectation::Valid,
                    body,
                );
            }
        }
    }
    for (style, name, words) in [
        (TextStyle::Hebrew, "he", "Hebrew"),
        (TextStyle::Vietnamese, "vi", "Vietnamese"),
    ] {
        if fields.iter().any(|place| takes_text(&place.field.shape)) {
            let filling = Filling {
                style,
                long_ids: false,
            };
            push(
                format!("valid/text-{name}"),
                format!("every field, text in {words}"),
                Expectation::Valid,
                object_value(object, true, filling, &mut random),
            );
        }
    }
    if fields.iter().any(|place| is_id_field(place.field)) {
        let filling = Filling {
            style: TextStyle::Plain,
            long_ids: true,
        };
        push(
            "valid/ids-39-digits".to_owned(),
            "every field, ids as 39-digit values typed as the table types them".to_owned(),
            Expectation::Valid,
            object_value(object, true, filling, &mut random),
        );
    }
    for boundary in boundary_requests(object, &full) {
        push(
            boundary.id,
            boundary.what,
            boundary.expectation,
            boundary.body,
        );
    }

    // Invalid requests, each on the smallest valid body.
    for place in &fields {
        let field = place.field;
        let pointer = &place.pointer;
        if field.required {
            let mut body = minimal.clone();
            ensure_parent(&mut body, pointer, &full);
            remove(&mut body, pointer);
            push(
                format!("required-missing{pointer}"),
                format!("required field `{pointer}` left out"),
                Expectation::Invalid {
                    rule: Rule::Required,
                    pointer: pointer.clone(),
                },
                body,
            );
        }
        if let Some(wrong) = wrong_type_value(&field.shape) {
            let mut body = minimal.clone();
            put(&mut body, pointer, wrong, &full);
            push(
                format!("wrong-type{pointer}"),
                format!(
                    "`{pointer}` given a value that is not a {}",
                    field.shape.type_name()
                ),
                Expectation::Invalid {
                    rule: Rule::Type,
                    pointer: pointer.clone(),
                },
                body,
            );
        }
        if matches!(field.shape, Shape::Enum(_)) {
            let mut body = minimal.clone();
            put(
                &mut body,
                pointer,
                Value::String("probe-value-not-listed".to_owned()),
                &full,
            );
            push(
                format!("enum-not-listed{pointer}"),
                format!("`{pointer}` given a value the page does not list"),
                Expectation::Invalid {
                    rule: Rule::Enum,
                    pointer: pointer.clone(),
                },
                body,
            );
        }
        if let Some(bad) = bad_format_value(&field.shape) {
            let mut body = minimal.clone();
            put(&mut body, pointer, Value::String(bad.to_owned()), &full);
            push(
                format!("bad-format{pointer}"),
                format!(
                    "`{pointer}` given `{bad}`, not a {}",
                    field.shape.type_name()
                ),
                Expectation::Invalid {
                    rule: Rule::Format,
                    pointer: pointer.clone(),
                },
                body,
            );
        }
    }
    for (object_pointer, nested) in objects_of(object, "") {
        if nested.undocumented_fields == UndocumentedFields::Forbid {
            let mut body = minimal.clone();
            let member = child_pointer(&object_pointer, UNLISTED_MEMBER);
            put(&mut body, &member, Value::String("probe".to_owned()), &full);
            push(
                format!("unlisted-field{member}"),
                format!("a field the page does not list (`{member}`), which the spec forbids"),
                Expectation::Invalid {
                    rule: Rule::UndocumentedField,
                    pointer: member.clone(),
                },
                body,
            );
        }
        for (index, group) in nested.at_least_one_of.iter().enumerate() {
            let mut body = minimal.clone();
            // A nested object missing from the smallest body is taken whole from the fullest.
            ensure_parent(&mut body, &child_pointer(&object_pointer, "x"), &full);
            for member in group {
                remove(&mut body, &child_pointer(&object_pointer, member));
            }
            push(
                format!("at-least-one-of{object_pointer}/{index}"),
                format!("none of {} given", group.join(", ")),
                Expectation::Invalid {
                    rule: Rule::AtLeastOneOf,
                    pointer: object_pointer.clone(),
                },
                body,
            );
        }
    }
    for bound in bound_crossing_requests(object, &minimal, &full) {
        push(bound.id, bound.what, bound.expectation, bound.body);
    }
    for request in &mut requests {
        request.speculative =
            request.id.starts_with("boundary/") || request.id.starts_with("bound-crossed/");
    }
    requests
}

/// A field and where it sits in a body that has every field.
#[derive(Debug, Clone)]
pub(super) struct FieldPlace<'a> {
    pub(super) pointer: String,
    pub(super) field: &'a Field,
}

/// Every field of `object` and of the objects inside it (an array's through its first item),
/// in the page's order, depth first.
pub(super) fn fields_of<'a>(object: &'a Object, prefix: &str) -> Vec<FieldPlace<'a>> {
    let mut places = Vec::new();
    for field in &object.fields {
        let pointer = child_pointer(prefix, &field.wire_name);
        places.push(FieldPlace {
            pointer: pointer.clone(),
            field,
        });
        match &field.shape {
            Shape::Object(nested) => places.extend(fields_of(nested, &pointer)),
            Shape::Array(items) => {
                if let Shape::Object(nested) = &items.shape {
                    places.extend(fields_of(nested, &format!("{pointer}/0")));
                }
            }
            _ => {}
        }
    }
    places
}

/// `object` and every object inside it, with their pointers in a body that has every field.
fn objects_of<'a>(object: &'a Object, prefix: &str) -> Vec<(String, &'a Object)> {
    let mut objects = vec![(prefix.to_owned(), object)];
    for field in &object.fields {
        let pointer = child_pointer(prefix, &field.wire_name);
        match &field.shape {
            Shape::Object(nested) => objects.extend(objects_of(nested, &pointer)),
            Shape::Array(items) => {
                if let Shape::Object(nested) = &items.shape {
                    objects.extend(objects_of(nested, &format!("{pointer}/0")));
                }
            }
            _ => {}
        }
    }
    objects
}

fn takes_text(shape: &Shape) -> bool {
    match shape {
        Shape::String | Shape::Any => true,
        Shape::Array(items) => takes_text(&items.shape),
        Shape::Object(object) => object.fields.iter().any(|field| takes_text(&field.shape)),
        Shape::Union(union) => union
            .variants
            .iter()
            .any(|variant| takes_text(&variant.shape)),
        _ => false,
    }
}

fn object_value(
    object: &Object,
    every: bool,
    filling: Filling,
    random: &mut SeededRandom,
) -> Value {
    let mut members = Map::new();
    for field in &object.fields {
        let wanted = every
            || field.required
            || object.at_least_one_of.iter().any(|group| {
                group.first() == Some(&field.wire_name)
                    && !group
                        .iter()
                        .any(|member| object.field(member).is_some_and(|other| other.required))
            });
        // A shape met again inside itself is left out where it may be: it has no end.
        if wanted && (field.required || !matches!(field.shape, Shape::Recursive(_))) {
            members.insert(
                field.wire_name.clone(),
                value_of(
                    &field.shape,
                    Some(field),
                    &field.constraints,
                    every,
                    filling,
                    random,
                ),
            );
        }
    }
    Value::Object(members)
}

pub(super) fn value_of(
    shape: &Shape,
    field: Option<&Field>,
    constraints: &Constraints,
    every: bool,
    filling: Filling,
    random: &mut SeededRandom,
) -> Value {
    let value = unlimited_value_of(shape, field, constraints, every, filling, random);
    within_limits(value, shape, constraints)
}

fn unlimited_value_of(
    shape: &Shape,
    field: Option<&Field>,
    constraints: &Constraints,
    every: bool,
    filling: Filling,
    random: &mut SeededRandom,
) -> Value {
    let is_id = field.is_some_and(is_id_field);
    match shape {
        Shape::String if is_id && filling.long_ids => Value::String(long_id(random)),
        Shape::String | Shape::Any => Value::String(text(filling.style, random)),
        Shape::Integer | Shape::Number if is_id && filling.long_ids => {
            exact_number(&long_id(random))
        }
        Shape::Integer => Value::Number(Number::from(1 + random.below(999))),
        Shape::Number => exact_number(&format!("{}.{}", random.below(1000), 1 + random.below(9))),
        Shape::Boolean => Value::Bool(random.below(2) == 1),
        Shape::Date => Value::String(date(random)),
        Shape::DateTime => Value::String(format!(
            "{}T{:02}:{:02}:{:02}Z",
            date(random),
            random.below(24),
            random.below(60),
            random.below(60)
        )),
        Shape::Email => Value::String(format!("probe.{}@example.com", random.pick(&PLAIN_WORDS))),
        Shape::Enum(enumeration) => match enumeration.values.as_slice() {
            [] => Value::Null,
            values => Value::String(random.pick(values).wire.clone()),
        },
        Shape::Array(items) if matches!(items.shape, Shape::Recursive(_)) => {
            Value::Array(Vec::new())
        }
        Shape::Array(items) => {
            let count = constraints
                .min_items
                .unwrap_or(1)
                .max(1)
                .min(constraints.max_items.unwrap_or(u64::MAX))
                .min(1000);
            Value::Array(
                (0..count)
                    .map(|_| {
                        value_of(
                            &items.shape,
                            None,
                            &items.constraints,
                            every,
                            filling,
                            random,
                        )
                    })
                    .collect(),
            )
        }
        Shape::Object(object) => object_value(object, every, filling, random),
        Shape::Union(union) => match union.variants.as_slice() {
            [] => Value::Null,
            variants => {
                let variant = random.pick(variants);
                value_of(&variant.shape, field, constraints, every, filling, random)
            }
        },
        // Only reached through a required field that leads back into its own shape.
        Shape::Recursive(_) => Value::Object(Map::new()),
    }
}

/// Whether a field holds an id: it refers to what another page lists, or its name says so
/// (`id`, `_id`, `lead_id`, `accountId`).
pub(super) fn is_id_field(field: &Field) -> bool {
    let name = field.wire_name.as_str();
    field.reference.is_some()
        || name.eq_ignore_ascii_case("id")
        || name == "_id"
        || name.ends_with("_id")
        || name.ends_with("Id")
}

fn text(style: TextStyle, random: &mut SeededRandom) -> String {
    match style {
        TextStyle::Plain => format!("probe {}", random.pick(&PLAIN_WORDS)),
        TextStyle::Hebrew => (*random.pick(&HEBREW_TEXTS)).to_owned(),
        TextStyle::Vietnamese => (*random.pick(&VIETNAMESE_TEXTS)).to_owned(),
    }
}

fn date(random: &mut SeededRandom) -> String {
    format!(
        "{}-{:02}-{:02}",
        2000 + random.below(30),
        1 + random.below(12),
        1 + random.below(28)
    )
}

/// A 39-digit decimal id, first digit not zero.
fn long_id(random: &mut SeededRandom) -> String {
    let mut digits = String::with_capacity(39);
    digits.push(char::from(b'1' + random.below(9) as u8));
    for _ in 1..39 {
        digits.push(char::from(b'0' + random.below(10) as u8));
    }
    digits
}

/// A JSON number with exactly these digits (never through `f64`).
pub(super) fn exact_number(digits: &str) -> Value {
    serde_json::from_str::<Number>(digits)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// A value of another JSON type than the shape takes (never `null`, which a nullable field
/// takes), or `None` where every value fits (`any`).
fn wrong_type_value(shape: &Shape) -> Option<Value> {
    match shape {
        Shape::String | Shape::Date | Shape::DateTime | Shape::Email => {
            Some(Value::Number(Number::from(7u8)))
        }
        // A value of another type breaks the list of values too; `enum-not-listed` probes it.
        Shape::Enum(_) => None,
        Shape::Integer | Shape::Number | Shape::Boolean | Shape::Array(_) | Shape::Object(_) => {
            Some(Value::String("probe".to_owned()))
        }
        Shape::Any | Shape::Recursive(_) => None,
        Shape::Union(union) => {
            let takes = |kind: fn(&Shape) -> bool| union.variants.iter().any(|v| kind(&v.shape));
            if !takes(|shape| matches!(shape, Shape::Object(_) | Shape::Any)) {
                Some(Value::Object(Map::new()))
            } else if !takes(|shape| matches!(shape, Shape::Array(_) | Shape::Any)) {
                Some(Value::Array(Vec::new()))
            } else {
                None
            }
        }
    }
}

fn bad_format_value(shape: &Shape) -> Option<&'static str> {
    match shape {
        Shape::Date => Some("2024-02-30"),
        Shape::DateTime => Some("2024-01-31 09:30:00"),
        Shape::Email => Some("probe.example.com"),
        _ => None,
    }
}

fn apply_real_values(body: &mut Value, real_values: &[(String, Value)], varied: Option<&str>) {
    let Value::Object(members) = body else {
        return;
    };
    for (name, value) in real_values {
        if Some(name.as_str()) == varied {
            continue;
        }
        if let Some(slot) = members.get_mut(name) {
            *slot = value.clone();
        }
    }
}

/// Makes sure every object and array on the way to `pointer`'s parent exists, taking missing
/// ones from `full` (a body with every field).
fn ensure_parent(body: &mut Value, pointer: &str, full: &Value) {
    let tokens = pointer_tokens(pointer);
    let mut prefix = String::new();
    for token in tokens.iter().take(tokens.len().saturating_sub(1)) {
        let next = child_pointer(&prefix, token);
        if body.pointer(&next).is_none() {
            let Some(value) = full.pointer(&next).cloned() else {
                return;
            };
            set_at(body, &prefix, token, value);
        }
        prefix = next;
    }
}

/// Puts `value` at `pointer`, creating what is missing on the way from `full`.
pub(super) fn put(body: &mut Value, pointer: &str, value: Value, full: &Value) {
    ensure_parent(body, pointer, full);
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        *body = value;
        return;
    };
    let parent = parents
        .iter()
        .fold(String::new(), |prefix, token| child_pointer(&prefix, token));
    set_at(body, &parent, last, value);
}

fn set_at(body: &mut Value, parent: &str, token: &str, value: Value) {
    match body.pointer_mut(parent) {
        Some(Value::Object(members)) => {
            members.insert(token.to_owned(), value);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = token.parse::<usize>() {
                if index < items.len() {
                    items[index] = value;
                } else if index == items.len() {
                    items.push(value);
                }
            }
        }
        _ => {}
    }
}

fn remove(body: &mut Value, pointer: &str) {
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let parent = parents
        .iter()
        .fold(String::new(), |prefix, token| child_pointer(&prefix, token));
    if let Some(Value::Object(members)) = body.pointer_mut(&parent) {
        members.shift_remove(last.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::SeededRandom;

    #[test]
    fn the_same_seed_and_stream_give_the_same_numbers() {
        let mut first = SeededRandom::new(7, "crm/leads.create");
        let mut second = SeededRandom::new(7, "crm/leads.create");
        let mut other = SeededRandom::new(8, "crm/leads.create");
        let a: Vec<u64> = (0..4).map(|_| first.next_u64()).collect();
        let b: Vec<u64> = (0..4).map(|_| second.next_u64()).collect();
        let c: Vec<u64> = (0..4).map(|_| other.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
