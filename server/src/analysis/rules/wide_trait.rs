//! `wide-trait`: traits with more than `max-trait-methods` methods.

use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};

pub(crate) struct WideTrait;

pub static META: RuleMeta = RuleMeta {
    id: "wide-trait",
    category: Category::Boundary,
    default_severity: Severity::Info,
    default_enabled: true,
    summary: "Traits with more than `max-trait-methods` methods: split them (interface segregation).",
    options: &[RuleOption {
        key: "max-trait-methods",
        default: OptionDefault::Int(12),
        doc: "the largest number of methods (required + provided) that is not reported",
    }],
    docs: RuleDocs {
        what: "A trait whose required plus provided methods number more than `max-trait-methods`.",
        why: "Every implementor must provide (or inherit) every method, and every caller depends on the whole \
              trait even when it needs two methods. Wide traits are hard to implement for tests and mocks, and \
              change often, breaking every implementor.",
        example: "pub trait Store {\n    fn get(..); fn put(..); fn delete(..); fn list(..); fn watch(..);\n    fn backup(..); fn restore(..); fn stats(..); fn compact(..); /* ... */\n}",
        instead: "Split the trait by the clients that use it (`Read`, `Write`, `Admin`), with a supertrait or a \
                  blanket impl if some code needs all of them.",
    },
    fixable: false,
};

impl Rule for WideTrait {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::TRAIT]
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(t) = ast::Trait::cast(node.clone()) else {
            return;
        };
        let Some(list) = t.assoc_item_list() else {
            return;
        };
        let (mut required, mut provided) = (0i64, 0i64);
        for item in list.assoc_items() {
            if let ast::AssocItem::Fn(f) = item {
                if f.body().is_some() {
                    provided += 1;
                } else {
                    required += 1;
                }
            }
        }
        let max = cx.int("max-trait-methods");
        if required + provided <= max {
            return;
        }
        let Some(name) = t.name() else { return };
        cx.report(
            Finding::new(
                &META,
                name.syntax().text_range(),
                format!(
                    "trait `{}` has {} methods (more than {max}): {required} required, {provided} provided",
                    name.text(),
                    required + provided
                ),
            )
            .suggestion("split the trait by the clients that use it")
            .symbol(name.text().to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_wide_traits() {
        check(
            "wide-trait",
            r#"
pub trait Store {
        //^^^^^ info: trait `Store` has 13 methods (more than 12): 11 required, 2 provided
    type Key;
    const N: usize;
    fn a(&self); fn b(&self); fn c(&self); fn d(&self); fn e(&self); fn f(&self);
    fn g(&self); fn h(&self); fn i(&self); fn j(&self); fn k(&self);
    fn l(&self) {}
    fn m(&self) {}
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "wide-trait",
            r#"
pub trait Twelve {
    type A; type B; const C: u8;
    fn a(&self); fn b(&self); fn c(&self); fn d(&self); fn e(&self); fn f(&self);
    fn g(&self); fn h(&self); fn i(&self); fn j(&self); fn k(&self); fn l(&self) {}
}
struct S;
impl S {
    fn a(&self) {} fn b(&self) {} fn c(&self) {} fn d(&self) {} fn e(&self) {} fn f(&self) {}
    fn g(&self) {} fn h(&self) {} fn i(&self) {} fn j(&self) {} fn k(&self) {} fn l(&self) {} fn m(&self) {}
}
"#,
        );
    }

    #[test]
    fn threshold_is_configurable() {
        check_with_config(
            "wide-trait",
            "[rules.wide-trait]\nmax-trait-methods = 1\n",
            r#"
trait Two { fn a(&self); fn b(&self); }
    //^^^ info: trait `Two` has 2 methods (more than 1): 2 required, 0 provided
"#,
        );
    }
}
