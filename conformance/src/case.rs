//! Cases and reports: one case per payload checked (an example, a file, a live exchange), with
//! its findings marked known or new and the known discrepancies that no longer show up.

use codegen::model::{Direction, KnownDiscrepancy};

use crate::finding::{Finding, Known, Severity};

/// Where a case's payload came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSource {
    /// One of the page's examples, as the spec names it.
    Example {
        /// The example's name in the spec.
        name: String,
        /// The example file, relative to the project root.
        file: String,
    },
    /// A file given on the command line.
    File {
        /// The path as given.
        path: String,
    },
    /// A live exchange with the API (or a server standing in for it).
    Live {
        /// The URL the request went to (never carrying a credential).
        url: String,
    },
    /// An exchange from a traffic recording.
    Recorded {
        /// The recording file.
        file: String,
        /// The exchange's place in it (1-based line or entry number).
        entry: u64,
    },
    /// A request a probe generated from the request contract, and the URL it went to.
    Probe {
        /// The probe request's id, stable for a seed (`required-missing/f_name`).
        request: String,
        /// The URL the request went to (never carrying a credential).
        url: String,
    },
}

impl CaseSource {
    /// `example page`, `file x.json`, `live https://…`, `recorded x.har#12`, `probe <id>`.
    pub fn describe(&self) -> String {
        match self {
            CaseSource::Example { name, .. } => format!("example `{name}`"),
            CaseSource::File { path } => format!("file {path}"),
            CaseSource::Live { url } => format!("live {url}"),
            CaseSource::Recorded { file, entry } => format!("recorded {file}#{entry}"),
            CaseSource::Probe { request, .. } => format!("probe {request}"),
        }
    }

    /// The file the payload is in, if it is in one.
    pub fn file(&self) -> Option<&str> {
        match self {
            CaseSource::Example { file, .. } | CaseSource::Recorded { file, .. } => Some(file),
            CaseSource::File { path } => Some(path),
            CaseSource::Live { .. } | CaseSource::Probe { .. } => None,
        }
    }
}

/// One payload checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// Request or response.
    pub direction: Direction,
    /// Where the payload came from.
    pub source: CaseSource,
    /// The endpoint's spec file.
    pub spec_path: String,
    /// Every finding, each marked known or not.
    pub findings: Vec<Finding>,
    /// Known discrepancies the spec records for this payload that no finding matches any more.
    pub vanished: Vec<KnownDiscrepancy>,
    /// How long the exchange took, for live cases.
    pub latency_ms: Option<u64>,
}

impl Case {
    /// `crm/leads.create request example page`: unique in a report.
    pub fn name(&self) -> String {
        format!(
            "{}/{} {} {}",
            self.service,
            self.endpoint,
            self.direction.as_str(),
            self.source.describe()
        )
    }

    /// `crm/leads.create`.
    pub fn endpoint_key(&self) -> String {
        format!("{}/{}", self.service, self.endpoint)
    }

    /// Whether the case fails a run: a finding that is not known, or a known one that vanished.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(Finding::is_new) || !self.vanished.is_empty()
    }

    /// `failed`, `known` (only known findings) or `passed` (no findings).
    pub fn verdict(&self) -> &'static str {
        if self.failed() {
            "failed"
        } else if self.findings.is_empty() {
            "passed"
        } else {
            "known"
        }
    }
}

/// Marks each finding the spec records as known, and returns the records no finding matched.
pub fn apply_known(findings: &mut [Finding], known: &[KnownDiscrepancy]) -> Vec<KnownDiscrepancy> {
    let mut matched = vec![false; known.len()];
    for finding in findings.iter_mut() {
        if let Some(index) = known
            .iter()
            .position(|entry| entry.covers(&finding.pointer, finding.rule))
        {
            matched[index] = true;
            finding.known = Some(Known {
                reason: known[index].reason.clone(),
                location: known[index].location.clone(),
            });
        }
    }
    known
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(entry, _)| entry.clone())
        .collect()
}

/// Counts over a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases checked.
    pub cases: usize,
    /// Cases that do not fail the run.
    pub passed: usize,
    /// Cases that fail the run.
    pub failed: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings the specs record as known.
    pub known: usize,
    /// Findings the specs do not record.
    pub new: usize,
    /// Known discrepancies no longer found.
    pub vanished: usize,
}

/// Every case of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The cases, in the order they were checked.
    pub cases: Vec<Case>,
}

impl Report {
    /// Counts over the cases.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            cases: self.cases.len(),
            ..Summary::default()
        };
        for case in &self.cases {
            if case.failed() {
                summary.failed += 1;
            } else {
                summary.passed += 1;
            }
            summary.vanished += case.vanished.len();
            for finding in &case.findings {
                match finding.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                }
                if finding.is_new() {
                    summary.new += 1;
                } else {
                    summary.known += 1;
                }
            }
        }
        summary
    }

    /// 0 when every finding is known and none vanished, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.cases.iter().any(Case::failed) {
            1
        } else {
            0
        }
    }
}
