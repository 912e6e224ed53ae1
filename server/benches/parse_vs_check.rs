//! Throughput of `check` against parsing alone with `ra_ap_syntax`, on a corpus of real crates.
//!
//! `cargo bench --bench parse_vs_check -- <corpus-dir> [runs]` (see `scripts/bench/check.sh`,
//! which builds the corpus and also measures the `boundary-lsp` binary's wall time and peak
//! memory). Every measurement reads the files from disk, as `check` does; the page cache is warm
//! (one untimed warm-up run first). Prints one markdown table row per measurement, medians of
//! `runs` runs. `-- <corpus-dir> 1 parse` (or `check`, or `parse-region`: the parses in the
//! tree region `check` uses) runs one side once, for profilers;
//! `-- <corpus-dir> 1 phases` prints the wall time of each stage of `check`, `-- <corpus-dir> 1 mem`
//! the heap bytes of the per-file summaries by part.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use boundary_lsp::analysis::config::Config;
use boundary_lsp::analysis::engine::Selection;
use boundary_lsp::analysis::loader;
use boundary_lsp::analysis::syntax::{self, Edition};
use boundary_lsp::memory::{in_heap, Heap};
use rayon::prelude::*;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The corpus' files with the edition `check` would parse them with.
fn corpus(root: &Path) -> Vec<(PathBuf, Edition)> {
    let config = Config::default();
    let (sources, manifests) = loader::walk(root, &config);
    let (packages, _) = loader::discover_packages(root, &manifests);
    sources
        .into_iter()
        .map(|p| {
            let (meta, _) = loader::file_meta(&packages, &loader::rel_path(root, &p));
            (p, meta.edition)
        })
        .collect()
}

/// Reads and parses every file, dropping each tree right away. Returns (files, lines).
fn parse_all(files: &[(PathBuf, Edition)]) -> (usize, usize) {
    parse_all_in(files, Heap::Default)
}

/// [`parse_all`] with the parses in `heap` (`Heap::Trees`: where `check` parses).
fn parse_all_in(files: &[(PathBuf, Edition)], heap: Heap) -> (usize, usize) {
    files
        .par_iter()
        .map(|(p, ed)| match loader::read_source(p) {
            Ok(text) => {
                let parsed = in_heap(heap, || syntax::parse(&text, *ed));
                std::hint::black_box(&parsed);
                (1, loader::count_lines(&text))
            }
            Err(_) => (0, 0),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// `check`'s stages one by one (as `loader::analyse_path` runs them), with their wall times.
fn phases(root: &Path, engine: &boundary_lsp::analysis::engine::Engine) {
    let t = Instant::now();
    let lap = |what: &str, t: &mut Instant| {
        eprintln!("{what:>12}: {:8.3} s", t.elapsed().as_secs_f64());
        *t = Instant::now();
    };
    let mut t0 = t;
    let (sources, manifests) = loader::walk(root, &engine.config);
    lap("walk", &mut t0);
    let loaded = loader::load(root, &sources, &manifests, engine, &|_, _| {});
    lap("file pass", &mut t0);
    let global = engine.analyse_workspace(&loaded.workspace);
    lap("workspace", &mut t0);
    let n: usize = loaded
        .workspace
        .files
        .par_iter()
        .map(|f| {
            let fs = loaded
                .local
                .get(&f.meta.rel_path)
                .cloned()
                .unwrap_or_default();
            boundary_lsp::analysis::incremental::finalize_file(engine, &global, f, fs).len()
        })
        .sum();
    lap("finalize", &mut t0);
    loaded.workspace.free_in_parallel();
    drop(loaded.local);
    drop(global);
    lap("drop", &mut t0);
    eprintln!("{n} findings, total {:.3} s", t.elapsed().as_secs_f64());
}

/// Heap bytes the per-file summaries hold after the file pass, by part (see
/// `analysis::heap`), and the facts by rule and kind.
fn summary_bytes(root: &Path, engine: &boundary_lsp::analysis::engine::Engine) {
    let (sources, manifests) = loader::walk(root, &engine.config);
    let loaded = loader::load(root, &sources, &manifests, engine, &|_, _| {});
    let mut sums = boundary_lsp::analysis::heap::Summaries::default();
    for f in &loaded.workspace.files {
        sums.add(&f.summary);
    }
    let lines = loaded.lines as f64;
    println!(
        "{} lines, {} files",
        loaded.lines,
        loaded.workspace.files.len()
    );
    for (k, p) in sums.parts() {
        println!(
            "{k:>16}: {:>9} {:>8.1} MB {:>6.1} B/line",
            p.count,
            p.bytes as f64 / 1e6,
            p.bytes as f64 / lines
        );
    }
    let total = sums.total() as f64;
    println!(
        "{:>16}: {:>9} {:>8.1} MB {:>6.1} B/line",
        "total",
        "",
        total / 1e6,
        total / lines
    );
    let mut by_kind: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for x in loaded.workspace.files.iter().flat_map(|f| &f.summary.facts) {
        *by_kind.entry((x.rule, x.kind)).or_default() += 1;
    }
    for ((rule, kind), n) in by_kind {
        println!("fact {rule}/{kind}: {n}");
    }
}

/// What `boundary-lsp check` does, output aside: the analysis, then freeing it as the CLI
/// does. Returns the lines checked.
fn check(root: &Path, engine: &boundary_lsp::analysis::engine::Engine) -> usize {
    let analysis = loader::analyse_path(root, engine);
    let lines = analysis.lines;
    analysis.workspace.free_in_parallel();
    lines
}

fn time_runs(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let lines = f(); // warm-up: page cache, allocator
    let times = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    (median(times), lines)
}

fn row(name: &str, threads: usize, lines: usize, d: Duration, base: Option<Duration>) {
    let secs = d.as_secs_f64();
    let ratio = base.map_or("".to_string(), |b| {
        format!("{:.2}x", secs / b.as_secs_f64())
    });
    println!(
        "| {name} | {threads} | {:.3} s | {:.2} M | {ratio} |",
        secs,
        lines as f64 / secs / 1e6
    );
}

fn main() {
    // `cargo bench` passes `--bench`; the corpus is the first other argument.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench parse_vs_check -- <corpus-dir> [runs]");
        eprintln!("(scripts/bench/check.sh builds the corpus)");
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    // The process setting `boundary-lsp` starts with (no transparent huge pages), for both sides.
    boundary_lsp::memory::no_huge_pages();
    let root = std::fs::canonicalize(&root).expect("corpus directory");
    let files = corpus(&root);
    let engine = loader::engine_for(Config::default(), &Selection::default());
    // `parse` / `check` as the third argument: one untimed pass of that side only, on the
    // current thread pool, for profilers (callgrind counts instructions, noise-free).
    match args.get(2).map(String::as_str) {
        Some("parse") => {
            println!("{} lines parsed", parse_all(&files).1);
            return;
        }
        Some("parse-region") => {
            println!("{} lines parsed", parse_all_in(&files, Heap::Trees).1);
            return;
        }
        Some("phases") => {
            phases(&root, &engine);
            return;
        }
        Some("mem") => {
            summary_bytes(&root, &engine);
            return;
        }
        Some("check") => {
            println!("{} lines checked", check(&root, &engine));
            return;
        }
        _ => {}
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    println!(
        "corpus: {} ({} files), median of {runs} runs\n",
        root.display(),
        files.len()
    );
    println!("| measurement | threads | median time | lines/s | vs parse (same threads) |");
    println!("|---|---|---|---|---|");
    for threads in [1, cores.max(2)] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let (parse, lines) = pool.install(|| time_runs(runs, || parse_all(&files).1));
        row("read + parse (ra_ap_syntax)", threads, lines, parse, None);
        // For reference: the same parses in the tree region `check` parses into (bump
        // allocation, chunks reused warm; `memory/region.rs`), against the row above.
        let (region, lines) =
            pool.install(|| time_runs(runs, || parse_all_in(&files, Heap::Trees).1));
        row(
            "parse in the tree region (read + parse, as check parses)",
            threads,
            lines,
            region,
            Some(parse),
        );
        let (check, lines) = pool.install(|| time_runs(runs, || check(&root, &engine)));
        row(
            "check (walk, manifests, read, parse, rules, workspace)",
            threads,
            lines,
            check,
            Some(parse),
        );
    }
}
