//! `internal-error`: a rule crashed on a file. Not a rule of its own; reported so that a crash
//! is visible instead of silently missing findings.

use crate::analysis::rule::{Category, RuleDocs, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "internal-error",
    category: Category::Meta,
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "A rule crashed on this file (a bug in boundary-lsp); its findings are missing.",
    options: &[],
    docs: RuleDocs {
        what: "A rule panicked while analysing the file. The other rules still ran.",
        why: "Silently missing findings would make the tool lie; the crash is reported instead.",
        example: "// any file that triggers a bug",
        instead: "Please report the file (or a reduced version) to the boundary-lsp issue tracker.",
    },
    fixable: false,
};
