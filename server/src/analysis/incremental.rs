//! Incremental analysis for long-running hosts (the language server): one file at a time
//! against a workspace model that outlives the call. Pure: text in, findings out.
//!
//! The CLI's whole-workspace analysis uses the same functions (through `loader`), so for the
//! same file contents the server and `check` report the same findings.

use std::collections::HashMap;

use super::engine::Engine;
use super::loader;
use super::model::FileSummary;
use super::rule::Finding;
use super::syntax::{Parsed, TextRange, TextSize};
use super::workspace::{Workspace, WsFile};

/// Rebuilds the module tree and sets each file's target kind from the first target reaching it.
pub fn rebuild_module_tree(ws: &mut Workspace) {
    ws.build_module_tree();
    for f in &mut ws.files {
        if let Some(&(p, t)) = f.targets.first() {
            f.meta.target = ws.packages[p].targets[t].kind;
        }
    }
}

/// The outcome of [`update_file`].
pub struct FileUpdate {
    /// The local rules' findings (before [`finalize_file`]).
    pub local: Vec<Finding>,
    /// What the workspace-level rules can see of the change.
    pub change: SummaryChange,
}

/// How a file's new summary differs from the previous one, as the workspace-level rules see it.
#[derive(Debug)]
pub enum SummaryChange {
    /// Same items, uses, paths and facts at the same offsets.
    None,
    /// Only offsets moved, and every range of the summary keeps its order relative to every
    /// other (so containment and ordering between them are unchanged): the workspace-level
    /// findings stay the same up to their offsets, which [`RangeMap::remap`] moves.
    Ranges(RangeMap),
    /// Anything else (new file, new or renamed item, other uses or paths, ...): the
    /// workspace-level rules must run again.
    Changed,
}

impl SummaryChange {
    /// `true` when the workspace-level rules must run again.
    pub fn needs_rerun(&self) -> bool {
        matches!(self, SummaryChange::Changed)
    }
}

/// Maps the offsets of a file's old summary to those of its new one (both sorted, same length:
/// the `k`-th distinct offset of the old summary became the `k`-th of the new).
#[derive(Debug)]
pub struct RangeMap {
    old: Vec<TextSize>,
    new: Vec<TextSize>,
}

impl RangeMap {
    fn offset(&self, o: TextSize) -> Option<TextSize> {
        self.old.binary_search(&o).ok().map(|k| self.new[k])
    }

    fn range(&self, r: TextRange) -> Option<TextRange> {
        Some(TextRange::new(
            self.offset(r.start())?,
            self.offset(r.end())?,
        ))
    }

    /// Moves the workspace-level findings that point into `rel` (their ranges, fix edits and
    /// related places) to the new offsets. Returns the files whose findings changed, or `None`
    /// when a finding has an offset the summary does not know (then the rules must run again;
    /// nothing was changed).
    pub fn remap(
        &self,
        global: &mut HashMap<String, Vec<Finding>>,
        rel: &str,
    ) -> Option<Vec<String>> {
        // First check, then write: all or nothing.
        let mut plan: Vec<(String, Vec<Finding>)> = Vec::new();
        for (file, findings) in global.iter() {
            let own = file == rel;
            let touches = |f: &Finding| {
                own || f
                    .related
                    .iter()
                    .any(|r| r.file.as_deref() == Some(rel) && r.line.is_none())
            };
            if !findings.iter().any(touches) {
                continue;
            }
            let mut moved = findings.clone();
            for f in &mut moved {
                if own {
                    f.range = self.range(f.range)?;
                    if let Some(fix) = &mut f.fix {
                        for e in &mut fix.edits {
                            e.range = self.range(e.range)?;
                        }
                    }
                }
                for r in &mut f.related {
                    let here = match &r.file {
                        None => own,
                        Some(file) => file == rel && r.line.is_none(),
                    };
                    if here {
                        r.range = self.range(r.range)?;
                    }
                }
            }
            if moved != *findings {
                plan.push((file.clone(), moved));
            }
        }
        let mut changed: Vec<String> = plan.iter().map(|(f, _)| f.clone()).collect();
        for (file, moved) in plan {
            global.insert(file, moved);
        }
        changed.sort();
        Some(changed)
    }
}

/// Compares two summaries as the workspace-level rules see them, ignoring offsets but not the
/// order of the ranges: `Ranges` when only offsets moved (order-preserving), `Changed` otherwise.
pub fn compare_summaries(old: &FileSummary, new: &FileSummary) -> SummaryChange {
    if old == new {
        return SummaryChange::None;
    }
    if !same_shape(old, new) {
        return SummaryChange::Changed;
    }
    let (mut ro, mut rn) = (Vec::new(), Vec::new());
    summary_ranges(old, &mut |r| ro.push(r));
    summary_ranges(new, &mut |r| rn.push(r));
    if ro.len() != rn.len() {
        return SummaryChange::Changed;
    }
    // Every endpoint of an old range paired with the same endpoint of the new range. The order
    // is kept when, sorted by the old offset, distinct old offsets have one new offset each
    // and the new offsets increase strictly: the `k`-th distinct old endpoint is then the
    // `k`-th distinct new one. (One sort of the pairs instead of sorting both sides and
    // looking up each endpoint's rank on both: this ran on every edit.)
    let mut pairs: Vec<(TextSize, TextSize)> = ro
        .iter()
        .zip(&rn)
        .flat_map(|(a, b)| [(a.start(), b.start()), (a.end(), b.end())])
        .collect();
    drop((ro, rn));
    pairs.sort_unstable();
    pairs.dedup();
    let (mut eo, mut en) = (
        Vec::with_capacity(pairs.len()),
        Vec::with_capacity(pairs.len()),
    );
    for (o, n) in pairs {
        if let (Some(&lo), Some(&ln)) = (eo.last(), en.last()) {
            if o == lo || n <= ln {
                return SummaryChange::Changed;
            }
        }
        eo.push(o);
        en.push(n);
    }
    SummaryChange::Ranges(RangeMap { old: eo, new: en })
}

/// Every range of the parts of a summary the workspace-level rules see, in a fixed order.
fn summary_ranges(s: &FileSummary, f: &mut impl FnMut(TextRange)) {
    for it in &s.items {
        f(it.range);
        f(it.name_range);
        if let Some(v) = it.vis_range {
            f(v);
            // Where the whitespace after the visibility ends (narrowable-pub's fix removes both).
            f(TextRange::empty(v.end() + TextSize::from(it.vis_ws)));
        }
        for h in &it.hidden_ranges {
            f(*h);
        }
    }
    for m in &s.mods {
        f(m.range);
        f(m.name_range);
    }
    for u in &s.uses {
        f(u.range);
        f(u.item_range);
    }
    for p in &s.paths {
        f(p.range);
    }
    for x in &s.facts {
        f(x.range);
        // A detail that is a number is an offset (`unreachable-pub` links a field to its
        // struct by the struct name's offset): it must keep its place among the others.
        if let Some(o) = offset_detail(&x.detail) {
            f(TextRange::empty(o));
        }
    }
}

fn offset_detail(detail: &str) -> Option<TextSize> {
    if detail.is_empty() || !detail.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    detail.parse::<u32>().ok().map(TextSize::from)
}

/// Equality of everything but the ranges (and the number of ranges of each element).
fn same_shape(a: &FileSummary, b: &FileSummary) -> bool {
    fn all<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
    }
    a.macro_idents == b.macro_idents
        && all(&a.items, &b.items, |x, y| {
            x.name == y.name
                && x.kind == y.kind
                && x.vis == y.vis
                && x.scope == y.scope
                && x.owner == y.owner
                && x.vis_range.is_some() == y.vis_range.is_some()
                && x.vis_ws == y.vis_ws
                && x.hidden_ranges.len() == y.hidden_ranges.len()
                && x.macro_export == y.macro_export
                && x.is_test == y.is_test
        })
        && all(&a.mods, &b.mods, |x, y| {
            x.scope == y.scope
                && x.name == y.name
                && x.inline == y.inline
                && x.path_attr == y.path_attr
                && x.vis == y.vis
                && x.is_test == y.is_test
        })
        && all(&a.uses, &b.uses, |x, y| {
            x.scope == y.scope
                && x.path == y.path
                && x.alias == y.alias
                && x.glob == y.glob
                && x.vis == y.vis
                && x.is_test == y.is_test
        })
        && a.path_table == b.path_table
        && all(&a.paths, &b.paths, |x, y| x.same_shape(y))
        && all(&a.facts, &b.facts, |x, y| {
            x.rule == y.rule
                && x.kind == y.kind
                && x.name == y.name
                && match (offset_detail(&x.detail), offset_detail(&y.detail)) {
                    // Compared by rank with the ranges.
                    (Some(_), Some(_)) => true,
                    _ => x.detail == y.detail,
                }
        })
}

/// Analyses one file's text (reusing `parsed` when the caller kept an up-to-date tree) and puts
/// its summary into `ws`. The file's metadata is derived exactly as the whole-workspace load
/// does, so the findings match `check`.
pub fn update_file(
    engine: &Engine,
    ws: &mut Workspace,
    rel: &str,
    text: &str,
    parsed: Option<&Parsed>,
) -> FileUpdate {
    let t0 = std::time::Instant::now();
    let (meta, pkg) = loader::file_meta(&ws.packages, rel);
    let t_meta = t0.elapsed();
    let analysis = match parsed {
        Some(p) => engine.analyse_parsed(&meta, text, p),
        None => engine.analyse_text(&meta, text),
    };
    let t_analyse = t0.elapsed();
    let change = match ws.by_path.get(rel).copied() {
        Some(i) => compare_summaries(&ws.files[i].summary, &analysis.summary),
        None => SummaryChange::Changed,
    };
    tracing::debug!(
        meta_us = t_meta.as_micros() as u64,
        analyse_us = (t_analyse - t_meta).as_micros() as u64,
        compare_us = (t0.elapsed() - t_analyse).as_micros() as u64,
        "update_file"
    );
    match (ws.by_path.get(rel).copied(), &change) {
        (Some(i), SummaryChange::None | SummaryChange::Ranges(_)) => {
            // Same items, uses, paths and facts (up to offsets): keep the module tree, take the
            // new summary (offsets, suppressions, test ranges and the line index may differ).
            ws.files[i].summary = analysis.summary;
        }
        _ => {
            ws.upsert(WsFile {
                meta,
                package: pkg,
                module_path: Vec::new(),
                targets: Vec::new(),
                test_module: false,
                summary: analysis.summary,
            });
            rebuild_module_tree(ws);
        }
    }
    FileUpdate {
        local: analysis.findings,
        change,
    }
}

/// Removes a file from the model; `true` when it was there.
pub fn remove_file(ws: &mut Workspace, rel: &str) -> bool {
    if ws.by_path.contains_key(rel) {
        ws.remove(rel);
        rebuild_module_tree(ws);
        true
    } else {
        false
    }
}

/// The final findings of one file: its local findings plus the workspace-level findings about
/// it, with config, test filtering and suppressions applied.
pub fn finalize_file(
    engine: &Engine,
    global: &HashMap<String, Vec<Finding>>,
    file: &WsFile,
    mut local: Vec<Finding>,
) -> Vec<Finding> {
    if let Some(g) = global.get(&file.meta.rel_path) {
        local.extend(g.iter().cloned());
    }
    let mut out = engine.finalize(&file.summary, local);
    if file.test_module || file.meta.target == super::workspace::TargetKind::Test {
        // A file under `#[cfg(test)] mod x;`, or of an integration-test target (`tests/`), is
        // test code as a whole.
        out.retain(|f| {
            super::rules::meta(f.rule).is_some_and(|m| {
                m.id == super::rules::internal::META.id || engine.config.check_tests(m)
            })
        });
    }
    out
}

/// The files whose workspace-level findings differ between two runs.
pub fn changed_files(
    old: &HashMap<String, Vec<Finding>>,
    new: &HashMap<String, Vec<Finding>>,
) -> Vec<String> {
    let mut out: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|k| old.get(*k) != new.get(*k))
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::config::Config;
    use crate::analysis::engine::Selection;
    use std::sync::Arc;

    #[test]
    fn summary_change_is_detected_and_local_findings_follow_the_text() {
        let engine = Engine::new(Arc::new(Config::default()), &Selection::default());
        let mut ws = Workspace::default();
        let a = update_file(
            &engine,
            &mut ws,
            "src/lib.rs",
            "pub static mut X: u8 = 0;\n",
            None,
        );
        assert!(a.change.needs_rerun());
        assert_eq!(a.local.len(), 1);
        // A comment inside a function changes no item, use or path: only an offset moves.
        let t1 = "fn f() {}\n";
        let t2 = "fn f() { /* c */ }\n";
        update_file(&engine, &mut ws, "src/b.rs", t1, None);
        let b = update_file(&engine, &mut ws, "src/b.rs", t2, None);
        assert!(
            matches!(b.change, SummaryChange::Ranges(_)),
            "{:?}",
            b.change
        );
        let b2 = update_file(&engine, &mut ws, "src/b.rs", t2, None);
        assert!(matches!(b2.change, SummaryChange::None));
        let b3 = update_file(&engine, &mut ws, "src/b.rs", "fn g() {}\n", None);
        assert!(b3.change.needs_rerun(), "renamed");
        assert!(remove_file(&mut ws, "src/b.rs"));
        assert!(!remove_file(&mut ws, "src/b.rs"));
        assert_eq!(ws.files.len(), 1);
    }

    const LIB: &str =
        "mod b;\npub use b::Exported;\npub fn run() {\n    b::helper();\n    b::api(1);\n}\n";
    const B: &str = "pub fn helper() {}\npub struct Exported { pub a: u8, pub b: bool, pub c: bool, pub d: bool }\npub(crate) fn api(x: u8) -> u8 {\n    m::inner();\n    x\n}\npub(crate) mod m {\n    pub(crate) fn inner() {}\n    pub struct Hidden { pub f: u8 }\n}\npub(crate) fn local() {}\nfn user() {\n    local();\n}\n";

    /// Applies each edit to `b.rs`, then checks that the incremental path (remap or rerun)
    /// leaves exactly the workspace-level findings a fresh run computes.
    fn run_edits(edits: &[(&str, &str, bool)]) {
        let files = vec![
            (
                "Cargo.toml".to_string(),
                "[package]\nname = \"fixture\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                    .to_string(),
            ),
            ("src/lib.rs".to_string(), LIB.to_string()),
            ("src/b.rs".to_string(), B.to_string()),
        ];
        let (_dir, analysis) = crate::analysis::fixture::analyse("", "", &files);
        let engine = Engine::new(Arc::new(Config::default()), &Selection::default());
        let mut ws = analysis.workspace;
        // The summaries of the full catalog (the fixture ran none of the rules).
        update_file(&engine, &mut ws, "src/lib.rs", LIB, None);
        update_file(&engine, &mut ws, "src/b.rs", B, None);
        let mut global = engine.analyse_workspace(&ws);
        assert!(
            global.get("src/b.rs").is_some_and(|f| f.len() >= 3),
            "the fixture must have workspace findings in b.rs: {global:#?}"
        );
        let mut text = B.to_string();
        for (from, to, moved_only) in edits {
            text = text.replacen(from, to, 1);
            let upd = update_file(&engine, &mut ws, "src/b.rs", &text, None);
            match &upd.change {
                SummaryChange::Ranges(map) => {
                    assert!(moved_only, "{from:?} -> {to:?} only moved offsets");
                    map.remap(&mut global, "src/b.rs")
                        .expect("every offset is known");
                }
                SummaryChange::Changed => {
                    assert!(!moved_only, "{from:?} -> {to:?} is a change");
                    global = engine.analyse_workspace(&ws);
                }
                SummaryChange::None => panic!("{from:?} -> {to:?} changed nothing?"),
            }
            assert_eq!(
                global,
                engine.analyse_workspace(&ws),
                "after {from:?} -> {to:?}"
            );
        }
    }

    #[test]
    fn moved_offsets_are_remapped_exactly_as_a_fresh_run() {
        run_edits(&[
            ("pub struct Exported", " pub struct Exported", true),
            ("pub fn helper", " pub fn helper", true),
            ("    x\n", "    /* comment */ x\n", true),
            ("pub(crate) mod m", "\n\npub(crate) mod m", true),
            ("pub a: u8", "pub a:    u8", true),
            ("pub struct Hidden", "pub  struct Hidden", true),
            // `local` can be private: the fix removes `pub(crate)` and the space after it, an
            // offset the summary carries (`vis_ws`), so moving it is a remap...
            ("fn user", "\nfn user", true),
            ("pub(crate) fn local", "\npub(crate) fn local", true),
            // ...and more whitespace after the visibility changes the fix: a rerun.
            ("pub(crate) fn local", "pub(crate)  fn local", false),
        ]);
    }

    #[test]
    fn a_path_moving_between_signature_and_body_is_a_change() {
        // Same items, same paths, same number of ranges: only their order differs.
        let engine = Engine::new(Arc::new(Config::default()), &Selection::default());
        let meta = loader::file_meta(&[], "src/lib.rs").0;
        let a = engine.analyse_text(&meta, "pub fn f(x: A) {}\n").summary;
        let b = engine.analyse_text(&meta, "pub fn f() { A; }\n").summary;
        assert_eq!(a.paths.len(), 1, "{:?}", a.paths);
        assert_eq!(b.paths.len(), 1, "{:?}", b.paths);
        assert!(compare_summaries(&a, &b).needs_rerun());
    }

    /// The order check as it was before one sort replaced two sorts and the rank lookups:
    /// sorted distinct endpoints on each side, each range's endpoints at the same rank.
    fn reference(old: &FileSummary, new: &FileSummary) -> Option<(Vec<TextSize>, Vec<TextSize>)> {
        let (mut ro, mut rn) = (Vec::new(), Vec::new());
        summary_ranges(old, &mut |r| ro.push(r));
        summary_ranges(new, &mut |r| rn.push(r));
        if ro.len() != rn.len() {
            return None;
        }
        let endpoints = |rs: &[TextRange]| {
            let mut e: Vec<TextSize> = rs.iter().flat_map(|r| [r.start(), r.end()]).collect();
            e.sort_unstable();
            e.dedup();
            e
        };
        let (eo, en) = (endpoints(&ro), endpoints(&rn));
        let rank = |e: &[TextSize], o: TextSize| e.binary_search(&o).unwrap_or(usize::MAX);
        (eo.len() == en.len()
            && ro.iter().zip(&rn).all(|(a, b)| {
                rank(&eo, a.start()) == rank(&en, b.start())
                    && rank(&eo, a.end()) == rank(&en, b.end())
            }))
        .then_some((eo, en))
    }

    /// Edits all over a real file (the engine): the classification and the offset map are
    /// the ones of the reference above, for edits that move offsets and edits that do not.
    #[test]
    fn order_check_matches_the_reference_on_a_real_file() {
        let engine = Engine::new(Arc::new(Config::default()), &Selection::default());
        let meta = loader::file_meta(&[], "src/lib.rs").0;
        let text = include_str!("engine.rs");
        let base = engine.analyse_text(&meta, text).summary;
        let mut moved = 0;
        let mut seed = 0x2545_f491_u32;
        for i in 0..60 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let mut at = seed as usize % text.len();
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let insert = [" ", "\n", "x", "/* c */"][i % 4];
            let edited = format!("{}{insert}{}", &text[..at], &text[at..]);
            let new = engine.analyse_text(&meta, &edited).summary;
            if !same_shape(&base, &new) || base == new {
                continue;
            }
            match (compare_summaries(&base, &new), reference(&base, &new)) {
                (SummaryChange::Ranges(map), Some((eo, en))) => {
                    assert_eq!((map.old, map.new), (eo, en), "{at} {insert:?}");
                    moved += 1;
                }
                (SummaryChange::Changed, None) => {}
                (c, r) => panic!("{at} {insert:?}: {c:?} vs {r:?}"),
            }
        }
        assert!(moved > 20, "{moved}");
    }

    #[test]
    fn other_changes_rerun_the_rules() {
        run_edits(&[
            ("fn helper", "fn helper2", false),
            ("m::inner();", "m::inner();\n    m::inner();", false),
            ("pub f: u8", "f: u8", false),
        ]);
    }
}
