//! `unknown-suppression`: a `// boundary: allow(..)` comment names a rule that does not exist.

use crate::analysis::model::FileSummary;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};

pub(crate) struct UnknownSuppression;

pub static META: RuleMeta = RuleMeta {
    id: "unknown-suppression",
    category: Category::Meta,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "A suppression comment names a rule id that does not exist.",
    options: &[],
    docs: RuleDocs {
        what: "`// boundary: allow(rule-id)` comments whose rule id is not in the catalog (`boundary-lsp rules`).",
        why: "A misspelt id suppresses nothing: the finding it was meant to silence comes back, or the comment stays as noise after a rule was renamed.",
        example: "// boundary: allow(static-mutt)\nstatic mut COUNTER: u32 = 0;",
        instead: "Use the exact id from `boundary-lsp rules`: `// boundary: allow(static-mut)`.",
    },
    fixable: false,
};

impl Rule for UnknownSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

pub(crate) fn check(summary: &FileSummary) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &summary.suppressions {
        for id in &s.ids {
            if super::meta(&id.id).is_none() {
                let close = super::all()
                    .iter()
                    .map(|r| r.meta().id)
                    .min_by_key(|known| edit_distance(known, &id.id))
                    .filter(|known| edit_distance(known, &id.id) <= 3);
                let mut f = Finding::new(
                    &META,
                    id.range,
                    format!("unknown rule `{}` in suppression comment", id.id),
                );
                f = match close {
                    Some(k) => f.suggestion(format!("did you mean `{k}`?")),
                    None => f.suggestion("run `boundary-lsp rules` for the list of rule ids"),
                };
                out.push(f);
            }
        }
    }
    out
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_unknown_ids() {
        check(
            "unknown-suppression,static-mut",
            r#"
// boundary: allow(static-mutt)
                 //^^^^^^^^^^^ warning: unknown rule `static-mutt` in suppression comment
fn f() {}
"#,
        );
    }

    #[test]
    fn known_ids_are_fine() {
        check(
            "unknown-suppression,static-mut",
            r#"
// boundary: allow(static-mut, too-many-params)
static mut A: u8 = 0;
"#,
        );
    }
}
