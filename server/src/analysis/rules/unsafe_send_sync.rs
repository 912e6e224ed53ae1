//! `unsafe-send-sync`: `unsafe impl Send for T` / `unsafe impl Sync for T`.

use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::GreenNode;
use crate::analysis::syntax::{
    ast, is_comment, AstNode, Direction, NodeOrToken, SyntaxKind, SyntaxNode, TextRange,
};

pub(crate) struct UnsafeSendSync;

pub static META: RuleMeta = RuleMeta {
    id: "unsafe-send-sync",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "`unsafe impl Send`/`Sync`: a thread-safety promise the compiler cannot check.",
    options: &[RuleOption {
        key: "allow-with-safety-comment",
        default: OptionDefault::Bool(false),
        doc: "do not report impls with a `// SAFETY:` comment right above them (`// Safety:` in any case counts too)",
    }],
    docs: RuleDocs {
        what: "Every `unsafe impl Send for T` and `unsafe impl Sync for T` (any path ending in `Send`/`Sync`). \
               Negative impls (`impl !Send for T`) are not reported. With `allow-with-safety-comment`, impls \
               with a `// SAFETY:` comment on the lines right above (or between their attributes) are not \
               reported.",
        why: "The compiler derives `Send` and `Sync` from the fields; a manual impl overrides that with a \
              promise nothing checks. If a field is an `Rc`, a raw pointer into non-thread-safe data or a \
              thread-bound handle, the promise is false and data races follow — possibly only after a later \
              change adds such a field.",
        example: "struct Handle { raw: *mut ffi::Ctx }\nunsafe impl Send for Handle {}\nunsafe impl Sync for Handle {}",
        instead: "Prefer fields that are already `Send`/`Sync` (`Arc`, `Mutex`, atomics) so the compiler \
                  derives the traits. When the impl is needed (FFI handles), keep it next to the type, write \
                  a `// SAFETY:` comment that says why every field is safe to move (`Send`) or to share \
                  (`Sync`), and keep `T`'s API from handing out what breaks it.",
    },
    fixable: false,
};

impl Rule for UnsafeSendSync {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::IMPL]
    }

    /// Only `unsafe impl`s.
    fn prefilter(&self, node: GreenNode<'_>) -> bool {
        node.has_token(SyntaxKind::UNSAFE_KW)
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(imp) = ast::Impl::cast(node.clone()) else {
            return;
        };
        let Some(unsafe_tok) = imp.unsafe_token() else {
            return;
        };
        if imp.excl_token().is_some() {
            return;
        }
        let Some(trait_ty) = imp.trait_() else { return };
        let Some(trait_name) = super::ownership_common::head_name(&trait_ty) else {
            return;
        };
        let Some(self_ty) = imp.self_ty() else { return };
        if cx.bool_opt("allow-with-safety-comment") && has_safety_comment(node) {
            return;
        }
        let ty = super::ownership_common::compact(&self_ty.syntax().text().to_string());
        let (promise, must) = match trait_name.as_str() {
            "Send" => (
                format!("a `{ty}` can move to another thread"),
                "every field must be safe to use from the thread it moves to (no `Rc`, no thread-bound handles, no raw pointers to unsynchronised data)",
            ),
            "Sync" => (
                format!("`&{ty}` can be shared between threads"),
                "every change made through `&self` must be synchronised",
            ),
            _ => return,
        };
        let range = TextRange::new(
            unsafe_tok.text_range().start(),
            self_ty.syntax().text_range().end(),
        );
        cx.report(
            Finding::new(
                &META,
                range,
                format!(
                    "`unsafe impl {trait_name}` promises that {promise}; the compiler cannot check it: {must}"
                ),
            )
            .suggestion("use fields that are already Send/Sync, or document why the promise holds in a `// SAFETY:` comment")
            .symbol(format!("impl {trait_name} for {ty}")),
        );
    }
}

/// A `// SAFETY:` comment among the comments right above the impl (or its attributes).
fn has_safety_comment(node: &SyntaxNode) -> bool {
    let inner = node
        .children_with_tokens()
        .take_while(|e| e.kind() != SyntaxKind::IMPL_KW && e.kind() != SyntaxKind::UNSAFE_KW)
        .filter_map(|e| e.into_token())
        .any(|t| is_comment(&t) && is_safety_comment(t.text()));
    if inner {
        return true;
    }
    for e in node.siblings_with_tokens(Direction::Prev).skip(1) {
        match e {
            NodeOrToken::Token(t) if is_comment(&t) => {
                if is_safety_comment(t.text()) {
                    return true;
                }
            }
            NodeOrToken::Token(t) if t.kind() == SyntaxKind::WHITESPACE => {
                if t.text().matches('\n').count() > 1 {
                    return false;
                }
            }
            _ => return false,
        }
    }
    false
}

/// `SAFETY` anywhere, or `Safety:` / `safety:` in any case (clippy's
/// `undocumented_unsafe_blocks` accepts `// Safety:` too); not a bare `safety` in prose.
fn is_safety_comment(text: &str) -> bool {
    text.contains("SAFETY") || text.to_ascii_lowercase().contains("safety:")
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_unsafe_send_and_sync() {
        check(
            "unsafe-send-sync",
            r#"
pub struct Handle { raw: *mut u8 }
  unsafe impl Send for Handle {}
//^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Send` promises that a `Handle` can move to another thread; the compiler cannot check it: every field must be safe to use from the thread it moves to (no `Rc`, no thread-bound handles, no raw pointers to unsynchronised data)
  unsafe impl<T> core::marker::Sync for Wrapper<T> {}
//^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Sync` promises that `&Wrapper<T>` can be shared between threads; the compiler cannot check it: every change made through `&self` must be synchronised
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "unsafe-send-sync",
            r#"
struct A;
impl !Send for A {}
unsafe impl GlobalAlloc for A {}
impl Clone for A { fn clone(&self) -> A { A } }
unsafe trait Send2 {}
unsafe impl Send2 for A {}
#[cfg(test)]
mod tests {
    struct B(*mut u8);
    unsafe impl Send for B {}
}
"#,
        );
    }

    /// Hand-written edges: bounds, where-clauses, qualified traits, bodies, macros.
    #[test]
    fn edges() {
        check(
            "unsafe-send-sync",
            r#"
pub struct W<T>(*mut T);
  unsafe impl<T: Send> Send for W<T> {}
//^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Send` promises that a `W<T>` can move to another thread; the compiler cannot check it: every field must be safe to use from the thread it moves to (no `Rc`, no thread-bound handles, no raw pointers to unsynchronised data)
  unsafe impl<T> ::std::marker::Sync for W<T> where T: Sync {}
//^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Sync` promises that `&W<T>` can be shared between threads; the compiler cannot check it: every change made through `&self` must be synchronised
fn body() {
    struct L(*mut u8);
      unsafe impl Send for L {}
    //^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Send` promises that a `L` can move to another thread; the compiler cannot check it: every field must be safe to use from the thread it moves to (no `Rc`, no thread-bound handles, no raw pointers to unsynchronised data)
}
  unsafe impl Sync for r#Raw {}
//^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Sync` promises that `&r#Raw` can be shared between threads; the compiler cannot check it: every change made through `&self` must be synchronised
struct A;
impl Send for A {}
impl<T> !Sync for W<T> {}
unsafe impl SendPtr for A {}
unsafe impl Sendable for A {}
unsafe impl<T> TrustedSend<T> for A {}
unsafe impl Zeroable for A {}
macro_rules! m { ($t:ty) => { unsafe impl Send for $t {} } }
m!(A);
"#,
        );
    }

    #[test]
    fn safety_comments_when_configured() {
        let fixture = r#"
struct A(*mut u8);
// SAFETY: the pointer is owned and never aliased.
unsafe impl Send for A {}
// an unrelated comment

  unsafe impl Sync for A {}
//^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Sync` promises that `&A` can be shared between threads; the compiler cannot check it: every change made through `&self` must be synchronised
struct B(*mut u8);
// Safety: the pointer is owned and never aliased.
#[cfg(feature = "std")]
unsafe impl Send for B {}
// thread safety is unclear here
  unsafe impl Sync for B {}
//^^^^^^^^^^^^^^^^^^^^^^ warning: `unsafe impl Sync` promises that `&B` can be shared between threads; the compiler cannot check it: every change made through `&self` must be synchronised
"#;
        check_with_config(
            "unsafe-send-sync",
            "[rules.unsafe-send-sync]\nallow-with-safety-comment = true\n",
            fixture,
        );
    }
}
