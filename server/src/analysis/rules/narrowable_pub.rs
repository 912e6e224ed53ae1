//! `narrowable-pub`: `pub(crate)` (or unreachable `pub`) items used only in their own module or
//! its parent.

use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::model::{ItemKind, Visibility};
use crate::analysis::resolve::{narrower_visibility, Narrower};
use crate::analysis::rule::{
    Applicability, Category, Finding, Fix, Rule, RuleDocs, RuleMeta, Severity, TextEdit,
};
use crate::analysis::syntax::{
    ast, AstNode, HasVisibility, SyntaxKind, SyntaxNode, TextRange, TextSize,
};

pub(crate) struct NarrowablePub;

pub static META: RuleMeta = RuleMeta {
    id: "narrowable-pub",
    category: Category::Boundary,
    default_severity: Severity::Hint,
    default_enabled: true,
    summary: "`pub(crate)` functions, constants and statics used only in their own module or its parent: `pub(super)` or private is enough.",
    options: &[],
    docs: RuleDocs {
        what: "A `pub(crate)` function, constant or static (or a `pub` one the crate does not export) that every \
               use in the workspace names from inside its own module (then it can be private) or from its parent \
               module (then `pub(super)` is enough). Only reported where the model sees every use: names \
               mentioned in macros and modules that glob-import the item's module count as uses.",
        why: "Visibility documents who depends on an item. `pub(crate)` on a helper used by one module invites \
              the rest of the crate to couple to it, and hides that it is local.",
        example: "mod pricing {\n    pub(crate) fn round_cents(x: f64) -> f64 { .. } // only used in `pricing`\n}",
        instead: "Use the narrowest visibility that works: private, or `pub(super)`. The fix (unsafe: uses in \
                  attribute strings such as `#[serde(with = \"..\")]` are invisible to the model) applies it.",
    },
    fixable: true,
};

impl Rule for NarrowablePub {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::FN, SyntaxKind::CONST, SyntaxKind::STATIC]
    }

    /// Records the visibility plus its trailing whitespace, so "make private" removes both;
    /// only when that whitespace is not the usual one character (a fact per `pub fn` of a
    /// workspace was a tenth of the memory of its summaries).
    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(v) = ast::AnyHasVisibility::cast(node.clone()).and_then(|n| n.visibility()) else {
            return;
        };
        let r = v.syntax().text_range();
        let end = usize::from(r.end());
        let ws = cx.text[end..].len() - cx.text[end..].trim_start_matches([' ', '\t']).len();
        if ws == 1 {
            return;
        }
        cx.fact(
            "vis-ws",
            "",
            "",
            TextRange::new(r.start(), r.end() + TextSize::from(ws as u32)),
        );
    }

    fn uses_resolution(&self) -> bool {
        true
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let res = ws.resolution();
        let w = ws.workspace;
        // The `vis-ws` facts by (file, start), first wins (a scan of the file's facts per
        // finding would be quadratic). No fact: one space or tab follows the visibility.
        let mut vis_ws: std::collections::HashMap<(usize, TextSize), TextRange> =
            std::collections::HashMap::new();
        for (fi, file) in w.files.iter().enumerate() {
            for f in file.summary.facts.iter().filter(|f| f.rule == META.id) {
                vis_ws.entry((fi, f.range.start())).or_insert(f.range);
            }
        }
        for &item in res.item_module.keys() {
            let file = &w.files[item.0];
            let it = &file.summary.items[item.1];
            if !matches!(it.kind, ItemKind::Fn | ItemKind::Const | ItemKind::Static) {
                continue;
            }
            if !matches!(it.vis, Visibility::Pub | Visibility::PubCrate) {
                continue;
            }
            let Some(vis_range) = it.vis_range else {
                continue;
            };
            let Some(n) = narrower_visibility(w, res, item) else {
                continue;
            };
            let m = res.item_module[&item];
            let module = res.modules[m].path.join("::");
            let (message, edit) = match n {
                // Unreachable `pub` -> `pub(crate)` is `unreachable-pub`'s finding.
                Narrower::PubCrate => continue,
                Narrower::Private => {
                    let range = vis_ws.get(&(item.0, vis_range.start())).copied().unwrap_or(
                        TextRange::new(vis_range.start(), vis_range.end() + TextSize::from(1)),
                    );
                    (
                        format!(
                            "`{}` is only used inside `{module}`: it can be private",
                            it.name
                        ),
                        TextEdit {
                            range,
                            new_text: String::new(),
                        },
                    )
                }
                Narrower::PubSuper => (
                    format!(
                        "`{}` is only used in `{module}` and its parent: `pub(super)` is enough",
                        it.name
                    ),
                    TextEdit {
                        range: vis_range,
                        new_text: "pub(super)".into(),
                    },
                ),
            };
            out.report(
                &file.meta.rel_path,
                Finding::new(&META, vis_range, message)
                    .suggestion(format!("make it {}", n.as_str()))
                    .fix(Fix {
                        title: format!("make `{}` {}", it.name, n.as_str()),
                        applicability: Applicability::Unsafe,
                        edits: vec![edit],
                    })
                    .symbol(it.name.to_string()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_fix};

    #[test]
    fn reports_items_used_only_nearby() {
        check(
            "narrowable-pub",
            r#"
//- /src/lib.rs
mod pricing;
pub fn total() -> u32 { pricing::net() }
//- /src/pricing.rs
pub(crate) fn net() -> u32 { round(1) + tax::RATE }
  pub(crate) fn round(x: u32) -> u32 { x }
//^^^^^^^^^^ hint: `round` is only used inside `crate::pricing`: it can be private
mod tax {
    pub(crate) const RATE: u32 = 2;
  //^^^^^^^^^^ hint: `RATE` is only used in `crate::pricing::tax` and its parent: `pub(super)` is enough
    pub(super) fn unused() {}
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "narrowable-pub",
            r#"
//- /src/lib.rs
mod a;
mod b;
mod c;
pub fn f() { a::shared(); b::inner::deep(); c::globbed2(); }
mod d { use crate::c::*; }
//- /src/a.rs
pub(crate) fn shared() {}
pub(crate) fn in_macro() {}
pub(crate) struct TypesAreSkipped;
fn g() { println!("{}", in_macro()); }
//- /src/b.rs
pub(crate) mod inner { pub(crate) fn deep() {} }
//- /src/c.rs
pub(crate) fn globbed() {}
pub(crate) fn globbed2() {}
"#,
        );
    }

    #[test]
    fn fix_removes_the_visibility() {
        check_fix(
            "narrowable-pub",
            r#"
mod m {
    $0pub(crate) fn helper() {}
    fn user() { helper() }
}
"#,
            r#"
mod m {
    fn helper() {}
    fn user() { helper() }
}
"#,
        );
    }
}
