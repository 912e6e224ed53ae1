//! The module dependency graph of a workspace, and the declared architecture it is checked
//! against (`[[layers]]`, `[[forbid]]`, `[[independent]]` in `boundary.toml`).
//!
//! Pure: built from the workspace model (module paths of files and inline modules, `use` leaves
//! and paths of the file summaries, `Cargo.toml` dependencies). Paths are resolved
//! syntactically: `crate::`, `self::`, `super::`, child modules, workspace crates and declared
//! dependencies by name. Names brought in by `use` are not followed (the `use` itself is the
//! edge), and macros are not expanded.

// Fx hashing: the graph is built from every path of the workspace (SipHash was most of the
// 214k `hash_one` calls of the workspace phase on a 360k-line corpus).
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

use super::config::{ArchEntry, Config, ConfigError};
use super::syntax::{Edition, SmolStr, TextRange};
use super::workspace::{TargetKind, Workspace};

/// Index of a module in [`ModuleGraph::modules`].
pub type ModId = usize;

/// One crate (a target of a package) of the workspace.
#[derive(Debug, Clone)]
pub struct CrateInfo {
    pub package: usize,
    pub target: usize,
    /// The name as written in Rust (`my_core`).
    pub name: String,
    /// The name shown in pictures: `name`, or `name (bin)` when a bin shares the lib's name.
    pub label: String,
    pub kind: TargetKind,
    pub root: ModId,
}

/// A module: a file's module or an inline / declared `mod`.
#[derive(Debug, Clone)]
pub struct Module {
    pub krate: usize,
    /// The path below the crate root (`["domain", "stock"]`; empty for the root).
    pub path: Vec<SmolStr>,
    pub parent: Option<ModId>,
    /// Workspace file index of the module's own file, when it has one.
    pub file: Option<usize>,
    /// A `#[cfg(test)]` module or one inside test code.
    pub is_test: bool,
}

/// Where an edge goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EdgeTarget {
    Module(ModId),
    /// An external crate, with the path below it as written (`tokio`, `["sync", "Mutex"]`).
    External(SmolStr, Vec<SmolStr>),
}

/// How the edge is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    Use,
    Path,
}

/// One dependency written in code: a `use` leaf or a path.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: ModId,
    pub to: EdgeTarget,
    /// Workspace file index and range of the `use` leaf or path.
    pub file: usize,
    pub range: TextRange,
    pub kind: EdgeKind,
    /// The path starts with `super`.
    pub via_super: bool,
    pub is_test: bool,
}

/// A `Cargo.toml` dependency between a package and a workspace crate or an external crate.
#[derive(Debug, Clone)]
pub struct CrateEdge {
    pub package: usize,
    /// The dependency's crate name as code uses it.
    pub dep: String,
    /// The lib crate when the dependency is a workspace package.
    pub to: Option<usize>,
    pub line: u32,
}

/// The module graph of a workspace.
#[derive(Debug, Clone, Default)]
pub struct ModuleGraph {
    pub crates: Vec<CrateInfo>,
    pub modules: Vec<Module>,
    pub edges: Vec<Edge>,
    pub crate_edges: Vec<CrateEdge>,
    children: HashMap<(ModId, SmolStr), ModId>,
    libs: HashMap<String, usize>,
}

const STD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

impl ModuleGraph {
    /// Builds the graph of every crate target reached by the workspace's module tree.
    pub fn build(ws: &Workspace) -> ModuleGraph {
        let mut g = ModuleGraph::default();
        let mut crate_of: HashMap<(usize, usize), usize> = HashMap::default();
        // Crates, libs first so their names win.
        let mut targets: Vec<(usize, usize)> = Vec::new();
        for (pi, p) in ws.packages.iter().enumerate() {
            for ti in 0..p.targets.len() {
                targets.push((pi, ti));
            }
        }
        targets.sort_by_key(|&(p, t)| (ws.packages[p].targets[t].kind, p, t));
        for (pi, ti) in targets {
            let t = &ws.packages[pi].targets[ti];
            if !ws.by_path.contains_key(&t.root) {
                continue;
            }
            let name = t.name.replace('-', "_");
            let label = if t.kind != TargetKind::Lib && g.libs.contains_key(&name) {
                format!("{name} ({})", t.kind.as_str())
            } else {
                name.clone()
            };
            let ci = g.crates.len();
            let root = g.modules.len();
            g.modules.push(Module {
                krate: ci,
                path: Vec::new(),
                parent: None,
                file: None,
                is_test: false,
            });
            if t.kind == TargetKind::Lib {
                g.libs.insert(name.clone(), ci);
            }
            g.crates.push(CrateInfo {
                package: pi,
                target: ti,
                name,
                label,
                kind: t.kind,
                root,
            });
            crate_of.insert((pi, ti), ci);
        }
        // Modules of files, then their declared and inline modules.
        let mut file_mod: Vec<Option<ModId>> = vec![None; ws.files.len()];
        let mut order: Vec<usize> = (0..ws.files.len()).collect();
        order.sort_by_key(|&i| ws.files[i].module_path.len());
        for &fi in &order {
            let f = &ws.files[fi];
            let Some(&ci) = f.targets.first().and_then(|t| crate_of.get(t)) else {
                continue;
            };
            let m = g.intern(ci, &f.module_path[1..]);
            if g.modules[m].file.is_none() {
                g.modules[m].file = Some(fi);
            }
            file_mod[fi] = Some(m);
        }
        for &fi in &order {
            let Some(m) = file_mod[fi] else { continue };
            let ci = g.modules[m].krate;
            let base = g.modules[m].path.clone();
            for d in &ws.files[fi].summary.mods {
                let mut p = base.clone();
                p.extend(d.scope.iter().cloned());
                p.push(d.name.clone());
                let id = g.intern(ci, &p);
                if d.is_test {
                    g.modules[id].is_test = true;
                }
            }
        }
        // Test-ness is inherited.
        for id in 0..g.modules.len() {
            if let Some(p) = g.modules[id].parent {
                if g.modules[p].is_test {
                    g.modules[id].is_test = true;
                }
            }
        }
        // Edges.
        for &fi in &order {
            let Some(fm) = file_mod[fi] else { continue };
            let f = &ws.files[fi];
            let ci = g.modules[fm].krate;
            let pkg = &ws.packages[g.crates[ci].package];
            let deps: Vec<&str> = pkg
                .dependencies
                .iter()
                .map(|d| d.crate_name.as_str())
                .collect();
            let edition = pkg.edition;
            let mut scope_cache: HashMap<Vec<SmolStr>, ModId> = HashMap::default();
            let mut scope_mod = |g: &mut ModuleGraph, scope: &[SmolStr]| -> ModId {
                if scope.is_empty() {
                    return fm;
                }
                if let Some(&m) = scope_cache.get(scope) {
                    return m;
                }
                let mut p = g.modules[fm].path.clone();
                p.extend(scope.iter().cloned());
                let m = g.intern(ci, &p);
                scope_cache.insert(scope.to_vec(), m);
                m
            };
            for u in &f.summary.uses {
                let from = scope_mod(&mut g, &u.scope);
                let mut segs: &[SmolStr] = &u.path;
                if segs.last().is_some_and(|s| s == "self") {
                    segs = &segs[..segs.len() - 1];
                }
                // `use a::b;` names `b`; `use a::b::*` reaches into `b`.
                if let Some(to) = g.resolve(from, segs, true, edition, &deps) {
                    g.edges.push(Edge {
                        from,
                        to,
                        file: fi,
                        range: u.range,
                        kind: EdgeKind::Use,
                        via_super: segs.first().is_some_and(|s| s == "super"),
                        is_test: u.is_test || g.modules[from].is_test,
                    });
                }
            }
            let table = &f.summary.path_table;
            let mut segs: Vec<SmolStr> = Vec::new();
            for p in &f.summary.paths {
                let all = table.segments(p);
                if all.len() < 2 {
                    continue;
                }
                let from = scope_mod(&mut g, table.scope(p));
                // The last segment is the item itself.
                segs.clear();
                segs.extend(all.clone().take(all.len() - 1).cloned());
                if let Some(to) = g.resolve(from, &segs, false, edition, &deps) {
                    g.edges.push(Edge {
                        from,
                        to,
                        file: fi,
                        range: p.range,
                        kind: EdgeKind::Path,
                        via_super: segs[0] == "super",
                        is_test: p.is_test || g.modules[from].is_test,
                    });
                }
            }
        }
        // Cargo.toml dependencies.
        for (pi, p) in ws.packages.iter().enumerate() {
            for d in &p.dependencies {
                let to = ws
                    .packages
                    .iter()
                    .position(|q| q.name == d.package && q.has_lib())
                    .and_then(|qi| {
                        g.crates
                            .iter()
                            .position(|c| c.package == qi && c.kind == TargetKind::Lib)
                    });
                if g.crate_edges
                    .iter()
                    .any(|e| e.package == pi && e.dep == d.crate_name)
                {
                    continue; // the same dependency in [dev-dependencies] or a target table
                }
                g.crate_edges.push(CrateEdge {
                    package: pi,
                    dep: d.crate_name.clone(),
                    to,
                    line: d.line,
                });
            }
        }
        g
    }

    fn intern(&mut self, krate: usize, path: &[SmolStr]) -> ModId {
        let mut cur = self.crates[krate].root;
        for seg in path {
            cur = match self.children.get(&(cur, seg.clone())) {
                Some(&c) => c,
                None => {
                    let id = self.modules.len();
                    let mut p = self.modules[cur].path.clone();
                    p.push(seg.clone());
                    self.modules.push(Module {
                        krate,
                        path: p,
                        parent: Some(cur),
                        file: None,
                        is_test: false,
                    });
                    self.children.insert((cur, seg.clone()), id);
                    id
                }
            };
        }
        cur
    }

    pub fn child(&self, m: ModId, name: &str) -> Option<ModId> {
        self.children.get(&(m, SmolStr::new(name))).copied()
    }

    /// Resolves the module part of a path written in module `from`.
    fn resolve(
        &self,
        from: ModId,
        segs: &[SmolStr],
        in_use: bool,
        edition: Edition,
        deps: &[&str],
    ) -> Option<EdgeTarget> {
        let first = segs.first()?;
        let krate = self.modules[from].krate;
        let (mut cur, mut rest) = match first.as_str() {
            "crate" => (self.crates[krate].root, &segs[1..]),
            "self" => (from, &segs[1..]),
            "super" => {
                let mut cur = from;
                let mut i = 0;
                while segs.get(i).is_some_and(|s| s == "super") {
                    cur = self.modules[cur].parent?;
                    i += 1;
                }
                (cur, &segs[i..])
            }
            "Self" | "$crate" => return None,
            name => {
                if let Some(c) = self.child(from, name) {
                    (c, &segs[1..])
                } else if let Some(c) = (in_use && edition == Edition::E2015)
                    .then(|| self.child(self.crates[krate].root, name))
                    .flatten()
                {
                    (c, &segs[1..])
                } else if let Some(&lib) = self.libs.get(name) {
                    (self.crates[lib].root, &segs[1..])
                } else if deps.contains(&name) || STD_CRATES.contains(&name) {
                    return Some(EdgeTarget::External(first.clone(), segs[1..].to_vec()));
                } else {
                    return None;
                }
            }
        };
        while let Some((seg, tail)) = rest.split_first() {
            match self.child(cur, seg) {
                Some(c) => {
                    cur = c;
                    rest = tail;
                }
                None => break,
            }
        }
        (cur != from).then_some(EdgeTarget::Module(cur))
    }

    /// `my_core::domain::stock`, or `my_core` for a crate root.
    pub fn name(&self, m: ModId) -> String {
        let md = &self.modules[m];
        let mut s = self.crates[md.krate].label.clone();
        for p in &md.path {
            s.push_str("::");
            s.push_str(p);
        }
        s
    }

    pub fn target_name(&self, t: &EdgeTarget) -> String {
        match t {
            EdgeTarget::Module(m) => self.name(*m),
            EdgeTarget::External(c, rest) => {
                let mut s = c.to_string();
                for r in rest {
                    s.push_str("::");
                    s.push_str(r);
                }
                s
            }
        }
    }

    /// `true` when `a` is `b` or inside it.
    pub fn is_within(&self, a: ModId, b: ModId) -> bool {
        let mut cur = Some(a);
        while let Some(c) = cur {
            if c == b {
                return true;
            }
            cur = self.modules[c].parent;
        }
        false
    }

    /// The ancestor of `m` at `depth` below its crate root (`m` itself when shallower).
    pub fn ancestor_at(&self, m: ModId, depth: usize) -> ModId {
        let mut cur = m;
        while self.modules[cur].path.len() > depth {
            cur = self.modules[cur].parent.unwrap_or(cur);
        }
        cur
    }
}

// ---------------------------------------------------------------------------------------------
// Module patterns

/// One segment of a module pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SegPat {
    /// A name, possibly with `*` wildcards inside (`handler_*`).
    Name(String),
    /// `**`: any number of segments.
    Any,
}

/// A module pattern from `boundary.toml`: `crate::domain`, `my_core::adapters::*`,
/// `tokio`, `my-core`. It matches a module and everything inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModulePattern {
    pub text: String,
    /// `None` for `crate::` (every crate of the workspace).
    krate: Option<String>,
    segs: Vec<SegPat>,
}

/// A malformed module pattern in `boundary.toml` or `--focus`; the message says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

impl ModulePattern {
    pub fn parse(text: &str) -> Result<ModulePattern, PatternError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(PatternError("empty module pattern".into()));
        }
        let mut parts = t.split("::");
        let first = parts.next().unwrap_or_default();
        let krate = match first {
            "crate" => None,
            f if f
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && !f.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                Some(f.replace('-', "_"))
            }
            _ => {
                return Err(PatternError(format!(
                    "invalid module pattern {text:?}: it must start with `crate` or a crate name"
                )))
            }
        };
        let mut segs = Vec::new();
        for p in parts {
            if p == "**" {
                segs.push(SegPat::Any);
            } else if !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '*')
                && !matches!(p, "self" | "super" | "crate")
            {
                segs.push(SegPat::Name(p.to_string()));
            } else {
                return Err(PatternError(format!(
                    "invalid module pattern {text:?}: `{p}` is not a module name, `*` or `**`"
                )));
            }
        }
        if krate.is_none() && segs.is_empty() {
            // `crate` alone: every crate root (and so everything).
        }
        Ok(ModulePattern {
            text: t.to_string(),
            krate,
            segs,
        })
    }

    /// The crate name a pattern names (`None` for `crate::`).
    pub fn crate_name(&self) -> Option<&str> {
        self.krate.as_deref()
    }

    /// `true` for a pattern that is a crate name alone (`tokio`, `my-core`).
    pub fn is_crate_only(&self) -> bool {
        self.krate.is_some() && self.segs.is_empty()
    }

    /// How many leading segments of `path` (below the crate) the pattern matches, when it
    /// matches the module or one of its ancestors (the shortest match).
    pub fn match_len(&self, krate: &str, path: &[SmolStr]) -> Option<usize> {
        if let Some(k) = &self.krate {
            if k != krate {
                return None;
            }
        }
        match_prefix(&self.segs, path, 0)
    }

    /// How specific the pattern is (more literal segments: more specific).
    pub fn specificity(&self) -> usize {
        self.segs.len() * 2 + usize::from(self.krate.is_some())
    }
}

fn match_prefix(pat: &[SegPat], path: &[SmolStr], used: usize) -> Option<usize> {
    let Some((p, rest)) = pat.split_first() else {
        return Some(used);
    };
    match p {
        SegPat::Any => {
            (0..=path.len()).find_map(|skip| match_prefix(rest, &path[skip..], used + skip))
        }
        SegPat::Name(n) => {
            let (seg, tail) = path.split_first()?;
            glob_match(n, seg).then(|| match_prefix(rest, tail, used + 1))?
        }
    }
}

/// `*` matches any run of characters inside one segment.
fn glob_match(pat: &str, s: &str) -> bool {
    if !pat.contains('*') {
        return pat == s;
    }
    let parts: Vec<&str> = pat.split('*').collect();
    let mut rest = s;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// The declared architecture

/// Which config entry a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Layers,
    Forbid,
    Independent,
}

impl EntryKind {
    pub fn table(self) -> &'static str {
        match self {
            EntryKind::Layers => "layers",
            EntryKind::Forbid => "forbid",
            EntryKind::Independent => "independent",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub patterns: Vec<ModulePattern>,
    pub reason: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Forbid {
    pub from: ModulePattern,
    pub to: Vec<ModulePattern>,
    pub reason: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Independent {
    pub patterns: Vec<ModulePattern>,
    pub reason: Option<String>,
    pub line: u32,
}

/// The compiled `[[layers]]`, `[[forbid]]` and `[[independent]]` entries.
#[derive(Debug, Clone, Default)]
pub struct Architecture {
    /// Top to bottom.
    pub layers: Vec<Layer>,
    pub forbid: Vec<Forbid>,
    pub independent: Vec<Independent>,
}

/// A broken architecture rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: EntryKind,
    /// 1-based line of the config entry.
    pub line: u32,
    pub message: String,
    /// What the related information says about the entry.
    pub entry: String,
}

/// A config error at `line` of the config file.
fn arch_error(config: &Config, line: u32, key: &str, message: String) -> ConfigError {
    // As `check` names config files: `boundary.toml` at the root, other paths as given.
    let file = match &config.path {
        Some(p)
            if p.file_name()
                .is_some_and(|n| n == super::config::CONFIG_FILE) =>
        {
            PathBuf::from(super::config::CONFIG_FILE)
        }
        Some(p) => p.clone(),
        None => PathBuf::from(super::config::CONFIG_FILE),
    };
    ConfigError {
        file,
        line,
        column: 1,
        key: Some(key.to_string()),
        message,
        span: 0..0,
    }
}

impl Architecture {
    /// Compiles and validates the entries without looking at the workspace: patterns are
    /// well-formed, layers have unique names, no module pattern is in two layers.
    pub fn from_config(config: &Config) -> Result<Architecture, ConfigError> {
        let pat = |e: &ArchEntry, key: &str, text: &str| {
            ModulePattern::parse(text).map_err(|m| arch_error(config, e.line, key, m.0))
        };
        let mut arch = Architecture::default();
        for e in &config.layers {
            let Some(name) = e.name.clone() else {
                return Err(arch_error(
                    config,
                    e.line,
                    "layers",
                    "a [[layers]] entry needs a `name`".into(),
                ));
            };
            if let Some(prev) = arch.layers.iter().find(|l| l.name == name) {
                return Err(arch_error(
                    config,
                    e.line,
                    "layers.name",
                    format!(
                        "layer `{name}` is declared twice (first on line {})",
                        prev.line
                    ),
                ));
            }
            if e.modules.is_empty() {
                return Err(arch_error(
                    config,
                    e.line,
                    "layers.modules",
                    format!("layer `{name}` has no `modules`"),
                ));
            }
            let mut patterns = Vec::new();
            for m in &e.modules {
                let p = pat(e, "layers.modules", m)?;
                for l in &arch.layers {
                    if l.patterns.iter().any(|q| q == &p) {
                        return Err(arch_error(
                            config,
                            e.line,
                            "layers.modules",
                            format!(
                                "`{}` is in two layers: `{}` (line {}) and `{name}`",
                                p.text, l.name, l.line
                            ),
                        ));
                    }
                }
                patterns.push(p);
            }
            arch.layers.push(Layer {
                name,
                patterns,
                reason: e.reason.clone(),
                line: e.line,
            });
        }
        for e in &config.forbid {
            let Some(from) = &e.from else {
                return Err(arch_error(
                    config,
                    e.line,
                    "forbid",
                    "a [[forbid]] entry needs `from`".into(),
                ));
            };
            if e.to.is_empty() {
                return Err(arch_error(
                    config,
                    e.line,
                    "forbid.to",
                    "a [[forbid]] entry needs a non-empty `to`".into(),
                ));
            }
            arch.forbid.push(Forbid {
                from: pat(e, "forbid.from", from)?,
                to: e
                    .to
                    .iter()
                    .map(|t| pat(e, "forbid.to", t))
                    .collect::<Result<_, _>>()?,
                reason: e.reason.clone(),
                line: e.line,
            });
        }
        for e in &config.independent {
            if e.modules.is_empty() {
                return Err(arch_error(
                    config,
                    e.line,
                    "independent.modules",
                    "an [[independent]] entry needs `modules`".into(),
                ));
            }
            arch.independent.push(Independent {
                patterns: e
                    .modules
                    .iter()
                    .map(|m| pat(e, "independent.modules", m))
                    .collect::<Result<_, _>>()?,
                reason: e.reason.clone(),
                line: e.line,
            });
        }
        Ok(arch)
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.forbid.is_empty() && self.independent.is_empty()
    }

    /// Validates the patterns against the workspace: every pattern of our modules must match a
    /// module, and a module must not be claimed by two layers with the same specificity.
    pub fn validate(&self, config: &Config, g: &ModuleGraph) -> Result<(), ConfigError> {
        let matches_any =
            |p: &ModulePattern| (0..g.modules.len()).any(|m| g.pattern_matches(p, m).is_some());
        let is_workspace_crate = |p: &ModulePattern| {
            p.crate_name()
                .is_none_or(|c| g.crates.iter().any(|k| k.name == c))
        };
        let check = |p: &ModulePattern, line: u32, key: &str, external_ok: bool| {
            if external_ok && !is_workspace_crate(p) {
                return Ok(());
            }
            if matches_any(p) {
                return Ok(());
            }
            let hint = if is_workspace_crate(p) {
                "no module of the workspace has this path".to_string()
            } else {
                format!(
                    "`{}` is not a crate of this workspace (patterns start with `crate::` or a workspace crate name; external crates are allowed in `forbid.to` only)",
                    p.crate_name().unwrap_or("crate")
                )
            };
            Err(arch_error(
                config,
                line,
                key,
                format!("unknown module pattern `{}`: {hint}", p.text),
            ))
        };
        for l in &self.layers {
            for p in &l.patterns {
                check(p, l.line, "layers.modules", false)?;
            }
        }
        for f in &self.forbid {
            check(&f.from, f.line, "forbid.from", false)?;
            for t in &f.to {
                check(t, f.line, "forbid.to", true)?;
            }
        }
        for i in &self.independent {
            for p in &i.patterns {
                check(p, i.line, "independent.modules", false)?;
            }
        }
        for m in 0..g.modules.len() {
            let mut best: Vec<(usize, usize)> = Vec::new(); // (specificity, layer)
            for (li, l) in self.layers.iter().enumerate() {
                if let Some(s) = l
                    .patterns
                    .iter()
                    .filter(|p| g.pattern_matches(p, m) == Some(g.modules[m].path.len()))
                    .map(ModulePattern::specificity)
                    .max()
                {
                    best.push((s, li));
                }
            }
            best.sort();
            if let [.., (s1, l1), (s2, l2)] = best[..] {
                if s1 == s2 {
                    let (a, b) = (&self.layers[l1], &self.layers[l2]);
                    return Err(arch_error(
                        config,
                        b.line,
                        "layers.modules",
                        format!(
                            "module `{}` is in two layers: `{}` (line {}) and `{}` (line {})",
                            g.name(m),
                            a.name,
                            a.line,
                            b.name,
                            b.line
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The layer of a module: the layer with the most specific pattern matching it or an
    /// ancestor.
    pub fn layer_of(&self, g: &ModuleGraph, m: ModId) -> Option<usize> {
        self.layers
            .iter()
            .enumerate()
            .filter_map(|(li, l)| {
                l.patterns
                    .iter()
                    .filter(|p| g.pattern_matches(p, m).is_some())
                    .map(|p| p.specificity())
                    .max()
                    .map(|s| (s, li))
            })
            .max()
            .map(|(_, li)| li)
    }

    /// The layer of an edge target (external crates can be put in layers by name).
    fn layer_of_target(&self, g: &ModuleGraph, t: &EdgeTarget) -> Option<usize> {
        match t {
            EdgeTarget::Module(m) => self.layer_of(g, *m),
            EdgeTarget::External(c, rest) => self.layers.iter().position(|l| {
                l.patterns.iter().any(|p| {
                    p.crate_name() == Some(c.as_str()) && match_prefix(&p.segs, rest, 0).is_some()
                })
            }),
        }
    }

    /// The rules an edge between two modules (or to an external crate) breaks.
    pub fn check_edge(&self, g: &ModuleGraph, from: ModId, to: &EdgeTarget) -> Vec<Violation> {
        let mut out = Vec::new();
        if let EdgeTarget::Module(t) = to {
            // Inside one module's subtree (a child using its parent) layers do not apply.
            if g.is_within(from, *t) || g.is_within(*t, from) {
                return out;
            }
        }
        let from_name = g.name(from);
        let to_name = g.target_name(to);
        if let (Some(lf), Some(lt)) = (self.layer_of(g, from), self.layer_of_target(g, to)) {
            if lf > lt {
                let (a, b) = (&self.layers[lf], &self.layers[lt]);
                let mut msg = format!(
                    "layer violation: `{from_name}` (layer `{}`) uses `{to_name}` (layer `{}`); layer `{}` is below `{}` and may not use it",
                    a.name, b.name, a.name, b.name
                );
                if let Some(r) = a.reason.as_ref().or(b.reason.as_ref()) {
                    msg.push_str(&format!(": {r}"));
                }
                out.push(Violation {
                    kind: EntryKind::Layers,
                    line: b.line,
                    message: msg,
                    entry: format!(
                        "layer `{}` is declared above layer `{}` here",
                        b.name, a.name
                    ),
                });
            }
        }
        for f in &self.forbid {
            if g.pattern_matches(&f.from, from).is_none() {
                continue;
            }
            let Some(tp) = f.to.iter().find(|p| g.target_matches(p, to)) else {
                continue;
            };
            let mut msg = format!(
                "forbidden dependency: `{from_name}` uses `{to_name}` (`{}` may not use `{}`)",
                f.from.text, tp.text
            );
            if let Some(r) = &f.reason {
                msg.push_str(&format!(": {r}"));
            }
            out.push(Violation {
                kind: EntryKind::Forbid,
                line: f.line,
                message: msg,
                entry: format!("[[forbid]] from `{}` to `{}`", f.from.text, tp.text),
            });
        }
        if let EdgeTarget::Module(t) = to {
            for ind in &self.independent {
                let (Some(a), Some(b)) = (
                    g.member_of(&ind.patterns, from),
                    g.member_of(&ind.patterns, *t),
                ) else {
                    continue;
                };
                if a == b || g.is_within(a, b) || g.is_within(b, a) {
                    continue;
                }
                let mut msg = format!(
                    "independent modules: `{from_name}` uses `{to_name}`, but `{}` and `{}` are declared independent",
                    g.name(a),
                    g.name(b)
                );
                if let Some(r) = &ind.reason {
                    msg.push_str(&format!(": {r}"));
                }
                out.push(Violation {
                    kind: EntryKind::Independent,
                    line: ind.line,
                    message: msg,
                    entry: format!(
                        "[[independent]] modules {}",
                        ind.patterns
                            .iter()
                            .map(|p| format!("`{}`", p.text))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        out
    }

    /// The rules a `Cargo.toml` dependency breaks (only crate-level entries apply).
    pub fn check_crate_edge(&self, g: &ModuleGraph, e: &CrateEdge) -> Vec<Violation> {
        let Some(from) = g
            .crates
            .iter()
            .find(|c| c.package == e.package && c.kind == TargetKind::Lib)
            .or_else(|| g.crates.iter().find(|c| c.package == e.package))
        else {
            return Vec::new();
        };
        let to = match e.to {
            Some(ci) => EdgeTarget::Module(g.crates[ci].root),
            None => EdgeTarget::External(SmolStr::new(&e.dep), Vec::new()),
        };
        self.check_edge(g, from.root, &to)
    }
}

impl ModuleGraph {
    /// How many path segments of module `m` a pattern matches (`Some` when it matches `m` or
    /// an ancestor).
    pub fn pattern_matches(&self, p: &ModulePattern, m: ModId) -> Option<usize> {
        let md = &self.modules[m];
        p.match_len(&self.crates[md.krate].name, &md.path)
    }

    fn target_matches(&self, p: &ModulePattern, t: &EdgeTarget) -> bool {
        match t {
            EdgeTarget::Module(m) => self.pattern_matches(p, *m).is_some(),
            EdgeTarget::External(c, rest) => {
                p.match_len(c, rest).is_some() && p.crate_name().is_some()
            }
        }
    }

    /// The module a set of independent patterns makes `m` a member of (the matched prefix).
    fn member_of(&self, pats: &[ModulePattern], m: ModId) -> Option<ModId> {
        let len = pats
            .iter()
            .filter_map(|p| self.pattern_matches(p, m))
            .max()?;
        Some(self.ancestor_at(m, len))
    }
}

/// Validates the config's architecture entries against a workspace (every module pattern must
/// name modules of it). Cheap when the config declares no architecture.
pub fn validate_workspace(config: &Config, ws: &Workspace) -> Result<(), ConfigError> {
    let arch = Architecture::from_config(config)?;
    if arch.is_empty() {
        return Ok(());
    }
    arch.validate(config, &ModuleGraph::build(ws))
}

// ---------------------------------------------------------------------------------------------
// Cycles

/// A dependency cycle between modules of one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The modules in order; the closing edge goes from the last back to the first.
    pub modules: Vec<ModId>,
    /// Index into [`ModuleGraph::edges`] of the first (in source order) edge that closes it.
    pub closing_edge: usize,
    /// One edge (first in source order) for each step of the cycle, closing edge last.
    pub edges: Vec<usize>,
}

/// Options of the cycle search.
#[derive(Debug, Clone, Copy)]
pub struct CycleOptions {
    /// A module's uses of its ancestors' items (`super::Item`, or the same through `crate::`)
    /// are not edges.
    pub ignore_super: bool,
    /// Merge modules deeper than this into their ancestor (0: no merging).
    pub depth: usize,
    pub include_tests: bool,
}

impl ModuleGraph {
    /// Finds cycles: one per back edge of a depth-first search in name order, so each cycle is
    /// reported once and the result is deterministic.
    pub fn cycles(&self, ws: &Workspace, opts: CycleOptions) -> Vec<Cycle> {
        let node = |m: ModId| {
            if opts.depth == 0 {
                m
            } else {
                self.ancestor_at(m, opts.depth)
            }
        };
        // (from, to) -> first edge in source order.
        let mut first: HashMap<(ModId, ModId), usize> = HashMap::default();
        let pos = |e: &Edge| (ws.files[e.file].meta.rel_path.as_str(), e.range.start());
        for (i, e) in self.edges.iter().enumerate() {
            let EdgeTarget::Module(t) = e.to else {
                continue;
            };
            if e.is_test && !opts.include_tests {
                continue;
            }
            if self.modules[t].krate != self.modules[e.from].krate {
                continue;
            }
            // A module using its ancestors or descendants is composition, not a cycle.
            if opts.ignore_super && self.is_within(e.from, t) {
                continue;
            }
            let (a, b) = (node(e.from), node(t));
            if a == b {
                continue;
            }
            match first.get(&(a, b)) {
                Some(&j) if pos(&self.edges[j]) <= pos(e) => {}
                _ => {
                    first.insert((a, b), i);
                }
            }
        }
        let mut adj: HashMap<ModId, Vec<ModId>> = HashMap::default();
        for &(a, b) in first.keys() {
            adj.entry(a).or_default().push(b);
        }
        let names: HashMap<ModId, String> = adj
            .iter()
            .flat_map(|(a, bs)| std::iter::once(*a).chain(bs.iter().copied()))
            .map(|m| (m, self.name(m)))
            .collect();
        for v in adj.values_mut() {
            v.sort_by(|x, y| names[x].cmp(&names[y]));
        }
        let mut roots: Vec<ModId> = adj.keys().copied().collect();
        roots.sort_by(|x, y| names[x].cmp(&names[y]));
        // Iterative DFS; state 0 new, 1 on stack, 2 done.
        let mut state: HashMap<ModId, u8> = HashMap::default();
        let mut out = Vec::new();
        for r in roots {
            if state.get(&r).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(ModId, usize)> = vec![(r, 0)];
            state.insert(r, 1);
            while let Some(&mut (v, ref mut i)) = stack.last_mut() {
                let succ = adj.get(&v).map_or(&[][..], |s| &s[..]);
                if *i < succ.len() {
                    let w = succ[*i];
                    *i += 1;
                    match state.get(&w).copied().unwrap_or(0) {
                        0 => {
                            state.insert(w, 1);
                            stack.push((w, 0));
                        }
                        1 => {
                            let at = stack.iter().position(|&(x, _)| x == w).unwrap_or(0);
                            let modules: Vec<ModId> = stack[at..].iter().map(|&(x, _)| x).collect();
                            let mut edges: Vec<usize> =
                                modules.windows(2).map(|p| first[&(p[0], p[1])]).collect();
                            let closing = first[&(v, w)];
                            edges.push(closing);
                            out.push(Cycle {
                                modules,
                                closing_edge: closing,
                                edges,
                            });
                        }
                        _ => {}
                    }
                } else {
                    state.insert(v, 2);
                    stack.pop();
                }
            }
        }
        out
    }
}
