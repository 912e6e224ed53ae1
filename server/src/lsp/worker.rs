//! Background work: the analysis worker (one at a time, newest version of each document),
//! workspace indexing with `$/progress`, and the parent-process watchdog.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, Location, NumberOrString, Position, ProgressToken, Range, Uri,
};

use crate::analysis::config::{Config, ConfigError};
use crate::analysis::engine::{Engine, Selection};
use crate::analysis::incremental::{self, changed_files, SummaryChange};
use crate::analysis::line_index::{ColumnEncoding, LineIndex};
use crate::analysis::loader;
use crate::analysis::rule::Finding;
use crate::analysis::rules;
use crate::analysis::syntax::{self, TextRange};

use super::convert::{self, Text};
use super::state::{lock, DocKind, Job, LoadedBaseline, Model, Root, Scope};
use super::Inner;
use crate::analysis::baseline::{Baseline, BaselineMode};

/// One `publishDiagnostics` to send.
pub(crate) struct Publish {
    pub(crate) uri: Uri,
    pub(crate) version: Option<i32>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// What a finished job asks the protocol layer to do.
#[derive(Default)]
struct Outcome {
    publish: Vec<Publish>,
    /// Open documents' results changed outside their own analysis (pull clients refresh).
    refresh: bool,
}

/// Starts the analysis worker.
pub(super) fn spawn(inner: Arc<Inner>) {
    tokio::spawn(async move {
        loop {
            let (job, refresh) = {
                let mut st = lock(&inner.state);
                let job = st.jobs.pop_front();
                let refresh = job.is_none() && std::mem::take(&mut st.refresh_pending);
                (job, refresh && st.caps.refresh)
            };
            let Some(job) = job else {
                if refresh {
                    // After a re-index, once the open documents are analysed again.
                    request_refresh(&inner);
                }
                inner.wake.notified().await;
                continue;
            };
            let i2 = inner.clone();
            let res = tokio::task::spawn_blocking(move || {
                super::guard("analysis", || run_job(&i2, job)).unwrap_or_default()
            })
            .await;
            match res {
                Ok(out) => send(&inner, out).await,
                Err(e) => tracing::error!("analysis task failed: {e}"),
            }
            inner.results.notify_waiters();
        }
    });
}

/// Asks the client to pull diagnostics again. Not awaited: the worker must not wait for the
/// client's answer.
fn request_refresh(inner: &Inner) {
    let client = inner.client.clone();
    tokio::spawn(async move {
        if let Err(e) = client.workspace_diagnostic_refresh().await {
            tracing::debug!("workspace/diagnostic/refresh: {e}");
        }
    });
}

async fn send(inner: &Inner, out: Outcome) {
    for p in out.publish {
        inner
            .client
            .publish_diagnostics(p.uri, p.diagnostics, p.version)
            .await;
    }
    if out.refresh {
        let refresh = lock(&inner.state).caps.refresh;
        if refresh {
            request_refresh(inner);
        }
    }
}

fn related_resolver(
    root: &Path,
    enc: ColumnEncoding,
) -> impl Fn(&str, TextRange, Option<u32>) -> Option<Location> + '_ {
    move |file, range, line| {
        let path = root.join(file);
        let uri = Uri::from_file_path(&path)?;
        let range = match line {
            Some(l) => {
                let p = Position::new(l.saturating_sub(1), 0);
                Range::new(p, p)
            }
            None => {
                let text = loader::read_source(&path).ok()?;
                let index = LineIndex::new(&text);
                Text {
                    text: &text,
                    index: &index,
                    enc,
                }
                .range(range)
            }
        };
        Some(Location { uri, range })
    }
}

fn diagnostics(
    t: &Text<'_>,
    uri: &Uri,
    findings: &[Finding],
    config: &Config,
    root: &Path,
) -> Vec<Diagnostic> {
    let resolve = related_resolver(root, t.enc);
    findings
        .iter()
        .map(|f| convert::diagnostic(t, uri, f, config, &resolve))
        .collect()
}

/// Re-runs the workspace-level rules; returns the files whose findings changed.
fn rerun_workspace_rules(m: &mut Model) -> Vec<String> {
    let new = m.engine.analyse_workspace(&m.ws);
    let changed = changed_files(&m.global, &new);
    m.global = new;
    changed
}

/// Brings the workspace-level findings up to date after `rel` changed: nothing to do when its
/// summary is the same, offsets moved when only they changed, the rules again otherwise.
/// Returns the files whose workspace-level findings changed.
fn workspace_update(m: &mut Model, rel: &str, change: &SummaryChange) -> Vec<String> {
    if !matches!(change, SummaryChange::None) {
        m.lenses = None;
    }
    match change {
        SummaryChange::None => Vec::new(),
        SummaryChange::Ranges(map) => match map.remap(&mut m.global, rel) {
            Some(changed) => changed,
            None => rerun_workspace_rules(m),
        },
        SummaryChange::Changed => rerun_workspace_rules(m),
    }
}

/// Final findings of other files whose workspace-level findings changed.
fn finalize_others(m: &Model, changed: &[String], except: &str) -> Vec<(String, Vec<Finding>)> {
    changed
        .iter()
        .filter(|r| r.as_str() != except)
        .filter_map(|r| {
            let file = m.ws.file(r)?;
            let _ = file;
            let local = m.local.get(r).cloned().unwrap_or_default();
            Some((r.clone(), m.final_findings(r, local)?))
        })
        .collect()
}

/// Stores and publishes other files' new findings: open documents that are up to date, and
/// (with `diagnostics.scope = workspace`) files that are not open.
fn publish_others(
    inner: &Inner,
    root_idx: usize,
    root: &Root,
    config: &Config,
    others: Vec<(String, Vec<Finding>)>,
    out: &mut Outcome,
) {
    let mut st = lock(&inner.state);
    let (enc, scope, pull) = (st.enc, st.settings.scope, st.caps.pull);
    let pending: Vec<Uri> = st
        .jobs
        .iter()
        .filter_map(|j| match j {
            Job::Doc(u) => Some(u.clone()),
            Job::Disk { .. } => None,
        })
        .collect();
    for (rel, findings) in others {
        let open = st.docs.iter_mut().find(|(_, d)| {
            matches!(&d.kind, DocKind::Rust { root, rel: r } if *root == root_idx && *r == rel)
        });
        match open {
            Some((uri, doc)) => {
                if doc.analysed != Some(doc.version) || pending.contains(uri) {
                    continue; // a newer analysis is on its way
                }
                let t = doc.view(enc);
                doc.diagnostics = diagnostics(&t, uri, &findings, config, &root.dir);
                doc.findings = findings;
                out.refresh = true;
                if !pull {
                    out.publish.push(Publish {
                        uri: uri.clone(),
                        version: Some(doc.version),
                        diagnostics: doc.diagnostics.clone(),
                    });
                }
            }
            None if scope == Scope::Workspace => {
                if let Some(p) = disk_publish(root, &rel, &findings, config, enc) {
                    out.publish.push(p);
                }
            }
            None => {}
        }
    }
}

/// Diagnostics of a file that is not open, positions from its text on disk.
fn disk_publish(
    root: &Root,
    rel: &str,
    findings: &[Finding],
    config: &Config,
    enc: ColumnEncoding,
) -> Option<Publish> {
    let path = root.dir.join(rel);
    let uri = Uri::from_file_path(&path)?;
    let text = loader::read_source(&path).unwrap_or_default();
    let index = LineIndex::new(&text);
    let t = Text {
        text: &text,
        index: &index,
        enc,
    };
    Some(Publish {
        diagnostics: diagnostics(&t, &uri, findings, config, &root.dir),
        uri,
        version: None,
    })
}

fn run_job(inner: &Inner, job: Job) -> Outcome {
    match job {
        Job::Doc(uri) => analyse_doc(inner, uri),
        Job::Disk { root, path } => disk_changed(inner, root, &path),
    }
}

fn analyse_doc(inner: &Inner, uri: Uri) -> Outcome {
    let mut out = Outcome::default();
    let snap = {
        let st = lock(&inner.state);
        let Some(doc) = st.docs.get(&uri) else {
            return out;
        };
        let DocKind::Rust { root, rel } = &doc.kind else {
            return out;
        };
        (
            doc.version,
            // One copy, shared with `Model::open_text` below.
            Arc::<str>::from(doc.text.as_str()),
            doc.parsed.clone(),
            *root,
            rel.clone(),
            st.roots[*root].clone(),
        )
    };
    let (version, text, parsed, root_idx, rel, root) = snap;
    let started = std::time::Instant::now();
    let mut m = lock(&root.model);
    let parsed = parsed.unwrap_or_else(|| {
        let (meta, _) = loader::file_meta(&m.ws.packages, &rel);
        syntax::parse(&text, meta.edition)
    });
    let t_lock = started.elapsed();
    let engine = m.engine.clone();
    let upd = incremental::update_file(&engine, &mut m.ws, &rel, &text, Some(&parsed));
    let t_update = started.elapsed();
    m.local.insert(rel.clone(), upd.local.clone());
    let upd_kind = match &upd.change {
        SummaryChange::None => "same",
        SummaryChange::Ranges(_) => "moved",
        SummaryChange::Changed => "rerun",
    };
    let changed = workspace_update(&mut m, &rel, &upd.change);
    let t_ws = started.elapsed();
    let Some(file) = m.ws.file(&rel) else {
        return out;
    };
    let _ = file;
    m.open_text.insert(rel.clone(), text.clone());
    let Some(findings) = m.final_findings(&rel, upd.local) else {
        return out;
    };
    let others = finalize_others(&m, &changed, &rel);
    let t_final = started.elapsed();
    drop(m);
    let t_drop = started.elapsed();
    let analysed = started.elapsed();
    let config = engine.config.clone();
    {
        let mut st = lock(&inner.state);
        let (enc, pull) = (st.enc, st.caps.pull);
        if let Some(doc) = st.docs.get_mut(&uri) {
            if doc.version == version {
                if doc.parsed.is_none() {
                    doc.parsed = Some(parsed);
                }
                let t = doc.view(enc);
                doc.diagnostics = diagnostics(&t, &uri, &findings, &config, &root.dir);
                doc.findings = findings;
                doc.analysed = Some(version);
                let t_diag = started.elapsed();
                tracing::debug!(
                    lock_us = t_lock.as_micros() as u64,
                    update_us = (t_update - t_lock).as_micros() as u64,
                    ws_us = (t_ws - t_update).as_micros() as u64,
                    final_us = (t_final - t_ws).as_micros() as u64,
                    drop_us = (t_drop - t_final).as_micros() as u64,
                    diag_us = (t_diag - t_drop).as_micros() as u64,
                    others = others.len(),
                    file = %rel,
                    version,
                    incremental = doc.parsed.is_some(),
                    workspace_rules = upd_kind,
                    analysis_us = analysed.as_micros() as u64,
                    total_us = started.elapsed().as_micros() as u64,
                    findings = doc.findings.len(),
                    "analysed"
                );
                if !pull {
                    out.publish.push(Publish {
                        uri: uri.clone(),
                        version: Some(version),
                        diagnostics: doc.diagnostics.clone(),
                    });
                }
            }
        }
    }
    publish_others(inner, root_idx, &root, &config, others, &mut out);
    out
}

fn disk_changed(inner: &Inner, root_idx: usize, path: &Path) -> Outcome {
    let mut out = Outcome::default();
    let root = lock(&inner.state).roots[root_idx].clone();
    let rel = loader::rel_path(&root.dir, path);
    let mut m = lock(&root.model);
    // Not open (any more): the disk is the file's text.
    m.open_text.remove(&rel);
    let engine = m.engine.clone();
    let text = if engine.config.is_included(&rel) {
        loader::read_source(path).ok()
    } else {
        None
    };
    let (changed, own) = match text {
        Some(text) => {
            let upd = incremental::update_file(&engine, &mut m.ws, &rel, &text, None);
            m.local.insert(rel.clone(), upd.local.clone());
            let changed = workspace_update(&mut m, &rel, &upd.change);
            let own =
                m.ws.file(&rel)
                    .map(|_| m.final_findings(&rel, upd.local).unwrap_or_default());
            (changed, own)
        }
        None => {
            m.local.remove(&rel);
            m.lenses = None;
            let changed = if incremental::remove_file(&mut m.ws, &rel) {
                rerun_workspace_rules(&mut m)
            } else {
                Vec::new()
            };
            (changed, Some(Vec::new()))
        }
    };
    let mut others = finalize_others(&m, &changed, &rel);
    drop(m);
    if let Some(own) = own {
        others.push((rel, own));
    }
    publish_others(inner, root_idx, &root, &engine.config, others, &mut out);
    out
}

static PROGRESS_ID: AtomicUsize = AtomicUsize::new(0);

/// Loads (or reloads) a root in the background: config, files, workspace rules; reports
/// `$/progress`; then re-analyses the open documents against the new model.
pub(super) fn reindex(inner: Arc<Inner>, root_idx: usize) {
    tokio::spawn(async move {
        let (root, settings, caps, config_text) = {
            let st = lock(&inner.state);
            let Some(root) = st.roots.get(root_idx).cloned() else {
                return;
            };
            let config_text = st.docs.values().find_map(|d| match d.kind {
                DocKind::Config { root } if root == root_idx => Some(d.text.clone()),
                _ => None,
            });
            (root, st.settings.clone(), st.caps, config_text)
        };
        let config_path = root.config_path(&settings);
        let generation = root.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let progress = if caps.progress {
            let token = ProgressToken::String(format!(
                "boundary/index/{}",
                PROGRESS_ID.fetch_add(1, Ordering::Relaxed)
            ));
            match inner.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    inner
                        .client
                        .progress(token, "boundary: indexing")
                        .with_message(format!("{}", root.dir.display()))
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                Err(e) => {
                    tracing::warn!("no progress token: {e}");
                    None
                }
            }
        } else {
            None
        };
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let task = {
            let (root, done, total, config_path) = (
                root.clone(),
                done.clone(),
                total.clone(),
                config_path.clone(),
            );
            let explicit = settings.config_path.is_some();
            tokio::task::spawn_blocking(move || {
                super::guard("indexing", || {
                    load_root(
                        &root,
                        generation,
                        &config_path,
                        explicit,
                        config_text,
                        &done,
                        &total,
                    )
                })
            })
        };
        let mut task = task;
        let res = loop {
            tokio::select! {
                r = &mut task => break r,
                _ = tokio::time::sleep(Duration::from_millis(200)) => {
                    if let Some(p) = &progress {
                        let (d, t) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
                        let pct = (d * 100).checked_div(t).unwrap_or(0) as u32;
                        p.report_with_message(format!("{d}/{t} files"), pct).await;
                    }
                }
            }
        };
        let (d, t) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
        if let Some(p) = progress {
            p.finish_with_message(format!("{d}/{t} files")).await;
        }
        if root.generation.load(Ordering::SeqCst) != generation {
            // A newer load of this root started meanwhile: its model and its config error
            // are the ones to keep, and it re-analyses the open documents when it ends.
            return;
        }
        let config_error = match res {
            Ok(Some(e)) => e,
            _ => {
                tracing::error!("indexing {} failed", root.dir.display());
                None
            }
        };
        publish_config_error(&inner, &config_path, config_error.as_ref()).await;
        // Open documents: their buffers replace the disk text in the new model.
        {
            let mut st = lock(&inner.state);
            let uris: Vec<Uri> = st
                .docs
                .iter()
                .filter(|(_, d)| matches!(d.kind, DocKind::Rust { root, .. } if root == root_idx))
                .map(|(u, _)| u.clone())
                .collect();
            for u in uris {
                st.push_job(Job::Doc(u));
            }
            st.refresh_pending = true;
        }
        inner.wake.notify_one();
        if settings.scope == Scope::Workspace {
            let i2 = inner.clone();
            let out = tokio::task::spawn_blocking(move || {
                super::guard("publishing", || publish_workspace(&i2, root_idx)).unwrap_or_default()
            })
            .await
            .unwrap_or_default();
            send(&inner, out).await;
        }
    });
}

/// Loads config and files of a root into its model. Returns the config error, if any.
fn load_root(
    root: &Root,
    generation: usize,
    config_path: &Path,
    explicit: bool,
    config_text: Option<String>,
    done: &AtomicUsize,
    total: &AtomicUsize,
) -> Option<ConfigError> {
    let metas = rules::metas();
    let parsed = match config_text {
        Some(text) => Config::parse(&text, config_path, &metas),
        None => match std::fs::read_to_string(config_path) {
            Ok(text) => Config::parse(&text, config_path, &metas),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(Config::default())
            }
            Err(e) => Err(ConfigError {
                file: config_path.to_path_buf(),
                line: 1,
                column: 1,
                key: None,
                message: format!("cannot read the file: {e}"),
                span: 0..0,
            }),
        },
    };
    let (engine, error) = match parsed {
        Ok(c) => (
            Arc::new(Engine::new(Arc::new(c), &Selection::default())),
            None,
        ),
        Err(e) => (lock(&root.model).engine.clone(), Some(e)),
    };
    let t_walk = Instant::now();
    let (mut walk_us, mut load_us) = (0, 0);
    let (ws, local) = if root.index {
        let (sources, manifests) = loader::walk(&root.dir, &engine.config);
        walk_us = t_walk.elapsed().as_micros();
        let t_load = Instant::now();
        total.store(sources.len(), Ordering::Relaxed);
        // Each file's tree is freed as its analysis ends: its chunks of the tree heap stay
        // resident for the next parse until the load ends (`release_free` below).
        let loaded = crate::memory::during_load(|| {
            loader::load(&root.dir, &sources, &manifests, &engine, &|d, _| {
                done.store(d, Ordering::Relaxed);
            })
        });
        load_us = t_load.elapsed().as_micros();
        (loaded.workspace, loaded.local)
    } else {
        Default::default()
    };
    // The summaries are in the model heap already (the engine copies each one there,
    // `memory::Heap::Model`). The findings maps were built on the pool's threads between the
    // analyses' temporaries: copied into that heap too, so that the pages the load used
    // become free as a whole and `memory::release_free` can hand them back. Files without
    // local findings need no entry; the workspace findings are kept as they are, empty lists
    // included (`changed_files` compares the maps).
    let local = copy_to_model(local.iter().filter(|(_, v)| !v.is_empty()));
    let t_workspace = Instant::now();
    let global = engine.analyse_workspace(&ws);
    let global = copy_to_model(&global);
    let workspace_us = t_workspace.elapsed().as_micros();
    let baseline = load_baseline(&root.dir, &engine.config);
    let files = ws.files.len();
    let mut m = lock(&root.model);
    if root.generation.load(Ordering::SeqCst) != generation {
        // Stale: a load started after this one (with newer settings) stores its model.
        return error;
    }
    let open_text = std::mem::take(&mut m.open_text);
    *m = Model {
        dir: root.dir.clone(),
        engine,
        ws,
        local,
        global,
        baseline,
        open_text,
        lenses: None,
    };
    drop(m);
    let t_release = Instant::now();
    // Memory freed by the load (the files' texts and syntax trees) back to the system, so the
    // settled resident size is what the model keeps, not the load's peak.
    crate::memory::release_free();
    tracing::debug!(
        root = %root.dir.display(),
        files,
        walk_us,
        load_us,
        workspace_us,
        release_us = t_release.elapsed().as_micros(),
        "indexed"
    );
    super::memstat::log(&lock(&root.model), "indexed");
    error
}

/// A copy of the findings in the model heap ([`crate::memory::Heap::Model`]).
fn copy_to_model<'a>(m: impl IntoIterator<Item = (&'a String, &'a Vec<Finding>)>) -> Findings {
    crate::memory::in_heap(crate::memory::Heap::Model, || {
        m.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    })
}

type Findings = std::collections::HashMap<String, Vec<Finding>>;

/// The config's `baseline` file (relative to the root), read as `check --baseline` reads it.
fn load_baseline(dir: &Path, config: &Config) -> Option<Arc<LoadedBaseline>> {
    let rel = config.baseline.as_deref()?;
    let path = dir.join(rel);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("cannot read the baseline {}: {e}", path.display());
            return None;
        }
    };
    match Baseline::from_json(&text) {
        Ok(baseline) => Some(Arc::new(LoadedBaseline {
            baseline,
            mode: BaselineMode::parse(config.baseline_mode.as_deref()),
        })),
        Err(e) => {
            tracing::warn!("invalid baseline {}: {e}", path.display());
            None
        }
    }
}

fn publish_workspace(inner: &Inner, root_idx: usize) -> Outcome {
    let mut out = Outcome::default();
    let (root, enc, open): (Arc<Root>, ColumnEncoding, Vec<String>) = {
        let st = lock(&inner.state);
        let open = st
            .docs
            .values()
            .filter_map(|d| match &d.kind {
                DocKind::Rust { root, rel } if *root == root_idx => Some(rel.clone()),
                _ => None,
            })
            .collect();
        (st.roots[root_idx].clone(), st.enc, open)
    };
    let m = lock(&root.model);
    let files: Vec<(String, Vec<Finding>)> =
        m.ws.files
            .iter()
            .filter(|f| !open.contains(&f.meta.rel_path))
            .map(|f| {
                let local = m.local.get(&f.meta.rel_path).cloned().unwrap_or_default();
                (
                    f.meta.rel_path.clone(),
                    m.final_findings(&f.meta.rel_path, local)
                        .unwrap_or_default(),
                )
            })
            .collect();
    let config = m.engine.config.clone();
    drop(m);
    for (rel, findings) in files {
        if let Some(p) = disk_publish(&root, &rel, &findings, &config, enc) {
            out.publish.push(p);
        }
    }
    out
}

async fn publish_config_error(inner: &Inner, path: &Path, error: Option<&ConfigError>) {
    let Some(uri) = Uri::from_file_path(path) else {
        return;
    };
    let (enc, buffer) = {
        let st = lock(&inner.state);
        (st.enc, st.docs.get(&uri).map(|d| d.text.clone()))
    };
    if error.is_none() && buffer.is_none() && !path.is_file() {
        return;
    }
    let diagnostics = match error {
        None => Vec::new(),
        Some(e) => {
            let text = buffer
                .or_else(|| std::fs::read_to_string(path).ok())
                .unwrap_or_default();
            let index = LineIndex::new(&text);
            let t = Text {
                text: &text,
                index: &index,
                enc,
            };
            let clamp = |x: usize| {
                let mut x = x.min(text.len());
                while !text.is_char_boundary(x) {
                    x -= 1;
                }
                syntax::TextSize::from(x as u32)
            };
            let (s, mut end) = (clamp(e.span.start), clamp(e.span.end));
            if end <= s {
                end = index.line_range(&text, index.line_of(s)).end();
            }
            let mut message = e.message.clone();
            if let Some(k) = &e.key {
                message = format!("`{k}`: {message}");
            }
            vec![Diagnostic {
                range: t.range(TextRange::new(s, end.max(s))),
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String("invalid-config".into())),
                source: Some("boundary".into()),
                message: format!("{message} (the last valid configuration stays in use)"),
                ..Diagnostic::default()
            }]
        }
    };
    inner
        .client
        .publish_diagnostics(uri, diagnostics, None)
        .await;
}

/// Exits when the editor process that started us is gone.
pub(super) fn watch_parent(pid: u32) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(3)).await;
            if !alive(pid) {
                tracing::warn!("parent process {pid} is gone; exiting");
                std::process::exit(1);
            }
        }
    });
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only checks for the process's existence.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}
