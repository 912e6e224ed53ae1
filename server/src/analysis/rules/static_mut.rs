//! `static-mut`: every `static mut` item — global mutable state without synchronisation.

use crate::analysis::engine::FileCx;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};

pub(crate) struct StaticMut;

pub static META: RuleMeta = RuleMeta {
    id: "static-mut",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`static mut` items: process-wide mutable state with no synchronisation.",
    options: &[],
    docs: RuleDocs {
        what: "Every `static mut` item, including those inside functions and `extern` blocks.",
        why: "Any code anywhere may read or write it, every access is `unsafe`, two threads touching it is \
              undefined behaviour, and since edition 2024 even taking a reference to it is denied. The state \
              has no owner, so nothing can protect an invariant over it.",
        example: "static mut COUNTER: u32 = 0;\n\nfn hit() {\n    unsafe { COUNTER += 1 }\n}",
        instead: "Give the state an owner and pass it where it is needed. When it really is process-wide, use \
                  an atomic (`static COUNTER: AtomicU32`), a `static` with a lock inside, or `OnceLock` for \
                  data set once.",
    },
    fixable: false,
};

impl Rule for StaticMut {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STATIC]
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(s) = ast::Static::cast(node.clone()) else {
            return;
        };
        if s.mut_token().is_none() {
            return;
        }
        let Some(name) = s.name() else { return };
        let ty = s
            .ty()
            .map(|t| t.syntax().text().to_string())
            .unwrap_or_else(|| "_".into());
        cx.report(
            Finding::new(
                &META,
                name.syntax().text_range(),
                format!("`static mut {}: {ty}` is global mutable state without synchronisation", name.text()),
            )
            .suggestion("use an atomic, a lock inside a plain `static`, `OnceLock`, or pass the state to where it is needed")
            .symbol(name.text().to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_static_mut() {
        check(
            "static-mut",
            r#"
pub static mut COUNTER: u32 = 0;
             //^^^^^^^ warning: `static mut COUNTER: u32` is global mutable state without synchronisation
fn f() {
    static mut LOCAL: Vec<u8> = Vec::new();
             //^^^^^ warning: `static mut LOCAL: Vec<u8>` is global mutable state without synchronisation
}
extern "C" {
    static mut errno: i32;
             //^^^^^ warning: `static mut errno: i32` is global mutable state without synchronisation
}
"#,
        );
    }

    #[test]
    fn plain_statics_and_atomics_are_fine() {
        check(
            "static-mut",
            r#"
use std::sync::atomic::AtomicU32;
static COUNTER: AtomicU32 = AtomicU32::new(0);
const MAX: u32 = 3;
static NAME: &str = "x";
fn f(mut x: u32) { let mut y = x; y += 1; x = y; }
"#,
        );
    }

    #[test]
    fn suppressions_work() {
        check(
            "static-mut",
            r#"
// boundary: allow(static-mut)
static mut A: u32 = 0;
static mut B: u32 = 0; // boundary: allow(static-mut)
// boundary: allow(static-mut)
#[no_mangle]
static mut C: u32 = 0;
"#,
        );
        check(
            "static-mut",
            "//! boundary: allow(static-mut)\nstatic mut A: u32 = 0;\nstatic mut B: u32 = 0;\n",
        );
    }

    #[test]
    fn test_code_is_skipped_by_default() {
        check(
            "static-mut",
            r#"
#[cfg(test)]
mod tests {
    static mut A: u32 = 0;
}
"#,
        );
    }

    #[test]
    fn files_of_test_modules_are_test_code() {
        check(
            "static-mut",
            r#"
//- /src/lib.rs
#[cfg(test)]
mod helpers;
mod real;
//- /src/helpers.rs
static mut IN_TEST_FILE: u32 = 0;
//- /src/real.rs
static mut REAL: u32 = 0;
         //^^^^ warning: `static mut REAL: u32` is global mutable state without synchronisation
//- /tests/integration.rs
static mut IN_INTEGRATION_TEST: u32 = 0;
"#,
        );
    }

    #[test]
    fn syntax_errors_do_not_hide_findings() {
        check(
            "static-mut",
            r#"
fn broken( {
static mut A: u32 = 0;
         //^ warning: `static mut A: u32` is global mutable state without synchronisation
"#,
        );
    }
}
