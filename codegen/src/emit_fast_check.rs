//! Model in, the fast check's tables out: for every request and response body, a table (JSON
//! text) saying what its JSON Schema says, which the generated crate's `fast_check` runtime
//! (`templates/fast_check.rs`, behind the `conformance` feature) reads to check a payload's
//! bytes in one pass; and `generated/src/fast_check/tables.rs`, holding every body's table.
//!
//! What a table leaves to the schema, as the kind `declined` (every payload reaching it goes to
//! the full check): a value with a `pattern` or `unique_items`, an `any` value with limits, a
//! shared shape met again inside itself, and a union any of whose variants holds an object that
//! refuses unlisted members. Objects are numbered in the order this walk meets them
//! ([`table_objects`] lists them in that order), so an unlisted member found by the runtime
//! names the model's object it belongs to.

use quote::quote;
use serde_json::{Map, Value, json};

use crate::emit_rust::{EmitBug, format_file, header, inner_doc_lines};
use crate::model::{Constraints, Model, Object, Shape, UndocumentedFields};

/// The table of a body whose model is `object`, as the runtime reads it.
pub fn body_table(object: &Object) -> String {
    let mut walk = TableWalk::default();
    let root = walk.object(object);
    // `Value`'s `Display` is `serde_json::to_string`, which cannot fail on a `Value`.
    json!({ "root": root }).to_string()
}

/// The objects of a body's table, by their number (the body's own object first).
pub fn table_objects(object: &Object) -> Vec<&Object> {
    let mut walk = TableWalk::default();
    walk.object(object);
    walk.objects
}

/// `generated/src/fast_check/tables.rs`: every body's table, by service, endpoint and direction.
pub(crate) fn tables_file(model: &Model) -> Result<String, EmitBug> {
    let doc = inner_doc_lines(
        "Every request and response body's table for the fast check (`super::Table`, as JSON\n\
         text), by service, endpoint and direction.",
    );
    let entries = model.bodies().map(|(service, endpoint, direction, body)| {
        let service = &service.id;
        let endpoint = &endpoint.id;
        let direction = direction.as_str();
        let table = body_table(&body.object);
        quote!((#service, #endpoint, #direction, #table),)
    });
    format_file(
        &header("spec/"),
        "fast_check/tables.rs",
        quote! {
            #doc
            /// `(service, endpoint, direction, table)` of every body.
            pub const TABLES: &[(&str, &str, &str, &str)] = &[#(#entries)*];
        },
    )
}

/// Numbers the objects as it meets them.
#[derive(Default)]
struct TableWalk<'m> {
    objects: Vec<&'m Object>,
}

impl<'m> TableWalk<'m> {
    fn object(&mut self, object: &'m Object) -> Value {
        let id = self.objects.len();
        self.objects.push(object);
        let fields: Vec<Value> = object
            .fields
            .iter()
            .map(|field| {
                let mut table = Map::new();
                table.insert("name".into(), json!(field.wire_name));
                if field.required {
                    table.insert("required".into(), json!(true));
                }
                let value = self.value(&field.shape, field.nullable, &field.constraints);
                table.insert("value".into(), value);
                Value::Object(table)
            })
            .collect();
        let groups: Vec<Vec<usize>> = object
            .at_least_one_of
            .iter()
            .map(|group| {
                group
                    .iter()
                    .filter_map(|name| {
                        object
                            .fields
                            .iter()
                            .position(|field| &field.wire_name == name)
                    })
                    .collect()
            })
            .collect();
        let mut table = Map::new();
        table.insert("id".into(), json!(id));
        table.insert("fields".into(), json!(fields));
        if object.undocumented_fields == UndocumentedFields::Allow {
            table.insert("unlisted_allowed".into(), json!(true));
        }
        if !groups.is_empty() {
            table.insert("at_least_one_of".into(), json!(groups));
        }
        Value::Object(table)
    }

    fn value(&mut self, shape: &'m Shape, nullable: bool, constraints: &Constraints) -> Value {
        let declined = constraints.pattern.is_some()
            || constraints.unique_items
            || (matches!(shape, Shape::Any) && !constraints.is_empty());
        let kind = if declined {
            json!("declined")
        } else {
            self.kind(shape)
        };
        let mut table = Map::new();
        table.insert("kind".into(), kind);
        if nullable {
            table.insert("nullable".into(), json!(true));
        }
        if !declined && !constraints.is_empty() {
            table.insert("limits".into(), limits(constraints));
        }
        Value::Object(table)
    }

    fn kind(&mut self, shape: &'m Shape) -> Value {
        match shape {
            Shape::String => json!("string"),
            Shape::Integer => json!("integer"),
            Shape::Number => json!("number"),
            Shape::Boolean => json!("boolean"),
            Shape::Date => json!("date"),
            Shape::DateTime => json!("date-time"),
            Shape::Email => json!("email"),
            Shape::Any => json!("any"),
            Shape::Recursive(_) => json!("declined"),
            Shape::Enum(enumeration) => {
                let values: Vec<&str> = enumeration
                    .values
                    .iter()
                    .map(|value| value.wire.as_str())
                    .collect();
                json!({ "enum": values })
            }
            Shape::Array(items) => {
                json!({ "array": self.value(&items.shape, items.nullable, &items.constraints) })
            }
            Shape::Object(object) => json!({ "object": self.object(object) }),
            // Inside `anyOf` a refused unlisted member fails the variant rather than adding a
            // finding of its own, which the runtime's walk cannot say: the full check decides.
            Shape::Union(union)
                if union
                    .variants
                    .iter()
                    .any(|variant| forbids_unlisted_members(&variant.shape)) =>
            {
                json!("declined")
            }
            Shape::Union(union) => {
                let variants: Vec<Value> = union
                    .variants
                    .iter()
                    .map(|variant| self.value(&variant.shape, false, &Constraints::default()))
                    .collect();
                json!({ "union": variants })
            }
        }
    }
}

/// Whether a value of `shape` holds, at any depth, an object that refuses unlisted members.
fn forbids_unlisted_members(shape: &Shape) -> bool {
    match shape {
        Shape::Object(object) => {
            object.undocumented_fields == UndocumentedFields::Forbid
                || object
                    .fields
                    .iter()
                    .any(|field| forbids_unlisted_members(&field.shape))
        }
        Shape::Array(items) => forbids_unlisted_members(&items.shape),
        Shape::Union(union) => union
            .variants
            .iter()
            .any(|variant| forbids_unlisted_members(&variant.shape)),
        _ => false,
    }
}

/// The limits a table checks (a pattern and unique items decline instead).
fn limits(constraints: &Constraints) -> Value {
    let mut limits = Map::new();
    let texts = [
        ("minimum", &constraints.minimum),
        ("maximum", &constraints.maximum),
        ("exclusive_minimum", &constraints.exclusive_minimum),
        ("exclusive_maximum", &constraints.exclusive_maximum),
    ];
    for (name, text) in texts {
        if let Some(text) = text {
            limits.insert(name.into(), json!(text));
        }
    }
    let counts = [
        ("min_length", constraints.min_length),
        ("max_length", constraints.max_length),
        ("min_items", constraints.min_items),
        ("max_items", constraints.max_items),
    ];
    for (name, count) in counts {
        if let Some(count) = count {
            limits.insert(name.into(), json!(count));
        }
    }
    Value::Object(limits)
}
