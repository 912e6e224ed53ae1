//! Per-file summaries: the compact facts the workspace-level rules need (items, visibilities,
//! `mod` declarations, `use` edges, paths), computed in the same pass as the local rules so the
//! syntax tree can be dropped afterwards.

use std::sync::Arc;

use super::line_index::LineIndex;
use super::suppress::Suppression;
use super::syntax::{
    ast, AstNode, HasAttrs, HasName, HasVisibility, SmolStr, SyntaxKind, TextRange,
};

/// The inline modules around a summary entry, shared by all the entries of one module (a
/// reference count, not a copy per path).
pub type Scope = Arc<[SmolStr]>;

/// A visibility as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Visibility {
    Private,
    Pub,
    PubCrate,
    PubSuper,
    PubSelf,
    /// `pub(in path)`, the path as written.
    PubIn(Box<str>),
}

impl Visibility {
    pub fn of(node: &impl HasVisibility) -> (Visibility, Option<TextRange>) {
        // Most items are private: found out without building their children.
        if !super::syntax::has_child_kind(node.syntax(), SyntaxKind::VISIBILITY) {
            return (Visibility::Private, None);
        }
        let Some(vis) = node.visibility() else {
            return (Visibility::Private, None);
        };
        let range = vis.syntax().text_range();
        let text: String = super::syntax::text_without_whitespace(vis.syntax());
        (Visibility::from_text(&text), Some(range))
    }

    /// A visibility from its text without whitespace (`pub(crate)`).
    pub fn from_text(text: &str) -> Visibility {
        match text {
            "pub" => Visibility::Pub,
            "pub(crate)" | "crate" => Visibility::PubCrate,
            "pub(super)" => Visibility::PubSuper,
            "pub(self)" => Visibility::PubSelf,
            t => match t.strip_prefix("pub(in").and_then(|r| r.strip_suffix(')')) {
                Some(p) => Visibility::PubIn(p.into()),
                None => Visibility::Pub,
            },
        }
    }

    pub fn is_pub(&self) -> bool {
        matches!(self, Visibility::Pub)
    }
}

/// The kind of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Fn,
    Struct,
    Enum,
    Union,
    Trait,
    TypeAlias,
    Const,
    Static,
    Mod,
    MacroRules,
    MacroDef,
    ExternCrate,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Fn => "fn",
            ItemKind::Struct => "struct",
            ItemKind::Enum => "enum",
            ItemKind::Union => "union",
            ItemKind::Trait => "trait",
            ItemKind::TypeAlias => "type",
            ItemKind::Const => "const",
            ItemKind::Static => "static",
            ItemKind::Mod => "mod",
            ItemKind::MacroRules => "macro_rules",
            ItemKind::MacroDef => "macro",
            ItemKind::ExternCrate => "extern crate",
        }
    }
}

/// A named item (including associated items of impls and traits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSummary {
    pub name: SmolStr,
    pub kind: ItemKind,
    pub vis: Visibility,
    /// Inline modules between the file's module and the item (`mod a { mod b { .. } }` -> `[a, b]`).
    pub scope: Scope,
    /// For associated items: the impl's self type (`Client`) and whether the impl is of a trait
    /// (shared by the items of one impl).
    pub owner: Option<Arc<Owner>>,
    pub range: TextRange,
    pub name_range: TextRange,
    pub vis_range: Option<TextRange>,
    /// For fns, consts and statics: the spaces and tabs right after the visibility (`pub fn`
    /// -> 1), which a fix that removes the visibility removes too (0 for other items).
    pub vis_ws: u32,
    /// Parts of the item that are not its interface: a `fn` body, the non-`pub` fields of a
    /// struct or union (the interface is `range` minus these).
    pub hidden_ranges: Box<[TextRange]>,
    /// `#[macro_export]`, `#[cfg(test)]`, `#[test]` and similar facts.
    pub macro_export: bool,
    pub is_test: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub self_ty: SmolStr,
    pub trait_name: Option<SmolStr>,
    /// `true` for items in a `trait` definition (not an impl).
    pub in_trait_def: bool,
}

/// A `mod` declaration (`mod a;`) or inline module (`mod a { }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModDecl {
    pub scope: Scope,
    pub name: SmolStr,
    pub inline: bool,
    /// `#[path = "..."]`.
    pub path_attr: Option<String>,
    pub vis: Visibility,
    pub range: TextRange,
    pub name_range: TextRange,
    pub is_test: bool,
}

/// One leaf of a `use` tree: `use a::{b::c as d, e::*}` gives `a::b::c` (alias `d`) and `a::e::*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseDecl {
    pub scope: Scope,
    pub path: Vec<SmolStr>,
    /// `as name` (`_` included).
    pub alias: Option<SmolStr>,
    pub glob: bool,
    pub vis: Visibility,
    /// The leaf's use tree range.
    pub range: TextRange,
    /// The whole `use` item.
    pub item_range: TextRange,
    pub is_test: bool,
}

/// A path in code outside `use` items. Its scope and segments are read through the file's
/// [`PathTable`] ([`PathTable::scope`], [`PathTable::segments`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRef {
    /// Index into the table's scopes.
    scope: u32,
    /// The segments are `segments[start..start + len]` of the table.
    start: u32,
    len: u32,
    pub range: TextRange,
    pub is_test: bool,
}

impl PathRef {
    /// Index of the path's scope in its table's [`PathTable::scopes`].
    pub fn scope_index(&self) -> usize {
        self.scope as usize
    }

    /// Equal but for the range (the tables compared apart).
    pub fn same_shape(&self, other: &PathRef) -> bool {
        (self.scope, self.start, self.len, self.is_test)
            == (other.scope, other.start, other.len, other.is_test)
    }
}

/// What the paths of one file name. A file writes the same few names over and over (`Some`,
/// `Self`, `io`, its own types): each name is kept once and a path's segments are indices
/// into that list, 4 bytes per segment instead of a `SmolStr` (24) plus a boxed slice per
/// path. Equal tables and equal `PathRef`s mean equal paths (both are built in file order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathTable {
    /// Read by `heap` for the memory figures.
    pub(super) names: Vec<SmolStr>,
    pub(super) segments: Vec<u32>,
    pub(super) scopes: Vec<Scope>,
}

impl PathTable {
    /// The path's segments (`a::b::C` -> `a`, `b`, `C`).
    pub fn segments<'a>(
        &'a self,
        p: &PathRef,
    ) -> impl ExactSizeIterator<Item = &'a SmolStr> + DoubleEndedIterator + Clone + 'a {
        let (start, len) = (p.start as usize, p.len as usize);
        self.segments[start..start + len]
            .iter()
            .map(|&n| &self.names[n as usize])
    }

    /// The inline modules around the path (see [`ItemSummary::scope`]).
    pub fn scope(&self, p: &PathRef) -> &Scope {
        &self.scopes[p.scope as usize]
    }

    /// The table's distinct names: [`PathTable::segment_indices`] index into them.
    pub fn names(&self) -> &[SmolStr] {
        &self.names
    }

    /// The path's segments as indices into [`PathTable::names`] (name resolution maps each
    /// table name once, not each segment of each path).
    pub fn segment_indices(&self, p: &PathRef) -> &[u32] {
        &self.segments[p.start as usize..(p.start + p.len) as usize]
    }

    /// The table's distinct scopes: [`PathRef::scope_index`] indexes into them.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        self.segments.shrink_to_fit();
        self.scopes.shrink_to_fit();
    }
}

/// Builds a file's [`PathTable`] during the file pass.
#[derive(Default)]
pub struct PathTableBuilder {
    table: PathTable,
    /// Name -> its index in the table.
    index: rustc_hash::FxHashMap<SmolStr, u32>,
}

impl PathTableBuilder {
    /// Records a path (its segments as written, its scope) and returns its reference.
    pub fn push<S: AsRef<str>>(
        &mut self,
        scope: &Scope,
        segments: &[S],
        range: TextRange,
        is_test: bool,
    ) -> PathRef {
        let t = &mut self.table;
        // Paths come in file order: the scope is almost always the previous path's.
        let scope_index = match t.scopes.iter().rposition(|s| Arc::ptr_eq(s, scope)) {
            Some(i) => i,
            None => {
                t.scopes.push(scope.clone());
                t.scopes.len() - 1
            }
        };
        let start = t.segments.len();
        for seg in segments {
            let seg = seg.as_ref();
            let n = match self.index.get(seg) {
                Some(&n) => n,
                None => {
                    let n = t.names.len() as u32;
                    let name = SmolStr::new(seg);
                    t.names.push(name.clone());
                    self.index.insert(name, n);
                    n
                }
            };
            t.segments.push(n);
        }
        PathRef {
            scope: scope_index as u32,
            start: start as u32,
            len: segments.len() as u32,
            range,
            is_test,
        }
    }

    /// The finished table, without growth slack.
    pub fn finish(self) -> PathTable {
        let mut table = self.table;
        table.shrink_to_fit();
        table
    }
}

/// Everything the workspace-level rules and the finalisation step need of one file.
#[derive(Debug, Clone, Default)]
pub struct FileSummary {
    pub items: Vec<ItemSummary>,
    pub mods: Vec<ModDecl>,
    pub uses: Vec<UseDecl>,
    pub paths: Vec<PathRef>,
    /// The names and scopes of `paths`.
    pub path_table: PathTable,
    /// Identifiers that appear inside macro invocations' token trees (the model cannot resolve
    /// them, so rules that need every use stay quiet about these names).
    pub macro_idents: Vec<SmolStr>,
    /// Ranges of `#[cfg(test)]` items and `#[test]` functions.
    pub test_ranges: Vec<TextRange>,
    pub suppressions: Vec<Suppression>,
    pub line_index: Option<LineIndex>,
    /// ERROR nodes the parser left (not the validation errors: computing those is a second
    /// walk over the tree).
    pub syntax_errors: usize,
    /// Rule-specific facts, keyed by rule id, as compact strings/ranges the rule defines.
    pub facts: Vec<Fact>,
}

impl FileSummary {
    /// A deep copy that shares no allocation with `self`: every string and every shared
    /// scope or owner is allocated anew (in the heap in force, see `memory::in_heap`), the
    /// sharing between entries kept. A clone would only count references to `self`'s
    /// strings, scopes and owners, and the summary is built in the tree region, whose chunks
    /// are reused only once every block in them is freed.
    pub fn detach(&self) -> FileSummary {
        let mut d = Detacher::default();
        FileSummary {
            items: self.items.iter().map(|i| d.item(i)).collect(),
            mods: (self.mods.iter())
                .map(|m| ModDecl {
                    scope: d.scope(&m.scope),
                    name: Detacher::str(&m.name),
                    inline: m.inline,
                    path_attr: m.path_attr.clone(),
                    vis: m.vis.clone(),
                    range: m.range,
                    name_range: m.name_range,
                    is_test: m.is_test,
                })
                .collect(),
            uses: (self.uses.iter())
                .map(|u| UseDecl {
                    scope: d.scope(&u.scope),
                    path: u.path.iter().map(Detacher::str).collect(),
                    alias: u.alias.as_ref().map(Detacher::str),
                    glob: u.glob,
                    vis: u.vis.clone(),
                    range: u.range,
                    item_range: u.item_range,
                    is_test: u.is_test,
                })
                .collect(),
            paths: self.paths.clone(),
            path_table: PathTable {
                names: self.path_table.names.iter().map(Detacher::str).collect(),
                segments: self.path_table.segments.clone(),
                scopes: (self.path_table.scopes.iter())
                    .map(|s| d.scope(s))
                    .collect(),
            },
            macro_idents: self.macro_idents.iter().map(Detacher::str).collect(),
            test_ranges: self.test_ranges.clone(),
            // Line numbers and owned strings only.
            suppressions: self.suppressions.clone(),
            line_index: self.line_index.clone(),
            syntax_errors: self.syntax_errors,
            facts: (self.facts.iter())
                .map(|f| Fact {
                    rule: f.rule,
                    kind: f.kind,
                    name: Detacher::str(&f.name),
                    detail: f.detail.clone(),
                    range: f.range,
                })
                .collect(),
        }
    }
}

/// The copies [`FileSummary::detach`] made of shared scopes and owners, by the address of the
/// original (entries come in file order: almost always the previous one's).
#[derive(Default)]
struct Detacher {
    scopes: Vec<(*const SmolStr, Scope)>,
    owners: Vec<(*const Owner, Arc<Owner>)>,
}

impl Detacher {
    fn str(s: &SmolStr) -> SmolStr {
        SmolStr::new(s.as_str())
    }

    fn scope(&mut self, s: &Scope) -> Scope {
        let key = s.as_ptr();
        if let Some((_, copy)) = self.scopes.iter().rev().find(|(k, _)| *k == key) {
            return copy.clone();
        }
        let copy: Scope = s.iter().map(Detacher::str).collect();
        self.scopes.push((key, copy.clone()));
        copy
    }

    fn owner(&mut self, o: &Arc<Owner>) -> Arc<Owner> {
        let key = Arc::as_ptr(o);
        if let Some((_, copy)) = self.owners.iter().rev().find(|(k, _)| *k == key) {
            return copy.clone();
        }
        let copy = Arc::new(Owner {
            self_ty: Detacher::str(&o.self_ty),
            trait_name: o.trait_name.as_ref().map(Detacher::str),
            in_trait_def: o.in_trait_def,
        });
        self.owners.push((key, copy.clone()));
        copy
    }

    fn item(&mut self, i: &ItemSummary) -> ItemSummary {
        ItemSummary {
            name: Detacher::str(&i.name),
            kind: i.kind,
            vis: i.vis.clone(),
            scope: self.scope(&i.scope),
            owner: i.owner.as_ref().map(|o| self.owner(o)),
            range: i.range,
            name_range: i.name_range,
            vis_range: i.vis_range,
            vis_ws: i.vis_ws,
            hidden_ranges: i.hidden_ranges.clone(),
            macro_export: i.macro_export,
            is_test: i.is_test,
        }
    }
}

/// A rule-specific fact recorded during the file pass for a workspace-level check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub rule: &'static str,
    // boundary: allow(stringly-state) (each rule defines its own fact kinds)
    pub kind: &'static str,
    pub name: SmolStr,
    /// Exact size (no growth slack): a workspace holds hundreds of thousands of facts.
    pub detail: Box<str>,
    pub range: TextRange,
}

impl PartialEq for FileSummary {
    fn eq(&self, other: &Self) -> bool {
        // What the workspace-level rules depend on (ranges included: findings carry them).
        self.items == other.items
            && self.mods == other.mods
            && self.uses == other.uses
            && self.paths == other.paths
            && self.path_table == other.path_table
            && self.macro_idents == other.macro_idents
            && self.facts == other.facts
    }
}

impl FileSummary {
    pub fn is_test_range(&self, range: TextRange) -> bool {
        self.test_ranges.iter().any(|t| t.contains_range(range))
    }
}

/// `true` for `#[test]`, `#[cfg(test)]`, `#[tokio::test]`-style attributes.
pub fn is_test_attr(attrs: &impl HasAttrs) -> bool {
    // Most items have no attribute: found out without building their children.
    if !super::syntax::has_child_kind(attrs.syntax(), SyntaxKind::ATTR) {
        return false;
    }
    attrs.attrs().any(|a| {
        let Some(meta) = a.meta() else { return false };
        // The attribute's path first (read from the green tree): this runs for every item.
        // `cfg(..)` has its own meta kind, without a path.
        let Some(path) = meta.path() else {
            return super::syntax::text_without_whitespace_is(meta.syntax(), "cfg(test)");
        };
        let segs = super::syntax::path_segments_smol(&path);
        match segs.last().map(SmolStr::as_str) {
            // `#[test]`, `#[tokio::test]`, `#[tokio::test(flavor = ..)]`
            Some("test") => true,
            Some("cfg") if segs.len() == 1 => {
                super::syntax::text_without_whitespace_is(meta.syntax(), "cfg(test)")
            }
            _ => false,
        }
    })
}

/// The `#[path = "..."]` attribute of a module.
pub fn path_attr(m: &ast::Module) -> Option<String> {
    m.attrs().find_map(|a| {
        let ast::Meta::KeyValueMeta(meta) = a.meta()? else {
            return None;
        };
        if meta.path()?.syntax().text() != "path" {
            return None;
        }
        let expr = meta.expr()?;
        let s = expr.syntax().text().to_string();
        Some(s.trim().trim_matches('"').to_string())
    })
}

pub fn has_attr(attrs: &impl HasAttrs, name: &str) -> bool {
    if !super::syntax::has_child_kind(attrs.syntax(), SyntaxKind::ATTR) {
        return false;
    }
    attrs.attrs().any(|a| {
        a.meta().and_then(|m| m.path()).is_some_and(|p| {
            let segs = super::syntax::path_segments_smol(&p);
            match segs.as_slice() {
                [one] => one == name,
                _ => name.contains("::") && segs.join("::") == name,
            }
        })
    })
}

pub fn name_of(n: &impl HasName) -> Option<(SmolStr, TextRange)> {
    let name = n.name()?;
    Some((SmolStr::new(name.text()), name.syntax().text_range()))
}
