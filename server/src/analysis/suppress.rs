//! `// boundary: allow(rule-id, ...)` comments.
//!
//! A comment alone on its line applies to the next line that is not a comment or an attribute;
//! a comment at the end of a line applies to that line; `//! boundary: allow(..)` applies to the
//! whole file.

use super::line_index::LineIndex;
use super::syntax::{
    first_token_len, Edition, SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize,
};

/// What a suppression comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A 0-based line.
    Line(u32),
    File,
}

/// One rule id named in a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedId {
    pub id: String,
    /// The id's range in the file.
    pub range: TextRange,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub scope: Scope,
    pub ids: Vec<SuppressedId>,
    /// The comment token's range.
    pub comment: TextRange,
    /// The comment is alone on its line (so removing it removes the line).
    pub standalone: bool,
    /// Where the whitespace between the code and a trailing comment starts (for a standalone
    /// comment, the start of its line).
    pub gap_start: TextSize,
    /// What removing the whole comment deletes: its line when it is alone on it, else the
    /// comment and the whitespace before it. `None` when the code before it would lex
    /// differently without it (`'::// boundary: ...` + a line starting with `'`: the
    /// unterminated char literal `'::` stops at `/`, and without the comment runs on to the
    /// next line's `'`; found by tests/e2e/fuzz.rs).
    pub removal: Option<TextRange>,
}

const MARKER: &str = "boundary:";

/// Finds every suppression comment of a file.
pub fn collect(
    root: &SyntaxNode,
    text: &str,
    index: &LineIndex,
    edition: Edition,
) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Every suppression comment holds the marker: only the tokens where it occurs are read (a
    // walk over every token was 14% of `check`; most files have no marker, and in the others
    // it is mostly prose: "word boundary: ..."). In text order, each token once.
    let mut read_up_to = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), MARKER) {
        if at < read_up_to {
            continue; // in the token just read
        }
        let marker = TextRange::at(
            TextSize::from(at as u32),
            TextSize::from(MARKER.len() as u32),
        );
        if marker.end() > root.text_range().end() {
            break; // `text` is not the tree's text: nothing past the tree to read
        }
        let Some(tok) = root.covering_element(marker).into_token() else {
            continue;
        };
        read_up_to = usize::from(tok.text_range().end());
        if tok.kind() != SyntaxKind::COMMENT {
            continue;
        }
        out.extend(read_comment(&tok, text, index, edition));
    }
    out
}

/// The suppression a comment token holds, if any.
fn read_comment(
    tok: &SyntaxToken,
    text: &str,
    index: &LineIndex,
    edition: Edition,
) -> Option<Suppression> {
    let t = tok.text();
    let (file_level, body) = if let Some(b) = t.strip_prefix("//!") {
        (true, b)
    } else if let Some(b) = t.strip_prefix("//") {
        if b.starts_with('/') {
            return None; // doc comment
        }
        (false, b)
    } else {
        return None;
    };
    let trimmed = body.trim_start();
    let rest = trimmed.strip_prefix(MARKER)?;
    let rest_trim = rest.trim_start();
    let args = rest_trim.strip_prefix("allow")?;
    let args_trim = args.trim_start();
    let inner = args_trim.strip_prefix('(')?;
    let close = inner.find(')')?;
    let inner = &inner[..close];
    // Byte offset of `inner` inside the token text.
    let inner_off = t.len() - body.len()
        + (body.len() - trimmed.len())
        + MARKER.len()
        + (rest.len() - rest_trim.len())
        + "allow".len()
        + (args.len() - args_trim.len())
        + 1;
    let base = u32::from(tok.text_range().start()) + inner_off as u32;
    let mut ids = Vec::new();
    let mut pos = 0usize;
    for part in inner.split(',') {
        let lead = part.len() - part.trim_start().len();
        let id = part.trim();
        if !id.is_empty() {
            let start = base + (pos + lead) as u32;
            ids.push(SuppressedId {
                id: id.to_string(),
                range: TextRange::at(TextSize::from(start), TextSize::from(id.len() as u32)),
            });
        }
        pos += part.len() + 1;
    }
    let start = tok.text_range().start();
    let line = index.line_of(start);
    let line_start = u32::from(index.line_start(line)) as usize;
    let before = &text[line_start..u32::from(start) as usize];
    let standalone = before.trim().is_empty();
    let gap_start = TextSize::from((line_start + before.trim_end().len()) as u32);
    let scope = if file_level {
        Scope::File
    } else if standalone {
        Scope::Line(next_code_line(text, index, line))
    } else {
        Scope::Line(line)
    };
    let removal = if standalone {
        let end = index.line_start(line + 1).max(tok.text_range().end());
        TextRange::new(index.line_start(line), end)
    } else {
        TextRange::new(gap_start.min(start), tok.text_range().end())
    };
    Some(Suppression {
        scope,
        ids,
        comment: tok.text_range(),
        standalone,
        gap_start,
        removal: keeps_tokens(tok, text, removal, edition).then_some(removal),
    })
}

/// `true` when deleting `removal` (around the comment `tok`) leaves the last token before it
/// as it is: lexed again followed by what comes after the deletion, it ends where it ended.
fn keeps_tokens(tok: &SyntaxToken, text: &str, removal: TextRange, edition: Edition) -> bool {
    let mut prev = tok.prev_token();
    while let Some(p) = &prev {
        if p.kind() != SyntaxKind::WHITESPACE {
            if p.text_range().end() > removal.start() {
                // The removal cuts into it (`'::pub // ...`: the char literal holds the space).
                return false;
            }
            break;
        }
        prev = p.prev_token();
    }
    let Some(prev) = prev else {
        return true; // nothing before the comment
    };
    let start = usize::from(prev.text_range().start());
    let after = usize::from(removal.end());
    // A token that stopped at the comment can only run on a little way (a char literal, to
    // the next line's `'`); a longer run reads as a change too.
    let mut end = (after + 1024).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let joined = format!(
        "{}{}",
        &text[start..usize::from(removal.start())],
        &text[after..end]
    );
    first_token_len(&joined, edition) == prev.text().len()
}

/// The first line after `line` that is not blank, a comment or an attribute.
fn next_code_line(text: &str, index: &LineIndex, line: u32) -> u32 {
    let mut l = line + 1;
    while (l as usize) < index.line_count() {
        let t = text[index.line_range(text, l)].trim_start();
        if !(t.starts_with("//") || t.starts_with("#[") || t.starts_with("#![")) {
            break;
        }
        l += 1;
    }
    l
}

impl Suppression {
    /// `true` when this comment suppresses `rule` for a finding starting on `line`.
    pub fn covers(&self, rule: &str, line: u32) -> bool {
        let in_scope = match self.scope {
            Scope::File => true,
            Scope::Line(l) => l == line,
        };
        in_scope && self.ids.iter().any(|i| i.id == rule)
    }
}
