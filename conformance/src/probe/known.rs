//! `spec/probe-known.yaml` in, the probe findings the specs record as known out: which
//! contradictions of a page a vendor's server is known to have (a rule it does not enforce, a
//! valid request it refuses), each with its reason, so a probe run fails only on new ones and on
//! known ones that went away. Problems are reported as `file:line:column`.
//!
//! ```yaml
//! known:
//!   - endpoint: crm/leads.create          # service/endpoint
//!     request: required-missing/f_name    # the probe request's id, as reports name it
//!     rule: rule-not-enforced             # the finding's rule
//!     reason: the server creates leads without a first name
//! ```

use codegen::SourceLocation;
use codegen::model::KnownDiscrepancy;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::finding::Rule;

/// Where the known probe findings are kept, relative to the project root.
pub const PROBE_KNOWN_FILE: &str = "spec/probe-known.yaml";

/// One known probe finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownProbeFinding {
    /// `service/endpoint`.
    pub endpoint: String,
    /// The probe request's id.
    pub request: String,
    /// The entry as a known discrepancy of that request's case (path `""`).
    pub discrepancy: KnownDiscrepancy,
}

/// Every known probe finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownProbeFindings {
    /// The entries, in written order.
    pub entries: Vec<KnownProbeFinding>,
}

/// A problem of the known-findings file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct KnownFileError {
    /// Where.
    pub location: SourceLocation,
    /// What was expected.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownFile {
    #[serde(default)]
    known: Vec<KnownEntrySpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownEntrySpec {
    endpoint: Spanned<String>,
    request: Spanned<String>,
    rule: Spanned<Rule>,
    reason: Spanned<String>,
}

impl KnownProbeFindings {
    /// Parses the file's `text`, named `path` in messages; every endpoint must be one of
    /// `endpoint_keys`.
    pub fn parse(
        path: &str,
        text: &str,
        endpoint_keys: &[String],
    ) -> Result<KnownProbeFindings, Vec<KnownFileError>> {
        let file: KnownFile = codegen::load::read_yaml(path, text).map_err(|diagnostic| {
            vec![KnownFileError {
                location: diagnostic.location,
                message: diagnostic.message,
            }]
        })?;
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        for entry in file.known {
            if !endpoint_keys.contains(&entry.endpoint.value) {
                errors.push(KnownFileError {
                    location: SourceLocation::of(path, &entry.endpoint),
                    message: format!(
                        "no endpoint `{}`; expected one of: {}",
                        entry.endpoint.value,
                        endpoint_keys.join(", ")
                    ),
                });
                continue;
            }
            if entry.reason.value.trim().is_empty() {
                errors.push(KnownFileError {
                    location: SourceLocation::of(path, &entry.reason),
                    message: "a known probe finding needs a reason, in one line of words"
                        .to_owned(),
                });
                continue;
            }
            entries.push(KnownProbeFinding {
                endpoint: entry.endpoint.value.clone(),
                request: entry.request.value.clone(),
                discrepancy: KnownDiscrepancy {
                    path: String::new(),
                    rule: entry.rule.value,
                    reason: entry.reason.value.clone(),
                    location: SourceLocation::of(path, &entry.rule),
                },
            });
        }
        if errors.is_empty() {
            Ok(KnownProbeFindings { entries })
        } else {
            Err(errors)
        }
    }

    /// The known discrepancies of one probe request.
    pub(crate) fn for_request(&self, endpoint_key: &str, request: &str) -> Vec<KnownDiscrepancy> {
        self.entries
            .iter()
            .filter(|entry| entry.endpoint == endpoint_key && entry.request == request)
            .map(|entry| entry.discrepancy.clone())
            .collect()
    }
}
