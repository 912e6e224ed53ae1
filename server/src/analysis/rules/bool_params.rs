//! `bool-params`: functions with more than `max-bool-params` `bool` parameters, and public
//! functions whose callers pass bare `true`/`false` literals (the boolean trap).

use super::bool_fields::is_bool;
use super::state_types::{in_test_code, signature_is_fixed};
use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::model::{Fact, ItemKind, Visibility};
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Related, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{
    ast, ast::HasArgList, unraw, AstNode, HasName, SyntaxKind, SyntaxNode,
};
use crate::analysis::workspace::WsFile;

pub(crate) struct BoolParams;

pub static META: RuleMeta = RuleMeta {
    id: "bool-params",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Functions with more than `max-bool-params` `bool` parameters; public functions called with bare `true`/`false`.",
    options: &[
        RuleOption {
            key: "max-bool-params",
            default: OptionDefault::Int(3),
            doc: "the largest number of `bool` parameters that is not reported",
        },
        RuleOption {
            key: "literal-calls",
            default: OptionDefault::Bool(true),
            doc: "also report (as a hint) public functions whose call sites in the workspace pass bare `true`/`false`",
        },
    ],
    docs: RuleDocs {
        what: "1. (warning) Functions with more than `max-bool-params` parameters of type `bool`, like clippy's \
               `fn_params_excessive_bools`: free functions, inherent methods, nested functions and trait method \
               declarations. Methods of trait impls (the trait decides), items of `extern` blocks and functions \
               with a non-Rust ABI (`extern \"C\" fn`) are not reported, nor closures.\n\
               2. (hint) A `pub` function with a `bool` parameter that some call site in the workspace calls with \
               a bare `true` or `false` literal for it: the \"boolean trap\". The finding is on the function and \
               points at the call sites. Only functions whose name is unique among the workspace's functions are \
               matched with calls (calls are resolved by name). Setters are not reported: a function whose only \
               parameter is the `bool` and whose name contains the parameter's name or starts with `set_`, \
               `with_`, `enable`, `disable`, `allow`, `toggle`, `show`, `hide` or `use_` (`set_visible(true)` \
               reads fine).",
        why: "At the call site `render(true, false, true)` says nothing; the reader must open the function to \
              know what each flag means, and swapping two of them compiles. Several bool parameters are also \
              often one state split into flags whose combinations are partly invalid.",
        example: "pub fn export(path: &Path, overwrite: bool) {}\n\nexport(&path, true); // true what?",
        instead: "Enums with named variants (`export(&path, Existing::Overwrite)`), or an options struct \
                  for many settings.",
    },
    fixable: false,
};

const SETTER_PREFIXES: &[&str] = &[
    "set_", "with_", "enable", "disable", "allow", "toggle", "show", "hide", "use_",
];

impl Rule for BoolParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[
            SyntaxKind::FN,
            SyntaxKind::CALL_EXPR,
            SyntaxKind::METHOD_CALL_EXPR,
        ]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        match node.kind() {
            // `check_fn` reports and records only functions with a `bool` parameter (`is_bool`
            // types are path types named `bool`).
            SyntaxKind::FN => node
                .param_types()
                .any(|t| t.path_type_name() == Some("bool")),
            _ => node.call_has_bool_literal_arg(),
        }
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        match node.kind() {
            SyntaxKind::FN => check_fn(node, cx),
            _ => record_call(node, cx),
        }
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        if !ws.bool_opt("literal-calls") {
            return;
        }
        let mut fn_count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for f in &ws.workspace.files {
            for it in f.summary.items.iter().filter(|i| i.kind == ItemKind::Fn) {
                *fn_count.entry(unraw(&it.name)).or_default() += 1;
            }
        }
        let facts = |kind: &'static str| {
            ws.workspace.files.iter().flat_map(move |f| {
                f.summary
                    .facts
                    .iter()
                    .filter(move |x| x.rule == META.id && x.kind == kind)
                    .map(move |x| (f, x))
            })
        };
        // Call sites by callee name (looked up per declaration: a scan of every call per
        // declaration would be quadratic).
        let mut calls: std::collections::HashMap<&str, Vec<(&WsFile, &Fact)>> =
            std::collections::HashMap::new();
        for (f, c) in facts("call") {
            calls.entry(unraw(&c.name)).or_default().push((f, c));
        }
        for (file, decl) in facts("fn") {
            if fn_count.get(unraw(&decl.name)).copied() != Some(1) {
                continue;
            }
            // detail: `<has_self 0|1>|<index>:<name>,...`
            let Some((has_self, params)) = decl.detail.split_once('|') else {
                continue;
            };
            let has_self = has_self == "1";
            let bools: Vec<(usize, &str)> = params
                .split(',')
                .filter_map(|p| p.split_once(':'))
                .filter_map(|(i, n)| Some((i.parse().ok()?, n)))
                .collect();
            let mut sites = Vec::new();
            let mut names: Vec<&str> = Vec::new();
            let sites_of = calls.get(unraw(&decl.name)).map_or(&[][..], |v| &v[..]);
            for &(cfile, call) in sites_of {
                let Some((form, idx)) = call.detail.split_once('|') else {
                    continue;
                };
                let Ok(idx) = idx.parse::<usize>() else {
                    continue;
                };
                let idx = match (form, has_self) {
                    ("m", true) | ("p", false) => idx,
                    ("p", true) if idx > 0 => idx - 1,
                    _ => continue,
                };
                if let Some((_, n)) = bools.iter().find(|(i, _)| *i == idx) {
                    if !names.contains(n) {
                        names.push(n);
                    }
                    sites.push(Related {
                        file: Some(cfile.meta.rel_path.clone()),
                        range: call.range,
                        line: None,
                        message: format!("bare bool literal for `{n}`"),
                    });
                }
            }
            if sites.is_empty() {
                continue;
            }
            let n = sites.len();
            let mut finding = Finding::new(
                &META,
                decl.range,
                format!(
                    "`{}` is called with a bare `true`/`false` for {} at {n} call site{}",
                    decl.name,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if n == 1 { "" } else { "s" }
                ),
            )
            .severity(Severity::Hint)
            .suggestion("replace the `bool` with an enum whose variants name both cases")
            .symbol(decl.name.to_string());
            for s in sites {
                finding = finding.related(s);
            }
            out.report(&file.meta.rel_path, finding);
        }
    }
}

fn check_fn(node: &SyntaxNode, cx: &mut FileCx<'_>) {
    let Some(f) = ast::Fn::cast(node.clone()) else {
        return;
    };
    let Some(params) = f.param_list() else { return };
    let Some(name) = f.name() else { return };
    if signature_is_fixed(node) {
        return;
    }
    let bools: Vec<(usize, String)> = params
        .params()
        .enumerate()
        .filter(|(_, p)| p.ty().is_some_and(|t| is_bool(&t)))
        .map(|(i, p)| {
            (
                i,
                p.pat()
                    .map(|p| crate::analysis::syntax::node_text(p.syntax()))
                    .unwrap_or_else(|| "_".into()),
            )
        })
        .collect();
    let max = cx.int("max-bool-params");
    if bools.len() as i64 > max {
        cx.report(
            Finding::new(
                &META,
                name.syntax().text_range(),
                format!(
                    "`{}` has {} `bool` parameters (more than {max})",
                    name.text(),
                    bools.len()
                ),
            )
            .suggestion("replace the flags with enums with named variants, or an options struct")
            .symbol(name.text().to_string()),
        );
    }
    // Facts for the boolean-trap check: public functions with a bool parameter.
    let is_pub = !matches!(
        Visibility::of(&f).0,
        Visibility::Private | Visibility::PubSelf
    );
    let in_trait_def = node
        .parent()
        .and_then(|p| p.parent())
        .is_some_and(|g| g.kind() == SyntaxKind::TRAIT);
    if bools.is_empty() || !(is_pub || in_trait_def) || in_test_code(node) {
        return;
    }
    let fname = name.text().to_string();
    if params.params().count() == 1 {
        let (fname, pname) = (unraw(&fname), unraw(&bools[0].1));
        if fname.contains(pname.trim_start_matches('_'))
            || SETTER_PREFIXES.iter().any(|p| fname.starts_with(p))
        {
            return;
        }
    }
    let has_self = params.self_param().is_some();
    let detail = format!(
        "{}|{}",
        u8::from(has_self),
        bools
            .iter()
            .map(|(i, n)| format!("{i}:{n}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    cx.fact("fn", fname, detail, name.syntax().text_range());
}

fn is_bool_literal(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Literal(l) if matches!(l.token().kind(), SyntaxKind::TRUE_KW | SyntaxKind::FALSE_KW))
}

fn record_call(node: &SyntaxNode, cx: &mut FileCx<'_>) {
    // Cheap test first (no syntax nodes built): most calls pass no `true`/`false` literal.
    if !crate::analysis::syntax::call_has_bool_literal_arg(node) {
        return;
    }
    let (form, name, args) = if let Some(c) = ast::CallExpr::cast(node.clone()) {
        let Some(ast::Expr::PathExpr(p)) = c.expr() else {
            return;
        };
        let Some(seg) = p
            .path()
            .and_then(|p| p.segment())
            .and_then(|s| s.name_ref())
        else {
            return;
        };
        let Some(args) = c.arg_list() else { return };
        ("p", seg.text().to_string(), args)
    } else if let Some(m) = ast::MethodCallExpr::cast(node.clone()) {
        let Some(n) = m.name_ref() else { return };
        let Some(args) = m.arg_list() else { return };
        ("m", n.text().to_string(), args)
    } else {
        return;
    };
    for (i, a) in args.args().enumerate() {
        if is_bool_literal(&a) {
            cx.fact(
                "call",
                name.clone(),
                format!("{form}|{i}"),
                a.syntax().text_range(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_more_than_three_bool_params() {
        check(
            "bool-params",
            r#"
fn g(_: bool, _: bool, _: bool, _: bool) {}
 //^ warning: `g` has 4 `bool` parameters (more than 3)
struct S;
impl S {
    fn f(&self, a: bool, b: bool, c: bool, d: std::primitive::bool) {}
     //^ warning: `f` has 4 `bool` parameters (more than 3)
}
trait Trait {
    fn f(_: bool, _: bool, _: bool, _: bool);
     //^ warning: `f` has 4 `bool` parameters (more than 3)
}
fn main() {
    fn n(_: bool, _: u32, _: bool, _: Box<u32>, _: bool, _: bool) {}
     //^ warning: `n` has 4 `bool` parameters (more than 3)
}
"#,
        );
    }

    #[test]
    fn clippy_near_misses() {
        check_with_config(
            "bool-params",
            "[rules.bool-params]\nliteral-calls = false\n",
            r#"
extern "C" { fn f(_: bool, _: bool, _: bool, _: bool); }
#[no_mangle]
extern "C" fn k(_: bool, _: bool, _: bool, _: bool) {}
fn h(_: bool, _: bool, _: bool) {}
fn e(_: &bool, _: Option<bool>, _: Vec<bool>, _: bool, _: bool) {}
struct S;
trait Trait { fn f(_: bool, _: bool, _: bool, _: bool); } // boundary: allow(bool-params)
impl Trait for S { fn f(_: bool, _: bool, _: bool, _: bool) {} }
fn closure() { let _c = |a: bool, b: bool, c: bool, d: bool| a; }
"#,
        );
    }

    /// Spellings of `bool` and of a function at the edge of the prefilter (a `FN` is looked at
    /// only when a parameter type is a path type whose last segment is `bool`).
    #[test]
    fn bool_spellings_and_function_forms() {
        check_with_config(
            "bool-params",
            "[rules.bool-params]\nliteral-calls = false\n",
            r#"
fn a(_: ::core::primitive::bool, _: core::primitive::bool, _: std::primitive::bool, _: bool) {}
 //^ warning: `a` has 4 `bool` parameters (more than 3)
fn b(_: std :: primitive :: bool, _: bool, _: bool, _: bool) {}
 //^ warning: `b` has 4 `bool` parameters (more than 3)
fn b2(_: ::std::primitive::bool, _: bool, _: bool, _: bool) {}
 //^^ warning: `b2` has 4 `bool` parameters (more than 3)
fn c(#[allow(unused)] x: bool, mut y: bool, (z): bool, _w: bool) {}
 //^ warning: `c` has 4 `bool` parameters (more than 3)
fn r#match(_: bool, _: bool, _: bool, _: bool) {}
 //^^^^^^^ warning: `r#match` has 4 `bool` parameters (more than 3)
pub(crate) const unsafe fn d<T: Copy>(_: T, _: bool, _: bool, _: bool, _: bool) where T: Clone {}
                         //^ warning: `d` has 4 `bool` parameters (more than 3)
pub extern "Rust" fn e(_: bool, _: bool, _: bool, _: bool) {}
                   //^ warning: `e` has 4 `bool` parameters (more than 3)
async fn f(_: bool, _: bool, _: bool, _: bool) {}
       //^ warning: `f` has 4 `bool` parameters (more than 3)
struct S;
impl<T> From<T> for S { fn from(_: T) -> S { S } }
impl S {
    pub(in crate) fn m(&mut self, _: bool, _: bool, _: bool, _: bool) {}
                   //^ warning: `m` has 4 `bool` parameters (more than 3)
}
trait Tr {
    fn provided(&self, _: bool, _: bool, _: bool, _: bool) {}
     //^^^^^^^^ warning: `provided` has 4 `bool` parameters (more than 3)
}
"#,
        );
    }

    /// Not four parameters of type `bool`: containers, references, function types; fixed
    /// signatures (`extern fn` is `extern "C"`).
    #[test]
    fn bool_near_misses_at_the_prefilter_edge() {
        check_with_config(
            "bool-params",
            "[rules.bool-params]\nliteral-calls = false\n",
            r#"
fn tuple(_: (bool, bool), _: [bool; 2], _: &mut bool, _: bool, _: bool, _: bool) {}
fn pointers(_: fn(bool, bool, bool, bool), _: impl Fn(bool, bool, bool, bool) -> bool) {}
fn boxed(_: Box<bool>, _: *const bool, _: &&bool, _: bool, _: bool, _: bool) {}
extern fn k(_: bool, _: bool, _: bool, _: bool) {}
unsafe extern "system" fn l(_: bool, _: bool, _: bool, _: bool) {}
struct S;
trait Tr { fn t(&self, _: bool, _: bool, _: bool, _: bool); } // boundary: allow(bool-params)
impl Tr for S { fn t(&self, _: bool, _: bool, _: bool, _: std::primitive::bool) {} }
"#,
        );
    }

    /// Calls spelled with a path or through an `impl` block's method, and `pub` spellings.
    #[test]
    fn boolean_trap_call_and_visibility_forms() {
        check(
            "bool-params",
            r#"
//- /src/lib.rs
pub mod io {
    pub(crate) fn write(path: &str, sync: core::primitive::bool) {}
                //^^^^^ hint: `write` is called with a bare `true`/`false` for `sync` at 2 call sites
    pub(self) fn hidden(path: &str, sync: bool) {}
    fn go() { hidden("c", true); }
}
pub fn run() {
    crate::io::write("a", false);
    io::write("b", true);
    io::write("d", (true));
    io::write("e", !true);
}
"#,
        );
    }

    #[test]
    fn boolean_trap_across_files() {
        check(
            "bool-params",
            r#"
//- /src/lib.rs
mod export;
pub use export::export;
pub fn run() {
    export("a.csv", true);
    export("b.csv", overwrite());
}
fn overwrite() -> bool { false }
//- /src/export.rs
pub fn export(path: &str, overwrite: bool) {}
     //^^^^^^ hint: `export` is called with a bare `true`/`false` for `overwrite` at 1 call site
pub struct Doc;
impl Doc {
    pub fn save(&self, backup: bool, sync: bool) {}
         //^^^^ hint: `save` is called with a bare `true`/`false` for `backup`, `sync` at 3 call sites
    fn go(&self) { self.save(true, false); Doc::save(self, true, x()); }
}
fn x() -> bool { true }
"#,
        );
    }

    /// Raw identifiers: `r#send` and `send` are one name (declared one way, called the other),
    /// keywords are only ever spelled raw; uniqueness, and the setter exemption, look at the
    /// name without `r#`.
    #[test]
    fn boolean_trap_raw_identifiers() {
        check(
            "bool-params",
            r#"
//- /src/lib.rs
pub fn r#match(pattern: &str, exact: bool) {}
     //^^^^^^^ hint: `r#match` is called with a bare `true`/`false` for `exact` at 1 call site
pub fn r#send(data: &[u8], flush: bool) {}
     //^^^^^^ hint: `r#send` is called with a bare `true`/`false` for `flush` at 3 call sites
pub fn plain(n: u8, fast: bool) {}
     //^^^^^ hint: `plain` is called with a bare `true`/`false` for `fast` at 1 call site
pub struct P;
impl P {
    pub fn r#type(&self, strict: bool) {}
         //^^^^^^ hint: `r#type` is called with a bare `true`/`false` for `strict` at 2 call sites
}
fn calls(p: &P) {
    r#match("a", true);
    r#send(b"x", false);
    send(b"y", true);
    crate::send(b"z", true);
    r#plain(1, true);
    p.r#type(false);
    P::r#type(p, true);
}
"#,
        );
    }

    #[test]
    fn boolean_trap_raw_identifier_near_misses() {
        check(
            "bool-params",
            r#"
//- /src/lib.rs
pub fn r#dup(flag: bool, n: u8) {}
mod other { pub fn dup() {} }
pub struct W;
impl W {
    pub fn r#use_cache(&mut self, on: bool) {}
    pub fn r#async(&mut self, r#async: bool) {}
    pub fn r#loop(&self, n: u8) {}
}
pub fn r#matches(exact: bool, n: u8) {}
fn calls(w: &mut W) {
    dup(true, 1);
    r#dup(false, 2);
    w.use_cache(true);
    w.r#async(false);
    w.r#loop(true);
    r#match(true, 1);
}
"#,
        );
    }

    #[test]
    fn boolean_trap_near_misses() {
        check(
            "bool-params",
            r#"
//- /src/lib.rs
pub struct W;
impl W {
    pub fn set_visible(&mut self, visible: bool) {}
    pub fn enabled(&mut self, on: bool) {}
    pub fn verbose(&mut self, verbose: bool) {}
}
fn private(flag: bool, n: u8) {}
pub fn ambiguous(flag: bool, n: u8) {}
mod other { pub fn ambiguous() {} }
pub fn called_with_vars(flag: bool, n: u8) {}
fn calls(w: &mut W, f: bool) {
    w.set_visible(true);
    w.enabled(false);
    w.verbose(true);
    private(true, 1);
    ambiguous(true, 1);
    called_with_vars(f, 1);
    called_with_vars(!f, 1);
}
"#,
        );
    }
}
