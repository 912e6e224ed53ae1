//! `mutex-of-primitive`: `Mutex<bool>`, `Mutex<usize>`, `Mutex<i32>`, `Mutex<*mut T>`... which an
//! atomic does better (clippy's `mutex_atomic` and `mutex_integer`).

use super::ownership_common::{
    callee, callee_turbofish, first_arg, head, in_trait_impl_signature, type_written_for,
};
use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::ast::HasGenericArgs;
use crate::analysis::syntax::{ast, AstNode, SyntaxKind, SyntaxNode};

pub(crate) struct MutexOfPrimitive;

pub static META: RuleMeta = RuleMeta {
    id: "mutex-of-primitive",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`Mutex<bool>`, `Mutex<usize>` and other integers or raw pointers: an atomic does it better.",
    options: &[RuleOption {
        key: "skip-with-condvar",
        default: OptionDefault::Bool(true),
        doc: "do not report in files that use a `Condvar` (a `Mutex<bool>` paired with a `Condvar` is the classic wait/notify pattern an atomic cannot replace)",
    }],
    docs: RuleDocs {
        what: "A `Mutex` (std, `parking_lot`, `tokio`...) whose content is a `bool`, an integer up to 64 bits \
               or a raw pointer: in types (fields, statics, lets, signatures, aliases, inside `Arc`) and in \
               `Mutex::new(..)` calls whose argument shows the type (`true`, `0u64`, `x as usize`, \
               `ptr::null_mut()`, `Mutex::<u32>::new(..)`) where no type is written (a typed `let`, `static` or \
               `const`, a field of a struct literal or of a tuple struct constructor such as `Self(..)`, the \
               enclosing fn's return type: the written type is the one reported). Files that use a \
               `Condvar` are skipped by default (`skip-with-condvar`).",
        why: "A lock around one machine word costs a system call under contention and can be poisoned, \
              held across an `.await`, or deadlock; an atomic does the same update in one instruction and \
              says exactly what is shared.",
        example: "struct Stats {\n    requests: Mutex<usize>,\n    shutting_down: Mutex<bool>,\n}",
        instead: "Use the atomic of the same type: `AtomicUsize` with `fetch_add`, `AtomicBool` with \
                  `load`/`store`. Keep the `Mutex` when the value must change together with other data \
                  (then lock a struct holding both) or when a `Condvar` waits on it.",
    },
    fixable: false,
};

impl Rule for MutexOfPrimitive {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::PATH_TYPE, SyntaxKind::CALL_EXPR]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        match node.kind() {
            SyntaxKind::PATH_TYPE => node.path_type_name() == Some("Mutex"),
            _ => node.call_type_and_fn() == Some(("Mutex", "new")),
        }
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        if let Some(ty) = ast::Type::cast(node.clone()) {
            // Cheap test before `head` allocates: this runs for every path type.
            if crate::analysis::syntax::path_type_name(node) != Some("Mutex") {
                return;
            }
            let Some((name, args)) = head(&ty) else {
                return;
            };
            if name != "Mutex" || args.len() != 1 || in_trait_impl_signature(node) {
                return;
            }
            if let Some(atomic) = atomic_for_type(&args[0]) {
                let written =
                    super::ownership_common::compact(&args[0].syntax().text().to_string());
                report(cx, node, &format!("`Mutex<{written}>`"), &atomic);
            }
            return;
        }
        // Cheap test first (no syntax nodes or strings built): this runs for every call.
        if crate::analysis::syntax::call_type_and_fn(node) != Some(("Mutex", "new")) {
            return;
        }
        let Some(call) = ast::CallExpr::cast(node.clone()) else {
            return;
        };
        let Some((ty_name, func, path)) = callee(&call) else {
            return;
        };
        if ty_name != "Mutex" || func != "new" {
            return;
        }
        let atomic = match callee_turbofish(&path) {
            Some(t) => atomic_for_type(&t),
            None => first_arg(&call).and_then(|a| atomic_for_expr(&a)),
        };
        let Some(atomic) = atomic else { return };
        // Where a type is written, the type is the site.
        let names_mutex = |t: &ast::Type| {
            t.syntax()
                .descendants()
                .filter_map(ast::Type::cast)
                .any(|t| head(&t).is_some_and(|(n, _)| n == "Mutex"))
        };
        // Also a field of a tuple struct / variant constructor (`Self(..)`, `Wrapper(..)`; not
        // the generic `Some`, `Ok`, `Err`): the field's type is written in the type's
        // definition.
        let constructor_field = |a: &SyntaxNode| {
            a.kind() == SyntaxKind::ARG_LIST && a.parent().is_some_and(|c| is_constructor_call(&c))
        };
        if type_written_for(node, names_mutex, constructor_field) {
            return;
        }
        let range_node = call.syntax();
        let arg = first_arg(&call)
            .map(|a| super::ownership_common::compact(&a.syntax().text().to_string()))
            .unwrap_or_default();
        let shown = if arg.chars().count() > 24 {
            "..".to_string()
        } else {
            arg
        };
        report(cx, range_node, &format!("`Mutex::new({shown})`"), &atomic);
    }
}

/// `true` for a call of a tuple struct or variant constructor (`S(..)`, `Self(..)`,
/// `E::V(..)`: the callee's last segment is capitalised), except `Some`, `Ok` and `Err`, whose
/// field types are generic.
fn is_constructor_call(call: &SyntaxNode) -> bool {
    let Some(ast::Expr::PathExpr(pe)) = ast::CallExpr::cast(call.clone()).and_then(|c| c.expr())
    else {
        return false;
    };
    let Some(name) = pe
        .path()
        .and_then(|p| p.segment())
        .and_then(|s| s.name_ref())
    else {
        return false;
    };
    let name = name.text();
    let name = crate::analysis::syntax::unraw(name);
    name.starts_with(|c: char| c.is_ascii_uppercase()) && !matches!(name, "Some" | "Ok" | "Err")
}

fn report(cx: &mut FileCx<'_>, node: &SyntaxNode, what: &str, atomic: &str) {
    // Checked only for a candidate: scanning the text for every node would be quadratic.
    if cx.bool_opt("skip-with-condvar") && cx.text.contains("Condvar") {
        return;
    }
    cx.report(
        Finding::new(
            &META,
            node.text_range(),
            format!("{what} locks a single primitive value; use {} instead", quoted(atomic)),
        )
        .suggestion(format!(
            "replace the mutex with {} (load/store/fetch_* operations), unless the value must change together with other data",
            quoted(atomic)
        )),
    );
}

fn quoted(atomic: &str) -> String {
    if atomic.contains(' ') {
        atomic.to_string()
    } else {
        format!("`{atomic}`")
    }
}

/// `bool` -> `AtomicBool`, `usize` -> `AtomicUsize`, `*mut T` -> `AtomicPtr<T>`...
fn atomic_for_type(t: &ast::Type) -> Option<String> {
    match t {
        ast::Type::PtrType(p) => {
            let inner = p
                .ty()
                .map(|t| super::ownership_common::compact(&t.syntax().text().to_string()))
                .unwrap_or_else(|| "_".into());
            Some(format!("AtomicPtr<{inner}>"))
        }
        ast::Type::PathType(p) => {
            let path = p.path()?;
            // `std::primitive::u32`, `core::primitive::bool`, or plain.
            let segs = crate::analysis::syntax::path_segments(&path);
            if segs.len() > 1 && segs[segs.len() - 2] != "primitive" {
                return None;
            }
            if path.segment()?.generic_arg_list().is_some() {
                return None;
            }
            atomic_for_name(segs.last()?)
        }
        _ => None,
    }
}

fn atomic_for_name(name: &str) -> Option<String> {
    Some(
        match name {
            "bool" => "AtomicBool",
            "usize" => "AtomicUsize",
            "isize" => "AtomicIsize",
            "u8" => "AtomicU8",
            "u16" => "AtomicU16",
            "u32" => "AtomicU32",
            "u64" => "AtomicU64",
            "i8" => "AtomicI8",
            "i16" => "AtomicI16",
            "i32" => "AtomicI32",
            "i64" => "AtomicI64",
            _ => return None,
        }
        .to_string(),
    )
}

/// The atomic for an argument whose type shows: literals, casts, `ptr::null_mut()`.
fn atomic_for_expr(e: &ast::Expr) -> Option<String> {
    match e {
        ast::Expr::Literal(l) => {
            let text = l.syntax().text().to_string();
            if text == "true" || text == "false" {
                return Some("AtomicBool".into());
            }
            if !text.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let based = text.starts_with("0x") || text.starts_with("0o") || text.starts_with("0b");
            for suffix in [
                "usize", "isize", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64",
            ] {
                if text.ends_with(suffix) {
                    return atomic_for_name(suffix);
                }
            }
            let float = !based
                && (text.contains(['.', 'e', 'E'])
                    || text.ends_with("f32")
                    || text.ends_with("f64"));
            if float || text.ends_with("128") {
                return None;
            }
            Some("the atomic of the integer's type (`AtomicI32`, `AtomicUsize`, ...)".to_string())
        }
        ast::Expr::PrefixExpr(p) if p.op_kind() == Some(ast::UnaryOp::Neg) => {
            atomic_for_expr(&p.expr()?)
        }
        ast::Expr::CastExpr(c) => atomic_for_type(&c.ty()?),
        ast::Expr::ParenExpr(p) => atomic_for_expr(&p.expr()?),
        ast::Expr::CallExpr(c) => {
            let ast::Expr::PathExpr(pe) = c.expr()? else {
                return None;
            };
            let segs = crate::analysis::syntax::path_segments(&pe.path()?);
            let last = segs.last()?.as_str();
            let qualified = segs.len() == 1 || segs.iter().any(|s| s == "ptr");
            (qualified && (last == "null_mut" || last == "null")).then(|| "AtomicPtr".to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    /// An attribute on the call puts `ATTR` children before the callee: the call is still seen.
    #[test]
    fn reports_attributed_constructors() {
        check(
            "mutex-of-primitive",
            r#"
fn f() {
    let a = #[allow(unused)] Mutex::new(true);
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex::new(true)` locks a single primitive value; use `AtomicBool` instead
}
"#,
        );
    }

    #[test]
    fn reports_types_and_constructors() {
        check(
            "mutex-of-primitive",
            r#"
use std::sync::{Arc, Mutex};
pub struct Stats {
    requests: Mutex<usize>,
            //^^^^^^^^^^^^ warning: `Mutex<usize>` locks a single primitive value; use `AtomicUsize` instead
    down: Arc<parking_lot::Mutex<bool>>,
            //^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex<bool>` locks a single primitive value; use `AtomicBool` instead
    ptr: Mutex<*mut u8>,
       //^^^^^^^^^^^^^^ warning: `Mutex<*mut u8>` locks a single primitive value; use `AtomicPtr<u8>` instead
    wide: Mutex<std::primitive::i64>,
        //^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex<std::primitive::i64>` locks a single primitive value; use `AtomicI64` instead
}
static FLAG: Mutex<bool> = Mutex::new(false);
           //^^^^^^^^^^^ warning: `Mutex<bool>` locks a single primitive value; use `AtomicBool` instead
fn f(n: u32) {
    let a = Mutex::new(true);
          //^^^^^^^^^^^^^^^^ warning: `Mutex::new(true)` locks a single primitive value; use `AtomicBool` instead
    let b = Arc::new(Mutex::new(0u64));
                   //^^^^^^^^^^^^^^^^ warning: `Mutex::new(0u64)` locks a single primitive value; use `AtomicU64` instead
    let c = Mutex::new(n as usize);
          //^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex::new(n as usize)` locks a single primitive value; use `AtomicUsize` instead
    let d = Mutex::<u16>::new(Default::default());
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex::new(Default::default())` locks a single primitive value; use `AtomicU16` instead
    let e = Mutex::new(std::ptr::null_mut::<u8>());
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex::new(..)` locks a single primitive value; use `AtomicPtr` instead
    let g = Mutex::new(0);
          //^^^^^^^^^^^^^ warning: `Mutex::new(0)` locks a single primitive value; use the atomic of the integer's type (`AtomicI32`, `AtomicUsize`, ...) instead
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "mutex-of-primitive",
            r#"
use std::sync::{Mutex, RwLock};
struct S {
    v: Mutex<Vec<u8>>,
    big: Mutex<u128>,
    f: Mutex<f64>,
    rw: RwLock<bool>,
    pair: Mutex<(bool, u8)>,
    opt: Mutex<Option<u8>>,
    custom: Mutex<my::usize>,
    s: Mutex<String>,
}
impl S {
    fn new() -> S { S { v: Mutex::new(vec![]), big: Mutex::new(0), f: Mutex::new(1.0), rw: RwLock::new(true), pair: Mutex::new((true, 1)), opt: Mutex::new(None), custom: todo!(), s: Mutex::new(String::new()) } }
}
fn f(x: u8) {
    let a = Mutex::new(x);
    let b = Mutex::new(1.5);
    let c: Mutex<u8> = Mutex::new(0);
         //^^^^^^^^^ warning: `Mutex<u8>` locks a single primitive value; use `AtomicU8` instead
}
#[cfg(test)]
mod tests {
    static T: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
}
"#,
        );
    }

    /// Hand-written edges: qualified paths, nesting, constructors whose type is written
    /// elsewhere, trait impls, macros.
    #[test]
    fn edges() {
        check(
            "mutex-of-primitive",
            r#"
use std::sync::Mutex as M;
pub struct S {
    a: std::sync::Arc<std::sync::Mutex<bool>>,
                    //^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex<bool>` locks a single primitive value; use `AtomicBool` instead
    b: Vec<tokio::sync::Mutex<u32>>,
         //^^^^^^^^^^^^^^^^^^^^^^^ warning: `Mutex<u32>` locks a single primitive value; use `AtomicU32` instead
    c: Mutex<Mutex<u8>>,
           //^^^^^^^^^ warning: `Mutex<u8>` locks a single primitive value; use `AtomicU8` instead
    d: Mutex<*const u8>,
     //^^^^^^^^^^^^^^^^ warning: `Mutex<*const u8>` locks a single primitive value; use `AtomicPtr<u8>` instead
    e: Mutex<()>,
    f: Mutex<[u8; 4]>,
    g: Mutex<&'static str>,
    h: Mutex<Option<bool>>,
    i: Mutex<char>,
    j: Mutex<crate::u32>,
    k: Mutex<bool, Raw>,
    l: RwLock<usize>,
}
pub struct T(Mutex<u128>, Mutex<i64>);
                        //^^^^^^^^^^ warning: `Mutex<i64>` locks a single primitive value; use `AtomicI64` instead
impl S {
    fn wide() -> T { T(Mutex::new(0), Mutex::new(0)) }
    fn made() -> Mutex<u128> { Mutex::new(0) }
    fn flag() -> M<bool> { M::new(false) }
    fn flag2() -> Mutex<bool> { Mutex::new(false) }
                //^^^^^^^^^^^ warning: `Mutex<bool>` locks a single primitive value; use `AtomicBool` instead
}
impl T {
    fn new() -> Self { Self(Mutex::new(0), Mutex::new(Default::default())) }
    fn wrapped() -> Self { Self::Wrapped(std::sync::Arc::new(Mutex::new(0))) }
}
trait Tr { fn get(&self) -> Mutex<u8>; }
                          //^^^^^^^^^ warning: `Mutex<u8>` locks a single primitive value; use `AtomicU8` instead
impl Tr for S { fn get(&self) -> Mutex<u8> { todo!() } }
type Counter = Mutex<usize>;
             //^^^^^^^^^^^^ warning: `Mutex<usize>` locks a single primitive value; use `AtomicUsize` instead
fn g(n: u128) {
    let a = Mutex::new(b'a');
    let b = Mutex::new(0u128);
    let c = Mutex::new(n);
    let d = Mutex::new(1e3);
    let e = Mutex::new(0x10);
          //^^^^^^^^^^^^^^^^ warning: `Mutex::new(0x10)` locks a single primitive value; use the atomic of the integer's type (`AtomicI32`, `AtomicUsize`, ...) instead
    let f = Mutex::new(-1i8);
          //^^^^^^^^^^^^^^^^ warning: `Mutex::new(-1i8)` locks a single primitive value; use `AtomicI8` instead
    let h = RwLock::new(true);
    let i = Some(Mutex::new(false));
               //^^^^^^^^^^^^^^^^^ warning: `Mutex::new(false)` locks a single primitive value; use `AtomicBool` instead
    let j: Option<std::sync::Arc<Mutex<u8>>> = Some(Arc::new(Mutex::new(0)));
                               //^^^^^^^^^ warning: `Mutex<u8>` locks a single primitive value; use `AtomicU8` instead
}
macro_rules! m { () => { static X: Mutex<bool> = Mutex::new(false); } }
"#,
        );
    }

    #[test]
    fn condvar_files_are_skipped_unless_configured() {
        let fixture = r#"
use std::sync::{Condvar, Mutex};
struct Gate { open: Mutex<bool>, cv: Condvar }
"#;
        check("mutex-of-primitive", fixture);
        check_with_config(
            "mutex-of-primitive",
            "[rules.mutex-of-primitive]\nskip-with-condvar = false\n",
            r#"
use std::sync::{Condvar, Mutex};
struct Gate { open: Mutex<bool>, cv: Condvar }
                  //^^^^^^^^^^^ warning: `Mutex<bool>` locks a single primitive value; use `AtomicBool` instead
"#,
        );
    }
}
