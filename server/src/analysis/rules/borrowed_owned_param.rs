//! `borrowed-owned-param`: parameters of type `&String`, `&Vec<T>`, `&PathBuf`, `&Box<T>` where
//! `&str`, `&[T]`, `&Path`, `&T` would do (clippy's `ptr_arg` and `borrowed_box`).
//!
//! Like `ptr_arg`, the rule skips trait-impl methods, `extern` fns, parameters bound by a pattern,
//! and parameters the body uses in a way only the owned type supports (`.capacity()`, passed to a
//! fn of the same file that takes the owned type). The fix rewrites the type (and `.clone()` /
//! `.as_str()` / `.as_path()` on the parameter); it is *safe* when every use of the parameter is
//! known to work on the borrowed form, *unsafe* when some use cannot be checked (passed to a fn
//! or macro the file does not declare, compared, returned, ...).

use std::collections::{HashMap, HashSet};

use super::ownership_common::{compact, head, in_trait_impl, skip_parens_up};
use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Applicability, Category, Finding, Fix, Rule, RuleDocs, RuleMeta, Severity, TextEdit,
};
use crate::analysis::syntax::ast::HasArgList;
use crate::analysis::syntax::Edition;
use crate::analysis::syntax::GreenNode;
use crate::analysis::syntax::{
    ast, AstNode, HasName, SyntaxKind, SyntaxNode, SyntaxToken, TextRange, T,
};

pub(crate) struct BorrowedOwnedParam;

pub static META: RuleMeta = RuleMeta {
    id: "borrowed-owned-param",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Parameters of type `&String`, `&Vec<T>`, `&PathBuf`, `&Box<T>` where `&str`, `&[T]`, `&Path`, `&T` would do.",
    options: &[],
    docs: RuleDocs {
        what: "Parameters of fns and inherent methods (and trait method declarations) whose type is \
               `&String`, `&Vec<T>`, `&PathBuf` or `&Box<T>`, like clippy's `ptr_arg` and `borrowed_box`. \
               Skipped: trait-impl methods (the trait decides the signature), `extern` fns, `&mut` \
               parameters, parameters bound by a pattern or `mut`, and parameters the body uses in a way \
               only the owned type supports (`.capacity()`, `.as_slice()`, passed to a fn of the same file \
               that takes the owned type). The fix rewrites the type and the `.clone()` (to `.to_owned()` / \
               `.to_path_buf()`), `.as_str()` and `.as_path()` calls on the parameter. It is safe when every \
               use is known to work on the borrowed form (methods of `str`/slices/`Path`, indexing, `for` \
               loops, formatting macros); otherwise (the parameter is passed to code the file does not \
               declare, compared, returned, given to other macros, the fn is used as a value, it is a \
               trait method, or `&Box<T>` where `T` is or may be a trait object: call sites would coerce \
               by unsizing instead of deref) it is offered as unsafe.",
        why: "`&String` asks callers for a `String` they may not have: a `&str` from a literal, a slice of \
              another string or a `Cow` must be copied into a new `String` first. `&str` accepts all of \
              them (and a `&String` still coerces), so the function gets more useful for free. The same \
              holds for `&Vec<T>` and `&[T]`, `&PathBuf` and `&Path`, `&Box<T>` and `&T`.",
        example: "fn total(prices: &Vec<u64>) -> u64 {\n    prices.iter().sum()\n}",
        instead: "fn total(prices: &[u64]) -> u64 {\n    prices.iter().sum()\n}",
    },
    fixable: true,
};

#[derive(Clone, Copy, PartialEq)]
enum Owned {
    String,
    Vec,
    PathBuf,
    Box,
}

/// Methods of `str` / `[T]` / `Path` a parameter may call with the same meaning after the change.
const STR_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "chars",
    "bytes",
    "char_indices",
    "lines",
    "split",
    "splitn",
    "rsplit",
    "rsplitn",
    "split_whitespace",
    "split_terminator",
    "split_once",
    "rsplit_once",
    "trim",
    "trim_start",
    "trim_end",
    "trim_matches",
    "trim_start_matches",
    "trim_end_matches",
    "starts_with",
    "ends_with",
    "contains",
    "find",
    "rfind",
    "replace",
    "replacen",
    "to_string",
    "to_owned",
    "to_lowercase",
    "to_uppercase",
    "to_ascii_lowercase",
    "to_ascii_uppercase",
    "parse",
    "as_bytes",
    "as_ptr",
    "get",
    "is_char_boundary",
    "eq_ignore_ascii_case",
    "matches",
    "match_indices",
    "strip_prefix",
    "strip_suffix",
    "repeat",
    "is_ascii",
    "encode_utf16",
    "escape_debug",
    "escape_default",
    "split_at",
    "char_count",
    "into_string",
];
const SLICE_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "iter",
    "first",
    "last",
    "get",
    "contains",
    "starts_with",
    "ends_with",
    "to_vec",
    "to_owned",
    "windows",
    "chunks",
    "chunks_exact",
    "rchunks",
    "split_first",
    "split_last",
    "split_at",
    "binary_search",
    "binary_search_by",
    "binary_search_by_key",
    "join",
    "concat",
    "as_ptr",
    "into_iter",
    "is_sorted",
    "split",
    "splitn",
    "rsplit",
    "iter_mut",
    "get_unchecked",
    "repeat",
    "partition_point",
    "to_ascii_lowercase",
    "to_ascii_uppercase",
    "is_ascii",
    "escape_ascii",
    "first_chunk",
    "last_chunk",
    "last_mut",
];
const PATH_METHODS: &[&str] = &[
    "display",
    "exists",
    "try_exists",
    "is_file",
    "is_dir",
    "is_symlink",
    "join",
    "parent",
    "file_name",
    "extension",
    "file_stem",
    "to_path_buf",
    "to_owned",
    "to_str",
    "to_string_lossy",
    "as_os_str",
    "components",
    "iter",
    "starts_with",
    "ends_with",
    "with_extension",
    "with_file_name",
    "metadata",
    "symlink_metadata",
    "canonicalize",
    "read_dir",
    "read_link",
    "is_absolute",
    "is_relative",
    "has_root",
    "strip_prefix",
    "ancestors",
];
/// `&self` methods only the owned type has: the parameter needs it (skipped, like `ptr_arg`).
const OWNED_ONLY: &[&str] = &["capacity", "as_slice", "allocator", "as_mut_slice", "leak"];

/// What the body does with the parameter.
#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Use {
    Safe,
    Unchecked,
    NeedsOwned,
}

impl Rule for BorrowedOwnedParam {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::FN]
    }

    /// Only functions with a parameter of type `&String`, `&Vec<..>`, `&PathBuf` or `&Box<..>`
    /// (a shared reference to a path type of that name: what `classify` accepts).
    fn prefilter(&self, node: GreenNode<'_>) -> bool {
        node.param_types().any(|t| {
            t.kind() == SyntaxKind::REF_TYPE
                && !t.has_token(SyntaxKind::MUT_KW)
                && t.type_child()
                    .and_then(GreenNode::path_type_name)
                    .is_some_and(|n| matches!(n, "String" | "Vec" | "PathBuf" | "Box"))
        })
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(f) = ast::Fn::cast(node.clone()) else {
            return;
        };
        if in_trait_impl(&f) || f.abi().is_some() {
            return;
        }
        if node
            .ancestors()
            .any(|a| a.kind() == SyntaxKind::EXTERN_BLOCK)
        {
            return;
        }
        let in_trait_def = node
            .parent()
            .and_then(|p| p.parent())
            .is_some_and(|g| g.kind() == SyntaxKind::TRAIT);
        let Some(params) = f.param_list() else { return };
        let fn_name = f.name().map(|n| n.text().to_string()).unwrap_or_default();
        // Scans the whole file: computed only once a parameter qualifies, at most once per fn.
        let mut used_as_value: Option<bool> = None;
        for p in params.params() {
            let Some(ast::Type::RefType(r)) = p.ty() else {
                continue;
            };
            if r.mut_token().is_some() {
                continue;
            }
            let Some(inner) = r.ty() else { continue };
            let Some((owned, replacement)) = classify(&inner, cx) else {
                continue;
            };
            // Only simple bindings (`x: &String`, `_x`, `_`), as `ptr_arg`.
            let name = match p.pat() {
                Some(ast::Pat::IdentPat(ip))
                    if ip.mut_token().is_none()
                        && ip.ref_token().is_none()
                        && ip.pat().is_none() =>
                {
                    ip.name().map(|n| n.text().to_string())
                }
                Some(ast::Pat::WildcardPat(_)) => None,
                _ => continue,
            };
            let mut worst = Use::Safe;
            let mut edits = vec![TextEdit {
                range: inner.syntax().text_range(),
                new_text: replacement.clone(),
            }];
            if let (Some(name), Some(body)) = (&name, f.body()) {
                let (u, e) = analyse_body(body.syntax(), name, owned, index(cx));
                worst = u;
                edits.extend(e);
            }
            if worst == Use::NeedsOwned {
                continue;
            }
            let used_as_value = *used_as_value.get_or_insert_with(|| {
                !fn_name.is_empty() && index(cx).value_names.contains(&fn_name)
            });
            let unchecked = worst == Use::Unchecked
                || in_trait_def
                || used_as_value
                || (owned == Owned::Box && may_be_trait_object(&replacement, cx));
            let written = compact(&r.syntax().text().to_string());
            let lifetime = r
                .lifetime()
                .map(|l| format!("{} ", l.syntax().text()))
                .unwrap_or_default();
            let better = format!("&{lifetime}{replacement}");
            let pname = name.clone().unwrap_or_else(|| "_".into());
            let owned_name = match owned {
                Owned::String => "String",
                Owned::Vec => "Vec",
                Owned::PathBuf => "PathBuf",
                Owned::Box => "Box",
            };
            let mut title = format!("Change `{written}` to `{better}`");
            if unchecked {
                title.push_str(" (check the callers and uses)");
            }
            cx.report(
                Finding::new(
                    &META,
                    r.syntax().text_range(),
                    format!(
                        "parameter `{pname}` of `{fn_name}` takes `{written}`; `{better}` accepts more callers and the function needs nothing of `{owned_name}`"
                    ),
                )
                .suggestion(format!("take `{better}`"))
                .fix(Fix {
                    title,
                    applicability: if unchecked {
                        Applicability::Unsafe
                    } else {
                        Applicability::Safe
                    },
                    edits,
                })
                .symbol(fn_name.clone()),
            );
        }
    }
}

/// `&Box<T>` -> `&T` when `T` is (or, in editions before 2021 where a bare trait name is a type,
/// may be) a trait object: a call site then coerces its argument by unsizing rather than by deref
/// (handlebars 0.32: `call_helper_for_value(d, ..)` with `d: &Box<dyn HelperDef>` failed once the
/// parameter was `&HelperDef`, since every `Fn` is a `HelperDef`), and arguments built by inference
/// (`d.borrow()`) no longer resolve. The fix is then unsafe.
fn may_be_trait_object(target: &str, cx: &FileCx<'_>) -> bool {
    let t = target.trim_start_matches('(').trim_start();
    if t.starts_with("dyn ") || t.starts_with("dyn(") || t.starts_with("impl ") {
        return true;
    }
    let before_2021 = matches!(cx.meta.edition, Edition::E2015 | Edition::E2018);
    let primitive = t.starts_with(['&', '[', '(', '*'])
        || matches!(
            t,
            "bool"
                | "char"
                | "str"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "u128"
                | "usize"
                | "i8"
                | "i16"
                | "i32"
                | "i64"
                | "i128"
                | "isize"
                | "f32"
                | "f64"
        );
    before_2021 && !primitive
}

/// `String` -> `str`, `Vec<T>` -> `[T]`, `PathBuf` -> `Path`, `Box<T>` -> `T`.
fn classify(inner: &ast::Type, cx: &mut FileCx<'_>) -> Option<(Owned, String)> {
    let ast::Type::PathType(pt) = inner else {
        return None;
    };
    let path = pt.path()?;
    let segs = crate::analysis::syntax::path_segments(&path);
    if segs.len() > 1 && !matches!(segs[0].as_str(), "std" | "alloc" | "core" | "") {
        return None;
    }
    let (name, args) = head(inner)?;
    let owned = match name.as_str() {
        "String" if args.is_empty() => Owned::String,
        "Vec" if args.len() == 1 => Owned::Vec,
        "PathBuf" if args.is_empty() => Owned::PathBuf,
        "Box" if args.len() == 1 => Owned::Box,
        _ => return None,
    };
    // A type of that name declared in this file is not the std one (unless the path says so).
    if segs.len() == 1 && index(cx).type_names.contains(&name) {
        return None;
    }
    let arg = || {
        args.first()
            .map(|a| a.syntax().text().to_string())
            .unwrap_or_default()
    };
    let text = match owned {
        Owned::String => "str".to_string(),
        Owned::Vec => format!("[{}]", arg()),
        Owned::PathBuf => {
            if index(cx).path_in_scope {
                "Path".to_string()
            } else {
                "std::path::Path".to_string()
            }
        }
        Owned::Box => {
            let a = &args[0];
            match a {
                // `&Box<dyn A + B>` -> `&(dyn A + B)`.
                ast::Type::DynTraitType(d)
                    if d.type_bound_list().is_some_and(|l| l.bounds().count() > 1) =>
                {
                    format!("({})", arg())
                }
                _ => arg(),
            }
        }
    };
    Some((owned, text))
}

/// `true` when `Path` is imported (`use std::path::Path`, `use std::path::{Path, ..}`, `std::path::*`).
fn path_in_scope(root: &SyntaxNode) -> bool {
    root.descendants().filter_map(ast::UseTree::cast).any(|t| {
        let Some(p) = t.path() else {
            return false;
        };
        let segs = crate::analysis::syntax::path_segments(&p);
        if t.rename().is_some() {
            return false;
        }
        let full_parent: Vec<String> = t
            .syntax()
            .ancestors()
            .filter_map(ast::UseTree::cast)
            .skip(1)
            .filter_map(|u| u.path())
            .flat_map(|p| crate::analysis::syntax::path_segments(&p).into_iter().rev())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let mut all = full_parent;
        all.extend(segs);
        (all.last().is_some_and(|s| s == "Path") && all.iter().any(|s| s == "path"))
            || (t.star_token().is_some() && all.ends_with(&["path".to_string()]))
    })
}

/// What the rule needs to know about the whole file, built once per file on first use (scans
/// of the file per fn or per parameter were quadratic).
#[derive(Default)]
struct FileIndex {
    built: bool,
    /// Names of the structs, enums and type aliases declared in the file.
    type_names: HashSet<String>,
    /// `Path` is imported (see [`path_in_scope`]).
    path_in_scope: bool,
    /// The file's fns by name.
    fns: HashMap<String, Vec<ast::Fn>>,
    /// Names that appear other than as a callee or a method name (passed as a value: changing
    /// the fn's type could break the place it is passed to), also inside macro calls.
    value_names: HashSet<String>,
}

fn index<'c>(cx: &'c mut FileCx<'_>) -> &'c FileIndex {
    let root = cx.file.syntax().clone();
    let idx = cx.state::<FileIndex>();
    if !idx.built {
        idx.build(&root);
    }
    idx
}

impl FileIndex {
    fn build(&mut self, root: &SyntaxNode) {
        self.built = true;
        self.path_in_scope = path_in_scope(root);
        for n in root.descendants() {
            match n.kind() {
                SyntaxKind::STRUCT | SyntaxKind::ENUM | SyntaxKind::TYPE_ALIAS => {
                    if let Some(name) = ast::AnyHasName::cast(n).and_then(|x| x.name()) {
                        self.type_names.insert(name.text().to_string());
                    }
                }
                SyntaxKind::FN => {
                    let f = ast::Fn::cast(n).unwrap();
                    if let Some(name) = f.name() {
                        self.fns.entry(name.text().to_string()).or_default().push(f);
                    }
                }
                SyntaxKind::NAME_REF => {
                    let n = ast::NameRef::cast(n).unwrap();
                    if used_as_value(&n) {
                        self.value_names.insert(n.text().to_string());
                    }
                }
                SyntaxKind::TOKEN_TREE => {
                    for t in n.children_with_tokens().filter_map(|e| e.into_token()) {
                        if t.kind() == SyntaxKind::IDENT && !followed_by_paren(&t) {
                            self.value_names.insert(t.text().to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// `true` when the name is used as a value: a path expression that is not a call's callee.
fn used_as_value(n: &ast::NameRef) -> bool {
    let Some(seg) = n.syntax().parent() else {
        return false;
    };
    if seg.kind() != SyntaxKind::PATH_SEGMENT {
        return false; // a method call name or field
    }
    // Walk up to the outermost path.
    let mut path = seg.parent();
    while let Some(p) = path.clone() {
        match p.parent() {
            Some(pp) if pp.kind() == SyntaxKind::PATH => path = Some(pp),
            _ => break,
        }
    }
    let Some(path) = path else { return false };
    let Some(pe) = path.parent() else {
        return false;
    };
    if pe.kind() != SyntaxKind::PATH_EXPR {
        return false; // a type or a use
    }
    !pe.parent().is_some_and(|c| {
        c.kind() == SyntaxKind::CALL_EXPR
            && ast::CallExpr::cast(c)
                .and_then(|c| c.expr())
                .is_some_and(|e| e.syntax() == &pe)
    })
}

fn followed_by_paren(t: &SyntaxToken) -> bool {
    let mut n = t.next_token();
    while let Some(x) = n.clone() {
        if x.kind().is_trivia() {
            n = x.next_token();
        } else {
            return x.kind() == T!['('];
        }
    }
    false
}

/// How the body uses the parameter `name`, and the edits that go with the type change.
fn analyse_body(
    body: &SyntaxNode,
    name: &str,
    owned: Owned,
    root: &FileIndex,
) -> (Use, Vec<TextEdit>) {
    let mut worst = Use::Safe;
    let mut edits = Vec::new();
    // A rebinding of the same name makes the uses ambiguous.
    if body
        .descendants()
        .filter_map(ast::IdentPat::cast)
        .any(|p| p.name().is_some_and(|n| n.text() == name))
    {
        worst = Use::Unchecked;
    }
    for pe in body.descendants().filter_map(ast::PathExpr::cast) {
        let Some(path) = pe.path() else { continue };
        if path.qualifier().is_some()
            || path
                .segment()
                .and_then(|s| s.name_ref())
                .is_none_or(|n| n.text() != name)
        {
            continue;
        }
        let (u, e) = classify_use(pe.syntax(), owned, root);
        worst = worst.max(u);
        edits.extend(e);
        if worst == Use::NeedsOwned {
            return (worst, edits);
        }
    }
    // Uses inside macro calls (not parsed as expressions).
    for mac in body.descendants().filter_map(ast::MacroCall::cast) {
        let Some(tt) = mac.token_tree() else { continue };
        let mac_name = mac
            .path()
            .and_then(|p| p.segment())
            .and_then(|s| s.name_ref())
            .map(|n| n.text().to_string())
            .unwrap_or_default();
        let formatting = matches!(
            mac_name.as_str(),
            "format"
                | "print"
                | "println"
                | "eprint"
                | "eprintln"
                | "write"
                | "writeln"
                | "panic"
                | "format_args"
                | "trace"
                | "debug"
                | "info"
                | "warn"
                | "error"
                | "unreachable"
                | "todo"
                | "unimplemented"
                | "bail"
                | "anyhow"
        );
        let tokens: Vec<SyntaxToken> = tt
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| !t.kind().is_trivia())
            .collect();
        for (i, t) in tokens.iter().enumerate() {
            if t.kind() != SyntaxKind::IDENT || t.text() != name {
                continue;
            }
            let prev_dot = i > 0 && matches!(tokens[i - 1].kind(), T![.] | T![::]);
            if prev_dot {
                continue; // a field or method of something else
            }
            let next = tokens.get(i + 1).map(|t| t.kind());
            let u = if next == Some(T![.]) {
                match tokens.get(i + 2) {
                    Some(m) if OWNED_ONLY.contains(&m.text()) => Use::NeedsOwned,
                    Some(m) if method_ok(owned, m.text()) => Use::Safe,
                    _ => Use::Unchecked,
                }
            } else if formatting {
                Use::Safe
            } else {
                Use::Unchecked
            };
            worst = worst.max(u);
        }
        if worst == Use::NeedsOwned {
            return (worst, edits);
        }
    }
    (worst, edits)
}

fn method_ok(owned: Owned, m: &str) -> bool {
    match owned {
        Owned::String => STR_METHODS.contains(&m),
        Owned::Vec => SLICE_METHODS.contains(&m),
        Owned::PathBuf => PATH_METHODS.contains(&m),
        // Methods auto-deref to the boxed value; `Box`'s own are associated fns.
        Owned::Box => !matches!(
            m,
            "clone" | "as_ref" | "as_mut" | "borrow" | "to_owned" | "into"
        ),
    }
}

fn classify_use(pe: &SyntaxNode, owned: Owned, root: &FileIndex) -> (Use, Vec<TextEdit>) {
    let Some(parent) = skip_parens_up(pe) else {
        return (Use::Unchecked, vec![]);
    };
    match parent.kind() {
        SyntaxKind::EXPR_STMT => (Use::Safe, vec![]),
        SyntaxKind::INDEX_EXPR => {
            let is_base = ast::IndexExpr::cast(parent.clone())
                .and_then(|i| i.base())
                .is_some_and(|b| b.syntax().text_range().contains_range(pe.text_range()));
            if is_base && owned != Owned::Box {
                (Use::Safe, vec![])
            } else {
                (Use::Unchecked, vec![])
            }
        }
        SyntaxKind::FOR_EXPR if owned == Owned::Vec => (Use::Safe, vec![]),
        SyntaxKind::METHOD_CALL_EXPR => {
            let mc = ast::MethodCallExpr::cast(parent.clone()).unwrap();
            let is_receiver = mc
                .receiver()
                .is_some_and(|r| r.syntax().text_range().contains_range(pe.text_range()));
            if !is_receiver {
                return (Use::Unchecked, vec![]);
            }
            let Some(m) = mc.name_ref() else {
                return (Use::Unchecked, vec![]);
            };
            let method = m.text().to_string();
            let no_args = mc.arg_list().is_some_and(|a| a.args().next().is_none());
            match (owned, method.as_str()) {
                (Owned::String | Owned::Vec, "clone") if no_args => (
                    Use::Safe,
                    vec![TextEdit {
                        range: m.syntax().text_range(),
                        new_text: "to_owned".into(),
                    }],
                ),
                (Owned::PathBuf, "clone") if no_args => (
                    Use::Safe,
                    vec![TextEdit {
                        range: m.syntax().text_range(),
                        new_text: "to_path_buf".into(),
                    }],
                ),
                (Owned::String, "as_str") | (Owned::PathBuf, "as_path") if no_args => {
                    let recv_end = mc.receiver().unwrap().syntax().text_range().end();
                    (
                        Use::Safe,
                        vec![TextEdit {
                            range: TextRange::new(recv_end, mc.syntax().text_range().end()),
                            new_text: String::new(),
                        }],
                    )
                }
                (_, m) if OWNED_ONLY.contains(&m) && owned != Owned::Box => {
                    (Use::NeedsOwned, vec![])
                }
                (_, m) if method_ok(owned, m) => (Use::Safe, vec![]),
                _ => (Use::Unchecked, vec![]),
            }
        }
        SyntaxKind::ARG_LIST => {
            // Passed to a fn of this file: decide by its parameter type, like `ptr_arg`.
            let Some(call) = parent.parent().and_then(ast::CallExpr::cast) else {
                return (Use::Unchecked, vec![]);
            };
            let idx = ast::ArgList::cast(parent.clone())
                .map(|l| {
                    l.args()
                        .position(|a| a.syntax().text_range().contains_range(pe.text_range()))
                        .unwrap_or(0)
                })
                .unwrap_or(0);
            let Some(ast::Expr::PathExpr(callee)) = call.expr() else {
                return (Use::Unchecked, vec![]);
            };
            let Some(callee_name) = callee
                .path()
                .and_then(|p| p.segment())
                .and_then(|s| s.name_ref())
                .map(|n| n.text().to_string())
            else {
                return (Use::Unchecked, vec![]);
            };
            let targets = root.fns.get(&callee_name).map_or(&[][..], |v| &v[..]);
            let [target] = targets else {
                return (Use::Unchecked, vec![]);
            };
            let Some(param) = target.param_list().and_then(|l| l.params().nth(idx)) else {
                return (Use::Unchecked, vec![]);
            };
            let Some(ty) = param.ty() else {
                return (Use::Unchecked, vec![]);
            };
            let text = compact(&ty.syntax().text().to_string());
            let generics = super::ownership_common::generic_params_around(target.syntax());
            let inner = match &ty {
                ast::Type::RefType(r) => r.ty(),
                _ => None,
            };
            let inner_head = inner.as_ref().and_then(super::ownership_common::head_name);
            let needs_owned = inner_head.as_deref().is_some_and(|h| {
                matches!(h, "String" | "Vec" | "PathBuf" | "Box") || generics.iter().any(|g| g == h)
            }) || text.starts_with("impl ")
                || generics.contains(&text);
            if needs_owned {
                (Use::NeedsOwned, vec![])
            } else if text.starts_with("&[") || text.starts_with("&str") || text.ends_with("Path") {
                (Use::Safe, vec![])
            } else {
                (Use::Unchecked, vec![])
            }
        }
        _ => (Use::Unchecked, vec![]),
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_fix, check_no_fix, fix_applicability};
    use crate::analysis::rule::Applicability;

    #[test]
    fn reports_borrowed_owned_params() {
        check(
            "borrowed-owned-param",
            r#"
use std::path::PathBuf;
pub fn total(prices: &Vec<u64>) -> u64 { prices.iter().sum() }
                   //^^^^^^^^^ warning: parameter `prices` of `total` takes `&Vec<u64>`; `&[u64]` accepts more callers and the function needs nothing of `Vec`
fn greet(name: &String, dir: &'static PathBuf, _: &Box<dyn std::fmt::Debug>) {}
             //^^^^^^^ warning: parameter `name` of `greet` takes `&String`; `&str` accepts more callers and the function needs nothing of `String`
                           //^^^^^^^^^^^^^^^^ warning: parameter `dir` of `greet` takes `&'static PathBuf`; `&'static std::path::Path` accepts more callers and the function needs nothing of `PathBuf`
                                                //^^^^^^^^^^^^^^^^^^^^^^^^^ warning: parameter `_` of `greet` takes `&Box<dyn std::fmt::Debug>`; `&dyn std::fmt::Debug` accepts more callers and the function needs nothing of `Box`
trait Store { fn put(&self, key: &String); }
                               //^^^^^^^ warning: parameter `key` of `put` takes `&String`; `&str` accepts more callers and the function needs nothing of `String`
"#,
        );
    }

    #[test]
    fn near_misses_like_ptr_arg() {
        check(
            "borrowed-owned-param",
            r#"
trait Store { fn put(&self, key: &str); }
struct S;
impl Store for S { fn put(&self, key: &String) {} }
fn mutable(v: &mut Vec<u8>) { v.push(1) }
fn capacity(v: &Vec<u8>) -> usize { v.capacity() }
fn capacity_in_macro(s: &String) { println!("{}", s.capacity()) }
fn pattern(&x: &&String) {}
fn needs_owned(v: &Vec<u8>) { takes_vec(v) }
fn takes_vec(v: &Vec<u8>) -> usize { v.capacity() }
fn generic_callee(s: &String) { takes_generic(s) }
fn takes_generic<T: AsRef<str>>(t: &T) {}
fn by_value(s: String, v: Vec<u8>, b: Box<u8>) {}
extern "C" fn ffi(s: &String) {}
fn slices(s: &str, v: &[u8]) {}
fn other(v: &Vec<u8, MyAlloc>, m: &my::String, h: &std::collections::HashMap<u8, u8>) {}
#[cfg(test)]
mod tests {
    fn t(s: &String) {}
}
"#,
        );
    }

    /// Spellings at the edge of the prefilter (a `FN` is looked at only when a parameter is a
    /// shared reference to a path type whose last segment is `String`, `Vec`, `PathBuf` or
    /// `Box`): qualified std paths, nested generics, attributes, raw identifiers, methods of
    /// generic inherent impls, fns nested in trait-impl methods.
    #[test]
    fn reports_qualified_and_unusual_spellings() {
        check(
            "borrowed-owned-param",
            r#"
fn qualified(s: &std::string::String, v: &::std::vec::Vec<u8>, b: &alloc::boxed::Box<u8>) {}
              //^^^^^^^^^^^^^^^^^^^^ warning: parameter `s` of `qualified` takes `&std::string::String`; `&str` accepts more callers and the function needs nothing of `String`
                                       //^^^^^^^^^^^^^^^^^^^^ warning: parameter `v` of `qualified` takes `&::std::vec::Vec<u8>`; `&[u8]` accepts more callers and the function needs nothing of `Vec`
                                                                //^^^^^^^^^^^^^^^^^^^^^^ warning: parameter `b` of `qualified` takes `&alloc::boxed::Box<u8>`; `&u8` accepts more callers and the function needs nothing of `Box`
fn nested<'a>(v: &'a Vec<Vec<u8>>, b: &Box<Vec<u8>>, #[allow(unused)] p: &core::primitive::u8) {}
               //^^^^^^^^^^^^^^^^ warning: parameter `v` of `nested` takes `&'a Vec<Vec<u8>>`; `&'a [Vec<u8>]` accepts more callers and the function needs nothing of `Vec`
                                    //^^^^^^^^^^^^^ warning: parameter `b` of `nested` takes `&Box<Vec<u8>>`; `&Vec<u8>` accepts more callers and the function needs nothing of `Box`
fn r#type(#[allow(unused)] r#ref: &String, _: & Vec < u8 >) {}
                                //^^^^^^^ warning: parameter `r#ref` of `r#type` takes `&String`; `&str` accepts more callers and the function needs nothing of `String`
                                            //^^^^^^^^^^^^ warning: parameter `_` of `r#type` takes `&Vec<u8>`; `&[u8]` accepts more callers and the function needs nothing of `Vec`
struct W<T>(T);
impl<T: Clone> W<T> {
    pub(crate) fn items(&self, v: &Vec<T>) -> usize { v.len() }
                                //^^^^^^^ warning: parameter `v` of `items` takes `&Vec<T>`; `&[T]` accepts more callers and the function needs nothing of `Vec`
}
impl<T> Drop for W<T> {
    fn drop(&mut self) {
        fn helper(s: &String) -> usize { s.len() }
                   //^^^^^^^ warning: parameter `s` of `helper` takes `&String`; `&str` accepts more callers and the function needs nothing of `String`
    }
}
"#,
        );
    }

    /// Near misses at the prefilter's edge: `&mut` and `&&`, non-std paths of the same name,
    /// bindings that are not a plain name, trait-impl methods, `extern` items, closures and fn
    /// pointer types.
    #[test]
    fn near_misses_at_the_prefilter_edge() {
        check(
            "borrowed-owned-param",
            r#"
fn mutable(s: &mut std::string::String, v: &'static mut Vec<u8>, r: &&String) {}
fn bindings(mut s: &String, ref v: &Vec<u8>, p @ _: &std::path::PathBuf) {}
fn foreign(s: &my::String, v: &smallvec::Vec<u8>, b: &crate::Box<u8>, q: &self::PathBuf) {}
fn callbacks(f: fn(&String), g: impl Fn(&Vec<u8>)) { let c = |s: &String| s.len(); }
extern "C" { fn ext(s: &String); }
trait Tr { fn t(&self, s: &str); }
struct S;
impl Tr for S { fn t(&self, s: &std::string::String) {} }
"#,
        );
    }

    /// A type named `String` declared in the file shadows the std one, but not a path that
    /// names std's.
    #[test]
    fn local_type_of_the_same_name_and_qualified_std_path() {
        check(
            "borrowed-owned-param",
            r#"
struct String;
fn local(s: &String) {}
fn qualified(s: &std::string::String) -> usize { s.len() }
              //^^^^^^^^^^^^^^^^^^^^ warning: parameter `s` of `qualified` takes `&std::string::String`; `&str` accepts more callers and the function needs nothing of `String`
"#,
        );
    }

    #[test]
    fn fix_is_safe_when_the_body_only_uses_borrowed_methods() {
        check_fix(
            "borrowed-owned-param",
            r#"
use std::path::{Path, PathBuf};
fn f(name: &Str$0ing) -> String {
    let n = name.len() + name.trim().len();
    println!("{name} {}", name.to_uppercase());
    let first = &name[..1];
    name.as_str().to_string() + &name.clone()
}
"#,
            r#"
use std::path::{Path, PathBuf};
fn f(name: &str) -> String {
    let n = name.len() + name.trim().len();
    println!("{name} {}", name.to_uppercase());
    let first = &name[..1];
    name.to_string() + &name.to_owned()
}
"#,
        );
        check_fix(
            "borrowed-owned-param",
            r#"
use std::path::{Path, PathBuf};
fn g(items: &Vec<Vec<u8>>, dir: &PathBuf$0) -> PathBuf {
    for i in items { let _ = i.len(); }
    dir.join("x").parent().map(|p| p.to_path_buf()).unwrap_or(dir.clone())
}
"#,
            r#"
use std::path::{Path, PathBuf};
fn g(items: &Vec<Vec<u8>>, dir: &Path) -> PathBuf {
    for i in items { let _ = i.len(); }
    dir.join("x").parent().map(|p| p.to_path_buf()).unwrap_or(dir.to_path_buf())
}
"#,
        );
        assert_eq!(
            fix_applicability(
                "borrowed-owned-param",
                "fn f(v: &Vec<u8>$0) -> u8 { v[0] + v.first().copied().unwrap_or(0) }\n"
            ),
            Applicability::Safe
        );
        assert_eq!(
            fix_applicability(
                "borrowed-owned-param",
                "fn f(b: &Box<u8>$0) -> u32 { b.count_ones() }\n"
            ),
            Applicability::Safe
        );
        assert_eq!(
            fix_applicability(
                "borrowed-owned-param",
                "fn f(v: &Vec<u8>$0) -> usize { takes_slice(v) }\nfn takes_slice(s: &[u8]) -> usize { s.len() }\n"
            ),
            Applicability::Safe
        );
    }

    #[test]
    fn fix_is_unsafe_when_a_use_cannot_be_checked() {
        for fixture in [
            // passed to code the file does not declare
            "fn f(s: &String$0) { external::consume(s) }\n",
            // compared, returned
            "fn f(s: &String$0, t: &String) -> bool { s == t }\n",
            "fn f<'a>(v: &'a Vec<u8>$0) -> &'a Vec<u8> { v }\n",
            // an unknown method (maybe an extension trait of `Vec`)
            "fn f(v: &Vec<u8>$0) { v.my_ext() }\n",
            // a non-formatting macro
            "fn f(v: &Vec<u8>$0) { assert_eq!(v, &vec![1]) }\n",
            // the fn is passed as a value
            "fn f(v: &Vec<u8>$0) -> usize { v.len() }\nfn g(x: Vec<Vec<u8>>) { x.iter().map(f); }\n",
            // a trait method: the impls must change too
            "trait T { fn f(&self, v: &Vec<u8>$0) -> usize { v.len() } }\n",
            // shadowed name
            "fn f(v: &Vec<u8>$0) { let v = v.len(); }\n",
            // a trait object: call sites coerce by unsizing instead of deref (handlebars 0.32:
            // `Rc<Box<dyn HelperDef>>` args stopped compiling once the parameter was `&dyn HelperDef`)
            "fn f(b: &Box<dyn std::fmt::Display>$0) -> String { b.to_string() }\n",
        ] {
            assert_eq!(
                fix_applicability("borrowed-owned-param", fixture),
                Applicability::Unsafe,
                "{fixture}"
            );
        }
    }

    #[test]
    fn owned_use_means_no_finding_and_no_fix() {
        check_no_fix(
            "borrowed-owned-param",
            "fn f(v: &Vec<u8>$0) -> usize { v.capacity() + v.len() }\n",
        );
    }
}
