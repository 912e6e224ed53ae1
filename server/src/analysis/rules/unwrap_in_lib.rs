//! `unwrap-in-lib`: `.unwrap()` / `.expect(..)` in non-test code of library crates.

use crate::analysis::engine::FileCx;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{ast, AstNode, SyntaxKind, SyntaxNode, TextRange};
use crate::analysis::workspace::TargetKind;
use ast::HasArgList;

pub(crate) struct UnwrapInLib;

pub static META: RuleMeta = RuleMeta {
    id: "unwrap-in-lib",
    category: Category::Boundary,
    default_severity: Severity::Info,
    default_enabled: false,
    summary: "`.unwrap()`/`.expect()` in library code: the library decides to panic for its callers.",
    options: &[],
    docs: RuleDocs {
        what: "Calls of `.unwrap()` (no arguments) and `.expect(msg)` (one argument) in non-test code of a library \
               crate, like clippy's `unwrap_used` and `expect_used`. Binaries, tests, examples and benches are not \
               checked. Off by default.",
        why: "A library cannot know whether its caller can recover: a panic inside it takes that choice away, and \
              the failure appears as a crash far from the cause. Errors that are part of the interface belong in \
              the return type.",
        example: "pub fn load(path: &Path) -> Config {\n    let text = std::fs::read_to_string(path).unwrap();\n    toml::from_str(&text).expect(\"valid config\")\n}",
        instead: "Return the error (`?` with a `Result`), or handle the `None`/`Err` case. Where a panic really \
                  marks a bug (an invariant), document it and suppress with `// boundary: allow(unwrap-in-lib)`.",
    },
    fixable: false,
};

impl Rule for UnwrapInLib {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::METHOD_CALL_EXPR]
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        if cx.meta.target != TargetKind::Lib {
            return;
        }
        let Some(call) = ast::MethodCallExpr::cast(node.clone()) else {
            return;
        };
        let Some(name) = call.name_ref() else { return };
        let args = call.arg_list().map_or(0, |a| a.args().count());
        let method = name.text().to_string();
        let ok = match method.as_str() {
            "unwrap" => args == 0,
            "expect" => args == 1,
            _ => false,
        };
        if !ok {
            return;
        }
        let range = TextRange::new(name.syntax().text_range().start(), node.text_range().end());
        cx.report(
            Finding::new(
                &META,
                range,
                format!("`.{method}()` in library code panics for the caller"),
            )
            .suggestion("return the error with `?`, or handle the failure case"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_unwrap_and_expect_in_libraries() {
        check(
            "unwrap-in-lib",
            r#"
pub fn load(s: &str) -> u32 {
    let n: u32 = s.parse().unwrap();
                         //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
    s.parse::<u32>().expect("number") + n
                   //^^^^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "unwrap-in-lib",
            r#"
//- /src/lib.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap_or(0) + o.unwrap_or_default() }
pub fn g(o: Option<u8>) -> u8 { o.expect_err_like() }
#[cfg(test)]
mod tests { #[test] fn t() { Some(1).unwrap(); } }
//- /src/main.rs
fn main() { Some(1).unwrap(); }
//- /tests/it.rs
#[test] fn it() { Some(1).unwrap(); }
"#,
        );
    }

    #[test]
    fn off_by_default_but_severity_is_configurable() {
        check_with_config(
            "unwrap-in-lib",
            "[rules.unwrap-in-lib]\nseverity = \"warning\"\n",
            r#"
fn f() { None::<u8>.unwrap(); }
                  //^^^^^^^^ warning: `.unwrap()` in library code panics for the caller
"#,
        );
        assert!(!super::META.default_enabled);
    }
}
