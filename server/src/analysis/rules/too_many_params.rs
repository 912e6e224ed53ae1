//! `too-many-params`: functions and methods with more than `max-params` parameters.

use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::GreenNode;
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};

pub(crate) struct TooManyParams;

pub static META: RuleMeta = RuleMeta {
    id: "too-many-params",
    category: Category::Boundary,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Functions with more than `max-params` parameters (`self` not counted).",
    options: &[RuleOption {
        key: "max-params",
        default: OptionDefault::Int(7),
        doc: "the largest number of parameters (not counting `self`) that is not reported",
    }],
    docs: RuleDocs {
        what: "Free functions, methods and trait method declarations with more than `max-params` parameters. \
               `self` is not counted (clippy's `too_many_arguments` counts it). Methods of trait impls are not \
               reported: the trait decides their signature. Items in `extern` blocks are not reported.",
        why: "A long parameter list is an interface that grew without a design: callers must know the order of \
              many values of often the same type, and every new need adds one more.",
        example: "fn connect(host: &str, port: u16, tls: bool, timeout: u64, retries: u32, user: &str, pass: &str, proxy: Option<&str>) {}",
        instead: "Group parameters that travel together into a struct (`ConnectOptions`), or use a builder.",
    },
    fixable: false,
};

impl Rule for TooManyParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::FN]
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        // The count first, from the green tree: most functions have few parameters.
        let Some(params) = GreenNode::of(node).child(SyntaxKind::PARAM_LIST) else {
            return;
        };
        let count = params.children_of(SyntaxKind::PARAM).count() as i64;
        let max = cx.int("max-params");
        if count <= max || in_trait_impl_or_extern(node) {
            return;
        }
        let Some(name) = ast::Fn::cast(node.clone()).and_then(|f| f.name()) else {
            return;
        };
        cx.report(
            Finding::new(
                &META,
                name.syntax().text_range(),
                format!(
                    "`{}` takes {count} parameters (more than {max})",
                    name.text()
                ),
            )
            .suggestion("group the parameters that travel together into a struct, or use a builder")
            .symbol(name.text().to_string()),
        );
    }
}

/// Methods of `impl Trait for T` (the trait fixes the signature) and items of `extern` blocks.
fn in_trait_impl_or_extern(node: &SyntaxNode) -> bool {
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

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_long_parameter_lists() {
        check(
            "too-many-params",
            r#"
fn eight(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}
 //^^^^^ warning: `eight` takes 8 parameters (more than 7)
struct S;
impl S {
    fn method(&self, a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}
     //^^^^^^ warning: `method` takes 8 parameters (more than 7)
}
trait T {
    fn decl(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8);
     //^^^^ warning: `decl` takes 8 parameters (more than 7)
}
"#,
        );
    }

    #[test]
    fn self_is_not_counted_and_trait_impls_are_skipped() {
        check(
            "too-many-params",
            r#"
struct S;
impl S {
    fn seven(&self, a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8) {}
}
trait T { fn decl(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8); } // boundary: allow(too-many-params)
impl T for S {
    fn decl(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}
}
extern "C" { fn ext(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8); }
fn closure() { let _c = |a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8| a; }
"#,
        );
    }

    #[test]
    fn threshold_is_configurable() {
        check_with_config(
            "too-many-params",
            "[rules.too-many-params]\nmax-params = 2\nseverity = \"error\"\n",
            r#"
fn three(a: u8, b: u8, c: u8) {}
 //^^^^^ error: `three` takes 3 parameters (more than 2)
fn two(a: u8, b: u8) {}
"#,
        );
    }
}
