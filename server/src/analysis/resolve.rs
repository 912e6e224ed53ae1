//! Syntactic name resolution over the workspace model (file summaries only, no trees).
//!
//! Builds each crate's module tree from the files' `mod` declarations (inline modules
//! included), resolves `use` paths (renames, globs, `self`/`super`/`crate`, other workspace
//! crates) and code paths to the items they name, and computes:
//!
//! - per crate target, which items are **reachable** from the crate's public API, with the
//!   semantics of rustc's effective visibilities: a public path from the crate root through `pub`
//!   modules and `pub use` chains (including glob re-exports), plus items named in the
//!   signatures of reachable items (a `pub` type returned by a public function is reachable
//!   even in a private module), plus `pub` methods of reachable types;
//! - per item, the modules and crates of the workspace that reference it;
//! - where the model cannot decide (a name mentioned inside a macro invocation or a
//!   `macro_rules!` body, a glob import it cannot expand), [`Reach::Unknown`] / `unknown` so
//!   rules stay quiet.
//!
//! Pure: a function of the [`Workspace`].

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

// Fx hashing: the resolver hashes small integer keys and short names millions of times on a
// large workspace (SipHash was a quarter of its time).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::model::{FileSummary, ItemKind, ItemSummary, UseDecl, Visibility};
use super::syntax::{SmolStr, TextRange};
use super::workspace::{TargetKind, Workspace};

/// An item of the workspace: (file index, index into the file summary's `items`).
pub type ItemRef = (usize, usize);
/// A `use` leaf of the workspace: (file index, index into the file summary's `uses`).
pub type UseRef = (usize, usize);
/// Index into [`Resolution::modules`].
pub type ModId = usize;

/// Whether an item or re-export can be named from outside its crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Part of the crate's public API (or of the signature of something that is).
    Public,
    /// Not nameable from outside the crate.
    Private,
    /// The model cannot tell (macros, unexpandable globs).
    Unknown,
}

/// One crate target (a lib, a bin, ...).
#[derive(Debug, Clone)]
pub struct CrateInfo {
    pub package: usize,
    pub target: usize,
    pub kind: TargetKind,
    /// The name code uses for the crate (`my_crate`).
    pub name: String,
    pub root: ModId,
    /// A glob re-export in the public API could not be expanded, or the crate's files mention
    /// names in macros: reachability of every item is uncertain.
    pub uncertain: bool,
}

/// One module of one crate.
#[derive(Debug, Clone)]
pub struct Module {
    pub krate: usize,
    /// `["crate", "a", "b"]`.
    pub path: Vec<SmolStr>,
    pub parent: Option<ModId>,
    /// The file holding the module's items, and the inline-module scope inside it.
    pub file: Option<usize>,
    pub scope: Vec<SmolStr>,
    /// Visibility of the `mod` declaration (`Pub` for the crate root).
    pub vis: Visibility,
    /// The `mod` declaration: (file, name range).
    pub decl: Option<(usize, TextRange)>,
    pub is_test: bool,
    pub children: HashMap<SmolStr, ModId>,
    /// Module-level items (not associated items).
    pub items: Vec<ItemRef>,
    /// Inherent/trait impl members and trait items whose owner is declared here.
    pub assoc: Vec<ItemRef>,
    pub uses: Vec<UseRef>,
    /// The glob `uses` (the others are in [`Index::entries`] by the name they bind).
    globs: Vec<UseRef>,
}

/// What a path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Res {
    Module(ModId),
    Items(Vec<ItemRef>),
    /// Something outside the workspace (std, a dependency).
    External,
    /// The model cannot tell.
    Unknown,
}

/// The result of resolving a workspace.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub crates: Vec<CrateInfo>,
    pub modules: Vec<Module>,
    /// The module of each item of each reached file (module-level and associated items).
    pub item_module: HashMap<ItemRef, ModId>,
    /// Modules nameable from outside their crate (a public path of `pub` modules or a re-export).
    pub exported: Vec<bool>,
    /// Reachability of items (associated items of inherent impls included).
    pub item_reach: HashMap<ItemRef, Reach>,
    /// Reachability of `use` leaves (a `pub use` in a private module is unreachable).
    pub use_reach: HashMap<UseRef, Reach>,
    /// The module of each `use` leaf.
    pub use_module: HashMap<UseRef, ModId>,
    /// Modules that name the item in a `use` or a path (the item's own module included when
    /// it refers to it by path).
    pub used_in: HashMap<ItemRef, BTreeSet<ModId>>,
    /// Modules that glob-import the item's module (`use super::*`): they may use the item
    /// without naming it anywhere the model sees.
    pub glob_users: HashMap<ItemRef, BTreeSet<ModId>>,
    /// Names mentioned in macro invocations or `macro_rules!` bodies, per crate.
    pub macro_names: Vec<HashSet<SmolStr>>,
    /// Names mentioned in macros anywhere in the workspace.
    pub all_macro_names: HashSet<SmolStr>,
    /// A resolution ran out of its step budget ([`QUERY_BUDGET`], [`TOTAL_BUDGET`]): some names
    /// were left unknown, so usages may be missing. Every crate is then `uncertain`, no item or
    /// `use` is `Private` (they are `Unknown`) and no narrower visibility is suggested.
    pub incomplete: bool,
    /// The modules' names, interned, for lookups, with the `use` paths by file position and
    /// the lib roots: valid for the [`Workspace`] this resolution was built from only (another
    /// one can index out of bounds).
    index: Index,
}

impl Resolution {
    /// The crate of an item (the first crate target whose module tree reaches its file).
    pub fn crate_of(&self, item: ItemRef) -> Option<usize> {
        self.item_module.get(&item).map(|&m| self.modules[m].krate)
    }

    pub fn reach(&self, item: ItemRef) -> Reach {
        self.item_reach
            .get(&item)
            .copied()
            .unwrap_or(Reach::Unknown)
    }

    /// `true` when `m` is `ancestor` or inside it.
    pub fn is_within(&self, mut m: ModId, ancestor: ModId) -> bool {
        loop {
            if m == ancestor {
                return true;
            }
            match self.modules[m].parent {
                Some(p) => m = p,
                None => return false,
            }
        }
    }

    /// `true` when the item's name appears in a macro anywhere in the workspace, so a use of it
    /// may be invisible to the model.
    pub fn mentioned_in_macro(&self, ws: &Workspace, item: ItemRef) -> bool {
        let it = &ws.files[item.0].summary.items[item.1];
        self.all_macro_names.contains(&it.name)
    }
}

/// The usage of one `pub`/`pub(crate)` item, for a code lens such as
/// "used in 3 modules · 0 other crates · could be pub(crate)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageLens {
    /// Workspace-relative file of the item.
    pub file: String,
    /// The item's name range (where a lens goes).
    pub range: TextRange,
    pub name: SmolStr,
    /// Modules of the item's own crate, other than its own module, that name it.
    pub modules: usize,
    /// Other crates of the workspace that name it.
    pub other_crates: usize,
    /// A narrower visibility the model suggests (`"pub(crate)"`, `"pub(super)"`, `"private"`),
    /// when it is sure.
    pub could_be: Option<&'static str>,
    /// Names in macros may hide uses: the counts are lower bounds.
    pub uncertain: bool,
}

impl UsageLens {
    /// `used in 3 modules · 0 other crates · could be pub(crate)`.
    pub fn label(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "used in {}{} · {}",
            plural(self.modules, "module", "modules"),
            if self.uncertain { "+" } else { "" },
            plural(self.other_crates, "other crate", "other crates")
        );
        if let Some(c) = self.could_be {
            s.push_str(" · could be ");
            s.push_str(c);
        }
        s
    }
}

/// Per `pub`/`pub(crate)` module-level item of the workspace (test code excluded), how many
/// modules and crates use it and whether a narrower visibility would do. This is the data of
/// the "used in N modules · M other crates · could be pub(crate)" code lens: a pure function
/// of the workspace model, for the LSP server to call (after [`resolve`]).
pub fn usage_lenses(ws: &Workspace, res: &Resolution) -> Vec<UsageLens> {
    let mut out = Vec::new();
    for (&item, &m) in &res.item_module {
        let file = &ws.files[item.0];
        let it = &file.summary.items[item.1];
        if it.is_test || it.owner.is_some() || res.modules[m].is_test || it.kind == ItemKind::Mod {
            continue;
        }
        if !matches!(it.vis, Visibility::Pub | Visibility::PubCrate) {
            continue;
        }
        let krate = res.modules[m].krate;
        let users = res.used_in.get(&item);
        let modules = users.map_or(0, |u| {
            u.iter()
                .filter(|&&u| u != m && res.modules[u].krate == krate)
                .count()
        });
        let other_crates = users.map_or(0, |u| {
            u.iter()
                .map(|&u| res.crates[res.modules[u].krate].package)
                .filter(|&p| p != res.crates[krate].package)
                .collect::<BTreeSet<_>>()
                .len()
        });
        let uncertain = res.incomplete || res.mentioned_in_macro(ws, item);
        let could_be = if uncertain {
            None
        } else {
            narrower_visibility(ws, res, item).map(|n| n.as_str())
        };
        out.push(UsageLens {
            file: file.meta.rel_path.clone(),
            range: it.name_range,
            name: it.name.clone(),
            modules,
            other_crates,
            could_be,
            uncertain,
        });
    }
    out.sort_by(|a, b| (&a.file, a.range.start()).cmp(&(&b.file, b.range.start())));
    out
}

/// A narrower visibility that keeps every use the model sees compiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narrower {
    PubCrate,
    PubSuper,
    Private,
}

impl Narrower {
    pub fn as_str(self) -> &'static str {
        match self {
            Narrower::PubCrate => "pub(crate)",
            Narrower::PubSuper => "pub(super)",
            Narrower::Private => "private",
        }
    }
}

/// The narrowest visibility every visible use of `item` allows, when it is narrower than the
/// item's own. `None` when the model cannot be sure (uses in macros, uses from other crates,
/// glob imports it cannot see through, items of other kinds than fn/const/static/type).
pub fn narrower_visibility(ws: &Workspace, res: &Resolution, item: ItemRef) -> Option<Narrower> {
    let it = &ws.files[item.0].summary.items[item.1];
    let &m = res.item_module.get(&item)?;
    if res.incomplete || it.owner.is_some() || it.is_test || res.mentioned_in_macro(ws, item) {
        return None;
    }
    let krate = res.modules[m].krate;
    // Edition 2015 `use` paths start at the crate root (`use util;` in `cmd/cat.rs`), which
    // the model does not follow: uses would be missed (found on xsv 0.13).
    if ws.packages[res.crates[krate].package].edition == super::syntax::Edition::E2015 {
        return None;
    }
    let reach = res.reach(item);
    match it.vis {
        Visibility::Pub if reach == Reach::Private => {}
        Visibility::Pub => return None,
        Visibility::PubCrate => {}
        _ => return None,
    }
    let mut users: BTreeSet<ModId> = res.used_in.get(&item).cloned().unwrap_or_default();
    users.extend(res.glob_users.get(&item).into_iter().flatten().copied());
    if users.iter().any(|&u| res.modules[u].krate != krate) {
        return None;
    }
    if users.iter().all(|&u| res.is_within(u, m)) {
        return Some(Narrower::Private);
    }
    let parent = res.modules[m].parent?;
    if users.iter().all(|&u| res.is_within(u, parent)) {
        // `pub(super)` at the crate root's children is `pub(crate)`: nothing gained.
        if res.modules[parent].parent.is_none() && it.vis == Visibility::PubCrate {
            return None;
        }
        if res.modules[parent].parent.is_none() {
            return Some(Narrower::PubCrate);
        }
        return Some(Narrower::PubSuper);
    }
    if it.vis == Visibility::Pub {
        return Some(Narrower::PubCrate);
    }
    None
}

const MAX_DEPTH: usize = 32;

/// Lookups one resolution (of a `use`, a path or a name, from outside the resolver) may make
/// before it gives up with [`Res::Unknown`]. The search is recursive through globs and `use`
/// chains, and some inputs could make it combinatorial; real code needs far fewer (at most 8
/// on tokio, syn, clap_builder and regex-automata, measured 2026-12-07).
const QUERY_BUDGET: u32 = 20_000;
/// Lookups the whole workspace pass may make: past it, every resolution is unknown.
const TOTAL_BUDGET: u64 = 50_000_000;

/// Resolves the whole workspace.
pub fn resolve(ws: &Workspace) -> Resolution {
    resolve_within(ws, QUERY_BUDGET, TOTAL_BUDGET)
}

/// [`resolve`] with other step budgets (tests).
fn resolve_within(ws: &Workspace, query_budget: u32, total_budget: u64) -> Resolution {
    let mut r = Resolution::default();
    // Independent parts, at once: the module tree on one side; the `use` paths' names, the
    // macro names and the files' layout on the other.
    let ((), (ix, ((macro_names, crate_macro_names), layout))) = rayon::join(
        || build_modules(ws, &mut r),
        || {
            rayon::join(
                || intern_use_paths(ws),
                || {
                    rayon::join(
                        || rayon::join(|| all_macro_names(ws), || crate_macro_names(ws)),
                        || file_layout(ws),
                    )
                },
            )
        },
    );
    r.all_macro_names = macro_names;
    // Numbered as `build_modules` numbers the crates: one per target, package by package.
    debug_assert_eq!(crate_macro_names.len(), r.crates.len());
    r.macro_names = crate_macro_names;
    r.index = build_index(ws, &mut r, ix);
    let (paths, fresh) = path_names(ws, &r.index);
    let cache = UseCache::Dense(vec![None; r.index.use_paths.len()]);
    let mut cx = Resolver::new(ws, &r, fresh, cache, query_budget, total_budget);
    let (exported, reach, use_reach, uncertain) = reachability(&mut cx, &paths, &layout);
    let (used_in, glob_users) = usages(&mut cx, &paths);
    let incomplete = cx.budget.exhausted.get();
    r.exported = exported;
    r.item_reach = reach;
    r.use_reach = use_reach;
    r.used_in = used_in;
    r.glob_users = glob_users;
    for (k, u) in uncertain.into_iter().enumerate() {
        r.crates[k].uncertain |= u || incomplete;
    }
    if incomplete {
        // Precision first: a name left unknown may hide a re-export or a use of anything.
        r.incomplete = true;
        for v in r.item_reach.values_mut().chain(r.use_reach.values_mut()) {
            if *v == Reach::Private {
                *v = Reach::Unknown;
            }
        }
    }
    r
}

/// Per file, where its bodies are and whether its paths are in order (for [`reachability`]).
struct FileLayout {
    /// The outermost bodies (ranges nest or are disjoint), sorted: a path is inside some body
    /// when it is inside the last one starting at or before it.
    bodies: Vec<Vec<TextRange>>,
    /// The engine records paths in tree order; an item's paths are then one slice.
    paths_sorted: Vec<bool>,
}

#[inline(never)]
fn file_layout(ws: &Workspace) -> FileLayout {
    use rayon::prelude::*;
    let (bodies, paths_sorted) = ws
        .files
        .par_iter()
        .map(|f| {
            let mut all: Vec<TextRange> = f
                .summary
                .items
                .iter()
                .flat_map(|x| x.hidden_ranges.iter().copied())
                .collect();
            all.sort_by_key(|b| (b.start(), std::cmp::Reverse(b.end())));
            let mut outer: Vec<TextRange> = Vec::with_capacity(all.len());
            for b in all {
                if !outer.last().is_some_and(|o| o.contains_range(b)) {
                    outer.push(b);
                }
            }
            let sorted = f.summary.paths.is_sorted_by_key(|p| p.range.start());
            (outer, sorted)
        })
        .unzip();
    FileLayout {
        bodies,
        paths_sorted,
    }
}

/// Per crate target (numbered as [`build_modules`] does: package by package, target by
/// target), the names mentioned in macros in its files.
#[inline(never)]
fn crate_macro_names(ws: &Workspace) -> Vec<HashSet<SmolStr>> {
    let mut first = Vec::with_capacity(ws.packages.len());
    let mut n = 0;
    for p in &ws.packages {
        first.push(n);
        n += p.targets.len();
    }
    let mut files: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (fi, f) in ws.files.iter().enumerate() {
        for &(pi, ti) in &f.targets {
            if ws.packages.get(pi).is_some_and(|p| ti < p.targets.len()) {
                files[first[pi] + ti].push(fi);
            }
        }
    }
    files
        .iter()
        .map(|fs| {
            let total = fs
                .iter()
                .map(|&fi| ws.files[fi].summary.macro_idents.len())
                .sum();
            let mut names = HashSet::with_capacity_and_hasher(total, Default::default());
            for &fi in fs {
                names.extend(ws.files[fi].summary.macro_idents.iter().cloned());
            }
            names
        })
        .collect()
}

#[inline(never)]
fn all_macro_names(ws: &Workspace) -> HashSet<SmolStr> {
    let total = ws.files.iter().map(|f| f.summary.macro_idents.len()).sum();
    let mut names = HashSet::with_capacity_and_hasher(total, Default::default());
    for f in &ws.files {
        names.extend(f.summary.macro_idents.iter().cloned());
    }
    names
}

/// Per file, the names of its path table as [`Name`]s, and the first name past them. A name
/// the index does not know (no module declares or imports it) gets an id of its own per file:
/// the paths of one file are resolved together, and their lookups of such a name only ever
/// meet that file's names and the index's.
#[inline(never)]
fn path_names(ws: &Workspace, ix: &Index) -> (Vec<Vec<Name>>, Name) {
    use rayon::prelude::*;
    let mut bases = Vec::with_capacity(ws.files.len());
    let mut next = ix.names.len() as Name;
    for f in &ws.files {
        bases.push(next);
        next += f.summary.path_table.names().len() as Name;
    }
    let names = ws
        .files
        .par_iter()
        .zip(bases.par_iter())
        .map(|(f, &base)| {
            f.summary
                .path_table
                .names()
                .iter()
                .enumerate()
                .map(|(i, s)| ix.name(s).unwrap_or(base + i as Name))
                .collect()
        })
        .collect();
    (names, next)
}

#[inline(never)]
fn build_modules(ws: &Workspace, r: &mut Resolution) {
    let mut by_path: HashMap<(usize, Vec<SmolStr>), ModId> = HashMap::default();
    for (pi, p) in ws.packages.iter().enumerate() {
        for (ti, t) in p.targets.iter().enumerate() {
            let k = r.crates.len();
            let root = r.modules.len();
            r.modules.push(Module {
                krate: k,
                path: vec![SmolStr::new_static("crate")],
                parent: None,
                file: ws.by_path.get(&t.root).copied(),
                scope: Vec::new(),
                vis: Visibility::Pub,
                decl: None,
                is_test: false,
                children: HashMap::default(),
                items: Vec::new(),
                assoc: Vec::new(),
                uses: Vec::new(),
                globs: Vec::new(),
            });
            by_path.insert((k, vec![SmolStr::new_static("crate")]), root);
            r.crates.push(CrateInfo {
                package: pi,
                target: ti,
                kind: t.kind,
                name: if t.kind == TargetKind::Lib {
                    p.crate_name()
                } else {
                    t.name.replace('-', "_")
                },
                root,
                uncertain: false,
            });
        }
    }
    let crate_index: HashMap<(usize, usize), usize> = r
        .crates
        .iter()
        .enumerate()
        .map(|(k, c)| ((c.package, c.target), k))
        .collect();
    // Modules from `mod` declarations, parents before children (sorted by depth).
    let mut decls: Vec<(usize, Vec<SmolStr>, usize, usize)> = Vec::new();
    for (fi, f) in ws.files.iter().enumerate() {
        for t in &f.targets {
            let Some(&k) = crate_index.get(t) else {
                continue;
            };
            for (di, d) in f.summary.mods.iter().enumerate() {
                let mut path = f.module_of_scope(&d.scope);
                path.push(d.name.clone());
                decls.push((k, path, fi, di));
            }
        }
    }
    decls.sort_by_key(|d| d.1.len());
    // The file of each (crate target, module path): one pass, not a scan per `mod`.
    let mut file_of: HashMap<((usize, usize), &[SmolStr]), usize> = HashMap::default();
    for (fi, f) in ws.files.iter().enumerate() {
        for t in &f.targets {
            file_of.entry((*t, f.module_path.as_slice())).or_insert(fi);
        }
    }
    for (k, path, fi, di) in decls {
        let d = &ws.files[fi].summary.mods[di];
        let parent_path = path[..path.len() - 1].to_vec();
        let Some(&parent) = by_path.get(&(k, parent_path)) else {
            continue;
        };
        if by_path.contains_key(&(k, path.clone())) {
            continue;
        }
        let file = if d.inline {
            Some(fi)
        } else {
            file_of
                .get(&((r.crates[k].package, r.crates[k].target), path.as_slice()))
                .copied()
        };
        let mut scope = d.scope.to_vec();
        if d.inline {
            scope.push(d.name.clone());
        } else {
            scope.clear();
        }
        let id = r.modules.len();
        let is_test = d.is_test || r.modules[parent].is_test;
        r.modules.push(Module {
            krate: k,
            path: path.clone(),
            parent: Some(parent),
            file,
            scope,
            vis: d.vis.clone(),
            decl: Some((fi, d.name_range)),
            is_test,
            children: HashMap::default(),
            items: Vec::new(),
            assoc: Vec::new(),
            uses: Vec::new(),
            globs: Vec::new(),
        });
        r.modules[parent].children.insert(d.name.clone(), id);
        by_path.insert((k, path), id);
    }
    // Items and uses into their modules.
    let mut by_file_scope: HashMap<(usize, Vec<SmolStr>), Vec<ModId>> = HashMap::default();
    for (id, m) in r.modules.iter().enumerate() {
        if let Some(f) = m.file {
            by_file_scope
                .entry((f, m.scope.clone()))
                .or_default()
                .push(id);
        }
    }
    r.item_module
        .reserve(ws.files.iter().map(|f| f.summary.items.len()).sum());
    r.use_module
        .reserve(ws.files.iter().map(|f| f.summary.uses.len()).sum());
    for ((fi, scope), mods) in by_file_scope {
        let s = &ws.files[fi].summary;
        for &id in &mods {
            for (ii, it) in s.items.iter().enumerate() {
                if *it.scope != *scope {
                    continue;
                }
                if it.owner.is_some() {
                    r.modules[id].assoc.push((fi, ii));
                } else if it.kind != ItemKind::Mod {
                    r.modules[id].items.push((fi, ii));
                }
                r.item_module.entry((fi, ii)).or_insert(id);
            }
            for (ui, u) in s.uses.iter().enumerate() {
                if *u.scope == *scope {
                    r.modules[id].uses.push((fi, ui));
                    r.use_module.entry((fi, ui)).or_insert(id);
                }
            }
        }
    }
}

/// Interns the keywords and the names of every `use` path, and numbers the `use` leaves.
#[inline(never)]
fn intern_use_paths(ws: &Workspace) -> Index {
    let mut ix = Index::default();
    for k in KEYWORDS {
        ix.intern(&SmolStr::new_static(k));
    }
    let total_uses = ws.files.iter().map(|f| f.summary.uses.len()).sum();
    ix.use_base.reserve(ws.files.len());
    ix.use_paths.reserve(total_uses);
    let mut base = 0u32;
    for f in &ws.files {
        ix.use_base.push(base);
        base += f.summary.uses.len() as u32;
        for u in &f.summary.uses {
            let start = ix.use_path_names.len() as u32;
            for seg in &u.path {
                let n = ix.intern(seg);
                ix.use_path_names.push(n);
            }
            ix.use_paths.push((start, u.path.len() as u32));
        }
    }
    ix
}

/// Adds the names the modules declare and import to `ix` (from [`intern_use_paths`]), and
/// indexes the modules' names.
#[inline(never)]
fn build_index(ws: &Workspace, r: &mut Resolution, mut ix: Index) -> Index {
    // One entry per (module, name); its items and `use` leaves counted, then placed in
    // declaration order.
    fn entry_of(ix: &mut Index, key: (u32, Name)) -> usize {
        let next = ix.entry_list.len() as u32;
        let e = *ix.entries.entry(key).or_insert(next);
        if e == next {
            ix.entry_list.push(Entry::EMPTY);
        }
        e as usize
    }
    let mut items: Vec<(u32, ItemRef)> = Vec::new();
    let mut uses: Vec<(u32, UseRef)> = Vec::new();
    for (id, m) in r.modules.iter_mut().enumerate() {
        let id = id as u32;
        for (name, &c) in &m.children {
            let n = ix.intern(name);
            let e = entry_of(&mut ix, (id, n));
            ix.entry_list[e].child = c as u32;
        }
        for &(fi, ii) in &m.items {
            let n = ix.intern(&ws.files[fi].summary.items[ii].name);
            let e = entry_of(&mut ix, (id, n));
            ix.entry_list[e].items.1 += 1;
            items.push((e as u32, (fi, ii)));
        }
        for &(fi, ui) in &m.uses {
            let u = &ws.files[fi].summary.uses[ui];
            if u.glob {
                m.globs.push((fi, ui));
            } else if let Some(name) = use_binding(u) {
                let n = ix.intern(&name);
                let e = entry_of(&mut ix, (id, n));
                ix.entry_list[e].uses.1 += 1;
                uses.push((e as u32, (fi, ui)));
            }
        }
    }
    // Starts from the counts; the lengths count up again as the lists fill.
    let (mut at_item, mut at_use) = (0, 0);
    for e in &mut ix.entry_list {
        let (n_items, n_uses) = (e.items.1, e.uses.1);
        e.items = (at_item, 0);
        e.uses = (at_use, 0);
        at_item += n_items;
        at_use += n_uses;
    }
    ix.item_lists = vec![(0, 0); items.len()];
    for (e, i) in items {
        let list = &mut ix.entry_list[e as usize].items;
        ix.item_lists[(list.0 + list.1) as usize] = i;
        list.1 += 1;
    }
    ix.use_lists = vec![(0, 0); uses.len()];
    for (e, u) in uses {
        let list = &mut ix.entry_list[e as usize].uses;
        ix.use_lists[(list.0 + list.1) as usize] = u;
        list.1 += 1;
    }
    for c in &r.crates {
        if c.kind == TargetKind::Lib {
            let n = ix.intern(&SmolStr::new(ws.packages[c.package].crate_name()));
            ix.lib_roots.insert(n, c.root);
        }
    }
    ix
}

/// The name a non-glob `use` leaf binds (`a::b` -> `b`, `a::b as c` -> `c`, `a::{self}` -> `a`).
pub fn use_binding(u: &UseDecl) -> Option<SmolStr> {
    if u.glob {
        return None;
    }
    if let Some(a) = &u.alias {
        return (a != "_").then(|| a.clone());
    }
    let last = u.path.last()?;
    if last == "self" {
        return u.path.iter().rev().nth(1).cloned();
    }
    Some(last.clone())
}

/// An interned name: the index's id of a name, or an id of a name no module declares (see
/// [`path_names`], [`Resolver::name`]).
type Name = u32;
const CRATE: Name = 0;
const SELF: Name = 1;
const SUPER: Name = 2;
const SELF_TYPE: Name = 3;
/// Interned first, in this order: their ids are the constants above.
const KEYWORDS: [&str; 4] = ["crate", "self", "super", "Self"];

/// What one module declares or imports under one name.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The child module, or [`Entry::NO_CHILD`].
    child: u32,
    /// (start, len) in [`Index::item_lists`]: the module-level items, in declaration order.
    items: (u32, u32),
    /// (start, len) in [`Index::use_lists`]: the non-glob `use` leaves binding the name, in
    /// declaration order.
    uses: (u32, u32),
}

impl Entry {
    const NO_CHILD: u32 = u32::MAX;
    const EMPTY: Entry = Entry {
        child: Entry::NO_CHILD,
        items: (0, 0),
        uses: (0, 0),
    };
}

/// The modules' names, interned: a lookup is one probe of a small integer key, not a hash of
/// the name per module map.
#[derive(Debug, Clone, Default)]
struct Index {
    names: HashMap<SmolStr, Name>,
    /// (module, name) -> what the module has under the name, an index into `entry_list`.
    entries: HashMap<(u32, Name), u32>,
    entry_list: Vec<Entry>,
    item_lists: Vec<ItemRef>,
    use_lists: Vec<UseRef>,
    /// Per file, the global index of its first `use` leaf.
    use_base: Vec<u32>,
    /// Per global `use` index, its path as (start, len) in `use_path_names`.
    use_paths: Vec<(u32, u32)>,
    use_path_names: Vec<Name>,
    /// Library crates by the name code uses for them.
    lib_roots: HashMap<Name, ModId>,
}

impl Index {
    fn intern(&mut self, s: &SmolStr) -> Name {
        if let Some(&n) = self.names.get(s.as_str()) {
            return n;
        }
        let n = self.names.len() as Name;
        self.names.insert(s.clone(), n);
        n
    }

    fn name(&self, s: &str) -> Option<Name> {
        self.names.get(s).copied()
    }

    fn use_index(&self, u: UseRef) -> u32 {
        self.use_base[u.0] + u.1 as u32
    }

    fn use_path(&self, u: UseRef) -> &[Name] {
        let (start, len) = self.use_paths[self.use_index(u) as usize];
        &self.use_path_names[start as usize..(start + len) as usize]
    }
}

/// A list of items a resolution found: (start, len) in [`Index::item_lists`], or with
/// [`ItemList::ARENA`] set in `start`, in the resolver's arena (a visible subset of a list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ItemList {
    start: u32,
    len: u32,
}

impl ItemList {
    const ARENA: u32 = 1 << 31;
}

/// [`Res`] inside the resolver: copied, never allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum R {
    Module(ModId),
    Items(ItemList),
    External,
    Unknown,
}

/// Resolved `use` leaves by global index: dense for the whole-workspace pass, sparse for the
/// one-query resolvers of the rules (they touch few).
enum UseCache {
    Dense(Vec<Option<R>>),
    Sparse(HashMap<u32, R>),
}

impl UseCache {
    fn get(&self, g: u32) -> Option<R> {
        match self {
            UseCache::Dense(v) => v[g as usize],
            UseCache::Sparse(m) => m.get(&g).copied(),
        }
    }

    fn insert(&mut self, g: u32, r: R) {
        match self {
            UseCache::Dense(v) => v[g as usize] = Some(r),
            UseCache::Sparse(m) => {
                m.insert(g, r);
            }
        }
    }
}

struct Resolver<'a> {
    ws: &'a Workspace,
    r: &'a Resolution,
    ix: &'a Index,
    /// Names the index does not know, each its own id from `next_fresh` on.
    fresh: RefCell<HashMap<SmolStr, Name>>,
    next_fresh: Cell<Name>,
    /// Visible subsets of the index's item lists. Grows for the resolver's life (one pass or
    /// one query) without reuse: only a lookup of a name with both visible and hidden items
    /// adds to it (rare: `#[cfg(a)] fn f()` next to `#[cfg(not(a))] pub fn f()`).
    arena: RefCell<Vec<ItemRef>>,
    /// `use` leaves by global index ([`Index::use_index`]): resolved, and in progress.
    cache: RefCell<UseCache>,
    active: RefCell<Vec<u32>>,
    /// When set, the `use` leaves a resolution goes through (a re-export chain), for rustc's
    /// rule that every import of a chain from the crate root is itself reachable.
    trace: RefCell<Option<Vec<UseRef>>>,
    /// Lookups in progress: a glob import whose own path needs a name of the same module
    /// (`use std::io::prelude::*` looks `std` up through every glob of the module) must not
    /// recurse into itself, or two globs make the search exponential. A stack: lookups nest,
    /// at most [`MAX_DEPTH`] deep.
    lookups: RefCell<Vec<(ModId, Name)>>,
    /// How many lookups were cut short that way (or by the budget): a result computed
    /// meanwhile is not cached.
    cuts: Cell<usize>,
    budget: Budget,
}

/// Per-query state: step counting for [`QUERY_BUDGET`] and [`TOTAL_BUDGET`], and the query's
/// lookup memo.
#[derive(Default)]
struct Budget {
    /// Resolver calls in progress: the query's state restarts when it is 0.
    nesting: Cell<u32>,
    query_limit: u32,
    total_limit: u64,
    query: Cell<u32>,
    total: Cell<u64>,
    exhausted: Cell<bool>,
    /// Set by the query's first cut (a lookup or `use` already in progress). From then on the
    /// query remembers each lookup's result (and the `use` leaves it went through, for
    /// tracing), whatever was in progress when it was computed: without it, k globs whose
    /// paths need names of their own module are tried in every order, k! routes. Results
    /// computed under a cut are not cached across queries ([`Resolver::cuts`]); within one
    /// query they are, so the query is polynomial.
    memo_on: Cell<bool>,
    memo: RefCell<LookupMemo>,
}

type LookupMemo = HashMap<(ModId, Name, ModId), (R, Vec<UseRef>)>;

/// Ends one level of [`Budget::nesting`].
struct Entered<'b>(&'b Budget);

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.0.nesting.set(self.0.nesting.get() - 1);
    }
}

impl Budget {
    fn enter(&self) -> Entered<'_> {
        if self.nesting.get() == 0 {
            self.query.set(0);
            self.memo_on.set(false);
            let mut memo = self.memo.borrow_mut();
            if memo.capacity() > 1024 {
                *memo = HashMap::default();
            } else if !memo.is_empty() {
                memo.clear();
            }
        }
        self.nesting.set(self.nesting.get() + 1);
        Entered(self)
    }

    /// Counts one lookup; `false` when the query or the pass is out of budget.
    fn step(&self) -> bool {
        let q = self.query.get() + 1;
        let t = self.total.get() + 1;
        self.query.set(q);
        self.total.set(t);
        if q > self.query_limit || t > self.total_limit {
            self.exhausted.set(true);
            return false;
        }
        true
    }
}

impl<'a> Resolver<'a> {
    /// `fresh`: the first id free for names the index does not know; `cache`: where `use`
    /// results go ([`UseCache::Dense`] for the whole-workspace pass, which resolves most
    /// `use` leaves).
    fn new(
        ws: &'a Workspace,
        r: &'a Resolution,
        fresh: Name,
        cache: UseCache,
        query_budget: u32,
        total_budget: u64,
    ) -> Resolver<'a> {
        Resolver {
            ws,
            r,
            ix: &r.index,
            fresh: Default::default(),
            next_fresh: Cell::new(fresh),
            arena: Default::default(),
            cache: RefCell::new(cache),
            active: Default::default(),
            trace: Default::default(),
            lookups: Default::default(),
            cuts: Default::default(),
            budget: Budget {
                query_limit: query_budget,
                total_limit: total_budget,
                ..Budget::default()
            },
        }
    }

    /// A resolver for one query from outside (the rules).
    fn for_query(ws: &'a Workspace, r: &'a Resolution) -> Resolver<'a> {
        let fresh = r.index.names.len() as Name;
        let cache = UseCache::Sparse(HashMap::default());
        Resolver::new(ws, r, fresh, cache, QUERY_BUDGET, TOTAL_BUDGET)
    }

    /// The id of a name: the index's, or one of its own.
    fn name(&self, s: &str) -> Name {
        if let Some(n) = self.ix.name(s) {
            return n;
        }
        let mut fresh = self.fresh.borrow_mut();
        if let Some(&n) = fresh.get(s) {
            return n;
        }
        let n = self.next_fresh.get();
        self.next_fresh.set(n + 1);
        fresh.insert(SmolStr::new(s), n);
        n
    }

    fn summary(&self, fi: usize) -> &'a FileSummary {
        &self.ws.files[fi].summary
    }

    fn item(&self, i: ItemRef) -> &'a ItemSummary {
        &self.ws.files[i.0].summary.items[i.1]
    }

    fn use_decl(&self, u: UseRef) -> &'a UseDecl {
        &self.ws.files[u.0].summary.uses[u.1]
    }

    /// The items of a result.
    fn items(&self, l: ItemList) -> Cow<'a, [ItemRef]> {
        let len = l.len as usize;
        if l.start & ItemList::ARENA == 0 {
            Cow::Borrowed(&self.ix.item_lists[l.start as usize..][..len])
        } else {
            let start = (l.start & !ItemList::ARENA) as usize;
            Cow::Owned(self.arena.borrow()[start..][..len].to_vec())
        }
    }

    /// The public form of a result.
    fn res(&self, r: R) -> Res {
        match r {
            R::Module(m) => Res::Module(m),
            R::Items(l) => Res::Items(self.items(l).into_owned()),
            R::External => Res::External,
            R::Unknown => Res::Unknown,
        }
    }

    /// Looks `name` up among the names declared or imported in module `m`. `from` is the module
    /// asking (for glob-import visibility).
    fn lookup(&self, m: ModId, name: Name, from: ModId, depth: usize) -> R {
        let _entered = self.budget.enter();
        if depth > MAX_DEPTH {
            return R::Unknown;
        }
        if !self.budget.step() {
            // Out of budget: unknown, and nothing computed meanwhile is cached.
            self.cuts.set(self.cuts.get() + 1);
            return R::Unknown;
        }
        if self.budget.memo_on.get() {
            if let Some((res, chain)) = self.budget.memo.borrow().get(&(m, name, from)) {
                // Possibly computed under a cut: what uses it is not cached across queries.
                self.cuts.set(self.cuts.get() + 1);
                for &u in chain {
                    self.note(u);
                }
                return *res;
            }
        }
        {
            let mut lookups = self.lookups.borrow_mut();
            if lookups.contains(&(m, name)) {
                // Already looking this name up in this module: this route cannot define it.
                self.cuts.set(self.cuts.get() + 1);
                self.budget.memo_on.set(true);
                return R::External;
            }
            lookups.push((m, name));
        }
        let mark = self.trace_len();
        let res = self.lookup_uncached(m, name, from, depth);
        let done = self.lookups.borrow_mut().pop();
        debug_assert_eq!(done, Some((m, name)));
        if self.budget.memo_on.get() {
            let chain = self.trace.borrow().as_ref().map_or(Vec::new(), |t| {
                t.get(mark..).map_or(Vec::new(), <[UseRef]>::to_vec)
            });
            self.budget
                .memo
                .borrow_mut()
                .insert((m, name, from), (res, chain));
        }
        res
    }

    fn lookup_uncached(&self, m: ModId, name: Name, from: ModId, depth: usize) -> R {
        let module = &self.r.modules[m];
        let visible = |vis: &Visibility, owner_mod: ModId| {
            !matches!(vis, Visibility::Private | Visibility::PubSelf)
                || self.r.is_within(from, owner_mod)
        };
        if let Some(&e) = self.ix.entries.get(&(m as u32, name)) {
            let e = &self.ix.entry_list[e as usize];
            if e.child != Entry::NO_CHILD {
                let c = e.child as usize;
                if visible(&self.r.modules[c].vis, m) {
                    return R::Module(c);
                }
            }
            let (start, len) = e.items;
            if len > 0 {
                let named = &self.ix.item_lists[start as usize..(start + len) as usize];
                match named.iter().position(|&i| !visible(&self.item(i).vis, m)) {
                    None => return R::Items(ItemList { start, len }),
                    Some(first_hidden) => {
                        let mut arena = self.arena.borrow_mut();
                        let at = arena.len();
                        arena.extend_from_slice(&named[..first_hidden]);
                        arena.extend(
                            named[first_hidden + 1..]
                                .iter()
                                .copied()
                                .filter(|&i| visible(&self.item(i).vis, m)),
                        );
                        let n = arena.len() - at;
                        if n > 0 {
                            return R::Items(ItemList {
                                start: at as u32 | ItemList::ARENA,
                                len: n as u32,
                            });
                        }
                    }
                }
            }
            let (start, len) = e.uses;
            for &u in &self.ix.use_lists[start as usize..(start + len) as usize] {
                if visible(&self.use_decl(u).vis, m) {
                    self.note(u);
                    return self.resolve_use(u, depth + 1);
                }
            }
        }
        // Glob imports: the first that has the name wins (ambiguity is an error in Rust).
        let mut unknown = false;
        for &u in &module.globs {
            let d = self.use_decl(u);
            if !visible(&d.vis, m) {
                continue;
            }
            let mark = self.trace_len();
            match self.resolve_use(u, depth + 1) {
                R::Module(t) if t != m => match self.lookup(t, name, from, depth + 1) {
                    R::External => self.trace_truncate(mark),
                    R::Unknown => {
                        self.trace_truncate(mark);
                        unknown = true
                    }
                    found => {
                        self.note(u);
                        return found;
                    }
                },
                R::Module(_) => {}
                // A glob of an enum's variants or of an external module.
                R::Items(_) | R::External => unknown = true,
                R::Unknown => unknown = true,
            }
        }
        if unknown {
            R::Unknown
        } else {
            R::External
        }
    }

    fn note(&self, u: UseRef) {
        if let Some(t) = self.trace.borrow_mut().as_mut() {
            t.push(u);
        }
    }

    fn trace_len(&self) -> usize {
        self.trace.borrow().as_ref().map_or(0, Vec::len)
    }

    fn trace_truncate(&self, len: usize) {
        if let Some(t) = self.trace.borrow_mut().as_mut() {
            t.truncate(len);
        }
    }

    /// Resolves the `use` leaf `u` and returns the other `use` leaves its resolution goes
    /// through (not cached: the cache would hide the chain).
    fn resolve_use_traced(&self, u: UseRef, glob: bool) -> (R, Vec<UseRef>) {
        *self.trace.borrow_mut() = Some(Vec::new());
        let res = if glob {
            match self.module_of_use(u) {
                Some(&m) => self.resolve_path(m, self.ix.use_path(u), 0),
                None => R::Unknown,
            }
        } else {
            self.resolve_use(u, 0)
        };
        let chain = self.trace.borrow_mut().take().unwrap_or_default();
        (res, chain)
    }

    fn resolve_use(&self, u: UseRef, depth: usize) -> R {
        let g = self.ix.use_index(u);
        let tracing = self.trace.borrow().is_some();
        if !tracing {
            // (Before `enter`: a hit takes no step, and the next query resets its state
            // anyway.)
            if let Some(r) = self.cache.borrow().get(g) {
                return r;
            }
        }
        let _entered = self.budget.enter();
        {
            let mut active = self.active.borrow_mut();
            if active.contains(&g) {
                self.budget.memo_on.set(true);
                return R::Unknown; // a cycle of imports
            }
            active.push(g);
        }
        let cuts = self.cuts.get();
        let res = self.resolve_use_uncached(u, depth);
        let done = self.active.borrow_mut().pop();
        debug_assert_eq!(done, Some(g));
        if self.cuts.get() == cuts && (depth == 0 || res != R::Unknown) {
            self.cache.borrow_mut().insert(g, res);
        }
        res
    }

    fn resolve_use_uncached(&self, u: UseRef, depth: usize) -> R {
        let Some(&m) = self.module_of_use(u) else {
            return R::Unknown;
        };
        let mut path = self.ix.use_path(u);
        if let [rest @ .., SELF] = path {
            path = rest;
        }
        // Edition 2015: `use a::b` is relative to the crate root, wherever the `use` is.
        let relative = path
            .first()
            .is_some_and(|&s| matches!(s, CRATE | SELF | SUPER));
        if self.ws.files[u.0].meta.edition == super::syntax::Edition::E2015 && !relative {
            let root = self.r.crates[self.r.modules[m].krate].root;
            return self.resolve_path(root, path, depth);
        }
        self.resolve_path(m, path, depth)
    }

    fn module_of_use(&self, u: UseRef) -> Option<&ModId> {
        self.r.use_module.get(&u)
    }

    /// Resolves `path` as written in module `m`.
    fn resolve_path(&self, m: ModId, path: &[Name], depth: usize) -> R {
        let _entered = self.budget.enter();
        if depth > MAX_DEPTH || path.is_empty() {
            return R::Unknown;
        }
        let krate = self.r.modules[m].krate;
        let first = path[0];
        let (mut cur, rest) = match first {
            CRATE => (R::Module(self.r.crates[krate].root), &path[1..]),
            SELF => (R::Module(m), &path[1..]),
            SUPER => (
                self.r.modules[m].parent.map_or(R::Unknown, R::Module),
                &path[1..],
            ),
            SELF_TYPE => return R::Unknown,
            _ => {
                let local = match self.lookup(m, first, m, depth + 1) {
                    // `extern crate foo;`: the path goes into that crate.
                    R::Items(items)
                        if self
                            .items(items)
                            .iter()
                            .all(|&i| self.item(i).kind == ItemKind::ExternCrate) =>
                    {
                        R::External
                    }
                    other => other,
                };
                match local {
                    R::External => match self.ix.lib_roots.get(&first) {
                        Some(&root) if root != self.r.crates[krate].root => {
                            (R::Module(root), &path[1..])
                        }
                        _ => (R::External, &path[1..]),
                    },
                    other => (other, &path[1..]),
                }
            }
        };
        for &seg in rest {
            cur = match cur {
                R::Module(cm) => match seg {
                    SUPER => self.r.modules[cm].parent.map_or(R::Unknown, R::Module),
                    SELF => R::Module(cm),
                    // A name a workspace module does not declare: cfg'd out, made by a macro,
                    // or a typo. The model cannot tell.
                    s => match self.lookup(cm, s, m, depth + 1) {
                        R::External => R::Unknown,
                        found => found,
                    },
                },
                // `Enum::Variant`, `Type::assoc`: the path names the item.
                items @ R::Items(_) => return items,
                other => return other,
            };
        }
        cur
    }
}

type ReachMaps = (
    Vec<bool>,
    HashMap<ItemRef, Reach>,
    HashMap<UseRef, Reach>,
    Vec<bool>,
);

const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

#[inline(never)]
fn reachability(cx: &mut Resolver<'_>, path_names: &[Vec<Name>], layout: &FileLayout) -> ReachMaps {
    let r = cx.r;
    let mut exported: Vec<bool> = vec![false; r.modules.len()];
    let mut item_pub: HashSet<ItemRef> = HashSet::default();
    let mut use_pub: HashSet<UseRef> = HashSet::default();
    let mut uncertain = vec![false; r.crates.len()];
    let mut work: Vec<ModId> = r.crates.iter().map(|c| c.root).collect();
    for &w in &work {
        exported[w] = true;
    }
    while let Some(m) = work.pop() {
        let module = &r.modules[m];
        if module.is_test {
            continue;
        }
        for &c in module.children.values() {
            if r.modules[c].vis.is_pub() && !r.modules[c].is_test && !exported[c] {
                exported[c] = true;
                work.push(c);
            }
        }
        for &i in &module.items {
            let it = cx.item(i);
            if it.vis.is_pub() && !it.is_test {
                item_pub.insert(i);
            }
        }
        for &u in &module.uses {
            let d = cx.use_decl(u);
            if !d.vis.is_pub() || d.is_test {
                continue;
            }
            use_pub.insert(u);
            // Every import of the chain is reachable too (rustc's effective visibility of
            // imports): `pub use self::a::X` in a private module that the root re-exports.
            let (target, chain) = cx.resolve_use_traced(u, d.glob);
            use_pub.extend(chain);
            match target {
                R::Module(t) => {
                    if !exported[t] {
                        exported[t] = true;
                        work.push(t);
                    }
                }
                // `pub use Enum::*` names the variants: the enum itself stays as it is.
                R::Items(_) if d.glob => {}
                R::Items(items) => item_pub.extend(cx.items(items).iter().copied()),
                R::External => {}
                R::Unknown => uncertain[module.krate] = true,
            }
        }
    }
    // Signatures of reachable items make the items they name reachable; `pub` methods of
    // reachable types are reachable. Iterate to a fixpoint.
    let mut assoc_pub: HashSet<ItemRef> = HashSet::default();
    let mut done: HashSet<ItemRef> = HashSet::default();
    let bodies = &layout.bodies;
    let paths_sorted = &layout.paths_sorted;
    let in_body = |fi: usize, r: TextRange| {
        let b = &bodies[fi];
        let i = b.partition_point(|b| b.start() <= r.start());
        i > 0 && b[i - 1].contains_range(r)
    };
    // The associated items that may become reachable, with their owners' names, once: the
    // fixpoint below goes over them again each round.
    struct Assoc {
        item: ItemRef,
        module: ModId,
        /// `None`: a tuple, slice, array or primitive type (`impl From<Span> for (usize,
        /// usize)`), nobody's item.
        owner: Option<Name>,
        /// The trait of a trait impl (not of a trait's own items).
        impl_trait: Option<Name>,
    }
    let mut assoc: Vec<Assoc> = Vec::new();
    for (mid, module) in r.modules.iter().enumerate() {
        for &a in &module.assoc {
            let it = cx.item(a);
            let Some(owner) = &it.owner else { continue };
            let in_trait = owner.in_trait_def || owner.trait_name.is_some();
            if !in_trait && !it.vis.is_pub() {
                continue;
            }
            let owner_name = if owner.in_trait_def {
                owner.trait_name.as_deref().unwrap_or_default()
            } else {
                owner.self_ty.as_str()
            };
            let builtin = !owner_name.chars().all(|c| c.is_alphanumeric() || c == '_')
                || PRIMITIVES.contains(&owner_name);
            assoc.push(Assoc {
                item: a,
                module: mid,
                owner: (!builtin).then(|| cx.name(owner_name)),
                impl_trait: if owner.in_trait_def {
                    None
                } else {
                    owner.trait_name.as_deref().map(|t| cx.name(t))
                },
            });
        }
    }
    loop {
        let mut changed = false;
        // Associated items whose owner is reachable.
        for a in &assoc {
            if assoc_pub.contains(&a.item) {
                continue;
            }
            let mid = a.module;
            let owner_res = match a.owner {
                Some(owner) => cx.lookup(mid, owner, mid, 0),
                None => R::External,
            };
            let reachable = match owner_res {
                R::Items(items) => cx.items(items).iter().any(|i| item_pub.contains(i)),
                // A trait impl for a type of another crate (`impl From<MyError> for
                // io::Error`) is as reachable as its trait: rustc's effective visibility
                // of an impl is the smaller of its type's and its trait's.
                R::External => a.impl_trait.is_some_and(|t| {
                    match cx.lookup(mid, t, mid, 0) {
                        // (Unknown: a glob of another crate may bring it. In doubt,
                        // reachable: nothing is reported.)
                        R::External | R::Unknown => true,
                        R::Items(items) => cx.items(items).iter().any(|i| item_pub.contains(i)),
                        _ => false,
                    }
                }),
                _ => false,
            };
            if reachable {
                assoc_pub.insert(a.item);
                changed = true;
            }
        }
        let pending: Vec<ItemRef> = item_pub
            .iter()
            .chain(assoc_pub.iter())
            .copied()
            .filter(|i| !done.contains(i))
            .collect();
        let mut segs: Vec<Name> = Vec::new();
        for i in pending {
            done.insert(i);
            let Some(&m) = r.item_module.get(&i) else {
                continue;
            };
            let it = cx.item(i);
            let s = cx.summary(i.0);
            let names = &path_names[i.0];
            let paths = if paths_sorted[i.0] {
                let lo = s
                    .paths
                    .partition_point(|p| p.range.start() < it.range.start());
                let hi = lo + s.paths[lo..].partition_point(|p| p.range.start() < it.range.end());
                &s.paths[lo..hi]
            } else {
                &s.paths[..]
            };
            for p in paths {
                if p.is_test || !it.range.contains_range(p.range) || in_body(i.0, p.range) {
                    continue;
                }
                segs.clear();
                segs.extend(
                    s.path_table
                        .segment_indices(p)
                        .iter()
                        .map(|&n| names[n as usize]),
                );
                if let R::Items(items) = cx.resolve_path(m, &segs, 0) {
                    for &t in cx.items(items).iter() {
                        if item_pub.insert(t) {
                            changed = true;
                        }
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let n_items = r
        .modules
        .iter()
        .map(|m| m.items.len() + m.assoc.len())
        .sum();
    let mut reach = HashMap::with_capacity_and_hasher(n_items, Default::default());
    for (mid, module) in r.modules.iter().enumerate() {
        let k = module.krate;
        for &i in module.items.iter().chain(module.assoc.iter()) {
            let public = item_pub.contains(&i) || assoc_pub.contains(&i);
            let it = cx.item(i);
            let v = if public {
                Reach::Public
            } else if uncertain[k] || (it.owner.is_none() && r.macro_names[k].contains(&it.name)) {
                // (A macro can re-export an item by name, but not a method.)
                Reach::Unknown
            } else if let Some(owner) = &it.owner {
                // An inherent method of a type the model cannot find (a generic or a type
                // declared in a macro) is unknown.
                match cx.lookup(mid, cx.name(&owner.self_ty), mid, 0) {
                    R::Items(_) if !r.macro_names[k].contains(&owner.self_ty) => Reach::Private,
                    _ => Reach::Unknown,
                }
            } else {
                Reach::Private
            };
            reach.insert(i, v);
        }
    }
    let n_uses = r.modules.iter().map(|m| m.uses.len()).sum();
    let mut ureach = HashMap::with_capacity_and_hasher(n_uses, Default::default());
    for module in &r.modules {
        for &u in &module.uses {
            let v = if use_pub.contains(&u) {
                Reach::Public
            } else if uncertain[module.krate] {
                Reach::Unknown
            } else {
                Reach::Private
            };
            ureach.insert(u, v);
        }
    }
    (exported, reach, ureach, uncertain)
}

type UsageMaps = (
    HashMap<ItemRef, BTreeSet<ModId>>,
    HashMap<ItemRef, BTreeSet<ModId>>,
);

#[inline(never)]
fn usages(cx: &mut Resolver<'_>, path_names: &[Vec<Name>]) -> UsageMaps {
    let r = cx.r;
    // (item, module naming it) as one integer, (global item index << 32) | module, sorted
    // and grouped into sets at the end.
    let mut item_base: Vec<u64> = Vec::with_capacity(cx.ws.files.len());
    let mut n_items = 0u64;
    for f in &cx.ws.files {
        item_base.push(n_items);
        n_items += f.summary.items.len() as u64;
    }
    assert!(n_items <= u32::MAX as u64 && r.modules.len() <= u32::MAX as usize);
    let key = |i: ItemRef, m: ModId| ((item_base[i.0] + i.1 as u64) << 32) | m as u64;
    let mut uses: Vec<u64> = Vec::new();
    let mut globbed: HashMap<ItemRef, BTreeSet<ModId>> = HashMap::default();
    // Which (file, scope) belongs to which module, for paths.
    let mut scope_mod: HashMap<usize, HashMap<&[SmolStr], ModId>> = HashMap::default();
    for (id, m) in r.modules.iter().enumerate() {
        if let Some(f) = m.file {
            scope_mod
                .entry(f)
                .or_default()
                .entry(m.scope.as_slice())
                .or_insert(id);
        }
    }
    for (mid, module) in r.modules.iter().enumerate() {
        for &u in &module.uses {
            let d = cx.use_decl(u);
            if d.glob {
                if let R::Module(t) = cx.resolve_path(mid, cx.ix.use_path(u), 0) {
                    for &i in &r.modules[t].items {
                        globbed.entry(i).or_default().insert(mid);
                    }
                }
                continue;
            }
            if let R::Items(items) = cx.resolve_use(u, 0) {
                uses.extend(cx.items(items).iter().map(|&i| key(i, mid)));
            }
        }
    }
    let mut segs: Vec<Name> = Vec::new();
    let mut by_scope: Vec<Option<ModId>> = Vec::new();
    for (fi, f) in cx.ws.files.iter().enumerate() {
        let Some(mods) = scope_mod.get(&fi) else {
            continue;
        };
        let table = &f.summary.path_table;
        by_scope.clear();
        by_scope.extend(table.scopes().iter().map(|s| mods.get(&**s).copied()));
        let names = &path_names[fi];
        for p in &f.summary.paths {
            let Some(mid) = by_scope[p.scope_index()] else {
                continue;
            };
            segs.clear();
            segs.extend(table.segment_indices(p).iter().map(|&n| names[n as usize]));
            if let R::Items(items) = cx.resolve_path(mid, &segs, 0) {
                for &i in cx.items(items).iter() {
                    // (A module names the same item many times in a row.)
                    let k = key(i, mid);
                    if uses.last() != Some(&k) {
                        uses.push(k);
                    }
                }
            }
        }
    }
    uses.sort_unstable();
    uses.dedup();
    let mut used: HashMap<ItemRef, BTreeSet<ModId>> = HashMap::default();
    for run in uses.chunk_by(|a, b| a >> 32 == b >> 32) {
        let g = run[0] >> 32;
        let fi = item_base.partition_point(|&b| b <= g) - 1;
        let item = (fi, (g - item_base[fi]) as usize);
        used.insert(
            item,
            run.iter().map(|&k| (k & 0xffff_ffff) as ModId).collect(),
        );
    }
    (used, globbed)
}

/// Looks `name` up in module `m` (its items, child modules and imports), as code in `m` sees it.
pub fn lookup_name(ws: &Workspace, res: &Resolution, m: ModId, name: &str) -> Res {
    let cx = Resolver::for_query(ws, res);
    let r = cx.lookup(m, cx.name(name), m, 0);
    cx.res(r)
}

/// Resolves a path as written in module `m`.
pub fn resolve_path(ws: &Workspace, res: &Resolution, m: ModId, path: &[SmolStr]) -> Res {
    let cx = Resolver::for_query(ws, res);
    let path: Vec<Name> = path.iter().map(|s| cx.name(s)).collect();
    let r = cx.resolve_path(m, &path, 0);
    cx.res(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture::{analyse, parse_fixture};

    fn lenses(fixture: &str) -> Vec<String> {
        let (files, _) = parse_fixture(fixture);
        let (_dir, a) = analyse("unreachable-pub", "", &files);
        let res = resolve(&a.workspace);
        usage_lenses(&a.workspace, &res)
            .into_iter()
            .map(|l| format!("{} {}: {}", l.file, l.name, l.label()))
            .collect()
    }

    #[test]
    fn usage_lenses_count_modules_and_crates() {
        let got = lenses(
            r#"
//- /Cargo.toml
[workspace]
members = ["core", "app"]
//- /core/Cargo.toml
[package]
name = "core-lib"
version = "0.1.0"
edition = "2021"
//- /core/src/lib.rs
mod util;
pub mod api;
pub use util::Helper as H;
//- /core/src/util.rs
pub struct Helper;
pub(crate) fn local() {}
pub fn hidden() {}
pub fn in_macro() {}
fn user() { local(); }
//- /core/src/api.rs
pub fn call() { crate::util::hidden(); let _ = crate::H; }
fn m() { println!("{}", in_macro()); }
//- /app/Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"
//- /app/src/main.rs
use core_lib::api::call;
fn main() { call(); core_lib::H; }
"#,
        );
        assert_eq!(
            got,
            vec![
                "core/src/api.rs call: used in 0 modules · 1 other crate",
                "core/src/util.rs Helper: used in 2 modules · 1 other crate",
                "core/src/util.rs local: used in 0 modules · 0 other crates · could be private",
                "core/src/util.rs hidden: used in 1 module · 0 other crates · could be pub(crate)",
                "core/src/util.rs in_macro: used in 0 modules+ · 0 other crates",
            ]
        );
    }
    fn resolve_in_root(fixture: &str, path: &[&str]) -> Res {
        let (files, _) = parse_fixture(fixture);
        let (_dir, a) = analyse("unreachable-pub", "", &files);
        let res = resolve(&a.workspace);
        // The step budget bounds the work: an exploding resolution ends incomplete.
        assert!(!res.incomplete, "ran out of budget");
        let root = res.crates[0].root;
        let path: Vec<SmolStr> = path.iter().map(|s| SmolStr::new(*s)).collect();
        resolve_path(&a.workspace, &res, root, &path)
    }

    /// Found by the fuzzer on chacha20's sources: each lookup of `core` went through both
    /// globs again, 2^32 times. Now within the step budget; `core` stays unknown (a glob of an
    /// external module could provide it).
    #[test]
    fn globs_of_external_modules_do_not_explode() {
        let fixture = r#"
use core::arch::x86::*;
use core::arch::x86_64::*;
use core::arch::aarch64::*;
pub struct Local;
pub fn f() -> __m256i { _mm256_setzero_si256() }
"#;
        assert_eq!(resolve_in_root(fixture, &["core", "mem"]), Res::Unknown);
        assert!(matches!(
            resolve_in_root(fixture, &["Local"]),
            Res::Items(_)
        ));
        assert_eq!(
            resolve_in_root(fixture, &["_mm256_setzero_si256"]),
            Res::Unknown
        );
    }

    /// Globs whose paths start with different names the module does not define: the first
    /// segment of each is looked up through every other glob, and each of those through the
    /// rest, k! routes for k globs (down to depth 32). Found by the fuzzer's per-case deadline
    /// (the second long run had stalled for hours on such a case): encoding_rs's `variant.rs`
    /// as a crate root, where its sibling modules `big5`, `euc_jp`, ... do not exist. Before
    /// the per-query memo this took 9 s with 10 of the globs and over 20 s with 11; the
    /// resolution now ends within its step budget (work counted, not timed) and certain.
    #[test]
    fn globs_of_undefined_modules_do_not_explode() {
        let mut fixture = String::from("use super::*;\n");
        for m in [
            "big5",
            "euc_jp",
            "euc_kr",
            "gb18030",
            "iso_2022_jp",
            "replacement",
            "shift_jis",
            "single_byte",
            "utf_16",
            "utf_8",
            "x_user_defined",
            "ext0",
            "ext1",
            "ext2",
        ] {
            fixture.push_str(&format!("use {m}::*;\n"));
        }
        fixture.push_str(
            "pub struct Local;\npub enum VariantDecoder { SingleByte(SingleByteDecoder) }\n",
        );
        let (files, _) = parse_fixture(&fixture);
        let (_dir, a) = analyse("unreachable-pub", "", &files);
        let res = resolve(&a.workspace);
        assert!(!res.incomplete, "ran out of budget");
        let root = res.crates[0].root;
        let p = |s: &[&str]| -> Vec<SmolStr> { s.iter().map(|s| SmolStr::new(*s)).collect() };
        assert!(matches!(
            resolve_path(&a.workspace, &res, root, &p(&["Local"])),
            Res::Items(_)
        ));
        // Any glob may bring these: unknown, never "not there".
        assert_eq!(
            resolve_path(&a.workspace, &res, root, &p(&["SingleByteDecoder"])),
            Res::Unknown
        );
        assert_eq!(
            resolve_path(&a.workspace, &res, root, &p(&["utf_8", "Utf8Decoder"])),
            Res::Unknown
        );
    }

    /// Out of budget, the answer is "unknown" for everything the resolution could not finish:
    /// no item or `use` is private, no narrower visibility is offered, so no rule reports.
    #[test]
    fn out_of_budget_nothing_is_private() {
        let fixture = r#"
//- /src/lib.rs
mod inner;
pub use inner::Shown;
//- /src/inner.rs
pub struct Shown;
pub fn hidden() {}
pub(crate) fn local() {}
pub use self::Shown as Again;
"#;
        let (files, _) = parse_fixture(fixture);
        let (_dir, a) = analyse("unreachable-pub", "", &files);
        let ws = &a.workspace;
        let item = |name: &str| {
            let fi = ws.by_path["src/inner.rs"];
            let ii = ws.files[fi]
                .summary
                .items
                .iter()
                .position(|i| i.name == name)
                .unwrap();
            (fi, ii)
        };
        let again: UseRef = (ws.by_path["src/inner.rs"], 0);
        let full = resolve(ws);
        assert!(!full.incomplete);
        assert_eq!(full.reach(item("hidden")), Reach::Private);
        assert_eq!(full.reach(item("Shown")), Reach::Public);
        assert_eq!(full.use_reach[&again], Reach::Private);
        assert_eq!(
            narrower_visibility(ws, &full, item("local")),
            Some(Narrower::Private)
        );
        for (query, total) in [(0, u64::MAX), (u32::MAX, 0), (1, 1)] {
            let cut = resolve_within(ws, query, total);
            assert!(cut.incomplete, "{query} {total}");
            assert!(cut.crates.iter().all(|c| c.uncertain));
            assert_eq!(cut.reach(item("hidden")), Reach::Unknown);
            assert_eq!(cut.use_reach[&again], Reach::Unknown);
            assert_eq!(narrower_visibility(ws, &cut, item("local")), None);
            assert!(usage_lenses(ws, &cut)
                .iter()
                .all(|l| l.uncertain && l.could_be.is_none()));
        }
    }

    #[test]
    fn glob_cycles_between_modules_end() {
        let fixture = r#"
//- /src/lib.rs
pub mod a;
pub mod b;
pub use a::*;
//- /src/a.rs
pub use crate::b::*;
pub use super::*;
pub struct InA;
//- /src/b.rs
pub use crate::a::*;
pub use super::*;
pub struct InB;
"#;
        assert!(matches!(
            resolve_in_root(fixture, &["a", "InB"]),
            Res::Items(_)
        ));
        assert!(matches!(
            resolve_in_root(fixture, &["b", "InA"]),
            Res::Items(_)
        ));
        assert!(matches!(resolve_in_root(fixture, &["InA"]), Res::Items(_)));
        // A name no module declares: cfg'd out or macro-made, the model cannot tell.
        assert_eq!(resolve_in_root(fixture, &["a", "Missing"]), Res::Unknown);
    }
}
