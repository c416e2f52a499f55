//! Findings of one payload in, as they are found; at most [`LISTED_FINDINGS_PER_RULE`] of each
//! rule out (the first by pointer and message, whatever order they were found in), each value,
//! pointer and message cut to a bound, and one finding per rule counting the rest. Memory holds the
//! kept findings only, so a payload with a million unlisted keys costs a hundred findings.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::bounds::{
    LISTED_FINDINGS_PER_RULE, SHOWN_TEXT_BYTES, bounded_text, bounded_value_text, with_thousands,
};
use crate::finding::{Finding, Rule, Severity, sort_findings};

/// A finding ordered as reports order them: pointer, rule, message.
#[derive(Debug)]
struct Ordered(Finding);

impl Ordered {
    fn key(&self) -> (&str, Rule, &str) {
        (&self.0.pointer, self.0.rule, &self.0.message)
    }
}

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Ordered {}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// The findings of one rule: the first ones kept (in order, so the last of them leaves first
/// when an earlier one comes), the rest counted.
#[derive(Debug, Default)]
struct RuleFindings {
    kept: BTreeSet<Ordered>,
    omitted: u64,
    omitted_errors: u64,
}

/// Findings of one payload, bounded per rule.
#[derive(Debug)]
pub struct BoundedFindings {
    listed_per_rule: usize,
    rules: BTreeMap<Rule, RuleFindings>,
}

impl Default for BoundedFindings {
    fn default() -> Self {
        BoundedFindings::new(LISTED_FINDINGS_PER_RULE)
    }
}

impl BoundedFindings {
    /// Keeps at most `listed_per_rule` findings of each rule.
    pub fn new(listed_per_rule: usize) -> BoundedFindings {
        BoundedFindings {
            listed_per_rule: listed_per_rule.max(1),
            rules: BTreeMap::new(),
        }
    }

    /// Adds a finding; one equal to a kept one (same pointer, rule and message) is dropped.
    pub fn push(&mut self, mut finding: Finding) {
        let listed_per_rule = self.listed_per_rule;
        let rule = self.rules.entry(finding.rule).or_default();
        finding.value = finding.value.map(bounded_value_text);
        finding.pointer = bounded_text(finding.pointer, SHOWN_TEXT_BYTES);
        finding.message = bounded_text(finding.message, SHOWN_TEXT_BYTES);
        let new = Ordered(finding);
        if rule.kept.contains(&new) {
            return;
        }
        let left_out = if rule.kept.len() < listed_per_rule {
            rule.kept.insert(new);
            None
        } else if rule.kept.last().is_some_and(|last| new < *last) {
            let last = rule.kept.pop_last();
            rule.kept.insert(new);
            last
        } else {
            Some(new)
        };
        if let Some(left_out) = left_out {
            rule.omitted += 1;
            if left_out.0.severity == Severity::Error {
                rule.omitted_errors += 1;
            }
        }
    }

    /// Adds every finding.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for finding in findings {
            self.push(finding);
        }
    }

    /// The kept findings sorted, then one per rule that left some out, saying how many.
    pub(crate) fn into_sorted_vec(self) -> Vec<Finding> {
        let listed_per_rule = self.listed_per_rule;
        let mut findings = Vec::new();
        let mut summaries = Vec::new();
        for (rule, rule_findings) in self.rules {
            findings.extend(rule_findings.kept.into_iter().map(|ordered| ordered.0));
            if rule_findings.omitted > 0 {
                let mut summary = Finding::error(
                    "",
                    rule,
                    format!(
                        "… and {} more `{}` finding{} not listed (a payload lists at most {listed_per_rule} of each rule)",
                        with_thousands(rule_findings.omitted),
                        rule.as_str(),
                        if rule_findings.omitted == 1 { "" } else { "s" }
                    ),
                );
                if rule_findings.omitted_errors == 0 {
                    summary.severity = Severity::Warning;
                }
                summaries.push(summary);
            }
        }
        sort_findings(&mut findings);
        findings.extend(summaries);
        findings
    }
}
