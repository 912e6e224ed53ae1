//! Syntax helpers shared by the `state` rules (`option-option`, `option-bool`, `option-fields`,
//! `assumed-some`, `bool-params`, `stringly-state`). Not a rule.

use crate::analysis::syntax::{ast, ast::HasGenericArgs, AstNode, SyntaxKind, SyntaxNode};

/// When `t` is `Option<X>` (also `std::option::Option`, `core::option::Option`), returns `X`.
pub(super) fn option_arg(t: &ast::Type) -> Option<ast::Type> {
    let ast::Type::PathType(p) = t else {
        return None;
    };
    let path = p.path()?;
    let seg = path.segment()?;
    // Cheap test first: this runs for every type of every signature.
    if seg.name_ref()?.text() != "Option" {
        return None;
    }
    // `Option`, `std::option::Option`, `core::option::Option` (also with a leading `::`).
    let segs = crate::analysis::syntax::path_segments_smol(&path);
    let qualified_ok = match segs.as_slice() {
        [_] => true,
        [krate, module, _] => matches!(krate.as_str(), "std" | "core") && module == "option",
        _ => false,
    };
    if !qualified_ok {
        return None;
    }
    let args = seg.generic_arg_list()?;
    args.generic_args().find_map(|a| match a {
        ast::GenericArg::TypeArg(t) => t.ty(),
        _ => None,
    })
}

/// `true` when `t` is an `Option<..>`.
pub(super) fn is_option(t: &ast::Type) -> bool {
    option_arg(t).is_some()
}

/// `String`, `&str`, `&'static str`, `Box<str>`, `Cow<str>`, `std::string::String`.
pub(super) fn is_string_like(t: &ast::Type) -> bool {
    let text: String = crate::analysis::syntax::text_without_whitespace(t.syntax());
    matches!(
        text.as_str(),
        "String"
            | "std::string::String"
            | "alloc::string::String"
            | "&str"
            | "&'staticstr"
            | "Box<str>"
            | "Cow<str>"
            | "Cow<'static,str>"
            | "std::borrow::Cow<'static,str>"
    ) || (text.starts_with("&'") && text.ends_with("str") && !text.contains('['))
}

/// Methods of `impl Trait for T` (the trait fixes the signature), items of `extern` blocks and
/// functions with a non-Rust ABI (`extern "C" fn`): their signatures are not the author's choice.
pub(super) fn signature_is_fixed(node: &SyntaxNode) -> bool {
    if let Some(f) = ast::Fn::cast(node.clone()) {
        if let Some(abi) = f.abi() {
            let text = abi.syntax().text().to_string();
            if !text.contains("\"Rust\"") {
                return true;
            }
        }
    }
    let Some(parent) = node.parent() else {
        return false;
    };
    match parent.kind() {
        SyntaxKind::EXTERN_ITEM_LIST => true,
        SyntaxKind::ASSOC_ITEM_LIST => parent
            .parent()
            .is_some_and(|i| crate::analysis::syntax::impl_has_trait(&i)),
        _ => false,
    }
}

/// For a type node of a file (the engine visits them all): the item or field whose
/// "signature" (parameters and return type of a function, the type of a record or tuple field, of a `const` or `static`) it is written in — a `FN` (parameter, `self` or return
/// type), `RECORD_FIELD`, `TUPLE_FIELD`, `CONST` or `STATIC` — or `None` when it is elsewhere
/// (a body, a `let`, a generic bound, a type alias) or in a fixed signature. `None` too when an
/// enclosing type on the way up satisfies `outer`: the outermost match is the one to report,
/// Climbing parents builds no syntax nodes, unlike walking
/// every signature's types downwards.
pub(super) fn signature_site(
    node: &SyntaxNode,
    outer: &dyn Fn(&SyntaxNode) -> bool,
) -> Option<SyntaxNode> {
    let mut prev = node.clone();
    let mut cur = node.parent()?;
    loop {
        match cur.kind() {
            SyntaxKind::FN => {
                let slot = matches!(prev.kind(), SyntaxKind::PARAM_LIST | SyntaxKind::RET_TYPE);
                return (slot && !signature_is_fixed(&cur)).then_some(cur);
            }
            SyntaxKind::RECORD_FIELD | SyntaxKind::TUPLE_FIELD => {
                return ast::Type::can_cast(prev.kind()).then_some(cur);
            }
            SyntaxKind::CONST | SyntaxKind::STATIC => {
                let ty = match ast::Const::cast(cur.clone()) {
                    Some(c) => c.ty(),
                    None => ast::Static::cast(cur.clone()).and_then(|s| s.ty()),
                };
                let extern_static = cur.kind() == SyntaxKind::STATIC
                    && cur
                        .parent()
                        .is_some_and(|p| p.kind() == SyntaxKind::EXTERN_ITEM_LIST);
                return (ty.is_some_and(|t| *t.syntax() == prev) && !extern_static).then_some(cur);
            }
            SyntaxKind::PATH_TYPE if outer(&cur) => return None,
            k if ast::Item::can_cast(k)
                || matches!(
                    k,
                    SyntaxKind::BLOCK_EXPR
                        | SyntaxKind::STMT_LIST
                        | SyntaxKind::ITEM_LIST
                        | SyntaxKind::ASSOC_ITEM_LIST
                        | SyntaxKind::GENERIC_PARAM_LIST
                        | SyntaxKind::WHERE_CLAUSE
                        | SyntaxKind::LET_STMT
                        | SyntaxKind::CLOSURE_EXPR
                ) =>
            {
                return None
            }
            _ => {}
        }
        prev = cur;
        cur = prev.parent()?;
    }
}

/// The derive names of an item (`#[derive(Debug, serde::Deserialize)]` -> `Debug`, `Deserialize`;
/// also inside `cfg_attr`).
pub(super) fn derives(attrs: &impl crate::analysis::syntax::HasAttrs) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs.attrs() {
        let text: String = crate::analysis::syntax::text_without_whitespace(a.syntax());
        let mut rest = text.as_str();
        while let Some(i) = rest.find("derive(") {
            rest = &rest[i + "derive(".len()..];
            let end = rest.find(')').unwrap_or(rest.len());
            for name in rest[..end].split(',') {
                let last = name.rsplit("::").next().unwrap_or(name);
                if !last.is_empty() {
                    out.push(last.to_string());
                }
            }
            rest = &rest[end..];
        }
    }
    out
}

/// The name of the type of the `impl` block that contains `node` (`impl<T> Foo<T>` -> `Foo`),
/// with whether it is a trait impl and the trait's name.
pub(super) fn enclosing_impl(node: &SyntaxNode) -> Option<(String, Option<String>)> {
    let imp = node.ancestors().find_map(ast::Impl::cast)?;
    let self_ty = crate::analysis::engine::type_head(&imp.self_ty()?);
    let trait_name = imp.trait_().map(|t| crate::analysis::engine::type_head(&t));
    Some((self_ty, trait_name))
}

/// `true` when `node` is inside `#[cfg(test)]` / `#[test]` code.
pub(super) fn in_test_code(node: &SyntaxNode) -> bool {
    node.ancestors()
        .filter_map(ast::AnyHasAttrs::cast)
        .any(|a| crate::analysis::model::is_test_attr(&a))
}
