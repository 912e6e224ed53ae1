//! rust-analyzer-style annotated fixtures for rule tests.
//!
//! ```text
//! static mut COUNTER: u32 = 0;
//!            //^^^^^^^ warning: ...
//! ```
//! An annotation line is `//` followed by carets under the range on the line above (columns
//! count from the start of the line, so the `//` itself must sit left of the carets), then
//! `severity: message`. Several files: `//- /path/to/file.rs` headers (a `Cargo.toml` of a
//! package named `fixture` is made when the fixture has none). `$0` marks a cursor for fixes.

use std::path::Path;

use super::config::Config;
use super::engine::{Engine, Selection};
use super::loader::{self, Analysis};
use super::rule::Finding;

/// Files of a fixture, `(relative path, text)`, and the cursor `(file, offset)` if any.
/// `(relative path, text)` of each file, and the cursor `(file, offset)` if any.
type FixtureFiles = (Vec<(String, String)>, Option<(String, usize)>);

pub fn parse_fixture(fixture: &str) -> FixtureFiles {
    let fixture = trim_indent(fixture);
    let mut files: Vec<(String, String)> = Vec::new();
    if !fixture.trim_start().starts_with("//- ") {
        files.push(("src/lib.rs".into(), fixture.clone()));
    } else {
        for line in fixture.split_inclusive('\n') {
            if let Some(path) = line.strip_prefix("//- ") {
                files.push((
                    path.trim().trim_start_matches('/').to_string(),
                    String::new(),
                ));
            } else if let Some(last) = files.last_mut() {
                last.1.push_str(line);
            }
        }
    }
    let mut cursor = None;
    for (path, text) in &mut files {
        if let Some(i) = text.find("$0") {
            text.replace_range(i..i + 2, "");
            cursor = Some((path.clone(), i));
        }
    }
    if !files.iter().any(|(p, _)| p.ends_with("Cargo.toml"))
        && files.iter().any(|(p, _)| p.starts_with("src/"))
    {
        files.push((
            "Cargo.toml".into(),
            "[package]\nname = \"fixture\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".into(),
        ));
    }
    (files, cursor)
}

fn trim_indent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes the fixture to a temporary directory and analyses it with only `rule` enabled (plus
/// the config given).
///
/// Also checks the prefilter contract on the fixture: the same analysis without the rules'
/// prefilters (every node of a rule's kinds passed to `check_node`) gives the same findings
/// (fixes included) and the same file summaries (facts included).
pub fn analyse(
    rule: &str,
    config: &str,
    files: &[(String, String)],
) -> (tempfile::TempDir, Analysis) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let root = dir.path().canonicalize().unwrap();
    let cfg = std::sync::Arc::new(
        Config::parse(config, Path::new("boundary.toml"), &super::rules::metas())
            .expect("fixture config"),
    );
    let sel = Selection {
        select: rule.split(',').map(str::to_string).collect(),
        ignore: vec![],
    };
    let analysis = loader::analyse_path(&root, &Engine::new(cfg.clone(), &sel));
    let unfiltered = loader::analyse_path(&root, &Engine::new(cfg, &sel).without_shortcuts());
    assert_eq!(
        analysis.findings, unfiltered.findings,
        "a prefilter of `{rule}` turned away a node its check_node reports on"
    );
    for (a, b) in analysis
        .workspace
        .files
        .iter()
        .zip(&unfiltered.workspace.files)
    {
        assert!(
            a.summary == b.summary,
            "a prefilter of `{rule}` turned away a node its check_node records facts for ({})",
            a.meta.rel_path
        );
    }
    (dir, analysis)
}

#[derive(Debug, PartialEq, Eq, Clone, PartialOrd, Ord)]
struct Annotation {
    file: String,
    line: u32,
    start_col: u32,
    end_col: u32,
    text: String,
}

fn annotations(files: &[(String, String)]) -> Vec<Annotation> {
    let mut out = Vec::new();
    for (path, text) in files {
        let lines: Vec<&str> = text.lines().collect();
        let mut target: Option<u32> = None;
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let is_ann = t.starts_with("//") && t[2..].trim_start().starts_with('^');
            if !is_ann {
                target = Some(i as u32);
                continue;
            }
            let Some(line_no) = target else { continue };
            let chars: Vec<char> = line.chars().collect();
            let start = chars.iter().position(|&c| c == '^').unwrap();
            let end = start + chars[start..].iter().take_while(|&&c| c == '^').count();
            let rest: String = chars[end..].iter().collect();
            out.push(Annotation {
                file: path.clone(),
                line: line_no,
                start_col: start as u32,
                end_col: end as u32,
                text: rest.trim().to_string(),
            });
        }
    }
    out.sort();
    out
}

fn actual(analysis: &Analysis) -> Vec<Annotation> {
    let mut out = Vec::new();
    for (path, findings) in &analysis.findings {
        let text = std::fs::read_to_string(analysis.root.join(path)).unwrap();
        // Findings can also be in files that are not Rust sources (`Cargo.toml`).
        let own_index;
        let idx = match analysis.workspace.file(path) {
            Some(file) => file.summary.line_index.as_ref().unwrap(),
            None => {
                own_index = super::line_index::LineIndex::new(&text);
                &own_index
            }
        };
        for f in findings {
            let s = idx.line_col(
                &text,
                f.range.start(),
                super::line_index::ColumnEncoding::Chars,
            );
            let e = idx.line_col(
                &text,
                f.range.end(),
                super::line_index::ColumnEncoding::Chars,
            );
            let end_col = if e.line == s.line {
                e.col
            } else {
                text[idx.line_range(&text, s.line)].chars().count() as u32
            };
            out.push(Annotation {
                file: path.clone(),
                line: s.line,
                start_col: s.col,
                end_col,
                text: format!("{}: {}", f.severity.as_str(), f.message),
            });
        }
    }
    out.sort();
    out
}

fn render(anns: &[Annotation]) -> String {
    anns.iter()
        .map(|a| {
            format!(
                "{}:{}:{}-{} {}",
                a.file,
                a.line + 1,
                a.start_col + 1,
                a.end_col + 1,
                a.text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks that `rule` reports exactly the annotated findings.
#[track_caller]
pub fn check(rule: &str, fixture: &str) {
    check_with_config(rule, "", fixture)
}

/// Same as [`check`] with a `boundary.toml`.
#[track_caller]
pub fn check_with_config(rule: &str, config: &str, fixture: &str) {
    let (files, _) = parse_fixture(fixture);
    let (_dir, analysis) = analyse(rule, config, &files);
    let want = annotations(&files);
    let got = actual(&analysis);
    assert!(
        want == got,
        "findings differ\n--- expected\n{}\n--- actual\n{}\n",
        render(&want),
        render(&got)
    );
}

fn finding_at_cursor<'a>(analysis: &'a Analysis, file: &str, offset: usize) -> Option<&'a Finding> {
    let (_, findings) = analysis.findings.iter().find(|(p, _)| p == file)?;
    let off = super::syntax::TextSize::from(offset as u32);
    findings
        .iter()
        .find(|f| f.range.contains_inclusive(off) && f.fix.is_some())
}

/// Applies the fix of the finding under `$0` and compares the file with `after`.
#[track_caller]
pub fn check_fix(rule: &str, before: &str, after: &str) {
    check_fix_with_config(rule, "", before, after)
}

#[track_caller]
pub fn check_fix_with_config(rule: &str, config: &str, before: &str, after: &str) {
    let (files, cursor) = parse_fixture(before);
    let (file, offset) = cursor.expect("check_fix needs a $0 cursor");
    let (_dir, analysis) = analyse(rule, config, &files);
    let f = finding_at_cursor(&analysis, &file, offset).unwrap_or_else(|| {
        panic!(
            "no fixable `{rule}` finding at the cursor; findings: {:#?}",
            analysis.findings
        )
    });
    let text = files.iter().find(|(p, _)| *p == file).unwrap().1.clone();
    let fixed = super::fix::apply_edits(&text, f.fix.as_ref().unwrap().edits.clone());
    let want = trim_indent(after);
    assert!(
        fixed == want,
        "fixed text differs\n--- expected\n{want}\n--- actual\n{fixed}\n"
    );
}

/// The applicability of the fix under `$0`.
#[track_caller]
pub fn fix_applicability(rule: &str, before: &str) -> super::rule::Applicability {
    let (files, cursor) = parse_fixture(before);
    let (file, offset) = cursor.expect("needs a $0 cursor");
    let (_dir, analysis) = analyse(rule, "", &files);
    finding_at_cursor(&analysis, &file, offset)
        .expect("no fixable finding at the cursor")
        .fix
        .as_ref()
        .unwrap()
        .applicability
}

/// Asserts that no finding under `$0` offers a fix.
#[track_caller]
pub fn check_no_fix(rule: &str, fixture: &str) {
    let (files, cursor) = parse_fixture(fixture);
    let (file, offset) = cursor.expect("check_no_fix needs a $0 cursor");
    let (_dir, analysis) = analyse(rule, "", &files);
    assert!(
        finding_at_cursor(&analysis, &file, offset).is_none(),
        "a fix is offered at the cursor"
    );
}

/// Random edits for tests: the next value of a xorshift32 sequence (`seed` advances), and a
/// byte offset of `text` drawn from it, moved back to a char boundary.
pub(crate) fn next_random(seed: &mut u32) -> u32 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    *seed
}

pub(crate) fn random_offset(text: &str, seed: u32) -> usize {
    let mut at = seed as usize % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
