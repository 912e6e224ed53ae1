//! `option-bool`: `Option<bool>` in a field, a parameter or a return type.

use super::bool_fields::is_bool;
use super::state_types::{derives, option_arg, signature_site};
use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{ast, AstNode, SyntaxKind, SyntaxNode};

pub(crate) struct OptionBool;

pub static META: RuleMeta = RuleMeta {
    id: "option-bool",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`Option<bool>` in a field, parameter or return type: a tri-state that deserves names.",
    options: &[RuleOption {
        key: "skip-derives",
        default: OptionDefault::StrList(&["Deserialize", "Serialize", "Parser", "Args"]),
        doc: "fields of structs and enums deriving one of these are not reported (in a file format or a command \
              line, \"absent / true / false\" is the natural encoding)",
    }],
    docs: RuleDocs {
        what: "`Option<bool>` written as the type of a struct or enum field, a function parameter or a return type \
               (also nested, as in `Vec<Option<bool>>`). Methods of trait impls and `extern` items are not \
               reported (their signatures are not the author's choice), nor fields of types that derive one of \
               `skip-derives` (serde and clap structs mirror an external format).",
        why: "`Option<bool>` has three states, and whether `None` means \"unknown\", \"default\", \"inherit\" or \
              \"not yet asked\" is written nowhere. Call sites read `Some(false)`, which says nothing.",
        example: "fn set_cache(enabled: Option<bool>) {}",
        instead: "An enum with three named variants: `enum Cache { Inherit, On, Off }`.",
    },
    fixable: false,
};

impl Rule for OptionBool {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        // Every type node; the signature it belongs to is found by climbing (see
        // `signature_site`): FN, RECORD_FIELD, TUPLE_FIELD.
        &[SyntaxKind::PATH_TYPE]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        node.path_type_name() == Some("Option")
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        // Cheap test first (no syntax nodes built): this runs for every path type.
        if crate::analysis::syntax::path_type_name(node) != Some("Option") {
            return;
        }
        let is_option_bool = |n: &SyntaxNode| {
            ast::Type::cast(n.clone())
                .and_then(|t| option_arg(&t))
                .is_some_and(|inner| is_bool(&inner))
        };
        if !is_option_bool(node) {
            return;
        }
        let Some(site) = signature_site(node, &is_option_bool) else {
            return;
        };
        let place = match site.kind() {
            SyntaxKind::FN => "in a signature",
            SyntaxKind::RECORD_FIELD | SyntaxKind::TUPLE_FIELD => "as a field type",
            _ => return,
        };
        // The owner's derives are read only for a match (most fields have no `Option<bool>`).
        if site.kind() != SyntaxKind::FN {
            if let Some(owner) = site.ancestors().find_map(ast::Adt::cast) {
                let skip = cx.str_list("skip-derives");
                if derives(&owner).iter().any(|d| skip.contains(d)) {
                    return;
                }
            }
        }
        cx.report(
            Finding::new(
                &META,
                node.text_range(),
                format!("`Option<bool>` {place} is a tri-state whose states have no names"),
            )
            .suggestion("use an enum with three named variants"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_option_bool() {
        check(
            "option-bool",
            r#"
pub struct Settings {
    pub cache: Option<bool>,
             //^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
}
pub fn set_cache(enabled: core::option::Option<bool>) -> Vec<Option<bool>> { vec![enabled] }
                        //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Option<bool>` in a signature is a tri-state whose states have no names
                                                           //^^^^^^^^^^^^ warning: `Option<bool>` in a signature is a tri-state whose states have no names
enum E { A(Option<bool>) }
         //^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "option-bool",
            r#"
#[derive(Debug, serde::Deserialize)]
pub struct Manifest { publish: Option<bool>, name: Option<String> }
struct S;
trait Tr { fn get(&self) -> Option<bool>; } // boundary: allow(option-bool)
impl Tr for S { fn get(&self) -> Option<bool> { None } }
fn body() { let x: Option<bool> = None; let _ = x; }
fn other(a: Option<u8>, b: bool, c: Result<bool, ()>) {}
type T = Option<bool>;
"#,
        );
    }

    /// Hand-written edges: nesting, qualified paths, impls, bodies, macros, derives.
    #[test]
    fn edges() {
        check(
            "option-bool",
            r#"
pub struct Nested {
    pub twice: Option<Option<bool>>,
                    //^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
    pub prim: ::std::option::Option<std::primitive::bool>,
            //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
    pub(crate) map: std::collections::HashMap<String, Option<bool>>,
                                                    //^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
    pub not_bool: Option<Box<bool>>,
    pub r#ref: Option<&'static bool>,
    pub local: my::Option<bool>,
    pub other: Option<bools>,
}
struct Tuple(pub(super) Option<bool>, u8);
                      //^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
impl Nested {
    fn r#set(&mut self, v: Option<bool>) -> Result<Option<bool>, ()> { todo!() }
                         //^^^^^^^^^^^^ warning: `Option<bool>` in a signature is a tri-state whose states have no names
                                                 //^^^^^^^^^^^^ warning: `Option<bool>` in a signature is a tri-state whose states have no names
}
impl From<Option<bool>> for Nested { fn from(v: Option<bool>) -> Self { todo!() } }
fn body() -> u8 {
    fn inner(x: Option<bool>) {}
              //^^^^^^^^^^^^ warning: `Option<bool>` in a signature is a tri-state whose states have no names
    let f = |x: Option<bool>| x;
    struct Local { v: Option<bool> }
                    //^^^^^^^^^^^^ warning: `Option<bool>` as a field type is a tri-state whose states have no names
    0
}
fn generic<T: Into<Option<bool>>>(t: T) where T: From<Option<bool>> {}
static S: Option<bool> = None;
const C: Option<bool> = None;
extern "C" { fn ext(x: Option<bool>); }
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Wire { pub flag: Option<bool> }
#[derive(clap::Parser)]
pub enum Cmd { Run { fast: Option<bool> } }
macro_rules! m { () => { pub struct InMacro { f: Option<bool> } } }
#[cfg(test)]
mod tests {
    fn t(x: Option<bool>) {}
}
"#,
        );
    }
}
