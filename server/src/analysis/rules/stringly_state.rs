//! `stringly-state`: state held in a string field (`status: String`) or compared with string literals.

use super::state_types::is_string_like;
use std::collections::{HashMap, HashSet};

use crate::analysis::engine::FileCx;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode, TextRange};

pub(crate) struct StringlyState;

pub static META: RuleMeta = RuleMeta {
    id: "stringly-state",
    category: Category::State,
    default_severity: Severity::Info,
    default_enabled: true,
    summary: "State kept in a string: `status: String` fields, `self.mode == \"fast\"` comparisons.",
    options: &[RuleOption {
        key: "field-names",
        default: OptionDefault::StrList(&["state", "status", "mode", "phase", "stage", "kind"]),
        doc: "field names that hold a state",
    }],
    docs: RuleDocs {
        what: "Struct fields named like a state (`field-names`: `state`, `status`, `mode`, `phase`, `stage`, \
               `kind`) whose type is `String`, `&str`, `&'static str`, `Box<str>` or `Cow<str>`; the finding \
               lists the string literals the file compares the field with. Also comparisons of a field of such a \
               name with string literals (`self.status == \"done\"`, `match self.mode.as_str() { \"a\" => .. }`) \
               when the field is declared elsewhere: one finding per field name and file, on the first \
               comparison, with the literals seen.",
        why: "A string admits every value: a typo (`\"don\"`) compiles, a `match` needs a catch-all arm, \
              and the set of states is written nowhere but in scattered literals.",
        example: "struct Job { status: String }\nimpl Job {\n    fn finish(&mut self) { if self.status == \"running\" { self.status = \"done\".into(); } }\n}",
        instead: "An enum (`enum Status { Queued, Running, Done }`), with `FromStr`/`Display` (or serde) at the \
                  boundary where strings come in and go out.",
    },
    fixable: false,
};

impl Rule for StringlyState {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[
            SyntaxKind::RECORD_FIELD,
            SyntaxKind::BIN_EXPR,
            SyntaxKind::MATCH_EXPR,
        ]
    }

    fn prefilter(&self, node: crate::analysis::syntax::GreenNode<'_>) -> bool {
        match node.kind() {
            // A comparison is recorded only against a string literal operand, a `match` only
            // on a field (through `&`, `*`, parentheses or a method call).
            SyntaxKind::BIN_EXPR => node.has_string_literal_child(),
            SyntaxKind::MATCH_EXPR => node.first_expr_child_is_field(),
            _ => true,
        }
    }

    /// Collects state-like fields and their comparisons during the pass; reports in
    /// [`Rule::finish_file`].
    fn check_node(&self, n: &SyntaxNode, cx: &mut FileCx<'_>) {
        if cx.state::<Seen>().names.is_none() {
            let names = cx.str_list("field-names");
            cx.state::<Seen>().names = Some(names);
        }
        let seen = cx.state::<Seen>();
        let names = seen.names.as_deref().unwrap_or_default();
        match n.kind() {
            SyntaxKind::RECORD_FIELD => {
                let f = ast::RecordField::cast(n.clone()).unwrap();
                let (Some(name), Some(ty)) = (f.name(), f.ty()) else {
                    return;
                };
                if names.iter().any(|x| name.text() == x.as_str()) && is_string_like(&ty) {
                    let ty = ty
                        .syntax()
                        .text()
                        .to_string()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    seen.fields
                        .push((name.text().to_string(), name.syntax().text_range(), ty));
                }
            }
            SyntaxKind::BIN_EXPR => {
                let b = ast::BinExpr::cast(n.clone()).unwrap();
                if !matches!(
                    b.op_kind(),
                    Some(ast::BinaryOp::CmpOp(ast::CmpOp::Eq { .. }))
                ) {
                    return;
                }
                let (Some(l), Some(r)) = (b.lhs(), b.rhs()) else {
                    return;
                };
                for (a, lit) in [(&l, &r), (&r, &l)] {
                    if let (Some(field), Some(lit)) = (state_field(a, names), str_literal(lit)) {
                        seen.compared.push((field, n.text_range(), lit));
                    }
                }
            }
            SyntaxKind::MATCH_EXPR => {
                let m = ast::MatchExpr::cast(n.clone()).unwrap();
                let Some(field) = m.expr().and_then(|e| state_field(&e, names)) else {
                    return;
                };
                let Some(arms) = m.match_arm_list() else {
                    return;
                };
                for arm in arms.arms() {
                    let Some(pat) = arm.pat() else { continue };
                    for lp in pat
                        .syntax()
                        .descendants_with_tokens()
                        .filter_map(|e| e.into_token())
                    {
                        if lp.kind() == SyntaxKind::STRING {
                            seen.compared.push((
                                field.clone(),
                                m.expr().unwrap().syntax().text_range(),
                                lp.text().to_string(),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn finish_file(&self, cx: &mut FileCx<'_>) {
        let Some(Seen {
            fields, compared, ..
        }) = cx.take_state::<Seen>()
        else {
            return;
        };
        // Literals by field, sorted and deduplicated (one map: a scan of every comparison per
        // field would be quadratic in a big generated file).
        let mut literals: HashMap<&str, Vec<&str>> = HashMap::new();
        for c in &compared {
            literals.entry(c.0.as_str()).or_default().push(c.2.as_str());
        }
        for l in literals.values_mut() {
            l.sort_unstable();
            l.dedup();
        }
        let literals_of = |field: &str| literals.get(field).map_or(&[][..], |l| &l[..]);
        for (name, range, ty) in &fields {
            let lits = literals_of(name);
            let seen = if lits.is_empty() {
                String::new()
            } else {
                format!("; compared with {}", lits.join(", "))
            };
            cx.report(
                Finding::new(
                    &META,
                    *range,
                    format!("`{name}` holds a state as a string (`{ty}`){seen}"),
                )
                .suggestion("use an enum with one variant per state, parsed where strings come in"),
            );
        }
        let mut done: HashSet<&str> = fields.iter().map(|f| f.0.as_str()).collect();
        for (name, range, _) in &compared {
            if !done.insert(name.as_str()) {
                continue;
            }
            cx.report(
                Finding::new(
                    &META,
                    *range,
                    format!(
                        "`{name}` is compared with string literals: {}",
                        literals_of(name).join(", ")
                    ),
                )
                .suggestion("make the field an enum with one variant per state"),
            );
        }
    }
}

/// What the pass over one file collected.
#[derive(Default)]
struct Seen {
    /// The `field-names` option (read once per file).
    names: Option<Vec<String>>,
    /// (field name, name range, type as written)
    fields: Vec<(String, TextRange, String)>,
    /// (field name, comparison range, literal)
    compared: Vec<(String, TextRange, String)>,
}

/// A field access named like a state, through `.as_str()`, `.as_ref()`, `&`, `*` and parentheses.
fn state_field(e: &ast::Expr, names: &[String]) -> Option<String> {
    match e {
        ast::Expr::ParenExpr(p) => state_field(&p.expr()?, names),
        ast::Expr::RefExpr(r) => state_field(&r.expr()?, names),
        ast::Expr::PrefixExpr(p) if p.op_kind() == Some(ast::UnaryOp::Deref) => {
            state_field(&p.expr()?, names)
        }
        ast::Expr::MethodCallExpr(m) => {
            let n = m.name_ref()?.text().to_string();
            if matches!(
                n.as_str(),
                "as_str" | "as_ref" | "deref" | "trim" | "to_lowercase" | "to_ascii_lowercase"
            ) {
                state_field(&m.receiver()?, names)
            } else {
                None
            }
        }
        ast::Expr::FieldExpr(f) => {
            let n = f.name_ref()?.text().to_string();
            names.contains(&n).then_some(n)
        }
        _ => None,
    }
}

fn str_literal(e: &ast::Expr) -> Option<String> {
    let ast::Expr::Literal(l) = e else {
        return None;
    };
    let t = l.syntax().first_token()?;
    (t.kind() == SyntaxKind::STRING).then(|| t.text().to_string())
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{check, check_with_config};

    #[test]
    fn reports_string_state_fields() {
        check(
            "stringly-state",
            r#"
pub struct Job {
    status: String,
  //^^^^^^ info: `status` holds a state as a string (`String`); compared with "done", "running"
    kind: &'static str,
  //^^^^ info: `kind` holds a state as a string (`&'static str`)
    name: String,
}
impl Job {
    fn finish(&mut self) {
        if self.status == "running" || "done" != self.status.as_str() { self.status = "done".into(); }
    }
}
"#,
        );
    }

    #[test]
    fn reports_comparisons_of_fields_declared_elsewhere() {
        check(
            "stringly-state",
            r#"
//- /src/lib.rs
mod job;
pub struct Job { pub mode: String }
//                   ^^^^ info: `mode` holds a state as a string (`String`)
//- /src/job.rs
fn run(job: &super::Job) -> u8 {
    match job.mode.as_str() {
        //^^^^^^^^^^^^^^^^^ info: `mode` is compared with string literals: "fast", "safe"
        "fast" => 1,
        "safe" | "fast" => 2,
        _ => 0,
    }
}
"#,
        );
    }

    #[test]
    fn near_misses() {
        check(
            "stringly-state",
            r#"
enum Status { Done }
struct Job { status: Status, label: String, mode: u8, kind: Vec<String> }
fn f(j: &Job, s: &str) -> bool { j.label == "x" && s == "done" && j.mode == 1 }
fn g(name: &str) -> u8 { match name { "a" => 1, _ => 0 } }
#[cfg(test)]
mod tests { struct T { state: String } }
"#,
        );
    }

    /// Where the prefilters cut: a `match` or comparison on a call that takes the field is not
    /// a comparison of the field (run with and without the prefilters by `check`).
    #[test]
    fn comparisons_of_a_call_on_the_field_are_not_the_fields() {
        check(
            "stringly-state",
            r#"
pub struct Job { status: String }
//               ^^^^^^ info: `status` holds a state as a string (`String`)
fn label(s: &str) -> &str { s }
fn f(j: &Job) -> u8 { match label(&j.status) { "a" => 1, "b" => 2, _ => 0 } }
fn g(j: &Job) -> bool { label(&j.status) == "c" || "d" == label(&j.status) }
"#,
        );
    }

    #[test]
    fn names_are_configurable() {
        check_with_config(
            "stringly-state",
            "[rules.stringly-state]\nfield-names = [\"level\"]\n",
            r#"
struct Log { level: String, status: String }
           //^^^^^ info: `level` holds a state as a string (`String`)
"#,
        );
    }
}
