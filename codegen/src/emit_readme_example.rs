//! Model in, the generated README's example program out: a complete `main.rs` that another
//! team's crate can compile against the first service, reading a response (with a 39-digit
//! number in an unlisted field) and building a request with its constructor. The consumer-crate
//! test compiles and runs it, so the README cannot drift from the crate.

use std::fmt::Write;

use crate::emit_rust_api::endpoint_struct_name;
use crate::model::{Endpoint, Field, Model, Object, Service, Shape};

/// A 39-digit number: more digits than `u128` or `f64` keep.
pub(crate) const EXAMPLE_ID: &str = "271917813959131540676117904886673869329";

/// The member the example adds to a response to show that unlisted fields keep every digit.
pub(crate) const EXAMPLE_UNLISTED_MEMBER: &str = "added_by_the_readme";

/// JSON text of `object` with its required members only, plus `extra` members.
fn minimal_json(object: &Object, extra: &str) -> String {
    let mut members: Vec<String> = object
        .fields
        .iter()
        .filter(|field| field.required)
        .map(|field| {
            format!(
                "{}: {}",
                serde_json::Value::String(field.wire_name.clone()),
                minimal_value(&field.shape)
            )
        })
        .collect();
    if !extra.is_empty() {
        members.push(extra.to_owned());
    }
    format!("{{{}}}", members.join(", "))
}

fn minimal_value(shape: &Shape) -> String {
    match shape {
        Shape::String => "\"text\"".to_owned(),
        Shape::Integer | Shape::Number => "7".to_owned(),
        Shape::Boolean => "true".to_owned(),
        Shape::Date => "\"2024-01-31\"".to_owned(),
        Shape::DateTime => "\"2024-01-31T09:30:00Z\"".to_owned(),
        Shape::Email => "\"name@example.com\"".to_owned(),
        // A shape met again inside itself: only ever optional, so `null` stands for it.
        Shape::Any | Shape::Recursive(_) => "null".to_owned(),
        Shape::Enum(enumeration) => enumeration
            .values
            .first()
            .map(|value| serde_json::Value::String(value.wire.clone()).to_string())
            .unwrap_or_else(|| "\"\"".to_owned()),
        Shape::Array(_) => "[]".to_owned(),
        Shape::Object(object) => minimal_json(object, ""),
        Shape::Union(union) => union
            .variants
            .first()
            .map(|variant| minimal_value(&variant.shape))
            .unwrap_or_else(|| "null".to_owned()),
    }
}

/// A Rust expression of a value of `shape` for a constructor argument, where one is simple.
fn argument(service: &Service, shape: &Shape) -> Option<String> {
    Some(match shape {
        Shape::String => "\"text\"".to_owned(),
        Shape::Integer => "generated::wire::Integer::from(7)".to_owned(),
        Shape::Number => "generated::wire::Number::from(7)".to_owned(),
        Shape::Boolean => "true".to_owned(),
        Shape::Enum(enumeration) => format!(
            "generated::{}::{}::{}",
            service.id,
            enumeration.rust_name,
            enumeration.values.first()?.rust_variant
        ),
        Shape::Array(_) => "Vec::new()".to_owned(),
        _ => return None,
    })
}

/// `Type::new(args)` (or its first `new_with_…` constructor) for a request body, where every
/// argument is simple.
fn constructor_call(service: &Service, object: &Object) -> Option<String> {
    let (method, chosen) = crate::emit_rust_api::constructor_choices(object)
        .into_iter()
        .next()?;
    let is_chosen = |field: &Field| {
        chosen
            .iter()
            .any(|other| other.wire_name == field.wire_name)
    };
    let mut arguments = Vec::new();
    for field in object
        .fields
        .iter()
        .filter(|field| field.required && !is_chosen(field))
    {
        arguments.push(argument(service, &field.shape)?);
    }
    for field in &chosen {
        arguments.push(argument(service, &field.shape)?);
    }
    Some(format!(
        "generated::{}::{}::{method}({})",
        service.id,
        object.rust_name,
        arguments.join(", ")
    ))
}

fn example_for(service: &Service, endpoint: &Endpoint) -> String {
    let endpoint_struct = endpoint_struct_name(endpoint);
    let response = &endpoint.response.body.object;
    let payload = minimal_json(
        response,
        &format!("\"{EXAMPLE_UNLISTED_MEMBER}\": {EXAMPLE_ID}"),
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "use generated::Endpoint as _;\n\
         use generated::{service}::endpoints::{endpoint_struct};\n\
         \n\
         fn main() -> Result<(), serde_json::Error> {{\n    \
             // The endpoint's facts are constants.\n    \
             println!(\"{{}} {{}} answers {{}}\", {endpoint_struct}::METHOD, {endpoint_struct}::PATH, {endpoint_struct}::STATUS);\n\
         \n    \
             // A response keeps every digit, also in fields the page does not list.\n    \
             let payload = r#\"{payload}\"#;\n    \
             let response: generated::{service}::{response} = serde_json::from_str(payload)?;\n    \
             let unlisted = &response.undocumented_fields[\"{EXAMPLE_UNLISTED_MEMBER}\"];\n    \
             assert_eq!(unlisted.as_str(), \"{EXAMPLE_ID}\");\n    \
             println!(\"unlisted: {{unlisted}}\");",
        service = service.id,
        response = response.rust_name,
    );
    if let Some(call) = endpoint
        .request
        .as_ref()
        .and_then(|body| constructor_call(service, &body.object))
    {
        let _ = writeln!(
            out,
            "\n    \
             // A request: the constructor takes the required fields.\n    \
             let request = {call};\n    \
             println!(\"request: {{}}\", serde_json::to_string(&request)?);"
        );
    }
    out.push_str("    Ok(())\n}\n");
    out
}

/// The example program, or `None` for a model without services.
pub fn example(model: &Model) -> Option<String> {
    let service = model.services.first()?;
    let endpoint = service.endpoints.first()?;
    Some(example_for(service, endpoint))
}
