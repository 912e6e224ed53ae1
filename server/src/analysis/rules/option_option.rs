//! `option-option`: `Option<Option<T>>` in a signature or a type definition (clippy's `option_option`).

use super::state_types::{is_option, option_arg, signature_site};
use crate::analysis::engine::FileCx;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{ast, AstNode, SyntaxKind, SyntaxNode};

pub(crate) struct OptionOption;

pub static META: RuleMeta = RuleMeta {
    id: "option-option",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`Option<Option<T>>`: three states (`None`, `Some(None)`, `Some(Some(_))`) without names.",
    options: &[],
    docs: RuleDocs {
        what: "`Option<Option<T>>` written in a function's parameters or return type, a struct or enum field, a \
               `const` or a `static` (also nested, as in `Vec<Option<Option<T>>>`; once per outermost \
               occurrence). Like clippy's `option_option`, type aliases, `let` annotations, methods of trait \
               impls (the trait decides) and `extern` items are not reported. Unlike clippy, public API is \
               reported too: clippy's `avoid-breaking-exported-api` (on by default) silences it there.",
        why: "The nesting encodes three states, and which one means what (\"not given\" vs \"explicitly \
              cleared\"?) lives only in the reader's head and in `Some(None)` patterns spread over the code.",
        example: "struct Patch {\n    // None: leave as is, Some(None): clear, Some(Some(v)): set\n    email: Option<Option<String>>,\n}",
        instead: "Name the states: `enum Update<T> { Keep, Clear, Set(T) }`; or use `Option<T>` when two \
                  states are enough.",
    },
    fixable: false,
};

impl Rule for OptionOption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        // Every type node; the signature it belongs to is found by climbing (see
        // `signature_site`): FN, RECORD_FIELD, TUPLE_FIELD, CONST, STATIC.
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
        let is_option_option = |n: &SyntaxNode| {
            ast::Type::cast(n.clone())
                .and_then(|t| option_arg(&t))
                .is_some_and(|inner| is_option(&inner))
        };
        if !is_option_option(node) || signature_site(node, &is_option_option).is_none() {
            return;
        }
        let text: String = node
            .text()
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        cx.report(
            Finding::new(
                &META,
                node.text_range(),
                format!("`{text}` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names"),
            )
            .suggestion("use `Option<T>`, or an enum that names the three states"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_nested_options_in_signatures_and_fields() {
        check(
            "option-option",
            r#"
const C: Option<Option<i32>> = None;
       //^^^^^^^^^^^^^^^^^^^ warning: `Option<Option<i32>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
pub fn input(_: Option<Option<u8>>) {}
              //^^^^^^^^^^^^^^^^^^ warning: `Option<Option<u8>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
fn nested() -> Vec<Option<std::option::Option<u8>>> { vec![] }
                 //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Option<std::option::Option<u8>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
fn once() -> Option<Option<Option<u8>>> { None }
           //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Option<Option<Option<u8>>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
pub struct Patch { pub email: Option<Option<String>> }
                            //^^^^^^^^^^^^^^^^^^^^^^ warning: `Option<Option<String>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
enum E { T(Option<Option<u8>>) }
         //^^^^^^^^^^^^^^^^^^ warning: `Option<Option<u8>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
trait Tr { fn get(&self) -> Option<Option<u8>>; }
                          //^^^^^^^^^^^^^^^^^^ warning: `Option<Option<u8>>` has three states (`None`, `Some(None)`, `Some(Some(_))`) without names
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "option-option",
            r#"
type OptionOption = Option<Option<u32>>;
fn alias() -> OptionOption { None }
fn result() -> Option<Result<u8, ()>> { None }
fn vec() -> Option<Vec<Option<u8>>> { None }
struct S;
trait Tr { fn get(&self) -> Option<Option<u8>>; } // boundary: allow(option-option)
impl Tr for S { fn get(&self) -> Option<Option<u8>> { None } }
extern "C" { static X: Option<Option<u8>>; }
fn body() {
    let local: Option<Option<u8>> = None;
    let expr = Some(Some(true));
    let _ = (local, expr);
}
mod my { pub struct Option<T>(T); }
fn custom() -> my::Option<Option<u8>> { todo!() }
"#,
        );
    }
}
