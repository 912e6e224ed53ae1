//! What a rule is: its metadata and docs, and what it produces (findings and fixes).

use serde::Serialize;

use super::syntax::{SyntaxKind, SyntaxNode, TextRange};

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "hint" => Severity::Hint,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// The family a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Ownership,
    State,
    Boundary,
    Layers,
    Meta,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Ownership => "ownership",
            Category::State => "state",
            Category::Boundary => "boundary",
            Category::Layers => "layers",
            Category::Meta => "meta",
        }
    }
}

/// The type and default of one config key of a rule (`[rules.<id>] <key> = ...`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptionDefault {
    Int(i64),
    Bool(bool),
    Str(&'static str),
    StrList(&'static [&'static str]),
}

impl OptionDefault {
    pub fn type_name(&self) -> &'static str {
        match self {
            OptionDefault::Int(_) => "integer",
            OptionDefault::Bool(_) => "boolean",
            OptionDefault::Str(_) => "string",
            OptionDefault::StrList(_) => "array of strings",
        }
    }

    pub fn display(&self) -> String {
        match self {
            OptionDefault::Int(i) => i.to_string(),
            OptionDefault::Bool(b) => b.to_string(),
            OptionDefault::Str(s) => format!("{s:?}"),
            OptionDefault::StrList(l) => format!("{l:?}"),
        }
    }
}

/// One config key of a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleOption {
    pub key: &'static str,
    pub default: OptionDefault,
    pub doc: &'static str,
}

/// The rule's documentation, in four parts.
#[derive(Debug, Clone, Copy)]
pub struct RuleDocs {
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub instead: &'static str,
}

/// Everything about a rule except its code.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    pub id: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// Off unless enabled in `boundary.toml`.
    pub default_enabled: bool,
    /// One line, for the catalog table.
    pub summary: &'static str,
    pub options: &'static [RuleOption],
    pub docs: RuleDocs,
    /// `true` when the rule can offer a fix.
    pub fixable: bool,
}

impl RuleMeta {
    /// The full docs as markdown (used by `rules ID`, hover and `docs/rules/<id>.md`).
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "# `{}`\n\n{} · default severity **{}**{}{}\n\n{}\n\n## What it finds\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\n```rust\n{}\n```\n\n## Instead\n\n{}\n",
            self.id,
            self.category.as_str(),
            self.default_severity.as_str(),
            if self.default_enabled { "" } else { " · off by default" },
            if self.fixable { " · has a fix" } else { "" },
            self.summary,
            self.docs.what.trim(),
            self.docs.why.trim(),
            self.docs.example.trim(),
            self.docs.instead.trim(),
        );
        s.push_str("\n## Configuration\n\n");
        s.push_str(&format!(
            "```toml\n[rules.{}]\nenabled = {}\nseverity = \"{}\"\n",
            self.id,
            self.default_enabled,
            self.default_severity.as_str()
        ));
        for o in self.options {
            s.push_str(&format!(
                "{} = {}  # {}\n",
                o.key,
                o.default.display(),
                o.doc
            ));
        }
        s.push_str("```\n");
        s
    }
}

/// Whether a fix can be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the code compiling and its meaning unchanged.
    Safe,
    /// Probably right, but may need a human: it can change behaviour or break a build.
    Unsafe,
}

/// A replacement of `range` (bytes of the finding's file) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// A fix: edits in the finding's own file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<TextEdit>,
}

/// A second place that belongs to a finding (the field an unwrap assumes, a config entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Workspace-relative path (`None`: the finding's own file).
    pub file: Option<String>,
    pub range: TextRange,
    /// When `file` is not a Rust file of the workspace (e.g. `boundary.toml`), its 1-based line.
    pub line: Option<u32>,
    pub message: String,
}

/// One finding of one rule in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    /// One line: what to do instead.
    pub suggestion: Option<String>,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
    /// The symbol the finding is about, relative to its file (`Client::connect`); the engine
    /// prefixes the module path. Used for stable baselines.
    pub symbol: Option<String>,
}

impl Finding {
    pub fn new(rule: &RuleMeta, range: TextRange, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.default_severity,
            range,
            message: message.into(),
            suggestion: None,
            fix: None,
            related: Vec::new(),
            symbol: None,
        }
    }

    pub fn suggestion(mut self, s: impl Into<String>) -> Finding {
        self.suggestion = Some(s.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    pub fn severity(mut self, s: Severity) -> Finding {
        self.severity = s;
        self
    }

    pub fn related(mut self, r: Related) -> Finding {
        self.related.push(r);
        self
    }

    pub fn symbol(mut self, s: impl Into<String>) -> Finding {
        self.symbol = Some(s.into());
        self
    }
}

/// A rule. Local rules look at one file's tree in the engine's single pass; workspace rules
/// look at all files' summaries. A rule may be both.
pub trait Rule: Send + Sync + 'static {
    fn meta(&self) -> &'static RuleMeta;

    /// The node kinds the rule wants to see during the single pass over a file.
    fn node_kinds(&self) -> &'static [SyntaxKind] {
        &[]
    }

    /// A cheap test on the green tree before [`Rule::check_node`]: `false` skips the node, and
    /// when no rule wants a node its syntax node is never built. It must only turn away nodes
    /// `check_node` would ignore (e.g. a method call whose name the rule does not look at).
    fn prefilter(&self, _node: super::syntax::GreenNode<'_>) -> bool {
        true
    }

    /// Called for each node of a kind in [`Rule::node_kinds`], in preorder.
    fn check_node(&self, _node: &SyntaxNode, _cx: &mut super::engine::FileCx<'_>) {}

    /// Called once per file after the pass, for what needs the whole file: collect during
    /// [`Rule::check_node`] with [`super::engine::FileCx::state`], report here (take it back with
    /// [`super::engine::FileCx::take_state`]). Rather this than a second walk of the tree.
    fn finish_file(&self, _cx: &mut super::engine::FileCx<'_>) {}

    /// `true` when [`Rule::check_workspace`] reads the workspace's name resolution: the engine
    /// then computes it before the workspace rules run (in parallel with the module graph).
    fn uses_resolution(&self) -> bool {
        false
    }

    /// `true` when [`Rule::check_workspace`] reads the module graph (see
    /// [`Rule::uses_resolution`]).
    fn uses_graph(&self) -> bool {
        false
    }

    /// Called once per workspace analysis, over every file's summary.
    fn check_workspace(
        &self,
        _ws: &super::engine::WorkspaceCx<'_>,
        _out: &mut super::engine::WorkspaceSink,
    ) {
    }
}
