//! `narrowable-pub`: `pub(crate)` (or unreachable `pub`) items used only in their own module or
//! its parent.

use crate::analysis::engine::{WorkspaceCx, WorkspaceSink};
use crate::analysis::model::{ItemKind, Visibility};
use crate::analysis::resolve::{narrower_visibility, Narrower};
use crate::analysis::rule::{
    Applicability, Category, Finding, Fix, Rule, RuleDocs, RuleMeta, Severity, TextEdit,
};
use crate::analysis::syntax::{TextRange, TextSize};

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

    fn uses_resolution(&self) -> bool {
        true
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let res = ws.resolution();
        let w = ws.workspace;
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
                    // The visibility and the whitespace after it.
                    let range = TextRange::new(
                        vis_range.start(),
                        vis_range.end() + TextSize::from(it.vis_ws),
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
