//! `option-fields`: structs with at least `min-option-fields` `Option` fields.

use super::state_types::{derives, is_option};
use crate::analysis::engine::FileCx;
use crate::analysis::model::has_attr;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{ast, AstNode, GreenNode, HasName, SyntaxKind, SyntaxNode};

pub(crate) struct OptionFields;

pub static META: RuleMeta = RuleMeta {
    id: "option-fields",
    category: Category::State,
    default_severity: Severity::Info,
    default_enabled: true,
    summary: "Structs with at least `min-option-fields` `Option` fields: states that are valid only together.",
    options: &[
        RuleOption {
            key: "min-option-fields",
            default: OptionDefault::Int(4),
            doc: "the smallest number of `Option` fields that is reported",
        },
        RuleOption {
            key: "skip-derives",
            default: OptionDefault::StrList(&["Deserialize", "Parser", "Args"]),
            doc: "structs deriving one of these are not reported (config and command-line structs whose options \
                  really are independent)",
        },
        RuleOption {
            key: "skip-name-suffixes",
            default: OptionDefault::StrList(&["Builder", "Options", "Opts", "Config", "Settings", "Params", "Args"]),
            doc: "structs whose name ends with one of these are not reported (builders and option bags are sets of \
                  independent optional values by design)",
        },
    ],
    docs: RuleDocs {
        what: "Structs with named fields of which at least `min-option-fields` have the type `Option<..>`. The \
               finding is on the struct's name and lists the fields. Structs deriving one of `skip-derives` \
               (serde `Deserialize`, clap) or named like a builder or an option bag (`skip-name-suffixes`) are \
               not reported, nor `#[repr(..)]` structs. It is `info`: many optional fields are sometimes right; \
               allow it per struct with `// boundary: allow(option-fields)` on the line above.",
        why: "Several `Option`s in one struct often encode a life cycle: `conn`, `session` and `started_at` are \
              all `None` before `connect()` and all `Some` after. The type allows the 2^n mixtures, so every \
              method unwraps or re-checks, and a forgotten assignment is a runtime panic.",
        example: "struct Client {\n    conn: Option<TcpStream>,\n    session: Option<Session>,\n    started_at: Option<Instant>,\n    last_error: Option<String>,\n}",
        instead: "Group the fields that are present together into a sub-struct held in one `Option` \
                  (`connected: Option<Connected>`), or make the states an enum \
                  (`enum Client { Idle, Connected { conn, session, started_at } }`).",
    },
    fixable: false,
};

impl Rule for OptionFields {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STRUCT]
    }

    fn check_node(&self, node: &SyntaxNode, cx: &mut FileCx<'_>) {
        // At most the fields whose type is a path type named `Option` are reported (what
        // `is_option` accepts): counted in the green tree, before the attributes and config.
        let at_most = GreenNode::of(node)
            .record_field_types()
            .filter(|t| t.path_type_name() == Some("Option"))
            .count();
        if (at_most as i64) < cx.int("min-option-fields") {
            return;
        }
        let Some(s) = ast::Struct::cast(node.clone()) else {
            return;
        };
        let Some(name) = s.name() else { return };
        let Some(ast::FieldList::RecordFieldList(fields)) = s.field_list() else {
            return;
        };
        if has_attr(&s, "repr") {
            return;
        }
        let skip = cx.str_list("skip-derives");
        if derives(&s).iter().any(|d| skip.contains(d)) {
            return;
        }
        let struct_name = name.text().to_string();
        if cx
            .str_list("skip-name-suffixes")
            .iter()
            .any(|suf| struct_name.ends_with(suf.as_str()))
        {
            return;
        }
        let options: Vec<String> = fields
            .fields()
            .filter(|f| f.ty().is_some_and(|t| is_option(&t)))
            .filter_map(|f| f.name().map(|n| n.text().to_string()))
            .collect();
        let min = cx.int("min-option-fields");
        if (options.len() as i64) < min {
            return;
        }
        cx.report(
            Finding::new(
                &META,
                name.syntax().text_range(),
                format!("`{struct_name}` has {} `Option` fields: {}", options.len(), options.join(", ")),
            )
            .suggestion(
                "group the fields that are present together into a sub-struct held in one `Option`, or model the states as an enum",
            )
            .symbol(struct_name),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_structs_with_many_options() {
        check(
            "option-fields",
            r#"
pub struct Client {
         //^^^^^^ info: `Client` has 4 `Option` fields: conn, session, started_at, last_error
    conn: Option<std::net::TcpStream>,
    session: std::option::Option<String>,
    started_at: Option<std::time::Instant>,
    last_error: Option<String>,
    name: String,
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "option-fields",
            r#"
struct Three { a: Option<u8>, b: Option<u8>, c: Option<u8>, d: Vec<Option<u8>>, e: Result<u8, ()> }
#[derive(Debug, Default, serde::Deserialize)]
struct Manifest { name: Option<String>, version: Option<String>, edition: Option<String>, publish: Option<bool> }
struct RequestBuilder { a: Option<u8>, b: Option<u8>, c: Option<u8>, d: Option<u8> }
struct Tuple(Option<u8>, Option<u8>, Option<u8>, Option<u8>);
// boundary: allow(option-fields)
struct Allowed { a: Option<u8>, b: Option<u8>, c: Option<u8>, d: Option<u8> }
"#,
        );
    }

    #[test]
    fn threshold_and_skips_are_configurable() {
        check_with_config(
            "option-fields",
            "[rules.option-fields]\nmin-option-fields = 2\nskip-derives = []\nskip-name-suffixes = []\n",
            r#"
#[derive(serde::Deserialize)]
struct Manifest { name: Option<String>, version: Option<String> }
     //^^^^^^^^ info: `Manifest` has 2 `Option` fields: name, version
struct RequestBuilder { a: Option<u8>, b: Option<u8> }
     //^^^^^^^^^^^^^^ info: `RequestBuilder` has 2 `Option` fields: a, b
struct One { a: Option<u8> }
"#,
        );
    }
}
