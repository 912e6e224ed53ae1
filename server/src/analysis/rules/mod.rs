//! The rule catalog. One rule, one file: each file holds the rule's metadata, docs, code and
//! annotated fixture tests.

use super::rule::{Rule, RuleMeta};

pub mod bool_fields;
pub mod internal;
pub mod layer_violation;
pub mod module_cycle;
pub mod static_mut;
pub mod suppressions;
pub mod too_many_params;
pub mod unknown_suppression;
pub mod unused_suppression;

/// Every rule, in catalog order.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: &[&dyn Rule] = &[
        &static_mut::StaticMut,
        &too_many_params::TooManyParams,
        &bool_fields::BoolFields,
        &layer_violation::LayerViolation,
        &module_cycle::ModuleCycle,
        &unknown_suppression::UnknownSuppression,
        &unused_suppression::UnusedSuppression,
    ];
    ALL
}

/// Every rule's metadata, plus the engine's own `internal-error`.
pub fn metas() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = all().iter().map(|r| r.meta()).collect();
    v.push(&internal::META);
    v
}

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    if id == internal::META.id {
        return Some(&internal::META);
    }
    all().iter().map(|r| r.meta()).find(|m| m.id == id)
}
