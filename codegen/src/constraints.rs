//! A field's limits and default as written (`minimum`, `max_length`, `pattern`, `min_items`,
//! `default`, …) in, the model's `Constraints` and default value out: numbers read from the
//! file's own text (never through a float), bounds compared exactly, patterns compiled the way
//! the schema validators compile them, and a default checked against its field.

use serde_json::Value;

use crate::decimal::Decimal;
use crate::lower::Cx;
use crate::model::{Constraints, Shape};
use crate::spec::{FieldSpec, FieldType, Spanned, YamlNumber, YamlValue};

/// Whether any limit is written on `spec`.
pub(crate) fn any_given(spec: &FieldSpec) -> bool {
    spec.minimum.is_some()
        || spec.maximum.is_some()
        || spec.exclusive_minimum.is_some()
        || spec.exclusive_maximum.is_some()
        || spec.min_length.is_some()
        || spec.max_length.is_some()
        || spec.pattern.is_some()
        || spec.min_items.is_some()
        || spec.max_items.is_some()
        || spec.unique_items.is_some()
}

/// The limits written on `spanned`, checked: numbers exact and whole for integers, no lower
/// bound above its upper one, a pattern the validators compile. Keys on the wrong type are
/// reported by `lower_shape`.
pub(crate) fn lower_constraints(cx: &mut Cx<'_>, spanned: &Spanned<FieldSpec>) -> Constraints {
    let spec = &spanned.value;
    let integer = spec.ty.value == FieldType::Integer;
    let bound = |cx: &mut Cx<'_>, name: &str, given: &Option<Spanned<YamlNumber>>| {
        let given = given.as_ref()?;
        let text = number_text(cx, given, name)?;
        let decimal = Decimal::parse(&text)?;
        if integer && !decimal.is_integer() {
            cx.error(
                given,
                format!("`{name}` of an `integer` field must be a whole number, found `{text}`"),
            );
            return None;
        }
        Some((text, decimal, cx.location(given)))
    };
    let minimum = bound(cx, "minimum", &spec.minimum);
    let maximum = bound(cx, "maximum", &spec.maximum);
    let exclusive_minimum = bound(cx, "exclusive_minimum", &spec.exclusive_minimum);
    let exclusive_maximum = bound(cx, "exclusive_maximum", &spec.exclusive_maximum);
    let lowers = [
        (&minimum, "minimum", false),
        (&exclusive_minimum, "exclusive_minimum", true),
    ];
    let uppers = [
        (&maximum, "maximum", false),
        (&exclusive_maximum, "exclusive_maximum", true),
    ];
    for (lower, lower_name, lower_exclusive) in lowers {
        for (upper, upper_name, upper_exclusive) in uppers {
            let (Some((lower_text, lower_value, _)), Some((upper_text, upper_value, at))) =
                (lower, upper)
            else {
                continue;
            };
            let empty = if lower_exclusive || upper_exclusive {
                lower_value >= upper_value
            } else {
                lower_value > upper_value
            };
            if empty {
                cx.diagnostics.push(crate::diagnostic::Diagnostic::new(
                    at.clone(),
                    format!(
                        "{lower_name} {lower_text} and {upper_name} {upper_text} leave no value: the lower bound must be below the upper one"
                    ),
                ));
            }
        }
    }
    for (low_name, low, high_name, high) in [
        (
            "min_length",
            &spec.min_length,
            "max_length",
            &spec.max_length,
        ),
        ("min_items", &spec.min_items, "max_items", &spec.max_items),
    ] {
        if let (Some(low), Some(high)) = (low, high)
            && low.value > high.value
        {
            cx.error(
                high,
                format!(
                    "{low_name} {} is greater than {high_name} {}: no value fits",
                    low.value, high.value
                ),
            );
        }
    }
    let pattern = spec.pattern.as_ref().and_then(|pattern| {
        if is_schema_pattern(&pattern.value) {
            Some(pattern.value.clone())
        } else {
            cx.error(
                pattern,
                format!(
                    "pattern `{}` is not an ECMA-262 regular expression the schema validators can compile (look-behind and back-references are not taken)",
                    pattern.value
                ),
            );
            None
        }
    });
    Constraints {
        minimum: minimum.map(|(text, _, _)| text),
        maximum: maximum.map(|(text, _, _)| text),
        exclusive_minimum: exclusive_minimum.map(|(text, _, _)| text),
        exclusive_maximum: exclusive_maximum.map(|(text, _, _)| text),
        min_length: spec.min_length.as_ref().map(|given| given.value),
        max_length: spec.max_length.as_ref().map(|given| given.value),
        pattern,
        min_items: spec.min_items.as_ref().map(|given| given.value),
        max_items: spec.max_items.as_ref().map(|given| given.value),
        unique_items: spec.unique_items.as_ref().is_some_and(|given| given.value),
    }
}

/// Whether `jsonschema` compiles `pattern` (ECMA-262 syntax, translated to a Rust regex).
pub(crate) fn is_schema_pattern(pattern: &str) -> bool {
    jsonschema_regex::is_valid_ecma_regex(pattern)
        && jsonschema_regex::to_rust_regex(pattern)
            .is_ok_and(|translated| fancy_regex::Regex::new(&translated).is_ok())
}

/// The number's text exactly as the file writes it, if JSON would read it.
fn number_text(cx: &mut Cx<'_>, given: &Spanned<YamlNumber>, name: &str) -> Option<String> {
    let raw = raw_text(cx, given.defined);
    match raw {
        Some(raw) if Decimal::parse(&raw).is_some() => Some(raw),
        Some(raw) => {
            cx.error(
                given,
                format!(
                    "`{name}` is written as JSON writes numbers (digits, an optional fraction and exponent), found `{raw}`"
                ),
            );
            None
        }
        None => {
            cx.error(
                given,
                format!("cannot read the digits of `{name}` from the file"),
            );
            None
        }
    }
}

fn raw_text(cx: &Cx<'_>, location: serde_saphyr::Location) -> Option<String> {
    let text = std::str::from_utf8(cx.sources.get(cx.path)?).ok()?;
    let span = location.span();
    let (offset, length) = span.byte_offset().zip(span.byte_len())?;
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(length).ok()?)?;
    Some(text.get(start..end)?.trim().to_owned())
}

/// The field's `default` as JSON (numbers with their written digits), checked against the
/// field's type and limits; `None` when absent or wrong (then reported).
pub(crate) fn lower_default(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    shape: &Shape,
) -> Option<Value> {
    let given = spanned.value.default.as_ref()?;
    let value = yaml_to_json(cx, given)?;
    let nullable = spanned.value.nullable.as_ref().is_some_and(|n| n.value);
    if let Err(why) = fits(shape, nullable, &value) {
        let text = serde_json::to_string(&value).unwrap_or_default();
        cx.error(
            given,
            format!("default {text} is not a value of this field: {why}"),
        );
        return None;
    }
    let constraints = lower_constraints_quiet(cx, spanned);
    if let Err(why) = within(&constraints, &value) {
        let text = serde_json::to_string(&value).unwrap_or_default();
        cx.error(
            given,
            format!("default {text} breaks the field's own limits: {why}"),
        );
        return None;
    }
    Some(value)
}

/// The limits as written, without reporting (they are reported once by `lower_constraints`).
fn lower_constraints_quiet(cx: &Cx<'_>, spanned: &Spanned<FieldSpec>) -> Constraints {
    let spec = &spanned.value;
    let bound = |given: &Option<Spanned<YamlNumber>>| {
        given
            .as_ref()
            .and_then(|given| raw_text(cx, given.defined))
            .filter(|text| Decimal::parse(text).is_some())
    };
    Constraints {
        minimum: bound(&spec.minimum),
        maximum: bound(&spec.maximum),
        exclusive_minimum: bound(&spec.exclusive_minimum),
        exclusive_maximum: bound(&spec.exclusive_maximum),
        min_length: spec.min_length.as_ref().map(|given| given.value),
        max_length: spec.max_length.as_ref().map(|given| given.value),
        min_items: spec.min_items.as_ref().map(|given| given.value),
        max_items: spec.max_items.as_ref().map(|given| given.value),
        ..Constraints::default()
    }
}

fn yaml_to_json(cx: &mut Cx<'_>, node: &Spanned<YamlValue>) -> Option<Value> {
    Some(match &node.value {
        YamlValue::Null => Value::Null,
        YamlValue::Bool(value) => Value::Bool(*value),
        YamlValue::String(value) => Value::String(value.clone()),
        YamlValue::Number => {
            let Some(raw) = raw_text(cx, node.defined) else {
                cx.error(node, "cannot read this number's digits from the file");
                return None;
            };
            match serde_json::from_str::<serde_json::Number>(&raw) {
                Ok(number) => Value::Number(number),
                Err(_) => {
                    cx.error(
                        node,
                        format!(
                            "numbers are written as JSON writes them (digits, an optional fraction and exponent), found `{raw}`: quote it for a string"
                        ),
                    );
                    return None;
                }
            }
        }
        YamlValue::List(items) => Value::Array(
            items
                .iter()
                .map(|item| yaml_to_json(cx, item))
                .collect::<Option<_>>()?,
        ),
        YamlValue::Map(members) => {
            let mut map = serde_json::Map::new();
            for (key, member) in members {
                map.insert(key.clone(), yaml_to_json(cx, member)?);
            }
            Value::Object(map)
        }
    })
}

/// Whether `value` is of the shape's JSON type (and one of an enum's values).
fn fits(shape: &Shape, nullable: bool, value: &Value) -> Result<(), String> {
    let ok = match (shape, value) {
        (Shape::Any | Shape::Recursive(_), _) => true,
        (_, Value::Null) => nullable,
        (Shape::String | Shape::Date | Shape::DateTime | Shape::Email, Value::String(_)) => true,
        (Shape::Enum(enumeration), Value::String(text)) => {
            if !enumeration.values.iter().any(|listed| &listed.wire == text) {
                let listed: Vec<String> = enumeration
                    .values
                    .iter()
                    .map(|listed| format!("`{}`", listed.wire))
                    .collect();
                return Err(format!(
                    "it is none of the listed values {}",
                    listed.join(", ")
                ));
            }
            true
        }
        (Shape::Integer, Value::Number(number)) => {
            Decimal::parse(&number.to_string()).is_some_and(|d| d.is_integer())
        }
        (Shape::Number, Value::Number(_)) | (Shape::Boolean, Value::Bool(_)) => true,
        (Shape::Array(items), Value::Array(values)) => {
            return values
                .iter()
                .try_for_each(|item| fits(&items.shape, items.nullable, item));
        }
        (Shape::Object(_), Value::Object(_)) => true,
        (Shape::Union(union), _) => union
            .variants
            .iter()
            .any(|variant| fits(&variant.shape, false, value).is_ok()),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("the field is of type `{}`", shape.type_name()))
    }
}

/// Whether `value` keeps its field's ranges, lengths and item counts (the mock answers with it).
fn within(constraints: &Constraints, value: &Value) -> Result<(), String> {
    if let Value::Number(number) = value
        && let Some(number) = Decimal::parse(&number.to_string())
    {
        let bound = |text: &Option<String>| text.as_deref().and_then(Decimal::parse);
        let checks = [
            (&constraints.minimum, "below minimum", false, true),
            (&constraints.maximum, "above maximum", false, false),
            (
                &constraints.exclusive_minimum,
                "not above exclusive_minimum",
                true,
                true,
            ),
            (
                &constraints.exclusive_maximum,
                "not below exclusive_maximum",
                true,
                false,
            ),
        ];
        for (text, what, exclusive, lower) in checks {
            let Some(limit) = bound(text) else {
                continue;
            };
            let broken = match (lower, exclusive) {
                (true, false) => number < limit,
                (false, false) => number > limit,
                (true, true) => number <= limit,
                (false, true) => number >= limit,
            };
            if broken {
                return Err(format!("{what} {}", text.as_deref().unwrap_or_default()));
            }
        }
        return Ok(());
    }
    let length = match value {
        Value::String(text) => Some((text.chars().count() as u64, "characters", "length")),
        Value::Array(items) => Some((items.len() as u64, "items", "items")),
        _ => None,
    };
    let Some((count, unit, kind)) = length else {
        return Ok(());
    };
    let (low, high) = if kind == "length" {
        (constraints.min_length, constraints.max_length)
    } else {
        (constraints.min_items, constraints.max_items)
    };
    if let Some(low) = low
        && count < low
    {
        return Err(format!("{count} {unit}, fewer than {low}"));
    }
    if let Some(high) = high
        && count > high
    {
        return Err(format!("{count} {unit}, more than {high}"));
    }
    Ok(())
}
