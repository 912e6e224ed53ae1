//! `pub-interior-mutability`: `pub` fields whose type is a `Cell`, `RefCell`, `Mutex`, `RwLock`
//! (or holds one, like `Arc<Mutex<T>>`): anyone can change the owner's state behind its back.

use super::ownership_common::{
    compact, head, head_name, path_types, site_description, LOCKS_AND_CELLS,
};
use crate::analysis::engine::FileCx;
use crate::analysis::model::Visibility;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};

pub(crate) struct PubInteriorMutability;

pub static META: RuleMeta = RuleMeta {
    id: "pub-interior-mutability",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`pub` fields holding a `Cell`, `RefCell`, `Mutex` or `RwLock`: anyone can change the owner's state.",
    options: &[
        RuleOption {
            key: "include-crate-visible",
            default: OptionDefault::Bool(false),
            doc: "also report `pub(crate)` fields, and `pub` fields of structs that are not `pub`",
        },
        RuleOption {
            key: "include-atomics",
            default: OptionDefault::Bool(false),
            doc: "also report `pub` fields holding atomics (`AtomicUsize`, ...)",
        },
    ],
    docs: RuleDocs {
        what: "Fields of `pub` structs (and unions) declared `pub` whose type holds a `Cell`, `RefCell`, \
               `Mutex`, `RwLock`, `ReentrantMutex` or `UnsafeCell` anywhere (`Arc<Mutex<T>>`, \
               `Vec<Cell<u8>>`), named or tuple fields. Enum variant fields are not reported (they are \
               always public), nor `PhantomData<..>` markers, types named like a cell but written without a \
               type argument (a table's `Cell`, `Cell<'a>`), or structs declared inside a fn body. With \
               `include-crate-visible`, `pub(crate)` fields and fields of non-`pub` structs (and of structs \
               in fn bodies) count too; with `include-atomics`, atomics count too. Test code is skipped unless \
               `check-tests` is on.",
        why: "Interior mutability lets code change a value through a shared reference. Behind a `pub` \
              field, any code holding `&Owner` can change the owner's state without the owner knowing: \
              its invariants can no longer be kept by its methods, and every reader of the type must \
              consider every place that might write.",
        example: "pub struct Cache {\n    pub entries: RefCell<HashMap<String, Entry>>,\n}",
        instead: "Make the field private and give the owner a method for each change it allows \
                  (`cache.insert(k, v)`, `cache.get(k)`), so the locking or borrowing happens in one place.",
    },
    fixable: false,
};

const ATOMICS: &[&str] = &[
    "AtomicBool",
    "AtomicUsize",
    "AtomicIsize",
    "AtomicU8",
    "AtomicU16",
    "AtomicU32",
    "AtomicU64",
    "AtomicI8",
    "AtomicI16",
    "AtomicI32",
    "AtomicI64",
    "AtomicPtr",
];

impl Rule for PubInteriorMutability {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::RECORD_FIELD, SyntaxKind::TUPLE_FIELD]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        // What `check_node` needs before anything else: a visibility, and a type that names a
        // lock, a cell or (with `include-atomics`) an atomic somewhere.
        node.has_child(SyntaxKind::VISIBILITY)
            && super::ownership_common::site_type_named(node, |n| {
                LOCKS_AND_CELLS.contains(&n) || ATOMICS.contains(&n)
            })
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let (vis, ty) = if let Some(f) = ast::RecordField::cast(node.clone()) {
            (Visibility::of(&f).0, f.ty())
        } else if let Some(f) = ast::TupleField::cast(node.clone()) {
            (Visibility::of(&f).0, f.ty())
        } else {
            return;
        };
        let Some(ty) = ty else { return };
        let wide = cx.bool_opt("include-crate-visible");
        let field_ok = vis.is_pub() || wide && vis == Visibility::PubCrate;
        if !field_ok {
            return;
        }
        // The owner: a struct or union (enum variants' fields are always public).
        let Some(owner) = node.ancestors().skip(1).find(|a| {
            matches!(
                a.kind(),
                SyntaxKind::STRUCT | SyntaxKind::UNION | SyntaxKind::VARIANT
            )
        }) else {
            return;
        };
        if owner.kind() == SyntaxKind::VARIANT {
            return;
        }
        let (owner_vis, owner_name) = match ast::Struct::cast(owner.clone()) {
            Some(s) => (Visibility::of(&s).0, s.name()),
            None => match ast::Union::cast(owner.clone()) {
                Some(u) => (Visibility::of(&u).0, u.name()),
                None => return,
            },
        };
        // A struct declared in a fn body is seen only there, whatever its visibility says.
        let in_body = owner
            .ancestors()
            .skip(1)
            .any(|a| a.kind() == SyntaxKind::STMT_LIST);
        if !wide && (!owner_vis.is_pub() || in_body) {
            return;
        }
        let owner_name = owner_name.map(|n| n.text().to_string()).unwrap_or_default();
        let found = find_held(&ty, |name, args| {
            LOCKS_AND_CELLS.contains(&name) && !args.is_empty()
        })
        .or_else(|| {
            if !cx.bool_opt("include-atomics") {
                return None;
            }
            find_held(&ty, |name, _| ATOMICS.contains(&name))
        });
        let Some(inner) = found else { return };
        let Some(site) = site_description(node) else {
            return;
        };
        let kind = head_name(&inner).unwrap_or_default();
        let written = compact(&ty.syntax().text().to_string());
        let vis_text = if vis.is_pub() { "pub" } else { "pub(crate)" };
        let _ = &written;
        let how = if inner.syntax().text_range() == ty.syntax().text_range() {
            format!("is a `{kind}`")
        } else {
            format!("holds a `{kind}`")
        };
        cx.report(
            Finding::new(
                &META,
                super::ownership_common::range_without_leading_trivia(node),
                format!(
                    "`{vis_text}` {site} {how}: any code with a `&{owner_name}` can change its state behind its back"
                ),
            )
            .suggestion(format!(
                "make the field private and add a method on `{owner_name}` for each change it allows"
            )),
        );
    }
}

/// The first path type inside `ty` (see [`path_types`]) whose name and type arguments satisfy
/// `pred` and that holds a value: not inside a `PhantomData` (`PhantomData<Cell<()>>` is the
/// usual `!Sync` marker, it holds nothing).
fn find_held(ty: &ast::Type, pred: impl Fn(&str, &[ast::Type]) -> bool) -> Option<ast::Type> {
    path_types(ty).into_iter().find(|t| {
        head(t).is_some_and(|(name, args)| pred(&name, &args))
            && !t
                .syntax()
                .ancestors()
                .skip(1)
                .take_while(|a| {
                    a.kind() != SyntaxKind::RECORD_FIELD && a.kind() != SyntaxKind::TUPLE_FIELD
                })
                .filter_map(ast::Type::cast)
                .any(|a| head_name(&a).is_some_and(|n| n == "PhantomData"))
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_pub_fields_with_interior_mutability() {
        check(
            "pub-interior-mutability",
            r#"
use std::cell::{Cell, RefCell};
use std::sync::{Arc, Mutex, RwLock};
pub struct Cache {
    pub entries: RefCell<Vec<String>>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Cache::entries` is a `RefCell`: any code with a `&Cache` can change its state behind its back
    pub hits: Cell<u32>,
  //^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Cache::hits` is a `Cell`: any code with a `&Cache` can change its state behind its back
    pub shared: Arc<Mutex<u8>>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Cache::shared` holds a `Mutex`: any code with a `&Cache` can change its state behind its back
    entries2: RefCell<u8>,
}
pub struct Wrapper(pub std::sync::RwLock<String>, u8);
                 //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Wrapper::0` is a `RwLock`: any code with a `&Wrapper` can change its state behind its back
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "pub-interior-mutability",
            r#"
use std::cell::RefCell;
use std::sync::{Mutex, atomic::AtomicUsize, OnceLock};
pub struct Owner {
    entries: RefCell<Vec<String>>,
    pub(crate) lock: Mutex<u8>,
    pub count: AtomicUsize,
    pub once: OnceLock<String>,
    pub name: String,
}
struct Private { pub m: Mutex<u8> }
pub enum E { A { m: Mutex<u8> }, B(RefCell<u8>) }
#[cfg(test)]
mod tests {
    pub struct T { pub m: std::sync::Mutex<u8> }
}
"#,
        );
    }

    /// Hand-written edges: qualified paths, nesting, visibilities, markers, local types.
    #[test]
    fn edges() {
        check(
            "pub-interior-mutability",
            r#"
pub struct Owner<'a, T> {
    pub a: std::cell::Cell<u8>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Owner::a` is a `Cell`: any code with a `&Owner` can change its state behind its back
    pub b: Option<std::sync::Arc<parking_lot::RwLock<T>>>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Owner::b` holds a `RwLock`: any code with a `&Owner` can change its state behind its back
    pub c: &'a core::cell::UnsafeCell<T>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Owner::c` holds a `UnsafeCell`: any code with a `&Owner` can change its state behind its back
    pub(super) d: Mutex<u8>,
    pub(in crate::x) e: Mutex<u8>,
    pub(crate) f: RefCell<u8>,
    pub r#g: Vec<RefCell<u8>>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Owner::r#g` holds a `RefCell`: any code with a `&Owner` can change its state behind its back
    pub callback: fn(&Cell<u8>) -> u8,
    pub hook: Box<dyn Fn(&RefCell<u8>) -> Mutex<u8>>,
    pub marker: std::marker::PhantomData<Cell<()>>,
    pub table: Vec<Cell>,
    pub row: tui::Cell<'a>,
    pub once: std::sync::OnceLock<u8>,
    pub lazy: once_cell::sync::Lazy<u8>,
}
pub(crate) struct Krate { pub m: Mutex<u8> }
pub union U { pub c: std::mem::ManuallyDrop<Cell<u8>> }
            //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `U::c` holds a `Cell`: any code with a `&U` can change its state behind its back
fn body() {
    pub struct Local { pub m: Mutex<u8> }
}
mod inner {
    pub struct Deep(pub RefCell<u8>);
                  //^^^^^^^^^^^^^^^ warning: `pub` field `Deep::0` is a `RefCell`: any code with a `&Deep` can change its state behind its back
}
macro_rules! m { () => { pub struct InMacro { pub m: Mutex<u8> } } }
"#,
        );
    }

    #[test]
    fn wider_settings() {
        check_with_config(
            "pub-interior-mutability",
            "[rules.pub-interior-mutability]\ninclude-crate-visible = true\ninclude-atomics = true\n",
            r#"
use std::sync::{Mutex, atomic::AtomicUsize};
pub struct Owner {
    pub(crate) lock: Mutex<u8>,
  //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `pub(crate)` field `Owner::lock` is a `Mutex`: any code with a `&Owner` can change its state behind its back
    pub count: AtomicUsize,
  //^^^^^^^^^^^^^^^^^^^^^^ warning: `pub` field `Owner::count` is a `AtomicUsize`: any code with a `&Owner` can change its state behind its back
}
struct Private { pub m: Mutex<u8> }
               //^^^^^^^^^^^^^^^^ warning: `pub` field `Private::m` is a `Mutex`: any code with a `&Private` can change its state behind its back
fn body() {
    pub struct Local { pub m: Mutex<u8> }
                     //^^^^^^^^^^^^^^^^ warning: `pub` field `Local::m` is a `Mutex`: any code with a `&Local` can change its state behind its back
}
"#,
        );
    }
}
