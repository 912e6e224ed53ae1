//! The workspace model: packages, crate targets, files, and each file's place in its crate's
//! module tree. Built from manifest text and file summaries; no I/O here (see `loader`).

use std::collections::HashMap;
use std::sync::Arc;

use toml_edit::{ImDocument, Item};

use super::engine::FileMeta;
use super::model::FileSummary;
use super::syntax::{Edition, SmolStr};

/// The kind of a crate target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    Lib,
    Bin,
    Test,
    Example,
    Bench,
    BuildScript,
    /// A `.rs` file outside any package, or not reached from a target.
    Loose,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Lib => "lib",
            TargetKind::Bin => "bin",
            TargetKind::Test => "test",
            TargetKind::Example => "example",
            TargetKind::Bench => "bench",
            TargetKind::BuildScript => "build-script",
            TargetKind::Loose => "loose",
        }
    }
}

/// One crate target of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub name: String,
    /// Workspace-relative path of the crate root file.
    pub root: String,
}

/// A dependency as declared in `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The name code uses (`my_dep`, after `package = ..` renames, `-` as `_`).
    pub crate_name: String,
    /// The package name (`my-dep`).
    pub package: String,
    /// 1-based line of the entry in the manifest.
    pub line: u32,
    /// Byte range of the entry's key in the manifest.
    pub range: super::syntax::TextRange,
}

/// A Cargo package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    /// Workspace-relative directory (`""` for the root).
    pub dir: String,
    /// Workspace-relative path of the `Cargo.toml`.
    pub manifest: String,
    pub edition: Edition,
    pub targets: Vec<Target>,
    pub dependencies: Vec<Dependency>,
    /// The features `cargo build` enables with no flags: `default` and what it enables,
    /// transitively (see [`default_features`]). Sorted.
    pub default_features: Vec<String>,
}

impl Package {
    /// The crate name code uses for the library (`my-pkg` -> `my_pkg`).
    pub fn crate_name(&self) -> String {
        self.targets
            .iter()
            .find(|t| t.kind == TargetKind::Lib)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| self.name.replace('-', "_"))
    }

    pub fn has_lib(&self) -> bool {
        self.targets.iter().any(|t| t.kind == TargetKind::Lib)
    }
}

/// A parsed manifest, before targets are discovered on disk.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub package: Option<ManifestPackage>,
    /// `[workspace] members` and `exclude` (globs, relative to the manifest's directory).
    pub members: Vec<String>,
    pub exclude: Vec<String>,
    pub is_workspace: bool,
    pub workspace_edition: Option<Edition>,
}

#[derive(Debug, Clone, Default)]
pub struct ManifestPackage {
    pub name: String,
    pub edition: Option<Edition>,
    /// `edition.workspace = true`.
    pub edition_from_workspace: bool,
    pub lib: Option<(Option<String>, Option<String>)>,
    /// `(kind, name, path)` of explicit `[[bin]]`, `[[test]]`, `[[example]]`, `[[bench]]`.
    pub explicit_targets: Vec<(TargetKind, Option<String>, Option<String>)>,
    pub autobins: bool,
    pub build: Option<String>,
    pub dependencies: Vec<Dependency>,
    /// See [`Package::default_features`].
    pub default_features: Vec<String>,
}

/// Parses a `Cargo.toml`. Errors are messages with a 1-based line.
pub fn parse_manifest(text: &str) -> Result<Manifest, (u32, String)> {
    let doc = ImDocument::parse(text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start).min(text.len());
        (
            text[..start].matches('\n').count() as u32 + 1,
            e.message().trim().to_string(),
        )
    })?;
    let line_of = |item: &Item| -> u32 {
        let start = item.span().map_or(0, |s| s.start).min(text.len());
        text[..start].matches('\n').count() as u32 + 1
    };
    let mut m = Manifest::default();
    if let Some(ws) = doc.get("workspace").and_then(Item::as_table_like) {
        m.is_workspace = true;
        m.members = str_list(ws.get("members"));
        m.exclude = str_list(ws.get("exclude"));
        m.workspace_edition = ws
            .get("package")
            .and_then(Item::as_table_like)
            .and_then(|p| p.get("edition"))
            .and_then(Item::as_str)
            .and_then(Edition::parse);
    }
    if let Some(pkg) = doc.get("package").and_then(Item::as_table_like) {
        let mut p = ManifestPackage {
            name: pkg
                .get("name")
                .and_then(Item::as_str)
                .unwrap_or("unnamed")
                .to_string(),
            autobins: pkg.get("autobins").and_then(Item::as_bool).unwrap_or(true),
            ..ManifestPackage::default()
        };
        match pkg.get("edition") {
            Some(e) if e.as_str().is_some() => p.edition = e.as_str().and_then(Edition::parse),
            Some(e) if e.as_table_like().is_some() => p.edition_from_workspace = true,
            _ => {}
        }
        p.build = pkg.get("build").and_then(Item::as_str).map(str::to_string);
        if let Some(lib) = doc.get("lib").and_then(Item::as_table_like) {
            p.lib = Some((
                lib.get("name").and_then(Item::as_str).map(str::to_string),
                lib.get("path").and_then(Item::as_str).map(str::to_string),
            ));
        }
        for (key, kind) in [
            ("bin", TargetKind::Bin),
            ("test", TargetKind::Test),
            ("example", TargetKind::Example),
            ("bench", TargetKind::Bench),
        ] {
            if let Some(arr) = doc.get(key).and_then(Item::as_array_of_tables) {
                for t in arr.iter() {
                    p.explicit_targets.push((
                        kind,
                        t.get("name").and_then(Item::as_str).map(str::to_string),
                        t.get("path").and_then(Item::as_str).map(str::to_string),
                    ));
                }
            }
        }
        let mut dep_tables: Vec<&dyn toml_edit::TableLike> = Vec::new();
        for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(t) = doc.get(key).and_then(Item::as_table_like) {
                dep_tables.push(t);
            }
        }
        if let Some(targets) = doc.get("target").and_then(Item::as_table_like) {
            for (_, cfg) in targets.iter() {
                if let Some(cfg) = cfg.as_table_like() {
                    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                        if let Some(t) = cfg.get(key).and_then(Item::as_table_like) {
                            dep_tables.push(t);
                        }
                    }
                }
            }
        }
        let mut optional: Vec<&str> = Vec::new();
        for t in &dep_tables {
            for (name, item) in t.iter() {
                let is_optional = item
                    .as_table_like()
                    .and_then(|d| d.get("optional"))
                    .and_then(Item::as_bool)
                    .unwrap_or(false);
                if is_optional {
                    optional.push(name);
                }
            }
        }
        let features: Vec<(&str, Vec<String>)> = doc
            .get("features")
            .and_then(Item::as_table_like)
            .map(|t| t.iter().map(|(k, v)| (k, str_list(Some(v)))).collect())
            .unwrap_or_default();
        p.default_features = default_features(&features, &optional);
        for t in dep_tables {
            for (name, item) in t.iter() {
                let package = item
                    .as_table_like()
                    .and_then(|d| d.get("package"))
                    .and_then(Item::as_str)
                    .unwrap_or(name)
                    .to_string();
                let span = t
                    .get_key_value(name)
                    .and_then(|(k, _)| k.span())
                    .or_else(|| item.span())
                    .unwrap_or(0..0);
                let range = super::syntax::TextRange::new(
                    (span.start.min(text.len()) as u32).into(),
                    (span.end.min(text.len()) as u32).into(),
                );
                p.dependencies.push(Dependency {
                    crate_name: name.replace('-', "_"),
                    package,
                    line: line_of(item),
                    range,
                });
            }
        }
        m.package = Some(p);
    }
    Ok(m)
}

/// The features enabled by default: `default`, then every feature an enabled one lists,
/// transitively. `dep:x` enables a dependency, no feature; `x/f` and `x?/f` enable feature `f` of
/// dependency `x`, and `x/f` also the optional dependency `x` itself, whose implicit feature is
/// named `x` (cargo's rules). Only names that are features (listed in `[features]` or implicit
/// for an optional dependency) are returned. Sorted.
pub fn default_features(features: &[(&str, Vec<String>)], optional_deps: &[&str]) -> Vec<String> {
    let uses_dep_syntax = |n: &str| {
        features
            .iter()
            .any(|(_, v)| v.iter().any(|e| e.strip_prefix("dep:") == Some(n)))
    };
    let is_feature = |n: &str| {
        features.iter().any(|(k, _)| *k == n) || (optional_deps.contains(&n) && !uses_dep_syntax(n))
    };
    let mut on: Vec<String> = Vec::new();
    let mut todo: Vec<String> = vec!["default".to_string()];
    while let Some(f) = todo.pop() {
        if !is_feature(&f) || on.contains(&f) {
            continue;
        }
        for entry in features
            .iter()
            .filter(|(k, _)| *k == f)
            .flat_map(|(_, v)| v)
        {
            if entry.starts_with("dep:") {
                continue;
            }
            match entry.split_once('/') {
                Some((dep, _)) if !dep.ends_with('?') => todo.push(dep.to_string()),
                Some(_) => {}
                None => todo.push(entry.clone()),
            }
        }
        on.push(f);
    }
    on.sort();
    on
}

fn str_list(item: Option<&Item>) -> Vec<String> {
    item.and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// One analysed file of the workspace.
#[derive(Debug, Clone)]
pub struct WsFile {
    pub meta: FileMeta,
    /// Index into [`Workspace::packages`].
    pub package: Option<usize>,
    /// Module path from the crate root (`["crate", "net", "client"]`); for files no module
    /// tree reaches, a guess from the layout.
    pub module_path: Vec<SmolStr>,
    /// The crate targets whose module tree reaches this file (empty: none does).
    pub targets: Vec<(usize, usize)>,
    /// Every module tree that reaches the file does so through a `#[cfg(test)]` module: the
    /// whole file is test code.
    pub test_module: bool,
    pub summary: Arc<FileSummary>,
}

impl WsFile {
    pub fn reached(&self) -> bool {
        !self.targets.is_empty()
    }

    /// The module path of a scope inside this file (`scope` = inline modules).
    pub fn module_of_scope(&self, scope: &[SmolStr]) -> Vec<SmolStr> {
        let mut p = self.module_path.clone();
        p.extend(scope.iter().cloned());
        p
    }
}

/// The whole workspace: packages and analysed files.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub packages: Vec<Package>,
    pub files: Vec<WsFile>,
    pub by_path: HashMap<String, usize>,
}

impl Workspace {
    /// Drops the workspace, freeing its files' summaries (hundreds of thousands of allocations
    /// in a large workspace) on the thread pool in parallel instead of one by one on this
    /// thread. For one-shot runs; the server drops its models as usual (the pool may be busy
    /// with a load, which this would wait for).
    pub fn free_in_parallel(mut self) {
        use rayon::prelude::*;
        std::mem::take(&mut self.files)
            .into_par_iter()
            .for_each(drop);
    }

    pub fn file(&self, rel_path: &str) -> Option<&WsFile> {
        self.by_path.get(rel_path).map(|&i| &self.files[i])
    }

    /// The package whose directory contains `rel_path` (the deepest one).
    pub fn package_of(&self, rel_path: &str) -> Option<usize> {
        package_of(&self.packages, rel_path)
    }

    pub fn target(&self, (p, t): (usize, usize)) -> &Target {
        &self.packages[p].targets[t]
    }

    /// Adds or replaces a file (summary already computed) and rebuilds the module tree.
    pub fn upsert(&mut self, file: WsFile) {
        match self.by_path.get(&file.meta.rel_path) {
            Some(&i) => self.files[i] = file,
            None => {
                self.by_path
                    .insert(file.meta.rel_path.clone(), self.files.len());
                self.files.push(file);
            }
        }
        self.build_module_tree();
    }

    pub fn remove(&mut self, rel_path: &str) {
        if let Some(i) = self.by_path.remove(rel_path) {
            self.files.remove(i);
            self.by_path = self
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.meta.rel_path.clone(), i))
                .collect();
            self.build_module_tree();
        }
    }

    /// Follows `mod` declarations from every target's root and sets each file's module path.
    pub fn build_module_tree(&mut self) {
        for f in &mut self.files {
            f.targets.clear();
            f.test_module = false;
            f.module_path = guess_module_path(&self.packages, f);
        }
        // Lib targets first, so a file shared by lib and bin gets the lib's module path.
        let mut roots: Vec<(usize, usize)> = Vec::new();
        for (pi, p) in self.packages.iter().enumerate() {
            for (ti, _) in p.targets.iter().enumerate() {
                roots.push((pi, ti));
            }
        }
        roots.sort_by_key(|&(p, t)| self.packages[p].targets[t].kind);
        for (pi, ti) in roots {
            let root = self.packages[pi].targets[ti].root.clone();
            let Some(&fi) = self.by_path.get(&root) else {
                continue;
            };
            // (file, module path, loaded through `#[path]`: its children live next to it, as
            // for a `mod.rs`, rustc's `DirOwnership::Owned { relative: None }`).
            // The last element: reached through a `#[cfg(test)]` module.
            let mut stack: Vec<(usize, Vec<SmolStr>, bool, bool)> =
                vec![(fi, vec![SmolStr::new_static("crate")], true, false)];
            while let Some((fi, module_path, via_path, test)) = stack.pop() {
                if self.files[fi].targets.contains(&(pi, ti)) {
                    continue; // a cycle of #[path] attributes
                }
                let first = self.files[fi].targets.is_empty();
                self.files[fi].targets.push((pi, ti));
                if first {
                    self.files[fi].module_path = module_path.clone();
                    self.files[fi].test_module = test;
                } else {
                    self.files[fi].test_module &= test;
                }
                let file = &self.files[fi];
                let is_mod_rs = via_path || is_mod_rs_file(&file.meta.rel_path, &root);
                for m in file.summary.mods.iter().filter(|m| !m.inline) {
                    for cand in
                        module_file_candidates(&file.meta.rel_path, is_mod_rs, &file.summary, m)
                    {
                        if let Some(&child) = self.by_path.get(&cand) {
                            let mut p = module_path.clone();
                            p.extend(m.scope.iter().cloned());
                            p.push(m.name.clone());
                            stack.push((child, p, m.path_attr.is_some(), test || m.is_test));
                            break;
                        }
                    }
                }
            }
        }
    }
}

pub fn package_of(packages: &[Package], rel_path: &str) -> Option<usize> {
    packages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.dir.is_empty() || is_within(rel_path, &p.dir))
        .max_by_key(|(_, p)| p.dir.len())
        .map(|(i, _)| i)
}

/// `true` when `rel` lies under the directory `dir` (`"{dir}/..."`); no string is built: this
/// runs for every file against every package.
fn is_within(rel: &str, dir: &str) -> bool {
    rel.len() > dir.len() && rel.starts_with(dir) && rel.as_bytes()[dir.len()] == b'/'
}

/// `true` when the file's `mod x;` children live in its own directory (crate roots, `mod.rs`).
fn is_mod_rs_file(rel: &str, root: &str) -> bool {
    rel == root || rel.ends_with("/mod.rs") || rel == "mod.rs"
}

fn dir_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn join(dir: &str, rest: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Where `mod m;` of `file` may live, in order of preference.
fn module_file_candidates(
    rel: &str,
    is_mod_rs: bool,
    summary: &FileSummary,
    m: &super::model::ModDecl,
) -> Vec<String> {
    let file_dir = dir_of(rel);
    // The directory that holds the file's child modules.
    let mut base = if is_mod_rs {
        file_dir.to_string()
    } else {
        let stem = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".rs");
        join(file_dir, stem)
    };
    // Inline modules between the file and the declaration add directories; an inline module
    // with its own #[path] sets the directory.
    let mut scope_prefix: Vec<SmolStr> = Vec::new();
    for s in m.scope.iter() {
        let inline = summary
            .mods
            .iter()
            .find(|d| d.inline && d.name == *s && *d.scope == *scope_prefix);
        match inline.and_then(|d| d.path_attr.as_ref()) {
            Some(p) => {
                base = join(
                    if scope_prefix.is_empty() {
                        file_dir
                    } else {
                        &base
                    },
                    p,
                )
            }
            None => base = join(&base, s),
        }
        scope_prefix.push(s.clone());
    }
    if let Some(p) = &m.path_attr {
        let dir = if m.scope.is_empty() {
            file_dir.to_string()
        } else {
            base
        };
        return vec![join(&dir, p)];
    }
    vec![
        join(&base, &format!("{}.rs", m.name)),
        join(&base, &format!("{}/mod.rs", m.name)),
    ]
}

/// A module path from the layout, for files no module tree reaches.
fn guess_module_path(packages: &[Package], f: &WsFile) -> Vec<SmolStr> {
    let mut out = vec![SmolStr::new_static("crate")];
    let rel = &f.meta.rel_path;
    let within = match f.package {
        Some(p) if !packages[p].dir.is_empty() => rel
            .strip_prefix(&format!("{}/", packages[p].dir))
            .unwrap_or(rel),
        _ => rel.as_str(),
    };
    let within = within.strip_prefix("src/").unwrap_or(within);
    let stem = within.trim_end_matches(".rs");
    for part in stem.split('/') {
        if matches!(part, "lib" | "main" | "mod") {
            continue;
        }
        out.push(SmolStr::new(part));
    }
    out
}

/// The target kind a file most likely belongs to, from the layout alone (used before the
/// module tree is known).
pub fn guess_target(packages: &[Package], pkg: Option<usize>, rel: &str) -> TargetKind {
    let Some(pi) = pkg else {
        return TargetKind::Loose;
    };
    let p = &packages[pi];
    if let Some(t) = p.targets.iter().find(|t| t.root == rel) {
        return t.kind;
    }
    let within = if p.dir.is_empty() {
        rel
    } else if is_within(rel, &p.dir) {
        &rel[p.dir.len() + 1..]
    } else {
        rel
    };
    if within.starts_with("src/bin/") {
        TargetKind::Bin
    } else if within.starts_with("tests/") {
        TargetKind::Test
    } else if within.starts_with("examples/") {
        TargetKind::Example
    } else if within.starts_with("benches/") {
        TargetKind::Bench
    } else if within == "build.rs" {
        TargetKind::BuildScript
    } else if p.has_lib() {
        TargetKind::Lib
    } else if p.targets.iter().any(|t| t.kind == TargetKind::Bin) {
        TargetKind::Bin
    } else {
        TargetKind::Loose
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_belongs_to_the_deepest_package_whose_directory_holds_it() {
        let pkg = |dir: &str| Package {
            name: dir.to_string(),
            dir: dir.to_string(),
            manifest: format!("{dir}/Cargo.toml"),
            edition: Edition::E2021,
            targets: Vec::new(),
            dependencies: Vec::new(),
            default_features: Vec::new(),
        };
        let packages = [
            pkg(""),
            pkg("crates/a"),
            pkg("crates/a/inner"),
            pkg("crates/ab"),
        ];
        let of = |rel| package_of(&packages, rel);
        assert_eq!(of("src/lib.rs"), Some(0));
        assert_eq!(of("crates/a/src/lib.rs"), Some(1));
        assert_eq!(of("crates/a/inner/src/lib.rs"), Some(2));
        // A directory whose name only starts like a package's is not inside it.
        assert_eq!(of("crates/ab/src/lib.rs"), Some(3));
        assert_eq!(of("crates/abc/src/lib.rs"), Some(0));
        assert_eq!(of("crates/a"), Some(0));
        assert_eq!(package_of(&packages[1..], "crates/abc/x.rs"), None);
        assert_eq!(
            guess_target(&packages, Some(1), "crates/a/tests/t.rs"),
            TargetKind::Test
        );
        assert_eq!(
            guess_target(&packages, Some(3), "crates/ab/build.rs"),
            TargetKind::BuildScript
        );
    }

    fn defaults(manifest: &str) -> Vec<String> {
        parse_manifest(manifest)
            .unwrap()
            .package
            .unwrap()
            .default_features
    }

    #[test]
    fn default_features_are_followed_transitively() {
        let m = r#"
[package]
name = "p"
[dependencies]
yaml-rust = { version = "0.3", optional = true }
serde = { version = "1", optional = true }
atty = "0.2"
ansi_term = { version = "0.12", optional = true }
[features]
default = ["suggestions", "color"]
suggestions = ["strsim"]
color = ["ansi_term", "atty/std"]
yaml = ["yaml-rust"]
strsim = []
unused = ["serde"]
"#;
        assert_eq!(
            defaults(m),
            ["ansi_term", "color", "default", "strsim", "suggestions"]
        );
    }

    #[test]
    fn dep_prefixes_and_weak_features() {
        let m = r#"
[package]
name = "p"
[dependencies]
a = { version = "1", optional = true }
b = { version = "1", optional = true }
c = { version = "1", optional = true }
[features]
default = ["dep:a", "b?/x", "c/y", "std"]
std = []
"#;
        // `dep:a` hides the implicit feature `a`; `b?/x` does not enable `b`; `c/y` enables `c`.
        assert_eq!(defaults(m), ["c", "default", "std"]);
        assert!(defaults("[package]\nname = \"p\"\n").is_empty());
        assert!(defaults("[package]\nname = \"p\"\n[features]\nx = []\n").is_empty());
    }
}
