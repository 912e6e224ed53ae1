//! Fuzzing the whole analysis pipeline on stable Rust (issue 10).
//!
//! Inputs: arbitrary text (random Unicode, lossy-decoded random bytes, Rust token soup) and real
//! files (this repository's sources and fixtures; with `BOUNDARY_FUZZ_REGISTRY=1` also every
//! `.rs` file under `~/.cargo/registry/src`) mutated by deleting, duplicating, truncating and
//! inserting random ranges. Each input goes through parsing, the workspace model, every rule
//! (default-off ones included, test code checked or not at random) and every fix.
//!
//! Invariants:
//! - no panic anywhere, caught or not (a panic hook counts the ones the engine swallows), and no
//!   `internal-error` finding;
//! - every finding's range, and every same-file related range, lies inside its file on char
//!   boundaries;
//! - every fix's edits lie inside the file, on char boundaries, and do not overlap;
//! - applying all safe fixes yields text that parses with no more syntax errors than before, and
//!   that the pipeline analyses again without a panic;
//! - an incremental reparse after a random edit yields the tree of a full parse of the new text.
//!
//! `BOUNDARY_FUZZ_CASES` sets the case count of each property (small by default so CI stays
//! fast); `BOUNDARY_FUZZ_STATS=1` prints what the run exercised. The long runs are recorded in
//! `docs/reliability.md`.
//!
//! Per-case deadline: each case's pipeline runs on a worker thread; a case that takes longer
//! than `BOUNDARY_FUZZ_CASE_SECS` (default 20 s in release, 120 s in debug) fails, and its input
//! files are written under `BOUNDARY_FUZZ_DUMP` (default `/tmp/boundary-fuzz-slow`) as a
//! small package that `boundary-lsp check` can run on; the failure message gives the directory.
//! Rust cannot stop a thread, so the slow worker is left running detached: after a timeout the
//! process runs no further case (proptest's shrinking sees them pass and reports the original
//! input), the test fails, and the harness exits when it is done, which ends the worker.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Once, OnceLock};
use std::time::{Duration, Instant};

use boundary_lsp::analysis::config::Config;
use boundary_lsp::analysis::engine::{Engine, Selection};
use boundary_lsp::analysis::fix;
use boundary_lsp::analysis::loader;
use boundary_lsp::analysis::rule::{Applicability, Finding};
use boundary_lsp::analysis::rules;
use boundary_lsp::analysis::syntax::{self, Edition, TextRange, TextSize};
use boundary_lsp::analysis::workspace::{Package, Target, TargetKind, Workspace, WsFile};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::TestCaseError;

fn cases(default: u32) -> u32 {
    std::env::var("BOUNDARY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

thread_local! {
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Counts every panic on this thread, including the ones `catch_unwind` in the engine hides.
fn install_panic_counter() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            default(info);
        }));
    });
}

/// What the runs exercised, printed with `BOUNDARY_FUZZ_STATS=1`.
static CASES_RUN: AtomicUsize = AtomicUsize::new(0);
static FINDINGS: AtomicUsize = AtomicUsize::new(0);
static FIXES: AtomicUsize = AtomicUsize::new(0);
static SAFE_APPLIED: AtomicUsize = AtomicUsize::new(0);
static UNSAFE_APPLIED: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

fn engines() -> &'static [Engine; 2] {
    static ENGINES: OnceLock<[Engine; 2]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let select: Vec<String> = rules::all()
            .iter()
            .map(|r| r.meta().id.to_string())
            .collect();
        let make = |config: &str| {
            let cfg = Config::parse(config, Path::new("boundary.toml"), &rules::metas())
                .expect("fuzz config");
            Engine::new(
                Arc::new(cfg),
                &Selection {
                    select: select.clone(),
                    ignore: vec![],
                },
            )
        };
        [make(""), make("check-tests = true\n")]
    })
}

fn package() -> Package {
    Package {
        name: "fuzz".into(),
        dir: String::new(),
        manifest: "Cargo.toml".into(),
        edition: Edition::E2021,
        targets: vec![
            Target {
                kind: TargetKind::Lib,
                name: "fuzz".into(),
                root: "src/lib.rs".into(),
            },
            Target {
                kind: TargetKind::Bin,
                name: "fuzz".into(),
                root: "src/main.rs".into(),
            },
        ],
        dependencies: vec![],
        default_features: vec![],
    }
}

/// The pipeline the CLI and the server run, without the disk: every file's pass, the workspace
/// model, the workspace rules, finalisation.
fn analyse(engine: &Engine, files: &[(String, String)]) -> Vec<Vec<Finding>> {
    let packages = vec![package()];
    let mut ws = Workspace {
        packages,
        files: Vec::new(),
        by_path: Default::default(),
    };
    let mut local = Vec::new();
    for (rel, text) in files {
        let (meta, pkg) = loader::file_meta(&ws.packages, rel);
        let a = engine.analyse_text(&meta, text);
        ws.by_path.insert(rel.clone(), ws.files.len());
        ws.files.push(WsFile {
            meta,
            package: pkg,
            module_path: Vec::new(),
            targets: Vec::new(),
            test_module: false,
            summary: a.summary,
        });
        local.push(a.findings);
    }
    ws.build_module_tree();
    for f in &mut ws.files {
        if let Some(&(p, t)) = f.targets.first() {
            f.meta.target = ws.packages[p].targets[t].kind;
        }
    }
    let mut global = engine.analyse_workspace(&ws);
    local
        .into_iter()
        .enumerate()
        .map(|(i, mut fs)| {
            let f = &ws.files[i];
            fs.extend(global.remove(&f.meta.rel_path).unwrap_or_default());
            engine.finalize(&f.summary, fs)
        })
        .collect()
}

fn in_text(text: &str, r: TextRange) -> bool {
    let (s, e) = (usize::from(r.start()), usize::from(r.end()));
    e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

fn overlap(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start() == b.start();
    }
    a.start() < b.end() && b.start() < a.end()
}

/// The per-case time limit: `BOUNDARY_FUZZ_CASE_SECS`, else generous enough that a slow shared
/// machine never trips it on a normal case (the slowest registry file takes about 4 s in
/// release, see docs/reliability.md).
fn case_deadline() -> Duration {
    let default = if cfg!(debug_assertions) { 120.0 } else { 20.0 };
    let secs = std::env::var("BOUNDARY_FUZZ_CASE_SECS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(default);
    Duration::from_secs_f64(secs)
}

/// Set by the first case over the deadline: its worker may still be running, so no further
/// case runs in this process.
static TIMED_OUT: AtomicBool = AtomicBool::new(false);

/// Writes a slow case's files as a package (`Cargo.toml` + the files) and returns its directory.
fn dump_case(
    root: &Path,
    files: &[(String, String)],
    check_tests: bool,
) -> std::io::Result<PathBuf> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = root.join(format!(
        "case-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"fuzz\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )?;
    std::fs::write(
        dir.join("boundary.toml"),
        if check_tests {
            "check-tests = true\n"
        } else {
            ""
        },
    )?;
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
    }
    Ok(dir)
}

fn dump_root() -> PathBuf {
    std::env::var_os("BOUNDARY_FUZZ_DUMP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/boundary-fuzz-slow"))
}

/// [`check_files_now`] on a worker thread, failing the case when it runs past
/// [`case_deadline`] (see the module docs).
fn check_files(files: &[(String, String)], check_tests: bool) -> Result<(), TestCaseError> {
    if TIMED_OUT.load(Ordering::Relaxed) {
        return Ok(()); // the test has already failed; see the module docs
    }
    run_case(files, check_tests, case_deadline(), &dump_root()).map_err(|(slow, e)| {
        if slow {
            TIMED_OUT.store(true, Ordering::Relaxed);
        }
        e
    })
}

/// Runs one case on a worker thread. On failure, whether it was the deadline.
fn run_case(
    files: &[(String, String)],
    check_tests: bool,
    deadline: Duration,
    dump: &Path,
) -> Result<(), (bool, TestCaseError)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = files.to_vec();
    let start = Instant::now();
    let worker = std::thread::Builder::new()
        .name("fuzz-case".into())
        .spawn(move || {
            let _ = tx.send(check_files_now(&owned, check_tests));
        })
        .expect("spawn a fuzz worker");
    match rx.recv_timeout(deadline) {
        Ok(result) => {
            let _ = worker.join();
            result.map_err(|e| (false, e))
        }
        // The worker panicked outside the engine's `catch_unwind`: report it as the case's.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => Err((
                false,
                TestCaseError::fail("the fuzz worker ended without a result"),
            )),
        },
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            let dumped = match dump_case(dump, files, check_tests) {
                Ok(dir) => format!("input written to {}", dir.display()),
                Err(e) => format!("could not write the input: {e}"),
            };
            let msg = format!(
                "case over the deadline: still running after {:.1?} (BOUNDARY_FUZZ_CASE_SECS); \
                 check-tests = {check_tests}; {dumped}",
                start.elapsed()
            );
            eprintln!("{msg}");
            Err((true, TestCaseError::fail(msg)))
        }
    }
}

/// Runs the pipeline on `files` and checks every invariant, on this thread. Also re-analyses
/// the fixed text.
fn check_files_now(files: &[(String, String)], check_tests: bool) -> Result<(), TestCaseError> {
    install_panic_counter();
    if CASES_RUN.fetch_add(1, Ordering::Relaxed) % 2000 == 1999 {
        print_stats();
    }
    BYTES.fetch_add(files.iter().map(|f| f.1.len()).sum(), Ordering::Relaxed);
    let engine = &engines()[usize::from(check_tests)];
    let before = PANICS.with(Cell::get);
    let results = analyse(engine, files);
    prop_assert_eq!(PANICS.with(Cell::get), before, "a panic during analysis");
    let mut fixed_files = files.to_vec();
    let mut changed = false;
    for ((rel, text), findings) in files.iter().zip(&results) {
        FINDINGS.fetch_add(findings.len(), Ordering::Relaxed);
        for f in findings {
            prop_assert!(
                f.rule != "internal-error",
                "internal error in {}: {}",
                rel,
                f.message
            );
            prop_assert!(
                in_text(text, f.range),
                "{} finding range {:?} outside {} ({} bytes) or not on a char boundary",
                f.rule,
                f.range,
                rel,
                text.len()
            );
            for r in &f.related {
                let target = match &r.file {
                    None => Some(text.as_str()),
                    Some(p) => files.iter().find(|(q, _)| q == p).map(|(_, t)| t.as_str()),
                };
                if let (Some(t), None) = (target, r.line) {
                    prop_assert!(
                        in_text(t, r.range),
                        "{} related range {:?} outside {:?}",
                        f.rule,
                        r.range,
                        r.file
                    );
                }
            }
            if let Some(fx) = &f.fix {
                FIXES.fetch_add(1, Ordering::Relaxed);
                for (i, e) in fx.edits.iter().enumerate() {
                    prop_assert!(
                        in_text(text, e.range),
                        "{} fix edit {:?} outside {} ({} bytes)",
                        f.rule,
                        e.range,
                        rel,
                        text.len()
                    );
                    for o in &fx.edits[..i] {
                        prop_assert!(
                            !overlap(o.range, e.range),
                            "{} fix edits overlap: {:?} and {:?}",
                            f.rule,
                            o.range,
                            e.range
                        );
                    }
                }
            }
        }
        // Safe fixes never add syntax errors.
        let errors_before = syntax::parse(text, Edition::E2021).error_count();
        let (safe_text, applied) = fix::apply(text, findings, false);
        SAFE_APPLIED.fetch_add(applied.len(), Ordering::Relaxed);
        let errors_after = syntax::parse(&safe_text, Edition::E2021).error_count();
        prop_assert!(
            errors_after <= errors_before,
            "safe fixes of {:?} in {} add syntax errors ({} -> {})\n--- fixed text ---\n{}",
            applied.iter().map(|f| f.rule).collect::<Vec<_>>(),
            rel,
            errors_before,
            errors_after,
            safe_text
        );
        // Unsafe fixes may change behaviour, but they must still apply cleanly.
        let (unsafe_text, applied_all) = fix::apply(text, findings, true);
        UNSAFE_APPLIED.fetch_add(
            applied_all
                .iter()
                .filter(|f| f.fix.as_ref().unwrap().applicability == Applicability::Unsafe)
                .count(),
            Ordering::Relaxed,
        );
        let _ = syntax::parse(&unsafe_text, Edition::E2021);
        if safe_text != *text {
            changed = true;
            fixed_files.iter_mut().find(|(p, _)| p == rel).unwrap().1 = safe_text;
        }
    }
    if changed {
        let before = PANICS.with(Cell::get);
        let again = analyse(engine, &fixed_files);
        prop_assert_eq!(PANICS.with(Cell::get), before, "a panic on the fixed text");
        for f in again.iter().flatten() {
            prop_assert!(f.rule != "internal-error", "{}", f.message);
        }
    }
    Ok(())
}

/// Incremental reparse after an edit gives the same tree as a full parse.
fn check_reparse(text: &str, at: Index, len: Index, insert: &str) -> Result<(), TestCaseError> {
    install_panic_counter();
    let start = floor_char(text, at.index(text.len() + 1));
    let end = floor_char(text, start + len.index(text.len() - start + 1)).max(start);
    let parsed = syntax::parse(text, Edition::E2021);
    let range = TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32));
    let new_text = format!("{}{}{}", &text[..start], insert, &text[end..]);
    let incremental = parsed.reparse(range, insert);
    let full = syntax::parse(&new_text, Edition::E2021);
    prop_assert_eq!(incremental.tree().to_string(), new_text.clone());
    prop_assert_eq!(
        format!("{:#?}", incremental.tree()),
        format!("{:#?}", full.tree()),
        "incremental reparse differs from a full parse"
    );
    Ok(())
}

fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Real Rust files: this repository's sources and fixtures, plus the cargo registry's sources
/// when `BOUNDARY_FUZZ_REGISTRY=1`.
fn corpus() -> &'static [(PathBuf, String)] {
    static CORPUS: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut roots = vec![repo.join("server/src"), repo.join("tests")];
        if std::env::var("BOUNDARY_FUZZ_REGISTRY").is_ok_and(|v| v == "1") {
            if let Some(home) = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            {
                roots.push(home.join("registry/src"));
            }
        }
        let mut out = Vec::new();
        for root in roots {
            for entry in ignore::WalkBuilder::new(&root)
                .standard_filters(false)
                .follow_links(false)
                .build()
                .flatten()
            {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "rs")
                    && entry.file_type().is_some_and(|t| t.is_file())
                    && !p.components().any(|c| c.as_os_str() == "target")
                {
                    if let Ok(text) = std::fs::read_to_string(p) {
                        if text.len() <= 256 * 1024 {
                            out.push((p.to_path_buf(), text));
                        }
                    }
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        if std::env::var("BOUNDARY_FUZZ_STATS").is_ok() {
            eprintln!("fuzz corpus: {} files", out.len());
        }
        assert!(out.len() > 20, "fuzz corpus too small: {}", out.len());
        out
    })
}

/// Pieces of Rust that the rules look at, for token soup and insertions.
const TOKENS: &[&str] = &[
    "pub ",
    "pub(crate) ",
    "pub(super) ",
    "pub(in crate::a) ",
    "fn ",
    "struct ",
    "enum ",
    "union ",
    "trait ",
    "impl ",
    "unsafe impl Send for ",
    "unsafe impl Sync for ",
    "mod ",
    "mod a;",
    "mod b { ",
    "use ",
    "use crate::",
    "use super::*;",
    "static mut ",
    "static ",
    "const ",
    "type ",
    "let ",
    "match ",
    "if ",
    "else ",
    "for ",
    "in ",
    "loop ",
    "where ",
    "self",
    "Self",
    "crate::",
    "super::",
    "::",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ";",
    ":",
    "=",
    "=>",
    "->",
    "&",
    "&mut ",
    "*",
    "!",
    "?",
    ".",
    "'a",
    "\"",
    "'",
    "r#\"",
    "\"#",
    "/*",
    "*/",
    "//",
    "///",
    "//!",
    "\n",
    " ",
    "\t",
    "#",
    "#[cfg(test)]",
    "#[test]",
    "#[path = \"x.rs\"]",
    "#[derive(Debug)]",
    "#[macro_export]",
    "macro_rules! m { () => {} }",
    "bool",
    "Option<",
    "Option<Option<bool>>",
    "Option<bool>",
    "String",
    "&str",
    "Result<(), String>",
    "Box<dyn std::error::Error>",
    "Arc<Mutex<",
    "Rc<RefCell<",
    "Mutex<u32>",
    "Mutex<bool>",
    "AtomicU32",
    "Cell<",
    "RefCell<",
    "&String",
    "&Vec<u8>",
    "&Box<T>",
    ".unwrap()",
    ".expect(\"x\")",
    "panic!()",
    "unwrap",
    "x",
    "y",
    "a",
    "b",
    "T",
    "Foo",
    "is_ready",
    "state",
    "status",
    "\"open\"",
    "\"closed\"",
    "0",
    "1",
    "true",
    "false",
    "None",
    "Some(",
    "// boundary: allow(",
    "// boundary: allow(bool-fields)",
    "//! boundary: allow(static-mut)",
    "// boundary: allow(nonexistent-rule)",
    ")",
    "é",
    "日本",
    "🦀",
    "\u{200b}",
    "\r\n",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TOKENS), 0..300).prop_map(|v| v.concat())
}

/// A mutation of a text: 0 delete, 1 duplicate, 2 truncate, 3 insert a token, 4 swap ranges.
type Mutation = (u8, Index, Index, Index, &'static str);

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        (
            0u8..5,
            any::<Index>(),
            any::<Index>(),
            any::<Index>(),
            select(TOKENS),
        ),
        0..8,
    )
}

fn mutate(text: &str, ms: &[Mutation]) -> String {
    let mut t = text.to_string();
    for (op, a, b, c, token) in ms {
        let start = floor_char(&t, a.index(t.len() + 1));
        let max = (t.len() - start).min(400);
        let end = floor_char(&t, start + b.index(max + 1)).max(start);
        let at = floor_char(&t, c.index(t.len() + 1));
        match op {
            0 => t.replace_range(start..end, ""),
            1 => {
                let piece = t[start..end].to_string();
                t.insert_str(end, &piece);
            }
            2 => t.truncate(start),
            3 => t.insert_str(at, token),
            _ => {
                let piece = t[start..end].to_string();
                t.replace_range(start..end, "");
                let at = floor_char(&t, c.index(t.len() + 1));
                t.insert_str(at, &piece);
            }
        }
    }
    t
}

/// Two files so the workspace rules see a crate with a module: `src/lib.rs` declares `mod a;`.
fn two_files(lib: String, a: String) -> Vec<(String, String)> {
    vec![
        ("src/lib.rs".into(), format!("pub mod a;\n{lib}")),
        ("src/a.rs".into(), a),
    ]
}

/// Prints the counters every 2,000 pipeline runs and at the end of `real_files_unmutated`.
fn print_stats() {
    if std::env::var("BOUNDARY_FUZZ_STATS").is_ok() {
        eprintln!(
            "fuzz stats: {} pipeline runs, {} bytes, {} findings, {} fixes offered, {} safe + {} unsafe applied",
            CASES_RUN.load(Ordering::Relaxed),
            BYTES.load(Ordering::Relaxed),
            FINDINGS.load(Ordering::Relaxed),
            FIXES.load(Ordering::Relaxed),
            SAFE_APPLIED.load(Ordering::Relaxed),
            UNSAFE_APPLIED.load(Ordering::Relaxed),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_strings(text in any::<String>(), check_tests in any::<bool>()) {
        check_files(&[("src/lib.rs".into(), text)], check_tests)?;
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), check_tests in any::<bool>()) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_files(&[("src/lib.rs".into(), text)], check_tests)?;
    }

    #[test]
    fn token_soups(lib in token_soup(), a in token_soup(), check_tests in any::<bool>()) {
        check_files(&two_files(lib, a), check_tests)?;
    }

    #[test]
    fn mutated_real_files(
        i in any::<Index>(),
        j in any::<Index>(),
        mi in mutations(),
        mj in mutations(),
        check_tests in any::<bool>(),
    ) {
        let c = corpus();
        let lib = mutate(&c[i.index(c.len())].1, &mi);
        let a = mutate(&c[j.index(c.len())].1, &mj);
        check_files(&two_files(lib, a), check_tests)?;
    }

    #[test]
    fn incremental_reparse(
        i in any::<Index>(),
        mi in mutations(),
        at in any::<Index>(),
        len in any::<Index>(),
        insert in prop::collection::vec(select(TOKENS), 0..4),
    ) {
        let c = corpus();
        let text = mutate(&c[i.index(c.len())].1, &mi);
        check_reparse(&text, at, len, &insert.concat())?;
    }
}

/// Every real file of the corpus unmutated, as one workspace file each. With
/// `BOUNDARY_FUZZ_STATS=1`, prints the files whose analysis took over a second.
#[test]
fn real_files_unmutated() {
    let mut slow = Vec::new();
    for (path, text) in corpus() {
        let start = Instant::now();
        if let Err(e) = check_files(&[("src/lib.rs".into(), text.clone())], true) {
            panic!("{}: {e}", path.display());
        }
        let took = start.elapsed();
        if took.as_secs_f64() > 1.0 {
            slow.push((took, path));
            if std::env::var("BOUNDARY_FUZZ_STATS").is_ok() {
                eprintln!("slow: {took:?} {}", path.display());
            }
        }
    }
    print_stats();
    if std::env::var("BOUNDARY_FUZZ_STATS").is_ok() {
        eprintln!("files over 1 s: {}", slow.len());
    }
}

/// The deadline itself: a case that cannot finish in time fails as slow and leaves its input
/// where the message says, as a package `check` can run on.
#[test]
fn a_case_over_the_deadline_fails_and_leaves_its_input() {
    let dump = std::env::temp_dir().join(format!("boundary-fuzz-deadline-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dump);
    let files = two_files("pub fn f() {}\n".into(), "use super::*;\n".into());
    let (slow, e) = run_case(&files, true, Duration::ZERO, &dump).expect_err("over the deadline");
    assert!(slow, "{e}");
    let msg = e.to_string();
    let dir = msg
        .split("input written to ")
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no directory in {msg:?}"));
    assert!(dir.starts_with(&dump), "{}", dir.display());
    assert_eq!(
        std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
        "pub mod a;\npub fn f() {}\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("src/a.rs")).unwrap(),
        "use super::*;\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("boundary.toml")).unwrap(),
        "check-tests = true\n"
    );
    assert!(std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .contains("name = \"fuzz\""));
    // The same case with time to finish passes.
    run_case(&files, true, Duration::from_secs(600), &dump)
        .map_err(|(_, e)| e)
        .unwrap();
    std::fs::remove_dir_all(&dump).unwrap();
}
