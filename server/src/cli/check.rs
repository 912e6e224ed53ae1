//! `boundary-lsp check`: one-shot analysis for people, CI and agents.

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

use super::output;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

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
}

/// Runs `check`; returns the exit code (0 clean, 1 findings at `--fail-on`, 2 usage/config error).
pub fn run(args: &CheckArgs) -> i32 {
    match run_inner(args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            2
        }
    }
}

pub(crate) fn load_config(root: &Path, explicit: Option<&Path>) -> Result<Config, String> {
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
    if args.fix {
        // Fixes can enable or overlap other fixes: apply, re-analyse, until nothing changes.
        for _round in 0..10 {
            let applied = apply_fixes(&analysis, args.unsafe_fixes)?;
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
    let located = output::locate_all(&analysis);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let res = match args.format {
        Format::Human => output::human(&mut out, &located, &engine.config),
        Format::Json => output::json_lines(&mut out, &located, &engine.config),
        Format::Sarif => output::sarif(&mut out, &located, &engine.config),
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
    let count = |s: Severity| located.iter().filter(|l| l.finding.severity == s).count();
    if !args.quiet {
        let summary = format!(
            "{} file(s), {} line(s): {} error(s), {} warning(s), {} info, {} hint(s) in {:.2}s",
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
    Ok(i32::from(failing))
}

/// Applies fixes file by file, writing atomically. Returns (file, fixes applied).
fn apply_fixes(analysis: &Analysis, unsafe_too: bool) -> Result<Vec<(String, usize)>, String> {
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
        write_atomically(&analysis.root, &path, &new_text)?;
        out.push((rel.clone(), applied.len()));
    }
    Ok(out)
}

/// Writes through a temporary file in the same directory, then renames. Refuses symlinks and
/// paths that resolve outside the workspace root.
pub fn write_atomically(root: &Path, path: &Path, text: &str) -> Result<(), String> {
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
