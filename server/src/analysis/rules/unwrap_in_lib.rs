//! `unwrap-in-lib`: `.unwrap()` / `.expect(..)` in non-test code of library crates.

use std::collections::{HashMap, HashSet};

use crate::analysis::cfg;
use crate::analysis::engine::{type_head, FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::model::ItemKind;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{
    ast, AstNode, HasName, SmolStr, SyntaxKind, SyntaxNode, TextRange, TextSize,
};
use crate::analysis::workspace::{TargetKind, Workspace};
use ast::HasArgList;

pub(crate) struct UnwrapInLib;

pub static META: RuleMeta = RuleMeta {
    id: "unwrap-in-lib",
    category: Category::Boundary,
    default_severity: Severity::Info,
    default_enabled: false,
    summary: "`.unwrap()`/`.expect()` in library code: the library decides to panic for its callers.",
    options: &[],
    docs: RuleDocs {
        what: "Calls of `.unwrap()` (no arguments) and `.expect(msg)` (one argument) in non-test code of a library \
               crate, like clippy's `unwrap_used` and `expect_used`; also in the arguments of `std` macros that \
               take expressions (`format!`, `write!`, `assert!`, `vec!`, ...). Only files of the library's module \
               tree are checked: not binaries, tests, examples, benches, nor files no `mod` reaches (an \
               `include!`d file). Code that the package's default features do not compile is skipped: under \
               `#[cfg(feature = \"x\")]` (on an item, a statement, a `mod` declaration or a whole file) where the \
               `[features] default` of `Cargo.toml` does not enable `x`, transitively; other `cfg` options \
               (`unix`, `target_os`) count as enabled. When the crate defines a method named `unwrap`/`expect` \
               itself (a tokenizer's `expect(token)`), a call of it on `self` or `self.field` of a type that has \
               it is not reported, and a call on another receiver only when it is shown to be `Option`/`Result`'s \
               (a field declared `Option`/`Result`, a receiver such as `.parse()`/`.next()`/`.get(..)` the crate \
               does not define, or a string message the crate's method cannot take). Calls in other macros' \
               arguments are not seen. Off by default.",
        why: "A library cannot know whether its caller can recover: a panic inside it takes that choice away, and \
              the failure appears as a crash far from the cause. Errors that are part of the interface belong in \
              the return type.",
        example: "pub fn load(path: &Path) -> Config {\n    let text = std::fs::read_to_string(path).unwrap();\n    toml::from_str(&text).expect(\"valid config\")\n}",
        instead: "Return the error (`?` with a `Result`), or handle the `None`/`Err` case. Where a panic really \
                  marks a bug (an invariant), document it and suppress with `// boundary: allow(unwrap-in-lib)`.",
    },
    fixable: false,
};

/// Fact kinds of this rule.
const CALL: &str = "call";
const DEF: &str = "def";
const STRUCT: &str = "struct";
const MOD: &str = "mod";

/// Methods of `std` whose every meaning returns an `Option` or a `Result`: `.parse().expect(..)`
/// is `Result::expect` unless the crate defines a method of that name itself.
const STD_FALLIBLE: &[&str] = &[
    "parse",
    "ok",
    "err",
    "next",
    "next_back",
    "nth",
    "get",
    "get_mut",
    "first",
    "last",
    "pop",
    "find",
    "position",
    "take",
    "to_str",
    "lock",
    "try_into",
    "try_from",
    "checked_add",
    "checked_sub",
    "checked_mul",
    "checked_div",
    "strip_prefix",
    "strip_suffix",
    "split_once",
    "char_indices",
    "max",
    "min",
    "from_utf8",
];

impl Rule for UnwrapInLib {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[
            SyntaxKind::METHOD_CALL_EXPR,
            SyntaxKind::MACRO_CALL,
            SyntaxKind::FN,
            SyntaxKind::STRUCT,
            SyntaxKind::MODULE,
        ]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        match node.kind() {
            SyntaxKind::METHOD_CALL_EXPR => {
                matches!(node.method_name(), Some("unwrap" | "expect"))
            }
            SyntaxKind::MACRO_CALL => node.macro_name().is_some_and(|n| EXPR_MACROS.contains(&n)),
            _ => true,
        }
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        // Integration tests, examples, benches and build scripts are never library code; the
        // rest is decided by the module tree (`check_workspace`).
        if !matches!(
            cx.meta.target,
            TargetKind::Lib | TargetKind::Bin | TargetKind::Loose
        ) {
            return;
        }
        if let Some(call) = ast::MethodCallExpr::cast(node.clone()) {
            record_call(&call, node, None, cx);
        } else if let Some(mac) = ast::MacroCall::cast(node.clone()) {
            record_macro(&mac, node, None, cx);
        } else if let Some(f) = ast::Fn::cast(node.clone()) {
            record_def(&f, cx);
        } else if let Some(s) = ast::Struct::cast(node.clone()) {
            record_struct(&s, cx);
        } else if let Some(m) = ast::Module::cast(node.clone()) {
            record_mod(&m, cx);
        }
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let w = ws.workspace;
        // Indexed once per workspace: the crate's own `unwrap`/`expect` methods, and its
        // structs' field types (for `self.field.expect(..)`).
        let mut defs: HashMap<(Option<usize>, &str), Vec<Def<'_>>> = HashMap::new();
        let mut fields: HashMap<(Option<usize>, &str), Vec<&str>> = HashMap::new();
        // Module paths whose every declaration is disabled by the default features.
        let mut mods: HashMap<(Option<usize>, Vec<SmolStr>), bool> = HashMap::new();
        for file in &w.files {
            for f in file.summary.facts.iter().filter(|f| f.rule == META.id) {
                if file.summary.is_test_range(f.range) {
                    continue;
                }
                match f.kind {
                    DEF => {
                        let mut parts = f.detail.split('\t');
                        let self_ty = parts.next().unwrap_or("");
                        let arity = parts.next().and_then(|a| a.parse().ok()).unwrap_or(0);
                        let takes_str = parts.next() == Some("1");
                        defs.entry((file.package, f.name.as_str()))
                            .or_default()
                            .push(Def {
                                self_ty,
                                arity,
                                takes_str,
                            });
                    }
                    STRUCT => fields
                        .entry((file.package, f.name.as_str()))
                        .or_default()
                        .push(&*f.detail),
                    MOD => {
                        // `#[cfg(..)] mod child;`: the module path of the child, and whether
                        // this declaration of it is compiled.
                        let (scope, cfgs) = f.detail.split_once('\t').unwrap_or((&f.detail, ""));
                        let mut path = file.module_path.clone();
                        path.extend(
                            scope
                                .split("::")
                                .filter(|s| !s.is_empty())
                                .map(SmolStr::new),
                        );
                        path.push(f.name.clone());
                        let cfgs: Vec<String> = cfgs.split('\t').map(str::to_string).collect();
                        let features = features_of(w, file.package);
                        let off = cfg::disabled(&cfgs, &|x| features.iter().any(|f| f == x));
                        let e = mods.entry((file.package, path)).or_insert(true);
                        *e &= off;
                    }
                    _ => {}
                }
            }
        }
        // The names of the methods each crate defines (only needed, and only computed, for a
        // crate that defines its own `unwrap`/`expect`).
        let mut methods: HashMap<Option<usize>, HashSet<&str>> = HashMap::new();
        for file in &w.files {
            let is_lib = file
                .targets
                .iter()
                .any(|&t| w.target(t).kind == TargetKind::Lib);
            if !is_lib {
                continue; // not reached by a library's module tree (bins, `include!`d files)
            }
            let mut calls = file
                .summary
                .facts
                .iter()
                .filter(|f| f.rule == META.id && f.kind == CALL)
                .peekable();
            if calls.peek().is_none() {
                continue;
            }
            let in_disabled_mod = (2..=file.module_path.len())
                .any(|n| mods.get(&(file.package, file.module_path[..n].to_vec())) == Some(&true));
            if in_disabled_mod {
                continue; // `#[cfg(feature = "x")] mod this;` with `x` off
            }
            let features = features_of(w, file.package);
            let enabled = |f: &str| features.iter().any(|x| x == f);
            for call in calls {
                let c = Call::parse(&call.detail);
                if cfg::disabled(&c.cfgs, &enabled) {
                    continue; // not compiled with the default features
                }
                let method = call.name.as_str();
                let own = defs
                    .get(&(file.package, method))
                    .map(|d| d.iter().filter(|d| d.arity == c.args).collect::<Vec<_>>());
                let own = own.unwrap_or_default();
                let recv_ty = match c.recv {
                    Recv::Type(t) => Some(t),
                    Recv::Field(s, field) => field_type(&fields, file.package, s, field),
                    _ => None,
                };
                if recv_ty.is_some_and(|t| own.iter().any(|d| d.self_ty == t)) {
                    continue; // the crate's own method on the receiver's type
                }
                let std_receiver = recv_ty.is_some_and(|t| t == "Option" || t == "Result");
                if !own.is_empty() && !std_receiver {
                    // The crate has a method of this name: report only what is shown to be
                    // `Option`/`Result`'s.
                    let names = methods.entry(file.package).or_insert_with(|| {
                        w.files
                            .iter()
                            .filter(|f| f.package == file.package)
                            .flat_map(|f| f.summary.items.iter())
                            .filter(|i| i.owner.is_some() && i.kind == ItemKind::Fn)
                            .map(|i| i.name.as_str())
                            .collect()
                    });
                    let fallible_call = matches!(c.recv, Recv::Call(m)
                        if STD_FALLIBLE.contains(&m) && !names.contains(m));
                    let str_message = c.str_arg && own.iter().all(|d| !d.takes_str);
                    if !fallible_call && !str_message {
                        continue;
                    }
                }
                out.report(
                    &file.meta.rel_path,
                    Finding::new(
                        &META,
                        call.range,
                        format!("`.{method}()` in library code panics for the caller"),
                    )
                    .suggestion("return the error with `?`, or handle the failure case"),
                );
            }
        }
    }
}

fn features_of(w: &Workspace, package: Option<usize>) -> &[String] {
    package.map_or(&[], |p| w.packages[p].default_features.as_slice())
}

/// A method `unwrap`/`expect` the crate defines.
struct Def<'a> {
    /// The impl's self type (or the trait, for a trait's own declaration).
    self_ty: &'a str,
    /// Parameters besides `self`.
    arity: usize,
    /// The first parameter may take a string (`&str`, `String`, a generic, `impl ..`).
    takes_str: bool,
}

/// What the file pass knows about a call's receiver.
enum Recv<'a> {
    /// Its type's name (`self` in `impl Foo`: `Foo`).
    Type(&'a str),
    /// `self.field` in `impl Struct`.
    Field(&'a str, &'a str),
    /// A method call `.m(..)`.
    Call(&'a str),
    Unknown,
}

/// A `call` fact's detail: `receiver \t args \t str-arg \t cfg..`.
struct Call<'a> {
    recv: Recv<'a>,
    args: usize,
    str_arg: bool,
    cfgs: Vec<String>,
}

impl<'a> Call<'a> {
    fn encode(recv: &str, args: usize, str_arg: bool, cfgs: &[String]) -> String {
        let mut s = format!("{recv}\t{args}\t{}", u8::from(str_arg));
        for c in cfgs {
            s.push('\t');
            s.push_str(c);
        }
        s
    }

    fn parse(detail: &'a str) -> Call<'a> {
        let mut parts = detail.split('\t');
        let recv = parts.next().unwrap_or("");
        let recv = if let Some(t) = recv.strip_prefix("type:") {
            Recv::Type(t)
        } else if let Some((s, f)) = recv.strip_prefix("field:").and_then(|r| r.split_once('.')) {
            Recv::Field(s, f)
        } else if let Some(m) = recv.strip_prefix("call:") {
            Recv::Call(m)
        } else {
            Recv::Unknown
        };
        let args = parts.next().and_then(|a| a.parse().ok()).unwrap_or(0);
        let str_arg = parts.next() == Some("1");
        Call {
            recv,
            args,
            str_arg,
            cfgs: parts.map(str::to_string).collect(),
        }
    }
}

/// The type name of `Struct::field`, when every struct of that name in the crate agrees.
fn field_type<'a>(
    fields: &HashMap<(Option<usize>, &str), Vec<&'a str>>,
    package: Option<usize>,
    strukt: &str,
    field: &str,
) -> Option<&'a str> {
    let mut found = None;
    for decl in fields.get(&(package, strukt))? {
        let ty = decl
            .split(',')
            .find_map(|f| f.split_once(':').filter(|(n, _)| *n == field))
            .map(|(_, t)| t)?;
        if found.is_some_and(|f| f != ty) {
            return None;
        }
        found = Some(ty);
    }
    found
}

/// Records an `unwrap`/`expect` call. `ctx` is the node whose surroundings (impl, `#[cfg]`s)
/// are the call's: the call itself, or the macro call whose arguments were re-parsed;
/// `shift` maps the call's range to the file (non-zero for re-parsed macro arguments).
fn record_call(
    call: &ast::MethodCallExpr,
    ctx: &SyntaxNode,
    shift: Option<(TextSize, TextSize)>,
    cx: &mut FileCx<'_>,
) {
    let Some(name) = call.name_ref() else { return };
    let args: Vec<ast::Expr> = call.arg_list().map_or(Vec::new(), |a| a.args().collect());
    let method = name.text().to_string();
    let ok = match method.as_str() {
        "unwrap" => args.is_empty(),
        "expect" => args.len() == 1,
        _ => false,
    };
    if !ok {
        return;
    }
    let recv = call.receiver().map_or(String::new(), |r| receiver(&r, ctx));
    let str_arg = args.first().is_some_and(is_str_message);
    let cfgs = cfg::enclosing_cfgs(ctx);
    let mut range = TextRange::new(
        name.syntax().text_range().start(),
        call.syntax().text_range().end(),
    );
    if let Some((from, to)) = shift {
        range = TextRange::new(range.start() - from + to, range.end() - from + to);
    }
    cx.fact(
        CALL,
        method,
        Call::encode(&recv, args.len(), str_arg, &cfgs),
        range,
    );
}

/// `std` macros whose arguments are expressions (`format!("{}", x.unwrap())`): clippy sees
/// the calls in them after expansion; so do we, by parsing the arguments as expressions.
const EXPR_MACROS: &[&str] = &[
    "format",
    "format_args",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "vec",
    "unreachable",
    "todo",
    "unimplemented",
    "dbg",
    "try",
];

/// The calls in the arguments of an [`EXPR_MACROS`] invocation. `ctx` is the outermost macro
/// call of the file's tree (nested invocations are re-parsed from the outer one's text).
fn record_macro(
    mac: &ast::MacroCall,
    ctx: &SyntaxNode,
    shift: Option<(TextSize, TextSize)>,
    cx: &mut FileCx<'_>,
) {
    let is_expr_macro = mac
        .path()
        .and_then(|p| p.segment())
        .and_then(|s| s.name_ref())
        .is_some_and(|n| EXPR_MACROS.contains(&n.text()));
    let Some(tt) = mac.token_tree() else { return };
    if !is_expr_macro {
        return;
    }
    let text = tt.syntax().text().to_string();
    if !text.contains("unwrap") && !text.contains("expect") {
        return;
    }
    let (Some(open), Some(close)) = (text.chars().next(), text.chars().last()) else {
        return;
    };
    if !matches!((open, close), ('(', ')') | ('[', ']') | ('{', '}')) || text.len() < 2 {
        return;
    }
    // `[args]` is an array expression for every form: `"{}", a`, `cond, "msg"`, `x; n`.
    const PREFIX: &str = "fn _f() { [";
    let src = format!("{PREFIX}{}];}}", &text[1..text.len() - 1]);
    let parsed = crate::analysis::syntax::parse(&src, cx.meta.edition);
    // Offset in `src` -> offset in the file.
    let start = tt.syntax().text_range().start() + TextSize::from(1);
    let start = match shift {
        Some((from, to)) => start - from + to,
        None => start,
    };
    let shift = Some((TextSize::of(PREFIX), start));
    for node in parsed.tree().syntax().descendants() {
        if let Some(call) = ast::MethodCallExpr::cast(node.clone()) {
            record_call(&call, ctx, shift, cx);
        } else if let Some(inner) = ast::MacroCall::cast(node) {
            record_macro(&inner, ctx, shift, cx);
        }
    }
}

/// What can be said of a receiver without types (see [`Recv`]); `ctx` is where the call is.
fn receiver(e: &ast::Expr, ctx: &SyntaxNode) -> String {
    match e {
        ast::Expr::ParenExpr(p) => p.expr().map_or(String::new(), |e| receiver(&e, ctx)),
        ast::Expr::PathExpr(p) if p.syntax().text() == "self" => {
            enclosing_self_ty(ctx).map_or(String::new(), |t| format!("type:{t}"))
        }
        ast::Expr::FieldExpr(f) => {
            let is_self =
                matches!(f.expr(), Some(ast::Expr::PathExpr(p)) if p.syntax().text() == "self");
            match (is_self, f.name_ref(), enclosing_self_ty(ctx)) {
                (true, Some(n), Some(t)) => format!("field:{t}.{}", n.text()),
                _ => String::new(),
            }
        }
        ast::Expr::MethodCallExpr(m) => m
            .name_ref()
            .map_or(String::new(), |n| format!("call:{}", n.text())),
        _ => String::new(),
    }
}

/// The self type of the impl (or the trait) a node is in.
fn enclosing_self_ty(node: &SyntaxNode) -> Option<String> {
    for a in node.ancestors() {
        if let Some(imp) = ast::Impl::cast(a.clone()) {
            return imp.self_ty().map(|t| type_head(&t));
        }
        if let Some(tr) = ast::Trait::cast(a) {
            return tr.name().map(|n| n.text().to_string());
        }
    }
    None
}

/// A string literal, or `format!`/`concat!` (also borrowed): a panic message.
fn is_str_message(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Literal(l) => matches!(l.kind(), ast::LiteralKind::String(_)),
        ast::Expr::RefExpr(r) => r.expr().is_some_and(|e| is_str_message(&e)),
        ast::Expr::MacroExpr(m) => m
            .macro_call()
            .and_then(|c| c.path())
            .and_then(|p| p.segment())
            .and_then(|s| s.name_ref())
            .is_some_and(|n| matches!(n.text(), "format" | "concat")),
        _ => false,
    }
}

fn record_def(f: &ast::Fn, cx: &mut FileCx<'_>) {
    let Some(name) = f.name() else { return };
    let name = name.text().to_string();
    if name != "unwrap" && name != "expect" {
        return;
    }
    let Some(params) = f.param_list() else { return };
    if params.self_param().is_none() {
        return; // not callable with method syntax
    }
    let Some(self_ty) = f
        .syntax()
        .parent()
        .filter(|p| p.kind() == SyntaxKind::ASSOC_ITEM_LIST)
        .and_then(|p| enclosing_self_ty(&p))
    else {
        return;
    };
    let ps: Vec<ast::Param> = params.params().collect();
    let takes_str = ps.first().is_some_and(|p| {
        let ty = p
            .ty()
            .map(|t| crate::analysis::syntax::text_without_whitespace(t.syntax()))
            .unwrap_or_default();
        // A generic or `impl`/`dyn` type may be a string; so may anything stringly.
        let generic = |t: &str| {
            let bare = t.trim_start_matches('&').trim_start_matches("mut");
            generic_names(f).iter().any(|g| bare == g.as_str())
        };
        ty.contains("str")
            || ty.contains("String")
            || ty.contains("impl")
            || ty.contains("dyn")
            || ty.contains("Cow")
            || generic(&ty)
    });
    cx.fact(
        DEF,
        name,
        format!("{self_ty}\t{}\t{}", ps.len(), u8::from(takes_str)),
        f.syntax().text_range(),
    );
}

/// Generic type parameters of a fn and its impl or trait.
fn generic_names(f: &ast::Fn) -> Vec<String> {
    use crate::analysis::syntax::ast::HasGenericParams;
    let mut out = Vec::new();
    let mut push = |g: Option<ast::GenericParamList>| {
        for p in g.into_iter().flat_map(|g| g.type_or_const_params()) {
            if let Some(n) = p.name() {
                out.push(n.text().to_string());
            }
        }
    };
    push(f.generic_param_list());
    for a in f.syntax().ancestors() {
        if let Some(i) = ast::Impl::cast(a.clone()) {
            push(i.generic_param_list());
            break;
        }
        if let Some(t) = ast::Trait::cast(a) {
            push(t.generic_param_list());
            break;
        }
    }
    out
}

/// `mod child;` under a `#[cfg]`: the inline modules around it and the predicates.
fn record_mod(m: &ast::Module, cx: &mut FileCx<'_>) {
    if m.item_list().is_some() {
        return; // inline: its items see its `#[cfg]` as an enclosing one
    }
    let Some(name) = m.name() else { return };
    let cfgs = cfg::enclosing_cfgs(m.syntax());
    if cfgs.is_empty() {
        return;
    }
    let mut scope: Vec<String> = m
        .syntax()
        .ancestors()
        .skip(1)
        .filter_map(ast::Module::cast)
        .filter_map(|m| m.name().map(|n| n.text().to_string()))
        .collect();
    scope.reverse();
    cx.fact(
        MOD,
        name.text().to_string(),
        format!("{}\t{}", scope.join("::"), cfgs.join("\t")),
        m.syntax().text_range(),
    );
}

fn record_struct(s: &ast::Struct, cx: &mut FileCx<'_>) {
    let Some(name) = s.name() else { return };
    let Some(ast::FieldList::RecordFieldList(list)) = s.field_list() else {
        return;
    };
    let fields: Vec<String> = list
        .fields()
        .filter_map(|f| Some(format!("{}:{}", f.name()?.text(), type_head(&f.ty()?))))
        .collect();
    if fields.is_empty() {
        return;
    }
    cx.fact(
        STRUCT,
        name.text().to_string(),
        fields.join(","),
        name.syntax().text_range(),
    );
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_unwrap_and_expect_in_libraries() {
        check(
            "unwrap-in-lib",
            r#"
pub fn load(s: &str) -> u32 {
    let n: u32 = s.parse().unwrap();
                         //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
    s.parse::<u32>().expect("number") + n
                   //^^^^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "unwrap-in-lib",
            r#"
//- /src/lib.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap_or(0) + o.unwrap_or_default() }
pub fn g(o: Option<u8>) -> u8 { o.expect_err_like() }
#[cfg(test)]
mod tests { #[test] fn t() { Some(1).unwrap(); } }
//- /src/main.rs
fn main() { Some(1).unwrap(); }
//- /tests/it.rs
#[test] fn it() { Some(1).unwrap(); }
"#,
        );
    }

    #[test]
    fn code_disabled_by_the_default_features_is_not_compiled() {
        check(
            "unwrap-in-lib",
            r#"
//- /Cargo.toml
[package]
name = "fixture"
version = "0.1.0"
edition = "2021"
[dependencies]
serde = { version = "1", optional = true }
[features]
default = ["std"]
std = ["alloc", "serde/std"]
alloc = []
yaml = []
//- /src/lib.rs
mod yaml;
#[cfg(feature = "yaml")]
pub fn from_yaml(o: Option<u8>) -> u8 { o.unwrap() }
#[cfg(feature = "alloc")]
pub fn with_alloc(o: Option<u8>) -> u8 { o.unwrap() }
                                         //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
#[cfg(feature = "serde")]
pub fn with_serde(o: Option<u8>) -> u8 { o.unwrap() }
                                         //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
#[cfg(not(feature = "yaml"))]
pub fn without_yaml(o: Option<u8>) -> u8 { o.unwrap() }
                                           //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
#[cfg(any(unix, feature = "yaml"))]
pub fn on_unix(o: Option<u8>) -> u8 { o.unwrap() }
                                      //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
#[cfg(all(unix, feature = "yaml"))]
pub fn never(o: Option<u8>) -> u8 { o.unwrap() }
#[cfg(windows)]
pub fn other_platform(o: Option<u8>) -> u8 { o.unwrap() }
                                             //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
pub struct S;
#[cfg(feature = "yaml")]
impl S {
    pub fn in_impl(o: Option<u8>) -> u8 { o.unwrap() }
}
pub fn statement(o: Option<u8>) {
    #[cfg(feature = "yaml")]
    let _a = o.unwrap();
    #[cfg(feature = "std")]
    let _b = o.expect("set");
             //^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
}
//- /src/yaml.rs
#![cfg(feature = "yaml")]
pub fn whole_file(o: Option<u8>) -> u8 { o.unwrap() }
"#,
        );
    }

    #[test]
    fn modules_declared_under_a_disabled_feature() {
        check(
            "unwrap-in-lib",
            r#"
//- /Cargo.toml
[package]
name = "fixture"
version = "0.1.0"
edition = "2021"
[features]
default = ["std"]
std = []
serde = []
//- /src/lib.rs
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(feature = "std")]
mod with_std;
#[cfg(feature = "serde")]
#[path = "imp_a.rs"]
mod imp;
#[cfg(not(feature = "serde"))]
#[path = "imp_b.rs"]
mod imp;
mod outer {
    #[cfg(feature = "serde")]
    mod inner;
}
//- /src/serde_impl.rs
mod nested;
pub fn f(o: Option<u8>) -> u8 { o.unwrap() }
//- /src/serde_impl/nested.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap() }
//- /src/with_std.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap() }
                                //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
//- /src/imp_a.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap() }
                                //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
//- /src/imp_b.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap() }
                                //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
//- /src/outer/inner.rs
pub fn f(o: Option<u8>) -> u8 { o.unwrap() }
"#,
        );
    }

    #[test]
    fn methods_of_the_crates_own_types_named_expect() {
        // A tokenizer's `expect(token)` (toml's) is not `Option::expect`.
        check(
            "unwrap-in-lib",
            r#"
pub struct Tokenizer;
impl Tokenizer {
    pub fn expect(&mut self, _c: char) -> Result<(), String> { Ok(()) }
}
pub struct Parser { tokens: Tokenizer, name: Option<String> }
const MSG: &str = "a key";
impl Parser {
    fn expect(&mut self, c: char) -> Result<(), String> { self.tokens.expect(c) }
    pub fn run(&mut self, s: &str, key: Option<char>) -> Result<u32, String> {
        self.expect('=')?;
        self.tokens.expect(';')?;
        let k = key.expect("a key");
                  //^^^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
        let _ = self.name.as_ref().expect(&format!("{k}"));
                                 //^^^^^^^^^^^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
        let n = s.parse::<u32>().expect(s);
                               //^^^^^^^^^ info: `.expect()` in library code panics for the caller
        // `Option::expect` with a constant message: the model cannot tell it from ours.
        let _ = key.expect(MSG);
        let _ = key.unwrap();
                  //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
        Ok(n)
    }
}
"#,
        );
    }

    #[test]
    fn an_own_expect_taking_a_string_leaves_only_known_receivers() {
        check(
            "unwrap-in-lib",
            r#"
pub struct Lexer { peeked: Option<char> }
impl Lexer {
    pub fn expect(&mut self, _what: &str) -> Result<(), String> { Ok(()) }
    pub fn run(&mut self, input: &str, o: Option<u8>) -> u8 {
        self.expect("ident").ok();
        let _ = self.peeked.expect("peeked");
                          //^^^^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
        let _ = input.chars().next().expect("not empty");
                                   //^^^^^^^^^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
        o.expect("cannot tell")
    }
}
"#,
        );
    }

    #[test]
    fn only_files_of_the_library_module_tree() {
        // `clap-test.rs` (clap 2.34) is `include!`d by its tests; `src/orphan.rs` is declared
        // by no module; `src/bin/tool.rs` and `src/main.rs` are binaries.
        check(
            "unwrap-in-lib",
            r#"
//- /src/lib.rs
mod used;
//- /src/used.rs
pub fn f() -> u8 { Some(1).unwrap() }
                         //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
//- /src/orphan.rs
pub fn f() -> u8 { Some(1).unwrap() }
//- /clap-test.rs
pub fn f() -> u8 { Some(1).unwrap() }
//- /src/bin/tool.rs
fn main() { Some(1).unwrap(); }
//- /src/main.rs
mod cli;
fn main() {}
//- /src/cli.rs
pub fn f() -> u8 { Some(1).unwrap() }
"#,
        );
    }

    #[test]
    fn calls_in_the_arguments_of_std_macros() {
        check(
            "unwrap-in-lib",
            r#"
macro_rules! mine { ($e:expr) => { $e }; }
pub fn f(o: Option<u8>, w: &mut String) -> std::fmt::Result {
    use std::fmt::Write;
    assert!(o.is_some(), "{}", o.unwrap());
                               //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
    write!(w, "{}", format!("{:?}", o.expect("x")))?;
                                    //^^^^^^^^^^^ info: `.expect()` in library code panics for the caller
    let _v = vec![o.unwrap(); 2];
                  //^^^^^^^^ info: `.unwrap()` in library code panics for the caller
    println!("unwrap() or expect(): {}", o.is_some());
    let _m = mine!(o.unwrap());
    Ok(())
}
"#,
        );
    }

    #[test]
    fn off_by_default_but_severity_is_configurable() {
        check_with_config(
            "unwrap-in-lib",
            "[rules.unwrap-in-lib]\nseverity = \"warning\"\n",
            r#"
fn f() { None::<u8>.unwrap(); }
                  //^^^^^^^^ warning: `.unwrap()` in library code panics for the caller
"#,
        );
        assert!(!super::META.default_enabled);
    }
}
