//! `bool-fields`: structs with more than `max-bools` `bool` fields.

use crate::analysis::engine::FileCx;
use crate::analysis::model::has_attr;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};

pub struct BoolFields;

pub static META: RuleMeta = RuleMeta {
    id: "bool-fields",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Structs with more than `max-bools` `bool` fields: states that an enum or flags type should model.",
    options: &[RuleOption {
        key: "max-bools",
        default: OptionDefault::Int(3),
        doc: "the largest number of `bool` fields that is not reported",
    }],
    docs: RuleDocs {
        what: "Structs with named fields of which more than `max-bools` have the type `bool` (like clippy's \
               `struct_excessive_bools`). Structs with a `#[repr(..)]` attribute are skipped, as clippy does: \
               their layout is usually dictated by FFI.",
        why: "Each `bool` doubles the number of states the struct can be in; with four flags there are sixteen, \
              and usually only a few are valid (`is_loading` and `is_done` both true?). The valid combinations \
              live only in the programmer's head, and every method must re-check them.",
        example: "struct Request {\n    is_loading: bool,\n    is_done: bool,\n    is_failed: bool,\n    retry: bool,\n}",
        instead: "Model the states as an enum (`enum Status { Loading, Done, Failed }`), or independent options \
                  as a flags type (`bitflags`) or small enums with named variants.",
    },
    fixable: false,
};

impl Rule for BoolFields {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STRUCT]
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        let Some(s) = ast::Struct::cast(node.clone()) else {
            return;
        };
        if has_attr(&s, "repr") {
            return;
        }
        let Some(ast::FieldList::RecordFieldList(fields)) = s.field_list() else {
            return;
        };
        let bools: Vec<String> = fields
            .fields()
            .filter(|f| f.ty().is_some_and(|t| is_bool(&t)))
            .filter_map(|f| f.name().map(|n| n.text().to_string()))
            .collect();
        let max = cx.int("max-bools");
        if (bools.len() as i64) <= max {
            return;
        }
        let Some(name) = s.name() else { return };
        cx.report(
            Finding::new(
                &META,
                name.syntax().text_range(),
                format!(
                    "`{}` has {} `bool` fields (more than {max}): {}",
                    name.text(),
                    bools.len(),
                    bools.join(", ")
                ),
            )
            .suggestion("model the states as an enum, or the independent options as a flags type")
            .symbol(name.text().to_string()),
        );
    }
}

/// `bool` or `std::primitive::bool` / `core::primitive::bool`.
pub fn is_bool(t: &ast::Type) -> bool {
    let ast::Type::PathType(p) = t else {
        return false;
    };
    let text: String = p
        .syntax()
        .text()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    matches!(
        text.as_str(),
        "bool" | "std::primitive::bool" | "core::primitive::bool" | "::core::primitive::bool"
    )
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_structs_with_many_bools() {
        check(
            "bool-fields",
            r#"
pub struct Request {
         //^^^^^^^ warning: `Request` has 4 `bool` fields (more than 3): is_loading, is_done, is_failed, retry
    is_loading: bool,
    pub is_done: bool,
    is_failed: std::primitive::bool,
    retry: bool,
    name: String,
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "bool-fields",
            r#"
struct Three { a: bool, b: bool, c: bool, d: Option<bool>, e: Vec<bool>, f: &'static bool }
struct Tuple(bool, bool, bool, bool, bool);
#[repr(C)]
struct Ffi { a: bool, b: bool, c: bool, d: bool }
enum E { V { a: bool, b: bool, c: bool, d: bool } }
"#,
        );
    }

    #[test]
    fn threshold_is_configurable() {
        check_with_config(
            "bool-fields",
            "[rules.bool-fields]\nmax-bools = 1\n",
            r#"
struct Two { a: bool, b: bool }
     //^^^ warning: `Two` has 2 `bool` fields (more than 1): a, b
"#,
        );
    }
}
