//! Incremental analysis for long-running hosts (the language server): one file at a time
//! against a workspace model that outlives the call. Pure: text in, findings out.
//!
//! The CLI's whole-workspace analysis uses the same functions (through `loader`), so for the
//! same file contents the server and `check` report the same findings.

use std::collections::HashMap;

use super::engine::Engine;
use super::loader;
use super::rule::Finding;
use super::syntax::Parsed;
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
    /// `true` when the summary changed in a way the workspace-level rules can see, so they
    /// must run again.
    pub summary_changed: bool,
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
    let (meta, pkg) = loader::file_meta(&ws.packages, rel);
    let analysis = match parsed {
        Some(p) => engine.analyse_parsed(&meta, text, p),
        None => engine.analyse_text(&meta, text),
    };
    match ws.by_path.get(rel).copied() {
        Some(i) if *ws.files[i].summary == *analysis.summary => {
            // Same items, uses, paths and facts: keep the module tree, take the new summary
            // (suppressions, test ranges and the line index may differ).
            ws.files[i].summary = analysis.summary;
            FileUpdate {
                local: analysis.findings,
                summary_changed: false,
            }
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
            FileUpdate {
                local: analysis.findings,
                summary_changed: true,
            }
        }
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
        assert!(a.summary_changed);
        assert_eq!(a.local.len(), 1);
        // A comment inside a function changes no item, use or path.
        let t1 = "fn f() {}\n";
        let t2 = "fn f() { /* c */ }\n";
        update_file(&engine, &mut ws, "src/b.rs", t1, None);
        let b = update_file(&engine, &mut ws, "src/b.rs", t2, None);
        assert!(b.summary_changed, "the fn's range grew");
        let b2 = update_file(&engine, &mut ws, "src/b.rs", t2, None);
        assert!(!b2.summary_changed);
        assert!(remove_file(&mut ws, "src/b.rs"));
        assert!(!remove_file(&mut ws, "src/b.rs"));
        assert_eq!(ws.files.len(), 1);
    }
}
