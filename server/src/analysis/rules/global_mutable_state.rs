//! `global-mutable-state`: `static` items (also in `lazy_static!` and `thread_local!`) whose type
//! holds a lock or a cell — process-wide (or thread-wide) mutable state.

use super::ownership_common::{find_lock_or_cell, head_name};
use crate::analysis::engine::FileCx;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode, SyntaxToken, T};

pub(crate) struct GlobalMutableState;

pub static META: RuleMeta = RuleMeta {
    id: "global-mutable-state",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`static` items holding a `Mutex`, `RwLock`, `RefCell`, `Cell` or `UnsafeCell`: process-wide mutable state.",
    options: &[],
    docs: RuleDocs {
        what: "`static` items (not `static mut`, which is `static-mut`'s) whose written type holds a `Mutex`, \
               `RwLock`, `ReentrantMutex`, `RefCell`, `Cell` or `UnsafeCell` anywhere: `static M: Mutex<..>`, \
               `LazyLock<Mutex<..>>`, `OnceLock<RwLock<..>>`, `once_cell::sync::Lazy<Mutex<..>>`, statics \
               declared in `lazy_static!` blocks, and `thread_local!` statics with a `RefCell` or `Cell`. \
               Statics inside fn bodies count too. Not reported: atomics, `OnceLock<T>`/`LazyLock<T>` of \
               data that is written once, `const` items, test code unless `check-tests` is on.",
        why: "Any code in the process can lock and change the state, so nothing owns it: tests interfere \
              with each other, the order of initialisation and access becomes a hidden protocol, and the \
              functions that touch it do not say so in their signatures.",
        example: "static SESSIONS: LazyLock<Mutex<HashMap<Id, Session>>> =\n    LazyLock::new(|| Mutex::new(HashMap::new()));",
        instead: "Create the state in `main` (or the server's constructor) and pass it, or a handle to it, to \
                  the code that needs it. For counters use an atomic; for configuration set once, \
                  `OnceLock<Config>`.",
    },
    fixable: false,
};

impl Rule for GlobalMutableState {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STATIC, SyntaxKind::MACRO_CALL]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        node.kind() != SyntaxKind::MACRO_CALL
            || matches!(node.macro_name(), Some("lazy_static" | "thread_local"))
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        if let Some(s) = ast::Static::cast(node.clone()) {
            if s.mut_token().is_some() {
                return;
            }
            let (Some(name), Some(ty)) = (s.name(), s.ty()) else {
                return;
            };
            if let Some(lock) = find_lock_or_cell(&ty) {
                let name_text = name.text().to_string();
                report(cx, name.syntax().text_range(), &name_text, &lock, "static");
            }
            return;
        }
        let Some(mac) = ast::MacroCall::cast(node.clone()) else {
            return;
        };
        let Some(macro_name) = mac
            .path()
            .and_then(|p| p.segment())
            .and_then(|s| s.name_ref())
            .map(|n| n.text().to_string())
        else {
            return;
        };
        let thread_local = match macro_name.as_str() {
            "lazy_static" => false,
            "thread_local" => true,
            _ => return,
        };
        let Some(tt) = mac.token_tree() else { return };
        let tokens: Vec<SyntaxToken> = tt
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| !t.kind().is_trivia())
            .collect();
        for decl in macro_statics(&tokens) {
            let parsed = crate::analysis::syntax::parse(
                &format!("type __T = {};", decl.ty),
                cx.meta.edition,
            );
            let Some(ty) = parsed
                .tree()
                .syntax()
                .descendants()
                .find_map(ast::TypeAlias::cast)
                .and_then(|a| a.ty())
            else {
                continue;
            };
            if let Some(lock) = find_lock_or_cell(&ty) {
                let kind = if thread_local {
                    "thread-local static"
                } else {
                    "lazy static"
                };
                report(cx, decl.name.text_range(), decl.name.text(), &lock, kind);
            }
        }
    }
}

fn report(
    cx: &mut FileCx<'_>,
    range: crate::analysis::syntax::TextRange,
    name: &str,
    lock: &ast::Type,
    kind: &str,
) {
    let lock = head_name(lock).unwrap_or_default();
    let scope = if kind.starts_with("thread") {
        "thread-wide"
    } else {
        "process-wide"
    };
    cx.report(
        Finding::new(
            &META,
            range,
            format!("{kind} `{name}` holds a `{lock}`: {scope} mutable state that any code can change"),
        )
        .suggestion("create the state where the program starts and pass it (or a handle) to the code that needs it; use an atomic for counters")
        .symbol(name.to_string()),
    );
}

struct MacroStatic {
    name: SyntaxToken,
    ty: String,
}

/// `static [ref] NAME: TYPE =` declarations inside a macro's token tree.
fn macro_statics(tokens: &[SyntaxToken]) -> Vec<MacroStatic> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].kind() != T![static] {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|t| t.text() == "ref") {
            j += 1;
        }
        let (Some(name), Some(colon)) = (tokens.get(j), tokens.get(j + 1)) else {
            break;
        };
        if name.kind() != SyntaxKind::IDENT || colon.kind() != T![:] {
            i = j;
            continue;
        }
        let mut depth = 0i32;
        let mut ty: Vec<&str> = Vec::new();
        let mut k = j + 2;
        while let Some(t) = tokens.get(k) {
            match t.kind() {
                T![<] => depth += 1,
                T![>] => depth -= 1,
                T![=] | T![;] if depth <= 0 => break,
                _ => {}
            }
            ty.push(t.text());
            k += 1;
        }
        out.push(MacroStatic {
            name: name.clone(),
            ty: super::ownership_common::join_tokens(ty.into_iter()),
        });
        i = k;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_statics_holding_locks_and_cells() {
        check(
            "global-mutable-state",
            r#"
use std::sync::{Mutex, RwLock, LazyLock, OnceLock};
use std::collections::HashMap;
pub static SESSIONS: LazyLock<Mutex<HashMap<u32, String>>> = LazyLock::new(|| Mutex::new(HashMap::new()));
         //^^^^^^^^ warning: static `SESSIONS` holds a `Mutex`: process-wide mutable state that any code can change
static PLAIN: Mutex<Vec<u8>> = Mutex::new(Vec::new());
     //^^^^^ warning: static `PLAIN` holds a `Mutex`: process-wide mutable state that any code can change
static CONFIG: OnceLock<RwLock<String>> = OnceLock::new();
     //^^^^^^ warning: static `CONFIG` holds a `RwLock`: process-wide mutable state that any code can change
static CELL: once_cell::sync::Lazy<parking_lot::Mutex<u8>> = once_cell::sync::Lazy::new(Default::default);
     //^^^^ warning: static `CELL` holds a `Mutex`: process-wide mutable state that any code can change
fn f() {
    static LOCAL: Mutex<u8> = Mutex::new(0);
         //^^^^^ warning: static `LOCAL` holds a `Mutex`: process-wide mutable state that any code can change
}
lazy_static::lazy_static! {
    static ref REGISTRY: Mutex<HashMap<String, u32>> = Mutex::new(HashMap::new());
             //^^^^^^^^ warning: lazy static `REGISTRY` holds a `Mutex`: process-wide mutable state that any code can change
    pub static ref NAMES: Vec<String> = Vec::new();
}
thread_local! {
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
         //^^^^^ warning: thread-local static `DEPTH` holds a `Cell`: thread-wide mutable state that any code can change
    pub static STACK: RefCell<Vec<u8>> = RefCell::new(Vec::new());
             //^^^^^ warning: thread-local static `STACK` holds a `RefCell`: thread-wide mutable state that any code can change
}
"#,
        );
    }

    #[test]
    fn near_misses_are_not_reported() {
        check(
            "global-mutable-state",
            r#"
use std::sync::{Mutex, OnceLock, LazyLock, atomic::{AtomicUsize, AtomicBool}};
static COUNTER: AtomicUsize = AtomicUsize::new(0);
static READY: AtomicBool = AtomicBool::new(false);
static CONFIG: OnceLock<String> = OnceLock::new();
static TABLE: LazyLock<Vec<u32>> = LazyLock::new(|| vec![1, 2]);
static mut RAW: u32 = 0;
const TEMPLATE: Mutex<u8> = Mutex::new(0);
static ONCE_CELL: once_cell::sync::OnceCell<String> = once_cell::sync::OnceCell::new();
struct Holder { m: Mutex<u8> }
lazy_static::lazy_static! {
    static ref NAMES: Vec<String> = Vec::new();
}
thread_local! {
    static ID: u64 = 7;
}
#[cfg(test)]
mod tests {
    static TEST_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
}
"#,
        );
    }
}
