//! `wide-module-api`: modules that export more than `max-module-exports` `pub` items.

use std::collections::BTreeMap;

use crate::analysis::engine::{WorkspaceCx, WorkspaceSink};
use crate::analysis::resolve::use_binding;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::TextRange;

pub(crate) struct WideModuleApi;

pub static META: RuleMeta = RuleMeta {
    id: "wide-module-api",
    category: Category::Boundary,
    default_severity: Severity::Info,
    default_enabled: true,
    summary: "Modules exporting more than `max-module-exports` `pub` items: an interface too wide to learn or keep stable.",
    options: &[RuleOption {
        key: "max-module-exports",
        default: OptionDefault::Int(30),
        doc: "the largest number of `pub` items (items, `pub mod`s and `pub use` names) a module may export",
    }],
    docs: RuleDocs {
        what: "A module that declares more than `max-module-exports` `pub` items: module-level items, `pub mod` \
               declarations and names brought in by `pub use` (glob re-exports are not counted). The message gives \
               the count and the most common kinds. Test modules are skipped.",
        why: "A module's `pub` items are its interface. Past a few dozen, readers cannot tell the core from the \
              helpers, every item is a compatibility promise, and the module usually mixes several concerns.",
        example: "pub mod util {\n    pub fn a() {}\n    pub fn b() {}\n    // ... 40 more\n}",
        instead: "Split the module by concern, make helpers `pub(crate)`, and re-export only what callers need.",
    },
    fixable: false,
};

impl Rule for WideModuleApi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn uses_resolution(&self) -> bool {
        true
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let res = ws.resolution();
        let w = ws.workspace;
        let max = ws.int("max-module-exports");
        let mut seen = std::collections::HashSet::new();
        for module in &res.modules {
            let Some(fi) = module.file else { continue };
            if module.is_test || !seen.insert((fi, module.scope.clone())) {
                continue;
            }
            let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
            for &i in &module.items {
                let it = &w.files[i.0].summary.items[i.1];
                if it.vis.is_pub() && !it.is_test {
                    *kinds.entry(it.kind.as_str()).or_default() += 1;
                }
            }
            for &c in module.children.values() {
                if res.modules[c].vis.is_pub() && !res.modules[c].is_test {
                    *kinds.entry("mod").or_default() += 1;
                }
            }
            for &u in &module.uses {
                let d = &w.files[u.0].summary.uses[u.1];
                if d.vis.is_pub() && !d.is_test && use_binding(d).is_some() {
                    *kinds.entry("use").or_default() += 1;
                }
            }
            let total: usize = kinds.values().sum();
            if (total as i64) <= max {
                continue;
            }
            let mut top: Vec<(&str, usize)> = kinds.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = top
                .iter()
                .take(3)
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            let name = module.path.join("::");
            let (file, range) = match module.decl {
                Some((dfi, r)) => (dfi, r),
                None => (fi, TextRange::empty(0.into())),
            };
            out.report(
                &w.files[file].meta.rel_path,
                Finding::new(
                    &META,
                    range,
                    format!(
                        "module `{name}` exports {total} `pub` items (more than {max}): {}",
                        top.join(", ")
                    ),
                )
                .suggestion("split the module by concern and narrow helpers to `pub(crate)`")
                .symbol(name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_wide_modules() {
        check_with_config(
            "wide-module-api",
            "[rules.wide-module-api]\nmax-module-exports = 4\n",
            r#"
//- /src/lib.rs
pub mod util;
      //^^^^ info: module `crate::util` exports 5 `pub` items (more than 4): 3 fn, 1 struct, 1 use
mod ok { pub fn a() {} pub fn b() {} fn c() {} pub(crate) fn d() {} }
//- /src/util.rs
pub fn a() {}
pub fn b() {}
pub fn c() {}
pub struct S;
pub use std::fmt::Debug as D;
pub use std::collections::*;
fn private() {}
"#,
        );
    }

    #[test]
    fn default_threshold_is_30() {
        let mut src = String::from("pub mod m {\n");
        for i in 0..30 {
            src.push_str(&format!("    pub fn f{i}() {{}}\n"));
        }
        src.push_str("    fn private() {}\n    #[cfg(test)]\n    pub fn t() {}\n}\n");
        check("wide-module-api", &src);
    }
}
