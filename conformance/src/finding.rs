//! Findings: one contradiction between a payload (or an exchange) and the contract, with where
//! it is, which rule it breaks, how bad it is, and the offending value as its exact JSON text.

use codegen::SourceLocation;
pub use codegen::spec::Rule;
use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The contract is broken.
    Error,
    /// Not a violation, but worth knowing: a field the page does not list where the spec
    /// allows such fields.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One contradiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// JSON Pointer of the offending value in the payload (`""` for the whole payload).
    pub pointer: String,
    /// The rule broken.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
    /// The offending value as its exact JSON text (digits and text as they came); `None` where
    /// there is no value (a missing field, a failed connection).
    pub value: Option<String>,
    /// Where the spec defines what the value should be.
    pub spec_location: Option<SourceLocation>,
    /// Set when the spec records this finding as a known discrepancy.
    pub known: Option<Known>,
}

/// A finding the spec records as known, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// The spec's one-line reason.
    pub reason: String,
    /// Where the spec records it.
    pub location: SourceLocation,
}

impl Finding {
    /// An error finding without a value or known mark.
    pub fn error(pointer: impl Into<String>, rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            pointer: pointer.into(),
            rule,
            severity: Severity::Error,
            message: message.into(),
            value: None,
            spec_location: None,
            known: None,
        }
    }

    /// The same finding with its offending value's exact text.
    pub(crate) fn with_value(mut self, value: Option<String>) -> Finding {
        self.value = value;
        self
    }

    /// The same finding pointing at where the spec defines the value.
    pub(crate) fn with_spec_location(mut self, location: Option<SourceLocation>) -> Finding {
        self.spec_location = location;
        self
    }

    /// Whether the finding makes a run fail: it is not known.
    pub(crate) fn is_new(&self) -> bool {
        self.known.is_none()
    }
}

/// Orders findings by pointer, then rule, so reports read the same every run.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.pointer.as_str(), a.rule, &a.message).cmp(&(b.pointer.as_str(), b.rule, &b.message))
    });
}
