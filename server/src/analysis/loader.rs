//! Reading a workspace from disk: manifests, the `.rs` files (gitignore-aware, `target/`
//! skipped), and the parallel analysis of every file. The only part of the analysis layer that
//! does I/O; it never runs cargo, build scripts or macros.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::config::Config;
use super::engine::{Engine, FileMeta};
use super::rule::Finding;
use super::workspace::{self, Manifest, Package, Target, TargetKind, Workspace, WsFile};

/// A file that could not be analysed, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub rel_path: String,
    pub reason: String,
}

/// A whole-workspace analysis.
pub struct Analysis {
    pub root: PathBuf,
    pub workspace: Workspace,
    /// Final findings per file (suppressions and config applied), by relative path.
    pub findings: Vec<(String, Vec<Finding>)>,
    pub skipped: Vec<Skipped>,
    /// Manifests that could not be read: (relative path, line, message).
    pub manifest_errors: Vec<(String, u32, String)>,
    pub lines: usize,
}

/// Files larger than this are skipped with a message (generated code, data dumps).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The workspace root for a path: the outermost directory with a `Cargo.toml` declaring
/// `[workspace]`, else the nearest with a `Cargo.toml` or `boundary.toml`, else the path itself.
pub fn find_root(path: &Path) -> PathBuf {
    // `a.rs` has the parent `""`: that is the current directory.
    let start = if path.is_file() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        path.to_path_buf()
    };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    // The nearest directory with a manifest or a config...
    let nearest = start
        .ancestors()
        .find(|d| d.join("Cargo.toml").is_file() || d.join(super::config::CONFIG_FILE).is_file())
        .map(Path::to_path_buf);
    let Some(nearest) = nearest else { return start };
    // ...unless a `[workspace]` above it claims it as a member (as cargo decides).
    for dir in nearest.ancestors().skip(1) {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(manifest) else {
            continue;
        };
        let Ok(m) = workspace::parse_manifest(&text) else {
            continue;
        };
        if !m.is_workspace {
            continue;
        }
        let rel = rel_path(dir, &nearest);
        let matches = |pats: &[String]| {
            pats.iter().any(|p| {
                let p = p.trim_start_matches("./").trim_end_matches('/');
                globset::Glob::new(p).is_ok_and(|g| g.compile_matcher().is_match(&rel))
            })
        };
        if matches(&m.members) && !matches(&m.exclude) {
            return dir.to_path_buf();
        }
    }
    nearest
}

/// Relative path with `/` separators.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Finds packages under `root` (from the root manifest's members, and any other `Cargo.toml`
/// with a `[package]` found while walking) and their targets.
pub fn discover_packages(
    root: &Path,
    manifests: &[PathBuf],
) -> (Vec<Package>, Vec<(String, u32, String)>) {
    let mut errors = Vec::new();
    let mut parsed: Vec<(String, Manifest)> = Vec::new();
    for m in manifests {
        let rel = rel_path(root, m);
        match std::fs::read_to_string(m) {
            Ok(text) => match workspace::parse_manifest(&text) {
                Ok(man) => parsed.push((rel, man)),
                Err((line, msg)) => errors.push((rel, line, format!("invalid Cargo.toml: {msg}"))),
            },
            Err(e) => errors.push((rel, 1, format!("cannot read: {e}"))),
        }
    }
    // Workspace edition from the root manifest. Packages `[workspace] exclude`d or not listed
    // as members are still crates (cargo builds them on their own): they are modelled too, so
    // their files get their own edition and module tree. Membership only decides the root
    // (`find_root`).
    let ws_edition = parsed
        .iter()
        .find(|(r, _)| r == "Cargo.toml")
        .and_then(|(_, m)| m.workspace_edition);
    let mut packages = Vec::new();
    for (rel, man) in parsed {
        let Some(p) = man.package else { continue };
        let dir = manifest_dir(&rel);
        let edition = p
            .edition
            .or(if p.edition_from_workspace {
                ws_edition
            } else {
                None
            })
            .unwrap_or(super::syntax::Edition::E2015);
        let targets = discover_targets(root, &dir, &p);
        packages.push(Package {
            name: p.name,
            dir,
            manifest: rel,
            edition,
            targets,
            dependencies: p.dependencies,
            default_features: p.default_features,
        });
    }
    packages.sort_by(|a, b| a.dir.cmp(&b.dir));
    (packages, errors)
}

fn manifest_dir(rel: &str) -> String {
    rel.rfind('/')
        .map_or(String::new(), |i| rel[..i].to_string())
}

/// `dir/p`, normalised (`server` + `../tests/a.rs` is `tests/a.rs`, as cargo resolves target
/// paths outside the package directory).
fn join_rel(dir: &str, p: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in p.split(['/', '\\']) {
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

fn discover_targets(root: &Path, dir: &str, p: &workspace::ManifestPackage) -> Vec<Target> {
    let abs = root.join(dir);
    let exists = |rel: &str| abs.join(rel).is_file();
    let mut targets = Vec::new();
    let crate_name = p.name.replace('-', "_");
    let lib_path = p
        .lib
        .as_ref()
        .and_then(|(_, path)| path.clone())
        .or_else(|| exists("src/lib.rs").then(|| "src/lib.rs".into()));
    if let Some(path) = lib_path {
        let name = p
            .lib
            .as_ref()
            .and_then(|(n, _)| n.clone())
            .unwrap_or_else(|| crate_name.clone());
        targets.push(Target {
            kind: TargetKind::Lib,
            name,
            root: join_rel(dir, &path),
        });
    }
    let mut seen: Vec<String> = Vec::new();
    for (kind, name, path) in &p.explicit_targets {
        let path = path.clone().or_else(|| {
            let n = name.clone()?;
            let sub = match kind {
                TargetKind::Bin => "src/bin",
                TargetKind::Test => "tests",
                TargetKind::Example => "examples",
                _ => "benches",
            };
            if *kind == TargetKind::Bin
                && Some(n.as_str()) == Some(p.name.as_str())
                && exists("src/main.rs")
            {
                return Some("src/main.rs".into());
            }
            [format!("{sub}/{n}.rs"), format!("{sub}/{n}/main.rs")]
                .into_iter()
                .find(|c| exists(c))
        });
        if let Some(path) = path {
            let rel = join_rel(dir, &path);
            seen.push(rel.clone());
            targets.push(Target {
                kind: *kind,
                name: name.clone().unwrap_or_else(|| crate_name.clone()),
                root: rel,
            });
        }
    }
    let mut auto = |kind: TargetKind, sub: &str| {
        let Ok(rd) = std::fs::read_dir(abs.join(sub)) else {
            return;
        };
        let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            let path = if name.ends_with(".rs") && e.path().is_file() {
                format!("{sub}/{name}")
            } else if e.path().join("main.rs").is_file() {
                format!("{sub}/{name}/main.rs")
            } else {
                continue;
            };
            let rel = join_rel(dir, &path);
            if !seen.contains(&rel) {
                seen.push(rel.clone());
                targets.push(Target {
                    kind,
                    name: name.trim_end_matches(".rs").to_string(),
                    root: rel,
                });
            }
        }
    };
    if p.autobins {
        auto(TargetKind::Bin, "src/bin");
    }
    auto(TargetKind::Test, "tests");
    auto(TargetKind::Example, "examples");
    auto(TargetKind::Bench, "benches");
    if p.autobins && exists("src/main.rs") {
        let rel = join_rel(dir, "src/main.rs");
        if !seen.contains(&rel) {
            targets.push(Target {
                kind: TargetKind::Bin,
                name: crate_name.clone(),
                root: rel,
            });
        }
    }
    let build = p
        .build
        .clone()
        .or_else(|| exists("build.rs").then(|| "build.rs".into()));
    if let Some(b) = build {
        targets.push(Target {
            kind: TargetKind::BuildScript,
            name: "build-script-build".into(),
            root: join_rel(dir, &b),
        });
    }
    targets
}

/// Walks `root` (or just `only` when given a single file) for `.rs` files and manifests,
/// honouring `.gitignore` and skipping `target/` and hidden directories. Symlinks are not
/// followed.
pub fn walk(root: &Path, config: &Config) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut sources = Vec::new();
    let mut manifests = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| !(e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() == "target"))
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name == "Cargo.toml" {
            manifests.push(path);
        } else if name.ends_with(".rs") && config.is_included(&rel_path(root, &path)) {
            sources.push(path);
        }
    }
    sources.sort();
    manifests.sort();
    (sources, manifests)
}

/// Builds the file metadata (edition, target guess, crate) for a relative path.
pub fn file_meta(packages: &[Package], rel: &str) -> (FileMeta, Option<usize>) {
    let pkg = workspace::package_of(packages, rel);
    let meta = FileMeta {
        rel_path: rel.to_string(),
        edition: pkg.map_or(super::syntax::Edition::E2021, |p| packages[p].edition),
        target: workspace::guess_target(packages, pkg, rel),
        crate_name: pkg.map(|p| packages[p].crate_name()),
    };
    (meta, pkg)
}

/// Why a source file was not analysed.
#[derive(Debug)]
pub enum SourceError {
    Unreadable(std::io::Error),
    TooLarge {
        bytes: u64,
    },
    NotUtf8 {
        valid_up_to: usize,
    },
    /// A FIFO, a device or a directory: reading it would block or never end.
    NotRegular,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::Unreadable(e) => write!(f, "cannot read: {e}"),
            SourceError::TooLarge { bytes } => write!(
                f,
                "skipped: {bytes} bytes is larger than the {} MiB limit",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            SourceError::NotRegular => write!(f, "skipped: not a regular file"),
            SourceError::NotUtf8 { valid_up_to } => write!(
                f,
                "skipped: not valid UTF-8 (invalid byte at offset {valid_up_to})"
            ),
        }
    }
}

impl std::error::Error for SourceError {}

/// Reads a source file; unreadable, huge or non-UTF-8 files are errors.
pub fn read_source(path: &Path) -> Result<String, SourceError> {
    let md = std::fs::metadata(path).map_err(SourceError::Unreadable)?;
    if !md.is_file() {
        return Err(SourceError::NotRegular);
    }
    if md.len() > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge { bytes: md.len() });
    }
    let bytes = std::fs::read(path).map_err(SourceError::Unreadable)?;
    String::from_utf8(bytes).map_err(|e| SourceError::NotUtf8 {
        valid_up_to: e.utf8_error().valid_up_to(),
    })
}

/// One file's pass: the file, its local findings and its line count, or why it was skipped.
type FileResult = Result<(WsFile, Vec<Finding>, usize), Skipped>;

/// A workspace read from disk and analysed file by file (before the workspace-level rules).
pub struct Loaded {
    pub workspace: Workspace,
    /// Local findings (not finalized) by relative path.
    pub local: HashMap<String, Vec<Finding>>,
    pub skipped: Vec<Skipped>,
    pub manifest_errors: Vec<(String, u32, String)>,
    /// Lines of the analysed files, counted like `wc -l`.
    pub lines: usize,
}

/// Reads and analyses `sources` in parallel and builds the workspace model. `progress` is
/// called (from worker threads) with the number of files done so far and the total.
pub fn load(
    root: &Path,
    sources: &[PathBuf],
    manifests: &[PathBuf],
    engine: &Engine,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Loaded {
    let (packages, manifest_errors) = discover_packages(root, manifests);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = sources.len();
    let results: Vec<FileResult> = sources
        .par_iter()
        .map(|p| {
            let rel = rel_path(root, p);
            let res = read_source(p)
                .map_err(|reason| Skipped {
                    rel_path: rel.clone(),
                    reason: reason.to_string(),
                })
                .map(|text| {
                    let (meta, pkg) = file_meta(&packages, &rel);
                    let analysis = engine.analyse_text(&meta, &text);
                    let lines = match &analysis.summary.line_index {
                        // The line index already counted the newlines.
                        Some(index) => lines_from_index(index, &text),
                        None => count_lines(&text),
                    };
                    (
                        WsFile {
                            meta,
                            package: pkg,
                            module_path: Vec::new(),
                            targets: Vec::new(),
                            test_module: false,
                            summary: analysis.summary,
                        },
                        analysis.findings,
                        lines,
                    )
                });
            progress(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                total,
            );
            res
        })
        .collect();
    let mut ws = Workspace {
        packages,
        files: Vec::new(),
        by_path: HashMap::new(),
    };
    let mut local = HashMap::new();
    let mut skipped = Vec::new();
    let mut lines = 0;
    for r in results {
        match r {
            Ok((f, findings, n)) => {
                lines += n;
                ws.by_path.insert(f.meta.rel_path.clone(), ws.files.len());
                local.insert(f.meta.rel_path.clone(), findings);
                ws.files.push(f);
            }
            Err(s) => skipped.push(s),
        }
    }
    super::incremental::rebuild_module_tree(&mut ws);
    Loaded {
        workspace: ws,
        local,
        skipped,
        manifest_errors,
        lines,
    }
}

/// Analyses a whole workspace (or one file / a folder of loose files) from disk.
pub fn analyse_path(path: &Path, engine: &Engine) -> Analysis {
    let root = find_root(path);
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    // A file with no manifest or config around it is analysed alone: its directory may be
    // anything (a home directory, /tmp) and is not a project to walk.
    let lone_file = target.is_file()
        && !root.join("Cargo.toml").is_file()
        && !root.join(super::config::CONFIG_FILE).is_file();
    let (mut sources, manifests) = if lone_file {
        (Vec::new(), Vec::new())
    } else {
        walk(&root, &engine.config)
    };
    // When asked for a sub-path, the whole workspace is modelled but only that part reported.
    let report_prefix = if target == root {
        None
    } else {
        Some(rel_path(&root, &target))
    };
    if target.is_file() && !sources.contains(&target) {
        sources.push(target.clone());
    }
    let Loaded {
        workspace: ws,
        mut local,
        mut skipped,
        manifest_errors,
        lines,
    } = load(&root, &sources, &manifests, engine, &|_, _| {});
    let mut global = engine.analyse_workspace(&ws);
    let files: Vec<(usize, Vec<Finding>)> = ws
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (i, local.remove(&f.meta.rel_path).unwrap_or_default()))
        .collect();
    let mut findings: Vec<(String, Vec<Finding>)> = files
        .into_par_iter()
        .map(|(i, fs)| {
            let f = &ws.files[i];
            (
                f.meta.rel_path.clone(),
                super::incremental::finalize_file(engine, &global, f, fs),
            )
        })
        .collect();
    // Findings in files that are not Rust sources of the workspace (`Cargo.toml`).
    let mut foreign: Vec<(String, Vec<Finding>)> = global
        .drain()
        .filter(|(file, _)| !ws.by_path.contains_key(file))
        .map(|(file, fs)| (file, engine.finalize_foreign(fs)))
        .collect();
    findings.append(&mut foreign);
    if let Some(prefix) = &report_prefix {
        findings.retain(|(p, _)| p == prefix || p.starts_with(&format!("{prefix}/")));
        skipped.retain(|s| s.rel_path == *prefix || s.rel_path.starts_with(&format!("{prefix}/")));
    }
    findings.sort_by(|a, b| a.0.cmp(&b.0));
    Analysis {
        root,
        workspace: ws,
        findings,
        skipped,
        manifest_errors,
        lines,
    }
}

/// Lines as `wc -l` counts them, plus a last line without a newline.
pub fn count_lines(text: &str) -> usize {
    let newlines = text.bytes().filter(|&b| b == b'\n').count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// [`count_lines`] from the text's line index (one line per newline, plus the last one).
fn lines_from_index(index: &super::line_index::LineIndex, text: &str) -> usize {
    index.line_count() - 1 + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Shared by the CLI and the server: an engine for a config.
pub fn engine_for(config: Config, sel: &super::engine::Selection) -> Engine {
    Engine::new(Arc::new(config), sel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_from_the_index_are_counted_like_count_lines() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "\n",
            "\n\n",
            "é\r\nx",
            "x\r\n\r\n",
            "a\nb\n",
        ] {
            let index = super::super::line_index::LineIndex::new(text);
            assert_eq!(
                lines_from_index(&index, text),
                count_lines(text),
                "{text:?}"
            );
        }
    }
}
