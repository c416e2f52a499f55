//! One body's contract and one payload's text in, which clause of the agreement it exercised
//! out, or how the generated type and the schema disagree on it.
//!
//! The agreement, clause by clause:
//! - (a) a payload the schema accepts, the type reads, and writes back as the same JSON (every
//!   number's exact digits, every string, every field);
//! - (b) a payload the type refuses, the schema refuses too;
//! - (c) a payload the type reads and the schema refuses is one whose every schema error is a
//!   deliberate leniency (an unlisted field or an unknown enum value where the model's object or
//!   enum keeps them: every response, and shared shapes a response uses; or a field's limit,
//!   `minimum` to `unique_items`, which only the schema checks), and its round trip keeps every
//!   value, unlisted fields and unknown values included.
//!
//! The architecture's invariant adds the converse of (c), checked here too: a response the
//! schema refuses only for leniencies, the type reads.

use codegen::model::Shape;
use conformance::BodyContract;
use conformance::shape::{child_pointer, exact_text, locate};
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// Which clause's antecedent a payload met (the clause then held).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Clause {
    /// (a) the schema accepts; the type read the payload and wrote back the same JSON.
    SchemaAcceptsAndTypeRoundTrips,
    /// (b) the type refuses; the schema refuses too.
    TypeRefusesAndSchemaRefuses,
    /// (c) the schema refuses a response only for leniencies; the type reads it and keeps every
    /// value.
    TypeKeepsResponseLeniency,
    /// The text is not JSON at all; the type refuses it too.
    NotJsonRefusedByBoth,
    /// A member is named twice inside a value the type keeps as JSON (`any`, unlisted fields):
    /// the type keeps the last value, as parsers do, and the checker reports the repetition.
    DuplicateMemberReported,
}

impl Clause {
    /// Every clause, in the order reports list them.
    pub(super) const ALL: [Clause; 5] = [
        Clause::SchemaAcceptsAndTypeRoundTrips,
        Clause::TypeRefusesAndSchemaRefuses,
        Clause::TypeKeepsResponseLeniency,
        Clause::NotJsonRefusedByBoth,
        Clause::DuplicateMemberReported,
    ];

    /// `(a)`, `(b)`, `(c)` or `not json`, for reports.
    pub(super) fn label(self) -> &'static str {
        match self {
            Clause::SchemaAcceptsAndTypeRoundTrips => "(a) schema accepts, round trip exact",
            Clause::TypeRefusesAndSchemaRefuses => "(b) type refuses, schema refuses",
            Clause::TypeKeepsResponseLeniency => "(c) response leniency kept",
            Clause::NotJsonRefusedByBoth => "not json, both refuse",
            Clause::DuplicateMemberReported => "member named twice, reported",
        }
    }
}

/// How a payload broke the agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Disagreement {
    /// What happened, with the schema's and the type's verdicts.
    pub message: String,
}

impl Disagreement {
    fn new(message: String) -> Disagreement {
        Disagreement { message }
    }
}

/// The clause a payload exercised, or how the type and the schema disagree on it.
pub(super) fn agreement_verdict(
    contract: &BodyContract,
    payload_text: &[u8],
) -> Result<Clause, Disagreement> {
    let type_verdict = (contract
        .typed
        .expect("contracts with compiled types")
        .decode)(payload_text);
    let Ok(input) = serde_json::from_slice::<Value>(payload_text) else {
        return match type_verdict {
            Err(_) => Ok(Clause::NotJsonRefusedByBoth),
            Ok(()) => Err(Disagreement::new(
                "the type reads text that is not JSON".to_owned(),
            )),
        };
    };
    // A repeated member name is a defect of the payload: parsers keep the last value (so the
    // schema sees only that one), the checker reports it, and the type must refuse it.
    // A member named twice inside an `any` value or an unlisted map is kept (last wins) by the
    // type as by every JSON parser; the checker reports the repetition either way.
    if conformance::check::first_duplicate_key(payload_text).is_some() {
        return Ok(match type_verdict {
            Err(_) => Clause::TypeRefusesAndSchemaRefuses,
            Ok(()) => Clause::DuplicateMemberReported,
        });
    }
    let schema_errors = schema_errors(contract, &input);
    if schema_errors.is_empty() {
        if let Err(error) = type_verdict {
            return Err(Disagreement::new(format!(
                "clause (a) broken: the schema accepts this {}, the type refuses it: {error}",
                contract.direction.as_str()
            )));
        }
        round_trip_keeps_every_value(contract, payload_text, &input, "(a)")?;
        return Ok(Clause::SchemaAcceptsAndTypeRoundTrips);
    }
    let only_leniencies = schema_errors.iter().all(|error| error.is_response_leniency);
    match type_verdict {
        Err(error) if only_leniencies => Err(Disagreement::new(format!(
            "leniency not honoured: the schema refuses this response only for leniencies ({}), yet the type refuses it: {error}",
            describe_errors(&schema_errors)
        ))),
        Err(_) => Ok(Clause::TypeRefusesAndSchemaRefuses),
        Ok(()) if only_leniencies => {
            round_trip_keeps_every_value(contract, payload_text, &input, "(c)")?;
            Ok(Clause::TypeKeepsResponseLeniency)
        }
        Ok(()) => Err(Disagreement::new(format!(
            "clause (c) broken: the type accepts this {}, the schema refuses it for more than a response's leniencies: {}",
            contract.direction.as_str(),
            describe_errors(&schema_errors)
        ))),
    }
}

/// One error of the schema, read along the model.
#[derive(Debug, Clone)]
struct SchemaError {
    /// JSON Pointer of the value.
    pointer: String,
    /// The validator's message.
    message: String,
    /// An unlisted field of a response object, or an unknown string where a response has an enum.
    is_response_leniency: bool,
}

fn schema_errors(contract: &BodyContract, input: &Value) -> Vec<SchemaError> {
    contract
        .validator
        .iter_errors(input)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            let located = locate(&contract.object, input, &pointer);
            let value = input.pointer(&pointer);
            let is_response_leniency = match error.kind() {
                ValidationErrorKind::AdditionalProperties { .. } => located
                    .object
                    .is_some_and(|object| object.keeps_unlisted_fields()),
                ValidationErrorKind::Enum { .. } => {
                    matches!(located.shape, Some(Shape::Enum(enumeration)) if enumeration.keeps_unknown_values())
                        && matches!(value, Some(Value::String(_)))
                }
                ValidationErrorKind::Pattern { .. } => {
                    matches!(located.shape, Some(Shape::String))
                }
                kind => conformance::check::is_limit(kind),
            };
            SchemaError {
                message: error.to_string(),
                pointer,
                is_response_leniency,
            }
        })
        .collect()
}

fn describe_errors(errors: &[SchemaError]) -> String {
    errors
        .iter()
        .map(|error| {
            let at = if error.pointer.is_empty() {
                "the body"
            } else {
                error.pointer.as_str()
            };
            format!("at {at}: {}", error.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs the round trip and compares what comes back with the input, exactly.
fn round_trip_keeps_every_value(
    contract: &BodyContract,
    payload_text: &[u8],
    input: &Value,
    clause: &str,
) -> Result<(), Disagreement> {
    let output = (contract
        .typed
        .expect("contracts with compiled types")
        .round_trip)(payload_text)
    .map_err(|error| {
        Disagreement::new(format!(
            "clause {clause} broken: the type reads this {} but its round trip fails: {error}",
            contract.direction.as_str()
        ))
    })?;
    let written = serde_json::from_slice::<Value>(&output).map_err(|error| {
        Disagreement::new(format!(
            "clause {clause} broken: the type writes text that is not JSON ({error}): {}",
            String::from_utf8_lossy(&output)
        ))
    })?;
    match first_difference(input, &written, "") {
        None => Ok(()),
        Some(difference) => Err(Disagreement::new(format!(
            "clause {clause} broken: the round trip changes the payload {difference}; written back: {}",
            String::from_utf8_lossy(&output)
        ))),
    }
}

/// Where two JSON values first differ, in words, or `None` when they are the same: numbers by
/// their exact text (`7` and `7.0` differ, `1E3` and `1e+3` are the same once parsed), objects
/// by their members in any order.
pub(super) fn first_difference(expected: &Value, actual: &Value, pointer: &str) -> Option<String> {
    let at = if pointer.is_empty() {
        "(the body)"
    } else {
        pointer
    };
    match (expected, actual) {
        (Value::Number(expected_number), Value::Number(actual_number)) => {
            (expected_number.as_str() != actual_number.as_str()).then(|| {
                format!(
                    "at {at}: the number {} came back as {}",
                    expected_number.as_str(),
                    actual_number.as_str()
                )
            })
        }
        (Value::Array(expected_items), Value::Array(actual_items)) => {
            if expected_items.len() != actual_items.len() {
                return Some(format!(
                    "at {at}: a list of {} items came back with {}",
                    expected_items.len(),
                    actual_items.len()
                ));
            }
            expected_items
                .iter()
                .zip(actual_items)
                .enumerate()
                .find_map(|(index, (expected_item, actual_item))| {
                    first_difference(
                        expected_item,
                        actual_item,
                        &child_pointer(pointer, &index.to_string()),
                    )
                })
        }
        (Value::Object(expected_members), Value::Object(actual_members)) => {
            for (name, expected_member) in expected_members {
                let member_pointer = child_pointer(pointer, name);
                match actual_members.get(name) {
                    None => return Some(format!("at {member_pointer}: the member was dropped")),
                    Some(actual_member) => {
                        if let Some(difference) =
                            first_difference(expected_member, actual_member, &member_pointer)
                        {
                            return Some(difference);
                        }
                    }
                }
            }
            actual_members
                .keys()
                .find(|name| !expected_members.contains_key(*name))
                .map(|name| format!("at {}: a member appeared", child_pointer(pointer, name)))
        }
        _ => (expected != actual).then(|| {
            format!(
                "at {at}: {} came back as {}",
                exact_text(expected),
                exact_text(actual)
            )
        }),
    }
}
