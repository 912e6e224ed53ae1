//! CI output formats of `check` (GitHub Actions annotations, GitLab Code Quality, JUnit XML)
//! and the unified diff of `check --fix --diff`.
//!
//! `prefix` is the workspace root relative to the directory the command runs in (`""` when the
//! same): CI systems resolve annotation paths against the repository checkout.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::analysis::baseline::{text_hash, Key};
use crate::analysis::config::Config;
use crate::analysis::rule::Severity;

use super::output::Located;

fn path(prefix: &str, file: &str) -> String {
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{}/{file}", prefix.trim_end_matches('/'))
    }
}

/// The message with its suggestion, as CI annotations show them.
fn full_message(l: &Located) -> String {
    match &l.finding.suggestion {
        Some(s) => format!("{}\nhelp: {s}", l.finding.message),
        None => l.finding.message.clone(),
    }
}

/// Escapes the message part of a workflow command.
pub fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command (also `:` and `,`).
pub fn github_escape_property(s: &str) -> String {
    github_escape_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per finding:
/// `::warning file=src/a.rs,line=3,col=5,endLine=3,endColumn=9,title=boundary-lsp(static-mut)::message`.
pub(super) fn github(out: &mut impl Write, located: &[Located], prefix: &str) -> io::Result<()> {
    for l in located {
        let cmd = match l.finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        writeln!(
            out,
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            github_escape_property(&path(prefix, &l.file)),
            l.span.line,
            l.span.column,
            l.span.end_line,
            l.span.end_column,
            github_escape_property(&format!("boundary-lsp({})", l.finding.rule)),
            github_escape_data(&full_message(l)),
        )?;
    }
    Ok(())
}

/// GitLab Code Quality report (a JSON array, `artifacts:reports:codequality`). `keys` (parallel
/// to `located`) make the fingerprints: stable across unrelated edits, unique per finding.
pub(super) fn gitlab(
    out: &mut impl Write,
    located: &[Located],
    keys: &[Key],
    prefix: &str,
) -> io::Result<()> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let issues: Vec<Value> = located
        .iter()
        .zip(keys)
        .map(|(l, k)| {
            let base = format!("{}\u{0}{}\u{0}{}\u{0}{}", k.rule, k.file, k.symbol, k.hash);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let fingerprint = text_hash(&format!("{base}\u{0}{n}"));
            json!({
                "type": "issue",
                "engine_name": "boundary-lsp",
                "check_name": l.finding.rule,
                "description": full_message(l),
                "categories": ["Design"],
                "severity": match l.finding.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "minor",
                    Severity::Hint => "info",
                },
                "fingerprint": fingerprint,
                "location": {
                    "path": path(prefix, &l.file),
                    "lines": {"begin": l.span.line, "end": l.span.end_line},
                },
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// XML 1.0 text: escapes markup and drops characters XML cannot carry.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

/// JUnit XML: one test suite per file with findings, one failing test case per finding (one
/// passing case when there are none, so CI shows a green check rather than an empty report).
pub(super) fn junit(
    out: &mut impl Write,
    located: &[Located],
    config: &Config,
    prefix: &str,
) -> io::Result<()> {
    let mut files: Vec<&str> = Vec::new();
    for l in located {
        if !files.contains(&l.file.as_str()) {
            files.push(&l.file);
        }
    }
    let total = located.len().max(1);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="boundary-lsp" tests="{total}" failures="{}" errors="0">"#,
        located.len()
    )?;
    if located.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="boundary-lsp" tests="1" failures="0" errors="0" skipped="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="no findings" classname="boundary-lsp"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for file in files {
        let here: Vec<&Located> = located.iter().filter(|l| l.file == file).collect();
        let p = xml_escape(&path(prefix, file));
        writeln!(
            out,
            r#"  <testsuite name="{p}" tests="{n}" failures="{n}" errors="0" skipped="0">"#,
            n = here.len()
        )?;
        for l in here {
            let f = &l.finding;
            writeln!(
                out,
                r#"    <testcase name="{}:{}:{} {}" classname="{p}" file="{p}" line="{}">"#,
                p, l.span.line, l.span.column, f.rule, l.span.line
            )?;
            let mut body = format!(
                "{p}:{}:{}: {}: {}",
                l.span.line,
                l.span.column,
                f.severity.as_str(),
                xml_escape(&f.message)
            );
            if let Some(s) = &f.suggestion {
                body.push_str(&format!("\nhelp: {}", xml_escape(s)));
            }
            body.push_str(&format!("\ndocs: {}", xml_escape(&config.docs_url(f.rule))));
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{body}</failure>"#,
                xml_escape(&f.message),
                f.severity.as_str(),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// A unified diff (3 lines of context) of `old` -> `new` for `file`; empty when equal.
pub fn unified_diff(file: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    const CONTEXT: usize = 3;
    let mut out = format!("--- a/{file}\n+++ b/{file}\n");
    // Group ops into hunks: runs of changes with up to 2*CONTEXT equal lines between them.
    let mut i = 0;
    while i < ops.len() {
        if ops[i] == Op::Equal {
            i += 1;
            continue;
        }
        // The previous hunk ended more than CONTEXT equal lines before this change.
        let start = i.saturating_sub(CONTEXT);
        let mut end = i;
        loop {
            while end < ops.len() && ops[end] != Op::Equal {
                end += 1;
            }
            let mut eq = end;
            while eq < ops.len() && ops[eq] == Op::Equal {
                eq += 1;
            }
            if eq < ops.len() && eq - end <= 2 * CONTEXT {
                end = eq;
            } else {
                end = (end + CONTEXT).min(eq).min(ops.len());
                break;
            }
        }
        let (mut ai, mut bi) = positions(&ops[..start]);
        let (a_len, b_len) = positions(&ops[start..end]);
        let a_start = if a_len == 0 { ai } else { ai + 1 };
        let b_start = if b_len == 0 { bi } else { bi + 1 };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range_str(a_start, a_len),
            range_str(b_start, b_len)
        ));
        for op in &ops[start..end] {
            let (tag, line) = match op {
                Op::Equal => {
                    let l = a[ai];
                    ai += 1;
                    bi += 1;
                    (' ', l)
                }
                Op::Delete => {
                    let l = a[ai];
                    ai += 1;
                    ('-', l)
                }
                Op::Insert => {
                    let l = b[bi];
                    bi += 1;
                    ('+', l)
                }
            };
            out.push(tag);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        i = end;
    }
    out
}

fn range_str(start: usize, len: usize) -> String {
    if len == 1 {
        start.to_string()
    } else {
        format!("{start},{len}")
    }
}

/// Lines of a and b consumed by `ops`.
fn positions(ops: &[Op]) -> (usize, usize) {
    ops.iter().fold((0, 0), |(a, b), op| match op {
        Op::Equal => (a + 1, b + 1),
        Op::Delete => (a + 1, b),
        Op::Insert => (a, b + 1),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

/// Myers' O(ND) line diff, after trimming the common prefix and suffix. Deletions come before
/// insertions within a change.
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops = vec![Op::Equal; prefix];
    ops.extend(myers(am, bm));
    ops.extend(std::iter::repeat_n(Op::Equal, suffix));
    ops
}

fn myers(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let off = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'outer: for d in 0..=max as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                trace.push(v.clone());
                break 'outer;
            }
            k += 2;
        }
    }
    // Backtrack from (n, m).
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() - 1).rev() {
        let v = &trace[d];
        let d = d as isize;
        let k = x - y;
        let idx = (k + off) as usize;
        let prev_k = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + off) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        if x == prev_x {
            ops.push(Op::Insert);
        } else {
            ops.push(Op::Delete);
        }
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        ops.push(Op::Equal);
        x -= 1;
        y -= 1;
    }
    ops.reverse();
    // Put deletions before insertions inside each run of changes.
    let mut i = 0;
    while i < ops.len() {
        if ops[i] == Op::Equal {
            i += 1;
            continue;
        }
        let start = i;
        while i < ops.len() && ops[i] != Op::Equal {
            i += 1;
        }
        ops[start..i].sort_by_key(|o| *o == Op::Insert);
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply_ops(a: &[&str], b: &[&str], ops: &[Op]) -> Vec<String> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::Equal => {
                    assert_eq!(a[i], b[j]);
                    out.push(a[i].to_string());
                    i += 1;
                    j += 1;
                }
                Op::Delete => i += 1,
                Op::Insert => {
                    out.push(b[j].to_string());
                    j += 1;
                }
            }
        }
        assert_eq!((i, j), (a.len(), b.len()));
        out
    }

    #[test]
    fn myers_produces_valid_minimal_scripts() {
        let cases: &[(&str, &str)] = &[
            ("abcabba", "cbabac"),
            ("", "abc"),
            ("abc", ""),
            ("abc", "abc"),
            ("axbxc", "ayyc"),
            ("abcdefgh", "abXdefYh"),
        ];
        for (x, y) in cases {
            let a: Vec<&str> = x.split("").filter(|s| !s.is_empty()).collect();
            let b: Vec<&str> = y.split("").filter(|s| !s.is_empty()).collect();
            let ops = diff_lines(&a, &b);
            assert_eq!(
                apply_ops(&a, &b, &ops),
                b.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            );
            let edits = ops.iter().filter(|o| **o != Op::Equal).count();
            if *x == "abcabba" {
                assert_eq!(edits, 5, "Myers' paper example has D = 5");
            }
        }
    }

    #[test]
    fn unified_diff_hunks() {
        let old: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let new = old.replace("l2\n", "").replace("l18\n", "L18\n");
        assert_eq!(
            unified_diff("src/a.rs", &old, &new),
            "--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,5 +1,4 @@\n l1\n-l2\n l3\n l4\n l5\n@@ -15,6 +14,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n"
        );
        assert_eq!(unified_diff("a", "x", "x"), "");
        assert_eq!(
            unified_diff("a", "x\n", "x\ny"),
            "--- a/a\n+++ b/a\n@@ -1 +1,2 @@\n x\n+y\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn github_escaping() {
        assert_eq!(
            github_escape_data("50% a\r\nb: c, d"),
            "50%25 a%0D%0Ab: c, d"
        );
        assert_eq!(github_escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }
}
