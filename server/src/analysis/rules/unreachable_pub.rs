//! `unreachable-pub`: `pub` items that the crate's public API does not export (rustc's
//! `unreachable_pub` lint, without running the compiler).

use std::collections::HashMap;

use crate::analysis::cfg;
use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::model::ItemKind;
use crate::analysis::resolve::Reach;
use crate::analysis::rule::{
    Applicability, Category, Finding, Fix, Rule, RuleDocs, RuleMeta, Severity, TextEdit,
};
use crate::analysis::syntax::{
    ast, AstNode, HasAttrs, HasVisibility, SyntaxKind, SyntaxNode, TextRange,
};
use crate::analysis::syntax::{GreenAt, GreenNode};

pub(crate) struct UnreachablePub;

/// Fact kinds recorded in the file pass: the visibility of a `use` item, and a `pub` field
/// (for the fix that narrows a struct's fields with it).
const FACT_USE_VIS: &str = "use-vis";
const FACT_PUB_FIELD: &str = "pub-field";
/// An item, impl or `use` with `#[cfg(..)]` attributes (detail: the predicates, tab-separated).
const FACT_CFG: &str = "cfg";
/// An item, impl or `use` with a `#[cfg_attr(pred, cfg(..))]` attribute (detail: the predicate
/// under which it is compiled, `any(not(pred),all(..))`).
const FACT_CFG_ATTR: &str = "cfg-attr";

pub static META: RuleMeta = RuleMeta {
    id: "unreachable-pub",
    category: Category::Boundary,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`pub` items the crate's public API does not export: `pub` promises more than the crate delivers.",
    options: &[],
    docs: RuleDocs {
        what: "Items declared `pub` (functions, types, traits, constants, statics, modules, methods of inherent \
               impls, and `pub use` re-exports) that are not reachable from the crate's public API: they live in \
               a private module and no `pub use` chain exports them, and no public signature names them. Same \
               semantics as rustc's `unreachable_pub` lint; in binary crates, `pub` items in modules are \
               reported as rustc does. Names mentioned inside macros, crates whose public glob re-exports \
               the model cannot expand, and items under a `#[cfg(feature = ..)]` that the package's default \
               features do not enable (rustc does not compile them) are not reported. Nor are items (and \
               modules) under a `#[cfg_attr(pred, cfg(..))]` unless the default features make sure they \
               are compiled (`pred` off, or the inner `cfg` on).",
        why: "`pub` on an item nobody outside the crate can name is a false promise: readers assume it is part \
              of the API and must stay stable, reviewers cannot tell the real interface from the accidental one, \
              and the compiler cannot warn about it being unused (`dead_code` is silenced by `pub`).",
        example: "mod parser {\n    pub fn tokenize(s: &str) -> Vec<String> { .. }\n}\npub fn parse(s: &str) { parser::tokenize(s); }",
        instead: "Say what you mean: `pub(crate) fn tokenize`. The fix does this (and narrows the `pub` fields of a \
                  struct with it); `check --fix` applies it everywhere.",
    },
    fixable: true,
};

impl Rule for UnreachablePub {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[
            // For a `#![cfg(..)]` at the top of a file or of an inline module.
            SyntaxKind::SOURCE_FILE,
            SyntaxKind::ITEM_LIST,
            SyntaxKind::STRUCT,
            SyntaxKind::UNION,
            SyntaxKind::USE,
            SyntaxKind::ENUM,
            SyntaxKind::FN,
            SyntaxKind::TRAIT,
            SyntaxKind::TYPE_ALIAS,
            SyntaxKind::CONST,
            SyntaxKind::STATIC,
            SyntaxKind::MODULE,
            SyntaxKind::IMPL,
        ]
    }

    /// `check_node` records `#[cfg]` attributes, the `pub` of `use` items and the fields of
    /// structs and unions: other nodes without a `#[cfg]` hold nothing for it.
    fn prefilter(&self, node: GreenNode<'_>) -> bool {
        let field_with_vis = |list: GreenNode<'_>| {
            list.children_of(SyntaxKind::RECORD_FIELD)
                .chain(list.children_of(SyntaxKind::TUPLE_FIELD))
                .any(|f| f.has_child(SyntaxKind::VISIBILITY))
        };
        node.has_cfg_attr()
            || node
                .children_of(SyntaxKind::ATTR)
                .any(|a| a.has_child(SyntaxKind::CFG_ATTR_META))
            || matches!(node.kind(), SyntaxKind::STRUCT | SyntaxKind::UNION)
                && [SyntaxKind::RECORD_FIELD_LIST, SyntaxKind::TUPLE_FIELD_LIST]
                    .into_iter()
                    .filter_map(|k| node.child(k))
                    .any(field_with_vis)
            || node.kind() == SyntaxKind::USE && node.has_child(SyntaxKind::VISIBILITY)
    }

    /// Records the `pub` fields of each struct, so the fix can narrow them with the struct, and
    /// the `pub` of each `pub use` item.
    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        record_cfg(node, cx);
        if let Some(u) = ast::Use::cast(node.clone()) {
            if let Some(v) = u.visibility().filter(is_plain_pub) {
                cx.fact(FACT_USE_VIS, "", "", v.syntax().text_range());
            }
            return;
        }
        if matches!(node.kind(), SyntaxKind::STRUCT | SyntaxKind::UNION) {
            record_pub_fields(node, cx);
        }
    }

    fn uses_resolution(&self) -> bool {
        true
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let res = ws.resolution();
        let w = ws.workspace;
        // Per-file lookups, indexed once (scanning a file's facts or items per finding would be
        // quadratic in a file with many unreachable items).
        let mut field_ranges: HashMap<(usize, &str), Vec<TextRange>> = HashMap::new();
        let mut use_vis: HashMap<usize, Vec<TextRange>> = HashMap::new();
        for (fi, file) in w.files.iter().enumerate() {
            for f in file.summary.facts.iter().filter(|f| f.rule == META.id) {
                match f.kind {
                    FACT_PUB_FIELD => field_ranges
                        .entry((fi, &*f.detail))
                        .or_default()
                        .push(f.range),
                    FACT_USE_VIS => use_vis.entry(fi).or_default().push(f.range),
                    _ => {}
                }
            }
        }
        for ranges in use_vis.values_mut() {
            ranges.sort_by_key(|r| r.start());
        }
        // Items, impls and `use`s not compiled with the package's default features (rustc does
        // not see them), by file.
        let mut disabled: HashMap<usize, Vec<TextRange>> = HashMap::new();
        for (fi, file) in w.files.iter().enumerate() {
            let features: &[String] = file
                .package
                .map_or(&[], |p| w.packages[p].default_features.as_slice());
            let enabled = |x: &str| features.iter().any(|f| f == x);
            for f in file.summary.facts.iter().filter(|f| f.rule == META.id) {
                let off = match f.kind {
                    FACT_CFG => {
                        let cfgs: Vec<String> = f.detail.split('\t').map(str::to_string).collect();
                        cfg::disabled(&cfgs, &enabled)
                    }
                    // Conservative: not compiled unless the features decide it is.
                    FACT_CFG_ATTR => {
                        cfg::Cfg::parse(&f.detail).map(|c| c.eval(&enabled))
                            != Some(cfg::Value::True)
                    }
                    _ => false,
                };
                if off {
                    disabled.entry(fi).or_default().push(f.range);
                }
            }
        }
        let is_disabled = |fi: usize, r: TextRange| {
            disabled
                .get(&fi)
                .is_some_and(|d| d.iter().any(|d| d.contains_range(r)))
        };
        // Modules not compiled: their `mod` declaration is under a disabled `cfg` (or in a
        // disabled file), or so is an enclosing module's. A file module's items are in
        // another file than the declaration, so the ranges above do not cover them.
        let decl_disabled = |m: usize| {
            res.modules[m]
                .decl
                .is_some_and(|(fi, r)| is_disabled(fi, r))
        };
        let mod_disabled: Vec<bool> = (0..res.modules.len())
            .map(|m| std::iter::successors(Some(m), |&m| res.modules[m].parent).any(decl_disabled))
            .collect();
        let mut mod_index: HashMap<usize, ModIndex<'_>> = HashMap::new();
        for (&item, &m) in &res.item_module {
            let module = &res.modules[m];
            let file = &w.files[item.0];
            let it = &file.summary.items[item.1];
            if module.is_test || it.is_test || !it.vis.is_pub() || res.reach(item) != Reach::Private
            {
                continue;
            }
            if matches!(
                it.kind,
                ItemKind::Mod | ItemKind::MacroRules | ItemKind::MacroDef | ItemKind::ExternCrate
            ) {
                continue;
            }
            if let Some(o) = &it.owner {
                if o.in_trait_def || o.trait_name.is_some() {
                    continue;
                }
            }
            let Some(vis_range) = it.vis_range else {
                continue;
            };
            if is_disabled(item.0, it.range) || mod_disabled[m] {
                continue;
            }
            let mut edits = vec![TextEdit {
                range: vis_range,
                new_text: "pub(crate)".into(),
            }];
            let mut title = "restrict to `pub(crate)`".to_string();
            if matches!(it.kind, ItemKind::Struct | ItemKind::Union) {
                let start = u32::from(it.name_range.start()).to_string();
                let fields = field_ranges
                    .get(&(item.0, start.as_str()))
                    .cloned()
                    .unwrap_or_default();
                if !fields.is_empty() {
                    title = "restrict the item and its `pub` fields to `pub(crate)`".into();
                }
                edits.extend(fields.into_iter().map(|range| TextEdit {
                    range,
                    new_text: "pub(crate)".into(),
                }));
            }
            let what = match &it.owner {
                Some(o) => format!("method `{}::{}`", o.self_ty, it.name),
                None => format!("{} `{}`", it.kind.as_str(), it.name),
            };
            let symbol = match &it.owner {
                Some(o) => format!("{}::{}", o.self_ty, it.name),
                None => it.name.to_string(),
            };
            out.report(
                &file.meta.rel_path,
                Finding::new(
                    &META,
                    vis_range,
                    format!("`pub` {what} is not reachable from the crate's public API"),
                )
                .suggestion("restrict it to `pub(crate)`, or export it with `pub use`")
                .fix(Fix {
                    title,
                    applicability: Applicability::Safe,
                    edits,
                })
                .symbol(symbol),
            );
        }
        // `pub mod` declarations of modules nothing exports.
        for (mid, module) in res.modules.iter().enumerate() {
            let Some((fi, name_range)) = module.decl else {
                continue;
            };
            if module.is_test || !module.vis.is_pub() || res.exported[mid] {
                continue;
            }
            let krate = module.krate;
            let name = module.path.last().cloned().unwrap_or_default();
            if res.crates[krate].uncertain || res.macro_names[krate].contains(&name) {
                continue;
            }
            let file = &w.files[fi];
            let index = mod_index
                .entry(fi)
                .or_insert_with(|| ModIndex::new(&file.summary));
            let Some(decl) = index.decls.get(&name_range) else {
                continue;
            };
            let Some(vis_range) = index.vis.get(&decl.range).copied().flatten() else {
                continue;
            };
            if is_disabled(fi, decl.range) || mod_disabled[mid] {
                continue;
            }
            out.report(
                &file.meta.rel_path,
                Finding::new(
                    &META,
                    vis_range,
                    format!("`pub` mod `{name}` is not reachable from the crate's public API"),
                )
                .suggestion("restrict it to `pub(crate)`, or export it with `pub use`")
                .fix(Fix {
                    title: "restrict to `pub(crate)`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![TextEdit {
                        range: vis_range,
                        new_text: "pub(crate)".into(),
                    }],
                })
                .symbol(name.to_string()),
            );
        }
        // `pub use` re-exports in modules nothing exports.
        let mut by_item: HashMap<(usize, crate::analysis::syntax::TextRange), bool> =
            HashMap::new();
        for (&u, &reach) in &res.use_reach {
            let file = &w.files[u.0];
            let d = &file.summary.uses[u.1];
            let Some(&m) = res.use_module.get(&u) else {
                continue;
            };
            if d.is_test || res.modules[m].is_test || !d.vis.is_pub() || mod_disabled[m] {
                continue;
            }
            // All leaves of one `use` item share the visibility: report the item once, when
            // none of its leaves is reachable.
            let e = by_item.entry((u.0, d.item_range)).or_insert(true);
            *e &= reach == Reach::Private;
        }
        let mut items: Vec<_> = by_item.into_iter().filter(|(_, v)| *v).collect();
        items.sort_by_key(|((f, r), _)| (*f, r.start()));
        for ((fi, item_range), _) in items {
            if is_disabled(fi, item_range) {
                continue;
            }
            let file = &w.files[fi];
            let Some(vis_range) = use_vis.get(&fi).and_then(|ranges| {
                // The first `pub` (in source order) inside the item.
                let i = ranges.partition_point(|r| r.start() < item_range.start());
                ranges[i..]
                    .iter()
                    .take_while(|r| r.start() <= item_range.end())
                    .find(|r| item_range.contains_range(**r))
                    .copied()
            }) else {
                continue;
            };
            out.report(
                &file.meta.rel_path,
                Finding::new(
                    &META,
                    vis_range,
                    "`pub use` re-export is not reachable from the crate's public API",
                )
                .suggestion("restrict it to `pub(crate)`")
                .fix(Fix {
                    title: "restrict to `pub(crate)`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![TextEdit {
                        range: vis_range,
                        new_text: "pub(crate)".into(),
                    }],
                }),
            );
        }
    }
}

/// A file's `mod` declarations by name range, and the visibility range of its `mod` items by
/// item range (first wins, as a linear search would).
struct ModIndex<'a> {
    decls: HashMap<TextRange, &'a crate::analysis::model::ModDecl>,
    vis: HashMap<TextRange, Option<TextRange>>,
}

impl<'a> ModIndex<'a> {
    fn new(s: &'a crate::analysis::model::FileSummary) -> ModIndex<'a> {
        let mut decls = HashMap::new();
        for d in &s.mods {
            decls.entry(d.name_range).or_insert(d);
        }
        let mut vis = HashMap::new();
        for i in s.items.iter().filter(|i| i.kind == ItemKind::Mod) {
            vis.entry(i.range).or_insert(i.vis_range);
        }
        ModIndex { decls, vis }
    }
}

/// Records, for a struct or union, the visibility range of each `pub` field (fact `pub-field`,
/// `detail` = the struct's name range start).
/// The `#[cfg(..)]` predicates written on the node itself (enclosing ones are recorded for
/// the enclosing node, whose range contains this one).
fn record_cfg(node: &SyntaxNode, cx: &mut FileCx<'_>) {
    let Some(attrs) = ast::AnyHasAttrs::cast(node.clone()) else {
        return;
    };
    // An inline module's `#![cfg]` (in its item list) applies to the whole `mod` item.
    let range = match node.parent() {
        Some(m) if node.kind() == SyntaxKind::ITEM_LIST => m.text_range(),
        _ => node.text_range(),
    };
    let cfgs = cfg::cfg_predicates(&attrs);
    if !cfgs.is_empty() {
        cx.fact(FACT_CFG, "", cfgs.join("\t"), range);
    }
    for meta in attrs.attrs().filter_map(|a| a.meta()) {
        if let (ast::Meta::CfgAttrMeta(_), Some(pred)) = (&meta, cfg::compiled_if(&meta)) {
            cx.fact(FACT_CFG_ATTR, "", pred, range);
        }
    }
}

/// Read from the green tree: the `ast` accessors build a node for every child of every field.
fn record_pub_fields(node: &SyntaxNode, cx: &mut FileCx<'_>) {
    let item = GreenAt::of(node);
    // `ast::Struct::field_list()` (the first record or tuple field list), or
    // `ast::Union::record_field_list()`.
    let list = match node.kind() {
        SyntaxKind::STRUCT => item.child_nodes().find(|c| {
            matches!(
                c.kind(),
                SyntaxKind::RECORD_FIELD_LIST | SyntaxKind::TUPLE_FIELD_LIST
            )
        }),
        SyntaxKind::UNION => item.child(SyntaxKind::RECORD_FIELD_LIST),
        _ => return,
    };
    let Some(name) = item.child(SyntaxKind::NAME) else {
        return;
    };
    let Some(list) = list else { return };
    let field = match list.kind() {
        SyntaxKind::TUPLE_FIELD_LIST => SyntaxKind::TUPLE_FIELD,
        _ => SyntaxKind::RECORD_FIELD,
    };
    let name_text = name.first_token_text().unwrap_or_default();
    let start = u32::from(name.offset);
    for f in list.child_nodes().filter(|f| f.kind() == field) {
        if let Some(v) = f.child(SyntaxKind::VISIBILITY).filter(|v| v.text_is("pub")) {
            cx.fact(
                FACT_PUB_FIELD,
                name_text.to_string(),
                start.to_string(),
                v.range(),
            );
        }
    }
}

/// `pub` (not `pub(crate)` and friends).
pub(super) fn is_plain_pub(v: &ast::Visibility) -> bool {
    v.syntax().text() == "pub"
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_fix};

    #[test]
    fn reports_pub_items_in_private_modules() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod parser;
pub mod api;
pub fn parse() { parser::tokenize(); }
//- /src/parser.rs
  pub fn tokenize() {}
//^^^ warning: `pub` fn `tokenize` is not reachable from the crate's public API
  pub struct Token { pub text: String }
//^^^ warning: `pub` struct `Token` is not reachable from the crate's public API
pub(crate) fn fine() {}
fn private() {}
  pub struct Lexer;
//^^^ warning: `pub` struct `Lexer` is not reachable from the crate's public API
impl Lexer {
    pub fn next(&self) {}
  //^^^ warning: `pub` method `Lexer::next` is not reachable from the crate's public API
    fn peek(&self) {}
}
  pub mod inner { pub const X: u8 = 1; }
//^^^ warning: `pub` mod `inner` is not reachable from the crate's public API
                //^^^ warning: `pub` const `X` is not reachable from the crate's public API
  pub use self::inner::X as Y;
//^^^ warning: `pub use` re-export is not reachable from the crate's public API
//- /src/api.rs
pub fn exported() {}
mod hidden { pub fn h() {} }
           //^^^ warning: `pub` fn `h` is not reachable from the crate's public API
"#,
        );
    }

    #[test]
    fn near_misses_reachable_through_reexports_and_signatures() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod a;
mod b;
mod c;
mod d;
pub use a::Alpha;
pub use b::*;
pub use c::{Gamma as G};
pub fn make() -> d::Delta { todo!() }
pub mod outer { pub use crate::a::inner::Deep; }
//- /src/a.rs
pub struct Alpha;
impl Alpha { pub fn go(&self) {} }
  pub mod inner { pub struct Deep; }
//^^^ warning: `pub` mod `inner` is not reachable from the crate's public API
//- /src/b.rs
pub fn beta() {}
pub struct Beta { pub x: u8 }
//- /src/c.rs
pub enum Gamma { A, B }
//- /src/d.rs
pub struct Delta;
impl Delta { pub fn value(&self) -> u8 { 0 } }
"#,
        );
    }

    #[test]
    fn near_misses_traits_macros_tests() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod imp;
mod gen;
#[cfg(test)]
mod tests { pub fn helper() {} }
#[macro_export]
macro_rules! make { () => { $crate::gen::Generated::new() } }
//- /src/imp.rs
pub(crate) struct Local;
impl std::fmt::Display for Local {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) }
}
  pub trait Private { fn m(&self); }
//^^^ warning: `pub` trait `Private` is not reachable from the crate's public API
//- /src/gen.rs
pub struct Generated;
#[test]
pub fn in_test() {}
"#,
        );
    }

    #[test]
    fn private_field_types_are_not_reachable() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod cow;
pub struct Finder { bytes: cow::Bytes, pub meta: cow::Meta }
//- /src/cow.rs
  pub struct Bytes;
//^^^ warning: `pub` struct `Bytes` is not reachable from the crate's public API
pub struct Meta;
"#,
        );
    }

    #[test]
    fn unexpandable_glob_makes_the_crate_uncertain() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod a;
pub use a::missing::*;
//- /src/a.rs
pub fn f() {}
"#,
        );
    }

    /// Found on clap 2.34 (`src/args/mod.rs`): rustc treats every import of a re-export chain
    /// from the crate root as reachable, so `pub use self::arg::Arg` in a private module that the
    /// root re-exports (`pub use args::Arg`) is not reported; its sibling that nothing
    /// re-exports is.
    #[test]
    fn imports_in_a_reexport_chain_are_reachable() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod args;
pub use args::{Arg, Group as G};
//- /src/args/mod.rs
pub use self::arg::Arg;
pub use self::group::*;
  pub use self::matcher::Matcher;
//^^^ warning: `pub use` re-export is not reachable from the crate's public API
mod arg { pub struct Arg; }
mod group { pub struct Group; }
mod matcher { pub struct Matcher; }
//            ^^^ warning: `pub` struct `Matcher` is not reachable from the crate's public API
"#,
        );
    }

    /// Found on xml-rs 0.8.4 (edition 2015): `use util;` in `reader/error.rs` names the crate
    /// root's `util`, so `util::CharReadError` in the signature of a trait-impl method of a
    /// public type is reachable. `extern crate` names resolve into that crate.
    #[test]
    fn edition_2015_imports_are_relative_to_the_crate_root() {
        check(
            "unreachable-pub",
            r#"
//- /Cargo.toml
[package]
name = "fixture"
version = "0.1.0"
//- /src/lib.rs
extern crate core as other;
mod util;
pub mod reader;
//- /src/util.rs
pub enum CharReadError { Io }
  pub struct Unused;
//^^^ warning: `pub` struct `Unused` is not reachable from the crate's public API
//- /src/reader/mod.rs
mod error;
pub use self::error::Error;
//- /src/reader/error.rs
use util;
use other::fmt;
pub struct Error;
impl From<util::CharReadError> for Error {
    fn from(_: util::CharReadError) -> Self { Error }
}
impl fmt::Debug for Error {
    fn fmt(&self, _: &mut fmt::Formatter) -> fmt::Result { Ok(()) }
}
"#,
        );
    }

    /// rustc's effective visibility of a trait impl is the smaller of its trait's and its
    /// type's: `impl From<TarError> for io::Error` (tar 0.4.38) and `impl From<Span> for
    /// (usize, usize)` (toml 0.5.11) are public, so the types in their methods' signatures are
    /// reachable. An impl of a private trait, or for a private type, makes nothing reachable.
    #[test]
    fn trait_impls_for_foreign_types_make_their_signatures_reachable() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod error;
mod tokens;
//- /src/error.rs
use std::io::{self, Error};
pub struct TarError { io: io::Error }
impl TarError {
    pub fn new(err: Error) -> TarError { TarError { io: err } }
}
impl From<TarError> for Error {
    fn from(t: TarError) -> Error { t.io }
}
trait Private { fn make(x: Hidden) -> Self; }
  pub struct Hidden;
//^^^ warning: `pub` struct `Hidden` is not reachable from the crate's public API
impl Private for String {
    fn make(_: Hidden) -> Self { String::new() }
}
//- /src/tokens.rs
use std::io::prelude::*;
pub struct Span { pub start: usize }
impl From<Span> for (usize, usize) {
    fn from(s: Span) -> (usize, usize) { (s.start, s.start) }
}
  pub struct Local;
//^^^ warning: `pub` struct `Local` is not reachable from the crate's public API
struct Wrapper;
impl From<Local> for Wrapper {
    fn from(_: Local) -> Wrapper { Wrapper }
}
"#,
        );
    }

    /// A package whose default features turn `color` on and leave `yaml` off.
    const FEATURES_MANIFEST: &str = r#"
//- /Cargo.toml
[package]
name = "fixture"
version = "0.1.0"
edition = "2021"
[features]
default = ["color"]
color = []
yaml = []
"#;

    /// rustc compiles what the default features enable: clap 2.34's `#[cfg(not(feature =
    /// "color"))] pub fn is_a_tty` (color is a default feature) is not compiled, so not
    /// reported. Other `cfg` options are not decided: `cfg(windows)` code is still reported.
    #[test]
    fn items_disabled_by_the_default_features_are_not_reported() {
        check(
            "unreachable-pub",
            &[
                FEATURES_MANIFEST,
                r#"//- /src/lib.rs
mod fmt;
//- /src/fmt.rs
#[cfg(not(feature = "color"))]
pub fn is_a_tty() -> bool { false }
#[cfg(feature = "color")]
  pub fn colored() -> bool { true }
//^^^ warning: `pub` fn `colored` is not reachable from the crate's public API
#[cfg(windows)]
  pub fn on_windows() {}
//^^^ warning: `pub` fn `on_windows` is not reachable from the crate's public API
  pub struct Yaml;
//^^^ warning: `pub` struct `Yaml` is not reachable from the crate's public API
#[cfg(feature = "yaml")]
impl Yaml {
    pub fn load() {}
}
#[cfg(feature = "yaml")]
pub use self::Yaml as Loaded;
#[cfg(feature = "yaml")]
pub mod inner {}
"#,
            ]
            .concat(),
        );
    }

    /// The `#[cfg]` facts are recorded only for nodes that have a `#[cfg(..)]` attribute (the
    /// prefilter): a `cfg` among other attributes, several `cfg`s, `all`/`any`, a `cfg` on an
    /// inline module (its items are not compiled either). `cfg_attr` does not remove the item,
    /// and predicates that are not features are not decided: both stay reported.
    #[test]
    fn cfg_spellings_and_inline_modules() {
        check(
            "unreachable-pub",
            &[
                FEATURES_MANIFEST,
                r#"//- /src/lib.rs
mod fmt;
//- /src/fmt.rs
#[doc = "x"]
#[cfg(feature = "yaml")]
#[inline]
pub fn between_attributes() {}
#[cfg(feature = "color")]
#[cfg(feature = "yaml")]
pub fn two_cfgs() {}
#[cfg(all(feature = "color", feature = "yaml"))]
pub fn all_of() {}
#[cfg(any(feature = "yaml", unix))]
  pub fn any_of_unknown() {}
//^^^ warning: `pub` fn `any_of_unknown` is not reachable from the crate's public API
#[cfg_attr(feature = "yaml", derive(Debug))]
  pub struct WithCfgAttr;
//^^^ warning: `pub` struct `WithCfgAttr` is not reachable from the crate's public API
#[cfg(feature = "yaml")]
mod inline {
    pub fn hidden() {}
    pub mod deeper { pub struct Deep; }
    pub use self::deeper::Deep as D;
}
#[cfg(feature = "color")]
mod on {
    pub fn shown() {}
  //^^^ warning: `pub` fn `shown` is not reachable from the crate's public API
}
"#,
            ]
            .concat(),
        );
    }

    /// A `#[cfg]` on the `mod` declaration of a file module, or a `#![cfg]` at the top of the
    /// module itself (a file, or an inline module): rustc compiles nothing of the module.
    #[test]
    fn cfg_on_file_modules() {
        check(
            "unreachable-pub",
            r#"
//- /Cargo.toml
[package]
name = "fixture"
version = "0.1.0"
edition = "2021"
[features]
yaml = []
//- /src/lib.rs
#[cfg(feature = "yaml")]
mod yaml;
mod json;
mod toml;
//- /src/toml.rs
#![cfg(feature = "yaml")]
pub fn read() {}
//- /src/yaml.rs
pub fn load() {}
pub struct Doc { pub text: String }
pub mod nested { pub fn deep() {} }
pub use self::nested::deep as d;
//- /src/json.rs
mod inner_cfg {
    #![cfg(feature = "yaml")]
    pub fn parse_yaml() {}
    pub mod inner_cfg_nested {}
}
pub mod inner_cfg_pub {
    #![cfg(feature = "yaml")]
}
  pub fn parse() {}
//^^^ warning: `pub` fn `parse` is not reachable from the crate's public API
"#,
        );
    }

    /// `#[cfg_attr(pred, cfg(..))]` on a `mod` declaration, as an inner `#![cfg_attr]` of a
    /// file or inline module, or on an item: the item is compiled when `pred` is off or the
    /// `cfg` on. Reported only when the default features decide that it is compiled (whatever
    /// the other options); when it may not be, nothing of it is reported. A `cfg_attr` that
    /// holds no `cfg` (`derive`, `doc(cfg(..))`) removes nothing.
    #[test]
    fn cfg_attr_holding_cfg() {
        check(
            "unreachable-pub",
            &[
                FEATURES_MANIFEST,
                r#"//- /src/lib.rs
#[cfg_attr(feature = "color", cfg(feature = "yaml"))]
mod removed;
#[cfg_attr(docsrs, cfg(feature = "yaml"))]
mod docs_only;
#[cfg_attr(unix, cfg(windows))]
mod unknown;
#[cfg_attr(feature = "color", cfg_attr(unix, cfg(feature = "yaml")))]
mod nested_unknown;
mod inner_removed;
#[cfg_attr(feature = "yaml", cfg(unix))]
mod kept_pred_off;
#[cfg_attr(docsrs, cfg(feature = "color"))]
mod kept_cfg_on;
#[cfg_attr(feature = "yaml", cfg_attr(unix, cfg(feature = "yaml")))]
mod kept_nested;
#[cfg_attr(docsrs, doc(cfg(feature = "yaml")))]
#[cfg_attr(feature = "color", derive(Debug), cfg(all()))]
mod kept_no_cfg;
mod inner_kept;
//- /src/removed.rs
pub fn a() {}
pub mod nested { pub fn deep() {} }
//- /src/docs_only.rs
pub fn b() {}
//- /src/unknown.rs
pub fn c() {}
//- /src/nested_unknown.rs
pub fn d() {}
//- /src/inner_removed.rs
#![cfg_attr(feature = "color", cfg(feature = "yaml"))]
pub fn e() {}
//- /src/kept_pred_off.rs
  pub fn f() {}
//^^^ warning: `pub` fn `f` is not reachable from the crate's public API
//- /src/kept_cfg_on.rs
  pub fn g() {}
//^^^ warning: `pub` fn `g` is not reachable from the crate's public API
//- /src/kept_nested.rs
  pub fn h() {}
//^^^ warning: `pub` fn `h` is not reachable from the crate's public API
//- /src/kept_no_cfg.rs
  pub fn i() {}
//^^^ warning: `pub` fn `i` is not reachable from the crate's public API
//- /src/inner_kept.rs
#![cfg_attr(feature = "yaml", cfg(feature = "yaml"))]
  pub fn j() {}
//^^^ warning: `pub` fn `j` is not reachable from the crate's public API
mod inline_removed {
    #![cfg_attr(not(feature = "yaml"), cfg(feature = "yaml"))]
    pub fn k() {}
}
#[cfg_attr(feature = "color", cfg(unix))]
pub fn item_unknown() {}
#[cfg_attr(feature = "color", cfg(feature = "yaml"))]
pub mod pub_mod_removed {}
#[cfg_attr(not(feature = "color"), cfg(feature = "yaml"))]
  pub fn item_kept() {}
//^^^ warning: `pub` fn `item_kept` is not reachable from the crate's public API
"#,
            ]
            .concat(),
        );
    }

    /// Only plain `pub` is reported: `pub(crate)`, `pub(super)`, `pub(self)`, `pub(in path)` say
    /// what they mean. Items in nested inline modules are reported where nothing exports them.
    #[test]
    fn restricted_visibility_and_nested_inline_modules() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod a {
    pub(crate) fn krate() {}
    pub(self) fn this() {}
    pub mod b {
//  ^^^ warning: `pub` mod `b` is not reachable from the crate's public API
        pub(super) fn sup() {}
        pub(in crate::a) fn within() {}
        pub(crate) use super::krate as k;
        pub fn deep() {}
      //^^^ warning: `pub` fn `deep` is not reachable from the crate's public API
    }
}
pub mod shown {
    mod inner {
        pub struct Exported;
        pub struct Hidden;
      //^^^ warning: `pub` struct `Hidden` is not reachable from the crate's public API
        impl Exported { pub fn method(&self) {} }
        impl Hidden { pub fn method(&self) {} }
                    //^^^ warning: `pub` method `Hidden::method` is not reachable from the crate's public API
    }
    pub use self::inner::Exported;
}
"#,
        );
    }

    /// Found on tar 0.4.38: several `use std::io::prelude::*` globs in one module made each
    /// lookup of `std` go through every glob again, exponentially (minutes on a 4 kLOC crate).
    /// A glob whose path needs the name being looked up in the same module cannot supply it.
    #[test]
    fn many_std_globs_resolve_quickly() {
        check(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod a;
pub use a::Open;
//- /src/a.rs
use std::io::prelude::*;
use std::os::unix::prelude::*;
use std::collections::hash_map::*;
use std::fmt::*;
use std::iter::*;
use std::ops::*;
pub struct Open;
  pub struct Hidden(Vec<u8>);
//^^^ warning: `pub` struct `Hidden` is not reachable from the crate's public API
  pub fn f(h: &Hidden) -> usize { h.0.len() + missing_name() }
//^^^ warning: `pub` fn `f` is not reachable from the crate's public API
"#,
        );
    }

    #[test]
    fn binaries_report_pub_items_in_modules_not_at_the_root() {
        check(
            "unreachable-pub",
            r#"
//- /src/main.rs
mod cli;
pub fn main() { cli::run(); }
//- /src/cli.rs
  pub fn run() {}
//^^^ warning: `pub` fn `run` is not reachable from the crate's public API
"#,
        );
    }

    #[test]
    fn fix_narrows_struct_and_fields() {
        check_fix(
            "unreachable-pub",
            r#"
//- /src/lib.rs
mod m {
    $0pub struct S { pub a: u8, pub(crate) b: u8, c: u8 }
    pub struct T(pub u8);
}
"#,
            r#"
mod m {
    pub(crate) struct S { pub(crate) a: u8, pub(crate) b: u8, c: u8 }
    pub struct T(pub u8);
}
"#,
        );
    }
}
