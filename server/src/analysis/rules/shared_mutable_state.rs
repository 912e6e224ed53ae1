//! `shared-mutable-state`: `Arc<Mutex<T>>`, `Arc<RwLock<T>>`, `Rc<RefCell<T>>`, `Rc<Cell<T>>`
//! (also through `type` aliases of the same crate), where they are declared and where they are built.
//!
//! The file pass reports the forms written out and records two kinds of facts: `alias` (what
//! a `type` alias expands to) and `use` (a declaration site whose type names something the file
//! cannot see into). The workspace pass resolves the aliases per crate and reports the uses
//! that expand to shared mutable state.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::ownership_common::{
    callee, display, display_green, find_shared_mutable, first_arg, green_path_types, head,
    head_name, is_generic_param_around, is_lock_or_cell, is_shared_mutable_green, signature_fn,
    site_description, site_names, site_type, type_written_for, SiteKind, LOCKS_AND_CELLS,
    SHARED_OWNERS,
};
use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::model::ItemKind;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{
    ast, AstNode, GreenNode, HasName, SmolStr, SyntaxKind, SyntaxNode, TextRange,
};

pub(crate) struct SharedMutableState;

/// Fact kinds recorded in the file pass: a `type` alias declaration, and a use of a name that
/// may be an alias. A use's kind says how the name is written (as the type, `db: Db`, or inside
/// a shared owner, `Arc<Db>`) and the kind of site; its detail is the site's names
/// ([`site_names`]: `S::db`, `db\tserve`, ...), then a tab and the type as written unless that is
/// the bare name (`S::db\tstd::sync::Arc<Db>`).
const FACT_ALIAS: &str = "alias";
const USE_KINDS: [(&str, bool, SiteKind); 14] = [
    ("use:field", false, SiteKind::Field),
    ("use:param", false, SiteKind::Param),
    ("use:ret", false, SiteKind::Ret),
    ("use:alias", false, SiteKind::TypeAlias),
    ("use:static", false, SiteKind::Static),
    ("use:const", false, SiteKind::Const),
    ("use:local", false, SiteKind::Local),
    ("use-in-shared:field", true, SiteKind::Field),
    ("use-in-shared:param", true, SiteKind::Param),
    ("use-in-shared:ret", true, SiteKind::Ret),
    ("use-in-shared:alias", true, SiteKind::TypeAlias),
    ("use-in-shared:static", true, SiteKind::Static),
    ("use-in-shared:const", true, SiteKind::Const),
    ("use-in-shared:local", true, SiteKind::Local),
];

pub static META: RuleMeta = RuleMeta {
    id: "shared-mutable-state",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`Arc<Mutex<T>>`, `Arc<RwLock<T>>`, `Rc<RefCell<T>>`, `Rc<Cell<T>>`: mutable state shared by every clone.",
    options: &[],
    docs: RuleDocs {
        what: "Types that share mutable state between owners: `Arc` or `Rc` around a `Mutex`, `RwLock`, \
               `ReentrantMutex`, `RefCell` or `Cell` (std, `parking_lot`, `tokio::sync`, `futures` or any \
               other path: the last path segment decides), also through a `type` alias declared in the same \
               crate. Reported once per declaration site: a struct or enum field, a fn parameter or return \
               type, a `type` alias, a `static`/`const`, a typed `let`, and where it is built \
               (`Arc::new(Mutex::new(..))`) unless the type is already written at that site. Not reported: \
               `Arc<T>` of immutable data, a `Mutex` owned by one field without `Arc`/`Rc`, channels, \
               atomics, signatures of trait-impl methods (the trait decides them), and test code unless \
               `check-tests` is on.",
        why: "Every clone of the `Arc` can lock and change the state, so no single piece of code owns it: \
              invariants spread over every place that takes the lock, lock order becomes a global \
              property, and the data flow no longer shows in the signatures. It is often the first thing \
              that compiles, not the design anyone chose.",
        example: "#[derive(Clone)]\nstruct AppState {\n    orders: Arc<Mutex<Vec<Order>>>,\n}",
        instead: "Give the state one owner and send it messages (a task owning `Vec<Order>` behind an \
                  `mpsc` channel), or wrap the lock in an owning type with a narrow API \
                  (`struct Orders { inner: Mutex<Vec<Order>> }` with `add`/`snapshot` methods) so the \
                  locking stays in one place.",
    },
    fixable: false,
};

const SUGGESTION: &str = "give the state one owner and send it messages, or hide the lock inside an owning type with a narrow API";

/// Type names that are never crate-local aliases of shared state (skips recording facts), with
/// the shared owners and the locks and cells; kept sorted, so that a test finds duplicates
/// (every type name of every field and parameter is looked up, in a hash set built from it).
const NOT_ALIASES: &[&str] = &[
    "Arc",
    "AtomicBool",
    "AtomicI16",
    "AtomicI32",
    "AtomicI64",
    "AtomicI8",
    "AtomicIsize",
    "AtomicPtr",
    "AtomicU16",
    "AtomicU32",
    "AtomicU64",
    "AtomicU8",
    "AtomicUsize",
    "BTreeMap",
    "BTreeSet",
    "Box",
    "Bytes",
    "Cell",
    "Condvar",
    "Cow",
    "DateTime",
    "Duration",
    "Error",
    "FairMutex",
    "Formatter",
    "HashMap",
    "HashSet",
    "Instant",
    "Lazy",
    "LazyLock",
    "Mutex",
    "NonNull",
    "OnceCell",
    "OnceLock",
    "Option",
    "Ordering",
    "Path",
    "PathBuf",
    "PhantomData",
    "Pin",
    "Rc",
    "Receiver",
    "ReentrantMutex",
    "RefCell",
    "Result",
    "RwLock",
    "Self",
    "Sender",
    "String",
    "SyncSender",
    "SyncUnsafeCell",
    "SystemTime",
    "UnsafeCell",
    "Utc",
    "Uuid",
    "Value",
    "Vec",
    "VecDeque",
    "Weak",
];

impl Rule for SharedMutableState {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[
            SyntaxKind::RECORD_FIELD,
            SyntaxKind::TUPLE_FIELD,
            SyntaxKind::PARAM,
            SyntaxKind::RET_TYPE,
            SyntaxKind::TYPE_ALIAS,
            SyntaxKind::STATIC,
            SyntaxKind::CONST,
            SyntaxKind::LET_STMT,
            SyntaxKind::CALL_EXPR,
        ]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        match node.kind() {
            SyntaxKind::CALL_EXPR => node
                .call_type_and_fn()
                .is_some_and(|(owner, func)| SHARED_OWNERS.contains(&owner) && func == "new"),
            // An alias is recorded whatever its type.
            SyntaxKind::TYPE_ALIAS => true,
            // The test `check_node` makes on the site's type before it records or reports
            // anything (`site_type` is the first child type node).
            _ => super::ownership_common::site_type_named(node, |n| {
                SHARED_OWNERS.contains(&n) || candidate_name(n)
            }),
        }
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        if node.kind() == SyntaxKind::CALL_EXPR {
            check_construction(node, cx);
            return;
        }
        if matches!(node.kind(), SyntaxKind::PARAM | SyntaxKind::RET_TYPE)
            && (signature_fn(node).is_none() || in_trait_impl_signature_of(node))
        {
            return;
        }
        // This runs for every field, parameter, `let` with a type... whose type names a shared
        // owner or a capitalized name: the type is read from the green tree (no syntax nodes
        // built), and the site's description only for a finding or a fact.
        let green = GreenNode::of(node);
        // The site's type (`site_type`: its first child type node).
        let Some((ty, ty_offset)) = green.child_where(ast::Type::can_cast) else {
            return;
        };
        if !has_site_description(green) {
            return;
        }
        if node.kind() == SyntaxKind::TYPE_ALIAS {
            if let Some(ty) = site_type(node) {
                record_alias(node, &ty, cx);
            }
        }
        let types = green_path_types(ty, node.text_range().start() + ty_offset);
        if let Some(&(shared, range)) = types.iter().find(|(t, _)| is_shared_mutable_green(*t)) {
            cx.report(
                Finding::new(
                    &META,
                    range,
                    format!(
                        "{} shares mutable state through `{}`: every clone can change it",
                        site_description(node).unwrap_or_default(),
                        display_green(shared)
                    ),
                )
                .suggestion(SUGGESTION),
            );
            return;
        }
        // Names the file cannot see into: maybe crate-local aliases (resolved per crate). The
        // first one is recorded, in `finish_file` (see there).
        let candidate = |name: &str| candidate_name(name) && !is_generic_param_around(node, name);
        for (t, range) in types {
            let Some(name) = t.path_type_head() else {
                continue;
            };
            let (name, in_shared) = if SHARED_OWNERS.contains(&name) {
                match t.path_type_first_arg().and_then(GreenNode::path_type_head) {
                    Some(inner) if candidate(inner) => (inner, true),
                    _ => continue,
                }
            } else if candidate(name) {
                (name, false)
            } else {
                continue;
            };
            cx.state::<PendingUses>().0.push(PendingUse {
                site: node.clone(),
                name: name.into(),
                in_shared,
                range,
            });
            break;
        }
    }

    /// Records the `use` facts held by `check_node`, except those whose name is a struct, enum,
    /// union or trait of this file: `check_workspace` ignores the names that are nominal types
    /// in the package, so those facts would never resolve (on the bench corpus, 40k of the 369k
    /// candidates).
    fn finish_file(&self, cx: &mut FileCx<'_>) {
        let Some(PendingUses(pending)) = cx.take_state::<PendingUses>() else {
            return;
        };
        let keep: Vec<bool> = {
            let mut nominal: Vec<&str> = cx
                .items()
                .iter()
                .filter(|it| is_nominal(it.kind))
                .map(|it| it.name.as_str())
                .collect();
            nominal.sort_unstable();
            pending
                .iter()
                .map(|p| nominal.binary_search(&p.name.as_str()).is_err())
                .collect()
        };
        for (p, keep) in pending.into_iter().zip(keep) {
            if !keep {
                continue;
            }
            let green = GreenNode::of(&p.site);
            let written = green
                .find_at(p.site.text_range().start(), p.range, SyntaxKind::PATH_TYPE)
                .map(display_green)
                .unwrap_or_default();
            // `check_node` holds only sites that have a description.
            let Some((site, mut detail)) = site_names(&p.site) else {
                continue;
            };
            // `written` is left out when it is the name (`Db`), the commonest case.
            if p.in_shared || written != p.name {
                detail.push('\t');
                detail.push_str(&written);
            }
            let kind = USE_KINDS
                .iter()
                .find(|(_, in_shared, s)| *in_shared == p.in_shared && *s == site)
                .map_or("", |(kind, _, _)| kind);
            cx.fact(kind, p.name, detail, p.range);
        }
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        // Aliases per package: name -> expansions.
        let mut aliases: AliasMap<'_> = HashMap::default();
        for f in &ws.workspace.files {
            for fact in &f.summary.facts {
                if fact.rule == META.id && fact.kind == FACT_ALIAS {
                    aliases
                        .entry((f.package, fact.name.as_str()))
                        .or_default()
                        .push(&*fact.detail);
                }
            }
        }
        if aliases.is_empty() {
            return;
        }
        // The nominal types that shadow an alias name of their package (no other name is
        // looked up).
        let mut nominal: NominalSet<'_> = HashSet::default();
        for f in &ws.workspace.files {
            for it in &f.summary.items {
                if is_nominal(it.kind) && aliases.contains_key(&(f.package, it.name.as_str())) {
                    nominal.insert((f.package, it.name.as_str()));
                }
            }
        }
        let resolve = |pkg: Option<usize>, name: &str| resolve(&aliases, &nominal, pkg, name, 0);
        for f in &ws.workspace.files {
            for fact in &f.summary.facts {
                if fact.rule != META.id {
                    continue;
                }
                if fact.kind == FACT_ALIAS {
                    continue;
                }
                // Most names are not aliases: that one lookup first.
                if !aliases.contains_key(&(f.package, fact.name.as_str())) {
                    continue;
                }
                let Some(&(_, in_shared, site)) =
                    USE_KINDS.iter().find(|(k, _, _)| *k == fact.kind)
                else {
                    continue;
                };
                let (names, written) = split_names(&fact.detail, site.name_count());
                let written = written.unwrap_or(fact.name.as_str());
                let site = site.describe(names);
                let expansion = match (in_shared, resolve(f.package, &fact.name)) {
                    (false, Some((true, exp))) => exp,
                    (true, Some((false, lock))) => {
                        format!("{}<{lock}<…>>", written.split('<').next().unwrap_or("Arc"))
                    }
                    (true, Some((true, exp))) => exp,
                    _ => continue,
                };
                out.report(
                    &f.meta.rel_path,
                    Finding::new(
                        &META,
                        fact.range,
                        format!(
                            "{site} shares mutable state through `{written}` (= `{expansion}`): every clone can change it"
                        ),
                    )
                    .suggestion(SUGGESTION),
                );
            }
        }
    }
}

/// The `use` facts of a file, held until its end (see [`SharedMutableState::finish_file`]):
/// the site, the name, whether it is written inside `Arc<..>` / `Rc<..>`, the path type's range.
#[derive(Default)]
struct PendingUses(Vec<PendingUse>);

struct PendingUse {
    site: SyntaxNode,
    name: SmolStr,
    in_shared: bool,
    range: TextRange,
}

/// The first `count` tab-separated fields of `detail`, and the rest after the next tab.
fn split_names(detail: &str, count: usize) -> (&str, Option<&str>) {
    let mut seen = 0;
    for (i, b) in detail.bytes().enumerate() {
        if b == b'\t' {
            seen += 1;
            if seen == count {
                return (&detail[..i], Some(&detail[i + 1..]));
            }
        }
    }
    (detail, None)
}

/// The item kinds whose names `check_workspace` never resolves as aliases.
fn is_nominal(kind: ItemKind) -> bool {
    matches!(
        kind,
        ItemKind::Struct | ItemKind::Enum | ItemKind::Union | ItemKind::Trait
    )
}

type AliasMap<'a> = HashMap<(Option<usize>, &'a str), Vec<&'a str>>;
type NominalSet<'a> = HashSet<(Option<usize>, &'a str)>;

/// What an alias name expands to: `Some((true, expansion))` for shared mutable state,
/// `Some((false, lock))` for a lock or cell. `None`: unknown, ambiguous or not an alias.
fn resolve(
    aliases: &AliasMap<'_>,
    nominal: &NominalSet<'_>,
    pkg: Option<usize>,
    name: &str,
    depth: usize,
) -> Option<(bool, String)> {
    if depth > 8 || nominal.contains(&(pkg, name)) {
        return None;
    }
    let defs = aliases.get(&(pkg, name))?;
    let first = defs[0];
    if defs.iter().any(|d| *d != first) {
        return None;
    }
    let (kind, rest) = first.split_once('\t')?;
    match kind {
        "shared" => Some((true, rest.to_string())),
        "lock" => Some((false, rest.to_string())),
        "name" => resolve(aliases, nominal, pkg, rest, depth + 1),
        "name-in-shared" => match resolve(aliases, nominal, pkg, rest, depth + 1)? {
            (false, lock) => Some((true, format!("Arc<{lock}<…>>"))),
            shared => Some(shared),
        },
        _ => None,
    }
}

/// `true` for a `PARAM` / `RET_TYPE` of a fn in `impl Trait for T` (see
/// [`super::ownership_common::in_trait_impl_signature`]: from the signature node itself, that
/// is its fn).
fn in_trait_impl_signature_of(node: &SyntaxNode) -> bool {
    signature_fn(node).is_some_and(|f| super::ownership_common::in_trait_impl(&f))
}

/// A name that may be a crate-local alias (the generic parameters in scope are checked apart).
fn candidate_name(name: &str) -> bool {
    // A hash set: the prefilter asks this for most type names of every field and parameter, and
    // a binary search over the list was a handful of `memcmp` calls each time.
    // Built in the default heap: the first call comes from a file's analysis, whose
    // allocations go to the tree region (`Engine::analyse_text`), and a block that lives for
    // the whole process would keep its chunk from ever being reused.
    static NOT_ALIAS_SET: std::sync::LazyLock<HashSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            crate::memory::in_heap(crate::memory::Heap::Default, || {
                NOT_ALIASES.iter().copied().collect()
            })
        });
    name.starts_with(|c: char| c.is_ascii_uppercase()) && !NOT_ALIAS_SET.contains(name)
}

/// `true` when [`site_description`] gives a description for this site (cheaply: without
/// building it). The caller has already checked that a `PARAM` / `RET_TYPE` belongs to a fn.
fn has_site_description(site: GreenNode<'_>) -> bool {
    match site.kind() {
        SyntaxKind::TYPE_ALIAS | SyntaxKind::STATIC | SyntaxKind::CONST => {
            site.child(SyntaxKind::NAME).is_some()
        }
        _ => true,
    }
}

/// Records what a `type` alias expands to: `shared\tArc<Mutex<..>>`, `lock\tMutex`,
/// `name\tOther` (another alias, maybe).
fn record_alias(node: &SyntaxNode, ty: &ast::Type, cx: &mut FileCx<'_>) {
    let Some(alias) = ast::TypeAlias::cast(node.clone()) else {
        return;
    };
    let Some(name) = alias.name() else { return };
    let range = name.syntax().text_range();
    let detail = if let Some(shared) = find_shared_mutable(ty) {
        format!("shared\t{}", display(&shared))
    } else if is_lock_or_cell(ty) {
        format!("lock\t{}", head_name(ty).unwrap_or_default())
    } else if let Some((head, args)) = head(ty) {
        if SHARED_OWNERS.contains(&head.as_str()) {
            // `type Handle = Arc<Db>` where `Db` may be an alias of a lock.
            match args.first().and_then(head_name) {
                Some(inner) => format!("name-in-shared\t{inner}"),
                None => return,
            }
        } else {
            format!("name\t{head}")
        }
    } else {
        return;
    };
    cx.fact(FACT_ALIAS, name.text().to_string(), detail, range);
}

/// `Arc::new(Mutex::new(..))`, `Rc::new(RefCell::new(..))`, ... where no type is written.
fn check_construction(node: &SyntaxNode, cx: &mut FileCx<'_>) {
    let Some(call) = ast::CallExpr::cast(node.clone()) else {
        return;
    };
    let Some(lock) = shared_constructor(&call) else {
        return;
    };
    let Some((owner, _, _)) = callee(&call) else {
        return;
    };
    // The outermost constructor is the site, and a type written where the value lands.
    let outer_constructor = |a: &SyntaxNode| {
        a.kind() == SyntaxKind::CALL_EXPR
            && ast::CallExpr::cast(a.clone())
                .and_then(|c| shared_constructor(&c))
                .is_some()
    };
    if type_written_for(
        node,
        |t| find_shared_mutable(t).is_some(),
        outer_constructor,
    ) {
        return;
    }
    let range = call
        .expr()
        .map(|e| e.syntax().text_range())
        .unwrap_or(node.text_range());
    cx.report(
        Finding::new(
            &META,
            range,
            format!("`{owner}::new({lock}::new(..))` creates mutable state shared by every clone"),
        )
        .suggestion(SUGGESTION),
    );
}

/// For `Arc::new(Mutex::new(..))`-like calls, the lock's name.
fn shared_constructor(call: &ast::CallExpr) -> Option<String> {
    // Cheap test first (no syntax nodes or strings built): this runs for every call.
    let (owner, func) = crate::analysis::syntax::call_type_and_fn(call.syntax())?;
    if !SHARED_OWNERS.contains(&owner) || func != "new" {
        return None;
    }
    let ast::Expr::CallExpr(inner) = first_arg(call)? else {
        return None;
    };
    let (lock, f, _) = callee(&inner)?;
    (LOCKS_AND_CELLS.contains(&lock.as_str()) && (f == "new" || f == "default")).then_some(lock)
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    /// The list (looked up by `candidate_name`) must hold the owners and locks; kept sorted.
    #[test]
    fn not_aliases_is_sorted_and_holds_owners_and_locks() {
        use super::{LOCKS_AND_CELLS, NOT_ALIASES, SHARED_OWNERS};
        assert!(NOT_ALIASES.windows(2).all(|w| w[0] < w[1]));
        for n in LOCKS_AND_CELLS.iter().chain(SHARED_OWNERS) {
            assert!(NOT_ALIASES.contains(n), "{n}");
        }
    }

    #[test]
    fn reports_declaration_sites() {
        check(
            "shared-mutable-state",
            r#"
use std::sync::{Arc, Mutex, RwLock};
use std::rc::Rc;
use std::cell::{Cell, RefCell};
pub struct AppState {
    pub orders: Arc<Mutex<Vec<u32>>>,
              //^^^^^^^^^^^^^^^^^^^^ warning: field `AppState::orders` shares mutable state through `Arc<Mutex<Vec<u32>>>`: every clone can change it
    cache: std::sync::Arc<parking_lot::RwLock<String>>,
         //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: field `AppState::cache` shares mutable state through `std::sync::Arc<parking_lot::RwLock<String>>`: every clone can change it
}
struct Tuple(Rc<RefCell<u8>>);
           //^^^^^^^^^^^^^^^ warning: field `Tuple::0` shares mutable state through `Rc<RefCell<u8>>`: every clone can change it
enum Node { Leaf(Rc<Cell<u32>>) }
               //^^^^^^^^^^^^^ warning: field `Leaf::0` shares mutable state through `Rc<Cell<u32>>`: every clone can change it
fn spawn(state: Arc<tokio::sync::Mutex<u8>>) -> Option<Arc<Mutex<u8>>> { None }
              //^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: parameter `state` of `spawn` shares mutable state through `Arc<tokio::sync::Mutex<u8>>`: every clone can change it
                                                     //^^^^^^^^^^^^^^ warning: the return type of `spawn` shares mutable state through `Arc<Mutex<u8>>`: every clone can change it
type Shared<T> = Arc<Mutex<T>>;
               //^^^^^^^^^^^^^ warning: type alias `Shared` shares mutable state through `Arc<Mutex<T>>`: every clone can change it
static GLOBAL: Arc<Mutex<u8>> = todo!();
             //^^^^^^^^^^^^^^ warning: static `GLOBAL` shares mutable state through `Arc<Mutex<u8>>`: every clone can change it
fn build() {
    let a: Arc<Mutex<u8>> = Arc::new(Mutex::new(0));
         //^^^^^^^^^^^^^^ warning: local `a` shares mutable state through `Arc<Mutex<u8>>`: every clone can change it
    let b = Arc::new(Mutex::new(Vec::<u8>::new()));
          //^^^^^^^^ warning: `Arc::new(Mutex::new(..))` creates mutable state shared by every clone
    let c = std::rc::Rc::new(RefCell::default());
          //^^^^^^^^^^^^^^^^ warning: `Rc::new(RefCell::new(..))` creates mutable state shared by every clone
}
"#,
        );
    }

    #[test]
    fn once_per_site_not_per_nesting_level() {
        check(
            "shared-mutable-state",
            r#"
use std::sync::{Arc, Mutex};
use std::collections::HashMap;
struct Registry {
    map: HashMap<String, Arc<Mutex<Arc<Mutex<u8>>>>>,
                       //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: field `Registry::map` shares mutable state through `Arc<Mutex<Arc<Mutex<u8>>>>`: every clone can change it
}
fn f() {
    let x = Arc::new(Mutex::new(Arc::new(Mutex::new(1u8))));
          //^^^^^^^^ warning: `Arc::new(Mutex::new(..))` creates mutable state shared by every clone
}
"#,
        );
    }

    #[test]
    fn near_misses_are_not_reported() {
        check(
            "shared-mutable-state",
            r#"
use std::sync::{Arc, Mutex, mpsc, atomic::AtomicUsize, OnceLock};
use std::cell::RefCell;
struct Config { name: String }
struct Owner {
    immutable: Arc<Config>,
    owned_lock: Mutex<Vec<u8>>,
    cell: RefCell<u8>,
    counter: Arc<AtomicUsize>,
    tx: mpsc::Sender<u8>,
    once: OnceLock<Config>,
    callback: Box<dyn Fn(Arc<Mutex<u8>>) + Send>,
    fn_ptr: fn(Arc<Mutex<u8>>),
}
trait Handler { fn handle(&self, state: Arc<Mutex<u8>>); }
                                      //^^^^^^^^^^^^^^ warning: parameter `state` of `handle` shares mutable state through `Arc<Mutex<u8>>`: every clone can change it
impl Handler for Owner {
    fn handle(&self, state: Arc<Mutex<u8>>) {}
}
struct S { state: Arc<Mutex<u8>> }
                //^^^^^^^^^^^^^^ warning: field `S::state` shares mutable state through `Arc<Mutex<u8>>`: every clone can change it
impl S {
    fn new() -> Self { S { state: Arc::new(Mutex::new(0)) } }
    fn shared() -> Arc<Mutex<u8>> { Arc::new(Mutex::new(0)) }
                 //^^^^^^^^^^^^^^ warning: the return type of `shared` shares mutable state through `Arc<Mutex<u8>>`: every clone can change it
}
fn g() {
    let a = Arc::new(Config { name: String::new() });
    let (tx, rx) = mpsc::channel::<u8>();
    let m = Mutex::new(0);
    let closure = |s: Arc<Mutex<u8>>| s;
    let cloned = Arc::clone(&a);
}
#[cfg(test)]
mod tests {
    struct T { s: std::sync::Arc<std::sync::Mutex<u8>> }
}
"#,
        );
    }

    #[test]
    fn test_code_is_reported_with_check_tests() {
        check_with_config(
            "shared-mutable-state",
            "[rules.shared-mutable-state]\ncheck-tests = true\n",
            r#"
#[cfg(test)]
mod tests {
    struct T { s: std::sync::Arc<std::sync::Mutex<u8>> }
                //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: field `T::s` shares mutable state through `std::sync::Arc<std::sync::Mutex<u8>>`: every clone can change it
}
"#,
        );
    }

    #[test]
    fn aliases_of_the_same_crate_are_followed() {
        check(
            "shared-mutable-state",
            r#"
//- /src/lib.rs
mod types;
mod server;
//- /src/types.rs
pub type Shared<T> = std::sync::Arc<std::sync::Mutex<T>>;
                   //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: type alias `Shared` shares mutable state through `std::sync::Arc<std::sync::Mutex<T>>`: every clone can change it
pub type Db = Shared<Vec<u8>>;
            //^^^^^^^^^^^^^^^ warning: type alias `Db` shares mutable state through `Shared<Vec<u8>>` (= `std::sync::Arc<std::sync::Mutex<T>>`): every clone can change it
pub type Guarded = parking_lot::Mutex<u32>;
pub type Plain = Vec<u8>;
//- /src/server.rs
use crate::types::*;
use std::sync::Arc;
pub struct Server {
    db: Db,
      //^^ warning: field `Server::db` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<T>>`): every clone can change it
    counter: Arc<Guarded>,
           //^^^^^^^^^^^^ warning: field `Server::counter` shares mutable state through `Arc<Guarded>` (= `Arc<Mutex<…>>`): every clone can change it
    plain: Plain,
    alone: Guarded,
}
fn serve(db: Shared<u8>) {}
           //^^^^^^^^^^ warning: parameter `db` of `serve` shares mutable state through `Shared<u8>` (= `std::sync::Arc<std::sync::Mutex<T>>`): every clone can change it
"#,
        );
    }

    #[test]
    fn aliases_of_other_crates_or_shadowed_by_structs_are_not_followed() {
        check(
            "shared-mutable-state",
            r#"
//- /Cargo.toml
[workspace]
members = ["a", "b"]
//- /a/Cargo.toml
[package]
name = "a"
version = "0.1.0"
//- /a/src/lib.rs
pub type Handle = std::rc::Rc<std::cell::RefCell<u8>>;
                //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: type alias `Handle` shares mutable state through `std::rc::Rc<std::cell::RefCell<u8>>`: every clone can change it
//- /b/Cargo.toml
[package]
name = "b"
version = "0.1.0"
//- /b/src/lib.rs
pub struct Handle;
pub struct User { h: Handle }
"#,
        );
    }
    /// The edges of the file pass's green reading and of the facts it holds back: generic
    /// parameters named like an alias, callbacks, `Self`, tuple fields of the same type, an
    /// alias used in its own file, a struct of the package that shadows an alias (the uses in
    /// its own file are not recorded, the others are recorded and not resolved), and every kind
    /// of site (each has its own fact kind).
    #[test]
    fn generics_callbacks_and_shadowing_near_aliases() {
        check(
            "shared-mutable-state",
            r#"
//- /src/lib.rs
mod types;
mod a;
mod b;
//- /src/types.rs
pub type Db = std::sync::Arc<std::sync::Mutex<u8>>;
            //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: type alias `Db` shares mutable state through `std::sync::Arc<std::sync::Mutex<u8>>`: every clone can change it
pub type Lock = parking_lot::Mutex<u8>;
pub type Shadowed = std::rc::Rc<std::cell::RefCell<u8>>;
                  //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: type alias `Shadowed` shares mutable state through `std::rc::Rc<std::cell::RefCell<u8>>`: every clone can change it
//- /src/a.rs
use crate::types::*;
// Generic parameters named like an alias are not the alias.
struct G<Db, Lock> { db: Db, lock: std::sync::Arc<Lock> }
fn g<Db>(db: Db) -> Vec<Db> { todo!() }
impl<Db> Wrap<Db> { fn get(&self) -> Option<Db> { None } }
// Callbacks take the state, they do not hold it; `Self` is never an alias.
struct P { cb: fn(Db) -> Db, f: Box<dyn Fn(Db) -> Db> }
impl P { fn me(self) -> Self { self } }
// Same field types: the index of each.
struct T(u8, Db, Db);
           //^^ warning: field `T::1` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
               //^^ warning: field `T::2` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
// Qualified, inside a shared owner, and in the same file as its alias.
fn h(db: crate::types::Db, lock: std::rc::Rc<Lock>, local: Local) {}
       //^^^^^^^^^^^^^^^^ warning: parameter `db` of `h` shares mutable state through `crate::types::Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
                               //^^^^^^^^^^^^^^^^^ warning: parameter `lock` of `h` shares mutable state through `std::rc::Rc<Lock>` (= `std::rc::Rc<Mutex<…>>`): every clone can change it
                                                         //^^^^^ warning: parameter `local` of `h` shares mutable state through `Local` (= `std::rc::Rc<std::cell::Cell<u8>>`): every clone can change it
type Local = std::rc::Rc<std::cell::Cell<u8>>;
           //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: type alias `Local` shares mutable state through `std::rc::Rc<std::cell::Cell<u8>>`: every clone can change it
// A struct of the package named like an alias shadows it (also in the other files).
struct S { s: Shadowed }
// Every kind of site.
fn r(_: u8) -> Db { todo!() }
             //^^ warning: the return type of `r` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
static ST: Option<Db> = None;
                //^^ warning: static `ST` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
const C: Option<Db> = None;
              //^^ warning: const `C` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
fn l() { let (a, b): (Db, u8) = todo!(); }
                    //^^ warning: local `(a, b)` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
type Again = Db;
           //^^ warning: type alias `Again` shares mutable state through `Db` (= `std::sync::Arc<std::sync::Mutex<u8>>`): every clone can change it
//- /src/b.rs
pub struct Shadowed;
pub struct U { s: Shadowed, v: Vec<Shadowed> }
"#,
        );
    }
}
