//! `pub-fields`: structs of the public API that expose `pub` fields *and* have behaviour.

use std::collections::HashMap;

use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::model::ItemKind;
use crate::analysis::resolve::{Reach, Res};
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::GreenNode;
use crate::analysis::syntax::{ast, AstNode, HasName, HasVisibility, SyntaxKind, SyntaxNode};

pub(crate) struct PubFields;

/// An inherent method: its module and its item (file, index in the file's items).
type InherentMethod = (usize, (usize, usize));

pub static META: RuleMeta = RuleMeta {
    id: "pub-fields",
    category: Category::Boundary,
    default_severity: Severity::Info,
    default_enabled: true,
    summary: "Public structs with `pub` fields and inherent methods: behaviour whose invariants any caller can break.",
    options: &[],
    docs: RuleDocs {
        what: "A struct reachable from the crate's public API that has `pub` named fields and inherent methods \
               other than `new`/`default`. Plain data structs (no inherent methods, or only constructors) are not \
               reported.",
        why: "Methods exist to keep a struct's invariants; `pub` fields let every caller bypass them (set `len` \
              without touching `items`). They also freeze the representation: renaming or re-typing a field is a \
              breaking change.",
        example: "pub struct Stock {\n    pub items: Vec<Item>,\n    pub total: u32,\n}\nimpl Stock {\n    pub fn add(&mut self, i: Item) { self.total += i.qty; self.items.push(i); }\n}",
        instead: "Make the fields private and add accessors (`pub fn total(&self) -> u32`) for what callers need; \
                  or, if the struct really is plain data, move the behaviour out.",
    },
    fixable: false,
};

impl Rule for PubFields {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STRUCT]
    }

    /// Only structs with a record field that has a visibility.
    fn prefilter(&self, node: GreenNode<'_>) -> bool {
        node.record_fields()
            .any(|f| f.has_child(SyntaxKind::VISIBILITY))
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(s) = ast::Struct::cast(node.clone()) else {
            return;
        };
        let Some(ast::FieldList::RecordFieldList(list)) = s.field_list() else {
            return;
        };
        let fields: Vec<String> = list
            .fields()
            .filter(|f| {
                f.visibility()
                    .is_some_and(|v| super::unreachable_pub::is_plain_pub(&v))
            })
            .filter_map(|f| f.name().map(|n| n.text().to_string()))
            .collect();
        if let (Some(name), false) = (s.name(), fields.is_empty()) {
            cx.fact(
                "pub-fields",
                name.text().to_string(),
                fields.join(", "),
                name.syntax().text_range(),
            );
        }
    }

    fn uses_resolution(&self) -> bool {
        true
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let res = ws.resolution();
        let w = ws.workspace;
        // Inherent methods by (crate, self type name), indexed once: scanning every module of
        // the crate per struct would be quadratic.
        let mut inherent: HashMap<(usize, &str), Vec<InherentMethod>> = HashMap::new();
        for (mid, module) in res.modules.iter().enumerate() {
            if module.is_test {
                continue;
            }
            for &a in &module.assoc {
                let it = &w.files[a.0].summary.items[a.1];
                let Some(o) = &it.owner else { continue };
                if o.trait_name.is_some()
                    || it.kind != ItemKind::Fn
                    || it.is_test
                    || matches!(it.name.as_str(), "new" | "default")
                {
                    continue;
                }
                inherent
                    .entry((module.krate, o.self_ty.as_str()))
                    .or_default()
                    .push((mid, a));
            }
        }
        for (fi, file) in w.files.iter().enumerate() {
            let mut facts = file
                .summary
                .facts
                .iter()
                .filter(|f| f.rule == META.id)
                .peekable();
            if facts.peek().is_none() {
                continue;
            }
            let structs: HashMap<_, usize> = file
                .summary
                .items
                .iter()
                .enumerate()
                .rev() // the first item wins, as with `position`
                .filter(|(_, i)| i.kind == ItemKind::Struct)
                .map(|(ii, i)| (i.name_range, ii))
                .collect();
            for fact in facts {
                let Some(&ii) = structs.get(&fact.range) else {
                    continue;
                };
                let item = (fi, ii);
                if res.reach(item) != Reach::Public {
                    continue;
                }
                let Some(&m) = res.item_module.get(&item) else {
                    continue;
                };
                let krate = res.modules[m].krate;
                // Inherent methods of this struct, wherever the impl is in the crate.
                let mut methods: Vec<String> = Vec::new();
                let candidates = inherent
                    .get(&(krate, fact.name.as_str()))
                    .map_or(&[][..], |v| &v[..]);
                for &(mid, a) in candidates {
                    let it = &w.files[a.0].summary.items[a.1];
                    if let Res::Items(found) = res_lookup(ws, mid, &fact.name) {
                        if found.contains(&item) {
                            methods.push(it.name.to_string());
                        }
                    }
                }
                if methods.is_empty() {
                    continue;
                }
                methods.sort();
                methods.dedup();
                out.report(
                    &file.meta.rel_path,
                    Finding::new(
                        &META,
                        fact.range,
                        format!(
                            "`{}` has `pub` fields ({}) and methods ({}): callers can break what the methods maintain",
                            fact.name,
                            fact.detail,
                            methods.join(", ")
                        ),
                    )
                    .suggestion("make the fields private and add accessors for what callers need")
                    .symbol(fact.name.to_string()),
                );
            }
        }
    }
}

fn res_lookup(ws: &WorkspaceCx<'_>, m: usize, name: &str) -> Res {
    crate::analysis::resolve::lookup_name(ws.workspace, ws.resolution(), m, name)
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_public_structs_with_fields_and_methods() {
        check(
            "pub-fields",
            r#"
pub struct Stock { pub items: Vec<u32>, pub total: u32, note: String }
         //^^^^^ info: `Stock` has `pub` fields (items, total) and methods (add): callers can break what the methods maintain
impl Stock {
    pub fn new() -> Self { todo!() }
    pub fn add(&mut self, n: u32) { self.total += n; self.items.push(n); }
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "pub-fields",
            r#"
//- /src/lib.rs
mod private;
pub struct Data { pub a: u8, pub b: u8 }
impl Data { pub fn new() -> Self { Data { a: 0, b: 0 } } }
impl Default for Data { fn default() -> Self { Data::new() } }
pub struct Hidden { a: u8 }
impl Hidden { pub fn a(&self) -> u8 { self.a } }
pub struct Crate { pub(crate) a: u8 }
impl Crate { pub fn a(&self) -> u8 { self.a } }
impl std::fmt::Display for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) }
}
//- /src/private.rs
pub(crate) struct Internal { pub a: u8 }
impl Internal { pub fn get(&self) -> u8 { self.a } }
"#,
        );
    }
}
