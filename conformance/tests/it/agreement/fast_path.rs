//! One body's contract and one payload's text in; out, whether the generated fast check vouched
//! for the payload or left it to the full check, or how it broke the schema's word.
//!
//! The fast check's clause: a payload it vouches for is JSON, names no member twice, breaks no
//! rule of the schema other than `additionalProperties` (unlisted fields, which it lists), and
//! its findings are exactly the full check's, unlisted-field warnings and errors included. A
//! payload it declines costs only time; how many the schema accepts yet the fast check declines
//! is counted, so a table that declines too much shows.

use conformance::BodyContract;
use conformance::check::check_payload;
use conformance::recorded::{MOST_VALUES_CHECKED_IN_FULL, fast_check_payload};
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::verdict::Disagreement;

/// What the fast check did with a payload (its clause then held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FastVerdict {
    /// It vouched; the schema accepts, unlisted fields aside, and the findings are the full
    /// check's.
    Vouched,
    /// It declined a payload the schema accepts (unlisted fields aside).
    DeclinedWhatTheSchemaAccepts,
    /// It declined a payload the schema refuses (or that is not JSON).
    DeclinedWhatTheSchemaRefuses,
}

/// The fast check's verdict on a payload, held to the schema and the full check.
pub(super) fn fast_path_verdict(
    contract: &BodyContract,
    payload_text: &[u8],
) -> Result<FastVerdict, Disagreement> {
    let fast = fast_check_payload(contract, payload_text, MOST_VALUES_CHECKED_IN_FULL);
    let schema_accepts_unlisted_aside = serde_json::from_slice::<Value>(payload_text)
        .ok()
        .filter(|_| conformance::check::first_duplicate_key(payload_text).is_none())
        .is_some_and(|input| {
            contract.validator.iter_errors(&input).all(|error| {
                matches!(
                    error.kind(),
                    ValidationErrorKind::AdditionalProperties { .. }
                )
            })
        });
    let Some(fast_findings) = fast else {
        return Ok(if schema_accepts_unlisted_aside {
            FastVerdict::DeclinedWhatTheSchemaAccepts
        } else {
            FastVerdict::DeclinedWhatTheSchemaRefuses
        });
    };
    if !schema_accepts_unlisted_aside {
        return Err(Disagreement {
            message: format!(
                "the fast check vouches for this {}, which the schema refuses (or which is not JSON, or names a member twice)",
                contract.direction.as_str()
            ),
        });
    }
    let full_findings = check_payload(contract, payload_text).findings;
    if fast_findings != full_findings {
        return Err(Disagreement {
            message: format!(
                "the fast check's findings differ from the full check's:\n  fast: {fast_findings:?}\n  full: {full_findings:?}"
            ),
        });
    }
    Ok(FastVerdict::Vouched)
}
