//! The model read along a payload: what a JSON Pointer lands on (field, shape, object) and how
//! to say in words what a shape expects and what a value is.

use codegen::SourceLocation;
use codegen::model::{Field, Object, Shape};
use serde_json::Value;

/// What a pointer lands on, as far as the model knows.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    /// The deepest field on the way (for the spec location and the name).
    pub field: Option<&'a Field>,
    /// The shape the pointer lands on; `None` when it lands on the body itself or leaves the
    /// model (an unlisted field).
    pub shape: Option<&'a Shape>,
    /// Whether `null` is allowed there.
    pub nullable: bool,
    /// The object the pointer lands on, if it lands on one.
    pub object: Option<&'a Object>,
    /// The object containing the place (for unlisted fields).
    pub parent: &'a Object,
}

impl<'a> Located<'a> {
    /// Where the spec defines the place: the field, else the enclosing object.
    pub fn spec_location(&self) -> SourceLocation {
        match self.field {
            Some(field) => field.location.clone(),
            None => self.parent.location.clone(),
        }
    }
}

/// Splits a JSON Pointer into unescaped tokens.
pub(crate) fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes one token for a JSON Pointer.
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `pointer` + `/token`.
pub fn child_pointer(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// Walks the model along `pointer` in `payload` (the payload picks union variants).
pub fn locate<'a>(root: &'a Object, payload: &Value, pointer: &str) -> Located<'a> {
    let mut located = Located {
        field: None,
        shape: None,
        nullable: false,
        object: Some(root),
        parent: root,
    };
    let mut value = Some(payload);
    // Shared shapes passed on the way down: a `Recursive` shape is one of them met again.
    let mut shared: Vec<&'a Shape> = Vec::new();
    for token in pointer_tokens(pointer) {
        let next_value = value.and_then(|value| match value {
            Value::Object(map) => map.get(&token),
            Value::Array(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|index| items.get(index)),
            _ => None,
        });
        if located.object.is_none()
            && let Some(Shape::Union(union)) = located.shape
            && matches!(value, Some(Value::Object(_)))
            && let Some(variant) = union
                .variants
                .iter()
                .find(|variant| matches!(variant.shape, Shape::Object(_)))
            && variant.shape.shared_name().is_some()
        {
            shared.push(&variant.shape);
        }
        let current_object = located
            .object
            .or_else(|| located.shape.and_then(|shape| object_of(shape, value)));
        if let Some(object) = current_object {
            located.parent = object;
            match object.field(&token) {
                Some(field) => {
                    let shape = resolve_recursion(&field.shape, &mut shared);
                    located.field = Some(field);
                    located.shape = Some(shape);
                    located.nullable = field.nullable;
                    located.object = match shape {
                        Shape::Object(object) => Some(object),
                        _ => None,
                    };
                }
                None => {
                    located.shape = None;
                    located.object = None;
                    located.field = None;
                    return located;
                }
            }
        } else if let Some(items) = located.shape.and_then(|shape| array_items_of(shape, value)) {
            let shape = resolve_recursion(&items.shape, &mut shared);
            located.shape = Some(shape);
            located.nullable = items.nullable;
            located.object = match shape {
                Shape::Object(object) => Some(object),
                _ => None,
            };
        } else {
            located.shape = None;
            located.object = None;
            return located;
        }
        value = next_value;
    }
    if let (Some(Shape::Union(_)), Some(value)) = (located.shape, value)
        && let Some(object) = located
            .shape
            .and_then(|shape| object_of(shape, Some(value)))
    {
        located.object = Some(object);
    }
    located
}

/// The shape itself, or for a shape met again inside itself, the shared shape it names (as
/// met on the way); remembers shared shapes passed.
fn resolve_recursion<'a>(shape: &'a Shape, shared: &mut Vec<&'a Shape>) -> &'a Shape {
    let resolved = match shape {
        Shape::Recursive(name) => shared
            .iter()
            .rev()
            .find(|passed| passed.shared_name() == Some(name.as_str()))
            .copied()
            .unwrap_or(shape),
        _ => shape,
    };
    if resolved.shared_name().is_some() && !matches!(resolved, Shape::Recursive(_)) {
        shared.push(resolved);
    }
    resolved
}

/// The object a shape holds for this value (through a union's object variant).
fn object_of<'a>(shape: &'a Shape, value: Option<&Value>) -> Option<&'a Object> {
    match shape {
        Shape::Object(object) => Some(object),
        Shape::Union(union) if matches!(value, Some(Value::Object(_))) => union
            .variants
            .iter()
            .find_map(|variant| match &variant.shape {
                Shape::Object(object) => Some(object),
                _ => None,
            }),
        _ => None,
    }
}

/// The array items a shape holds for this value (through a union's array variant).
fn array_items_of<'a>(
    shape: &'a Shape,
    value: Option<&Value>,
) -> Option<&'a codegen::model::ArrayItems> {
    match shape {
        Shape::Array(items) => Some(items),
        Shape::Union(union) if matches!(value, Some(Value::Array(_))) => union
            .variants
            .iter()
            .find_map(|variant| match &variant.shape {
                Shape::Array(items) => Some(items.as_ref()),
                _ => None,
            }),
        _ => None,
    }
}

/// What a shape expects, in words: "a string", "a date (YYYY-MM-DD) or null".
pub fn expected(shape: &Shape, nullable: bool) -> String {
    let base = match shape {
        Shape::String => "a string".to_owned(),
        Shape::Integer => "a whole number".to_owned(),
        Shape::Number => "a number".to_owned(),
        Shape::Boolean => "true or false".to_owned(),
        Shape::Date => "a date (YYYY-MM-DD)".to_owned(),
        Shape::DateTime => "a date-time (RFC 3339, like 2024-01-31T09:30:00Z)".to_owned(),
        Shape::Email => "an e-mail address".to_owned(),
        Shape::Any => "any value".to_owned(),
        Shape::Enum(enumeration) => format!(
            "one of {}",
            enumeration
                .values
                .iter()
                .map(|value| format!("`{}`", value.wire))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Shape::Array(_) => "a list".to_owned(),
        Shape::Object(_) => "an object".to_owned(),
        Shape::Union(union) => union
            .variants
            .iter()
            .map(|variant| expected(&variant.shape, false))
            .collect::<Vec<_>>()
            .join(" or "),
        Shape::Recursive(name) => format!("a `{name}`"),
    };
    if nullable {
        format!("{base} or null")
    } else {
        base
    }
}

/// What a value is, in words: "a number", "null".
pub fn found(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The exact JSON text of a value: digits as they came, text as it is.
pub fn exact_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
