//! `bool-fields`: structs with more than `max-bools` `bool` fields.

use crate::analysis::engine::FileCx;
use crate::analysis::model::has_attr;
use crate::analysis::rule::{
    Category, Finding, OptionDefault, Rule, RuleDocs, RuleMeta, RuleOption, Severity,
};
use crate::analysis::syntax::GreenNode;
use crate::analysis::syntax::{ast, AstNode, HasName, SyntaxKind, SyntaxNode};

pub(crate) struct BoolFields;

pub static META: RuleMeta = RuleMeta {
    id: "bool-fields",
    category: Category::State,
    default_severity: Severity::Warning,
    default_enabled: true,
    summary: "Structs with more than `max-bools` `bool` fields: states that an enum or flags type should model.",
    options: &[
        RuleOption {
            key: "max-bools",
            default: OptionDefault::Int(3),
            doc: "the largest number of `bool` fields that is not reported",
        },
        RuleOption {
            key: "min-exclusive-flags",
            default: OptionDefault::Int(2),
            doc: "a struct with at most `max-bools` `bool` fields is still reported when at least this many of them \
                  look mutually exclusive (never fewer than 2)",
        },
    ],
    docs: RuleDocs {
        what: "Structs with named fields of which more than `max-bools` have the type `bool` (like clippy's \
               `struct_excessive_bools`). Structs with a `#[repr(..)]` attribute are skipped, as clippy does: \
               their layout is usually dictated by FFI.\n\
               Flags that look mutually exclusive are named in the message: states of one life cycle, after an \
               `is_`/`was_`/`has_` prefix. A group needs a state that holds while something is under way \
               (`loading`, `pending`, `running`, `playing`, `paused`, `idle`, `connecting`, ...) next to another \
               one or to a state that ends it (`done`, `finished`, `failed`, `stopped`, `closed`, `cancelled`, \
               `shipped`, ...), or a pair that excludes itself (`loading`/`loaded`, `connected`/`disconnected`, \
               `opened`/`closed`, `succeeded`/`failed`, `active`/`idle`, `committed`/`rolled_back`; \
               `is_dir`/`is_file` and `is_loading`/`is_error` only with the `is_` prefix). Ended states alone \
               (`done` and `failed`) and states that stay true once reached (`initialized` and `running`, \
               `started` and `finished`) can hold at once and are not a group; neither is `paused` (or \
               `suspended`) next to `running` or `playing`, a state nested in the other (pausing leaves \
               `running` set), nor are option flags (`verbose`, `quiet`, `has_header`, `has_footer`). Flags \
               sharing a `mode_`/`phase_`/`stage_` prefix (`mode_fast`, `mode_safe`), or `state_`/`status_` \
               followed by such a state, are a group too. A struct with at least `min-exclusive-flags` such flags \
               is reported even when it has no more than `max-bools` `bool` fields.\n\
               Fix (unsafe): replace the exclusive flags with one enum field (`state: RequestState`, the enum \
               generated next to the struct, with an `Unset` variant for \"no flag set\", and \
               `#[allow(dead_code)]` when the rewritten code never sets one of its states), rewriting the struct \
               literals (all flags given as `true`/`false` literals, at most one `true`), reads of `self.flag` \
               (`matches!(self.state, RequestState::Loading)`) and writes `self.flag = true/false`. Offered only \
               when the flags are private fields, the file declares no out-of-line child module, no macro mentions \
               them (a method of the same name called in one, `assert!(m.is_dir())`, is not the field), every use in the file is one of those forms, and the struct derives only `Debug`, `Clone`, \
               `Copy`, `PartialEq`, `Eq`, `Hash`, `PartialOrd`, `Ord` or `Default`. It is unsafe because it makes \
               the flags exclusive: setting one now clears the others.",
        why: "Each `bool` doubles the number of states the struct can be in; with four flags there are sixteen, \
              and usually only a few are valid (`is_loading` and `is_done` both true?). The valid combinations \
              live only in the programmer's head, and every method must re-check them.",
        example: "struct Request {\n    is_loading: bool,\n    is_done: bool,\n    is_failed: bool,\n    retry: bool,\n}",
        instead: "Model the states as an enum (`enum Status { Loading, Done, Failed }`), or independent options \
                  as a flags type (`bitflags`) or small enums with named variants.",
    },
    fixable: true,
};

impl Rule for BoolFields {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[SyntaxKind::STRUCT]
    }

    /// Only structs with a record field whose type is a path type named `bool` (`is_bool`):
    /// without one, nothing is reported.
    fn prefilter(&self, node: GreenNode<'_>) -> bool {
        node.record_field_types()
            .any(|t| t.path_type_name() == Some("bool"))
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
        let bool_fields: Vec<ast::RecordField> = fields
            .fields()
            .filter(|f| f.ty().is_some_and(|t| is_bool(&t)))
            .collect();
        let bools: Vec<String> = bool_fields
            .iter()
            .filter_map(|f| f.name().map(|n| n.text().to_string()))
            .collect();
        let max = cx.int("max-bools");
        let group = exclusive_group(&bools);
        let exclusive = group.len() >= 2;
        let many = (bools.len() as i64) > max;
        if !many && (group.len() as i64) < cx.int("min-exclusive-flags").max(2) {
            return;
        }
        let Some(name) = s.name() else { return };
        let listed = |g: &[String]| {
            g.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut message = if many {
            format!(
                "`{}` has {} `bool` fields (more than {max}): {}",
                name.text(),
                bools.len(),
                bools.join(", ")
            )
        } else {
            format!(
                "`{}` has `bool` fields that look mutually exclusive: {}",
                name.text(),
                listed(&group)
            )
        };
        if exclusive && many {
            message.push_str(&format!("; {} look mutually exclusive", listed(&group)));
        }
        let enum_name = format!("{}State", name.text());
        let suggestion = if exclusive {
            format!(
                "replace {} with one enum (`enum {enum_name} {{ {} }}`)",
                listed(&group),
                group
                    .iter()
                    .map(|g| variant_name(g))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            "model the states as an enum, or the independent options as a flags type".to_string()
        };
        let mut finding = Finding::new(&META, name.syntax().text_range(), message)
            .suggestion(suggestion)
            .symbol(name.text().to_string());
        if exclusive {
            if let Some(fix) = enum_fix::build(&s, &group, cx.file.syntax()) {
                finding = finding.fix(fix);
            }
        }
        cx.report(finding);
    }
}

/// States that hold while something is under way: two of them, or one of them and an ended state,
/// cannot hold at once (`is_loading` and `is_done`).
const ONGOING: &[&str] = &[
    "loading",
    "pending",
    "running",
    "playing",
    "paused",
    "idle",
    "connecting",
    "closing",
    "initializing",
    "starting",
    "stopping",
    "processing",
    "queued",
    "suspended",
    "shutting_down",
    "draft",
];
/// States that end something under way (`done`, `failed`, `shipped`). Two of them alone can hold at
/// once (`done` and `failed`), so they join a group only next to an ongoing state or a pair below.
const ENDED: &[&str] = &[
    "done",
    "finished",
    "failed",
    "errored",
    "complete",
    "completed",
    "closed",
    "cancelled",
    "canceled",
    "succeeded",
    "aborted",
    "terminated",
    "stopped",
    "expired",
    "rejected",
    "fulfilled",
    "resolved",
    "timed_out",
    "disconnected",
    "shut_down",
    "archived",
    "refunded",
    "published",
    "submitted",
    "approved",
    "paid",
    "shipped",
    "delivered",
];
/// Pairs of words that exclude each other however they are read. Words that stay true once reached
/// (`started`, `loaded`, `connected`, `initialized`, `opened`, `active`) join a group only through
/// such a pair: `initialized` and `running`, `started` and `finished` both hold at once.
const PAIRS: &[(&str, &str)] = &[
    ("loading", "loaded"),
    ("connecting", "connected"),
    ("connected", "disconnected"),
    ("opened", "closed"),
    ("open", "closed"),
    ("opening", "opened"),
    ("starting", "started"),
    ("initializing", "initialized"),
    ("succeeded", "failed"),
    ("active", "idle"),
    ("active", "inactive"),
    ("committed", "rolled_back"),
    ("committed", "aborted"),
];
/// Pairs that exclude each other only as what a thing *is* (`is_dir`/`is_file`,
/// `is_loading`/`is_error`): both flags must start with `is_`. `has_dir`/`has_file` (a tree holds
/// both) and `loading`/`error` options are not a group.
const IS_PAIRS: &[(&str, &str)] = &[("dir", "file"), ("loading", "error")];
/// A state nested in another: `paused` holds while `running` (or `playing`) still does, in the
/// code seen (`self.paused = true` leaves `running` set), so the two are not a group.
const NESTED: &[(&str, &str)] = &[
    ("running", "paused"),
    ("running", "suspended"),
    ("playing", "paused"),
];
const STATE_PREFIXES: &[&str] = &["state", "status", "mode", "phase", "stage"];
const FLAG_PREFIXES: &[&str] = &["is_", "was_", "has_", "been_", "in_"];

/// The flag's name without `is_`/`was_`/`has_` prefixes (`is_loading` -> `loading`).
fn stem(name: &str) -> &str {
    let mut s = name.trim_start_matches('_');
    while let Some(p) = FLAG_PREFIXES.iter().find(|p| s.starts_with(*p)) {
        s = &s[p.len()..];
    }
    s
}

/// The largest group of flags that look mutually exclusive, in declaration order: ongoing states
/// with ended ones (and the members of exclusive pairs), or flags sharing a state prefix
/// (`mode_fast`, `mode_safe`). Empty when fewer than two flags qualify.
fn exclusive_group(bools: &[String]) -> Vec<String> {
    let words: Vec<&str> = bools.iter().map(|b| stem(b)).collect();
    let is_flag = |w: &str| {
        bools
            .iter()
            .zip(&words)
            .any(|(b, x)| *x == w && b.trim_start_matches('_').starts_with("is_"))
    };
    let paired = |w: &str| {
        PAIRS
            .iter()
            .any(|&(a, b)| (a == w && words.contains(&b)) || (b == w && words.contains(&a)))
            || IS_PAIRS
                .iter()
                .any(|&(a, b)| is_flag(w) && ((a == w && is_flag(b)) || (b == w && is_flag(a))))
    };
    // `paused` next to `running` is a sub-state, not another state.
    let nested = |w: &str| {
        NESTED
            .iter()
            .any(|&(outer, inner)| inner == w && words.contains(&outer))
    };
    let ongoing = |w: &str| ONGOING.contains(&w) && !nested(w);
    let seeded = words.iter().any(|w| ongoing(w) || paired(w));
    let mut best: Vec<String> = bools
        .iter()
        .zip(&words)
        .filter(|(_, w)| paired(w) || (seeded && (ongoing(w) || ENDED.contains(*w))))
        .map(|(b, _)| b.clone())
        .collect();
    for p in STATE_PREFIXES {
        let g: Vec<String> = bools
            .iter()
            .filter(|b| {
                stem(b)
                    .strip_prefix(p)
                    .and_then(|r| r.strip_prefix('_'))
                    .is_some_and(|r| {
                        // `mode_fast`, `phase_one`; `status_` only with a state (`status_bar` is a widget).
                        r.starts_with(|c: char| c.is_ascii_alphabetic())
                            && (matches!(*p, "mode" | "phase" | "stage")
                                || ONGOING.contains(&r)
                                || ENDED.contains(&r))
                    })
            })
            .cloned()
            .collect();
        if g.len() > best.len() {
            best = g;
        }
    }
    if best.len() < 2 {
        best.clear();
    }
    best
}

/// `is_loading` -> `Loading`, `mode_fast` -> `Fast`.
pub fn variant_name(flag: &str) -> String {
    let mut st = stem(flag);
    for p in STATE_PREFIXES {
        if let Some(r) = st.strip_prefix(p).and_then(|r| r.strip_prefix('_')) {
            if !r.is_empty() {
                st = r;
            }
        }
    }
    st.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `bool` or `std::primitive::bool` / `core::primitive::bool`.
pub(super) fn is_bool(t: &ast::Type) -> bool {
    let ast::Type::PathType(p) = t else {
        return false;
    };
    let text: String = crate::analysis::syntax::text_without_whitespace(p.syntax());
    matches!(
        text.as_str(),
        "bool"
            | "std::primitive::bool"
            | "core::primitive::bool"
            | "::std::primitive::bool"
            | "::core::primitive::bool"
    )
}

/// The unsafe fix: exclusive flags -> one enum field, in the struct's own file.
mod enum_fix {
    use super::{derives_of, variant_name};
    use crate::analysis::rule::{Applicability, Fix, TextEdit};
    use crate::analysis::rules::state_types::enclosing_impl;
    use crate::analysis::syntax::{
        ast, AstNode, HasName, HasVisibility, SyntaxKind, SyntaxNode, TextRange, TextSize,
    };

    const DERIVES: &[&str] = &[
        "Debug",
        "Clone",
        "Copy",
        "PartialEq",
        "Eq",
        "Hash",
        "PartialOrd",
        "Ord",
        "Default",
    ];

    pub(super) fn build(s: &ast::Struct, group: &[String], root: &SyntaxNode) -> Option<Fix> {
        let sname = s.name()?.text().to_string();
        let ast::FieldList::RecordFieldList(list) = s.field_list()? else {
            return None;
        };
        let fields: Vec<ast::RecordField> = list.fields().collect();
        let flags: Vec<&ast::RecordField> = fields
            .iter()
            .filter(|f| {
                f.name()
                    .is_some_and(|n| group.contains(&n.text().to_string()))
            })
            .collect();
        if flags.len() != group.len()
            || flags
                .iter()
                .any(|f| f.visibility().is_some() || f.attrs_present())
        {
            return None;
        }
        let derives = derives_of(s);
        if derives.iter().any(|d| !DERIVES.contains(&d.as_str())) {
            return None;
        }
        // Out-of-line child modules may use the private fields; macros hide their uses.
        if root
            .descendants()
            .filter_map(ast::Module::cast)
            .any(|m| m.item_list().is_none())
        {
            return None;
        }
        // `include!` pastes code this file does not show.
        if root
            .descendants()
            .filter_map(ast::MacroCall::cast)
            .any(|m| m.path().is_some_and(|p| p.syntax().text() == "include"))
        {
            return None;
        }
        for tt in root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::TOKEN_TREE)
        {
            if tt
                .descendants_with_tokens()
                .filter_map(|e| e.into_token())
                .any(|t| group.iter().any(|g| g == t.text()) && !method_call_in_macro(&t))
            {
                return None;
            }
        }
        let enum_name = format!("{sname}State");
        let taken = |id: &str| {
            root.descendants_with_tokens()
                .filter_map(|e| e.into_token())
                .any(|t| t.kind() == SyntaxKind::IDENT && t.text() == id)
        };
        if taken(&enum_name) {
            return None;
        }
        let field_name = ["state", "status"].into_iter().find(|n| {
            !fields
                .iter()
                .any(|f| f.name().is_some_and(|x| x.text() == *n))
        })?;
        let variants: Vec<String> = group.iter().map(|g| variant_name(g)).collect();
        let mut uniq = variants.clone();
        uniq.push("Unset".into());
        uniq.sort();
        uniq.dedup();
        if uniq.len() != variants.len() + 1
            || variants
                .iter()
                .any(|v| !v.starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            return None;
        }
        let variant_of =
            |flag: &str| variants[group.iter().position(|g| g == flag).unwrap()].clone();

        let mut edits = Vec::new();
        // The declaration.
        edits.push(TextEdit {
            range: flags[0].syntax().text_range(),
            new_text: format!("{field_name}: {enum_name}"),
        });
        for f in &flags[1..] {
            edits.push(TextEdit {
                range: list_item_range(f.syntax()),
                new_text: String::new(),
            });
        }
        // The uses.
        // A binding of a flag in a shorthand pattern (`let Self { is_done, .. } = self`) is not rewritten.
        if root.descendants().filter_map(ast::Name::cast).any(|n| {
            group.iter().any(|g| *g == n.text())
                && n.syntax()
                    .parent()
                    .and_then(ast::IdentPat::cast)
                    .and_then(|p| p.syntax().parent())
                    .is_some_and(|p| ast::RecordPatField::can_cast(p.kind()))
        }) {
            return None;
        }
        let mut handled_records: Vec<TextRange> = Vec::new();
        // The variants some rewritten code constructs (a variant only matched is dead code).
        let mut constructed: Vec<String> = Vec::new();
        for nr in root.descendants().filter_map(ast::NameRef::cast) {
            let text = nr.text().to_string();
            if !group.contains(&text) {
                continue;
            }
            let parent = nr.syntax().parent()?;
            // A method of the same name (`self.is_done()`) is not the field.
            if ast::MethodCallExpr::can_cast(parent.kind()) {
                continue;
            }
            // A path (`is_done`, `Self::is_done`) names a local, a function or a constant, never the
            // field, except in a shorthand struct literal (`Job { is_done }`), which is not rewritten.
            if ast::PathSegment::can_cast(parent.kind()) {
                let shorthand = parent
                    .ancestors()
                    .find_map(ast::PathExpr::cast)
                    .and_then(|p| p.syntax().parent())
                    .is_some_and(|p| ast::RecordExprField::can_cast(p.kind()));
                if shorthand {
                    return None;
                }
                continue;
            }
            if let Some(fe) = ast::FieldExpr::cast(parent.clone()) {
                let ast::Expr::PathExpr(p) = fe.expr()? else {
                    return None;
                };
                if p.syntax().text() != "self"
                    || enclosing_impl(fe.syntax()).map(|i| i.0) != Some(sname.clone())
                {
                    return None;
                }
                let v = variant_of(&text);
                let up = fe.syntax().parent()?;
                if let Some(bin) = ast::BinExpr::cast(up.clone()) {
                    if bin.lhs().is_some_and(|l| l.syntax() == fe.syntax()) {
                        let op = bin.op_token()?.text().to_string();
                        if op.ends_with('=')
                            && !matches!(op.as_str(), "==" | "!=" | "<=" | ">=")
                            && op != "="
                        {
                            return None;
                        }
                    }
                    if bin.lhs().is_some_and(|l| l.syntax() == fe.syntax())
                        && bin.op_token().is_some_and(|t| t.text() == "=")
                    {
                        let new_text = match bin.rhs()?.syntax().text().to_string().as_str() {
                            "true" => {
                                constructed.push(v.clone());
                                format!("self.{field_name} = {enum_name}::{v}")
                            }
                            "false" => {
                                constructed.push("Unset".into());
                                format!(
                                    "if matches!(self.{field_name}, {enum_name}::{v}) {{ self.{field_name} = {enum_name}::Unset }}"
                                )
                            }
                            _ => return None,
                        };
                        edits.push(TextEdit {
                            range: bin.syntax().text_range(),
                            new_text,
                        });
                        continue;
                    }
                }
                // `&self.flag` would borrow a temporary; a method may take `&mut self`.
                if ast::RefExpr::can_cast(up.kind()) {
                    return None;
                }
                if let Some(call) = ast::MethodCallExpr::cast(up) {
                    let by_value = ["then", "then_some", "clone", "to_string", "eq", "ne", "cmp"];
                    if call.receiver().is_some_and(|r| r.syntax() == fe.syntax())
                        && !call
                            .name_ref()
                            .is_some_and(|n| by_value.contains(&n.text().to_string().as_str()))
                    {
                        return None;
                    }
                }
                edits.push(TextEdit {
                    range: fe.syntax().text_range(),
                    new_text: format!("matches!(self.{field_name}, {enum_name}::{v})"),
                });
            } else if let Some(rf) = ast::RecordExprField::cast(parent.clone()) {
                let rec = rf.syntax().ancestors().find_map(ast::RecordExpr::cast)?;
                let head = rec
                    .path()
                    .and_then(|p| p.segment())
                    .map(|s| s.syntax().text().to_string())?;
                let in_impl = enclosing_impl(rec.syntax()).map(|i| i.0) == Some(sname.clone());
                if head != sname && !(head == "Self" && in_impl) {
                    return None;
                }
                if handled_records.contains(&rec.syntax().text_range()) {
                    continue;
                }
                handled_records.push(rec.syntax().text_range());
                let (literal, v) =
                    rewrite_literal(&rec, group, &variant_of, field_name, &enum_name)?;
                edits.extend(literal);
                constructed.push(v);
            } else {
                return None;
            }
        }
        // The enum, after the struct.
        let indent = line_indent(root, s.syntax().text_range().start());
        let default = derives.iter().any(|d| d == "Default");
        let mut derive_list: Vec<&str> = vec!["Debug", "Clone", "Copy", "PartialEq", "Eq"];
        for d in ["Hash", "PartialOrd", "Ord", "Default"] {
            if derives.iter().any(|x| x == d) {
                derive_list.push(d);
            }
        }
        if default {
            constructed.push("Unset".into());
        }
        // A state no code sets yet (ggez's `ZipMetadata` is never a directory) would be a
        // `dead_code` warning, an error under `#![deny(warnings)]`.
        let dead = std::iter::once("Unset".to_string())
            .chain(variants.iter().cloned())
            .any(|v| !constructed.contains(&v));
        let mut e = format!(
            "\n\n{indent}#[derive({})]\n{}{indent}enum {enum_name} {{\n",
            derive_list.join(", "),
            if dead {
                format!("{indent}#[allow(dead_code)] // not every state is set yet\n")
            } else {
                String::new()
            }
        );
        if default {
            e.push_str(&format!("{indent}    #[default]\n"));
        }
        e.push_str(&format!("{indent}    Unset,\n"));
        for v in &variants {
            e.push_str(&format!("{indent}    {v},\n"));
        }
        e.push_str(&format!("{indent}}}"));
        let end = s.syntax().text_range().end();
        edits.push(TextEdit {
            range: TextRange::empty(end),
            new_text: e,
        });
        Some(Fix {
            title: format!(
                "Replace {} with `{field_name}: {enum_name}`",
                group
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            applicability: Applicability::Unsafe,
            edits: merge_deletions(edits),
        })
    }

    /// `x.is_dir()` inside a macro's tokens (`assert!(m.is_dir())`): a call of a method named like
    /// the flag, never the field (a `bool` field cannot be called).
    fn method_call_in_macro(t: &crate::analysis::syntax::SyntaxToken) -> bool {
        use crate::analysis::syntax::SyntaxElement;
        let trivia = |e: &SyntaxElement| {
            e.kind() == SyntaxKind::WHITESPACE || e.kind() == SyntaxKind::COMMENT
        };
        let mut prev = t.prev_sibling_or_token();
        while prev.as_ref().is_some_and(trivia) {
            prev = prev.and_then(|e| e.prev_sibling_or_token());
        }
        let mut next = t.next_sibling_or_token();
        while next.as_ref().is_some_and(trivia) {
            next = next.and_then(|e| e.next_sibling_or_token());
        }
        prev.is_some_and(|e| e.kind() == SyntaxKind::DOT)
            && next.is_some_and(|e| {
                e.as_node().is_some_and(|n| {
                    n.kind() == SyntaxKind::TOKEN_TREE
                        && n.first_token()
                            .is_some_and(|f| f.kind() == SyntaxKind::L_PAREN)
                })
            })
    }

    fn rewrite_literal(
        rec: &ast::RecordExpr,
        group: &[String],
        variant_of: &dyn Fn(&str) -> String,
        field_name: &str,
        enum_name: &str,
    ) -> Option<(Vec<TextEdit>, String)> {
        let list = rec.record_expr_field_list()?;
        if list.spread().is_some() {
            return None;
        }
        let mut flag_fields = Vec::new();
        let mut set: Option<String> = None;
        for f in list.fields() {
            let Some(n) = f.name_ref() else { continue };
            let n = n.text().to_string();
            if !group.contains(&n) {
                continue;
            }
            match f.expr()?.syntax().text().to_string().as_str() {
                "true" if set.is_none() => set = Some(variant_of(&n)),
                "false" => {}
                _ => return None,
            }
            flag_fields.push(f);
        }
        if flag_fields.len() != group.len() {
            return None;
        }
        let v = set.unwrap_or_else(|| "Unset".into());
        let constructed = v.clone();
        let mut edits = vec![TextEdit {
            range: flag_fields[0].syntax().text_range(),
            new_text: format!("{field_name}: {enum_name}::{v}"),
        }];
        for f in &flag_fields[1..] {
            edits.push(TextEdit {
                range: list_item_range(f.syntax()),
                new_text: String::new(),
            });
        }
        Some((edits, constructed))
    }

    /// The item with its following comma and whitespace (or, for the last item, the preceding ones).
    fn list_item_range(node: &SyntaxNode) -> TextRange {
        let mut end = node.text_range().end();
        let mut next = node.next_sibling_or_token();
        let mut saw_comma = false;
        while let Some(t) = next.clone() {
            match t.kind() {
                SyntaxKind::COMMA if !saw_comma => saw_comma = true,
                SyntaxKind::WHITESPACE => {}
                _ => break,
            }
            end = t.text_range().end();
            next = t.next_sibling_or_token();
        }
        let last = next.is_none_or(|t| t.kind() == SyntaxKind::R_CURLY);
        if saw_comma && !last {
            return TextRange::new(node.text_range().start(), end);
        }
        // The last item: the whitespace (and comma) before it go too, its own comma but not the
        // whitespace before `}` (a deleted neighbour's range may then overlap: `merge_deletions`
        // joins them).
        let own_comma = node
            .next_sibling_or_token()
            .filter(|t| t.kind() == SyntaxKind::COMMA);
        let end = own_comma
            .as_ref()
            .map_or(node.text_range().end(), |t| t.text_range().end());
        let mut start = node.text_range().start();
        let mut prev = node.prev_sibling_or_token();
        while let Some(t) = prev {
            match t.kind() {
                SyntaxKind::WHITESPACE => start = t.text_range().start(),
                SyntaxKind::COMMA if own_comma.is_none() => start = t.text_range().start(),
                _ => break,
            }
            prev = t.prev_sibling_or_token();
        }
        TextRange::new(start, end)
    }

    /// Joins overlapping deletions (the last item's range reaches into its deleted neighbour's).
    fn merge_deletions(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        let mut out: Vec<TextEdit> = Vec::new();
        for e in edits {
            if let Some(last) = out.last_mut() {
                if last.new_text.is_empty()
                    && e.new_text.is_empty()
                    && e.range.start() <= last.range.end()
                {
                    last.range = last.range.cover(e.range);
                    continue;
                }
            }
            out.push(e);
        }
        out
    }

    fn line_indent(root: &SyntaxNode, at: TextSize) -> String {
        let text = root.text().to_string();
        let at = u32::from(at) as usize;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..at]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect()
    }

    trait AttrsPresent {
        fn attrs_present(&self) -> bool;
    }
    impl AttrsPresent for ast::RecordField {
        fn attrs_present(&self) -> bool {
            use crate::analysis::syntax::HasAttrs;
            self.attrs().next().is_some()
        }
    }
}

fn derives_of(s: &ast::Struct) -> Vec<String> {
    super::state_types::derives(s)
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{
        check, check_fix, check_no_fix, check_with_config, fix_applicability,
    };
    use crate::analysis::rule::Applicability;

    #[test]
    fn reports_structs_with_many_bools() {
        check(
            "bool-fields",
            r#"
pub struct Request {
         //^^^^^^^ warning: `Request` has 4 `bool` fields (more than 3): is_loading, is_done, is_failed, retry; `is_loading`, `is_done`, `is_failed` look mutually exclusive
    is_loading: bool,
    pub is_done: bool,
    is_failed: std::primitive::bool,
    retry: bool,
    name: String,
}
"#,
        );
    }

    /// Every spelling of the primitive counts (the type check is shared with bool-params).
    #[test]
    fn qualified_bool_spellings() {
        check(
            "bool-fields",
            r#"
struct Flags {
     //^^^^^ warning: `Flags` has 4 `bool` fields (more than 3): a, b, c, d
    a: ::std::primitive::bool,
    b: ::core::primitive::bool,
    c: core::primitive::bool,
    d: bool,
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
    #[test]
    fn exclusive_flags_below_the_threshold() {
        check(
            "bool-fields",
            r#"
struct Job { is_running: bool, is_done: bool, was_cancelled: bool, name: String }
     //^^^ warning: `Job` has `bool` fields that look mutually exclusive: `is_running`, `is_done`, `was_cancelled`
struct Two { is_loading: bool, is_done: bool }
     //^^^ warning: `Two` has `bool` fields that look mutually exclusive: `is_loading`, `is_done`
struct Opts { verbose: bool, quiet: bool, color: bool }
struct Modes { mode_fast: bool, mode_safe: bool, mode_debug: bool }
     //^^^^^ warning: `Modes` has `bool` fields that look mutually exclusive: `mode_fast`, `mode_safe`, `mode_debug`
"#,
        );
    }

    #[test]
    fn exclusive_pairs_and_triples() {
        check(
            "bool-fields",
            r#"
struct Player { running: bool, stopped: bool, paused: bool, volume: u8 }
     //^^^^^^ warning: `Player` has `bool` fields that look mutually exclusive: `running`, `stopped`
struct Timer { is_stopping: bool, is_paused: bool }
     //^^^^^ warning: `Timer` has `bool` fields that look mutually exclusive: `is_stopping`, `is_paused`
struct Deck { playing: bool, stopped: bool, paused: bool }
     //^^^^ warning: `Deck` has `bool` fields that look mutually exclusive: `playing`, `stopped`
struct Fetch { loading: bool, loaded: bool, url: String }
     //^^^^^ warning: `Fetch` has `bool` fields that look mutually exclusive: `loading`, `loaded`
struct Link { connected: bool, disconnected: bool, retries: u32 }
     //^^^^ warning: `Link` has `bool` fields that look mutually exclusive: `connected`, `disconnected`
struct Outcome { has_succeeded: bool, has_failed: bool }
     //^^^^^^^ warning: `Outcome` has `bool` fields that look mutually exclusive: `has_succeeded`, `has_failed`
struct Task { pending: bool, finished: bool, verbose: bool }
     //^^^^ warning: `Task` has `bool` fields that look mutually exclusive: `pending`, `finished`
struct Conn { is_idle: bool, is_closed: bool, tls: bool }
     //^^^^ warning: `Conn` has `bool` fields that look mutually exclusive: `is_idle`, `is_closed`
struct Phases { phase_one: bool, phase_two: bool }
     //^^^^^^ warning: `Phases` has `bool` fields that look mutually exclusive: `phase_one`, `phase_two`
struct Status { status_running: bool, status_failed: bool }
     //^^^^^^ warning: `Status` has `bool` fields that look mutually exclusive: `status_running`, `status_failed`
struct Transaction<'a> { conn: &'a mut u8, committed: bool, rolled_back: bool }
     //^^^^^^^^^^^ warning: `Transaction` has `bool` fields that look mutually exclusive: `committed`, `rolled_back`
struct ZipMetadata { len: u64, is_dir: bool, is_file: bool }
     //^^^^^^^^^^^ warning: `ZipMetadata` has `bool` fields that look mutually exclusive: `is_dir`, `is_file`
struct Node { is_dir: bool, is_loading: bool, is_error: bool }
     //^^^^ warning: `Node` has `bool` fields that look mutually exclusive: `is_loading`, `is_error`
"#,
        );
    }

    #[test]
    fn flags_that_can_hold_at_once_are_not_exclusive() {
        check(
            "bool-fields",
            r#"
struct Cli { verbose: bool, quiet: bool }
struct Walk { recursive: bool, follow_links: bool, hidden: bool }
struct Table { has_header: bool, has_footer: bool }
struct Outcome { done: bool, failed: bool }
struct Stream { closed: bool, errored: bool, eof: bool }
struct Boot { initialized: bool, running: bool }
struct Life { has_started: bool, has_finished: bool }
struct Sock { connected: bool, closed: bool }
struct Order { is_paid: bool, is_refunded: bool, is_shipped: bool }
struct One { is_loading: bool, name: String }
struct Ui { status_bar: bool, status_line: bool }
struct Stages { stage_1_done: bool, stage_2_done: bool }
struct Window { active: bool, visible: bool, focused: bool }
struct Upload { upload_done: bool, download_done: bool }
struct Words { loading_screen: bool, running_total: bool }
struct Typed { is_loading: Option<bool>, is_done: Vec<bool> }
struct Emu { running: bool, paused: bool }
struct Timer { is_running: bool, is_paused: bool }
struct Audio { is_playing: bool, is_paused: bool, muted: bool }
struct Vm { running: bool, suspended: bool }
struct Tree { has_dir: bool, has_file: bool }
struct Search { dir: bool, file: bool, hidden: bool }
struct Fetch { loading: bool, error: bool }
struct Req { is_loading: bool, has_error: bool }
struct WsStream { closing: bool, ended: bool, ready: bool }
struct Tx { committed: bool, dirty: bool }
enum E { V { is_loading: bool, is_done: bool } }
#[repr(C)]
struct Ffi { is_loading: bool, is_done: bool }
"#,
        );
    }

    #[test]
    fn min_exclusive_flags_is_configurable() {
        check_with_config(
            "bool-fields",
            "[rules.bool-fields]\nmin-exclusive-flags = 3\n",
            r#"
struct Two { is_loading: bool, is_done: bool }
struct Three { is_loading: bool, is_done: bool, is_failed: bool }
     //^^^^^ warning: `Three` has `bool` fields that look mutually exclusive: `is_loading`, `is_done`, `is_failed`
"#,
        );
    }

    #[test]
    fn enum_fix_rewrites_fields_literals_reads_and_writes() {
        check_fix(
            "bool-fields",
            r#"
#[derive(Debug, Clone, Default)]
pub struct Job$0 {
    is_running: bool,
    is_done: bool,
    is_failed: bool,
    pub name: String,
}

impl Job {
    pub fn new(name: String) -> Self {
        Self { is_running: false, is_done: false, is_failed: false, name }
    }
    pub fn finish(&mut self) {
        self.is_running = false;
        self.is_done = true;
    }
    pub fn busy(&self) -> bool {
        self.is_done == false && self.is_running
    }
}
"#,
            r#"
#[derive(Debug, Clone, Default)]
pub struct Job {
    state: JobState,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(dead_code)] // not every state is set yet
enum JobState {
    #[default]
    Unset,
    Running,
    Done,
    Failed,
}

impl Job {
    pub fn new(name: String) -> Self {
        Self { state: JobState::Unset, name }
    }
    pub fn finish(&mut self) {
        if matches!(self.state, JobState::Running) { self.state = JobState::Unset };
        self.state = JobState::Done;
    }
    pub fn busy(&self) -> bool {
        matches!(self.state, JobState::Done) == false && matches!(self.state, JobState::Running)
    }
}
"#,
        );
        let before = "struct Job$0 { is_running: bool, is_done: bool, is_failed: bool }\nfn f() -> Job { Job { is_running: true, is_done: false, is_failed: false } }\n";
        assert_eq!(
            fix_applicability("bool-fields", before),
            Applicability::Unsafe
        );
    }

    #[test]
    fn enum_fix_keeps_methods_and_locals_named_like_the_flags() {
        check_fix(
            "bool-fields",
            r#"
struct Loader$0 {
    loading: bool,
    loaded: bool,
}

impl Loader {
    fn new() -> Loader {
        Loader { loading: false, loaded: false }
    }
    fn loading(&self) -> bool {
        self.loading
    }
    fn start(&mut self) {
        let loaded = self.loaded.then_some(1);
        if !self.loading() && loaded.is_none() {
            self.loading = true;
        }
    }
}
"#,
            r#"
struct Loader {
    state: LoaderState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // not every state is set yet
enum LoaderState {
    Unset,
    Loading,
    Loaded,
}

impl Loader {
    fn new() -> Loader {
        Loader { state: LoaderState::Unset }
    }
    fn loading(&self) -> bool {
        matches!(self.state, LoaderState::Loading)
    }
    fn start(&mut self) {
        let loaded = matches!(self.state, LoaderState::Loaded).then_some(1);
        if !self.loading() && loaded.is_none() {
            self.state = LoaderState::Loading;
        }
    }
}
"#,
        );
    }

    #[test]
    fn enum_fix_ignores_method_calls_named_like_the_flags_in_macros() {
        // ggez 0.10.0 `src/vfs.rs`: `ZipMetadata`, whose tests call `m.is_dir()` inside `assert!`.
        check_fix(
            "bool-fields",
            r#"
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
struct ZipMetadata$0 {
    len: u64,
    is_dir: bool,
    is_file: bool,
}

impl ZipMetadata {
    fn new(len: u64) -> Self {
        ZipMetadata { len, is_file: true, is_dir: false }
    }
    fn is_dir(&self) -> bool {
        self.is_dir
    }
}

fn t(m: ZipMetadata) {
    assert!(m.is_dir());
    assert!(!m . is_dir ( ));
}
"#,
            r#"
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
struct ZipMetadata {
    len: u64,
    state: ZipMetadataState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // not every state is set yet
enum ZipMetadataState {
    Unset,
    Dir,
    File,
}

impl ZipMetadata {
    fn new(len: u64) -> Self {
        ZipMetadata { len, state: ZipMetadataState::File }
    }
    fn is_dir(&self) -> bool {
        matches!(self.state, ZipMetadataState::Dir)
    }
}

fn t(m: ZipMetadata) {
    assert!(m.is_dir());
    assert!(!m . is_dir ( ));
}
"#,
        );
    }

    #[test]
    fn enum_fix_allows_dead_code_only_for_states_no_code_sets() {
        // mysql 28.0.4 `src/conn/transaction.rs`: every state is set (`Unset` by the literal), so
        // the enum needs no `allow`; `#![deny(warnings)]` crates keep compiling either way.
        check_fix(
            "bool-fields",
            r#"
#[derive(Debug)]
pub struct Transaction$0<'a> {
    conn: &'a mut Vec<String>,
    committed: bool,
    rolled_back: bool,
}

impl Transaction<'_> {
    fn new(conn: &mut Vec<String>) -> Transaction<'_> {
        Transaction { conn, committed: false, rolled_back: false }
    }
    pub fn commit(mut self) {
        self.conn.push("COMMIT".into());
        self.committed = true;
    }
    pub fn rollback(mut self) {
        self.conn.push("ROLLBACK".into());
        self.rolled_back = true;
    }
}

impl<'a> Drop for Transaction<'a> {
    fn drop(&mut self) {
        if !self.committed && !self.rolled_back {
            self.conn.push("ROLLBACK".into());
        }
    }
}
"#,
            r#"
#[derive(Debug)]
pub struct Transaction<'a> {
    conn: &'a mut Vec<String>,
    state: TransactionState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransactionState {
    Unset,
    Committed,
    RolledBack,
}

impl Transaction<'_> {
    fn new(conn: &mut Vec<String>) -> Transaction<'_> {
        Transaction { conn, state: TransactionState::Unset }
    }
    pub fn commit(mut self) {
        self.conn.push("COMMIT".into());
        self.state = TransactionState::Committed;
    }
    pub fn rollback(mut self) {
        self.conn.push("ROLLBACK".into());
        self.state = TransactionState::RolledBack;
    }
}

impl<'a> Drop for Transaction<'a> {
    fn drop(&mut self) {
        if !matches!(self.state, TransactionState::Committed) && !matches!(self.state, TransactionState::RolledBack) {
            self.conn.push("ROLLBACK".into());
        }
    }
}
"#,
        );
    }

    #[test]
    fn no_enum_fix_when_a_use_cannot_be_rewritten() {
        for fixture in [
            // public field
            "pub struct Job$0 { pub is_running: bool, is_done: bool, is_failed: bool }",
            // another receiver than self
            "struct Job$0 { is_running: bool, is_done: bool, is_failed: bool }\nfn f(j: &Job) -> bool { j.is_done }",
            // two flags set in a literal
            "struct Job$0 { is_running: bool, is_done: bool, is_failed: bool }\nfn f() -> Job { Job { is_running: true, is_done: true, is_failed: false } }",
            // non-literal write
            "struct Job$0 { is_running: bool, is_done: bool, is_failed: bool }\nimpl Job { fn f(&mut self, x: bool) { self.is_done = x; } }",
            // out-of-line child module
            "mod child;\nstruct Job$0 { is_running: bool, is_done: bool, is_failed: bool }",
            // serde
            "#[derive(serde::Serialize)]\nstruct Job$0 { is_running: bool, is_done: bool, is_failed: bool }",
            // macro use
            "struct Job$0 { is_running: bool, is_done: bool, is_failed: bool }\nimpl Job { fn f(&self) { println!(\"{}\", self.is_done); } }",
            // a field read in a macro, next to a method call of the same name
            "struct Job$0 { is_running: bool, is_done: bool }\nimpl Job { fn is_done(&self) -> bool { self.is_done } }\nfn f(j: &Job) { assert!(j.is_done() && j.is_done); }",
            // a flag named in a macro without a dot (`is_done` bound by the macro)
            "struct Job$0 { is_running: bool, is_done: bool }\nmacro_rules! m { ($j:ident) => { $j.is_running }; }\nfn f() { m!(is_done); }",
            // a borrow of the flag (a temporary after the rewrite)
            "struct Job$0 { is_running: bool, is_done: bool }\nimpl Job { fn f(&self) -> &bool { &self.is_done } }",
            // a method that may take `&mut self`
            "struct Job$0 { is_running: bool, is_done: bool }\nimpl Job { fn f(&mut self) { self.is_done.clone_from(&true); } }",
            // shorthand pattern and shorthand literal
            "struct Job$0 { is_running: bool, is_done: bool }\nimpl Job { fn f(&self) -> bool { let Self { is_done, .. } = self; *is_done } }",
            "struct Job$0 { is_running: bool, is_done: bool }\nfn f(is_running: bool, is_done: bool) -> Job { Job { is_running, is_done } }",
            // a field of another value of the type
            "struct Job$0 { is_running: bool, is_done: bool }\nimpl Job { fn f(&self, o: &Job) -> bool { o.is_done } }",
            // included code
            "struct Job$0 { is_running: bool, is_done: bool }\ninclude!(\"uses.rs\");",
            // compound assignment
            "struct Job$0 { is_running: bool, is_done: bool }\nimpl Job { fn f(&mut self) { self.is_done |= true; } }",
        ] {
            check_no_fix("bool-fields", fixture);
        }
    }
}
