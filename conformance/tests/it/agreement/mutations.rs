//! Seed payloads (the docs' examples, valid generated instances) in, mutated payloads out as
//! JSON text: a value replaced at a random JSON Pointer, a member deleted, a member added, a
//! member's name put in another case (`utm_campaign` → `UTM_CAMPAIGN`).

use codegen::model::{Object, Shape};
use conformance::shape::child_pointer;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

use super::instances::{any_json_text, capitalised, number_text, string_text, unlisted_names};

/// One change to a payload; indexes pick among the places that exist when it is applied.
#[derive(Debug, Clone)]
pub(super) enum Mutation {
    /// The value at a pointer (the body itself included) becomes another JSON value.
    Replace {
        /// Which of the payload's values.
        at: Index,
        /// The new value's text.
        with: String,
    },
    /// A member of an object goes.
    Delete {
        /// Which object.
        at: Index,
        /// Which member.
        member: Index,
    },
    /// An object gains (or overwrites) a member.
    Add {
        /// Which object.
        at: Index,
        /// The member's name.
        name: String,
        /// The member's value text.
        with: String,
    },
    /// A member's name is written in upper case, or capitalised.
    RenameCase {
        /// Which object.
        at: Index,
        /// Which member.
        member: Index,
        /// Upper case (`UTM_CAMPAIGN`) rather than capitalised (`Utm_campaign`).
        upper_case: bool,
    },
}

/// Seeds, each mutated once or twice, as JSON text; one in eight is left as it is, a control
/// that keeps clause (a) exercised where nearly every change breaks the schema.
pub(super) fn mutated_text(seeds: BoxedStrategy<Value>, object: &Object) -> BoxedStrategy<String> {
    let names = member_names(object);
    let mutations = prop_oneof![
        1 => Just(Vec::new()),
        7 => vec(mutation(names), 1..=2),
    ];
    (seeds, mutations)
        .prop_map(|(mut payload, mutations)| {
            for mutation in &mutations {
                apply(&mut payload, mutation);
            }
            serde_json::to_string(&payload).expect("a value always serializes")
        })
        .boxed()
}

fn mutation(names: Vec<String>) -> BoxedStrategy<Mutation> {
    prop_oneof![
        3 => (any::<Index>(), replacement_text())
            .prop_map(|(at, with)| Mutation::Replace { at, with }),
        2 => (any::<Index>(), any::<Index>())
            .prop_map(|(at, member)| Mutation::Delete { at, member }),
        2 => (any::<Index>(), select(names), any_json_text())
            .prop_map(|(at, name, with)| Mutation::Add { at, name, with }),
        2 => (any::<Index>(), any::<Index>(), any::<bool>())
            .prop_map(|(at, member, upper_case)| Mutation::RenameCase { at, member, upper_case }),
    ]
    .boxed()
}

/// A value to put in another's place: often a string or a number (which a string or number
/// field takes), else any JSON value (null, a boolean, a list, an object).
fn replacement_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => string_text(),
        1 => number_text(),
        2 => any_json_text(),
    ]
    .boxed()
}

/// Names to add: every wire name the body's model lists anywhere, and names it does not list.
fn member_names(object: &Object) -> Vec<String> {
    let mut names = Vec::new();
    collect_member_names(object, &mut names);
    names.sort();
    names.dedup();
    names
}

fn collect_member_names(object: &Object, names: &mut Vec<String>) {
    names.extend(unlisted_names(object));
    for field in &object.fields {
        names.push(field.wire_name.clone());
        collect_shape_member_names(&field.shape, names);
    }
}

fn collect_shape_member_names(shape: &Shape, names: &mut Vec<String>) {
    match shape {
        Shape::Object(object) => collect_member_names(object, names),
        Shape::Array(items) => collect_shape_member_names(&items.shape, names),
        Shape::Union(union) => {
            for variant in &union.variants {
                collect_shape_member_names(&variant.shape, names);
            }
        }
        _ => {}
    }
}

/// Applies a mutation; one that finds no place to apply to changes nothing.
pub(super) fn apply(payload: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Replace { at, with } => {
            let pointers = pointers(payload, |_| true);
            let pointer = at.get::<String>(&pointers);
            if let Some(place) = payload.pointer_mut(pointer) {
                *place = parse_exactly(with);
            }
        }
        Mutation::Delete { at, member } => {
            let objects = pointers(payload, |value| {
                value.as_object().is_some_and(|members| !members.is_empty())
            });
            if objects.is_empty() {
                return;
            }
            if let Some(Value::Object(members)) = payload.pointer_mut(at.get::<String>(&objects)) {
                let name = members.keys().nth(member.index(members.len())).cloned();
                if let Some(name) = name {
                    members.remove(&name);
                }
            }
        }
        Mutation::Add { at, name, with } => {
            let objects = pointers(payload, Value::is_object);
            if objects.is_empty() {
                return;
            }
            if let Some(Value::Object(members)) = payload.pointer_mut(at.get::<String>(&objects)) {
                members.insert(name.clone(), parse_exactly(with));
            }
        }
        Mutation::RenameCase {
            at,
            member,
            upper_case,
        } => {
            let objects = pointers(payload, |value| {
                value.as_object().is_some_and(|members| !members.is_empty())
            });
            if objects.is_empty() {
                return;
            }
            if let Some(Value::Object(members)) = payload.pointer_mut(at.get::<String>(&objects)) {
                let Some(name) = members.keys().nth(member.index(members.len())).cloned() else {
                    return;
                };
                let renamed = if *upper_case {
                    name.to_uppercase()
                } else {
                    capitalised(&name)
                };
                if renamed != name
                    && let Some(value) = members.remove(&name)
                {
                    members.insert(renamed, value);
                }
            }
        }
    }
}

/// JSON text generated here, parsed with every digit kept.
fn parse_exactly(text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("generated text is not json ({error}): {text}"))
}

/// The pointer of every value in `payload` that `wanted` picks, the body itself included.
fn pointers(payload: &Value, wanted: fn(&Value) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    collect_pointers(payload, String::new(), wanted, &mut found);
    found
}

fn collect_pointers(
    value: &Value,
    pointer: String,
    wanted: fn(&Value) -> bool,
    found: &mut Vec<String>,
) {
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_pointers(
                    item,
                    child_pointer(&pointer, &index.to_string()),
                    wanted,
                    found,
                );
            }
        }
        Value::Object(members) => {
            for (name, member) in members {
                collect_pointers(member, child_pointer(&pointer, name), wanted, found);
            }
        }
        _ => {}
    }
    if wanted(value) {
        found.push(pointer);
    }
}
