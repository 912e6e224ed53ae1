//! `boundary-lsp check`: one-shot analysis for people, CI and agents.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};

use crate::analysis::config::Config;
use crate::analysis::engine::Selection;
use crate::analysis::fix;
use crate::analysis::loader::{self, Analysis};
use crate::analysis::rule::Severity;
use crate::analysis::rules;

use super::{baseline, diff_base, formats, output};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=..::`): annotations on the PR diff.
    Github,
    /// GitLab Code Quality JSON (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

// Independent command-line switches, as clap models them.
// boundary: allow(bool-fields)
#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// A workspace, a folder of `.rs` files, or one file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Apply the safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`, also apply the unsafe fixes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Not these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Use this config file instead of `<root>/boundary.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// With `--fix`, print what changed as a unified diff (to stdout with `--format human`,
    /// else to stderr so machine output stays parseable). Files are still written.
    #[arg(long)]
    pub diff: bool,
    /// Record today's findings in a baseline file and exit 0 (default: the config's `baseline`,
    /// else `boundary-baseline.json` at the workspace root).
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    // clap's idiom for a flag with an optional value: absent / `--write-baseline` / `--write-baseline F`.
    // boundary: allow(option-option)
    pub write_baseline: Option<Option<PathBuf>>,
    /// Report only findings not in this baseline file (default: the config's `baseline`), and
    /// list its entries that no longer occur.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore the `baseline` set in `boundary.toml`.
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,
    /// Report only findings in code changed since this git revision (`git diff REV` of the
    /// working tree, plus untracked files). The whole workspace is still analysed.
    #[arg(long, value_name = "REV")]
    pub diff_base: Option<String>,
}

/// Runs `check`; returns the exit code (0 clean, 1 findings at `--fail-on`, 2 usage/config error).
pub(crate) fn run(args: &CheckArgs) -> i32 {
    match run_inner(args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            2
        }
    }
}

pub(super) fn load_config(root: &Path, explicit: Option<&Path>) -> Result<Config, String> {
    let metas = rules::metas();
    match explicit {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Config::parse(&text, p, &metas).map_err(|e| e.to_string())
        }
        None => Config::load(root, &metas).map_err(|e| {
            let mut e = e;
            e.file = PathBuf::from(loader::rel_path(root, &e.file));
            e.to_string()
        }),
    }
}

fn run_inner(args: &CheckArgs) -> Result<i32, String> {
    let started = Instant::now();
    if !args.path.exists() {
        return Err(format!(
            "{}: no such file or directory",
            args.path.display()
        ));
    }
    for id in args.select.iter().chain(&args.ignore) {
        if rules::meta(id).is_none() {
            return Err(format!(
                "unknown rule `{id}` in --select/--ignore (run `boundary-lsp rules` for the list)"
            ));
        }
    }
    if args.unsafe_fixes && !args.fix {
        return Err("--unsafe-fixes needs --fix".into());
    }
    if args.diff && !args.fix {
        return Err("--diff needs --fix".into());
    }
    if args.write_baseline.is_some() && (args.diff_base.is_some() || args.baseline.is_some()) {
        return Err("--write-baseline records every finding; it cannot be combined with --diff-base or --baseline".into());
    }
    if args.fix {
        refuse_symlink_escape(&args.path)?;
    }
    let root = loader::find_root(&args.path);
    let config = load_config(&root, args.config.as_deref())?;
    let engine = loader::engine_for(
        config,
        &Selection {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
        },
    );
    let mut analysis = loader::analyse_path(&args.path, &engine);
    crate::analysis::graph::validate_workspace(&engine.config, &analysis.workspace)
        .map_err(|e| e.to_string())?;
    let mut fixed: Vec<(String, usize)> = Vec::new();
    let mut originals: HashMap<String, String> = HashMap::new();
    if args.fix {
        // Fixes can enable or overlap other fixes: apply, re-analyse, until nothing changes.
        for _round in 0..10 {
            let applied = apply_fixes(&analysis, args.unsafe_fixes, &mut originals)?;
            if applied.is_empty() {
                break;
            }
            for (f, n) in applied {
                match fixed.iter_mut().find(|(p, _)| *p == f) {
                    Some(e) => e.1 += n,
                    None => fixed.push((f, n)),
                }
            }
            analysis = loader::analyse_path(&args.path, &engine);
        }
    }
    // Every tree and analysis temporary is gone by now: all the region's chunks are free.
    crate::memory::log_tree_region();
    let located = output::locate_all(&analysis);
    if let Some(explicit) = &args.write_baseline {
        let path = baseline::resolve(
            &root,
            explicit.as_deref(),
            engine.config.baseline.as_deref(),
        );
        let n = baseline::write(&path, &analysis, &located)?;
        eprintln!("wrote {n} finding(s) to baseline {}", path.display());
        return Ok(0);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.diff {
        let mut diffs = String::new();
        for (f, _) in &fixed {
            let now = loader::read_source(&analysis.root.join(f)).unwrap_or_default();
            diffs.push_str(&formats::unified_diff(f, &originals[f], &now));
        }
        if args.format == Format::Human {
            let _ = write!(out, "{diffs}");
        } else {
            eprint!("{diffs}");
        }
    }
    let filtered = filter_reported(args, &root, &engine, &analysis, located)?;
    let located = filtered.located;
    let keys = if args.format == Format::Gitlab {
        baseline::keys(&analysis, &located)
    } else {
        Vec::new()
    };
    let prefix = cwd_prefix(&root);
    let res = match args.format {
        Format::Human => output::human(&mut out, &located, &engine.config),
        Format::Json => output::json_lines(&mut out, &located, &engine.config),
        Format::Sarif => output::sarif(&mut out, &located, &engine.config),
        Format::Github => formats::github(&mut out, &located, &prefix),
        Format::Gitlab => formats::gitlab(&mut out, &located, &keys, &prefix),
        Format::Junit => formats::junit(&mut out, &located, &engine.config, &prefix),
    };
    if let Err(e) = res {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(format!("cannot write output: {e}"));
        }
    }
    let _ = out.flush();
    for s in &analysis.skipped {
        eprintln!("warning: {}: {}", s.rel_path, s.reason);
    }
    for (file, line, msg) in &analysis.manifest_errors {
        eprintln!("warning: {file}:{line}: {msg} (package ignored)");
    }
    if args.fix {
        let total: usize = fixed.iter().map(|(_, n)| n).sum();
        eprintln!("fixed {total} finding(s) in {} file(s)", fixed.len());
        for (f, n) in &fixed {
            eprintln!("  {f}: {n} fix(es)");
        }
    }
    if !filtered.stale.is_empty() {
        eprintln!(
            "baseline: {} {} no longer occur{} (fixed or changed); `check --write-baseline` shrinks the file:",
            filtered.stale.len(),
            if filtered.stale.len() == 1 { "entry" } else { "entries" },
            if filtered.stale.len() == 1 { "s" } else { "" }
        );
        for e in &filtered.stale {
            eprintln!(
                "  {} {} {}: {}",
                e.key.rule, e.key.file, e.key.symbol, e.message
            );
        }
    }
    let count = |s: Severity| located.iter().filter(|l| l.finding.severity == s).count();
    if !args.quiet {
        let mut hidden = String::new();
        if let Some(n) = filtered.baselined {
            hidden.push_str(&format!(", {n} baselined"));
        }
        if let Some(n) = filtered.outside_diff {
            hidden.push_str(&format!(", {n} outside the diff"));
        }
        let summary = format!(
            "{} file(s), {} line(s): {} error(s), {} warning(s), {} info, {} hint(s){hidden} in {:.2}s",
            analysis.workspace.files.len(),
            analysis.lines,
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
            count(Severity::Hint),
            started.elapsed().as_secs_f64()
        );
        // Machine formats keep stdout clean.
        if args.format == Format::Human {
            println!("{summary}");
        } else {
            eprintln!("{summary}");
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|t| located.iter().any(|l| l.finding.severity >= t));
    analysis.workspace.free_in_parallel();
    Ok(i32::from(failing))
}

/// Applies fixes file by file, writing atomically. Returns (file, fixes applied).
fn apply_fixes(
    analysis: &Analysis,
    unsafe_too: bool,
    originals: &mut HashMap<String, String>,
) -> Result<Vec<(String, usize)>, String> {
    let mut out = Vec::new();
    for (rel, findings) in &analysis.findings {
        if !findings.iter().any(|f| f.fix.is_some()) {
            continue;
        }
        let path = analysis.root.join(rel);
        let text = match loader::read_source(&path) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let (new_text, applied) = fix::apply(&text, findings, unsafe_too);
        if applied.is_empty() || new_text == text {
            continue;
        }
        originals.entry(rel.clone()).or_insert(text);
        write_atomically(&analysis.root, &path, &new_text)?;
        out.push((rel.clone(), applied.len()));
    }
    Ok(out)
}

/// `--fix` never follows a symlink out of the workspace the path is in as written: for
/// `src/vendored/x.rs` with `src/vendored -> /elsewhere`, the workspace root found from the
/// real path would be `/elsewhere`'s, and fixes would be written there. Refuses a path whose
/// first symlink leads outside the workspace (or directory) containing that symlink.
fn refuse_symlink_escape(path: &Path) -> Result<(), String> {
    let abs = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut prefix = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                prefix.pop();
                continue;
            }
            std::path::Component::CurDir => continue,
            _ => prefix.push(c),
        }
        let is_link = std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            continue;
        }
        let parent = prefix.parent().unwrap_or(Path::new("/"));
        let workspace = loader::find_root(parent);
        let real = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if real.starts_with(&workspace) {
            return Ok(());
        }
        return Err(format!(
            "{}: the symlink {} leads out of {} (to {}); --fix does not write there",
            path.display(),
            prefix.display(),
            workspace.display(),
            real.display()
        ));
    }
    Ok(())
}

/// Writes through a temporary file in the same directory, then renames. Refuses symlinks and
/// paths that resolve outside the workspace root.
fn write_atomically(root: &Path, path: &Path, text: &str) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.file_type().is_symlink() {
        return Err(format!(
            "{}: refusing to write through a symlink",
            path.display()
        ));
    }
    let real = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !real.starts_with(root) {
        return Err(format!(
            "{}: outside the workspace, not written",
            path.display()
        ));
    }
    let dir = real
        .parent()
        .ok_or_else(|| format!("{}: no parent directory", path.display()))?;
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let perms = meta.permissions();
    let _ = std::fs::set_permissions(tmp.path(), perms);
    tmp.persist(&real)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// What `--baseline` and `--diff-base` left to report.
struct Filtered {
    located: Vec<output::Located>,
    /// Findings hidden by the baseline (`None`: no baseline in use).
    baselined: Option<usize>,
    /// Findings hidden by `--diff-base` (`None`: not used).
    outside_diff: Option<usize>,
    /// Baseline entries that matched no finding.
    stale: Vec<crate::analysis::baseline::Entry>,
}

fn filter_reported(
    args: &CheckArgs,
    root: &Path,
    engine: &crate::analysis::engine::Engine,
    analysis: &Analysis,
    mut located: Vec<output::Located>,
) -> Result<Filtered, String> {
    let mut filtered = Filtered {
        located: Vec::new(),
        baselined: None,
        outside_diff: None,
        stale: Vec::new(),
    };
    let configured = if args.no_baseline {
        None
    } else {
        engine.config.baseline.as_deref()
    };
    if args.baseline.is_some() || configured.is_some() {
        let path = baseline::resolve(root, args.baseline.as_deref(), configured);
        let base = baseline::read(&path)?;
        let keys = baseline::keys(analysis, &located);
        let part = crate::analysis::baseline::partition(&base, &keys);
        let before = located.len();
        let mut flags = part.baselined.into_iter();
        located.retain(|_| !flags.next().unwrap_or(false));
        filtered.baselined = Some(before - located.len());
        // Entries of rules that did not run, or of files outside the checked path, are not stale.
        filtered.stale = part
            .stale
            .into_iter()
            .map(|i| base.findings[i].clone())
            .filter(|e| {
                engine.is_active(&e.key.rule)
                    && (analysis.workspace.file(&e.key.file).is_some()
                        || !root.join(&e.key.file).exists())
            })
            .collect();
    }
    if let Some(rev) = &args.diff_base {
        let changes = diff_base::changes(root, rev)?;
        let keep = diff_base::filter(analysis, &located, &changes);
        let before = located.len();
        let mut flags = keep.into_iter();
        located.retain(|_| flags.next().unwrap_or(true));
        filtered.outside_diff = Some(before - located.len());
    }
    filtered.located = located;
    Ok(filtered)
}

/// The workspace root relative to the current directory (`""` when it is the current
/// directory or not below it): CI annotations are resolved against the checkout.
fn cwd_prefix(root: &Path) -> String {
    let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) else {
        return String::new();
    };
    match root.strip_prefix(&cwd) {
        Ok(rel) => loader::rel_path(&cwd, &cwd.join(rel)),
        Err(_) => String::new(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::write_atomically;
    use std::os::unix::fs::symlink;
    use std::path::Path;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_atomically_refuses_symlinks_and_paths_outside_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let root = base.join("ws");
        write(&root, "a.rs", "old");
        write(&base, "outside.rs", "outside");
        symlink(base.join("outside.rs"), root.join("link.rs")).unwrap();
        symlink(root.join("a.rs"), root.join("inner_link.rs")).unwrap();
        let e = write_atomically(&root, &root.join("link.rs"), "new").unwrap_err();
        assert!(e.contains("refusing to write through a symlink"), "{e}");
        let e = write_atomically(&root, &root.join("inner_link.rs"), "new").unwrap_err();
        assert!(e.contains("refusing to write through a symlink"), "{e}");
        let e = write_atomically(&root, &base.join("outside.rs"), "new").unwrap_err();
        assert!(e.contains("outside the workspace"), "{e}");
        let e = write_atomically(&root, &root.join("missing.rs"), "new").unwrap_err();
        assert!(e.contains("missing.rs"), "{e}");
        assert_eq!(
            std::fs::read_to_string(base.join("outside.rs")).unwrap(),
            "outside"
        );
        assert_eq!(std::fs::read_to_string(root.join("a.rs")).unwrap(), "old");
        assert!(!root.join("missing.rs").exists());
        write_atomically(&root, &root.join("a.rs"), "new").unwrap();
        assert_eq!(std::fs::read_to_string(root.join("a.rs")).unwrap(), "new");
        assert_eq!(listing(&root).len(), 3, "a temporary file was left behind");
    }
}
