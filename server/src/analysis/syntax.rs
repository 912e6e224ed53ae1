//! The one place that touches `ra_ap_syntax` directly for parsing.
//!
//! `ra_ap_syntax` 0.0.x breaks its API often; rules use the re-exported AST types from here, and
//! parsing, editions and reparsing go through these functions, so a version bump touches this file.

use crate::memory::Discardable;
pub use ra_ap_syntax::{
    ast, ast::HasAttrs, ast::HasModuleItem, ast::HasName, ast::HasVisibility, match_ast, AstNode,
    AstToken, Direction, NodeOrToken, SmolStr, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken,
    TextRange, TextSize, WalkEvent, T,
};

/// A Rust edition, as written in a crate's `Cargo.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Edition {
    E2015,
    E2018,
    #[default]
    E2021,
    E2024,
}

impl Edition {
    /// Parses `"2015"`, `"2018"`, `"2021"`, `"2024"`.
    pub fn parse(s: &str) -> Option<Edition> {
        Some(match s {
            "2015" => Edition::E2015,
            "2018" => Edition::E2018,
            "2021" => Edition::E2021,
            "2024" => Edition::E2024,
            _ => return None,
        })
    }

    fn to_ra(self) -> ra_ap_syntax::Edition {
        match self {
            Edition::E2015 => ra_ap_syntax::Edition::Edition2015,
            Edition::E2018 => ra_ap_syntax::Edition::Edition2018,
            Edition::E2021 => ra_ap_syntax::Edition::Edition2021,
            Edition::E2024 => ra_ap_syntax::Edition::Edition2024,
        }
    }
}

/// A parsed file: the (error-tolerant) tree plus the number of syntax errors.
#[derive(Clone)]
pub struct Parsed {
    /// The tree's root.
    green: ra_ap_syntax::GreenNode,
    /// The parser's result when the tree comes from a full parse (for its errors); `None`
    /// after an incremental reparse.
    full: Option<ra_ap_syntax::Parse<ast::SourceFile>>,
    edition: Edition,
    /// Whether the tree has no ERROR node (computed on the first reparse, then carried over).
    error_free: std::sync::OnceLock<bool>,
}

impl Parsed {
    fn syntax_node(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    pub fn tree(&self) -> ast::SourceFile {
        ast::SourceFile::cast(self.syntax_node()).expect("the root of a parse is a SOURCE_FILE")
    }

    /// The number of syntax errors (the parser's, the lexer's and `ra_ap_syntax`'s
    /// validation). After an incremental reparse, counted on a full parse of the text.
    pub fn error_count(&self) -> usize {
        match &self.full {
            Some(p) => p.errors().len(),
            None => parse(&self.syntax_node().text().to_string(), self.edition).error_count(),
        }
    }

    pub fn edition(&self) -> Edition {
        self.edition
    }

    fn error_free(&self) -> bool {
        *self
            .error_free
            .get_or_init(|| !has_error_nodes(&self.syntax_node()))
    }

    /// Applies one edit, reparsing incrementally where `ra_ap_syntax` can (a single token or
    /// a block), else fully. A range past the end or inside a character is clamped to the text.
    ///
    /// Builds the edited text from the tree (a walk over the whole file): a caller that has
    /// the text uses [`Parsed::reparse_to`].
    pub fn reparse(&self, delete: TextRange, insert: &str) -> Parsed {
        let mut expected = self.syntax_node().text().to_string();
        let end = floor_char_boundary(&expected, usize::from(delete.end()));
        let start = floor_char_boundary(&expected, usize::from(delete.start()).min(end));
        expected.replace_range(start..end, insert);
        let delete = TextRange::new((start as u32).into(), (end as u32).into());
        self.reparse_to(delete, insert, &expected)
    }

    /// [`Parsed::reparse`] for a caller that knows the edited text: `delete` must be a range of
    /// this tree's text on character boundaries and `expected` that text with `delete` replaced
    /// by `insert`.
    ///
    /// The incremental result is checked against `expected` and replaced by a full parse when
    /// they differ: `ra_ap_syntax`'s block reparse loses text when the edit is inside a `use`
    /// tree's braces (`use a::{b, c};` + `pub use ` after `{` gives `use a::{pub ;`), found by
    /// `tests/e2e/fuzz.rs`. The check costs what changed, not the file: subtrees the new tree
    /// shares with the old one (same green node) are only checked for their place.
    pub fn reparse_to(&self, delete: TextRange, insert: &str, expected: &str) -> Parsed {
        // Error recovery makes an incremental reparse of broken code disagree with a full
        // parse of the same text (found by tests/e2e/fuzz.rs), and `check` must see what the
        // server sees: reparse incrementally only error-free code, and check the text.
        let old = self.syntax_node();
        let end = usize::from(old.text_range().end());
        let consistent = u32::from(delete.end()) as usize <= end
            && expected.len() + usize::from(delete.len()) == end + insert.len();
        if !consistent || !self.error_free() || self.edit_moves_trivia(delete, insert) {
            return parse(expected, self.edition);
        }
        // `ra_ap_syntax`'s own strategies (`Parse::reparse`: one token, else the nearest
        // block, else the whole file), without its O(offset) walk (see `reparse_token`).
        let edition = self.edition.to_ra();
        let Some(green) = reparse_token(&old, delete, insert, edition)
            .or_else(|| reparse_block(&old, delete, insert, edition))
        else {
            return parse(expected, self.edition);
        };
        let new = SyntaxNode::new_root(green.clone());
        let edit = Edit {
            delete,
            inserted: insert.len() as u32,
            expected,
        };
        if usize::from(new.text_range().end()) == expected.len()
            && edit.check(&NodeOrToken::Node(old), &NodeOrToken::Node(new))
        {
            Parsed {
                green,
                full: None,
                edition: self.edition,
                error_free: std::sync::OnceLock::from(true),
            }
        } else {
            parse(expected, self.edition)
        }
    }
}

impl Parsed {
    /// `true` when the edit stays inside one comment or whitespace token (which
    /// `ra_ap_syntax` relexes in place, keeping the tree's shape) but changes what a full parse
    /// attaches to the next item: a full parse puts the comments just before an item inside
    /// the item's node, except inner doc comments (`//!`, `/*!`) and comments before a blank
    /// line (unless an outer doc comment follows it). Found by tests/e2e/fuzz.rs: deleting the
    /// `!` of `//! it with the types...` before `pub mod conn;` (hyper's `server/mod.rs`) left
    /// the now plain comment outside the `MODULE` node. The classes below are the ones
    /// `ra_ap_parser` (shortcuts.rs, `n_attached_trivias`) looks at.
    fn edit_moves_trivia(&self, delete: TextRange, insert: &str) -> bool {
        let NodeOrToken::Token(tok) = self.syntax_node().covering_element(delete) else {
            return false;
        };
        let kind = tok.kind();
        let comment = kind == SyntaxKind::COMMENT;
        // A blank line only matters after a comment.
        let after_comment = || {
            tok.prev_token()
                .is_some_and(|p| p.kind() == SyntaxKind::COMMENT)
        };
        if !(comment || kind == SyntaxKind::WHITESPACE && after_comment()) {
            return false;
        }
        let start = tok.text_range().start();
        let old = tok.text();
        let (from, to) = (
            usize::from(delete.start() - start),
            usize::from(delete.end() - start),
        );
        let new = format!("{}{insert}{}", &old[..from], &old[to..]);
        let class = |t: &str| {
            if comment {
                let outer = (t.starts_with("///") || t.starts_with("/**"))
                    && !t.starts_with("////")
                    && !t.starts_with("/***");
                (t.starts_with("//!") || t.starts_with("/*!"), outer)
            } else {
                (t.contains("\n\n"), false)
            }
        };
        class(old) != class(&new)
    }
}

/// `ra_ap_syntax`'s single-token reparse (`parsing/reparsing.rs`, `reparse_token`): an edit
/// inside one identifier, string, comment or whitespace token that relexes as one token of
/// the same kind replaces that token. Same result, but the character after the token comes
/// from the next token instead of `root.text().char_at(..)`, which walks every token from the
/// start of the file (1-3 ms per edit in the middle of a 5k-20k-line file, `docs/benchmarks.md`).
fn reparse_token(
    root: &SyntaxNode,
    delete: TextRange,
    insert: &str,
    edition: ra_ap_syntax::Edition,
) -> Option<ra_ap_syntax::GreenNode> {
    let prev = root.covering_element(delete).as_token()?.clone();
    let kind = prev.kind();
    if !matches!(
        kind,
        SyntaxKind::WHITESPACE
            | SyntaxKind::COMMENT
            | SyntaxKind::IDENT
            | SyntaxKind::STRING
            | SyntaxKind::BYTE_STRING
            | SyntaxKind::C_STRING
    ) {
        return None;
    }
    let start = prev.text_range().start();
    let local = delete - start;
    let (from, to) = (usize::from(local.start()), usize::from(local.end()));
    if matches!(kind, SyntaxKind::WHITESPACE | SyntaxKind::COMMENT)
        && prev.text()[from..to].contains('\n')
    {
        // Removing a line break may extend the token before.
        return None;
    }
    let mut new_text = prev.text().to_string();
    new_text.replace_range(from..to, insert);
    let (new_kind, _) = ra_ap_parser::LexedStr::single_token(edition, &new_text)?;
    if new_kind != kind
        || (new_kind == SyntaxKind::IDENT
            && matches!(new_text.as_str(), "auto" | "default" | "union"))
    {
        return None;
    }
    // The edited token must not merge with the next character (`b` + `"str"`).
    let mut next = prev.next_token();
    while let Some(t) = &next {
        if !t.text().is_empty() {
            break;
        }
        next = t.next_token();
    }
    if let Some(c) = next.and_then(|t| t.text().chars().next()) {
        new_text.push(c);
        if ra_ap_parser::LexedStr::single_token(edition, &new_text).is_some() {
            return None;
        }
        new_text.pop();
    }
    let token = rowan::GreenToken::new(rowan::SyntaxKind(kind as u16), &new_text);
    Some(prev.replace_with(token))
}

/// `ra_ap_syntax`'s block reparse (`reparse_block`): the nearest `{ ... }` around the edit
/// that `ra_ap_parser` can parse on its own, when its edited text is still balanced. Errors
/// are not kept (the result is only used when it has no ERROR node; see [`Parsed::error_count`]).
fn reparse_block(
    root: &SyntaxNode,
    delete: TextRange,
    insert: &str,
    edition: ra_ap_syntax::Edition,
) -> Option<ra_ap_syntax::GreenNode> {
    let (node, reparser) = match root.covering_element(delete) {
        NodeOrToken::Node(n) => Some(n),
        NodeOrToken::Token(t) => t.parent(),
    }?
    .ancestors()
    .find_map(|node| {
        let first_child = node.first_child_or_token().map(|it| it.kind());
        let parent = node.parent().map(|it| it.kind());
        ra_ap_parser::Reparser::for_node(node.kind(), first_child, parent).map(|r| (node, r))
    })?;
    let local = delete - node.text_range().start();
    let mut text = node.text().to_string();
    text.replace_range(usize::from(local.start())..usize::from(local.end()), insert);
    let lexed = ra_ap_parser::LexedStr::new(edition, &text);
    let balanced = !lexed.is_empty()
        && lexed.kind(0) == T!['{']
        && lexed.kind(lexed.len() - 1) == T!['}']
        && {
            let mut depth = 0usize;
            (1..lexed.len() - 1).all(|i| {
                match lexed.kind(i) {
                    T!['{'] => depth += 1,
                    T!['}'] => match depth.checked_sub(1) {
                        Some(d) => depth = d,
                        None => return false,
                    },
                    _ => {}
                }
                true
            }) && depth == 0
        };
    if !balanced {
        return None;
    }
    let output = reparser.parse(&lexed.to_input(edition));
    let mut builder = ra_ap_syntax::SyntaxTreeBuilder::default();
    lexed.intersperse_trivia(&output, &mut |step| match step {
        ra_ap_parser::StrStep::Token { kind, text } => builder.token(kind, text),
        ra_ap_parser::StrStep::Enter { kind } => builder.start_node(kind),
        ra_ap_parser::StrStep::Exit => builder.finish_node(),
        ra_ap_parser::StrStep::Error { .. } => {}
    });
    let green = builder.finish().syntax_node().green().to_owned();
    Some(node.replace_with(green))
}

/// One edit of a text, to check a reparsed tree against the edited text.
struct Edit<'a> {
    /// In the old text.
    delete: TextRange,
    inserted: u32,
    /// The edited text.
    expected: &'a str,
}

impl Edit<'_> {
    /// Where text at old offset `o` (outside `delete`) is after the edit.
    fn moved(&self, o: TextSize) -> Option<TextSize> {
        if o <= self.delete.start() {
            Some(o)
        } else if o >= self.delete.end() {
            Some(o - self.delete.len() + TextSize::from(self.inserted))
        } else {
            None
        }
    }

    /// `true` when the new element's text is the expected text at its place and it holds no
    /// ERROR node. `old` is the element at the same place in the old tree (same parent path).
    fn check(&self, old: &SyntaxElement, new: &SyntaxElement) -> bool {
        let (o, n) = (old.text_range(), new.text_range());
        let shared = match (old, new) {
            (NodeOrToken::Node(a), NodeOrToken::Node(b)) => std::ptr::eq(a.green(), b.green()),
            (NodeOrToken::Token(a), NodeOrToken::Token(b)) => std::ptr::eq(a.green(), b.green()),
            _ => false,
        };
        if shared {
            // Old text (the old tree is error-free and its text was checked) outside the edit,
            // at its moved place.
            let before = o.end() <= self.delete.start() && n.start() == o.start();
            let after = o.start() >= self.delete.end() && self.moved(o.start()) == Some(n.start());
            return before || after;
        }
        if let (NodeOrToken::Node(a), NodeOrToken::Node(b)) = (old, new) {
            // A rebuilt ancestor: same kind and as many children, each checked in turn.
            if a.kind() == b.kind()
                && a.kind() != SyntaxKind::ERROR
                && a.children_with_tokens().count() == b.children_with_tokens().count()
            {
                return a
                    .children_with_tokens()
                    .zip(b.children_with_tokens())
                    .all(|(x, y)| self.check(&x, &y));
            }
        }
        // New text: compare it, and look for ERROR nodes in it.
        let Some(want) = self
            .expected
            .get(usize::from(n.start())..usize::from(n.end()))
        else {
            return false;
        };
        match new {
            NodeOrToken::Token(t) => t.text() == want,
            NodeOrToken::Node(node) => node.text() == want && !has_error_nodes(node),
        }
    }
}

fn has_error_nodes(root: &SyntaxNode) -> bool {
    root.descendants().any(|n| n.kind() == SyntaxKind::ERROR)
}

fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The length in bytes of the first token of `text` (0 for an empty text).
pub fn first_token_len(text: &str, edition: Edition) -> usize {
    let lexed = ra_ap_parser::LexedStr::new(edition.to_ra(), text);
    if lexed.is_empty() {
        0
    } else {
        lexed.text(0).len()
    }
}

/// Parses a whole file.
pub fn parse(text: &str, edition: Edition) -> Parsed {
    let full = ast::SourceFile::parse(text, edition.to_ra());
    Parsed {
        green: full.syntax_node().green().to_owned(),
        full: Some(full),
        edition,
        error_free: std::sync::OnceLock::new(),
    }
}

/// [`parse`] for a tree that lives for one analysis (`check`, the server's indexing): the
/// same tree (equal green nodes, see the tests), built without `rowan`'s node cache, and
/// given up at once when dropped ([`Discardable`]) instead of being freed node by node.
///
/// `ra_ap_syntax` builds its trees through a cache that shares equal tokens and small nodes:
/// hashing every token and looking it up was 12-15% of `check` (perf, whole corpus), and
/// pays off only for a tree that is kept (the server's open files, parsed by [`parse`]).
/// Here each token and node is allocated as it comes, which in the tree region
/// (`memory::in_heap`) is a pointer bump. The lexer, the parser and the trivia attachment
/// are `ra_ap_parser`'s, as in `ra_ap_syntax::SourceFile::parse`; its syntax errors are not
/// kept ([`Parsed::error_count`] parses again for them).
///
/// # Safety
/// Called inside `memory::in_heap(Heap::Trees, ..)`. No clone of the tree, of one of its
/// nodes or tokens, or of a syntax node made from it, may outlive the returned value.
pub(super) unsafe fn parse_discardable(text: &str, edition: Edition) -> Discardable<Parsed> {
    let (lexed, output) = lex_and_parse(text, edition);
    // SAFETY: `green_tree` frees all it allocates but the tree (its two stacks), opens no log
    // span and builds no global (`intersperse_trivia` and rowan's constructors without a
    // cache; the spans of `ra_ap_parser` are in `lex_and_parse`, outside), the tree is owned
    // by the `Parsed` alone, and the caller keeps no handle into it past the value.
    let built = unsafe {
        Discardable::build(|| {
            green_tree(&lexed, &output).map(|green| Parsed {
                green,
                full: None,
                edition,
                error_free: std::sync::OnceLock::new(),
            })
        })
    };
    match Discardable::transpose(built) {
        Some(parsed) => parsed,
        // Not expected: the full parse, which asserts its own shape.
        None => Discardable::kept(parse(text, edition)),
    }
}

/// The lexer's and the parser's passes of `ra_ap_syntax::SourceFile::parse`.
fn lex_and_parse(
    text: &str,
    edition: Edition,
) -> (ra_ap_parser::LexedStr<'_>, ra_ap_parser::Output) {
    let run = || {
        let edition = edition.to_ra();
        let lexed = ra_ap_parser::LexedStr::new(edition, text);
        let output = ra_ap_parser::TopEntryPoint::SourceFile.parse(&lexed.to_input(edition));
        (lexed, output)
    };
    // `ra_ap_parser` opens an `info` span in each pass. When a log filter enables them, the
    // subscriber allocates the spans' data and keeps it for reuse: not in the tree region,
    // where it would keep a chunk from ever being freed.
    let spans = || {
        use tracing::Level;
        tracing::enabled!(target: "ra_ap_parser", Level::INFO)
            || tracing::enabled!(target: "ra_ap_parser::lexed_str", Level::INFO)
            || tracing::enabled!(target: "ra_ap_parser::shortcuts", Level::INFO)
    };
    if crate::memory::in_heap(crate::memory::Heap::Default, spans) {
        crate::memory::in_heap(crate::memory::Heap::Default, run)
    } else {
        run()
    }
}

/// The green tree of a parse, as `ra_ap_syntax`'s `build_tree` makes it but without the node
/// cache; `None` if the parser's events do not make one tree (not expected).
fn green_tree(
    lexed: &ra_ap_parser::LexedStr<'_>,
    output: &ra_ap_parser::Output,
) -> Option<rowan::GreenNode> {
    let mut parents: Vec<(rowan::SyntaxKind, usize)> = Vec::new();
    let mut children: Vec<NodeOrToken<rowan::GreenNode, rowan::GreenToken>> = Vec::new();
    lexed.intersperse_trivia(output, &mut |step| match step {
        ra_ap_parser::StrStep::Token { kind, text } => {
            children.push(rowan::GreenToken::new(rowan::SyntaxKind(kind as u16), text).into());
        }
        ra_ap_parser::StrStep::Enter { kind } => {
            parents.push((rowan::SyntaxKind(kind as u16), children.len()));
        }
        ra_ap_parser::StrStep::Exit => {
            // The parser's events are balanced (`ra_ap_syntax`'s builder relies on it too).
            if let Some((kind, first)) = parents.pop() {
                let node = rowan::GreenNode::new(kind, children.drain(first..));
                children.push(node.into());
            }
        }
        ra_ap_parser::StrStep::Error { .. } => {}
    });
    match children.pop() {
        Some(NodeOrToken::Node(root))
            if children.is_empty()
                && parents.is_empty()
                && root.kind() == rowan::SyntaxKind(SyntaxKind::SOURCE_FILE as u16) =>
        {
            Some(root)
        }
        _ => None,
    }
}

/// A name without its raw-identifier prefix: `r#send` and `send` name the same item (a keyword
/// such as `match` can only be spelled `r#match`, so it never meets its bare form).
pub(super) fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A node's text with all whitespace removed (`pub ( crate )` -> `pub(crate)`), for comparing
/// short syntax such as visibilities, attributes and type names.
/// Read from the green tree: no syntax node is built.
pub fn text_without_whitespace(node: &SyntaxNode) -> String {
    GreenNode::of(node).text_without_whitespace()
}

/// The node's text (`node.text().to_string()`), read from the green tree.
pub(super) fn node_text(node: &SyntaxNode) -> String {
    GreenNode::of(node).text()
}

/// `true` when `node` has a direct child node of kind `kind` (read from the green tree: no
/// syntax node is built; `ast` accessors build one per child while they search).
pub(super) fn has_child_kind(node: &SyntaxNode, kind: SyntaxKind) -> bool {
    green_child(node.green(), kind).is_some()
}

/// The first direct child node of `n` whose kind passes `pred`, in the green tree.
fn green_child_where(
    n: &rowan::GreenNodeData,
    pred: impl Fn(SyntaxKind) -> bool,
) -> Option<&rowan::GreenNodeData> {
    n.children().find_map(|c| match c {
        NodeOrToken::Node(c) if pred(SyntaxKind::from(c.kind().0)) => Some(c),
        _ => None,
    })
}

/// The first direct child node of `n` of kind `k`, in the green tree.
fn green_child(n: &rowan::GreenNodeData, k: SyntaxKind) -> Option<&rowan::GreenNodeData> {
    n.children().find_map(|c| match c {
        NodeOrToken::Node(c) if is_kind(c, k) => Some(c),
        _ => None,
    })
}

/// `text_without_whitespace(node) == expected`, stopping at the first difference (attribute
/// tests run this on every `#[cfg(..)]` of every item).
pub(super) fn text_without_whitespace_is(node: &SyntaxNode, expected: &str) -> bool {
    green_text_without_whitespace_is(node.green(), expected)
}

fn green_text_without_whitespace_is(node: &rowan::GreenNodeData, expected: &str) -> bool {
    let mut rest = expected.chars();
    let same = green_tokens(node, &mut |t| {
        t.text()
            .chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| rest.next() == Some(c))
    });
    same && rest.next().is_none()
}

/// `true` when `node` is an `impl Trait for Type` (`ast::Impl::trait_()` is some: a type
/// written before the `for` keyword), read from the green tree without building syntax nodes.
pub(super) fn impl_has_trait(node: &SyntaxNode) -> bool {
    let green = node.green();
    if !is_kind(green, SyntaxKind::IMPL) {
        return false;
    }
    let mut saw_type = false;
    for c in green.children() {
        match c {
            NodeOrToken::Node(n) => {
                saw_type |= ast::Type::can_cast(SyntaxKind::from(n.kind().0));
            }
            NodeOrToken::Token(t) if t.kind().0 == SyntaxKind::FOR_KW as u16 => return saw_type,
            NodeOrToken::Token(_) => {}
        }
    }
    false
}

/// Calls `f` with the text of every token under `node`, in order, while it returns `true`.
/// Returns `false` when `f` stopped the walk.
fn green_tokens<'a>(
    node: &'a rowan::GreenNodeData,
    f: &mut impl FnMut(&'a rowan::GreenTokenData) -> bool,
) -> bool {
    node.children().all(|c| match c {
        NodeOrToken::Node(n) => green_tokens(n, f),
        NodeOrToken::Token(t) => f(t),
    })
}

/// `true` when the token is a `//` or `/* */` comment.
pub fn is_comment(token: &SyntaxToken) -> bool {
    token.kind() == SyntaxKind::COMMENT
}

/// The text of a path as written, without whitespace or comments (`std :: sync` -> `std::sync`).
pub fn path_segments(path: &ast::Path) -> Vec<String> {
    path_segments_smol(path)
        .into_iter()
        .map(|s| s.to_string())
        .collect()
}

/// [`path_segments`] as `SmolStr`s (no allocation for the usual short names: for hot paths).
/// Read from the green tree: no syntax node is built (this runs for every path of every file).
pub fn path_segments_smol(path: &ast::Path) -> Vec<SmolStr> {
    let mut out = Vec::new();
    green_path_segments(path.syntax().green(), &mut out);
    out
}

fn is_kind(n: &rowan::GreenNodeData, k: SyntaxKind) -> bool {
    n.kind().0 == k as u16
}

fn green_path_segments(path: &rowan::GreenNodeData, out: &mut Vec<SmolStr>) {
    // `a::b::c` is Path(Path(Path(a), b), c): the qualifier comes first.
    for child in path.children() {
        if let NodeOrToken::Node(n) = child {
            if is_kind(n, SyntaxKind::PATH) {
                green_path_segments(n, out);
            } else if is_kind(n, SyntaxKind::PATH_SEGMENT) {
                out.push(green_segment_text(n));
            }
        }
    }
}

fn green_segment_text(seg: &rowan::GreenNodeData) -> SmolStr {
    match green_segment_str(seg) {
        std::borrow::Cow::Borrowed(s) => SmolStr::new(s),
        std::borrow::Cow::Owned(s) => SmolStr::from(s),
    }
}

/// The segments of a path (see [`green_path_segments`]), without copying their text.
fn green_path_segment_nodes<'a>(
    path: &'a rowan::GreenNodeData,
    out: &mut impl FnMut(&'a rowan::GreenNodeData),
) {
    for child in path.children() {
        if let NodeOrToken::Node(n) = child {
            if is_kind(n, SyntaxKind::PATH) {
                green_path_segment_nodes(n, out);
            } else if is_kind(n, SyntaxKind::PATH_SEGMENT) {
                out(n);
            }
        }
    }
}

/// A path segment's text as [`path_segments`] gives it.
fn green_segment_str(seg: &rowan::GreenNodeData) -> std::borrow::Cow<'_, str> {
    for child in seg.children() {
        match child {
            NodeOrToken::Node(n) if is_kind(n, SyntaxKind::NAME_REF) => {
                if let Some(NodeOrToken::Token(t)) = n.children().next() {
                    return t.text().into();
                }
            }
            NodeOrToken::Token(t) => {
                let k = t.kind().0;
                for (kw, text) in [
                    (SyntaxKind::CRATE_KW, "crate"),
                    (SyntaxKind::SELF_KW, "self"),
                    (SyntaxKind::SUPER_KW, "super"),
                    (SyntaxKind::SELF_TYPE_KW, "Self"),
                ] {
                    if k == kw as u16 {
                        return text.into();
                    }
                }
            }
            _ => {}
        }
    }
    seg.to_string().into()
}

/// For a `CALL_EXPR` node whose callee is a path `..::Type::func`: (`Type`, `func`) as written,
/// read from the green tree without building syntax nodes (rules test every call with it).
pub fn call_type_and_fn(call: &SyntaxNode) -> Option<(&str, &str)> {
    green_call_type_and_fn(call.green())
}

/// `true` when a `CALL_EXPR` / `METHOD_CALL_EXPR` passes a bare `true` or `false` argument,
/// read from the green tree without building syntax nodes.
pub(super) fn call_has_bool_literal_arg(call: &SyntaxNode) -> bool {
    green_call_has_bool_literal_arg(call.green())
}

fn green_call_has_bool_literal_arg(call: &rowan::GreenNodeData) -> bool {
    let args = call.children().find_map(|c| match c {
        NodeOrToken::Node(n) if is_kind(n, SyntaxKind::ARG_LIST) => Some(n),
        _ => None,
    });
    args.is_some_and(|args| {
        args.children().any(|c| match c {
            NodeOrToken::Node(n) if is_kind(n, SyntaxKind::LITERAL) => {
                n.children().next().is_some_and(|t| {
                    let k = t.kind().0;
                    k == SyntaxKind::TRUE_KW as u16 || k == SyntaxKind::FALSE_KW as u16
                })
            }
            _ => false,
        })
    })
}

/// The name of the last segment of a `PATH_TYPE` node (`a::b::Option<T>` -> `Option`), read
/// from the green tree without building syntax nodes: a cheap test for rules that look at
/// every type of every file.
pub fn path_type_name(node: &SyntaxNode) -> Option<&str> {
    green_path_type_name(node.green())
}

fn green_path_type_name(green: &rowan::GreenNodeData) -> Option<&str> {
    fn child(n: &rowan::GreenNodeData, k: SyntaxKind) -> Option<&rowan::GreenNodeData> {
        n.children().rev().find_map(|c| match c {
            NodeOrToken::Node(c) if is_kind(c, k) => Some(c),
            _ => None,
        })
    }
    if !is_kind(green, SyntaxKind::PATH_TYPE) {
        return None;
    }
    let path = child(green, SyntaxKind::PATH)?;
    let seg = child(path, SyntaxKind::PATH_SEGMENT)?;
    let name = child(seg, SyntaxKind::NAME_REF)?;
    match name.children().next()? {
        NodeOrToken::Token(t) => Some(t.text()),
        NodeOrToken::Node(_) => None,
    }
}

/// `true` when `pred` holds for the last-segment name of some `PATH_TYPE` in `n` (itself
/// included), not looking inside the subtrees whose kind is in `skip`.
fn green_any_path_type_name(
    n: &rowan::GreenNodeData,
    skip: &[SyntaxKind],
    pred: &mut impl FnMut(&str) -> bool,
) -> bool {
    // The walk stops (returns `false`) at the first match.
    !GreenNode(n).path_types(TextSize::from(0), skip, &mut |t, _| {
        !green_path_type_name(t.0).is_some_and(&mut *pred)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reparse_text(text: &str, start: u32, end: u32, insert: &str) -> (String, String) {
        let r = TextRange::new(start.into(), end.into());
        let incremental = parse(text, Edition::E2021).reparse(r, insert);
        let full = parse(&incremental.tree().to_string(), Edition::E2021);
        (
            format!("{:#?}", incremental.tree().syntax()),
            format!("{:#?}", full.tree().syntax()),
        )
    }

    /// Every Rust file of this repository (the crate's sources, the fixture workspaces with
    /// their broken files), each also cut short (broken code: ERROR nodes, unclosed
    /// delimiters, strings and comments), and a few hand-written cases in every edition:
    /// [`parse_discardable`] builds exactly the tree of a full parse.
    #[test]
    fn parse_discardable_builds_the_tree_of_a_full_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let small = [
            "",
            "fn",
            "fn f() { try!(x); let r#try = 1; }",
            "async fn f() { x.await; dyn Trait; gen { } }",
            "/* unclosed",
            "\"unclosed",
            "fn f() { 'a: loop {} } }}} ]",
            "// \u{e9}t\u{e9} \u{1f600}\nstruct \u{e9};",
            "#![cfg(test)]\nmacro_rules! m { ($x:expr) => { $x } }\nm!(1 +);",
        ];
        // In the tree region, as `Engine::analyse_text` parses; in this debug build, dropping
        // the discardable tree frees it node by node and checks that this freed exactly the
        // blocks its build left live.
        let same = |text: &str, edition: Edition| {
            let full = parse(text, edition);
            let errors = crate::memory::in_heap(crate::memory::Heap::Trees, || {
                // SAFETY: in the tree region; nothing made from the tree outlives it.
                let transient = unsafe { parse_discardable(text, edition) };
                assert!(transient.full.is_none());
                assert!(transient.is_discarded_whole());
                assert!(
                    transient.green == full.green,
                    "{edition:?}: {:?}",
                    &text[..text.len().min(200)]
                );
                transient.error_count()
            });
            (errors, full.error_count())
        };
        for text in small {
            for edition in [
                Edition::E2015,
                Edition::E2018,
                Edition::E2021,
                Edition::E2024,
            ] {
                let (transient, full) = same(text, edition);
                assert_eq!(transient, full);
            }
        }
        let (sources, _) = crate::analysis::loader::walk(&root, &Default::default());
        let mut files = 0;
        for path in sources {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // the non-UTF-8 fixture
            };
            files += 1;
            same(&text, Edition::E2021);
            // Cut at a place that differs from file to file.
            let mut at = text.len() * (1 + files % 7) / 8;
            while !text.is_char_boundary(at) {
                at += 1;
            }
            same(&text[..at], Edition::E2021);
        }
        assert!(files > 100, "{files} files");
    }

    /// Found by the fuzzer: `ra_ap_syntax` reparses `{pub use b, c}` as a use-tree list and
    /// drops text; the guard falls back to a full parse.
    #[test]
    fn reparse_inside_use_tree_braces_keeps_the_text() {
        let r = TextRange::new(8.into(), 8.into());
        let p = parse("use a::{b, c};\n", Edition::E2021).reparse(r, "pub use ");
        assert_eq!(p.tree().to_string(), "use a::{pub use b, c};\n");
        let (inc, full) = reparse_text("use a::{b, c};\n", 8, 8, "pub use ");
        assert_eq!(inc, full);
    }

    /// Found by the fuzzer (hyper's `server/mod.rs`): an edit inside a comment or whitespace
    /// token that changes which comments a full parse attaches to the next item (`//!` ->
    /// `//`, `//` -> `///`, a blank line added or removed after a comment) gives the tree of
    /// a full parse.
    #[test]
    fn reparse_of_comments_that_change_attachment_matches_a_full_parse() {
        let text = "//! HTTP.\n//! it\npub mod conn;\n// c\nfn f() {}\n";
        for (start, end, insert) in [
            (12, 13, ""),     // `//! it` -> `// it`: now attached to `mod conn`
            (11, 11, "/"),    // `//! it` -> `///! it`
            (32, 32, "/"),    // `// c` -> `/// c`
            (35, 36, "\n\n"), // a blank line between `// c` and `fn f`
            (4, 4, "x "),     // inside a comment, same kind: incremental
        ] {
            let (inc, full) = reparse_text(text, start, end, insert);
            assert_eq!(inc, full, "{start}..{end} {insert:?}");
        }
        let detached = "// c\n\nfn f() {}\n";
        let (inc, full) = reparse_text(detached, 5, 6, "");
        assert_eq!(inc, full);
    }

    /// Edits all over a real file (this crate's engine): the checked incremental reparse
    /// gives exactly the tree of a full parse, including edits that break the code (ERROR
    /// nodes: full parse) and the ones after them.
    #[test]
    fn reparse_to_matches_a_full_parse_on_edits_across_a_real_file() {
        let mut text = include_str!("engine.rs").to_string();
        let mut parsed = parse(&text, Edition::E2021);
        let inserts = [" ", "", "x", "\n", "{", "}", "pub ", "// c\n", "'", "\""];
        let mut seed = 0x9e37_79b9_u32;
        let mut incremental = 0;
        let mut undo: Option<(TextRange, String)> = None;
        for i in 0..200 {
            // Every other edit undoes the one before, so the code is whole again.
            let (delete, insert) = match undo.take() {
                Some(u) => u,
                None => {
                    let at = crate::analysis::fixture::random_offset(
                        &text,
                        crate::analysis::fixture::next_random(&mut seed),
                    );
                    let insert = inserts[(i / 2) % inserts.len()];
                    let mut end =
                        (at + usize::from(insert.is_empty()) + (i / 2) % 2).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    let inserted = TextRange::at((at as u32).into(), TextSize::of(insert));
                    undo = Some((inserted, text[at..end].to_string()));
                    (
                        TextRange::new((at as u32).into(), (end as u32).into()),
                        insert.to_string(),
                    )
                }
            };
            let (at, end) = (usize::from(delete.start()), usize::from(delete.end()));
            text.replace_range(at..end, &insert);
            let next = parsed.reparse_to(delete, &insert, &text);
            incremental += usize::from(
                parsed
                    .syntax_node()
                    .children()
                    .zip(next.syntax_node().children())
                    .any(|(a, b)| std::ptr::eq(a.green(), b.green())),
            );
            let full = parse(&text, Edition::E2021);
            assert_eq!(
                format!("{:#?}", next.tree().syntax()),
                format!("{:#?}", full.tree().syntax()),
                "edit {i}: {delete:?} -> {insert:?}"
            );
            parsed = next;
        }
        // Half the edits leave whole code before and after: those are incremental (104 of
        // 200 share subtrees with the tree before).
        assert!(incremental > 80, "{incremental}");
    }

    /// The token and block reparses here give the very tree `ra_ap_syntax`'s
    /// `Parse::reparse` gives (whose strategies they copy), on edits of each kind they take.
    #[test]
    fn token_and_block_reparse_match_ra_ap_syntax() {
        let text = include_str!("engine.rs");
        let ra = ast::SourceFile::parse(text, Edition::E2021.to_ra());
        let root = ra.syntax_node();
        let mid = |pat: &str| {
            let at = text.len() / 2 + text[text.len() / 2..].find(pat).expect(pat);
            TextSize::from(at as u32)
        };
        for (at, len, insert, token) in [
            (mid("\n    "), 1, "\n     ", false), // deletes a line break: block
            (mid("let "), 0, " ", true),          // the space before `let`: token
            (mid("findings"), 1, "g", true),      // identifier: token
            (mid("\"") + TextSize::from(1), 0, "x", true), // string: token
            (mid("// "), 3, "// c ", true),       // comment: token
            (mid("    let "), 4, "    let _u = 1;\n    let ", false), // a statement: block
            (mid("fn "), 0, "x", false),          // `xfn`: block
        ] {
            let delete = TextRange::at(at, TextSize::from(len));
            let want = format!(
                "{:#?}",
                ra.reparse(delete, insert, Edition::E2021.to_ra())
                    .syntax_node()
            );
            let edition = Edition::E2021.to_ra();
            let ours = match reparse_token(&root, delete, insert, edition) {
                Some(g) => g,
                None => {
                    assert!(!token, "{delete:?} {insert:?}: token");
                    reparse_block(&root, delete, insert, edition).expect("block")
                }
            };
            assert_eq!(
                format!("{:#?}", SyntaxNode::new_root(ours)),
                want,
                "{delete:?} {insert:?}"
            );
        }
    }

    #[test]
    fn text_prefixes_without_whitespace() {
        let p = parse(
            "fn f() -> std :: result ::\n Result<(), E> {}",
            Edition::E2021,
        );
        let ret = p
            .tree()
            .syntax()
            .descendants()
            .find(|n| n.kind() == SyntaxKind::RET_TYPE)
            .unwrap();
        let ty = GreenNode::of(&ret).type_child().unwrap();
        let yes = |ps: &[&str]| ty.text_without_whitespace_starts_with_any(ps);
        assert!(yes(&["std::result::Result<"]));
        assert!(yes(&["Result<", "std::r"]));
        assert!(yes(&["std::result::Result<(),E>"]));
        assert!(yes(&[""]));
        assert!(!yes(&["Result<", "core::"]));
        assert!(!yes(&["std::result::Result<(),E>x"]));
        assert!(!yes(&[]));
    }

    #[test]
    fn reparse_clamps_ranges_past_the_end_and_inside_chars() {
        let p = parse("fn é() {}", Edition::E2021);
        let past = p.reparse(TextRange::new(100.into(), 200.into()), "// x");
        assert_eq!(past.tree().to_string(), "fn é() {}// x");
        // Offset 4 is inside `é` (bytes 3..5): clamped down to 3.
        let inside = p.reparse(TextRange::new(4.into(), 5.into()), "e");
        assert_eq!(inside.tree().to_string(), "fn e() {}");
    }
}

/// A node's green (immutable, position-free) data, for tests that must not build syntax nodes
/// (a rule's [`prefilter`](super::rule::Rule::prefilter) runs on every node of its kinds).
#[derive(Clone, Copy)]
pub struct GreenNode<'a>(&'a rowan::GreenNodeData);

impl<'a> GreenNode<'a> {
    /// The green data of a syntax node (to read it without building its children's nodes).
    pub fn of(node: &'a SyntaxNode) -> GreenNode<'a> {
        GreenNode(node.green())
    }

    pub fn kind(self) -> SyntaxKind {
        SyntaxKind::from(self.0.kind().0)
    }

    /// `true` when the node has a direct child node of kind `kind`.
    pub fn has_child(self, kind: SyntaxKind) -> bool {
        green_child(self.0, kind).is_some()
    }

    /// The last segment's name of a `PATH_TYPE` (`std::sync::Mutex<u8>` -> `Mutex`).
    pub fn path_type_name(self) -> Option<&'a str> {
        green_path_type_name(self.0)
    }

    /// For a `CALL_EXPR` whose callee is a path `..::Type::func`: (`Type`, `func`).
    pub fn call_type_and_fn(self) -> Option<(&'a str, &'a str)> {
        green_call_type_and_fn(self.0)
    }

    /// `true` when a `CALL_EXPR` / `METHOD_CALL_EXPR` passes a bare `true` or `false` argument.
    pub fn call_has_bool_literal_arg(self) -> bool {
        green_call_has_bool_literal_arg(self.0)
    }

    /// [`green_any_path_type_name`] on the node's type: its first child node that is a type (a field's,
    /// a parameter's, a `let`'s or a `static`'s type). `false` when it has none.
    pub fn type_child_has_path_type(
        self,
        skip: &[SyntaxKind],
        pred: &mut impl FnMut(&str) -> bool,
    ) -> bool {
        self.type_child()
            .is_some_and(|ty| green_any_path_type_name(ty.0, skip, pred))
    }

    /// The first direct child node of kind `kind` (what an `ast` accessor returns).
    pub fn child(self, kind: SyntaxKind) -> Option<GreenNode<'a>> {
        green_child(self.0, kind).map(GreenNode)
    }

    /// The direct child nodes of kind `kind`, in order.
    pub fn children_of(self, kind: SyntaxKind) -> impl Iterator<Item = GreenNode<'a>> {
        self.0.children().filter_map(move |c| match c {
            NodeOrToken::Node(n) if is_kind(n, kind) => Some(GreenNode(n)),
            _ => None,
        })
    }

    /// The first direct child node that is a type (a parameter's, a field's, a reference's...:
    /// what `ty()` accessors return).
    pub fn type_child(self) -> Option<GreenNode<'a>> {
        green_child_where(self.0, ast::Type::can_cast).map(GreenNode)
    }

    /// `true` when a direct child token has kind `kind` (`unsafe`, `mut`...).
    pub fn has_token(self, kind: SyntaxKind) -> bool {
        self.0
            .children()
            .any(|c| matches!(c, NodeOrToken::Token(t) if t.kind().0 == kind as u16))
    }

    /// A struct's (or union's) record fields, in order (`ast::RecordFieldList::fields`).
    pub fn record_fields(self) -> impl Iterator<Item = GreenNode<'a>> {
        self.child(SyntaxKind::RECORD_FIELD_LIST)
            .into_iter()
            .flat_map(|l| l.children_of(SyntaxKind::RECORD_FIELD))
    }

    /// The types of a struct's (or union's) record fields, as [`GreenNode::record_fields`]
    /// gives them (fields without a type left out).
    pub fn record_field_types(self) -> impl Iterator<Item = GreenNode<'a>> {
        self.record_fields().filter_map(GreenNode::type_child)
    }

    /// The types of a `FN`'s parameters, as `ast::Fn::param_list()?.params()` and `ty()` give
    /// them (`self` is not a parameter here; a parameter without a type is skipped).
    pub fn param_types(self) -> impl Iterator<Item = GreenNode<'a>> {
        self.child(SyntaxKind::PARAM_LIST)
            .into_iter()
            .flat_map(|l| l.children_of(SyntaxKind::PARAM))
            .filter_map(GreenNode::type_child)
    }

    /// `true` when the node's text without whitespace ([`text_without_whitespace`]) starts
    /// with one of `prefixes` (at most 32). Reads the tokens once, up to where every prefix
    /// matched or differed.
    pub fn text_without_whitespace_starts_with_any(self, prefixes: &[&str]) -> bool {
        // The prefixes still matching (a bit each), and how many bytes were compared.
        let mut alive: u32 = (1u64 << prefixes.len()).wrapping_sub(1) as u32;
        let mut at = 0;
        let mut matched = false;
        green_tokens(self.0, &mut |t| {
            for c in t.text().chars().filter(|c| !c.is_whitespace()) {
                let mut buf = [0; 4];
                let c = c.encode_utf8(&mut buf).as_bytes();
                for (i, p) in prefixes.iter().enumerate() {
                    if alive & (1 << i) != 0 && p.as_bytes().get(at..at + c.len()) != Some(c) {
                        alive &= !(1 << i);
                    }
                }
                at += c.len();
                matched = prefixes
                    .iter()
                    .enumerate()
                    .any(|(i, p)| alive & (1 << i) != 0 && p.len() == at);
                if matched || alive == 0 {
                    return false;
                }
            }
            true
        });
        matched || prefixes.iter().any(|p| p.is_empty())
    }

    /// `true` when a direct child is a string literal (`"done"`, not `b"x"` or `r"x"`... as
    /// `ast::Literal` sees them: the literal's first token is a `STRING`).
    pub fn has_string_literal_child(self) -> bool {
        self.0.children().any(|c| match c {
            NodeOrToken::Node(n) if is_kind(n, SyntaxKind::LITERAL) => n
                .children()
                .next()
                .is_some_and(|t| t.kind().0 == SyntaxKind::STRING as u16),
            _ => false,
        })
    }

    /// `true` when the first child expression (a `match`'s scrutinee) is a field access, seen
    /// through parentheses, `&`, prefix operators and method calls' receivers (`&*self.state`,
    /// `self.kind.as_str()`). Follows that one chain, not the whole subtree.
    pub fn first_expr_child_is_field(self) -> bool {
        let mut e = green_child_where(self.0, ast::Expr::can_cast);
        while let Some(n) = e {
            e = match SyntaxKind::from(n.kind().0) {
                SyntaxKind::FIELD_EXPR => return true,
                SyntaxKind::PAREN_EXPR
                | SyntaxKind::REF_EXPR
                | SyntaxKind::PREFIX_EXPR
                | SyntaxKind::METHOD_CALL_EXPR => green_child_where(n, ast::Expr::can_cast),
                _ => None,
            };
        }
        false
    }

    /// The method name of a `METHOD_CALL_EXPR` (`x.unwrap()` -> `unwrap`).
    pub fn method_name(self) -> Option<&'a str> {
        if !is_kind(self.0, SyntaxKind::METHOD_CALL_EXPR) {
            return None;
        }
        match green_child(self.0, SyntaxKind::NAME_REF)?
            .children()
            .next()?
        {
            NodeOrToken::Token(t) => Some(t.text()),
            NodeOrToken::Node(_) => None,
        }
    }

    /// The last segment's name of a `MACRO_CALL`'s path (`std::panic!(..)` -> `panic`).
    pub fn macro_name(self) -> Option<&'a str> {
        if !is_kind(self.0, SyntaxKind::MACRO_CALL) {
            return None;
        }
        green_last_segment_name(green_child(self.0, SyntaxKind::PATH)?)
    }
}

/// A green node and where it starts in the file: the ranges of its descendants without
/// building their syntax nodes (the `ast` accessors build a node per child they pass over).
#[derive(Clone, Copy)]
pub(crate) struct GreenAt<'a> {
    pub(crate) green: GreenNode<'a>,
    pub(crate) offset: TextSize,
}

impl<'a> GreenAt<'a> {
    /// A syntax node's green data and offset.
    pub(crate) fn of(node: &'a SyntaxNode) -> GreenAt<'a> {
        GreenAt {
            green: GreenNode(node.green()),
            offset: node.text_range().start(),
        }
    }

    pub(crate) fn kind(self) -> SyntaxKind {
        self.green.kind()
    }

    pub(crate) fn range(self) -> TextRange {
        TextRange::at(self.offset, self.green.0.text_len())
    }

    /// The direct children with their offsets, tokens included.
    pub(crate) fn children_with_tokens(
        self,
    ) -> impl Iterator<Item = NodeOrToken<GreenAt<'a>, (&'a rowan::GreenTokenData, TextSize)>> {
        let mut offset = self.offset;
        self.green.0.children().map(move |c| {
            let at = offset;
            match c {
                NodeOrToken::Node(n) => {
                    offset += n.text_len();
                    NodeOrToken::Node(GreenAt {
                        green: GreenNode(n),
                        offset: at,
                    })
                }
                NodeOrToken::Token(t) => {
                    offset += t.text_len();
                    NodeOrToken::Token((t, at))
                }
            }
        })
    }

    /// The direct child nodes with their offsets.
    pub(crate) fn child_nodes(self) -> impl Iterator<Item = GreenAt<'a>> {
        self.children_with_tokens()
            .filter_map(NodeOrToken::into_node)
    }

    /// The first direct child node of kind `kind` (what an `ast` accessor returns).
    pub(crate) fn child(self, kind: SyntaxKind) -> Option<GreenAt<'a>> {
        self.child_nodes().find(|c| c.kind() == kind)
    }

    /// The text of the node's first token when it is a direct child: an `ast::Name`'s or
    /// `ast::NameRef`'s text.
    pub(crate) fn first_token_text(self) -> Option<&'a str> {
        self.green.first_token_text()
    }

    /// The node's text without whitespace (see [`text_without_whitespace`]).
    pub(crate) fn text_without_whitespace(self) -> String {
        self.green.text_without_whitespace()
    }

    /// `true` when the node's text is `text`.
    pub(crate) fn text_is(self, text: &str) -> bool {
        let mut rest = text;
        green_tokens(self.green.0, &mut |t| match rest.strip_prefix(t.text()) {
            Some(r) => {
                rest = r;
                true
            }
            None => false,
        }) && rest.is_empty()
    }
}

impl<'a> GreenNode<'a> {
    /// The node's text (all its tokens).
    pub fn text(self) -> String {
        let mut out = String::with_capacity(u32::from(self.0.text_len()) as usize);
        green_tokens(self.0, &mut |t| {
            out.push_str(t.text());
            true
        });
        out
    }

    /// The node's text with all whitespace removed (see [`text_without_whitespace`]).
    pub fn text_without_whitespace(self) -> String {
        let mut out = String::new();
        green_tokens(self.0, &mut |t| {
            out.extend(t.text().chars().filter(|c| !c.is_whitespace()));
            true
        });
        out
    }

    /// The last path segment's name of a type, as `engine::type_head` reads it from the `ast`
    /// (`foo::Bar<T>` -> `Bar`, `&Bar` -> `Bar`; other types: their text).
    pub fn type_head(self) -> String {
        match self.kind() {
            SyntaxKind::PATH_TYPE => self.path_type_head().unwrap_or_default().to_string(),
            SyntaxKind::REF_TYPE => self
                .type_child()
                .map(GreenNode::type_head)
                .unwrap_or_default(),
            _ => self.text(),
        }
    }

    /// The path of an attribute's meta (`ast::Meta::path`): `None` for `cfg(..)` and
    /// `cfg_attr(..)`.
    pub fn meta_path(self) -> Option<GreenNode<'a>> {
        match self.kind() {
            SyntaxKind::KEY_VALUE_META | SyntaxKind::PATH_META | SyntaxKind::TOKEN_TREE_META => {
                self.child(SyntaxKind::PATH)
            }
            SyntaxKind::UNSAFE_META => green_child_where(self.0, ast::Meta::can_cast)
                .map(GreenNode)?
                .meta_path(),
            _ => None,
        }
    }

    /// For a `PATH`: appends its segments (see [`path_segments_smol`]) to `out`.
    pub fn push_path_segments(self, out: &mut Vec<SmolStr>) {
        green_path_segments(self.0, out);
    }

    /// `true` when an attribute of the node marks test code: `#[test]`, `#[tokio::test]`,
    /// `#[cfg(test)]` (as `model::is_test_attr` reads them from the `ast`).
    pub fn has_test_attr(self) -> bool {
        self.attr_metas().any(|GreenNode(meta)| {
            let Some(path) = GreenNode(meta).meta_path() else {
                return green_text_without_whitespace_is(meta, "cfg(test)");
            };
            let mut segs = Vec::new();
            green_path_segment_nodes(path.0, &mut |seg| segs.push(seg));
            match segs.last().map(|s| green_segment_str(s)).as_deref() {
                Some("test") => true,
                Some("cfg") if segs.len() == 1 => {
                    green_text_without_whitespace_is(meta, "cfg(test)")
                }
                _ => false,
            }
        })
    }

    /// `true` when the node has a `#[cfg(..)]` attribute (an `ATTR` child whose meta is a
    /// `CFG_META`, as `ast::Attr::meta()` finds it).
    pub fn has_cfg_attr(self) -> bool {
        self.attr_metas()
            .any(|m| is_kind(m.0, SyntaxKind::CFG_META))
    }

    /// `true` when an attribute of the node is `#[name]`, `#[name(..)]` or `#[name = ..]`
    /// with `name` a single path segment (`model::has_attr` for a name without `::`).
    pub fn has_simple_attr(self, name: &str) -> bool {
        self.attr_metas().filter_map(GreenNode::meta_path).any(|p| {
            let (mut count, mut last) = (0, None);
            green_path_segment_nodes(p.0, &mut |seg| {
                count += 1;
                last = Some(seg);
            });
            count == 1 && last.is_some_and(|seg| green_segment_str(seg) == name)
        })
    }

    /// The meta of each of the node's attributes (`#[meta]`), as `ast::Attr::meta()` finds it.
    fn attr_metas(self) -> impl Iterator<Item = GreenNode<'a>> {
        self.children_of(SyntaxKind::ATTR)
            .filter_map(|a| green_child_where(a.0, ast::Meta::can_cast).map(GreenNode))
    }
}

/// Every syntax kind, in the order of their numbers (for tables indexed by `SyntaxKind as usize`).
pub(super) fn all_kinds() -> impl Iterator<Item = SyntaxKind> {
    (0..=SyntaxKind::__LAST as u16).map(SyntaxKind::from)
}

/// One node on the path from the root to the walk's current node.
struct Frame<'g> {
    green: &'g rowan::GreenNodeData,
    offset: TextSize,
    /// The node's index among its parent's child nodes (tokens not counted).
    index: usize,
    /// The children not visited yet (`None` once the subtree is skipped), the next one's offset
    /// and how many child nodes were entered.
    children: Option<rowan::Children<'g>>,
    child_offset: TextSize,
    child_nodes: usize,
}

/// A preorder walk over a tree's nodes that reads the green tree and builds a syntax node (and
/// its ancestors) only when asked: most nodes of a file are only looked at by kind, and building
/// every node was the walk's main cost (an allocation per node).
pub(super) struct LazyWalk<'g> {
    frames: Vec<Frame<'g>>,
    /// The syntax nodes of `frames[..reds.len()]`, built when asked for (always a prefix of
    /// the path: building a node builds its ancestors). Kept apart so that a frame needs no
    /// drop.
    reds: Vec<SyntaxNode>,
    started: bool,
    /// The top frame was left: pop it before moving on.
    left: bool,
}

/// What [`LazyWalk::step`] reached: the current node is entered or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Enter,
    Leave,
}

impl<'g> LazyWalk<'g> {
    /// A walk over `root` and its descendants; `green` is `root.green()`.
    pub(super) fn new(root: &SyntaxNode, green: &'g rowan::GreenNodeData) -> Self {
        let offset = root.text_range().start();
        LazyWalk {
            frames: vec![Frame {
                green,
                offset,
                index: 0,
                children: Some(green.children()),
                child_offset: offset,
                child_nodes: 0,
            }],
            reds: vec![root.clone()],
            started: false,
            left: false,
        }
    }

    /// Moves to the next event: the next node entered, or the current one left.
    #[inline]
    pub(super) fn step(&mut self) -> Option<Step> {
        if !self.started {
            self.started = true;
            return Some(Step::Enter);
        }
        if self.left {
            self.left = false;
            self.frames.pop();
            if self.reds.len() > self.frames.len() {
                self.reds.pop();
            }
        }
        let top = self.frames.last_mut()?;
        while let Some(child) = top.children.as_mut().and_then(Iterator::next) {
            match child {
                NodeOrToken::Node(n) => {
                    let offset = top.child_offset;
                    let index = top.child_nodes;
                    top.child_offset += n.text_len();
                    top.child_nodes += 1;
                    self.frames.push(Frame {
                        green: n,
                        offset,
                        index,
                        children: Some(n.children()),
                        child_offset: offset,
                        child_nodes: 0,
                    });
                    return Some(Step::Enter);
                }
                NodeOrToken::Token(t) => top.child_offset += t.text_len(),
            }
        }
        self.left = true;
        Some(Step::Leave)
    }

    /// After [`Step::Enter`]: do not walk the current node's subtree (the next step leaves it).
    pub(super) fn skip_subtree(&mut self) {
        if let Some(top) = self.frames.last_mut() {
            top.children = None;
        }
    }

    fn top(&self) -> &Frame<'g> {
        self.frames.last().expect("the walk is on a node")
    }

    /// How deep the current node is (the root is 0).
    pub(super) fn depth(&self) -> usize {
        self.frames.len() - 1
    }

    pub(super) fn kind(&self) -> SyntaxKind {
        SyntaxKind::from(self.top().green.kind().0)
    }

    pub(super) fn green(&self) -> GreenNode<'g> {
        GreenNode(self.top().green)
    }

    pub(super) fn range(&self) -> TextRange {
        let top = self.top();
        TextRange::at(top.offset, top.green.text_len())
    }

    /// The current node with its offset.
    pub(super) fn at(&self) -> GreenAt<'g> {
        self.ancestor(0).expect("the walk is on a node")
    }

    /// The current node's `up`-th ancestor (1: the parent) with its offset.
    pub(super) fn ancestor(&self, up: usize) -> Option<GreenAt<'g>> {
        let f = &self.frames[self.frames.len().checked_sub(1 + up)?];
        Some(GreenAt {
            green: GreenNode(f.green),
            offset: f.offset,
        })
    }

    /// The kind of the current node's `up`-th ancestor (1: the parent).
    pub(super) fn ancestor_kind(&self, up: usize) -> Option<SyntaxKind> {
        let i = self.frames.len().checked_sub(1 + up)?;
        Some(SyntaxKind::from(self.frames[i].green.kind().0))
    }

    /// The current node's identifiers inside token trees and tokens (`IDENT` tokens), in order.
    /// Borrowed from the tree: copied once deduplicated.
    pub(super) fn idents(&self, out: &mut Vec<&'g str>) {
        green_tokens(self.top().green, &mut |t| {
            if t.kind().0 == SyntaxKind::IDENT as u16 {
                out.push(t.text());
            }
            true
        });
    }

    /// The segments of the current `PATH` node (see [`path_segments_smol`]), into `out`:
    /// borrowed from the tree (the path table copies the names it has not seen yet).
    pub(super) fn path_segments(&self, out: &mut Vec<std::borrow::Cow<'g, str>>) {
        out.clear();
        green_path_segment_nodes(self.top().green, &mut |seg| {
            out.push(green_segment_str(seg))
        });
    }

    /// The current node as a syntax node (built now, with the ancestors not built yet).
    pub(super) fn node(&mut self) -> SyntaxNode {
        for i in self.reds.len()..self.frames.len() {
            let parent = &self.reds[i - 1];
            let f = &self.frames[i];
            let range = TextRange::at(f.offset, f.green.text_len());
            let same = |n: &SyntaxNode| std::ptr::eq(n.green(), f.green);
            // By range: a binary search among the parent's children (exact for non-empty
            // nodes); by position otherwise.
            let node = (!range.is_empty())
                .then(|| parent.child_or_token_at_range(range))
                .flatten()
                .and_then(NodeOrToken::into_node)
                .filter(same)
                .or_else(|| parent.children().nth(f.index).filter(same))
                .expect("a green child is a child of its parent's syntax node");
            self.reds.push(node);
        }
        self.reds[self.frames.len() - 1].clone()
    }
}

/// The name of a path's last segment (`a::b::C` -> `C`; `None` for `self`, `crate`...).
fn green_last_segment_name(path: &rowan::GreenNodeData) -> Option<&str> {
    let seg = path.children().rev().find_map(|c| match c {
        NodeOrToken::Node(c) if is_kind(c, SyntaxKind::PATH_SEGMENT) => Some(c),
        _ => None,
    })?;
    match green_child(seg, SyntaxKind::NAME_REF)?.children().next()? {
        NodeOrToken::Token(t) => Some(t.text()),
        NodeOrToken::Node(_) => None,
    }
}

fn green_call_type_and_fn(green: &rowan::GreenNodeData) -> Option<(&str, &str)> {
    let seg_name = green_last_segment_name;
    if !is_kind(green, SyntaxKind::CALL_EXPR) {
        return None;
    }
    // The callee is the first child node (the argument list comes after it), after the
    // attributes of an attributed call (`#[allow(..)] Mutex::new(0)`: `ATTR` children first).
    let callee = green
        .children()
        .find_map(|c| c.into_node().filter(|n| !is_kind(n, SyntaxKind::ATTR)))?;
    if !is_kind(callee, SyntaxKind::PATH_EXPR) {
        return None;
    }
    let path = green_child(callee, SyntaxKind::PATH)?;
    let func = seg_name(path)?;
    let ty = seg_name(green_child(path, SyntaxKind::PATH)?)?;
    Some((ty, func))
}

/// Readers of type nodes on the green tree, for the rules that look at the type of every field,
/// parameter and `let` (`shared-mutable-state`): what the `ast` accessors give (the *first* child
/// of each kind, as `support::child` takes it), without building syntax nodes.
impl<'a> GreenNode<'a> {
    /// The first child node whose kind passes `pred` (`support::child`), with its offset from
    /// this node's start.
    pub fn child_where(
        self,
        pred: impl Fn(SyntaxKind) -> bool,
    ) -> Option<(GreenNode<'a>, TextSize)> {
        let mut offset = TextSize::from(0);
        for c in self.0.children() {
            match c {
                NodeOrToken::Node(n) if pred(SyntaxKind::from(n.kind().0)) => {
                    return Some((GreenNode(n), offset))
                }
                NodeOrToken::Node(n) => offset += n.text_len(),
                NodeOrToken::Token(t) => offset += t.text_len(),
            }
        }
        None
    }

    /// The child nodes (tokens left out).
    pub fn child_nodes(self) -> impl Iterator<Item = GreenNode<'a>> {
        self.0
            .children()
            .filter_map(|c| c.into_node().map(GreenNode))
    }

    /// The index among this node's child nodes (tokens not counted) of the first one that is
    /// `child` at `offset` from this node's start (`parent.children().position(|c| c == child)`:
    /// syntax nodes are equal when they have the same green node and offset).
    pub fn child_node_index(self, child: GreenNode<'_>, offset: TextSize) -> Option<usize> {
        let mut at = TextSize::from(0);
        let mut index = 0;
        for c in self.0.children() {
            match c {
                NodeOrToken::Node(n) => {
                    if at == offset && std::ptr::eq(n, child.0) {
                        return Some(index);
                    }
                    index += 1;
                    at += n.text_len();
                }
                NodeOrToken::Token(t) => at += t.text_len(),
            }
        }
        None
    }

    /// The text of the node's first child, when it is a token (`ast::Name::text` and
    /// `ast::NameRef::text` on a `NAME` / `NAME_REF`).
    pub fn first_token_text(self) -> Option<&'a str> {
        match self.0.children().next()? {
            NodeOrToken::Token(t) => Some(t.text()),
            NodeOrToken::Node(_) => None,
        }
    }

    /// For a `PATH_TYPE`, its segment's name as the `ast` accessors read it
    /// (`path()?.segment()?.name_ref()?.text()`: `a::b::Mutex<u8>` -> `Mutex`).
    pub fn path_type_head(self) -> Option<&'a str> {
        self.path_type_segment()?
            .child(SyntaxKind::NAME_REF)?
            .first_token_text()
    }

    /// For a `PATH_TYPE`, its segment's first type argument (`Arc<Mutex<u8>, A>` ->
    /// `Mutex<u8>`: the type of the first `TYPE_ARG` that has one; lifetimes, consts and
    /// associated type arguments are not type arguments).
    pub fn path_type_first_arg(self) -> Option<GreenNode<'a>> {
        let args = self
            .path_type_segment()?
            .child(SyntaxKind::GENERIC_ARG_LIST)?;
        args.0.children().find_map(|c| match c {
            NodeOrToken::Node(n) if is_kind(n, SyntaxKind::TYPE_ARG) => {
                green_child_where(n, ast::Type::can_cast).map(GreenNode)
            }
            _ => None,
        })
    }

    fn path_type_segment(self) -> Option<GreenNode<'a>> {
        if !is_kind(self.0, SyntaxKind::PATH_TYPE) {
            return None;
        }
        self.child(SyntaxKind::PATH)?
            .child(SyntaxKind::PATH_SEGMENT)
    }

    /// Calls `f` with every `PATH_TYPE` of the subtree (the node itself included) and its range,
    /// in preorder, not looking into the subtrees whose kind is in `skip`, while `f` returns
    /// `true`; `start` is the node's offset in the file. Returns `false` when `f` stopped it.
    pub fn path_types(
        self,
        start: TextSize,
        skip: &[SyntaxKind],
        f: &mut impl FnMut(GreenNode<'a>, TextRange) -> bool,
    ) -> bool {
        if skip.iter().any(|&k| is_kind(self.0, k)) {
            return true;
        }
        if is_kind(self.0, SyntaxKind::PATH_TYPE)
            && !f(self, TextRange::at(start, self.0.text_len()))
        {
            return false;
        }
        let mut offset = start;
        for c in self.0.children() {
            match c {
                NodeOrToken::Node(n) => {
                    if !GreenNode(n).path_types(offset, skip, f) {
                        return false;
                    }
                    offset += n.text_len();
                }
                NodeOrToken::Token(t) => offset += t.text_len(),
            }
        }
        true
    }

    /// The outermost node of kind `kind` in the subtree (the node itself included) whose range
    /// is `range`; `start` is the node's offset in the file.
    pub fn find_at(
        self,
        start: TextSize,
        range: TextRange,
        kind: SyntaxKind,
    ) -> Option<GreenNode<'a>> {
        let mut node = self;
        let mut offset = start;
        'down: loop {
            if is_kind(node.0, kind) && TextRange::at(offset, node.0.text_len()) == range {
                return Some(node);
            }
            for c in node.0.children() {
                let len = c.text_len();
                if let NodeOrToken::Node(n) = c {
                    if TextRange::at(offset, len).contains_range(range) {
                        node = GreenNode(n);
                        continue 'down;
                    }
                }
                offset += len;
            }
            return None;
        }
    }
}
