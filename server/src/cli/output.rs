//! Output formats of `check`: human (rustc-like), JSON lines and SARIF 2.1.0.

use std::io::{self, Write};

use annotate_snippets::{Level, Renderer, Snippet};
use serde_json::{json, Value};

use crate::analysis::config::Config;
use crate::analysis::line_index::{ColumnEncoding, LineIndex};
use crate::analysis::loader::{self, Analysis};
use crate::analysis::rule::{Finding, Severity};
use crate::analysis::rules;
use crate::analysis::syntax::TextRange;

/// 1-based line/column span in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) end_line: u32,
    pub(crate) end_column: u32,
}

/// A finding with positions resolved.
pub(crate) struct Located {
    pub(crate) file: String,
    pub(crate) span: Span,
    pub(crate) finding: Finding,
    /// The source lines the finding covers (for human output), and the byte range of the
    /// finding inside them.
    pub(crate) excerpt: String,
    pub(crate) excerpt_range: std::ops::Range<usize>,
    pub(crate) fix_edits: Vec<(Span, String)>,
    pub(crate) related: Vec<(String, Span, String)>,
}

fn span_of(text: &str, index: &LineIndex, range: TextRange) -> Span {
    let s = index.line_col(text, range.start(), ColumnEncoding::Chars);
    let e = index.line_col(text, range.end(), ColumnEncoding::Chars);
    Span {
        line: s.line + 1,
        column: s.col + 1,
        end_line: e.line + 1,
        end_column: e.col + 1,
    }
}

/// Resolves every finding's position (reads each file with findings once).
pub(super) fn locate_all(analysis: &Analysis) -> Vec<Located> {
    let mut out = Vec::new();
    for (rel, findings) in &analysis.findings {
        if findings.is_empty() {
            continue;
        }
        let Ok(text) = loader::read_source(&analysis.root.join(rel)) else {
            continue;
        };
        let index = LineIndex::new(&text);
        for f in findings {
            let span = span_of(&text, &index, f.range);
            let first = index.line_start(span.line - 1);
            let last = index.line_range(&text, span.end_line - 1).end();
            let excerpt = text[TextRange::new(first, last)].to_string();
            let start = usize::from(f.range.start() - first);
            let end = usize::from(f.range.end().min(last) - first).max(start);
            let fix_edits = f
                .fix
                .iter()
                .flat_map(|x| x.edits.iter())
                .map(|e| (span_of(&text, &index, e.range), e.new_text.clone()))
                .collect();
            let related = f
                .related
                .iter()
                .map(|r| {
                    let file = r.file.clone().unwrap_or_else(|| rel.clone());
                    let span = match r.line {
                        Some(l) => Span {
                            line: l,
                            column: 1,
                            end_line: l,
                            end_column: 1,
                        },
                        None if r.file.is_none() => span_of(&text, &index, r.range),
                        None => related_span(analysis, &file, r.range),
                    };
                    (file, span, r.message.clone())
                })
                .collect();
            out.push(Located {
                file: rel.clone(),
                span,
                finding: f.clone(),
                excerpt,
                excerpt_range: start..end,
                fix_edits,
                related,
            });
        }
    }
    out
}

fn related_span(analysis: &Analysis, file: &str, range: TextRange) -> Span {
    match loader::read_source(&analysis.root.join(file)) {
        Ok(text) => span_of(&text, &LineIndex::new(&text), range),
        Err(_) => Span {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
        Severity::Hint => Level::Note,
    }
}

/// rustc-like output.
pub(super) fn human(out: &mut impl Write, located: &[Located], _config: &Config) -> io::Result<()> {
    use std::io::IsTerminal;
    let renderer = if io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for l in located {
        let f = &l.finding;
        let title = f.message.clone();
        let lvl = level(f.severity);
        let origin = l.file.clone();
        let mut footers = Vec::new();
        let help;
        if let Some(s) = &f.suggestion {
            help = s.clone();
            footers.push(Level::Help.title(&help));
        }
        let fix_note;
        if let Some(fix) = &f.fix {
            fix_note = format!(
                "fix available ({}): {}",
                match fix.applicability {
                    crate::analysis::rule::Applicability::Safe => "safe, `--fix`",
                    crate::analysis::rule::Applicability::Unsafe =>
                        "unsafe, `--fix --unsafe-fixes`",
                },
                fix.title
            );
            footers.push(Level::Note.title(&fix_note));
        }
        let related: Vec<String> = l
            .related
            .iter()
            .map(|(file, sp, msg)| format!("{msg} ({file}:{}:{})", sp.line, sp.column))
            .collect();
        for r in &related {
            footers.push(Level::Note.title(r));
        }
        // annotate-snippets wants a non-empty span to draw carets.
        let mut range = l.excerpt_range.clone();
        if range.is_empty() {
            let next = l.excerpt[range.start..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            range.end = range.start + next;
        }
        let msg = lvl
            .title(&title)
            .id(f.rule)
            .snippet(
                Snippet::source(&l.excerpt)
                    .line_start(l.span.line as usize)
                    .origin(&origin)
                    .fold(true)
                    .annotation(Level::Error.span(range).label("")),
            )
            .footers(footers);
        writeln!(out, "{}\n", renderer.render(msg))?;
    }
    Ok(())
}

fn span_json(s: &Span) -> Value {
    json!({"line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column})
}

/// One finding as the stable JSON object.
pub fn finding_json(l: &Located, config: &Config) -> Value {
    let f = &l.finding;
    let meta = rules::meta(f.rule);
    let mut v = json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "category": meta.map(|m| m.category.as_str()),
        "file": l.file,
        "line": l.span.line,
        "column": l.span.column,
        "end_line": l.span.end_line,
        "end_column": l.span.end_column,
        "message": f.message,
        "suggestion": f.suggestion,
        "docs_url": config.docs_url(f.rule),
    });
    if let Some(sym) = &f.symbol {
        v["symbol"] = json!(sym);
    }
    if let Some(fix) = &f.fix {
        v["fix"] = json!({
            "title": fix.title,
            "applicability": fix.applicability,
            "edits": l.fix_edits.iter().map(|(s, t)| {
                let mut e = span_json(s);
                e["new_text"] = json!(t);
                e
            }).collect::<Vec<_>>(),
        });
    }
    if !l.related.is_empty() {
        v["related"] = json!(l
            .related
            .iter()
            .map(|(file, s, msg)| {
                let mut e = span_json(s);
                e["file"] = json!(file);
                e["message"] = json!(msg);
                e
            })
            .collect::<Vec<_>>());
    }
    v
}

/// JSON lines: one finding per line.
pub(crate) fn json_lines(
    out: &mut impl Write,
    located: &[Located],
    config: &Config,
) -> io::Result<()> {
    for l in located {
        writeln!(out, "{}", finding_json(l, config))?;
    }
    Ok(())
}

/// SARIF 2.1.0, as GitHub code scanning accepts it.
pub(super) fn sarif(out: &mut impl Write, located: &[Located], config: &Config) -> io::Result<()> {
    let metas = rules::metas();
    let rules_json: Vec<Value> = metas
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.docs.what.split_whitespace().collect::<Vec<_>>().join(" ")},
                "helpUri": config.docs_url(m.id),
                "help": {"text": m.docs.instead.split_whitespace().collect::<Vec<_>>().join(" "), "markdown": m.markdown()},
                "defaultConfiguration": {"level": sarif_level(config.severity(m))},
                "properties": {"category": m.category.as_str(), "tags": [m.category.as_str(), "design"]},
            })
        })
        .collect();
    let results: Vec<Value> = located
        .iter()
        .map(|l| {
            let f = &l.finding;
            let idx = metas.iter().position(|m| m.id == f.rule).unwrap_or(0);
            let mut r = json!({
                "ruleId": f.rule,
                "ruleIndex": idx,
                "level": sarif_level(f.severity),
                "message": {"text": match &f.suggestion { Some(s) => format!("{} ({s})", f.message), None => f.message.clone() }},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": l.file, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": l.span.line, "startColumn": l.span.column,
                            "endLine": l.span.end_line, "endColumn": l.span.end_column,
                        }
                    }
                }],
                "partialFingerprints": {
                    "boundaryFinding/v1": fingerprint(l),
                },
            });
            if !l.related.is_empty() {
                r["relatedLocations"] = json!(l.related.iter().enumerate().map(|(i, (file, s, msg))| json!({
                    "id": i,
                    "message": {"text": msg},
                    "physicalLocation": {
                        "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": s.line, "startColumn": s.column, "endLine": s.end_line, "endColumn": s.end_column},
                    }
                })).collect::<Vec<_>>());
            }
            r
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "boundary-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/boundary-lsp/boundary-lsp",
                "rules": rules_json,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The workspace root"}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A stable fingerprint: rule, file, symbol (or message) — not line numbers.
fn fingerprint(l: &Located) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    l.finding.rule.hash(&mut h);
    l.file.hash(&mut h);
    l.finding
        .symbol
        .as_ref()
        .unwrap_or(&l.finding.message)
        .hash(&mut h);
    format!("{:016x}", h.finish())
}
