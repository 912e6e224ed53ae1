//! `stringly-error`: public functions of libraries whose error type is a string or a boxed
//! `dyn Error`.

use crate::analysis::engine::{FileCx, WorkspaceCx, WorkspaceSink};
use crate::analysis::resolve::Reach;
use crate::analysis::rule::{Category, Finding, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::GreenNode;
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};
use crate::analysis::workspace::TargetKind;

pub(crate) struct StringlyError;

pub static META: RuleMeta = RuleMeta {
    id: "stringly-error",
    category: Category::Boundary,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Public library functions returning `Result<_, String>`, `&str` or `Box<dyn Error>`: errors callers cannot match on.",
    options: &[],
    docs: RuleDocs {
        what: "Functions and methods reachable from a library crate's public API that return `Result<_, String>`, \
               `Result<_, &str>` or `Result<_, Box<dyn Error ..>>`. `anyhow::Result` / `anyhow::Error` in a \
               library's public API is reported as info. Binaries are not checked: an application may well \
               report errors as text. Trait impl methods are not reported (the trait decides), and type \
               aliases are not followed (`type Res<T> = Result<T, String>`).",
        why: "A string error can only be printed: callers cannot tell \"not found\" from \"permission denied\" \
              without parsing text that may change in any release. Boxed `dyn Error` and `anyhow` erase the type \
              just the same.",
        example: "pub fn parse_sku(s: &str) -> Result<Sku, String> {\n    Err(format!(\"bad sku {s}\"))\n}",
        instead: "Return an error enum with one variant per failure the caller may handle \
                  (`enum SkuError { Empty, BadChecksum { .. } }`), implementing `std::error::Error` (for example \
                  with `thiserror`).",
    },
    fixable: false,
};

/// How the return types `classify` looks at start (whitespace removed).
const RESULT_PREFIXES: [&str; 4] = [
    "anyhow::Result<",
    "std::result::Result<",
    "core::result::Result<",
    "Result<",
];

/// The kind of stringly error in a return type, if any.
fn classify(ret: &ast::Type) -> Option<&'static str> {
    let text: String = crate::analysis::syntax::text_without_whitespace(ret.syntax());
    if text.starts_with(RESULT_PREFIXES[0]) {
        return Some("anyhow");
    }
    let inner = RESULT_PREFIXES[1..]
        .iter()
        .find_map(|p| text.strip_prefix(p))?
        .strip_suffix('>')?;
    // The last top-level generic argument.
    let mut depth = 0i32;
    let mut split = None;
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => split = Some(i),
            _ => {}
        }
    }
    let Some(i) = split else {
        return Some("result1");
    };
    let err = &inner[i + 1..];
    match err {
        "String" | "std::string::String" | "alloc::string::String" => Some("String"),
        "anyhow::Error" => Some("anyhow"),
        e if e.starts_with('&') && e.ends_with("str") => Some("&str"),
        e if e.starts_with("Box<dyn") && e.contains("Error") => Some("Box<dyn Error>"),
        _ => None,
    }
}

impl Rule for StringlyError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::FN]
    }

    /// Only functions whose return type's text starts as one `classify` accepts.
    fn prefilter(&self, node: GreenNode<'_>) -> bool {
        node.child(SyntaxKind::RET_TYPE)
            .and_then(GreenNode::type_child)
            .is_some_and(|t| t.text_without_whitespace_starts_with_any(&RESULT_PREFIXES))
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        if cx.meta.target != TargetKind::Lib {
            return;
        }
        let Some(f) = ast::Fn::cast(node.clone()) else {
            return;
        };
        let Some(ret) = f.ret_type().and_then(|r| r.ty()) else {
            return;
        };
        let (Some(kind), Some(name)) = (classify(&ret), f.name()) else {
            return;
        };
        cx.fact(
            "ret",
            name.text().to_string(),
            kind,
            name.syntax().text_range(),
        );
    }

    fn uses_resolution(&self) -> bool {
        true
    }

    fn check_workspace(&self, ws: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let res = ws.resolution();
        for (fi, file) in ws.workspace.files.iter().enumerate() {
            let s = &file.summary;
            // `use anyhow::Result;` (or a glob of anyhow) makes a one-argument `Result` anyhow's.
            let anyhow_result = s.uses.iter().any(|u| {
                u.path.first().is_some_and(|p| p == "anyhow")
                    && (u.glob || u.path.last().is_some_and(|l| l == "Result"))
            });
            for fact in s.facts.iter().filter(|f| f.rule == META.id) {
                let Some(ii) = s.items.iter().position(|i| i.name_range == fact.range) else {
                    continue;
                };
                let item = (fi, ii);
                let Some(&m) = res.item_module.get(&item) else {
                    continue;
                };
                let krate = &res.crates[res.modules[m].krate];
                if krate.kind != TargetKind::Lib || res.reach(item) != Reach::Public {
                    continue;
                }
                let it = &s.items[ii];
                if it
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.trait_name.is_some() && !o.in_trait_def)
                {
                    continue; // the trait decides the signature
                }
                let kind = match &*fact.detail {
                    "result1" if anyhow_result => "anyhow",
                    "result1" => continue,
                    k => k,
                };
                let name = match &it.owner {
                    Some(o) => format!("{}::{}", o.self_ty, it.name),
                    None => it.name.to_string(),
                };
                let f = if kind == "anyhow" {
                    Finding::new(
                        &META,
                        fact.range,
                        format!("public `{name}` returns `anyhow` errors: callers cannot match on the failure"),
                    )
                    .severity(Severity::Info)
                } else {
                    Finding::new(
                        &META,
                        fact.range,
                        format!("public `{name}` returns `{kind}` as its error type: callers cannot match on the failure"),
                    )
                };
                out.report(
                    &file.meta.rel_path,
                    f.suggestion("return an error enum implementing `std::error::Error`")
                        .symbol(name),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::check;

    #[test]
    fn reports_public_stringly_errors() {
        check(
            "stringly-error",
            r#"
//- /src/lib.rs
mod imp;
pub use imp::Parser;
pub fn parse(s: &str) -> Result<u32, String> { todo!() }
     //^^^^^ warning: public `parse` returns `String` as its error type: callers cannot match on the failure
pub fn load() -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> { todo!() }
     //^^^^ warning: public `load` returns `Box<dyn Error>` as its error type: callers cannot match on the failure
pub fn any() -> anyhow::Result<()> { todo!() }
     //^^^ info: public `any` returns `anyhow` errors: callers cannot match on the failure
//- /src/imp.rs
pub struct Parser;
impl Parser {
    pub fn run(&self) -> Result<(), &'static str> { todo!() }
         //^^^ warning: public `Parser::run` returns `&str` as its error type: callers cannot match on the failure
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "stringly-error",
            r#"
//- /src/lib.rs
mod private;
pub enum Error { Bad }
pub fn typed() -> Result<u32, Error> { todo!() }
pub fn nested() -> Result<Vec<String>, Error> { todo!() }
fn internal() -> Result<u32, String> { todo!() }
pub(crate) fn crate_only() -> Result<u32, String> { todo!() }
pub fn io() -> std::io::Result<()> { todo!() }
struct S;
impl std::str::FromStr for S {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> { todo!() }
}
//- /src/private.rs
pub fn hidden() -> Result<u32, String> { todo!() }
//- /src/main.rs
pub fn bin() -> Result<(), String> { todo!() }
fn main() {}
"#,
        );
    }

    /// Hand-written edges: visibility, nesting, impls, aliases, error-type spellings.
    #[test]
    fn edges() {
        check(
            "stringly-error",
            r#"
//- /src/lib.rs
mod private;
pub mod api;
pub struct Svc;
impl Svc {
    pub fn open(&self) -> Result<(), std::string::String> { todo!() }
         //^^^^ warning: public `Svc::open` returns `String` as its error type: callers cannot match on the failure
    fn hidden(&self) -> Result<(), String> { todo!() }
    pub(crate) fn krate(&self) -> Result<(), String> { todo!() }
    pub async fn fetch(&self) -> Result<Vec<u8>, &'a str> { todo!() }
               //^^^^^ warning: public `Svc::fetch` returns `&str` as its error type: callers cannot match on the failure
}
pub trait Backend {
    fn get(&self) -> Result<u8, Box<dyn std::error::Error + Send + Sync + 'static>>;
     //^^^ warning: public `Backend::get` returns `Box<dyn Error>` as its error type: callers cannot match on the failure
}
impl Backend for Svc {
    fn get(&self) -> Result<u8, Box<dyn std::error::Error + Send + Sync + 'static>> { todo!() }
}
pub fn outer() -> u8 {
    fn inner() -> Result<(), String> { todo!() }
    0
}
pub fn r#type() -> core::result::Result<(), alloc::string::String> { todo!() }
     //^^^^^^ warning: public `r#type` returns `String` as its error type: callers cannot match on the failure
pub fn ok_err() -> Result<String, std::io::Error> { todo!() }
pub fn bytes() -> Result<(), &'static [u8]> { todo!() }
pub fn boxed_typed() -> Result<(), Box<MyError>> { todo!() }
pub fn fmt_res() -> std::fmt::Result { todo!() }
pub fn io_res() -> std::io::Result<String> { todo!() }
pub fn opt() -> Option<String> { todo!() }
pub fn closure() -> impl Fn() -> u8 { || 0 }
pub type Res<T> = Result<T, String>;
pub fn via_alias() -> Res<u8> { todo!() }
pub struct MyError;
#[cfg(test)]
mod tests {
    pub fn helper() -> Result<(), String> { todo!() }
}
macro_rules! m { () => { pub fn in_macro() -> Result<(), String> { todo!() } } }
//- /src/api.rs
pub(super) fn sup() -> Result<(), String> { todo!() }
pub fn exported() -> Result<(), Box<dyn Error>> { todo!() }
     //^^^^^^^^ warning: public `exported` returns `Box<dyn Error>` as its error type: callers cannot match on the failure
//- /src/private.rs
pub fn not_exported() -> Result<(), String> { todo!() }
"#,
        );
    }
}
