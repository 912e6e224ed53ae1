//! The analysis engine: one pass over each file's tree (local rules + the file's summary),
//! then the workspace-level rules over all summaries, then suppressions and config.
//!
//! Pure: text and the workspace model in, findings out. No I/O, no async, no LSP types.

use std::collections::HashMap;
use std::sync::Arc;

use super::config::Config;
use super::line_index::LineIndex;
use super::model::{
    name_of, path_attr, FileSummary, ItemKind, ItemSummary, ModDecl, Owner, UseDecl, Visibility,
};
use super::rule::{Finding, Rule, RuleMeta};
use super::rules;
use super::suppress;
use super::syntax::{
    ast, AstNode, Edition, GreenAt, LazyWalk, NodeOrToken, Parsed, SmolStr, Step, SyntaxKind,
    TextRange, TextSize,
};
use super::workspace::{TargetKind, Workspace};

/// What the engine needs to know about a file besides its text.
#[derive(Debug, Clone)]
pub struct FileMeta {
    /// Workspace-relative path with `/` separators.
    pub rel_path: String,
    pub edition: Edition,
    /// The kind of crate target the file belongs to, as far as the layout tells.
    pub target: TargetKind,
    /// The crate name (`my_crate`), when the file belongs to a package.
    pub crate_name: Option<String>,
}

/// The result of the file pass.
#[derive(Debug, Clone)]
pub struct FileAnalysis {
    /// Findings of the local rules, before suppressions and test filtering.
    pub findings: Vec<Finding>,
    pub summary: Arc<FileSummary>,
}

/// What a rule sees while the engine walks a file.
pub struct FileCx<'a> {
    pub meta: &'a FileMeta,
    pub text: &'a str,
    pub config: &'a Config,
    pub file: &'a ast::SourceFile,
    rule: &'static RuleMeta,
    findings: &'a mut Vec<Finding>,
    facts: &'a mut Vec<super::model::Fact>,
    items: &'a [super::model::ItemSummary],
    state: &'a mut Option<Box<dyn std::any::Any>>,
}

impl FileCx<'_> {
    pub fn rule(&self) -> &'static RuleMeta {
        self.rule
    }

    pub fn report(&mut self, f: Finding) {
        self.findings.push(f);
    }

    pub fn int(&self, key: &str) -> i64 {
        self.config.int(self.rule, key)
    }

    pub fn bool_opt(&self, key: &str) -> bool {
        self.config.bool_opt(self.rule, key)
    }

    pub fn str_list(&self, key: &str) -> Vec<String> {
        self.config.str_list(self.rule, key)
    }

    /// This rule's scratch state for the current file (created with `T::default()` on first
    /// use, dropped after the file): to collect during the pass and report in
    /// [`Rule::finish_file`], or to compute a whole-file index once instead of per node.
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        if !self.state.as_ref().is_some_and(|s| s.is::<T>()) {
            *self.state = Some(Box::new(T::default()));
        }
        self.state
            .as_mut()
            .and_then(|s| s.downcast_mut::<T>())
            .expect("state of the type just stored")
    }

    /// Takes this rule's scratch state for the current file (see [`FileCx::state`]).
    pub fn take_state<T: 'static>(&mut self) -> Option<T> {
        match self.state.take()?.downcast::<T>() {
            Ok(t) => Some(*t),
            Err(other) => {
                *self.state = Some(other);
                None
            }
        }
    }

    /// The file's items the summary holds so far (module-level and associated items, in
    /// preorder): all of them in [`Rule::finish_file`], the ones entered up to the current node
    /// in [`Rule::check_node`]. E.g. to drop, at the end of the file, the facts the workspace
    /// pass would ignore because of an item of the same file.
    pub fn items(&self) -> &[super::model::ItemSummary] {
        self.items
    }

    /// Records a fact for this rule's workspace-level check.
    pub fn fact(
        &mut self,
        kind: &'static str,
        name: impl Into<SmolStr>,
        detail: impl Into<String>,
        range: TextRange,
    ) {
        self.facts.push(super::model::Fact {
            rule: self.rule.id,
            kind,
            name: name.into(),
            detail: detail.into().into_boxed_str(),
            range,
        });
    }
}

/// What a workspace-level rule sees.
pub struct WorkspaceCx<'a> {
    pub workspace: &'a Workspace,
    pub config: &'a Config,
    pub rule: &'static RuleMeta,
    /// Name resolution over the workspace, computed once on first use and shared by rules.
    pub resolution: &'a std::sync::OnceLock<super::resolve::Resolution>,
    /// The module graph, built once on first use and shared by rules.
    pub graph: &'a std::sync::OnceLock<super::graph::ModuleGraph>,
}

impl WorkspaceCx<'_> {
    /// The workspace's name resolution (see [`super::resolve`]).
    pub fn resolution(&self) -> &super::resolve::Resolution {
        self.resolution
            .get_or_init(|| super::resolve::resolve(self.workspace))
    }

    /// The workspace's module graph (see [`super::graph`]).
    pub fn graph(&self) -> &super::graph::ModuleGraph {
        self.graph
            .get_or_init(|| super::graph::ModuleGraph::build(self.workspace))
    }

    pub fn int(&self, key: &str) -> i64 {
        self.config.int(self.rule, key)
    }
    pub fn bool_opt(&self, key: &str) -> bool {
        self.config.bool_opt(self.rule, key)
    }
    pub fn str_list(&self, key: &str) -> Vec<String> {
        self.config.str_list(self.rule, key)
    }
}

/// Findings of workspace-level rules, by workspace-relative file path.
#[derive(Default)]
pub struct WorkspaceSink {
    pub findings: Vec<(String, Finding)>,
}

impl WorkspaceSink {
    pub fn report(&mut self, file: &str, f: Finding) {
        self.findings.push((file.to_string(), f));
    }
}

/// Which rules run, and with what settings.
pub struct Engine {
    pub config: Arc<Config>,
    rules: Vec<&'static dyn Rule>,
    /// Rule indexes by node kind (`SyntaxKind as usize`): looked up for every node of every
    /// file, so a plain table rather than a hash map (SipHash was 5% of `check`).
    by_kind: Vec<Vec<usize>>,
    /// What the walk does at a node of each kind (`SyntaxKind as usize`): [`RULES`],
    /// [`COLLECT_ENTER`], [`COLLECT_LEAVE`]. Most nodes need nothing: one load tells.
    kind_flags: Vec<u8>,
    /// `false` only in tests that check the prefilter contract: every rule's
    /// [`Rule::prefilter`] must only turn away nodes its `check_node` ignores, so running
    /// without them gives the same findings and facts (see [`Engine::without_shortcuts`]).
    prefilters: bool,
}

/// Rule selection from the command line (`--select` / `--ignore`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Engine {
    pub fn new(config: Arc<Config>, selection: &Selection) -> Engine {
        let mut active = Vec::new();
        for rule in rules::all() {
            let meta = rule.meta();
            let on = if selection.select.is_empty() {
                config.is_enabled(meta)
            } else {
                selection.select.iter().any(|s| s == meta.id)
            };
            if on && !selection.ignore.iter().any(|s| s == meta.id) {
                active.push(*rule);
            }
        }
        let mut by_kind: Vec<Vec<usize>> = Vec::new();
        for (i, r) in active.iter().enumerate() {
            for &k in r.node_kinds() {
                let k = k as usize;
                if by_kind.len() <= k {
                    by_kind.resize_with(k + 1, Vec::new);
                }
                by_kind[k].push(i);
            }
        }
        let kind_flags = super::syntax::all_kinds()
            .map(|k| {
                let rules = by_kind.get(k as usize).is_some_and(|r| !r.is_empty());
                (u8::from(rules) * RULES)
                    | (u8::from(Collector::enters(k)) * COLLECT_ENTER)
                    | (u8::from(Collector::leaves(k)) * COLLECT_LEAVE)
            })
            .collect();
        Engine {
            config,
            rules: active,
            by_kind,
            kind_flags,
            prefilters: true,
        }
    }

    /// This engine with every node of a rule's kinds passed to the rule, as if no rule had a
    /// [`Rule::prefilter`], and every node passed to the collector, as if
    /// [`Collector::enters`] and [`Collector::leaves`] listed every kind (for the tests of
    /// both contracts: the same findings, facts and summaries either way).
    #[cfg(test)]
    pub(crate) fn without_shortcuts(mut self) -> Engine {
        self.prefilters = false;
        for flags in &mut self.kind_flags {
            *flags |= COLLECT_ENTER | COLLECT_LEAVE;
        }
        self
    }

    pub fn is_active(&self, id: &str) -> bool {
        self.rules.iter().any(|r| r.meta().id == id)
    }

    /// Parses and analyses one file.
    /// The tree lives for this call only: it is built without `rowan`'s node cache
    /// ([`super::syntax::parse_discardable`]) in the allocator's tree region
    /// ([`crate::memory::in_heap`]), whose chunks the next files' parses reuse once it is
    /// freed. (A tree kept longer, as the server keeps an open file's, is not: it is built
    /// with the node cache, which makes it smaller, and in the default heap: a kept tree in
    /// the tree heap was freed one edit at a time, and the allocator's purge of the freed
    /// pages made each edit fault them in again.)
    ///
    /// The pass's own temporaries (the collector's vectors, the rules' per-file state, the
    /// summary before its compact copy) are bump-allocated there too: they die with the tree.
    /// What outlives the call is copied out: the summary into the model heap (by
    /// [`Engine::analyse_parsed`]), the findings into the default heap.
    pub fn analyse_text(&self, meta: &FileMeta, text: &str) -> FileAnalysis {
        use crate::memory::{in_heap, Heap};
        in_heap(Heap::Trees, || {
            // SAFETY: inside `in_heap(Heap::Trees, ..)`; `analyse_parsed` keeps no handle into
            // the tree: the syntax nodes it makes and the rules' per-file states are dropped
            // before it returns, and its results are plain data (the findings are copied below,
            // the summary is detached).
            let parsed = unsafe { super::syntax::parse_discardable(text, meta.edition) };
            let FileAnalysis { findings, summary } = self.analyse_parsed(meta, text, &parsed);
            let findings = in_heap(Heap::Default, || findings.clone());
            FileAnalysis { findings, summary }
        })
    }

    /// The single pass over one parsed file: summary + local rules. A panic in a rule is caught
    /// and turned into an `internal-error` finding; the other rules still run.
    pub fn analyse_parsed(&self, meta: &FileMeta, text: &str, parsed: &Parsed) -> FileAnalysis {
        let file = parsed.tree();
        let root = file.syntax().clone();
        let index = LineIndex::new(text);
        let mut summary = FileSummary {
            suppressions: suppress::collect(&root, text, &index, parsed.edition()),
            ..FileSummary::default()
        };
        let mut findings = Vec::new();
        let mut collector = Collector::default();
        let mut panicked: Vec<&'static str> = Vec::new();
        let mut states: Vec<Option<Box<dyn std::any::Any>>> = std::iter::repeat_with(|| None)
            .take(self.rules.len())
            .collect();
        // Runs one rule callback; a panic becomes an `internal-error` finding and stops the rule
        // for this file.
        let mut run = |i: usize,
                       findings: &mut Vec<Finding>,
                       facts: &mut Vec<super::model::Fact>,
                       items: &[super::model::ItemSummary],
                       call: &dyn Fn(&dyn Rule, &mut FileCx<'_>)| {
            let rule = self.rules[i];
            if panicked.contains(&rule.meta().id) {
                return;
            }
            let mut cx = FileCx {
                meta,
                text,
                config: &self.config,
                file: &file,
                rule: rule.meta(),
                findings,
                facts,
                items,
                state: &mut states[i],
            };
            let res =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call(rule, &mut cx)));
            if res.is_err() {
                panicked.push(rule.meta().id);
                // Not in the tree region (`analyse_text`): a log sink's first event may
                // allocate buffers that live as long as the thread.
                crate::memory::in_heap(crate::memory::Heap::Default, || {
                    tracing::error!(file = %meta.rel_path, rule = rule.meta().id, "rule panicked");
                });
                findings.push(Finding::new(
                    &rules::internal::META,
                    TextRange::empty(0.into()),
                    format!("rule `{}` crashed on this file; its findings are missing (please report this)", rule.meta().id),
                ));
            }
        };
        // The green tree is walked; a syntax node is built only for the nodes the collector or
        // a rule asks for.
        let mut walk = LazyWalk::new(&root, root.green());
        while let Some(step) = walk.step() {
            match step {
                Step::Enter => {
                    let kind = walk.kind();
                    let flags = self.kind_flags[kind as usize];
                    if flags & COLLECT_ENTER != 0 {
                        // `Parse::errors()` would re-walk the whole tree to validate it (17% of
                        // the time of `check`, measured): count the parser's ERROR nodes here.
                        summary.syntax_errors += usize::from(kind == SyntaxKind::ERROR);
                        collector.enter(&mut walk, &mut summary);
                    }
                    if flags & RULES != 0 {
                        let rule_ids = &self.by_kind[kind as usize];
                        let green = walk.green();
                        let mut node = None;
                        for &i in rule_ids {
                            if self.prefilters && !self.rules[i].prefilter(green) {
                                continue;
                            }
                            let node = node.get_or_insert_with(|| walk.node());
                            run(
                                i,
                                &mut findings,
                                &mut summary.facts,
                                &summary.items,
                                &|rule, cx| rule.check_node(node, cx),
                            );
                        }
                    }
                    // A token tree holds only tokens and token trees (macro arguments are not
                    // parsed): the collector has read what it needs from it, no rule looks
                    // inside, so its nodes are not walked.
                    if kind == SyntaxKind::TOKEN_TREE {
                        walk.skip_subtree();
                    }
                }
                Step::Leave => {
                    if self.kind_flags[walk.kind() as usize] & COLLECT_LEAVE != 0 {
                        collector.leave(&walk);
                    }
                }
            }
        }
        for i in 0..self.rules.len() {
            run(
                i,
                &mut findings,
                &mut summary.facts,
                &summary.items,
                &|rule, cx| rule.finish_file(cx),
            );
        }
        // Sorted and deduplicated as borrowed strings (a macro body repeats its identifiers),
        // then copied.
        collector.macro_idents.sort_unstable();
        collector.macro_idents.dedup();
        summary.macro_idents = collector.macro_idents.iter().map(SmolStr::new).collect();
        summary.line_index = Some(index);
        summary.path_table = std::mem::take(&mut collector.paths).finish();
        // The summary outlives the tree (the workspace keeps one per file): copied without
        // growth slack, and sharing nothing with the original (built in the tree region by
        // `analyse_text`), into the model's own allocator pages (see `memory::in_heap`).
        let summary =
            crate::memory::in_heap(crate::memory::Heap::Model, || Arc::new(summary.detach()));
        FileAnalysis { findings, summary }
    }

    /// Runs the workspace-level rules over every file's summary.
    pub fn analyse_workspace(&self, ws: &Workspace) -> HashMap<String, Vec<Finding>> {
        use rayon::prelude::*;
        let mut out: HashMap<String, Vec<Finding>> = HashMap::new();
        let resolution = std::sync::OnceLock::new();
        let graph = std::sync::OnceLock::new();
        let quiet = |f: &(dyn Fn() + Sync)| {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        };
        let run = |rules: &[&dyn Rule]| -> Vec<Option<WorkspaceSink>> {
            rules
                .par_iter()
                .map(|rule| {
                    let cx = WorkspaceCx {
                        workspace: ws,
                        config: &self.config,
                        rule: rule.meta(),
                        resolution: &resolution,
                        graph: &graph,
                    };
                    let mut sink = WorkspaceSink::default();
                    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        rule.check_workspace(&cx, &mut sink)
                    }));
                    if res.is_err() {
                        tracing::error!(rule = rule.meta().id, "workspace rule panicked");
                        return None;
                    }
                    Some(sink)
                })
                .collect()
        };
        // The rules that need neither the name resolution nor the module graph run while those
        // are built; the others after. (Built lazily inside a rule instead, one rule would
        // wait for another's.) A panic while building leaves it unset: the rules that need it
        // build it again, and their own `catch_unwind` reports it.
        let (dependent, independent): (Vec<&dyn Rule>, Vec<&dyn Rule>) = self
            .rules
            .iter()
            .copied()
            .partition(|r| r.uses_resolution() || r.uses_graph());
        let needs_resolution = dependent.iter().any(|r| r.uses_resolution());
        let needs_graph = dependent.iter().any(|r| r.uses_graph());
        let (mut sinks, early) = rayon::join(
            || {
                rayon::join(
                    || {
                        if needs_resolution {
                            quiet(&|| {
                                resolution.get_or_init(|| super::resolve::resolve(ws));
                            })
                        }
                    },
                    || {
                        if needs_graph {
                            quiet(&|| {
                                graph.get_or_init(|| super::graph::ModuleGraph::build(ws));
                            })
                        }
                    },
                );
                run(&dependent)
            },
            || run(&independent),
        );
        sinks.extend(early);
        for sink in sinks.into_iter().flatten() {
            for (file, f) in sink.findings {
                out.entry(file).or_default().push(f);
            }
        }
        // Rules may walk hash maps: a fixed order makes runs comparable (the server republishes
        // only the files whose findings changed).
        for f in out.values_mut() {
            f.sort_by(|a, b| {
                (a.range.start(), a.range.end(), a.rule, &a.message).cmp(&(
                    b.range.start(),
                    b.range.end(),
                    b.rule,
                    &b.message,
                ))
            });
        }
        out
    }

    /// Applies config severities, test filtering and suppressions to one file's findings, and
    /// reports suppressions that are invalid or unused. Sorted by position.
    pub fn finalize(&self, summary: &FileSummary, mut findings: Vec<Finding>) -> Vec<Finding> {
        let index = summary.line_index.as_ref();
        let mut used: Vec<Vec<bool>> = summary
            .suppressions
            .iter()
            .map(|s| vec![false; s.ids.len()])
            .collect();
        findings.retain_mut(|f| {
            let Some(meta) = rules::meta(f.rule) else {
                return true;
            };
            if meta.id != rules::internal::META.id {
                if !self.config.check_tests(meta) && summary.is_test_range(f.range) {
                    return false;
                }
                let default = meta.default_severity;
                let configured = self.config.severity(meta);
                if configured != default && f.severity == default {
                    f.severity = configured;
                }
            }
            let line = index.map_or(0, |i| i.line_of(f.range.start()));
            let mut suppressed = false;
            for (si, s) in summary.suppressions.iter().enumerate() {
                if s.covers(f.rule, line) {
                    for (ii, id) in s.ids.iter().enumerate() {
                        if id.id == f.rule {
                            used[si][ii] = true;
                        }
                    }
                    suppressed = true;
                }
            }
            !suppressed
        });
        findings.extend(rules::suppressions::check(self, summary, &used));
        findings.sort_by(|a, b| {
            (a.range.start(), a.rule, &a.message).cmp(&(b.range.start(), b.rule, &b.message))
        });
        findings.dedup_by(|a, b| a.range == b.range && a.rule == b.rule && a.message == b.message);
        findings
    }

    /// Config severities for findings in files that are not Rust sources (`Cargo.toml`), which
    /// have no suppressions or test code. Sorted by position.
    pub fn finalize_foreign(&self, mut findings: Vec<Finding>) -> Vec<Finding> {
        for f in &mut findings {
            if let Some(meta) = rules::meta(f.rule) {
                if f.severity == meta.default_severity {
                    f.severity = self.config.severity(meta);
                }
            }
        }
        findings.sort_by(|a, b| {
            (a.range.start(), a.rule, &a.message).cmp(&(b.range.start(), b.rule, &b.message))
        });
        findings
    }
}

/// The spaces and tabs a whitespace token starts with (an item's `vis_ws`).
fn leading_blanks(text: &str) -> u32 {
    text.chars().take_while(|c| *c == ' ' || *c == '\t').count() as u32
}

/// [`Engine::kind_flags`]: some rule looks at nodes of the kind.
const RULES: u8 = 1;
/// [`Engine::kind_flags`]: [`Collector::enters`].
const COLLECT_ENTER: u8 = 2;
/// [`Engine::kind_flags`]: [`Collector::leaves`].
const COLLECT_LEAVE: u8 = 4;

/// Builds the summary during the walk.
#[derive(Default)]
struct Collector<'g> {
    /// The identifiers inside macro calls and definitions (for `FileSummary::macro_idents`).
    macro_idents: Vec<&'g str>,
    scope: Vec<SmolStr>,
    /// A buffer for the segments of each path.
    segments: Vec<std::borrow::Cow<'g, str>>,
    /// The names and scopes of the paths pushed so far.
    paths: super::model::PathTableBuilder,
    /// `scope` as the summary entries hold it (rebuilt when a module opens or closes).
    shared_scope: super::model::Scope,
    /// The depths of the nodes that opened a scope, to pop on leave.
    scope_nodes: Vec<usize>,
    /// The depths of the test items the walk is in.
    test_depth: Vec<usize>,
    /// How many `USE_TREE`s the walk is inside (paths there are `use` leaves, not path refs).
    use_depth: usize,
    /// The owner of the last associated item pushed, by its `impl` / `trait` node: the items
    /// of one impl share it (reading an impl's types builds all its children's nodes).
    last_owner: Option<((TextSize, SyntaxKind), Arc<Owner>)>,
}

impl<'g> Collector<'g> {
    fn in_test(&self) -> bool {
        !self.test_depth.is_empty()
    }

    /// Items that may carry a test attribute (`#[test]`, `#[cfg(test)]`).
    fn may_be_test(kind: SyntaxKind) -> bool {
        (ast::Item::can_cast(kind) || ast::AssocItem::can_cast(kind))
            && ast::AnyHasAttrs::can_cast(kind)
    }

    /// `true` for the kinds [`Collector::enter`] (and the engine's count of `ERROR` nodes) needs
    /// to see; the walk passes over the others.
    fn enters(kind: SyntaxKind) -> bool {
        Self::may_be_test(kind)
            || Self::records_item(kind)
            || matches!(
                kind,
                SyntaxKind::ERROR
                    | SyntaxKind::MODULE
                    | SyntaxKind::USE_TREE
                    | SyntaxKind::USE
                    | SyntaxKind::PATH
                    | SyntaxKind::TOKEN_TREE
            )
    }

    /// The item kinds other than `mod` that the summary records (module-level and associated
    /// ones, see [`Collector::enter`]).
    fn records_item(kind: SyntaxKind) -> bool {
        matches!(
            kind,
            SyntaxKind::FN
                | SyntaxKind::STRUCT
                | SyntaxKind::ENUM
                | SyntaxKind::UNION
                | SyntaxKind::TRAIT
                | SyntaxKind::TYPE_ALIAS
                | SyntaxKind::CONST
                | SyntaxKind::STATIC
                | SyntaxKind::MACRO_RULES
                | SyntaxKind::MACRO_DEF
                | SyntaxKind::EXTERN_CRATE
        )
    }

    /// `true` for the kinds [`Collector::leave`] needs to see: the ones whose `enter` pushes
    /// on a stack (a node left is the last one entered at its depth).
    fn leaves(kind: SyntaxKind) -> bool {
        Self::may_be_test(kind) || matches!(kind, SyntaxKind::MODULE | SyntaxKind::USE_TREE)
    }

    /// Called only for the kinds [`Collector::enters`] lists: a kind handled here must be
    /// listed there (the engine's `summary_matches_the_ast` test reads every item kind).
    fn enter(&mut self, walk: &mut LazyWalk<'g>, s: &mut FileSummary) {
        let kind = walk.kind();
        let depth = walk.depth();
        // Test context (most items have no attribute: no syntax node built for those).
        if Self::may_be_test(kind) && walk.green().has_test_attr() {
            s.test_ranges.push(walk.range());
            self.test_depth.push(depth);
        }
        match kind {
            SyntaxKind::MODULE => {
                let node = walk.node();
                let m = ast::Module::cast(node.clone()).unwrap();
                if let Some((name, name_range)) = name_of(&m) {
                    let (vis, _) = Visibility::of(&m);
                    s.mods.push(ModDecl {
                        scope: self.shared_scope.clone(),
                        name: name.clone(),
                        inline: m.item_list().is_some(),
                        path_attr: path_attr(&m),
                        vis,
                        range: node.text_range(),
                        name_range,
                        is_test: self.in_test(),
                    });
                    self.push_item(walk, s);
                    if m.item_list().is_some() {
                        self.scope.push(name);
                        self.shared_scope = self.scope.as_slice().into();
                        self.scope_nodes.push(depth);
                    }
                }
            }
            kind if Self::records_item(kind) => {
                // Only module-level and associated items; items in function bodies are local.
                if matches!(
                    walk.ancestor_kind(1),
                    Some(
                        SyntaxKind::SOURCE_FILE
                            | SyntaxKind::ITEM_LIST
                            | SyntaxKind::ASSOC_ITEM_LIST
                    )
                ) {
                    self.push_item(walk, s);
                }
            }
            SyntaxKind::USE_TREE => self.use_depth += 1,
            SyntaxKind::USE => {
                let node = walk.at();
                if let Some(tree) = node.child(SyntaxKind::USE_TREE) {
                    let vis = node
                        .child(SyntaxKind::VISIBILITY)
                        .map_or(Visibility::Private, |v| {
                            Visibility::from_text(&v.text_without_whitespace())
                        });
                    let mut leaves = Vec::new();
                    flatten_use(tree, &mut Vec::new(), &mut leaves);
                    for (path, alias, glob, range) in leaves {
                        s.uses.push(UseDecl {
                            scope: self.shared_scope.clone(),
                            path,
                            alias,
                            glob,
                            vis: vis.clone(),
                            range,
                            item_range: node.range(),
                            is_test: self.in_test(),
                        });
                    }
                }
            }
            SyntaxKind::PATH => {
                // Read from the green tree: paths are the most common nodes the summary keeps.
                let parent = walk.ancestor_kind(1);
                if parent != Some(SyntaxKind::PATH) && self.use_depth == 0 {
                    // Read into a reused buffer (borrowed from the tree), then into the
                    // file's path table. Most paths are one lowercase name (a local): read,
                    // then not kept.
                    let segments = &mut self.segments;
                    walk.path_segments(segments);
                    let keep = (parent == Some(SyntaxKind::PATH_EXPR)
                        && walk.ancestor_kind(2) == Some(SyntaxKind::CALL_EXPR))
                        || segments.len() > 1
                        || segments
                            .first()
                            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
                    if keep && !segments.is_empty() {
                        let is_test = self.in_test();
                        let p = self.paths.push(
                            &self.shared_scope,
                            &self.segments,
                            walk.range(),
                            is_test,
                        );
                        s.paths.push(p);
                    }
                }
            }
            // Macro invocations and macro definitions (a `macro_rules!` body can name any
            // item through `$crate::..`).
            SyntaxKind::TOKEN_TREE
                if matches!(
                    walk.ancestor_kind(1),
                    Some(SyntaxKind::MACRO_CALL | SyntaxKind::MACRO_RULES | SyntaxKind::MACRO_DEF)
                ) =>
            {
                walk.idents(&mut self.macro_idents);
            }
            _ => {}
        }
    }

    /// Called only for the kinds [`Collector::leaves`] lists (as [`Collector::enter`]).
    fn leave(&mut self, walk: &LazyWalk<'_>) {
        if walk.kind() == SyntaxKind::USE_TREE {
            self.use_depth -= 1;
        }
        // In a preorder walk, the last scope opened at this depth is the node being left.
        let depth = walk.depth();
        if self.scope_nodes.last() == Some(&depth) {
            self.scope_nodes.pop();
            self.scope.pop();
            self.shared_scope = self.scope.as_slice().into();
        }
        if self.test_depth.last() == Some(&depth) {
            self.test_depth.pop();
        }
    }

    /// Records the current node of the walk (an item) in the summary when it is a module-level
    /// or associated item. Read from the green tree: the `ast` accessors build a syntax node for
    /// each child they pass over, and this runs for every item of every file.
    fn push_item(&mut self, walk: &LazyWalk<'_>, s: &mut FileSummary) {
        // Only module-level and associated items; items inside function bodies are local.
        let owner = match walk.ancestor_kind(1) {
            Some(SyntaxKind::SOURCE_FILE | SyntaxKind::ITEM_LIST) => None,
            Some(SyntaxKind::ASSOC_ITEM_LIST) => {
                let Some(gp) = walk.ancestor(2) else { return };
                let key = (gp.offset, gp.kind());
                match self.last_owner.as_ref().filter(|(k, _)| *k == key) {
                    Some((_, owner)) => Some(owner.clone()),
                    None => {
                        let Some(owner) = owner_of(gp) else { return };
                        let owner = Arc::new(owner);
                        self.last_owner = Some((key, owner.clone()));
                        Some(owner)
                    }
                }
            }
            _ => return,
        };
        let node = walk.at();
        let kind = match node.kind() {
            SyntaxKind::FN => ItemKind::Fn,
            SyntaxKind::STRUCT => ItemKind::Struct,
            SyntaxKind::ENUM => ItemKind::Enum,
            SyntaxKind::UNION => ItemKind::Union,
            SyntaxKind::TRAIT => ItemKind::Trait,
            SyntaxKind::TYPE_ALIAS => ItemKind::TypeAlias,
            SyntaxKind::CONST => ItemKind::Const,
            SyntaxKind::STATIC => ItemKind::Static,
            SyntaxKind::MODULE => ItemKind::Mod,
            SyntaxKind::MACRO_RULES => ItemKind::MacroRules,
            SyntaxKind::MACRO_DEF => ItemKind::MacroDef,
            SyntaxKind::EXTERN_CRATE => ItemKind::ExternCrate,
            _ => return,
        };
        let name = |n: GreenAt<'_>| Some((SmolStr::new(n.first_token_text()?), n.range()));
        let named = if kind == ItemKind::ExternCrate {
            // `extern crate a as b;` is named `b`; `extern crate a as _;` (no name) and
            // `extern crate a;` are named `a`.
            node.child(SyntaxKind::RENAME)
                .and_then(|r| r.child(SyntaxKind::NAME))
                .or_else(|| node.child(SyntaxKind::NAME_REF))
                .and_then(name)
        } else {
            node.child(SyntaxKind::NAME).and_then(name)
        };
        let Some((name, name_range)) = named else {
            return;
        };
        let vis_node = node.child(SyntaxKind::VISIBILITY);
        let (vis, vis_range) = match vis_node {
            Some(v) => (
                Visibility::from_text(&v.text_without_whitespace()),
                Some(v.range()),
            ),
            None => (Visibility::Private, None),
        };
        // The spaces and tabs after the visibility, up to anything else (a newline, a comment).
        // Only where a fix removes the visibility (narrowable-pub: fns, consts, statics), so
        // that respacing other items stays a move of offsets.
        let removable = matches!(kind, ItemKind::Fn | ItemKind::Const | ItemKind::Static);
        let vis_ws = match vis_node.filter(|_| removable) {
            Some(v) => {
                let mut after = node
                    .children_with_tokens()
                    .skip_while(|c| !matches!(c, NodeOrToken::Node(n) if n.offset == v.offset));
                match after.nth(1) {
                    Some(NodeOrToken::Token((t, _)))
                        if t.kind().0 == SyntaxKind::WHITESPACE as u16 =>
                    {
                        leading_blanks(t.text())
                    }
                    _ => 0,
                }
            }
            None => 0,
        };
        s.items.push(ItemSummary {
            name,
            kind,
            vis,
            scope: self.shared_scope.clone(),
            owner,
            range: node.range(),
            name_range,
            vis_range,
            vis_ws,
            hidden_ranges: hidden_ranges(node).into(),
            macro_export: node.green.has_simple_attr("macro_export"),
            is_test: self.in_test(),
        });
    }
}

/// The owner of the associated items of an `impl` or `trait` node (`None` for other nodes).
fn owner_of(node: GreenAt<'_>) -> Option<Owner> {
    match node.kind() {
        SyntaxKind::IMPL => {
            // As `ast::Impl::trait_()` / `self_ty()`: the first type is the trait when it starts
            // before the `for` keyword; the self type is the next one.
            let for_at = node.children_with_tokens().find_map(|c| match c {
                NodeOrToken::Token((t, at)) if t.kind().0 == SyntaxKind::FOR_KW as u16 => Some(at),
                _ => None,
            });
            let mut types = node
                .child_nodes()
                .filter(|c| ast::Type::can_cast(c.kind()))
                .peekable();
            let trait_ = types.next_if(|t| for_at.is_some_and(|f| t.offset < f));
            let self_ty = types.next();
            Some(Owner {
                self_ty: self_ty
                    .map(|t| t.green.type_head())
                    .unwrap_or_default()
                    .into(),
                trait_name: trait_.map(|t| t.green.type_head().into()),
                in_trait_def: false,
            })
        }
        SyntaxKind::TRAIT => {
            let name: SmolStr = node
                .child(SyntaxKind::NAME)
                .and_then(GreenAt::first_token_text)
                .unwrap_or_default()
                .into();
            Some(Owner {
                self_ty: name.clone(),
                trait_name: Some(name),
                in_trait_def: true,
            })
        }
        _ => None,
    }
}

/// The parts of an item that are not its interface: a fn body, non-`pub` fields.
fn hidden_ranges(item: GreenAt<'_>) -> Vec<TextRange> {
    // A field whose visibility is not written exactly `pub`.
    let private = |f: &GreenAt<'_>| {
        f.child(SyntaxKind::VISIBILITY)
            .is_none_or(|v| !v.text_is("pub"))
    };
    let fields = |list: Option<GreenAt<'_>>, field: SyntaxKind| -> Vec<TextRange> {
        list.into_iter()
            .flat_map(|l| l.child_nodes())
            .filter(|f| f.kind() == field && private(f))
            .map(GreenAt::range)
            .collect()
    };
    match item.kind() {
        SyntaxKind::FN => item
            .child(SyntaxKind::BLOCK_EXPR)
            .map(GreenAt::range)
            .into_iter()
            .collect(),
        SyntaxKind::STRUCT => {
            // `ast::Struct::field_list()`: the first record or tuple field list.
            let list = item.child_nodes().find(|c| {
                matches!(
                    c.kind(),
                    SyntaxKind::RECORD_FIELD_LIST | SyntaxKind::TUPLE_FIELD_LIST
                )
            });
            let field = match list.map(GreenAt::kind) {
                Some(SyntaxKind::TUPLE_FIELD_LIST) => SyntaxKind::TUPLE_FIELD,
                _ => SyntaxKind::RECORD_FIELD,
            };
            fields(list, field)
        }
        SyntaxKind::UNION => fields(
            item.child(SyntaxKind::RECORD_FIELD_LIST),
            SyntaxKind::RECORD_FIELD,
        ),
        _ => Vec::new(),
    }
}

/// The last path segment's name of a type (`foo::Bar<T>` -> `Bar`, `&Bar` -> `Bar`).
pub fn type_head(t: &ast::Type) -> String {
    match t {
        ast::Type::PathType(p) => p
            .path()
            .and_then(|p| p.segment())
            .and_then(|s| s.name_ref())
            .map(|n| n.text().to_string())
            .unwrap_or_default(),
        ast::Type::RefType(r) => r.ty().map(|t| type_head(&t)).unwrap_or_default(),
        _ => super::syntax::node_text(t.syntax()),
    }
}

type UseLeaf = (Vec<SmolStr>, Option<SmolStr>, bool, TextRange);

/// The leaves of a use tree (`a::{b, c::*}` -> `a::b`, `a::c::*`), read from the green tree as
/// `ast::UseTree`'s accessors would (the first path, list, `*` and rename of each tree).
fn flatten_use(tree: GreenAt<'_>, prefix: &mut Vec<SmolStr>, out: &mut Vec<UseLeaf>) {
    let n = prefix.len();
    if let Some(path) = tree.child(SyntaxKind::PATH) {
        path.green.push_path_segments(prefix);
    }
    if let Some(list) = tree.child(SyntaxKind::USE_TREE_LIST) {
        for sub in list
            .child_nodes()
            .filter(|c| c.kind() == SyntaxKind::USE_TREE)
        {
            flatten_use(sub, prefix, out);
        }
    } else {
        let glob = tree.green.has_token(SyntaxKind::STAR);
        let alias = tree.child(SyntaxKind::RENAME).map(|r| {
            r.child(SyntaxKind::NAME)
                .and_then(GreenAt::first_token_text)
                .map_or_else(|| SmolStr::new_static("_"), SmolStr::new)
        });
        out.push((prefix.clone(), alias, glob, tree.range()));
    }
    prefix.truncate(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `.rs` files under `dir`, recursively, sorted.
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }

    /// This crate's sources and the shipped fixture workspaces' `.rs` files, in a fixed order.
    fn crate_and_fixture_sources() -> Vec<std::path::PathBuf> {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        rust_files(&manifest.join("src"), &mut files);
        rust_files(&manifest.join("../tests/fixtures"), &mut files);
        files
    }

    /// Module-level and associated items as the `ast` accessors see them (what `push_item`
    /// read before it read the green tree), for the comparison below.
    fn ast_items(root: &crate::analysis::syntax::SyntaxNode) -> Vec<ItemSummary> {
        use crate::analysis::model::has_attr;
        use crate::analysis::syntax::{HasName, HasVisibility};
        let mut out = Vec::new();
        for node in root.descendants() {
            let Some(item) = ast::Item::cast(node.clone()) else {
                continue;
            };
            let Some(parent) = node.parent() else {
                continue;
            };
            let owner = match parent.kind() {
                SyntaxKind::SOURCE_FILE | SyntaxKind::ITEM_LIST => None,
                SyntaxKind::ASSOC_ITEM_LIST => {
                    let gp = parent.parent().unwrap();
                    if let Some(imp) = ast::Impl::cast(gp.clone()) {
                        Some(Owner {
                            self_ty: imp
                                .self_ty()
                                .map(|t| type_head(&t))
                                .unwrap_or_default()
                                .into(),
                            trait_name: imp.trait_().map(|t| type_head(&t).into()),
                            in_trait_def: false,
                        })
                    } else if let Some(tr) = ast::Trait::cast(gp) {
                        let name: SmolStr = tr.name().map(|n| n.text().into()).unwrap_or_default();
                        Some(Owner {
                            self_ty: name.clone(),
                            trait_name: Some(name),
                            in_trait_def: true,
                        })
                    } else {
                        continue;
                    }
                }
                _ => continue,
            };
            let (kind, named) = match &item {
                ast::Item::Fn(x) => (ItemKind::Fn, name_of(x)),
                ast::Item::Struct(x) => (ItemKind::Struct, name_of(x)),
                ast::Item::Enum(x) => (ItemKind::Enum, name_of(x)),
                ast::Item::Union(x) => (ItemKind::Union, name_of(x)),
                ast::Item::Trait(x) => (ItemKind::Trait, name_of(x)),
                ast::Item::TypeAlias(x) => (ItemKind::TypeAlias, name_of(x)),
                ast::Item::Const(x) => (ItemKind::Const, name_of(x)),
                ast::Item::Static(x) => (ItemKind::Static, name_of(x)),
                ast::Item::Module(x) => (ItemKind::Mod, name_of(x)),
                ast::Item::MacroRules(x) => (ItemKind::MacroRules, name_of(x)),
                ast::Item::MacroDef(x) => (ItemKind::MacroDef, name_of(x)),
                ast::Item::ExternCrate(x) => (
                    ItemKind::ExternCrate,
                    x.rename()
                        .and_then(|r| r.name())
                        .map(|n| (SmolStr::new(n.text()), n.syntax().text_range()))
                        .or_else(|| {
                            x.name_ref()
                                .map(|n| (SmolStr::new(n.text()), n.syntax().text_range()))
                        }),
                ),
                _ => continue,
            };
            let Some((name, name_range)) = named else {
                continue;
            };
            let v = ast::AnyHasVisibility::cast(node.clone()).unwrap();
            let (vis, vis_range) = Visibility::of(&v);
            let removable = matches!(kind, ItemKind::Fn | ItemKind::Const | ItemKind::Static);
            let vis_ws = match v.visibility().filter(|_| removable) {
                Some(v) => match v.syntax().next_sibling_or_token() {
                    Some(NodeOrToken::Token(t)) if t.kind() == SyntaxKind::WHITESPACE => {
                        leading_blanks(t.text())
                    }
                    _ => 0,
                },
                None => 0,
            };
            let private = |v: Option<ast::Visibility>| v.is_none_or(|v| v.syntax().text() != "pub");
            let hidden: Vec<TextRange> = match &item {
                ast::Item::Fn(f) => f
                    .body()
                    .map(|b| b.syntax().text_range())
                    .into_iter()
                    .collect(),
                ast::Item::Struct(x) => match x.field_list() {
                    Some(ast::FieldList::RecordFieldList(l)) => l
                        .fields()
                        .filter(|f| private(f.visibility()))
                        .map(|f| f.syntax().text_range())
                        .collect(),
                    Some(ast::FieldList::TupleFieldList(l)) => l
                        .fields()
                        .filter(|f| private(f.visibility()))
                        .map(|f| f.syntax().text_range())
                        .collect(),
                    None => Vec::new(),
                },
                ast::Item::Union(u) => u
                    .record_field_list()
                    .into_iter()
                    .flat_map(|l| l.fields())
                    .filter(|f| private(f.visibility()))
                    .map(|f| f.syntax().text_range())
                    .collect(),
                _ => Vec::new(),
            };
            out.push(ItemSummary {
                name,
                kind,
                vis,
                scope: Arc::from([]),
                owner: owner.map(Arc::new),
                range: node.text_range(),
                name_range,
                vis_range,
                vis_ws,
                hidden_ranges: hidden.into(),
                macro_export: has_attr(&ast::AnyHasAttrs::cast(node).unwrap(), "macro_export"),
                is_test: false,
            });
        }
        out
    }

    type AstUse = (
        Vec<SmolStr>,
        Option<SmolStr>,
        bool,
        Visibility,
        TextRange,
        TextRange,
    );

    /// The `use` leaves, test ranges and kept paths as the `ast` accessors give them (what the
    /// collector read before it read the green tree), for the comparison below.
    #[allow(clippy::type_complexity)]
    fn ast_uses_tests_and_paths(
        root: &crate::analysis::syntax::SyntaxNode,
    ) -> (Vec<AstUse>, Vec<TextRange>, Vec<(Vec<SmolStr>, TextRange)>) {
        use crate::analysis::model::is_test_attr;
        use crate::analysis::syntax::{path_segments_smol, HasName};
        fn flatten(tree: &ast::UseTree, prefix: &mut Vec<SmolStr>, out: &mut Vec<UseLeaf>) {
            let n = prefix.len();
            if let Some(path) = tree.path() {
                prefix.extend(path_segments_smol(&path));
            }
            if let Some(list) = tree.use_tree_list() {
                for sub in list.use_trees() {
                    flatten(&sub, prefix, out);
                }
            } else {
                let alias = tree.rename().map(|r| {
                    r.name()
                        .map(|n| SmolStr::new(n.text()))
                        .unwrap_or_else(|| SmolStr::new_static("_"))
                });
                let glob = tree.star_token().is_some();
                out.push((prefix.clone(), alias, glob, tree.syntax().text_range()));
            }
            prefix.truncate(n);
        }
        let (mut uses, mut tests, mut paths) = (Vec::new(), Vec::new(), Vec::new());
        for node in root.descendants() {
            let kind = node.kind();
            if (ast::Item::can_cast(kind) || ast::AssocItem::can_cast(kind))
                && ast::AnyHasAttrs::cast(node.clone()).is_some_and(|a| is_test_attr(&a))
            {
                tests.push(node.text_range());
            }
            if let Some(u) = ast::Use::cast(node.clone()) {
                if let Some(tree) = u.use_tree() {
                    let (vis, _) = Visibility::of(&u);
                    let mut leaves = Vec::new();
                    flatten(&tree, &mut Vec::new(), &mut leaves);
                    for (path, alias, glob, range) in leaves {
                        uses.push((path, alias, glob, vis.clone(), range, node.text_range()));
                    }
                }
            }
            if let Some(p) = ast::Path::cast(node.clone()) {
                let parent = node.parent().map(|p| p.kind());
                let in_use = node.ancestors().any(|a| a.kind() == SyntaxKind::USE_TREE);
                // Macro arguments are not walked (see `analyse_parsed`).
                let in_tt = node.ancestors().any(|a| a.kind() == SyntaxKind::TOKEN_TREE);
                if parent == Some(SyntaxKind::PATH) || in_use || in_tt {
                    continue;
                }
                let segs = path_segments_smol(&p);
                let call = parent == Some(SyntaxKind::PATH_EXPR)
                    && node.parent().and_then(|p| p.parent()).map(|g| g.kind())
                        == Some(SyntaxKind::CALL_EXPR);
                let keep = segs.len() > 1
                    || segs
                        .first()
                        .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
                    || call;
                if keep && !segs.is_empty() {
                    paths.push((segs, node.text_range()));
                }
            }
        }
        (uses, tests, paths)
    }

    /// The summary's items, `use` leaves, test ranges and paths, read from the green tree, are
    /// the ones the `ast` accessors give (scopes and test flags aside), on this crate's sources, the fixture workspaces and a
    /// file of edge cases.
    #[test]
    fn summary_matches_the_ast() {
        let files = crate_and_fixture_sources();
        let mut texts: Vec<String> = files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        texts.push(
            "extern crate a as b;\nextern crate c as _;\nextern crate d;\n\
             pub  fn f() {}\npub(crate)\tconst C: u8 = 0;\npub /* c */ static S: u8 = 0;\n\
             #[macro_export] macro_rules! m { () => {} }\n#[unsafe(no_mangle)] fn g() {}\n\
             struct T(pub u8, pub(crate) u8, u8);\nunion U { pub a: u8, b: u16 }\n\
             struct R { pub  a: u8, pub\n b: u8, c: u8 }\n\
             impl<T> Tr for &'a Vec<T> { fn h(&self) {} type X = u8; }\n\
             impl [u8] { const K: u8 = 0; }\ntrait Q { fn q(); }\n\
             mod inner { pub(in crate::x) fn i() {} pub mod deeper { fn j() {} } }\n\
             pub use a::{b as _, c::{self, *}, D as E};\nuse ::f;\nuse {g, h::i};\n\
             #[cfg(test)] mod t { #[test] fn u() { x(); Y; z; self::w::v(); } }\n\
             #[tokio::test] async fn k() {}\n#[unsafe(cfg(test))] fn l() {}\n"
                .to_string(),
        );
        let engine = Engine::new(Arc::new(Config::default()), &Selection::default());
        let mut items = 0;
        for text in &texts {
            let meta = FileMeta {
                rel_path: "src/lib.rs".into(),
                edition: Edition::E2021,
                target: TargetKind::Lib,
                crate_name: None,
            };
            let parsed = crate::analysis::syntax::parse(text, Edition::E2021);
            let got: Vec<ItemSummary> = engine
                .analyse_parsed(&meta, text, &parsed)
                .summary
                .items
                .iter()
                .map(|i| ItemSummary {
                    scope: Arc::from([]),
                    is_test: false,
                    ..i.clone()
                })
                .collect();
            let summary = engine.analyse_parsed(&meta, text, &parsed).summary;
            let root = parsed.tree().syntax().clone();
            assert_eq!(got, ast_items(&root));
            let (uses, tests, paths) = ast_uses_tests_and_paths(&root);
            let got_uses: Vec<_> = summary
                .uses
                .iter()
                .map(|u| {
                    let (path, alias, glob) = (u.path.clone(), u.alias.clone(), u.glob);
                    (path, alias, glob, u.vis.clone(), u.range, u.item_range)
                })
                .collect();
            assert_eq!(got_uses, uses);
            assert_eq!(summary.test_ranges, tests);
            let got_paths: Vec<_> = summary
                .paths
                .iter()
                .map(|p| {
                    (
                        summary.path_table.segments(p).cloned().collect::<Vec<_>>(),
                        p.range,
                    )
                })
                .collect();
            assert_eq!(got_paths, paths);
            items += got.len() + uses.len() + tests.len() + paths.len();
        }
        assert!(items > 1000, "{items}");
    }

    /// The prefilter contract on real code: every rule (the ones off by default too) on this
    /// crate's sources and the shipped fixture workspaces gives the same findings and
    /// summaries with and without the prefilters and the walk's kind table
    /// ([`Engine::without_shortcuts`]). (The rule fixtures are checked the same way by
    /// `fixture::analyse`.)
    #[test]
    fn prefilters_only_turn_away_nodes_rules_ignore() {
        let files = crate_and_fixture_sources();
        assert!(files.len() > 50, "{}", files.len());
        let select = Selection {
            select: rules::all()
                .iter()
                .map(|r| r.meta().id.to_string())
                .collect(),
            ignore: vec![],
        };
        let config = Arc::new(Config::default());
        let filtered = Engine::new(config.clone(), &select);
        let unfiltered = Engine::new(config, &select).without_shortcuts();
        let mut findings = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let meta = FileMeta {
                rel_path: path.display().to_string(),
                edition: Edition::E2021,
                target: TargetKind::Lib,
                crate_name: Some("fixture".into()),
            };
            let a = filtered.analyse_text(&meta, &text);
            let b = unfiltered.analyse_text(&meta, &text);
            assert_eq!(a.findings, b.findings, "{}", meta.rel_path);
            assert!(a.summary == b.summary, "{}", meta.rel_path);
            findings += a.findings.len() + a.summary.facts.len();
        }
        // The comparison is not between two empty results.
        assert!(findings > 100, "{findings}");
    }
}
