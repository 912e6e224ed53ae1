//! `assumed-some`: methods that `.unwrap()` / `.expect(..)` an `Option` field of `self`.

use std::collections::HashMap;

use super::state_types::{enclosing_impl, is_option};
use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::rule::{Category, Finding, Related, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::{ast, AstNode, HasAttrs, HasName, SyntaxKind, SyntaxNode, TextRange};

pub(crate) struct AssumedSome;

pub static META: RuleMeta = RuleMeta {
    id: "assumed-some",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Methods that unwrap an `Option` field of `self`: the type says \"sometimes absent\", the code \"always present\".",
    options: &[],
    docs: RuleDocs {
        what: "`.unwrap()` and `.expect(..)` on an `Option` field of `self` in a method (`self.conn.unwrap()`, \
               `self.conn.as_ref().unwrap()`, `self.conn.as_mut().expect(\"..\")`, `(&self.conn).unwrap()`, \
               `self.0.unwrap()` on a tuple struct), through the adapters that keep the `Option` (`as_ref`, \
               `as_mut`, `as_deref`, `as_deref_mut`, `as_pin_mut`, `clone`, `copied`, `cloned`) and parentheses, \
               where the field is declared `Option<..>` in the struct of that `impl`, in the same crate (the \
               struct may be in another file). One finding per site, with the field's declaration as related information.\n\
               Not reported: methods that check or set the field themselves (`if let`/`match`/`while let` on it, \
               `is_some()`/`is_none()`, `let .. else`, an assignment or `insert`/`get_or_insert`/`replace`), \
               `.take().unwrap()` (taking the value out, typically in `Drop`), `impl Drop`, test code (unless \
               `check-tests`), and names that are ambiguous in the crate (two structs of that name that disagree).",
        why: "The field is optional in the type but required by this method: the valid states (\"connected\", \
              \"not yet\") are not modelled, so calling the method in the wrong state is a panic the compiler \
              cannot prevent.",
        example: "struct Client { conn: Option<TcpStream> }\nimpl Client {\n    fn send(&mut self, b: &[u8]) {\n        self.conn.as_mut().unwrap().write_all(b).unwrap();\n    }\n}",
        instead: "Model the states: a typestate (`Client<Connected>` whose `conn` is a plain `TcpStream`), an enum \
                  (`enum Client { Idle, Connected(TcpStream) }`), or make the field non-optional and create it in \
                  the constructor. Where absence is possible, handle it (`let Some(conn) = .. else { return Err(..) }`).",
    },
    fixable: false,
};

/// Fact kinds of this rule.
const UNWRAP: &str = "unwrap";
const STRUCT: &str = "struct";
const FIELD: &str = "field";

const ADAPTERS: &[&str] = &[
    "as_ref",
    "as_mut",
    "as_deref",
    "as_deref_mut",
    "clone",
    "as_pin_mut",
    "copied",
    "cloned",
];
const GUARDS: &[&str] = &["is_some", "is_none", "is_some_and", "is_none_or"];
const SETTERS: &[&str] = &[
    "insert",
    "get_or_insert",
    "get_or_insert_with",
    "replace",
    "take",
];

impl Rule for AssumedSome {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STRUCT, SyntaxKind::METHOD_CALL_EXPR]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        // `record_unwrap` looks at `unwrap`/`expect` calls whose receiver, through adapter
        // calls, parentheses and `&`, is a field access (`self.conn.as_ref().unwrap()`).
        node.kind() != SyntaxKind::METHOD_CALL_EXPR
            || matches!(node.method_name(), Some("unwrap" | "expect"))
                && node.first_expr_child_is_field()
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        if let Some(s) = ast::Struct::cast(node.clone()) {
            record_struct(&s, cx);
        } else if let Some(m) = ast::MethodCallExpr::cast(node.clone()) {
            record_unwrap(&m, cx);
        }
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let files = &ws.workspace.files;
        // Per (package, struct name): how many structs, the Option fields each declares, and the
        // first declaration of each field (indexed once: a scan of the crate's facts per unwrap
        // would be quadratic).
        #[derive(Default)]
        struct Decls<'a> {
            structs: usize,
            fields: Vec<&'a str>,
            first: HashMap<&'a str, (&'a str, TextRange)>,
        }
        let mut decls: HashMap<(Option<usize>, &str), Decls<'_>> = HashMap::new();
        for other in files {
            for f in other.summary.facts.iter().filter(|f| f.rule == META.id) {
                if f.kind == STRUCT {
                    let d = decls.entry((other.package, f.name.as_str())).or_default();
                    d.structs += 1;
                    d.fields.push(&*f.detail);
                } else if f.kind == FIELD {
                    decls
                        .entry((other.package, f.name.as_str()))
                        .or_default()
                        .first
                        .entry(&*f.detail)
                        .or_insert((other.meta.rel_path.as_str(), f.range));
                }
            }
        }
        for file in files {
            for u in file
                .summary
                .facts
                .iter()
                .filter(|f| f.rule == META.id && f.kind == UNWRAP)
            {
                let Some((field, method)) = u.detail.split_once('\t') else {
                    continue;
                };
                // Every struct of that name in the crate must declare the field as an Option.
                let Some(d) = decls.get(&(file.package, u.name.as_str())) else {
                    continue;
                };
                let structs = d.structs;
                let all_agree = d.fields.iter().all(|s| s.split(',').any(|f| f == field));
                let decl = d.first.get(field).copied();
                let (Some((decl_file, decl_range)), true, true) = (decl, all_agree, structs > 0)
                else {
                    continue;
                };
                out.report(
                    &file.meta.rel_path,
                    Finding::new(
                        &META,
                        u.range,
                        format!(
                            "`self.{field}` is assumed present (`{method}`), but `{}::{field}` is an `Option`",
                            u.name
                        ),
                    )
                    .suggestion("model the state (a typestate or an enum), or make the field non-optional")
                    .related(Related {
                        file: Some(decl_file.to_string()),
                        range: decl_range,
                        line: None,
                        message: format!("`{field}` is declared `Option` here"),
                    })
                    .symbol(format!("{}::{field}", u.name)),
                );
            }
        }
    }
}

fn record_struct(s: &ast::Struct, cx: &mut FileCx<'_>) {
    let Some(name) = s.name() else { return };
    // Only module-level structs: a struct local to a function body is not the impl's type.
    if s.syntax()
        .ancestors()
        .skip(1)
        .any(|a| a.kind() == SyntaxKind::FN)
    {
        return;
    }
    // The fields by name: a record field's name, a tuple field's index (`self.0`).
    let fields: Vec<(String, Option<ast::Type>, TextRange)> = match s.field_list() {
        Some(ast::FieldList::RecordFieldList(fields)) => fields
            .fields()
            .filter_map(|f| {
                Some((
                    f.name()?.text().to_string(),
                    f.ty(),
                    f.syntax().text_range(),
                ))
            })
            .collect(),
        // After a field under `#[cfg]`/`#[cfg_attr]` the indices depend on the configuration:
        // those fields are left out.
        Some(ast::FieldList::TupleFieldList(fields)) => {
            let fields: Vec<ast::TupleField> = fields.fields().collect();
            let conditional = |f: &ast::TupleField| {
                f.attrs().any(|a| {
                    matches!(
                        a.meta(),
                        Some(ast::Meta::CfgMeta(_) | ast::Meta::CfgAttrMeta(_))
                    )
                })
            };
            // Up to the first field under a `cfg`, that one included.
            let known = fields
                .iter()
                .position(conditional)
                .map_or(fields.len(), |i| i + 1);
            (fields.iter().take(known).enumerate())
                .map(|(i, f)| (i.to_string(), f.ty(), f.syntax().text_range()))
                .collect()
        }
        None => Vec::new(),
    };
    let mut opts = Vec::new();
    for (fname, ty, range) in fields {
        if ty.is_some_and(|ty| is_option(&ty)) {
            cx.fact(FIELD, name.text().to_string(), fname.clone(), range);
            opts.push(fname);
        }
    }
    cx.fact(
        STRUCT,
        name.text().to_string(),
        opts.join(","),
        name.syntax().text_range(),
    );
}

/// `self.x` (through parentheses and `&`), giving the field name.
fn self_field(e: &ast::Expr) -> Option<ast::FieldExpr> {
    match e {
        ast::Expr::ParenExpr(p) => self_field(&p.expr()?),
        ast::Expr::RefExpr(r) => self_field(&r.expr()?),
        ast::Expr::FieldExpr(f) => {
            let ast::Expr::PathExpr(p) = f.expr()? else {
                return None;
            };
            (p.syntax().text() == "self" && f.name_ref().is_some()).then(|| f.clone())
        }
        _ => None,
    }
}

fn record_unwrap(m: &ast::MethodCallExpr, cx: &mut FileCx<'_>) {
    let Some(method) = m.name_ref() else { return };
    let method = method.text().to_string();
    if method != "unwrap" && method != "expect" {
        return;
    }
    let mut recv = m.receiver();
    loop {
        // `(self.conn.as_ref()).unwrap()`: parentheses around an adapter call.
        while let Some(ast::Expr::ParenExpr(p)) = &recv {
            recv = p.expr();
        }
        let Some(ast::Expr::MethodCallExpr(inner)) = &recv else {
            break;
        };
        let n = inner
            .name_ref()
            .map(|n| n.text().to_string())
            .unwrap_or_default();
        if !ADAPTERS.contains(&n.as_str())
            || inner.arg_list().is_some_and(|a| a.args().next().is_some())
        {
            return;
        }
        recv = inner.receiver();
    }
    let Some(field_expr) = recv.as_ref().and_then(self_field) else {
        return;
    };
    let field = field_expr.name_ref().unwrap().text().to_string();
    let Some((self_ty, trait_name)) = enclosing_impl(m.syntax()) else {
        return;
    };
    if trait_name.as_deref() == Some("Drop") {
        return;
    }
    let Some(func) = m.syntax().ancestors().find_map(ast::Fn::cast) else {
        return;
    };
    // Memoized per (fn, field): the site's own use never counts as a check, so the answer is
    // the same for every unwrap of the field in the fn (a fn with thousands of them would
    // otherwise rescan its body for each).
    let checked = *cx
        .state::<HashMap<(TextRange, String), bool>>()
        .entry((func.syntax().text_range(), field.clone()))
        .or_insert_with(|| is_checked_or_set(&func, &field, &field_expr));
    if checked {
        return;
    }
    let end = m
        .name_ref()
        .map(|n| n.syntax().text_range().end())
        .unwrap_or(m.syntax().text_range().end());
    let range = TextRange::new(m.syntax().text_range().start(), end);
    cx.fact(UNWRAP, self_ty, format!("{field}\t{method}"), range);
}

use crate::analysis::syntax::ast::HasArgList;

/// `true` when the function looks at or assigns `self.<field>` anywhere other than `site`: it
/// handles absence itself (or establishes presence), so the unwrap is not an unmodelled assumption.
fn is_checked_or_set(func: &ast::Fn, field: &str, site: &ast::FieldExpr) -> bool {
    let Some(body) = func.body() else {
        return false;
    };
    for fe in body.syntax().descendants().filter_map(ast::FieldExpr::cast) {
        if fe.syntax() == site.syntax() || self_field(&ast::Expr::FieldExpr(fe.clone())).is_none() {
            continue;
        }
        if fe.name_ref().map(|n| n.text().to_string()).as_deref() != Some(field) {
            continue;
        }
        // The use climbs through adapters/refs/parens to the expression that consumes it.
        let mut top = fe.syntax().clone();
        loop {
            let Some(parent) = top.parent() else { break };
            match parent.kind() {
                SyntaxKind::PAREN_EXPR | SyntaxKind::REF_EXPR => top = parent,
                SyntaxKind::METHOD_CALL_EXPR => {
                    let mc = ast::MethodCallExpr::cast(parent.clone()).unwrap();
                    let n = mc
                        .name_ref()
                        .map(|n| n.text().to_string())
                        .unwrap_or_default();
                    if GUARDS.contains(&n.as_str()) || SETTERS.contains(&n.as_str()) {
                        return true;
                    }
                    if ADAPTERS.contains(&n.as_str())
                        && mc.receiver().is_some_and(|r| r.syntax() == &top)
                    {
                        top = parent;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        let Some(parent) = top.parent() else { continue };
        match parent.kind() {
            // `match self.x { .. }`, `if let Some(c) = &self.x`, `let Some(c) = self.x else`, `self.x == None`
            SyntaxKind::MATCH_EXPR
            | SyntaxKind::LET_EXPR
            | SyntaxKind::LET_STMT
            | SyntaxKind::BIN_EXPR => return true,
            // `self.x = Some(..)` is covered by BIN_EXPR; `for c in &self.x`, `if let` chains.
            SyntaxKind::FOR_EXPR | SyntaxKind::WHILE_EXPR | SyntaxKind::IF_EXPR => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_unwraps_of_option_fields() {
        check(
            "assumed-some",
            r#"
//- /src/lib.rs
mod client;
pub struct Client {
    conn: Option<std::net::TcpStream>,
    name: Option<String>,
    port: u16,
}
//- /src/client.rs
use super::Client;
impl Client {
    fn send(&mut self) {
        self.conn.as_mut().unwrap();
      //^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
        let n = (&self.name).expect("named");
              //^^^^^^^^^^^^^^^^^^^ warning: `self.name` is assumed present (`expect`), but `Client::name` is an `Option`
    }
    fn peer(&self) -> String {
        self.name.clone().unwrap()
      //^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.name` is assumed present (`unwrap`), but `Client::name` is an `Option`
    }
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "assumed-some",
            r#"
pub struct Client { conn: Option<u32>, port: u16, other: Other }
pub struct Other { conn: Option<u32> }
impl Client {
    fn checked(&self) -> u32 {
        if self.conn.is_none() { return 0; }
        self.conn.unwrap()
    }
    fn if_let(&self) -> u32 {
        if let Some(c) = &self.conn { return *c; }
        self.conn.unwrap()
    }
    fn matched(&self) -> u32 {
        match self.conn { Some(c) => c, None => self.conn.unwrap() }
    }
    fn set_first(&mut self) -> u32 {
        self.conn = Some(1);
        self.conn.unwrap()
    }
    fn inserted(&mut self) -> u32 {
        *self.conn.get_or_insert(1);
        self.conn.unwrap()
    }
    fn taken(&mut self) -> u32 { self.conn.take().unwrap() }
    fn defaults(&self) -> u32 { self.conn.unwrap_or(0) }
    fn not_self(&self, c: &Client) -> u32 { c.conn.unwrap() + self.other.conn.unwrap() }
    fn not_option(&self) -> u16 { Some(self.port).unwrap() }
}
impl Drop for Client { fn drop(&mut self) { self.conn.unwrap(); } }
struct Unknown;
impl Unknown { fn f(&self) { self.conn.unwrap(); } }
#[cfg(test)]
mod tests {
    impl super::Client { fn t(&self) -> u32 { self.conn.unwrap() } }
}
"#,
        );
    }

    /// At the edge of the prefilter (an `unwrap`/`expect` call whose receiver, through method
    /// calls, parentheses and `&`, is a field access): qualified `Option` paths, raw field
    /// names, parentheses, whitespace, closures in a method, generic impls, trait impls other
    /// than `Drop`.
    #[test]
    fn reports_unusual_spellings() {
        check(
            "assumed-some",
            r#"
pub struct Client {
    conn: Option<u32>,
    name: std::option::Option<String>,
    peer: ::core::option::Option<u8>,
    r#type: Option<u8>,
}
impl Client {
    fn a(&self) -> usize { self.name.as_deref().expect("named").len() }
                         //^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.name` is assumed present (`expect`), but `Client::name` is an `Option`
    fn b(&self) -> u8 { self.peer.unwrap() + self.r#type.unwrap() }
                      //^^^^^^^^^^^^^^^^ warning: `self.peer` is assumed present (`unwrap`), but `Client::peer` is an `Option`
                                           //^^^^^^^^^^^^^^^^^^ warning: `self.r#type` is assumed present (`unwrap`), but `Client::r#type` is an `Option`
    fn c(&mut self) -> u32 { *self.conn.as_mut().unwrap() + (self . conn).unwrap() }
                            //^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
                                                          //^^^^^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
    fn d(&self) -> impl Fn() -> u32 + '_ { move || self.conn.unwrap() }
                                                 //^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
}
impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = self.peer.clone().unwrap();
              //^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.peer` is assumed present (`unwrap`), but `Client::peer` is an `Option`
        Ok(())
    }
}
pub struct G<T> { v: Option<T> }
impl<T: Copy> G<T> {
    pub(crate) fn get(&self) -> T { self.v.unwrap() }
                                  //^^^^^^^^^^^^^ warning: `self.v` is assumed present (`unwrap`), but `G::v` is an `Option`
}
"#,
        );
    }

    /// Near misses: not an `Option` of this crate's `std` (`Result`, a path of another crate),
    /// adapters with arguments or `map`, the documented checks and setters, a qualified `Drop`.
    #[test]
    fn near_misses_at_the_prefilter_edge() {
        check(
            "assumed-some",
            r#"
pub struct Client { conn: Option<u32>, port: Result<u16, ()>, mine: my::Option<u8> }
impl Client {
    fn result(&self) -> u16 { self.port.unwrap() + self.port.as_ref().expect("port") }
    fn other_option(&self) -> u8 { self.mine.unwrap() }
    fn mapped(&self) -> u32 { self.conn.map(|c| c + 1).unwrap() }
    fn replaced(&mut self) -> u32 { self.conn.replace(2).unwrap() }
    fn guarded(&self) -> bool { self.conn.is_some_and(|c| c > 0) && self.conn.unwrap() > 1 }
    fn let_else(&self) -> u32 { let Some(_) = self.conn else { return 0 }; self.conn.unwrap() }
    fn while_let(&mut self) -> u32 {
        while let Some(c) = self.conn { self.conn = None; }
        self.conn.unwrap()
    }
    fn local(&self) -> u32 { let conn = self.conn; conn.unwrap() }
}
impl core::ops::Drop for Client { fn drop(&mut self) { self.conn.unwrap(); } }
fn free(c: Client) -> u32 { c.conn.unwrap() }
"#,
        );
    }

    /// Tuple-struct fields (`self.0`), parenthesised receivers (around the field or around an
    /// adapter call), and the adapters that keep the `Option` (`as_ref`, `as_mut`, `as_deref`,
    /// `copied`, `cloned`) chained before the unwrap.
    #[test]
    fn reports_tuple_fields_parentheses_and_adapter_chains() {
        check(
            "assumed-some",
            r#"
pub struct Pair(Option<u32>, u8, pub Option<String>);
impl Pair {
    fn a(&self) -> u32 { self.0.unwrap() }
                       //^^^^^^^^^^^^^ warning: `self.0` is assumed present (`unwrap`), but `Pair::0` is an `Option`
    fn b(&self) -> usize { self.2.as_deref().expect("named").len() }
                         //^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.2` is assumed present (`expect`), but `Pair::2` is an `Option`
    fn c(&self) -> u32 { (self.0).unwrap() + self.0.as_ref().copied().unwrap() }
                       //^^^^^^^^^^^^^^^ warning: `self.0` is assumed present (`unwrap`), but `Pair::0` is an `Option`
                                           //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.0` is assumed present (`unwrap`), but `Pair::0` is an `Option`
}
pub struct Cfgd(#[cfg(unix)] Option<u32>, u8);
impl Cfgd {
    fn f(&self) -> u32 { self.0.unwrap() }
                       //^^^^^^^^^^^^^ warning: `self.0` is assumed present (`unwrap`), but `Cfgd::0` is an `Option`
}
pub struct Client { conn: Option<u32>, name: Option<String>, r: Option<&'static u8> }
impl Client {
    fn p(&self) -> u32 { (self.conn).unwrap() + (&self.conn).as_ref().copied().unwrap() }
                       //^^^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
                                              //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
    fn q(&self) -> String { self.name.as_ref().cloned().expect("named") }
                          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.name` is assumed present (`expect`), but `Client::name` is an `Option`
    fn r(&self) -> u8 { self.r.copied().unwrap() }
                      //^^^^^^^^^^^^^^^^^^^^^^ warning: `self.r` is assumed present (`unwrap`), but `Client::r` is an `Option`
    fn s(&self) -> u32 { (self.conn.as_ref()).copied().unwrap() }
                       //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
    fn t(&mut self) -> usize { ((self.name.as_mut())).unwrap().len() }
                             //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: `self.name` is assumed present (`unwrap`), but `Client::name` is an `Option`
}
"#,
        );
    }

    /// Near misses: tuple fields that are not `Option`s, nested tuple fields (`self.0.0` is a
    /// field of another struct), checks through `copied`, calls that are not adapters
    /// (`iter`, `map`, `next`, `take`) in the chain, a tuple field after one under `#[cfg]`
    /// (its index depends on the configuration).
    #[test]
    fn tuple_field_and_adapter_near_misses() {
        check(
            "assumed-some",
            r#"
pub struct Pair(Option<u32>, u8, Result<u8, ()>);
pub struct Outer(Pair);
impl Pair {
    fn not_option(&self) -> u8 { Some(self.1).unwrap() + self.2.unwrap() + (self.2).as_ref().copied().unwrap() }
    fn checked(&self) -> u32 {
        if self.0.is_none() { return 0; }
        self.0.unwrap()
    }
    fn checked_copied(&self) -> u32 {
        if let Some(c) = (self.0.as_ref()).copied() { return c; }
        self.0.as_ref().copied().unwrap()
    }
    fn not_adapters(&self) -> u32 { self.0.iter().copied().next().unwrap() + self.0.map(|c| c).unwrap() }
    fn taken(&mut self) -> u32 { (self.0.take()).unwrap() }
}
impl Outer { fn nested(&self) -> u32 { self.0.0.unwrap() } }
pub struct AfterCfg(#[cfg(unix)] u8, Option<u32>);
impl AfterCfg { fn f(&self) -> u32 { self.1.unwrap() + self.0.unwrap() } }
"#,
        );
    }

    #[test]
    fn ambiguous_struct_names_are_skipped() {
        check(
            "assumed-some",
            r#"
mod a { pub struct S { pub x: Option<u8> } }
mod b { pub struct S { pub x: u8 } impl S { fn f(&self) -> u8 { Some(self.x).unwrap() } } }
impl a::S { fn g(&self) -> u8 { self.x.unwrap() } }
"#,
        );
    }

    #[test]
    fn test_code_when_enabled() {
        check_with_config(
            "assumed-some",
            "[rules.assumed-some]\ncheck-tests = true\n",
            r#"
pub struct Client { conn: Option<u32> }
#[cfg(test)]
mod tests {
    impl super::Client { fn t(&self) -> u32 { self.conn.unwrap() } }
                                            //^^^^^^^^^^^^^^^^ warning: `self.conn` is assumed present (`unwrap`), but `Client::conn` is an `Option`
}
"#,
        );
    }
}
