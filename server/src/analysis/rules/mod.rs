//! The rule catalog. One rule, one file: each file holds the rule's metadata, docs, code and
//! annotated fixture tests.

use super::rule::{Rule, RuleMeta};

pub(crate) mod assumed_some;
pub(crate) mod bool_fields;
pub(crate) mod bool_params;
pub(crate) mod borrowed_owned_param;
pub(crate) mod global_mutable_state;
pub(crate) mod internal;
pub(crate) mod layer_violation;
pub(crate) mod module_cycle;
pub(crate) mod mutex_of_primitive;
pub(crate) mod narrowable_pub;
pub(crate) mod option_bool;
pub(crate) mod option_fields;
pub(crate) mod option_option;
pub(crate) mod ownership_common;
pub(crate) mod pub_fields;
pub(crate) mod pub_interior_mutability;
pub(crate) mod shared_mutable_state;
pub(crate) mod state_types;
pub(crate) mod static_mut;
pub(crate) mod stringly_error;
pub(crate) mod stringly_state;
pub(crate) mod suppressions;
pub(crate) mod too_many_params;
pub(crate) mod unknown_suppression;
pub(crate) mod unreachable_pub;
pub(crate) mod unsafe_send_sync;
pub(crate) mod unused_suppression;
pub(crate) mod unwrap_in_lib;
pub(crate) mod wide_module_api;
pub(crate) mod wide_trait;

/// Every rule, in catalog order.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: &[&dyn Rule] = &[
        &static_mut::StaticMut,
        &too_many_params::TooManyParams,
        &bool_fields::BoolFields,
        &bool_params::BoolParams,
        &option_bool::OptionBool,
        &option_option::OptionOption,
        &option_fields::OptionFields,
        &assumed_some::AssumedSome,
        &stringly_state::StringlyState,
        &shared_mutable_state::SharedMutableState,
        &global_mutable_state::GlobalMutableState,
        &mutex_of_primitive::MutexOfPrimitive,
        &unsafe_send_sync::UnsafeSendSync,
        &borrowed_owned_param::BorrowedOwnedParam,
        &pub_interior_mutability::PubInteriorMutability,
        &layer_violation::LayerViolation,
        &module_cycle::ModuleCycle,
        &unknown_suppression::UnknownSuppression,
        &unused_suppression::UnusedSuppression,
        &unreachable_pub::UnreachablePub,
        &pub_fields::PubFields,
        &wide_module_api::WideModuleApi,
        &wide_trait::WideTrait,
        &stringly_error::StringlyError,
        &unwrap_in_lib::UnwrapInLib,
        &narrowable_pub::NarrowablePub,
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
