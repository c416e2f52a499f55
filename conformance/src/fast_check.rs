//! A payload's bytes and its body contract in; out, the payload's findings from the generated
//! fast check (one pass over the bytes along the body's table, `generated::fast_check`), or
//! `None` when the fast check declines and only the full check can tell. No `Value` is built,
//! except for the value of an unlisted field, which its finding quotes.
//!
//! Why the findings are the full check's: the table says what the schema says, and the fast
//! check accepts a payload only when it meets every rule of the schema except `additionalProperties`
//! (held by the agreement tests: accepted ⇒ the schema accepts it, unlisted fields aside). For
//! such a payload the full check's only findings are its unlisted fields' (the schema's
//! complaints about them produce no finding of their own, the type agrees with the schema), which
//! the fast check lists with where they are and the finding is made with the same function
//! (`check::undocumented_field_finding`). Anything it is unsure of (a repeated or escaped member
//! name, a pattern, nesting past 64 levels, …) declines the payload, and the full check decides.

use codegen::SourceLocation;
use codegen::model::{Object, UndocumentedFields};
use generated::fast_check::{Table, UnlistedMember, check};
use serde_json::Value;

use crate::bounded_findings::BoundedFindings;
use crate::check::undocumented_field_finding;
use crate::contract::BodyContract;
use crate::finding::Finding;
use crate::shape::child_pointer;

/// A body's fast check: its generated table, and where the spec defines each of the table's
/// objects and whether it allows unlisted fields (by the objects' numbers).
#[derive(Debug, Clone)]
pub struct FastPlan {
    table: Table,
    objects: Vec<(SourceLocation, UndocumentedFields)>,
}

impl FastPlan {
    /// The plan of a body whose model is `object`, from its table's text.
    pub fn new(object: &Object, table_text: &str) -> Result<FastPlan, serde_json::Error> {
        let table = Table::from_json(table_text)?;
        let objects = codegen::emit_fast_check::table_objects(object)
            .into_iter()
            .map(|object| (object.location.clone(), object.undocumented_fields))
            .collect();
        Ok(FastPlan { table, objects })
    }

    /// The plan of a body whose model is `object`, from the table the generator makes of it.
    pub fn of_model(object: &Object) -> Result<FastPlan, serde_json::Error> {
        FastPlan::new(object, &codegen::emit_fast_check::body_table(object))
    }
}

/// Checks a payload the fast way: `Some(findings)` (identical to the full check's) when the
/// fast check accepts it, `None` when only the full check can tell. A payload holding more than
/// `most_values` JSON values (counted as `bounds::json_value_count` counts them) is declined.
pub fn fast_check_payload(
    contract: &BodyContract,
    bytes: &[u8],
    most_values: usize,
) -> Option<Vec<Finding>> {
    let plan = contract.fast.as_ref()?;
    let mut unlisted: Vec<UnlistedMember<'_>> = Vec::new();
    if !check(&plan.table, bytes, most_values, &mut unlisted) {
        return None;
    }
    let mut findings = BoundedFindings::default();
    for member in unlisted {
        let (location, policy) = plan.objects.get(member.object as usize)?;
        let value: Value = serde_json::from_str(member.value).ok()?;
        findings.push(undocumented_field_finding(
            location,
            *policy,
            member.name,
            &value,
            child_pointer(&member.object_pointer, member.name),
        ));
    }
    Some(findings.into_sorted_vec())
}
