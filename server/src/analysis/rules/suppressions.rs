//! Checks on suppression comments, run by the engine after suppressions are applied: it needs
//! to know which suppressions were used.

use crate::analysis::engine::Engine;
use crate::analysis::model::FileSummary;
use crate::analysis::rule::Finding;

/// `used[i][j]`: id `j` of suppression `i` suppressed at least one finding.
pub(crate) fn check(engine: &Engine, summary: &FileSummary, used: &[Vec<bool>]) -> Vec<Finding> {
    let mut out = Vec::new();
    if engine.is_active(super::unknown_suppression::META.id) {
        out.extend(super::unknown_suppression::check(summary));
    }
    if engine.is_active(super::unused_suppression::META.id) {
        out.extend(super::unused_suppression::check(engine, summary, used));
    }
    out
}
