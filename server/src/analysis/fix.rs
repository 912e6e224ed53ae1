//! Applying fixes to text.

use super::rule::{Applicability, Finding, Fix, TextEdit};
use super::syntax::TextRange;

/// Applies the fixes of `findings` that `allow` accepts, skipping any fix whose edits overlap
/// an edit already taken (the next `--fix` run picks it up). Returns the new text and the
/// findings whose fix was applied.
pub fn apply<'a>(
    text: &str,
    findings: &'a [Finding],
    unsafe_too: bool,
) -> (String, Vec<&'a Finding>) {
    let mut taken: Vec<&TextEdit> = Vec::new();
    let mut applied = Vec::new();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if fix.applicability == Applicability::Unsafe && !unsafe_too {
            continue;
        }
        if !edits_valid(text, fix) {
            continue;
        }
        if fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(t.range, e.range)))
        {
            continue;
        }
        taken.extend(fix.edits.iter());
        applied.push(f);
    }
    (
        apply_edits(text, taken.into_iter().cloned().collect()),
        applied,
    )
}

/// Applies non-overlapping edits.
pub fn apply_edits(text: &str, mut edits: Vec<TextEdit>) -> String {
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for e in edits {
        let start = u32::from(e.range.start()) as usize;
        let end = u32::from(e.range.end()) as usize;
        out.push_str(&text[pos..start]);
        out.push_str(&e.new_text);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Edits are inside the text, on char boundaries, and do not overlap each other.
pub fn edits_valid(text: &str, fix: &Fix) -> bool {
    let len = text.len();
    for (i, e) in fix.edits.iter().enumerate() {
        let (s, t) = (
            u32::from(e.range.start()) as usize,
            u32::from(e.range.end()) as usize,
        );
        if t > len || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return false;
        }
        if fix.edits[..i].iter().any(|o| overlaps(o.range, e.range)) {
            return false;
        }
    }
    true
}

/// Two ranges overlap, or are both insertions at the same point (order would be ambiguous).
fn overlaps(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start() == b.start();
    }
    a.start() < b.end() && b.start() < a.end()
}
