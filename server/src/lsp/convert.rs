//! Conversions between the core's byte ranges and findings and the protocol's positions,
//! diagnostics, code actions and hovers. No state, no I/O.

use std::collections::HashMap;

use serde_json::json;
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeDescription, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    Uri, WorkspaceEdit,
};

use crate::analysis::config::Config;
use crate::analysis::fix;
use crate::analysis::line_index::{ColumnEncoding, LineCol, LineIndex};
use crate::analysis::rule::{Applicability, Finding, Severity, TextEdit};
use crate::analysis::rules;
use crate::analysis::syntax::{TextRange, TextSize};

/// A text with its line index, to convert positions in the negotiated encoding.
pub(crate) struct Text<'a> {
    pub(crate) text: &'a str,
    pub(crate) index: &'a LineIndex,
    pub(crate) enc: ColumnEncoding,
}

impl Text<'_> {
    pub(crate) fn position(&self, offset: TextSize) -> Position {
        let lc = self.index.line_col(self.text, offset, self.enc);
        Position::new(lc.line, lc.col)
    }

    pub(crate) fn range(&self, r: TextRange) -> Range {
        Range::new(self.position(r.start()), self.position(r.end()))
    }

    pub(crate) fn offset(&self, p: Position) -> TextSize {
        self.index.offset(
            self.text,
            LineCol {
                line: p.line,
                col: p.character,
            },
            self.enc,
        )
    }

    /// A protocol range as bytes; `None` when its end is before its start.
    pub(crate) fn text_range(&self, r: Range) -> Option<TextRange> {
        let (s, e) = (self.offset(r.start), self.offset(r.end));
        (s <= e).then(|| TextRange::new(s, e))
    }

    pub(crate) fn edit(&self, e: &TextEdit) -> lsp::TextEdit {
        lsp::TextEdit {
            range: self.range(e.range),
            new_text: e.new_text.clone(),
        }
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Resolves a related location in another file: its URI and, when it can be read, its range.
pub(crate) type RelatedResolver<'a> = dyn Fn(&str, TextRange, Option<u32>) -> Option<Location> + 'a;

/// One finding as a diagnostic.
pub(super) fn diagnostic(
    t: &Text<'_>,
    uri: &Uri,
    f: &Finding,
    config: &Config,
    resolve: &RelatedResolver<'_>,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.file {
                None => Location {
                    uri: uri.clone(),
                    range: t.range(r.range),
                },
                Some(file) => resolve(file, r.range, r.line)?,
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: t.range(f.range),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: config
            .docs_url(f.rule)
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("boundary".into()),
        message: f.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "rule": f.rule,
            "fix": f.fix.as_ref().map(|x| x.title.clone()),
            "safe": f.fix.as_ref().map(|x| x.applicability == Applicability::Safe),
        })),
    }
}

/// Where a new line can be inserted above `line`, and that line's indentation.
fn line_indent<'a>(t: &Text<'a>, line: u32) -> (TextSize, &'a str) {
    let range = t.index.line_range(t.text, line);
    let text = &t.text[range];
    let indent_len = text.len() - text.trim_start_matches([' ', '\t']).len();
    (range.start(), &text[..indent_len])
}

/// The offset after the leading `//!` lines (and a `#!` shebang line) of a file.
fn after_inner_doc_lines(text: &str) -> TextSize {
    let mut pos = 0usize;
    let mut first = true;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let shebang = first && line.starts_with("#!") && !line.starts_with("#![");
        first = false;
        if trimmed.starts_with("//!") || shebang {
            pos += line.len();
        } else {
            break;
        }
    }
    TextSize::from(pos as u32)
}

fn workspace_edit(uri: &Uri, edits: Vec<lsp::TextEdit>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

/// The code actions for the findings that intersect `range`: each fix, and the two
/// suppression comments.
pub(super) fn code_actions(
    t: &Text<'_>,
    uri: &Uri,
    findings: &[Finding],
    diagnostics: &[Diagnostic],
    range: TextRange,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeAction> {
    let wants = |k: &CodeActionKind| {
        only.is_none_or(|o| {
            o.iter().any(|w| {
                k.as_str() == w.as_str() || k.as_str().starts_with(&format!("{}.", w.as_str()))
            })
        })
    };
    let mut out = Vec::new();
    let eol = if t.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    if wants(&CodeActionKind::QUICKFIX) {
        for (f, d) in findings.iter().zip(diagnostics) {
            if !(f.range.intersect(range).is_some() || f.range.contains_range(range)) {
                continue;
            }
            if let Some(x) = &f.fix {
                if fix::edits_valid(t.text, x) {
                    out.push(CodeAction {
                        title: x.title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![d.clone()]),
                        edit: Some(workspace_edit(
                            uri,
                            x.edits.iter().map(|e| t.edit(e)).collect(),
                        )),
                        is_preferred: Some(x.applicability == Applicability::Safe),
                        ..CodeAction::default()
                    });
                }
            }
            if f.rule == rules::internal::META.id {
                continue;
            }
            let line = t.index.line_of(f.range.start());
            let (at, indent) = line_indent(t, line);
            out.push(CodeAction {
                title: format!("Allow `{}` on this line", f.rule),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(workspace_edit(
                    uri,
                    vec![lsp::TextEdit {
                        range: t.range(TextRange::empty(at)),
                        new_text: format!("{indent}// boundary: allow({}){eol}", f.rule),
                    }],
                )),
                ..CodeAction::default()
            });
            let top = after_inner_doc_lines(t.text);
            let mut insert = format!("//! boundary: allow({}){eol}", f.rule);
            if u32::from(top) as usize == t.text.len()
                && !t.text.is_empty()
                && !t.text.ends_with('\n')
            {
                insert.insert_str(0, eol);
            }
            out.push(CodeAction {
                title: format!("Allow `{}` in this file", f.rule),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(workspace_edit(
                    uri,
                    vec![lsp::TextEdit {
                        range: t.range(TextRange::empty(top)),
                        new_text: insert,
                    }],
                )),
                ..CodeAction::default()
            });
        }
        // The same suppression offered by two findings once.
        let mut seen = Vec::new();
        out.retain(|a| {
            let key = (a.title.clone(), format!("{:?}", a.edit));
            if seen.contains(&key) {
                false
            } else {
                seen.push(key);
                true
            }
        });
    }
    let fix_all = fix_all_kind();
    if wants(&fix_all) {
        if let Some(a) = fix_all_action(t, uri, findings) {
            out.push(a);
        }
    }
    out
}

pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.boundary")
}

/// `source.fixAll.boundary`: every safe fix of the file that does not overlap another.
fn fix_all_action(t: &Text<'_>, uri: &Uri, findings: &[Finding]) -> Option<CodeAction> {
    let (_, applied) = fix::apply(t.text, findings, false);
    if applied.is_empty() {
        return None;
    }
    let edits = applied
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .flat_map(|x| x.edits.iter().map(|e| t.edit(e)))
        .collect();
    Some(CodeAction {
        title: "Fix all safe boundary findings".into(),
        kind: Some(fix_all_kind()),
        edit: Some(workspace_edit(uri, edits)),
        ..CodeAction::default()
    })
}

/// Hover: the docs of the rules whose findings cover `offset`.
pub(super) fn hover(t: &Text<'_>, findings: &[Finding], offset: TextSize) -> Option<lsp::Hover> {
    let mut ids: Vec<&str> = Vec::new();
    let mut range = None;
    for f in findings {
        let covers = f.range.contains_inclusive(offset);
        if covers && !ids.contains(&f.rule) {
            ids.push(f.rule);
            range.get_or_insert(f.range);
        }
    }
    if ids.is_empty() {
        return None;
    }
    let docs: Vec<String> = ids
        .iter()
        .filter_map(|id| rules::meta(id))
        .map(|m| m.markdown())
        .collect();
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: docs.join("\n---\n\n"),
        }),
        range: range.map(|r| t.range(r)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_doc_lines_are_skipped() {
        assert_eq!(
            after_inner_doc_lines("//! a\n//! b\nfn x() {}\n"),
            TextSize::from(12)
        );
        assert_eq!(after_inner_doc_lines("fn x() {}\n"), TextSize::from(0));
        assert_eq!(
            after_inner_doc_lines("#!/usr/bin/env rust\n//! a\nfn x(){}"),
            TextSize::from(26)
        );
        assert_eq!(after_inner_doc_lines("#![allow(x)]\n"), TextSize::from(0));
    }
}
