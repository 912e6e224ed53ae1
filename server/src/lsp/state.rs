//! The server's state: open documents (text, line index, tree), workspace roots (config,
//! engine, workspace model, findings) and settings. Document changes are applied here,
//! synchronously, in the order the client sent them.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tower_lsp_server::ls_types::{Diagnostic, TextDocumentContentChangeEvent, Uri};

use crate::analysis::baseline::{self, Baseline, BaselineMode, Key};
use crate::analysis::config::{Config, CONFIG_FILE};
use crate::analysis::engine::{Engine, Selection};
use crate::analysis::incremental::finalize_file;
use crate::analysis::line_index::{ColumnEncoding, LineIndex};
use crate::analysis::resolve::{self, UsageLens};
use crate::analysis::rule::Finding;
use crate::analysis::syntax::{Parsed, TextRange};
use crate::analysis::workspace::Workspace;

use super::convert::Text;

/// Locks a mutex, recovering from a panic in another holder (the data is still usable: every
/// update is a replacement, never half-applied).
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Open,
    Workspace,
}

/// Editor settings (initialization options / `workspace/didChangeConfiguration`).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) config_path: Option<PathBuf>,
    pub(crate) scope: Scope,
    pub(crate) code_lens: bool,
    pub(crate) trace: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            config_path: None,
            scope: Scope::Open,
            code_lens: false,
            trace: None,
        }
    }
}

impl Settings {
    /// Applies the keys present in `v` (either the settings themselves or `{"boundary": ...}`).
    pub(crate) fn merge(&mut self, v: &Value) {
        let v = v.get("boundary").unwrap_or(v);
        if let Some(p) = v.get("configPath") {
            self.config_path = p.as_str().filter(|s| !s.is_empty()).map(PathBuf::from);
        }
        let scope = v
            .pointer("/diagnostics/scope")
            .or_else(|| v.get("diagnostics.scope"));
        match scope.and_then(Value::as_str) {
            Some("workspace") => self.scope = Scope::Workspace,
            Some("open") => self.scope = Scope::Open,
            _ => {}
        }
        let lens = v
            .pointer("/codeLens/enable")
            .or_else(|| v.get("codeLens.enable"));
        if let Some(b) = lens.and_then(Value::as_bool) {
            self.code_lens = b;
        }
        if let Some(t) = v.get("trace").and_then(|t| t.get("server").or(Some(t))) {
            if let Some(s) = t.as_str() {
                self.trace = Some(s.to_string());
            }
        }
    }
}

// Independent yes/no capabilities mirrored one to one from the client's `ClientCapabilities`:
// every combination is valid, there is no state to model.
// boundary: allow(bool-fields)
/// What the client can do.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClientCaps {
    pub(crate) pull: bool,
    /// `workspace/codeLens/refresh`.
    pub(crate) lens_refresh: bool,
    /// `workspace/configuration`.
    pub(crate) configuration: bool,
    pub(crate) refresh: bool,
    pub(crate) progress: bool,
    pub(crate) watch: bool,
}

/// What kind of file a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    /// A Rust file of a root, by relative path.
    Rust { root: usize, rel: String },
    /// A root's `boundary.toml`.
    Config { root: usize },
    /// Anything else (not analysed).
    Other,
}

/// An open document.
pub(crate) struct Doc {
    pub(crate) version: i32,
    pub(crate) text: String,
    pub(crate) index: LineIndex,
    /// The tree of `text` once analysed, updated by the incremental reparse on each change.
    pub(crate) parsed: Option<Parsed>,
    pub(crate) kind: DocKind,
    /// The version the findings below were computed for.
    pub(crate) analysed: Option<i32>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Doc {
    pub(crate) fn new(version: i32, text: String, kind: DocKind) -> Doc {
        Doc {
            version,
            index: LineIndex::new(&text),
            text,
            parsed: None,
            kind,
            analysed: None,
            findings: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn view(&self, enc: ColumnEncoding) -> Text<'_> {
        Text {
            text: &self.text,
            index: &self.index,
            enc,
        }
    }

    /// Applies the changes of one `didChange`, in order, reparsing the kept tree incrementally.
    pub(crate) fn apply(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: ColumnEncoding,
    ) {
        for c in changes {
            match c.range {
                None => {
                    self.text = c.text;
                    self.index = LineIndex::new(&self.text);
                    self.parsed = None;
                }
                Some(r) => {
                    let range = {
                        let t = self.view(enc);
                        let (s, e) = (t.offset(r.start), t.offset(r.end));
                        TextRange::new(s.min(e), s.max(e))
                    };
                    self.text.replace_range(
                        u32::from(range.start()) as usize..u32::from(range.end()) as usize,
                        &c.text,
                    );
                    self.index.edit(range, &c.text, &self.text);
                    self.parsed = self.parsed.take().map(|p| {
                        let started = std::time::Instant::now();
                        let p = p.reparse_to(range, &c.text, &self.text);
                        tracing::debug!(
                            bytes = self.text.len(),
                            reparse_us = started.elapsed().as_micros() as u64,
                            "reparsed"
                        );
                        p
                    });
                }
            }
        }
        self.version = version;
    }
}

/// The analysis model of one root (a Cargo workspace or a folder).
pub(crate) struct Model {
    /// The root's directory.
    pub(crate) dir: PathBuf,
    pub(crate) engine: Arc<Engine>,
    pub(crate) ws: Workspace,
    /// Local findings by relative path, for the text the workspace model holds.
    pub(crate) local: HashMap<String, Vec<Finding>>,
    /// The workspace-level rules' findings by relative path.
    pub(crate) global: HashMap<String, Vec<Finding>>,
    /// The config's `baseline` file, when there is one.
    pub(crate) baseline: Option<Arc<LoadedBaseline>>,
    /// Texts of the open documents the model holds (by relative path): baseline keys hash the
    /// text of a finding, which may differ from the disk.
    pub(crate) open_text: HashMap<String, Arc<str>>,
    /// The usage code lenses by file, computed on the first request after a change of the
    /// workspace model (`None`: to compute).
    pub(crate) lenses: Option<HashMap<String, Vec<UsageLens>>>,
}

/// A baseline file and how baselined findings are shown (`baseline-mode`).
pub(crate) struct LoadedBaseline {
    pub(crate) baseline: Baseline,
    pub(crate) mode: BaselineMode,
}

impl Model {
    /// The usage lenses of `rel` (computed for the whole workspace once per model change).
    pub(crate) fn lenses(&mut self, rel: &str) -> Vec<UsageLens> {
        let ws = &self.ws;
        let all = self.lenses.get_or_insert_with(|| {
            let res = resolve::resolve(ws);
            let mut by_file: HashMap<String, Vec<UsageLens>> = HashMap::new();
            for l in resolve::usage_lenses(ws, &res) {
                by_file.entry(l.file.clone()).or_default().push(l);
            }
            by_file
        });
        all.get(rel).cloned().unwrap_or_default()
    }

    /// The findings of `rel` as shown: its local findings plus the workspace-level ones, with
    /// config, test filtering, suppressions and the baseline applied. `None` when the file is
    /// not in the model.
    pub(crate) fn final_findings(&self, rel: &str, local: Vec<Finding>) -> Option<Vec<Finding>> {
        let file = self.ws.file(rel)?;
        let findings = finalize_file(&self.engine, &self.global, file, local);
        let Some(b) = &self.baseline else {
            return Some(findings);
        };
        let disk;
        let text: &str = match self.open_text.get(rel) {
            Some(t) => t,
            None => {
                disk =
                    crate::analysis::loader::read_source(&self.dir.join(rel)).unwrap_or_default();
                &disk
            }
        };
        let keys: Vec<Key> = findings
            .iter()
            .map(|f| Key::of(f, rel, &file.module_path, text))
            .collect();
        Some(baseline::apply(&b.baseline, b.mode, findings, &keys))
    }
}

/// A workspace root.
pub(crate) struct Root {
    pub(crate) dir: PathBuf,
    /// `false` for a folder without `Cargo.toml` or `boundary.toml`: only open files are analysed.
    pub(crate) index: bool,
    pub(crate) model: Mutex<Model>,
    /// Counts the loads of this root started so far: a load stores its model only when no
    /// newer one was started (two can run at once: the first index at `initialized` and the
    /// one the client's settings ask for).
    pub(crate) generation: std::sync::atomic::AtomicUsize,
}

impl Root {
    pub(crate) fn new(dir: PathBuf, index: bool) -> Root {
        Root {
            dir: dir.clone(),
            index,
            model: Mutex::new(Model {
                dir,
                engine: Arc::new(Engine::new(
                    Arc::new(Config::default()),
                    &Selection::default(),
                )),
                ws: Workspace::default(),
                local: HashMap::new(),
                global: HashMap::new(),
                baseline: None,
                open_text: HashMap::new(),
                lenses: None,
            }),
            generation: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The config file of this root.
    pub(crate) fn config_path(&self, settings: &Settings) -> PathBuf {
        match &settings.config_path {
            Some(p) if p.is_absolute() => p.clone(),
            Some(p) => self.dir.join(p),
            None => self.dir.join(CONFIG_FILE),
        }
    }
}

/// Work for the analysis worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Job {
    /// Analyse an open document at its newest version.
    Doc(Uri),
    /// A file changed on disk (not open): re-read it, or remove it when gone.
    Disk { root: usize, path: PathBuf },
}

/// Everything behind the server's lock.
pub(crate) struct State {
    pub(crate) enc: ColumnEncoding,
    pub(crate) settings: Settings,
    pub(crate) caps: ClientCaps,
    pub(crate) roots: Vec<Arc<Root>>,
    pub(crate) docs: HashMap<Uri, Doc>,
    pub(crate) jobs: VecDeque<Job>,
    /// A re-index finished: once the queued analyses are done, pull clients are asked to pull
    /// again (`workspace/diagnostic/refresh`).
    pub(crate) refresh_pending: bool,
    pub(crate) shutdown: bool,
}

impl State {
    pub(crate) fn new() -> State {
        State {
            enc: ColumnEncoding::Utf16,
            settings: Settings::default(),
            caps: ClientCaps::default(),
            roots: Vec::new(),
            docs: HashMap::new(),
            jobs: VecDeque::new(),
            refresh_pending: false,
            shutdown: false,
        }
    }

    pub(crate) fn push_job(&mut self, job: Job) {
        if !self.jobs.contains(&job) {
            self.jobs.push_back(job);
        }
    }

    /// The root a path belongs to (the deepest one), creating one for files outside every
    /// known root. Returns the index and whether it is new (to be indexed).
    pub(crate) fn root_for(&mut self, path: &Path) -> (usize, bool) {
        let best = self
            .roots
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(&r.dir))
            .max_by_key(|(_, r)| r.dir.as_os_str().len())
            .map(|(i, _)| i);
        if let Some(i) = best {
            return (i, false);
        }
        let dir = crate::analysis::loader::find_root(path);
        let index = dir.join("Cargo.toml").is_file() || dir.join(CONFIG_FILE).is_file();
        let dir = if dir.is_dir() {
            dir
        } else {
            path.parent().map_or(dir.clone(), Path::to_path_buf)
        };
        self.roots.push(Arc::new(Root::new(dir, index)));
        (self.roots.len() - 1, true)
    }

    /// Classifies a document by its URI.
    pub(crate) fn kind_of(&mut self, uri: &Uri) -> (DocKind, Option<usize>) {
        let Some(path) = file_path(uri) else {
            return (DocKind::Other, None);
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".rs") {
            let (root, new) = self.root_for(&path);
            let rel = crate::analysis::loader::rel_path(&self.roots[root].dir, &path);
            (DocKind::Rust { root, rel }, new.then_some(root))
        } else if let Some(root) = self
            .roots
            .iter()
            .position(|r| r.config_path(&self.settings) == path)
        {
            (DocKind::Config { root }, None)
        } else {
            (DocKind::Other, None)
        }
    }
}

/// The file system path of a `file:` URI, canonical when it exists.
pub(super) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let p = uri.to_file_path()?.into_owned();
    Some(std::fs::canonicalize(&p).unwrap_or(p))
}
