//! The rule catalog. One rule, one file: each file holds the rule's metadata, docs, code and
//! annotated fixture tests.

use super::rule::{Rule, RuleMeta};

pub mod assumed_some;
pub mod bool_fields;
pub mod bool_params;
pub mod borrowed_owned_param;
pub mod global_mutable_state;
pub mod internal;
pub mod layer_violation;
pub mod module_cycle;
pub mod mutex_of_primitive;
pub mod narrowable_pub;
pub mod option_bool;
pub mod option_fields;
pub mod option_option;
pub mod ownership_common;
pub mod pub_fields;
pub mod pub_interior_mutability;
pub mod shared_mutable_state;
pub mod state_types;
pub mod static_mut;
pub mod stringly_error;
pub mod stringly_state;
pub mod suppressions;
pub mod too_many_params;
pub mod unknown_suppression;
pub mod unreachable_pub;
pub mod unsafe_send_sync;
pub mod unused_suppression;
pub mod unwrap_in_lib;
pub mod wide_module_api;
pub mod wide_trait;

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
