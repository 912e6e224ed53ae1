//! Syntactic type helpers shared by the ownership/state rules (`shared-mutable-state`,
//! `global-mutable-state`, `mutex-of-primitive`, `pub-interior-mutability`,
//! `borrowed-owned-param`). Not a rule.
//!
//! Everything here works on the type *as written*: the last path segment names the type
//! (`std::sync::Mutex`, `parking_lot::Mutex` and `tokio::sync::Mutex` are all `Mutex`).

use crate::analysis::syntax::ast::{HasArgList, HasGenericArgs};
use crate::analysis::syntax::{
    ast, AstNode, GreenNode, HasName, SyntaxKind, SyntaxNode, TextRange, TextSize,
};

/// Owners that share their content: every clone points at the same value.
pub(super) const SHARED_OWNERS: &[&str] = &["Arc", "Rc"];

/// Types that let a shared reference change their content.
pub(super) const LOCKS_AND_CELLS: &[&str] = &[
    "Mutex",
    "RwLock",
    "ReentrantMutex",
    "FairMutex",
    "RefCell",
    "Cell",
    "UnsafeCell",
    "SyncUnsafeCell",
];

/// The last segment's name of a path type and its type arguments (`a::B<C, D>` -> `B`, `[C, D]`).
pub(super) fn head(ty: &ast::Type) -> Option<(String, Vec<ast::Type>)> {
    let ast::Type::PathType(p) = ty else {
        return None;
    };
    let seg = p.path()?.segment()?;
    let name = seg.name_ref()?.text().to_string();
    let args = seg
        .generic_arg_list()
        .map(|l| {
            l.generic_args()
                .filter_map(|a| match a {
                    ast::GenericArg::TypeArg(t) => t.ty(),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Some((name, args))
}

/// The name of a path type's last segment.
pub fn head_name(ty: &ast::Type) -> Option<String> {
    head(ty).map(|(n, _)| n)
}

/// `true` when the path type is `Mutex<..>`, `RefCell<..>`, ... (a lock or a cell).
pub(super) fn is_lock_or_cell(ty: &ast::Type) -> bool {
    head_name(ty).is_some_and(|n| LOCKS_AND_CELLS.contains(&n.as_str()))
}

/// The type written without whitespace runs (`Arc< Mutex <T>>` -> `Arc<Mutex<T>>`), shortened
/// to `Arc<Mutex<…>>` when long.
pub fn display(ty: &ast::Type) -> String {
    display_green(GreenNode::of(ty.syntax()))
}

/// [`display`] of a type node read from the green tree.
pub(super) fn display_green(ty: GreenNode<'_>) -> String {
    let text = ty.text();
    let text = if text.contains(char::is_whitespace) {
        compact(&text)
    } else {
        text
    };
    if text.chars().count() <= 48 {
        return text;
    }
    match ty.path_type_head() {
        Some(name) => match ty.path_type_first_arg() {
            Some(arg) => match arg.path_type_head() {
                Some(inner) if !inner.is_empty() => format!("{name}<{inner}<…>>"),
                _ => format!("{name}<…>"),
            },
            None => name.to_string(),
        },
        None => text.chars().take(48).collect::<String>() + "…",
    }
}

/// Collapses whitespace runs; drops whitespace next to punctuation.
pub(super) fn compact(s: &str) -> String {
    if !s.contains(char::is_whitespace) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev = out.chars().last();
            let punct = |c: char| "<>()[],:&*;=".contains(c);
            let words = prev.is_some_and(|p| !punct(p)) && !punct(c);
            let after_sep = prev == Some(',') || prev == Some(':') && c != ':';
            if words || after_sep {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// The path types inside `ty` (itself included), in preorder (outermost first), skipping the
/// parameter and return types of function pointer / `Fn(..)` types (a callback that *takes*
/// shared state does not hold it).
pub(super) fn path_types(ty: &ast::Type) -> Vec<ast::Type> {
    let mut out = Vec::new();
    let mut walk = ty.syntax().preorder();
    while let Some(ev) = walk.next() {
        let crate::analysis::syntax::WalkEvent::Enter(n) = ev else {
            continue;
        };
        match n.kind() {
            k if NOT_HELD.contains(&k) => {
                walk.skip_subtree();
            }
            SyntaxKind::PATH_TYPE => out.push(ast::Type::cast(n).unwrap()),
            _ => {}
        }
    }
    out
}

/// What [`path_types`] does not look into: the parameter and return types of function
/// pointers and `Fn(..)` bounds.
const NOT_HELD: &[SyntaxKind] = &[
    SyntaxKind::FN_PTR_TYPE,
    SyntaxKind::PARENTHESIZED_ARG_LIST,
    SyntaxKind::RET_TYPE,
    SyntaxKind::PARAM_LIST,
];

/// `true` when some type [`path_types`] would return from a site's type ([`site_type`]: its
/// first child type node) is named so that `pred` holds, read from the green tree (a rule's
/// prefilter). `false` when the node has no type.
pub(super) fn site_type_named(
    site: crate::analysis::syntax::GreenNode<'_>,
    mut pred: impl FnMut(&str) -> bool,
) -> bool {
    site.type_child_has_path_type(NOT_HELD, &mut pred)
}

/// The path types [`path_types`] returns, read from the green tree: each node with its range
/// (`start`: the offset of `ty` in the file).
pub(super) fn green_path_types(
    ty: GreenNode<'_>,
    start: TextSize,
) -> Vec<(GreenNode<'_>, TextRange)> {
    let mut out = Vec::new();
    ty.path_types(start, NOT_HELD, &mut |t, range| {
        out.push((t, range));
        true
    });
    out
}

/// `Arc<Lock<..>>` / `Rc<Cell<..>>`, read from the green tree (see [`find_shared_mutable`]).
pub(super) fn is_shared_mutable_green(t: GreenNode<'_>) -> bool {
    t.path_type_head()
        .is_some_and(|n| SHARED_OWNERS.contains(&n))
        && t.path_type_first_arg()
            .and_then(GreenNode::path_type_head)
            .is_some_and(|n| LOCKS_AND_CELLS.contains(&n))
}

/// `true` when `name` is a type parameter of an item around `node` (the names
/// [`generic_params_around`] returns), read from the green tree.
pub(super) fn is_generic_param_around(node: &SyntaxNode, name: &str) -> bool {
    node.ancestors().any(|a| {
        ast::AnyHasGenericParams::can_cast(a.kind())
            && GreenNode::of(&a)
                .child(SyntaxKind::GENERIC_PARAM_LIST)
                .is_some_and(|list| {
                    list.child_nodes().any(|p| {
                        p.kind() == SyntaxKind::TYPE_PARAM
                            && p.child(SyntaxKind::NAME)
                                .and_then(GreenNode::first_token_text)
                                == Some(name)
                    })
                })
    })
}

/// The first (outermost) `Arc<Lock<..>>` / `Rc<Cell<..>>` inside `ty`.
pub(super) fn find_shared_mutable(ty: &ast::Type) -> Option<ast::Type> {
    path_types(ty).into_iter().find(|t| {
        head(t).is_some_and(|(name, args)| {
            SHARED_OWNERS.contains(&name.as_str()) && args.first().is_some_and(is_lock_or_cell)
        })
    })
}

/// The first lock or cell inside `ty`.
pub(super) fn find_lock_or_cell(ty: &ast::Type) -> Option<ast::Type> {
    path_types(ty).into_iter().find(is_lock_or_cell)
}

/// The fn that owns a signature node (a `PARAM` or `RET_TYPE`), when it is a real fn item
/// (not a closure or a fn pointer type).
pub(super) fn signature_fn(node: &SyntaxNode) -> Option<ast::Fn> {
    let parent = node.parent()?;
    match node.kind() {
        SyntaxKind::PARAM => ast::Fn::cast(parent.parent()?),
        SyntaxKind::RET_TYPE => ast::Fn::cast(parent),
        _ => None,
    }
}

/// `true` for fns inside `impl Trait for T` (their signature is dictated by the trait).
pub(super) fn in_trait_impl(f: &ast::Fn) -> bool {
    f.syntax()
        .parent()
        .and_then(|p| p.parent())
        .is_some_and(|i| crate::analysis::syntax::impl_has_trait(&i))
}

/// `true` when the type is written inside the signature of a trait-impl fn.
pub(super) fn in_trait_impl_signature(node: &SyntaxNode) -> bool {
    node.ancestors()
        .find(|a| matches!(a.kind(), SyntaxKind::PARAM | SyntaxKind::RET_TYPE))
        .and_then(|sig| signature_fn(&sig))
        .is_some_and(|f| in_trait_impl(&f))
}

/// A human name for the place a type is written: `field \`S::x\``, `parameter \`x\` of \`f\``, ...
/// ([`site_names`] put into words).
pub(super) fn site_description(site: &SyntaxNode) -> Option<String> {
    let (kind, names) = site_names(site)?;
    Some(kind.describe(&names))
}

/// The kinds of places a type is written (see [`site_names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SiteKind {
    Field,
    Param,
    Ret,
    TypeAlias,
    Static,
    Const,
    Local,
}

impl SiteKind {
    /// How many tab-separated names [`site_names`] gives for this kind.
    pub(super) fn name_count(self) -> usize {
        if self == SiteKind::Param {
            2
        } else {
            1
        }
    }

    /// The description of a site from its kind and [`site_names`]' names.
    pub(super) fn describe(self, names: &str) -> String {
        match self {
            SiteKind::Field => format!("field `{names}`"),
            SiteKind::Param => {
                let (pat, f) = names.split_once('\t').unwrap_or((names, ""));
                format!("parameter `{pat}` of `{f}`")
            }
            SiteKind::Ret => format!("the return type of `{names}`"),
            SiteKind::TypeAlias => format!("type alias `{names}`"),
            SiteKind::Static => format!("static `{names}`"),
            SiteKind::Const => format!("const `{names}`"),
            SiteKind::Local => format!("local `{names}`"),
        }
    }
}

/// What [`site_description`] says of a site, in parts: its kind and names (`S::x` for a
/// field, the pattern and the fn tab-separated for a parameter, the fn for a return type, the
/// item's name, the local's pattern), with no tab inside a name (patterns are compacted).
/// Names and patterns are read from the green tree (the ancestors are built already).
pub(super) fn site_names(site: &SyntaxNode) -> Option<(SiteKind, String)> {
    let green = GreenNode::of(site);
    fn name_of(n: GreenNode<'_>) -> Option<&str> {
        n.child(SyntaxKind::NAME)?.first_token_text()
    }
    // The pattern's text, compacted (`_` when there is none).
    let pat = || {
        green
            .child_where(ast::Pat::can_cast)
            .map(|(p, _)| compact(&p.text()))
            .unwrap_or_else(|| "_".into())
    };
    fn fn_name(f: &ast::Fn) -> &str {
        name_of(GreenNode::of(f.syntax())).unwrap_or_default()
    }
    match site.kind() {
        SyntaxKind::RECORD_FIELD | SyntaxKind::TUPLE_FIELD => {
            let mut names = site
                .ancestors()
                .find_map(|a| {
                    matches!(
                        a.kind(),
                        SyntaxKind::STRUCT | SyntaxKind::VARIANT | SyntaxKind::UNION
                    )
                    .then(|| name_of(GreenNode::of(&a)).map(str::to_string))
                    .flatten()
                })
                .unwrap_or_default();
            names.push_str("::");
            if site.kind() == SyntaxKind::RECORD_FIELD {
                names.push_str(name_of(green).unwrap_or_default());
            } else if let Some(p) = site.parent() {
                let index = GreenNode::of(&p)
                    .child_node_index(green, site.text_range().start() - p.text_range().start())
                    .unwrap_or(0);
                names.push_str(&index.to_string());
            }
            Some((SiteKind::Field, names))
        }
        SyntaxKind::PARAM => {
            let f = signature_fn(site)?;
            let mut names = pat();
            names.push('\t');
            names.push_str(fn_name(&f));
            Some((SiteKind::Param, names))
        }
        SyntaxKind::RET_TYPE => {
            let f = signature_fn(site)?;
            Some((SiteKind::Ret, fn_name(&f).to_string()))
        }
        SyntaxKind::TYPE_ALIAS => Some((SiteKind::TypeAlias, name_of(green)?.to_string())),
        SyntaxKind::STATIC => Some((SiteKind::Static, name_of(green)?.to_string())),
        SyntaxKind::CONST => Some((SiteKind::Const, name_of(green)?.to_string())),
        SyntaxKind::LET_STMT => Some((SiteKind::Local, pat())),
        _ => None,
    }
}

/// Whether a value constructed at `node` (a call) lands where the code writes its type, so
/// that the written type, not the construction, is the place to report: a field of a struct
/// literal (its declared type), a typed `let` / `static` / `const`, or the enclosing fn's
/// return type, when `written` holds for that type; or a site of the rule's own, for which
/// `at(ancestor)` is asked first at every ancestor. A closure stops the search.
pub(super) fn type_written_for(
    node: &SyntaxNode,
    written: impl Fn(&ast::Type) -> bool,
    at: impl Fn(&SyntaxNode) -> bool,
) -> bool {
    for a in node.ancestors().skip(1) {
        if at(&a) {
            return true;
        }
        match a.kind() {
            SyntaxKind::RECORD_EXPR_FIELD => return true,
            SyntaxKind::LET_STMT | SyntaxKind::STATIC | SyntaxKind::CONST => {
                return site_type(&a).is_some_and(|t| written(&t));
            }
            SyntaxKind::FN => {
                let ret = ast::Fn::cast(a)
                    .and_then(|f| f.ret_type())
                    .and_then(|r| r.ty());
                return ret.is_some_and(|t| written(&t));
            }
            SyntaxKind::CLOSURE_EXPR => return false,
            _ => {}
        }
    }
    false
}

/// The written type of a declaration site node.
pub(super) fn site_type(site: &SyntaxNode) -> Option<ast::Type> {
    match site.kind() {
        SyntaxKind::RECORD_FIELD => ast::RecordField::cast(site.clone())?.ty(),
        SyntaxKind::TUPLE_FIELD => ast::TupleField::cast(site.clone())?.ty(),
        SyntaxKind::PARAM => {
            signature_fn(site)?;
            ast::Param::cast(site.clone())?.ty()
        }
        SyntaxKind::RET_TYPE => {
            signature_fn(site)?;
            ast::RetType::cast(site.clone())?.ty()
        }
        SyntaxKind::TYPE_ALIAS => ast::TypeAlias::cast(site.clone())?.ty(),
        SyntaxKind::STATIC => ast::Static::cast(site.clone())?.ty(),
        SyntaxKind::CONST => ast::Const::cast(site.clone())?.ty(),
        SyntaxKind::LET_STMT => ast::LetStmt::cast(site.clone())?.ty(),
        _ => None,
    }
}

/// The last two segments of a call's callee path (`std::sync::Arc::new(..)` -> `("Arc", "new")`),
/// and the callee path itself.
pub(super) fn callee(call: &ast::CallExpr) -> Option<(String, String, ast::Path)> {
    let ast::Expr::PathExpr(pe) = call.expr()? else {
        return None;
    };
    let path = pe.path()?;
    let func = path.segment()?.name_ref()?.text().to_string();
    let ty = path.qualifier()?.segment()?.name_ref()?.text().to_string();
    Some((ty, func, path))
}

/// The generic type argument written on the type segment of a callee (`Mutex::<bool>::new`).
pub(super) fn callee_turbofish(path: &ast::Path) -> Option<ast::Type> {
    let q = path.qualifier()?;
    let l = q.segment()?.generic_arg_list()?;
    l.generic_args().find_map(|a| match a {
        ast::GenericArg::TypeArg(t) => t.ty(),
        _ => None,
    })
}

/// The first argument of a call.
pub(super) fn first_arg(call: &ast::CallExpr) -> Option<ast::Expr> {
    call.arg_list()?.args().next()
}

/// Walks up from `node` through parentheses.
pub(super) fn skip_parens_up(node: &SyntaxNode) -> Option<SyntaxNode> {
    let mut p = node.parent()?;
    while p.kind() == SyntaxKind::PAREN_EXPR {
        p = p.parent()?;
    }
    Some(p)
}

/// Names of the generic parameters of the items around `node`.
pub(super) fn generic_params_around(node: &SyntaxNode) -> Vec<String> {
    let mut out = Vec::new();
    // Only items can declare generics; looking at every ancestor's children would walk the
    // whole file's top level for each node.
    for a in node.ancestors() {
        if let Some(list) = ast::AnyHasGenericParams::cast(a)
            .and_then(|g| ast::HasGenericParams::generic_param_list(&g))
        {
            for p in list.generic_params() {
                if let ast::GenericParam::TypeParam(t) = p {
                    if let Some(n) = t.name() {
                        out.push(n.text().to_string());
                    }
                }
            }
        }
    }
    out
}

/// The node's range without the comments and whitespace rowan attaches in front of it.
pub(super) fn range_without_leading_trivia(
    node: &SyntaxNode,
) -> crate::analysis::syntax::TextRange {
    let start = node
        .children_with_tokens()
        .find(|e| !e.kind().is_trivia())
        .map(|e| e.text_range().start())
        .unwrap_or(node.text_range().start());
    crate::analysis::syntax::TextRange::new(start, node.text_range().end())
}

/// Joins tokens back into source text: a space only between two word-like tokens.
pub(super) fn join_tokens<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for t in tokens {
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
        if out.ends_with(word) && t.starts_with(word) {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}
