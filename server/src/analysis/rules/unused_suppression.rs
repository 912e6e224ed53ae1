//! `unused-suppression`: a `// boundary: allow(rule-id)` comment that suppresses nothing.

use crate::analysis::engine::Engine;
use crate::analysis::model::FileSummary;
use crate::analysis::rule::{
    Applicability, Category, Finding, Fix, Rule, RuleDocs, RuleMeta, Severity, TextEdit,
};
use crate::analysis::syntax::TextRange;

pub(crate) struct UnusedSuppression;

pub static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    category: Category::Meta,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "A suppression comment that suppresses nothing.",
    options: &[],
    docs: RuleDocs {
        what: "`// boundary: allow(rule-id)` comments (or one id in them) that no finding of that rule needed, \
               like ruff's RUF100 or clippy's unfulfilled `#[expect]`. Only ids of rules that ran are checked.",
        why: "Stale suppressions hide the next real finding on that line and tell readers a problem exists that does not.",
        example: "// boundary: allow(static-mut)\nstatic COUNTER: AtomicU32 = AtomicU32::new(0);",
        instead: "Remove the comment (the fix does it), or the id from the list.",
    },
    fixable: true,
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

pub(crate) fn check(engine: &Engine, summary: &FileSummary, used: &[Vec<bool>]) -> Vec<Finding> {
    let mut out = Vec::new();
    if summary.line_index.is_none() {
        return out;
    }
    for (si, s) in summary.suppressions.iter().enumerate() {
        let in_tests = summary.is_test_range(s.comment);
        let unused: Vec<usize> = (0..s.ids.len())
            .filter(|&i| {
                let Some(meta) = super::meta(&s.ids[i].id) else {
                    return false;
                };
                // In test code the rule's findings were dropped before suppressions were
                // matched (unless `check-tests`), so "unused" would be a guess.
                !used[si][i]
                    && engine.is_active(meta.id)
                    && (!in_tests || engine.config.check_tests(meta))
            })
            .collect();
        let all_unused = unused.len() == s.ids.len();
        for &i in &unused {
            let id = &s.ids[i];
            // No fix when removing the comment would change how the code before it lexes.
            let edit = if all_unused {
                s.removal.map(|range| TextEdit {
                    range,
                    new_text: String::new(),
                })
            } else {
                Some(remove_id(s, i))
            };
            let finding = Finding::new(
                &META,
                id.range,
                format!("`{}` is allowed here but nothing needs it", id.id),
            )
            .suggestion("remove the suppression");
            out.push(match edit {
                Some(edit) => finding.fix(Fix {
                    title: format!("Remove unused suppression of `{}`", id.id),
                    applicability: Applicability::Safe,
                    edits: vec![edit],
                }),
                None => finding,
            });
        }
    }
    out
}

fn remove_id(s: &crate::analysis::suppress::Suppression, i: usize) -> TextEdit {
    // `allow(a, b)`: removing `a` takes `a, `; removing `b` takes `, b`.
    let range = if i + 1 < s.ids.len() {
        TextRange::new(s.ids[i].range.start(), s.ids[i + 1].range.start())
    } else {
        TextRange::new(s.ids[i - 1].range.end(), s.ids[i].range.end())
    };
    TextEdit {
        range,
        new_text: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_fix, check_no_fix, check_with_config};

    #[test]
    fn reports_unused_and_keeps_used() {
        check(
            "unused-suppression,static-mut",
            r#"
// boundary: allow(static-mut)
                 //^^^^^^^^^^ warning: `static-mut` is allowed here but nothing needs it
static A: u8 = 0;
// boundary: allow(static-mut)
static mut B: u8 = 0;
static mut C: u8 = 0; // boundary: allow(static-mut)
"#,
        );
    }

    #[test]
    fn ids_of_rules_that_did_not_run_are_not_reported() {
        check(
            "unused-suppression",
            "// boundary: allow(static-mut)\nstatic A: u8 = 0;\n",
        );
    }

    #[test]
    fn fix_removes_the_line() {
        check_fix(
            "unused-suppression,static-mut",
            "fn a() {}\n// boundary: allow($0static-mut)\nstatic A: u8 = 0;\n",
            "fn a() {}\nstatic A: u8 = 0;\n",
        );
    }

    #[test]
    fn fix_removes_one_id() {
        check_fix(
            "unused-suppression,static-mut,too-many-params",
            "// boundary: allow(static-mut, $0too-many-params)\nstatic mut A: u8 = 0;\n",
            "// boundary: allow(static-mut)\nstatic mut A: u8 = 0;\n",
        );
    }

    #[test]
    fn fix_removes_trailing_comment() {
        check_fix(
            "unused-suppression,static-mut",
            "static A: u8 = 0; // boundary: allow($0static-mut)\n",
            "static A: u8 = 0;\n",
        );
    }

    #[test]
    fn fix_removes_the_last_id_of_a_list() {
        check_fix(
            "unused-suppression,static-mut,too-many-params",
            "// boundary: allow(static-mut, $0too-many-params)\nstatic mut A: u8 = 0;\n",
            "// boundary: allow(static-mut)\nstatic mut A: u8 = 0;\n",
        );
    }

    #[test]
    fn fix_removes_all_whitespace_before_a_trailing_comment() {
        check_fix(
            "unused-suppression,static-mut",
            "static A: u8 = 0;   \t// boundary: allow($0static-mut)\nstatic B: u8 = 0;\n",
            "static A: u8 = 0;\nstatic B: u8 = 0;\n",
        );
    }

    /// Found by tests/e2e/fuzz.rs: the unterminated char literal `'::` stops at the comment's
    /// `/`; without the comment it runs on to the next line's `'`, which doubled the syntax
    /// errors. The finding stays, without a fix.
    #[test]
    fn no_fix_when_removing_the_comment_changes_the_code_before_it() {
        check_no_fix(
            "unused-suppression,bool-fields",
            "*/impl '::// boundary: allow($0bool-fields)\n'::#[cfg(test)]pub ",
        );
        check(
            "unused-suppression,bool-fields",
            r#"
*/impl '::// boundary: allow(bool-fields)
                           //^^^^^^^^^^^ warning: `bool-fields` is allowed here but nothing needs it
'::#[cfg(test)]pub
"#,
        );
        // A standalone comment between such a token and a line starting with `'`.
        check_no_fix(
            "unused-suppression,static-mut",
            "fn f() { '::\n// boundary: allow($0static-mut)\n'x }\n",
        );
        // `'` then `\r\n'` (found the same way).
        check_no_fix(
            "unused-suppression,bool-fields",
            "r#\"\"#'// boundary: allow($0bool-fields)\r\n'&Vec<u8>",
        );
        // The removal would cut into the token before it (its space belongs to `'::pub `).
        check_no_fix(
            "unused-suppression,bool-fields",
            "'::pub // boundary: allow($0bool-fields)\n'{crate::",
        );
        // The same with ordinary code before it: fixed.
        check_fix(
            "unused-suppression,static-mut",
            "fn f() { 1 // boundary: allow($0static-mut)\n}\n",
            "fn f() { 1\n}\n",
        );
    }

    #[test]
    fn fix_on_the_last_line_without_newline() {
        check_fix(
            "unused-suppression,static-mut",
            "static A: u8 = 0;\n// boundary: allow($0static-mut)",
            "static A: u8 = 0;\n",
        );
    }

    #[test]
    fn file_level_suppressions() {
        check(
            "unused-suppression,static-mut",
            r#"
//! boundary: allow(static-mut)
                  //^^^^^^^^^^ warning: `static-mut` is allowed here but nothing needs it
static A: u8 = 0;
"#,
        );
        check(
            "unused-suppression,static-mut",
            "//! boundary: allow(static-mut)\nfn f() {}\nstatic mut A: u8 = 0;\n",
        );
    }

    #[test]
    fn suppressions_in_filtered_test_code_are_not_reported() {
        // The finding is dropped as test code, so the comment looks unused; it is needed as
        // soon as `check-tests = true`, and test code is not reported by default anyway.
        check(
            "unused-suppression,static-mut",
            "#[cfg(test)]\nmod tests {\n    // boundary: allow(static-mut)\n    static mut A: u8 = 0;\n}\n",
        );
        check_with_config(
            "unused-suppression,static-mut",
            "check-tests = true\n",
            "#[cfg(test)]\nmod tests {\n    // boundary: allow(static-mut)\n    static mut A: u8 = 0;\n}\n",
        );
    }

    #[test]
    fn partially_used_list_reports_only_the_unused_id() {
        check(
            "unused-suppression,static-mut,too-many-params",
            r#"
static mut A: u8 = 0; // boundary: allow(too-many-params, static-mut)
                                       //^^^^^^^^^^^^^^^ warning: `too-many-params` is allowed here but nothing needs it
"#,
        );
    }
}
