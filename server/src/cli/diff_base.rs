//! `check --diff-base REV`: report only findings in code changed since a git revision.
//!
//! The changed lines come from `git diff --unified=0 REV` of the working tree (staged and
//! unstaged changes) plus untracked, not ignored files (all their lines). A finding is kept when
//! its range, or the innermost item it sits in (the function, struct, impl...), touches a changed
//! line: editing a function's body brings back the findings on its signature. The analysis
//! itself always covers the whole workspace; only the reporting is filtered.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::analysis::loader::Analysis;
use crate::analysis::syntax::TextRange;

use super::output::Located;

/// Changed lines per workspace-relative file (1-based, inclusive ranges). `None` for a file
/// means every line (an untracked file).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changes {
    pub(crate) files: HashMap<String, Option<Vec<(u32, u32)>>>,
}

impl Changes {
    /// Whether lines `first..=last` of `file` intersect a change.
    pub(crate) fn touches(&self, file: &str, first: u32, last: u32) -> bool {
        match self.files.get(file) {
            None => false,
            Some(None) => true,
            Some(Some(ranges)) => ranges.iter().any(|&(a, b)| a <= last && first <= b),
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .map_err(|e| format!("--diff-base needs git, which could not be run: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed non-UTF-8 output".to_string())
}

/// Runs git in `root` (the workspace root, which may be a subdirectory of the repository).
pub(super) fn changes(root: &Path, rev: &str) -> Result<Changes, String> {
    if rev.starts_with('-') {
        return Err(format!("--diff-base: `{rev}` is not a revision"));
    }
    git(root, &["rev-parse", "--is-inside-work-tree"]).map_err(|_| {
        format!(
            "--diff-base needs a git repository, and {} is not inside one",
            root.display()
        )
    })?;
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("--diff-base: `{rev}` is not a commit in this repository"))?;
    // `--relative`: paths relative to (and limited to) the workspace root.
    let diff = git(
        root,
        &[
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--relative",
            "--no-renames",
            rev,
            "--",
        ],
    )?;
    let mut changes = parse_diff(&diff);
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard"])?;
    for f in untracked.lines().filter(|l| !l.is_empty()) {
        changes.files.insert(f.to_string(), None);
    }
    Ok(changes)
}

/// Parses `git diff --unified=0` output: the new-side line ranges of each hunk. A pure
/// deletion marks the lines on both sides of the gap.
fn parse_diff(diff: &str) -> Changes {
    let mut changes = Changes::default();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = match path {
                "/dev/null" => None,
                p => Some(unquote(p.strip_prefix("b/").unwrap_or(p))),
            };
            if let Some(f) = &current {
                changes
                    .files
                    .entry(f.clone())
                    .or_insert_with(|| Some(Vec::new()));
            }
        } else if let (Some(hunk), Some(f)) = (line.strip_prefix("@@ "), &current) {
            // `@@ -a,b +c,d @@ context`
            let Some(new) = hunk.split_whitespace().find(|p| p.starts_with('+')) else {
                continue;
            };
            let mut it = new[1..].splitn(2, ',');
            let start: u32 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let count: u32 = it.next().and_then(|s| s.parse().ok()).unwrap_or(1);
            let range = if count == 0 {
                (start.max(1), start + 1)
            } else {
                (start, start + count - 1)
            };
            if let Some(Some(v)) = changes.files.get_mut(f) {
                v.push(range);
            }
        }
    }
    changes
}

/// Git quotes paths with unusual characters as C strings (`"a\tb.rs"`).
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return p.to_string();
    };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = chars.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        chars.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(o) => bytes.push(o),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Parallel to `located`: whether each finding touches the changes.
pub(super) fn filter(analysis: &Analysis, located: &[Located], changes: &Changes) -> Vec<bool> {
    located
        .iter()
        .map(|l| {
            if changes.touches(&l.file, l.span.line, l.span.end_line) {
                return true;
            }
            let Some(file) = analysis.workspace.file(&l.file) else {
                return false;
            };
            let s = &file.summary;
            let Some(index) = s.line_index.as_ref() else {
                return false;
            };
            innermost_item(
                &s.items.iter().map(|i| i.range).collect::<Vec<_>>(),
                l.finding.range,
            )
            .is_some_and(|r| {
                let first = index.line_of(r.start()) + 1;
                let last = index.line_of(r.end()) + 1;
                changes.touches(&l.file, first, last)
            })
        })
        .collect()
}

/// The smallest of `items` containing `range`.
fn innermost_item(items: &[TextRange], range: TextRange) -> Option<TextRange> {
    items
        .iter()
        .copied()
        .filter(|r| r.contains_range(range))
        .min_by_key(|r| r.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hunks_deletions_new_and_deleted_files() {
        let diff = "\
diff --git a/src/a.rs b/src/a.rs
index 1..2 100644
--- a/src/a.rs
+++ b/src/a.rs
@@ -3 +3 @@ fn a() {
-x
+y
@@ -10,2 +11,3 @@
+1
+2
+3
@@ -20,4 +22,0 @@
diff --git a/gone.rs b/gone.rs
--- a/gone.rs
+++ /dev/null
@@ -1,3 +0,0 @@
diff --git a/new.rs b/new.rs
--- /dev/null
+++ b/new.rs
@@ -0,0 +1,2 @@
+a
+b
--- a/\"sp ace\\303\\251.rs\"
+++ b/\"sp ace\\303\\251.rs\"
@@ -1 +1 @@
";
        let c = parse_diff(diff);
        assert_eq!(c.files["src/a.rs"], Some(vec![(3, 3), (11, 13), (22, 23)]));
        assert_eq!(c.files["new.rs"], Some(vec![(1, 2)]));
        assert_eq!(c.files["sp aceé.rs"], Some(vec![(1, 1)]));
        assert!(!c.files.contains_key("gone.rs"));
        assert!(c.touches("src/a.rs", 1, 3));
        assert!(!c.touches("src/a.rs", 4, 10));
        assert!(c.touches("src/a.rs", 23, 30));
        assert!(!c.touches("other.rs", 1, 100));
    }

    #[test]
    fn innermost_item_prefers_the_smallest() {
        let r = |a: u32, b: u32| TextRange::new(a.into(), b.into());
        let items = [r(0, 100), r(10, 50), r(60, 90)];
        assert_eq!(innermost_item(&items, r(12, 14)), Some(r(10, 50)));
        assert_eq!(innermost_item(&items, r(55, 56)), Some(r(0, 100)));
        assert_eq!(innermost_item(&items, r(99, 120)), None);
    }
}
