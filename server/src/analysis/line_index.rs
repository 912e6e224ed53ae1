//! Offsets <-> line/column conversions in the three encodings people use: characters (our
//! JSON/human output), UTF-16 (LSP default) and UTF-8 bytes (LSP `utf-8` position encoding).

use super::syntax::{TextRange, TextSize};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnEncoding {
    /// Unicode scalar values (what `check --format json` reports, 0-based here).
    Chars,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Bytes (LSP `utf-8`).
    Utf8,
}

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
    len: u32,
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
        starts.push(0u32);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
        LineIndex {
            starts,
            len: text.len() as u32,
            ascii: text.is_ascii(),
        }
    }

    /// Updates the index for one edit: `delete` (a range of the old text) replaced by
    /// `insert`, giving `text`. Same result as `LineIndex::new(text)`, without reading the
    /// whole text again when it is ASCII (the server runs this on every change).
    pub fn edit(&mut self, delete: TextRange, insert: &str, text: &str) {
        let (s, e) = (u32::from(delete.start()), u32::from(delete.end()));
        // The lines that started inside the deleted text (after one of its `\n`s).
        let from = self.starts.partition_point(|&x| x <= s);
        let to = self.starts.partition_point(|&x| x <= e);
        let added: Vec<u32> = memchr::memchr_iter(b'\n', insert.as_bytes())
            .map(|i| s + i as u32 + 1)
            .collect();
        let n = added.len();
        self.starts.splice(from..to, added);
        let grown = insert.len() as u32;
        let removed = e - s;
        for x in &mut self.starts[from + n..] {
            *x = *x - removed + grown;
        }
        self.len = text.len() as u32;
        self.ascii = if self.ascii {
            insert.is_ascii()
        } else {
            text.is_ascii()
        };
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Bytes of its line table on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * std::mem::size_of::<u32>()
    }

    /// Byte offset of the start of `line` (0-based), clamped to the text.
    pub fn line_start(&self, line: u32) -> TextSize {
        TextSize::from(*self.starts.get(line as usize).unwrap_or(&self.len))
    }

    /// The byte range of `line` without its line terminator.
    pub fn line_range(&self, text: &str, line: u32) -> TextRange {
        let start = self.line_start(line);
        let end = self.starts.get(line as usize + 1).map_or(self.len, |&e| e);
        let mut end = end as usize;
        let bytes = text.as_bytes();
        while end > u32::from(start) as usize && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        TextRange::new(start, TextSize::from(end as u32))
    }

    /// The line containing byte `offset` (0-based).
    pub fn line_of(&self, offset: TextSize) -> u32 {
        let off = u32::from(offset);
        match self.starts.binary_search(&off) {
            Ok(l) => l as u32,
            Err(l) => l as u32 - 1,
        }
    }

    /// Converts a byte offset into a line and column in `enc`. Offsets inside a character
    /// are rounded down to its start.
    pub fn line_col(&self, text: &str, offset: TextSize, enc: ColumnEncoding) -> LineCol {
        let off = u32::from(offset).min(self.len);
        let line = self.line_of(TextSize::from(off));
        let start = self.starts[line as usize] as usize;
        let mut end = off as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let slice = &text[start..end];
        let col = if self.ascii {
            slice.len()
        } else {
            match enc {
                ColumnEncoding::Utf8 => slice.len(),
                ColumnEncoding::Chars => slice.chars().count(),
                ColumnEncoding::Utf16 => slice.chars().map(char::len_utf16).sum(),
            }
        };
        LineCol {
            line,
            col: col as u32,
        }
    }

    /// Converts a line and column in `enc` into a byte offset. Positions past the end of a
    /// line clamp to its end (as the LSP spec asks); lines past the end clamp to the text's end.
    pub fn offset(&self, text: &str, pos: LineCol, enc: ColumnEncoding) -> TextSize {
        if pos.line as usize >= self.starts.len() {
            return TextSize::from(self.len);
        }
        let range = self.line_range(text, pos.line);
        let line_text = &text[range];
        let mut col = 0u32;
        for (i, c) in line_text.char_indices() {
            if col >= pos.col {
                return range.start() + TextSize::from(i as u32);
            }
            col += match enc {
                ColumnEncoding::Utf8 => c.len_utf8() as u32,
                ColumnEncoding::Chars => 1,
                ColumnEncoding::Utf16 => c.len_utf16() as u32,
            };
        }
        range.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Edits that add, remove and keep line breaks, in ASCII and non-ASCII text: the updated
    /// index is the one built from the new text.
    #[test]
    fn edit_gives_the_index_of_the_new_text() {
        let mut text = String::from("fn a() {\n    x\n}\n\nfn b() {}\n");
        let mut idx = LineIndex::new(&text);
        let inserts = ["", " ", "\n", "a\nb\n", "é", "\r\n", "日本\n語"];
        let mut seed = 0x1234_5678_u32;
        for i in 0..400 {
            let at = crate::analysis::fixture::random_offset(
                &text,
                crate::analysis::fixture::next_random(&mut seed),
            );
            let mut end = (at + (seed as usize >> 8) % 4).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let insert = inserts[i % inserts.len()];
            text.replace_range(at..end, insert);
            let delete = TextRange::new((at as u32).into(), (end as u32).into());
            idx.edit(delete, insert, &text);
            let fresh = LineIndex::new(&text);
            assert_eq!(
                (&idx.starts, idx.len, idx.ascii),
                (&fresh.starts, fresh.len, fresh.ascii),
                "edit {i}: {delete:?} {insert:?}"
            );
        }
    }

    #[test]
    fn round_trips_non_ascii() {
        let text = "a😀b\nçé x\n日本語\n";
        let idx = LineIndex::new(text);
        let off = TextSize::from(text.find('b').unwrap() as u32);
        assert_eq!(
            idx.line_col(text, off, ColumnEncoding::Chars),
            LineCol { line: 0, col: 2 }
        );
        assert_eq!(
            idx.line_col(text, off, ColumnEncoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.line_col(text, off, ColumnEncoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        for enc in [
            ColumnEncoding::Chars,
            ColumnEncoding::Utf16,
            ColumnEncoding::Utf8,
        ] {
            let lc = idx.line_col(text, off, enc);
            assert_eq!(idx.offset(text, lc, enc), off);
        }
        let x = TextSize::from(text.find('x').unwrap() as u32);
        assert_eq!(
            idx.line_col(text, x, ColumnEncoding::Chars),
            LineCol { line: 1, col: 3 }
        );
        let go = TextSize::from(text.find('語').unwrap() as u32);
        assert_eq!(
            idx.line_col(text, go, ColumnEncoding::Utf16),
            LineCol { line: 2, col: 2 }
        );
        // Past the end of a line clamps to the line end.
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 99 }, ColumnEncoding::Utf16),
            TextSize::from(text.find("x\n").unwrap() as u32 + 1)
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 99, col: 0 }, ColumnEncoding::Utf16),
            TextSize::of(text)
        );
    }
}
