//! A report in, text out: for people (`human`, colour only on a terminal), for programs
//! (`json`, a documented and stable document), for CI dashboards (`junit`).

pub mod human;
pub mod json;
pub mod junit;

use codegen::model::KnownDiscrepancy;

use crate::case::Case;
use crate::finding::Finding;

/// A known discrepancy that vanished at the same place where a new finding appeared: the
/// discrepancy changed rather than went away.
pub fn changed_from<'a>(case: &'a Case, finding: &Finding) -> Option<&'a KnownDiscrepancy> {
    if !finding.is_new() {
        return None;
    }
    case.vanished
        .iter()
        .find(|vanished| vanished.path == finding.pointer)
}
