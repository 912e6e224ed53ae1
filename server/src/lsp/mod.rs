//! The language server: a thin adapter over [`crate::analysis`] on `tower-lsp-server`.
//!
//! Ordering: every document change is applied to [`state::State`] synchronously, in the
//! handler's first poll (before any `.await`), so changes are applied in arrival order even
//! though handlers run concurrently. Analysis runs on one worker task that takes the newest
//! version of each document ("latest version wins", no debounce) and publishes only when the
//! document is still at the version it analysed.

mod convert;
mod memstat;
mod state;
mod transport;
mod worker;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::analysis::line_index::ColumnEncoding;

use state::{lock, DocKind, Job, State};

/// Shared by the handlers and the background tasks.
pub(crate) struct Inner {
    pub client: Client,
    pub state: Mutex<State>,
    /// Wakes the analysis worker.
    pub wake: Notify,
    /// Signalled whenever new results are stored (pull requests wait on it).
    pub results: Notify,
}

pub struct Backend {
    inner: Arc<Inner>,
}

/// Runs `f`, turning a panic into `None` (logged): no handler may take the server down.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::error!("internal error in {what} (recovered)");
            None
        }
    }
}

fn internal(what: &str) -> Error {
    let mut e = Error::internal_error();
    e.message = format!("boundary-lsp: internal error in {what}").into();
    e
}

fn not_open(uri: &Uri) -> Error {
    Error::invalid_params(format!("document not open: {}", uri.as_str()))
}

impl Backend {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.inner.state)
    }

    fn wake(&self) {
        self.inner.wake.notify_one();
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let pull = caps
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some();
        let mut st = self.state();
        st.enc = if utf8 {
            ColumnEncoding::Utf8
        } else {
            ColumnEncoding::Utf16
        };
        st.caps = state::ClientCaps {
            pull,
            lens_refresh: caps
                .workspace
                .as_ref()
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            configuration: caps
                .workspace
                .as_ref()
                .and_then(|w| w.configuration)
                .unwrap_or(false),
            refresh: caps
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch: caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        };
        if let Some(opts) = &params.initialization_options {
            st.settings.merge(opts);
        }
        if let Some(t) = &st.settings.trace {
            set_trace(t);
        }
        let mut folders: Vec<std::path::PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| state::file_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(state::file_path) {
                folders.push(p);
            }
        }
        for f in folders {
            // A folder inside a Cargo workspace analyses that workspace.
            let dir = crate::analysis::loader::find_root(&f);
            if !st.roots.iter().any(|r| r.dir == dir) {
                let index = dir.join("Cargo.toml").is_file()
                    || dir.join(crate::analysis::config::CONFIG_FILE).is_file()
                    || dir == f;
                st.roots.push(Arc::new(state::Root::new(dir, index)));
            }
        }
        if let Some(pid) = params.process_id {
            worker::watch_parent(pid);
        }
        let enc = st.enc;
        drop(st);
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(if enc == ColumnEncoding::Utf8 {
                    PositionEncodingKind::UTF8
                } else {
                    PositionEncodingKind::UTF16
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                // Always offered; empty unless `codeLens.enable`.
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            convert::fix_all_kind(),
                        ]),
                        resolve_provider: None,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("boundary".into()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    })
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "boundary-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (watch, roots) = {
            let st = self.state();
            (st.caps.watch, (0..st.roots.len()).collect::<Vec<_>>())
        };
        worker::spawn(self.inner.clone());
        if self.state().caps.configuration {
            // Settings from `workspace/configuration` (section `boundary`) complete the
            // initialization options.
            let inner = self.inner.clone();
            tokio::spawn(async move {
                let item = ConfigurationItem {
                    scope_uri: None,
                    section: Some("boundary".into()),
                };
                if let Ok(mut v) = inner.client.configuration(vec![item]).await {
                    if !v.is_empty() && v[0].is_object() {
                        apply_settings(&inner, &v.remove(0));
                    }
                }
            });
        }
        for r in roots {
            worker::reindex(self.inner.clone(), r);
        }
        if watch {
            let watchers = ["**/*.rs", "**/Cargo.toml", "**/boundary.toml"]
                .iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(g.to_string()),
                    kind: None,
                })
                .collect();
            let reg = Registration {
                id: "boundary-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            // Not awaited here: a handler waiting for the client's answer would keep `exit`
            // from ending the session (the transport waits for running handlers).
            let client = self.inner.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.register_capability(vec![reg]).await {
                    tracing::warn!("cannot register file watchers: {e}");
                }
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state().shutdown = true;
        self.wake();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let reindex = guard("didOpen", || {
            let mut st = self.state();
            let (kind, new_root) = st.kind_of(&d.uri);
            let is_rust = matches!(kind, DocKind::Rust { .. });
            let config_root = match kind {
                DocKind::Config { root } => Some(root),
                _ => None,
            };
            st.docs
                .insert(d.uri.clone(), state::Doc::new(d.version, d.text, kind));
            if is_rust {
                st.push_job(Job::Doc(d.uri.clone()));
            }
            new_root.or(config_root)
        })
        .flatten();
        self.wake();
        if let Some(r) = reindex {
            worker::reindex(self.inner.clone(), r);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let config_root = guard("didChange", || {
            let mut st = self.state();
            let enc = st.enc;
            let Some(doc) = st.docs.get_mut(&uri) else {
                tracing::warn!(
                    "didChange for a document that is not open: {}",
                    uri.as_str()
                );
                return None;
            };
            if params.text_document.version <= doc.version {
                tracing::warn!(
                    "didChange version {} is not newer than {}",
                    params.text_document.version,
                    doc.version
                );
            }
            doc.apply(params.text_document.version, params.content_changes, enc);
            match doc.kind {
                DocKind::Rust { .. } => {
                    st.push_job(Job::Doc(uri.clone()));
                    None
                }
                DocKind::Config { root } => Some(root),
                DocKind::Other => None,
            }
        })
        .flatten();
        self.wake();
        if let Some(r) = config_root {
            worker::reindex(self.inner.clone(), r);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // The buffer is already the source of truth; a save of a config re-reads it.
        let root = {
            let st = self.state();
            match st.docs.get(&params.text_document.uri).map(|d| &d.kind) {
                Some(DocKind::Config { root }) => Some(*root),
                _ => None,
            }
        };
        if let Some(r) = root {
            worker::reindex(self.inner.clone(), r);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (job, clear, config_root) = {
            let mut st = self.state();
            let doc = st.docs.remove(&uri);
            st.jobs.retain(|j| *j != Job::Doc(uri.clone()));
            let scope = st.settings.scope;
            match doc.map(|d| d.kind) {
                // The disk version takes over in the workspace model.
                Some(DocKind::Rust { root, .. }) => match state::file_path(&uri) {
                    Some(path) => {
                        st.push_job(Job::Disk { root, path });
                        (true, scope == state::Scope::Open && !st.caps.pull, None)
                    }
                    None => (false, !st.caps.pull, None),
                },
                Some(DocKind::Config { root }) => (false, false, Some(root)),
                _ => (false, false, None),
            }
        };
        if clear {
            self.inner
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
        if job {
            self.wake();
        }
        if let Some(r) = config_root {
            worker::reindex(self.inner.clone(), r);
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut reindex = Vec::new();
        guard("didChangeWatchedFiles", || {
            let mut st = self.state();
            for ev in params.changes {
                let Some(path) = state::file_path(&ev.uri) else {
                    continue;
                };
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let root = st
                    .roots
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| path.starts_with(&r.dir))
                    .max_by_key(|(_, r)| r.dir.as_os_str().len())
                    .map(|(i, _)| i);
                let Some(root) = root else { continue };
                let is_config = st.roots[root].config_path(&st.settings) == path;
                if name == "Cargo.toml" || is_config {
                    if !reindex.contains(&root) {
                        reindex.push(root);
                    }
                } else if name.ends_with(".rs") {
                    // Open buffers win over the disk.
                    if !st.docs.contains_key(&ev.uri) {
                        st.push_job(Job::Disk { root, path });
                    }
                }
            }
        });
        self.wake();
        for r in reindex {
            worker::reindex(self.inner.clone(), r);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // Clients with `workspace/configuration` may send no settings here (only a signal to
        // pull them): ask for the `boundary` section.
        let pull = self.state().caps.configuration;
        let settings = if pull {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some("boundary".into()),
            };
            // Not awaited by the handler: spawned so `exit` is never held up by the client.
            let inner = self.inner.clone();
            let fallback = params.settings;
            tokio::spawn(async move {
                let v = match inner.client.configuration(vec![item]).await {
                    Ok(mut v) if !v.is_empty() && !v[0].is_null() => v.remove(0),
                    _ => fallback,
                };
                apply_settings(&inner, &v);
            });
            return;
        } else {
            params.settings
        };
        apply_settings(&self.inner, &settings);
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let new = {
            let mut st = self.state();
            let mut new = Vec::new();
            for f in params.event.added {
                if let Some(p) = state::file_path(&f.uri) {
                    let (i, is_new) = st.root_for(&p);
                    if is_new {
                        new.push(i);
                    }
                }
            }
            new
        };
        for r in new {
            worker::reindex(self.inner.clone(), r);
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let st = self.state();
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Err(not_open(&p.text_document.uri));
        };
        guard("hover", || {
            let t = doc.view(st.enc);
            convert::hover(&t, &doc.findings, t.offset(p.position))
        })
        .ok_or_else(|| internal("hover"))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let (root, rel, version) = {
            let st = self.state();
            let Some(doc) = st.docs.get(&uri) else {
                return Err(not_open(&uri));
            };
            let DocKind::Rust { root, rel } = &doc.kind else {
                return Ok(None);
            };
            // The model's ranges are those of the analysed version.
            if !st.settings.code_lens || doc.analysed != Some(doc.version) {
                return Ok(None);
            }
            (st.roots[*root].clone(), rel.clone(), doc.version)
        };
        let lenses = tokio::task::spawn_blocking(move || {
            guard("codeLens", || lock(&root.model).lenses(&rel))
        })
        .await
        .ok()
        .flatten()
        .ok_or_else(|| internal("codeLens"))?;
        let st = self.state();
        let Some(doc) = st.docs.get(&uri) else {
            return Err(not_open(&uri));
        };
        if doc.version != version {
            return Ok(None); // the client asks again after the edit
        }
        let t = doc.view(st.enc);
        Ok(Some(
            lenses
                .iter()
                .map(|l| CodeLens {
                    range: t.range(l.range),
                    command: Some(Command {
                        title: l.label(),
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                })
                .collect(),
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let st = self.state();
        let Some(doc) = st.docs.get(&uri) else {
            return Err(not_open(&uri));
        };
        // Actions are computed from the findings of the text they were computed for.
        if doc.analysed != Some(doc.version) {
            return Ok(Some(Vec::new()));
        }
        guard("codeAction", || {
            let t = doc.view(st.enc);
            let range = t.text_range(params.range).unwrap_or_else(|| {
                crate::analysis::syntax::TextRange::empty(t.offset(params.range.start))
            });
            let actions = convert::code_actions(
                &t,
                &uri,
                &doc.findings,
                &doc.diagnostics,
                range,
                params.context.only.as_deref(),
            );
            Some(
                actions
                    .into_iter()
                    .map(CodeActionOrCommand::CodeAction)
                    .collect(),
            )
        })
        .ok_or_else(|| internal("codeAction"))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.inner.results.notified();
            {
                let st = self.state();
                let Some(doc) = st.docs.get(&uri) else {
                    return Err(not_open(&uri));
                };
                let current =
                    doc.analysed == Some(doc.version) || !matches!(doc.kind, DocKind::Rust { .. });
                if current || tokio::time::Instant::now() >= deadline {
                    return Ok(DocumentDiagnosticReportResult::Report(
                        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                            related_documents: None,
                            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                                result_id: None,
                                items: doc.diagnostics.clone(),
                            },
                        }),
                    ));
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

/// Merges editor settings; re-indexes when the config file or scope changed; asks the client
/// to refresh code lenses when their switch changed.
fn apply_settings(inner: &Arc<Inner>, v: &serde_json::Value) {
    let (roots, lens) = {
        let mut st = lock(&inner.state);
        let before = (st.settings.config_path.clone(), st.settings.scope);
        let lens_before = st.settings.code_lens;
        st.settings.merge(v);
        if let Some(t) = &st.settings.trace {
            set_trace(t);
        }
        let after = (st.settings.config_path.clone(), st.settings.scope);
        let roots: Vec<usize> = if before == after {
            Vec::new()
        } else {
            (0..st.roots.len()).collect()
        };
        (
            roots,
            lens_before != st.settings.code_lens && st.caps.lens_refresh,
        )
    };
    for r in roots {
        worker::reindex(inner.clone(), r);
    }
    if lens {
        let client = inner.client.clone();
        tokio::spawn(async move {
            let _ = client.code_lens_refresh().await;
        });
    }
}

/// The log filter handle, to follow the client's trace setting.
static FILTER: std::sync::OnceLock<
    tracing_subscriber::reload::Handle<tracing_subscriber::EnvFilter, tracing_subscriber::Registry>,
> = std::sync::OnceLock::new();

fn set_trace(trace: &str) {
    if std::env::var_os("BOUNDARY_LOG").is_some() {
        return; // the environment wins
    }
    let level = match trace {
        "verbose" => "debug",
        "messages" => "info",
        _ => "warn",
    };
    if let Some(h) = FILTER.get() {
        let _ = h.modify(|f| *f = tracing_subscriber::EnvFilter::new(level));
    }
}

fn init_logging() {
    use tracing_subscriber::prelude::*;
    let filter = tracing_subscriber::EnvFilter::try_from_env("BOUNDARY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let (filter, handle) = tracing_subscriber::reload::Layer::new(filter);
    let _ = FILTER.set(handle);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false),
        )
        .try_init();
}

/// Runs the server over stdio until `exit`; returns the process exit code (0 after a
/// `shutdown` request, 1 when `exit` came without one or stdin closed).
pub fn run() -> i32 {
    crate::memory::purge_freed_pages_soon();
    init_logging();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("boundary-lsp: cannot start the runtime: {e}");
            return 2;
        }
    };
    let code = rt.block_on(async {
        let (service, socket) = LspService::new(|client| Backend {
            inner: Arc::new(Inner {
                client,
                state: Mutex::new(State::new()),
                wake: Notify::new(),
                results: Notify::new(),
            }),
        });
        let inner = service.inner().inner.clone();
        let (stdin, stdout) = transport::stdio();
        Server::new(stdin, stdout, socket).serve(service).await;
        let shutdown = lock(&inner.state).shutdown;
        i32::from(!shutdown)
    });
    rt.shutdown_timeout(Duration::from_millis(200));
    code
}
