//! `module-cycle`: modules of one crate that depend on each other in a cycle.

use crate::analysis::engine::{WorkspaceCx, WorkspaceSink};
use crate::analysis::graph::CycleOptions;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Related, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};

pub(crate) struct ModuleCycle;

pub static META: RuleMeta = RuleMeta {
    id: "module-cycle",
    category: Category::Layers,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Modules of one crate that depend on each other in a cycle.",
    options: &[
        RuleOption {
            key: "ignore-super-uses",
            default: OptionDefault::Bool(true),
            doc: "a module's uses of its ancestors' items (`super::Item`, or the same through `crate::`) are not cycle edges",
        },
        RuleOption {
            key: "depth",
            default: OptionDefault::Int(1),
            doc: "compare modules at this depth below the crate root, merging deeper ones into their ancestor (1: the top-level modules of each crate; 0: every module)",
        },
    ],
    docs: RuleDocs {
        what: "Modules of one crate whose `use` items and paths (resolved syntactically) form a cycle: `a` uses \
               `b`, `b` uses `c`, `c` uses `a`. Each cycle is reported once, on the edge that closes it (the \
               first `use` or path, in source order, of the last step), with the whole cycle in the message and \
               the other steps as related information. A child using its parent's items through `super::` is \
               normal Rust style and not an edge (`ignore-super-uses`); test code is not looked at.",
        why: "Modules in a cycle cannot be understood, tested, moved into their own crate or reused apart: they \
              are one module spread over several files. Cycles also tend to grow, because once two modules \
              know each other every new dependency between them looks harmless.",
        example: "// src/order.rs\nuse crate::billing::Invoice;\n\n// src/billing.rs\nuse crate::order::Order;   // order -> billing -> order",
        instead: "Move what both sides need into a third module they both use, or let the lower module define a \
                  trait the higher one implements. By default (`depth = 1`) modules are compared at the top level \
                  of each crate (`crate::a::x` counts as `crate::a`), where a cycle means two subsystems \
                  that cannot be separated; set `depth = 0` to compare every module (a registry of rules \
                  that the engine lists and that use the engine is then a cycle).",
    },
    fixable: false,
};

impl Rule for ModuleCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn uses_graph(&self) -> bool {
        true
    }

    fn check_workspace(&self, cx: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let g = cx.graph();
        let opts = CycleOptions {
            ignore_super: cx.bool_opt("ignore-super-uses"),
            depth: cx.int("depth").max(0) as usize,
            include_tests: cx.config.check_tests(&META),
        };
        for c in g.cycles(cx.workspace, opts) {
            let mut names: Vec<String> = c.modules.iter().map(|&m| g.name(m)).collect();
            names.push(names[0].clone());
            let closing = &g.edges[c.closing_edge];
            let mut f = Finding::new(
                &META,
                closing.range,
                format!("module cycle: {}", names.join(" -> ")),
            )
            .suggestion("move what both sides need into a module they both use, or invert one dependency with a trait");
            for (i, &e) in c.edges[..c.edges.len() - 1].iter().enumerate() {
                let edge = &g.edges[e];
                f = f.related(Related {
                    file: Some(cx.workspace.files[edge.file].meta.rel_path.clone()),
                    range: edge.range,
                    line: None,
                    message: format!("`{}` uses `{}` here", names[i], names[i + 1]),
                });
            }
            out.report(&cx.workspace.files[closing.file].meta.rel_path, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{analyse, check, check_with_config, parse_fixture};

    #[test]
    fn three_module_cycle_reported_once_on_the_closing_edge() {
        check(
            "module-cycle",
            r#"
//- /src/lib.rs
mod a;
mod b;
mod c;
//- /src/a.rs
use crate::b::B;
pub struct A;
//- /src/b.rs
pub struct B;
pub fn f() { crate::c::g(); }
//- /src/c.rs
pub fn g() {}
use super::a::A;
  //^^^^^^^^^^^ warning: module cycle: fixture::a -> fixture::b -> fixture::c -> fixture::a
fn h() { let _ = crate::a::A; }
"#,
        );
    }

    #[test]
    fn two_cycles_and_inline_modules() {
        check(
            "module-cycle",
            r#"
//- /src/lib.rs
mod x {
    pub fn f() { super::y::g() }
}
mod y {
    pub fn g() {}
    pub fn h() { crate::x::f() }
               //^^^^^^^^^^^ warning: module cycle: fixture::x -> fixture::y -> fixture::x
}
mod p;
//- /src/p.rs
use self::q::Q;
mod q {
    pub struct Q;
    use crate::z::Z;
}
//- /src/z.rs
"#,
        );
    }

    #[test]
    fn super_uses_parent_child_and_tests_are_not_cycles() {
        check(
            "module-cycle",
            r#"
//- /src/lib.rs
mod engine;
mod rules;
pub use engine::Engine;
//- /src/engine/mod.rs
mod pass;
pub use pass::run;
pub struct Engine;
//- /src/engine/pass.rs
use super::Engine;
use crate::engine::Engine as E;
pub fn run() {}
//- /src/rules.rs
use crate::engine::Engine;
#[cfg(test)]
mod tests {
    use crate::rules;
}
pub fn all() {}
#[cfg(test)]
fn t() { crate::engine::run(); }
"#,
        );
    }

    #[test]
    fn super_uses_count_when_configured() {
        check_with_config(
            "module-cycle",
            "[rules.module-cycle]\nignore-super-uses = false\ndepth = 0\n",
            r#"
//- /src/lib.rs
mod engine;
//- /src/engine/mod.rs
mod pass;
use pass::run;
pub struct Engine;
//- /src/engine/pass.rs
use super::Engine;
  //^^^^^^^^^^^^^ warning: module cycle: fixture::engine -> fixture::engine::pass -> fixture::engine
pub fn run() {}
"#,
        );
    }

    #[test]
    fn every_module_with_depth_zero() {
        check_with_config(
            "module-cycle",
            "[rules.module-cycle]\ndepth = 0\n",
            r#"
//- /src/lib.rs
mod engine;
//- /src/engine/mod.rs
mod rules;
mod pass;
pub fn run() { rules::all(); }
//- /src/engine/pass.rs
pub struct Cx;
//- /src/engine/rules.rs
use super::pass::Cx;
pub fn all() {}
//- /src/engine/other.rs
"#,
        );
        check_with_config(
            "module-cycle",
            "[rules.module-cycle]\ndepth = 0\n",
            r#"
//- /src/lib.rs
mod engine;
//- /src/engine/mod.rs
mod rules;
mod pass;
//- /src/engine/pass.rs
pub struct Cx;
pub fn go() { super::rules::all(); }
//- /src/engine/rules.rs
use super::pass::Cx;
  //^^^^^^^^^^^^^^^ warning: module cycle: fixture::engine::pass -> fixture::engine::rules -> fixture::engine::pass
pub fn all() {}
"#,
        );
    }

    #[test]
    fn depth_merges_submodules() {
        check_with_config(
            "module-cycle",
            "[rules.module-cycle]\ndepth = 1\n",
            r#"
//- /src/lib.rs
mod a;
mod b;
//- /src/a/mod.rs
mod inner;
//- /src/a/inner.rs
use crate::b::x::X;
pub struct A;
//- /src/b/mod.rs
pub mod x;
//- /src/b/x.rs
pub struct X;
use crate::a::inner::A;
  //^^^^^^^^^^^^^^^^^^ warning: module cycle: fixture::a -> fixture::b -> fixture::a
"#,
        );
    }

    #[test]
    fn crates_do_not_form_module_cycles_and_related_lists_steps() {
        let (_dir, a) = analyse(
            "module-cycle",
            "",
            &parse_fixture(
                "//- /src/lib.rs\nmod a;\nmod b;\n//- /src/a.rs\nuse crate::b::B;\npub struct A;\n//- /src/b.rs\nuse crate::a::A;\npub struct B;\n//- /src/main.rs\nuse fixture::a;\n",
            )
            .0,
        );
        let all: Vec<_> = a
            .findings
            .iter()
            .flat_map(|(p, fs)| fs.iter().map(move |f| (p, f)))
            .collect();
        assert_eq!(all.len(), 1, "{all:#?}");
        let (file, f) = all[0];
        assert_eq!(file, "src/b.rs");
        assert_eq!(
            f.message,
            "module cycle: fixture::a -> fixture::b -> fixture::a"
        );
        assert_eq!(f.related.len(), 1);
        assert_eq!(f.related[0].file.as_deref(), Some("src/a.rs"));
        assert_eq!(f.related[0].message, "`fixture::a` uses `fixture::b` here");
    }
}
