//! End-to-end tests of the language server: the real binary over stdio, JSON-RPC by hand.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_boundary-lsp");
const TIMEOUT: Duration = Duration::from_secs(30);

struct Lsp {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests seen so far.
    seen: Vec<Value>,
}

impl Lsp {
    fn spawn() -> Lsp {
        let mut child = Command::new(BIN)
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn boundary-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut buf = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut buf).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&buf).expect("server sent valid JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            next_id: 1,
            seen: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).unwrap();
        let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        msg.extend(body);
        self.raw(&msg);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Next message from the server; answers the server's own requests with `null`.
    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => {
                if v.get("method").is_some() {
                    if let Some(id) = v.get("id") {
                        let id = id.clone();
                        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    }
                    self.seen.push(v.clone());
                }
                Some(v)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("server exited"),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        while let Some(v) = self.next(deadline) {
            if v.get("method").is_none() && v.get("id") == Some(&id) {
                return v;
            }
        }
        panic!("no response to request {id}");
    }

    /// Waits for a notification matching `pred` (already seen ones count).
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(v) = self.seen.iter().find(|v| pred(v)) {
            return v.clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        while let Some(v) = self.next(deadline) {
            if v.get("method").is_some() && pred(&v) {
                return v;
            }
        }
        panic!("timed out waiting for {what}; seen: {:#?}", self.seen);
    }

    /// Waits for `publishDiagnostics` of `uri` at `version` (any version when `None`).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let v = self.wait_for(&format!("diagnostics for {uri} v{version:?}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|ver| m["params"]["version"] == ver)
        });
        self.seen.retain(|m| m != &v);
        v["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Waits for a `publishDiagnostics` of `uri` at `version` whose diagnostics satisfy `pred`,
    /// skipping earlier ones: a document's findings from the workspace rules can be published
    /// again at the same version (after indexing or another file's change), so a notification
    /// already on its way when an edit is sent may still show the state before it.
    fn diagnostics_until(
        &mut self,
        uri: &str,
        version: Option<i64>,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = None;
        while Instant::now() < deadline {
            let d = self.diagnostics(uri, version);
            if pred(&d) {
                return d;
            }
            last = Some(d);
        }
        panic!("diagnostics for {uri} never matched; the last: {last:#?}");
    }

    fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit code after shutdown: {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// A temporary Cargo package with the given files.
fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (dir, root)
}

fn init(lsp: &mut Lsp, root: &Path, encodings: &[&str], extra: Value) -> Value {
    let mut caps = json!({
        "general": {"positionEncodings": encodings},
        "window": {"workDoneProgress": true},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
    });
    if let (Some(c), Some(e)) = (caps.as_object_mut(), extra.get("capabilities")) {
        for (k, v) in e.as_object().unwrap() {
            c.insert(k.clone(), v.clone());
        }
    }
    let r = lsp.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": uri(root),
            "workspaceFolders": [{"uri": uri(root), "name": "demo"}],
            "capabilities": caps,
            "initializationOptions": extra.get("initializationOptions").cloned().unwrap_or(Value::Null),
        }),
    );
    lsp.notify("initialized", json!({}));
    r["result"].clone()
}

fn open(lsp: &mut Lsp, path: &Path, text: &str) {
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(path), "languageId": "rust", "version": 1, "text": text}}),
    );
}

/// Byte offset of an LSP position in `enc` ("utf-8" / "utf-16").
fn offset(text: &str, line: u64, col: u64, enc: &str) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize)
        .map(str::len)
        .sum();
    let mut c = 0u64;
    for (i, ch) in text[start..].char_indices() {
        if c >= col || ch == '\n' {
            return start + i;
        }
        c += if enc == "utf-8" {
            ch.len_utf8() as u64
        } else {
            ch.len_utf16() as u64
        };
    }
    text.len()
}

/// 1-based line and character column of a byte offset (what `check --format json` reports).
fn line_col_chars(text: &str, off: usize) -> (u64, u64) {
    let before = &text[..off];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u64 + 1;
    (line, col)
}

/// Applies a `WorkspaceEdit`'s edits for one URI to a text.
fn apply(text: &str, edit: &Value, u: &str, enc: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][u]
        .as_array()
        .expect("edits for the document")
        .iter()
        .map(|e| {
            let r = &e["range"];
            let s = offset(
                text,
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
                enc,
            );
            let t = offset(
                text,
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
                enc,
            );
            (s, t, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, t, new) in edits {
        out.replace_range(s..t, &new);
    }
    out
}

/// The findings of `check --format json` for one file, as comparable tuples.
fn check_json(root: &Path, rel: &str) -> Vec<(String, u64, u64, u64, u64, String)> {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(root)
        .output()
        .unwrap();
    let mut v: Vec<_> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|f| f["file"] == rel)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["end_line"].as_u64().unwrap(),
                f["end_column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Diagnostics as the same tuples, positions converted through the text.
fn as_tuples(text: &str, diags: &[Value], enc: &str) -> Vec<(String, u64, u64, u64, u64, String)> {
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| {
            let r = &d["range"];
            let s = offset(
                text,
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
                enc,
            );
            let e = offset(
                text,
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
                enc,
            );
            let (l, c) = line_col_chars(text, s);
            let (el, ec) = line_col_chars(text, e);
            (
                d["code"].as_str().unwrap().to_string(),
                l,
                c,
                el,
                ec,
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The diagnostics' codes, in the server's order.
fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn change(lsp: &mut Lsp, u: &str, version: i64, range: [u64; 4], text: &str) {
    lsp.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": u, "version": version},
            "contentChanges": [{
                "range": {"start": {"line": range[0], "character": range[1]}, "end": {"line": range[2], "character": range[3]}},
                "text": text,
            }],
        }),
    );
}

const NON_ASCII: &str = "/* 😀 日本語 é */ pub static mut COUNTER: u32 = 0;\n";

#[test]
fn negotiates_each_encoding_and_converts_non_ascii_columns() {
    for (offered, expected) in [
        (vec!["utf-8", "utf-16"], "utf-8"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let (_d, root) = workspace(&[("src/lib.rs", NON_ASCII)]);
        let mut lsp = Lsp::spawn();
        let r = init(&mut lsp, &root, &offered, json!({}));
        assert_eq!(r["capabilities"]["positionEncoding"], expected);
        let path = root.join("src/lib.rs");
        open(&mut lsp, &path, NON_ASCII);
        let diags = lsp.diagnostics(&uri(&path), Some(1));
        assert_eq!(diags.len(), 1, "{diags:?}");
        let d = &diags[0];
        assert_eq!(d["code"], "static-mut");
        assert_eq!(d["source"], "boundary");
        assert_eq!(d["severity"], 2);
        assert!(d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("static-mut.md"));
        let start = d["range"]["start"]["character"].as_u64().unwrap();
        let want = NON_ASCII.find("COUNTER").unwrap();
        assert_eq!(offset(NON_ASCII, 0, start, expected), want, "{expected}");
        let chars = NON_ASCII[..want].chars().count() as u64;
        let units = if expected == "utf-8" {
            want as u64
        } else {
            NON_ASCII[..want].encode_utf16().count() as u64
        };
        assert_eq!(start, units);
        assert_ne!(start, chars, "the fixture must make encodings differ");
        lsp.shutdown();
    }
}

#[test]
fn incremental_edits_end_equal_to_check_of_the_final_text() {
    let (_d, root) = workspace(&[("src/lib.rs", "fn a() {}\n")]);
    let path = root.join("src/lib.rs");
    let u = uri(&path);
    let mut lsp = Lsp::spawn();
    init(&mut lsp, &root, &["utf-16"], json!({}));
    let mut text = String::from("fn a() {}\n");
    open(&mut lsp, &path, &text);
    assert!(lsp.diagnostics(&u, Some(1)).is_empty());
    // Each edit as (range in utf-16, new text); the expected text is built alongside.
    let edits: Vec<([u64; 4], &str)> = vec![
        ([1, 0, 1, 0], "/* 😀 */ pub static mut X: u8 = 0;\n"),
        ([0, 3, 0, 4], "alpha"),
        (
            [2, 0, 2, 0],
            "pub fn many(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}\n",
        ),
        ([1, 0, 1, 0], "// boundary: allow(static-mut)\n"),
        ([1, 3, 1, 12], "boundary:"),
        (
            [3, 0, 3, 0],
            "pub struct Flags { a: bool, b: bool, c: bool, d: bool }\n",
        ),
    ];
    for (i, (r, new)) in edits.iter().enumerate() {
        let s = offset(&text, r[0], r[1], "utf-16");
        let e = offset(&text, r[2], r[3], "utf-16");
        text.replace_range(s..e, new);
        change(&mut lsp, &u, i as i64 + 2, *r, new);
    }
    let version = edits.len() as i64 + 1;
    let diags = lsp.diagnostics(&u, Some(version));
    std::fs::write(&path, &text).unwrap();
    let expected = check_json(&root, "src/lib.rs");
    assert!(!expected.is_empty());
    assert_eq!(as_tuples(&text, &diags, "utf-16"), expected);
    lsp.shutdown();
}

#[test]
fn rapid_edits_publish_only_newer_versions_and_end_with_the_last() {
    let (_d, root) = workspace(&[("src/lib.rs", "")]);
    let path = root.join("src/lib.rs");
    let u = uri(&path);
    let mut lsp = Lsp::spawn();
    init(&mut lsp, &root, &["utf-8"], json!({}));
    // Edits made while the workspace is still indexing are answered without the workspace rules
    // and analysed again once it is loaded (same version): wait for the index, so the first
    // publish of the last version is the complete one.
    lsp.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    open(&mut lsp, &path, "");
    let mut text = String::new();
    for i in 0..200u64 {
        let line = format!("pub static mut S{i}: u8 = 0;\n");
        change(&mut lsp, &u, i as i64 + 2, [i, 0, i, 0], &line);
        text.push_str(&line);
    }
    let diags = lsp.diagnostics(&u, Some(201));
    // One `static-mut` per line, and the crate root now exports 200 items.
    let mut count = std::collections::BTreeMap::new();
    for d in &diags {
        *count.entry(d["code"].as_str().unwrap()).or_insert(0) += 1;
    }
    assert_eq!(
        count.into_iter().collect::<Vec<_>>(),
        [("static-mut", 200), ("wide-module-api", 1)]
    );
    // Drain a little longer: nothing older may arrive after the last version.
    let deadline = Instant::now() + Duration::from_millis(500);
    while lsp.next(deadline).is_some() {}
    let versions: Vec<i64> = lsp
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] <= w[1]),
        "versions out of order: {versions:?}"
    );
    assert!(versions.iter().all(|v| *v <= 201), "{versions:?}");
    std::fs::write(&path, &text).unwrap();
    assert_eq!(
        as_tuples(&text, &diags, "utf-8"),
        check_json(&root, "src/lib.rs")
    );
    lsp.shutdown();
}

// `pub mod`: `X` is part of the crate's API (so no unreachable-pub finding).
const ACTIONS: &str = "//! Docs.\npub mod m {\n    // boundary: allow(static-mut)\n    fn f() {}\n    pub static mut X: u8 = 0;\n}\n";

#[test]
fn code_actions_apply_to_the_expected_text() {
    let (_d, root) = workspace(&[("src/lib.rs", ACTIONS)]);
    let path = root.join("src/lib.rs");
    let u = uri(&path);
    let mut lsp = Lsp::spawn();
    init(&mut lsp, &root, &["utf-16"], json!({}));
    open(&mut lsp, &path, ACTIONS);
    let diags = lsp.diagnostics(&u, Some(1));
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unused-suppression", "static-mut"]);
    let actions = |lsp: &mut Lsp, d: &Value, only: Option<&str>| -> Vec<Value> {
        let mut ctx = json!({"diagnostics": [d]});
        if let Some(o) = only {
            ctx["only"] = json!([o]);
        }
        let r = lsp.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": d["range"], "context": ctx}),
        );
        r["result"].as_array().unwrap().clone()
    };
    let by_title = |list: &[Value], t: &str| -> Value {
        list.iter()
            .find(|a| a["title"] == t)
            .unwrap_or_else(|| panic!("no action {t:?} in {list:#?}"))
            .clone()
    };
    // static-mut: the two suppressions.
    let sm = actions(&mut lsp, &diags[1], None);
    let line = by_title(&sm, "Allow `static-mut` on this line");
    assert_eq!(line["kind"], "quickfix");
    assert_eq!(
        apply(ACTIONS, &line["edit"], &u, "utf-16"),
        "//! Docs.\npub mod m {\n    // boundary: allow(static-mut)\n    fn f() {}\n    // boundary: allow(static-mut)\n    pub static mut X: u8 = 0;\n}\n"
    );
    let file = by_title(&sm, "Allow `static-mut` in this file");
    assert_eq!(
        apply(ACTIONS, &file["edit"], &u, "utf-16"),
        "//! Docs.\n//! boundary: allow(static-mut)\npub mod m {\n    // boundary: allow(static-mut)\n    fn f() {}\n    pub static mut X: u8 = 0;\n}\n"
    );
    // unused-suppression: its safe fix, preferred.
    let us = actions(&mut lsp, &diags[0], None);
    let fix = us
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("a preferred fix");
    let fixed = apply(ACTIONS, &fix["edit"], &u, "utf-16");
    assert!(!fixed.contains("allow(static-mut)"), "{fixed}");
    // source.fixAll.boundary applies the same safe fix.
    let all = actions(&mut lsp, &diags[0], Some("source.fixAll"));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["kind"], "source.fixAll.boundary");
    assert_eq!(apply(ACTIONS, &all[0]["edit"], &u, "utf-16"), fixed);
    // After applying it, the server agrees the suppression is gone.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = lsp.diagnostics(&u, Some(2));
    let codes: Vec<&str> = after.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["static-mut"]);
    // Hover on the finding shows the rule's docs.
    let h = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": after[0]["range"]["start"]}),
    );
    let md = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.starts_with("# `static-mut`"), "{md}");
    assert!(md.contains("## Why it matters"));
    lsp.shutdown();
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let (_d, root) = workspace(&[("src/lib.rs", NON_ASCII)]);
    let path = root.join("src/lib.rs");
    let u = uri(&path);
    let mut lsp = Lsp::spawn();
    let r = init(
        &mut lsp,
        &root,
        &["utf-16"],
        json!({"capabilities": {"textDocument": {"diagnostic": {"dynamicRegistration": false}}}}),
    );
    assert_eq!(
        r["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    open(&mut lsp, &path, NON_ASCII);
    change(
        &mut lsp,
        &u,
        2,
        [0, 0, 0, 0],
        "pub fn p(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8, i: u8) {}\n",
    );
    let r = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    assert_eq!(r["result"]["kind"], "full", "{r}");
    let codes: Vec<&str> = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["too-many-params", "static-mut"]);
    // No push for documents the client pulls.
    assert!(!lsp
        .seen
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u));
    lsp.shutdown();
}

#[test]
fn indexing_reports_progress_and_watched_files_update_the_workspace() {
    let (_d, root) = workspace(&[
        // `pub mod`: `a`'s items are the crate's API (no unreachable-pub / narrowable-pub).
        ("src/lib.rs", "pub mod a;\n"),
        ("src/a.rs", "pub static mut A: u8 = 0;\n"),
    ]);
    let mut lsp = Lsp::spawn();
    init(
        &mut lsp,
        &root,
        &["utf-16"],
        json!({"initializationOptions": {"diagnostics": {"scope": "workspace"}}}),
    );
    let begin = lsp.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    let token = begin["params"]["token"].clone();
    lsp.wait_for("progress end", |m| {
        m["method"] == "$/progress"
            && m["params"]["token"] == token
            && m["params"]["value"]["kind"] == "end"
    });
    assert!(lsp
        .seen
        .iter()
        .any(|m| m["method"] == "window/workDoneProgress/create"));
    let reg = lsp.wait_for("watcher registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let globs: Vec<&str> = reg["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/*.rs", "**/Cargo.toml", "**/boundary.toml"]);
    // Workspace scope: the file that is not open is reported.
    let a = root.join("src/a.rs");
    let d = lsp.diagnostics(&uri(&a), None);
    assert_eq!(codes(&d), ["static-mut"]);
    // Changed on disk (not through the editor).
    std::fs::write(&a, "pub static mut A: u8 = 0;\npub static mut B: u8 = 0;\n").unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&a), "type": 2}]}),
    );
    let d = lsp.diagnostics(&uri(&a), None);
    assert_eq!(codes(&d), ["static-mut", "static-mut"]);
    // boundary.toml turns the rule off: re-analysed.
    let cfg = root.join("boundary.toml");
    std::fs::write(&cfg, "[rules.static-mut]\nenabled = false\n").unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&cfg), "type": 1}]}),
    );
    assert!(
        lsp.diagnostics(&uri(&cfg), None).is_empty(),
        "a valid config"
    );
    let d = lsp.diagnostics(&uri(&a), None);
    assert!(d.is_empty(), "{d:?}");
    // An invalid config: an error on the config itself; the last good config keeps working.
    std::fs::write(&cfg, "[rules.static-mut]\nenabled = false\nbogus = [\n").unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&cfg), "type": 2}]}),
    );
    let d = lsp.diagnostics(&uri(&cfg), None);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["severity"], 1);
    assert!(
        d[0]["message"].as_str().unwrap().contains("invalid TOML"),
        "{d:?}"
    );
    let lib = root.join("src/lib.rs");
    open(&mut lsp, &lib, "pub mod a;\npub static mut L: u8 = 0;\n");
    let d = lsp.diagnostics(&uri(&lib), Some(1));
    assert!(d.is_empty(), "static-mut stays off: {d:?}");
    lsp.shutdown();
}

#[test]
fn malformed_messages_are_answered_and_the_server_stays_up() {
    let (_d, root) = workspace(&[("src/lib.rs", "")]);
    let mut lsp = Lsp::spawn();
    init(&mut lsp, &root, &["utf-16"], json!({}));
    // Bad JSON.
    lsp.raw(b"Content-Length: 9\r\n\r\n{not json");
    let deadline = Instant::now() + TIMEOUT;
    let err = loop {
        let v = lsp.next(deadline).expect("an error response to bad JSON");
        if v.get("error").is_some() {
            break v;
        }
    };
    assert_eq!(err["error"]["code"], -32700, "{err}");
    // A bad header.
    lsp.raw(b"Content-Length: abc\r\n\r\n");
    // Unknown method.
    let r = lsp.request("boundary/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // Requests about a document that was never opened.
    let ghost = uri(&root.join("src/ghost.rs"));
    let r = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ghost}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": ghost}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // A change for an unopened document and an out-of-range edit are ignored/clamped.
    change(&mut lsp, &ghost, 5, [0, 0, 0, 0], "x");
    let lib = root.join("src/lib.rs");
    open(&mut lsp, &lib, "");
    change(
        &mut lsp,
        &uri(&lib),
        2,
        [99, 99, 120, 0],
        "pub static mut Z: u8 = 0;\n",
    );
    let d = lsp.diagnostics(&uri(&lib), Some(2));
    assert_eq!(d.len(), 1);
    // Still up and answering.
    lsp.shutdown();
}

#[test]
fn exit_without_shutdown_is_an_error_code() {
    let mut lsp = Lsp::spawn();
    let (_d, root) = workspace(&[]);
    init(&mut lsp, &root, &[], json!({}));
    lsp.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = lsp.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1));
            return;
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Writes the texts to disk and returns `check --format json`'s findings for `rel`.
fn check_texts(
    root: &Path,
    files: &[(&str, &str)],
    rel: &str,
) -> Vec<(String, u64, u64, u64, u64, String)> {
    for (r, t) in files {
        std::fs::write(root.join(r), t).unwrap();
    }
    check_json(root, rel)
}

#[test]
fn an_edit_in_one_file_updates_workspace_findings_of_another() {
    // At first `helper` is re-exported and `b::m::inner` is used by `c`, outside `b`.
    const EXPORTS: &str = "mod b;\npub use b::helper;\npub fn run() {\n    b::api();\n    c::g();\n}\nmod c {\n    pub(super) fn g() {\n        crate::b::m::inner();\n    }\n}\n";
    const USES: &str = "mod b;\npub fn run() {\n    b::helper();\n    b::api();\n}\n";
    const B: &str = "pub fn helper() {}\npub(crate) fn api() {\n    m::inner();\n}\npub(crate) mod m {\n    pub(crate) fn inner() {}\n}\n";
    let (_d, root) = workspace(&[("src/lib.rs", EXPORTS), ("src/b.rs", B)]);
    let (lib, b) = (root.join("src/lib.rs"), root.join("src/b.rs"));
    let (ul, ub) = (uri(&lib), uri(&b));
    let mut lsp = Lsp::spawn();
    init(&mut lsp, &root, &["utf-16"], json!({}));
    lsp.wait_for("indexing end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    open(&mut lsp, &lib, EXPORTS);
    open(&mut lsp, &b, B);
    assert!(lsp.diagnostics(&ul, Some(1)).is_empty());
    // `helper` is re-exported: it is API.
    let d = lsp.diagnostics(&ub, Some(1));
    assert!(d.is_empty(), "{d:?}");
    // A (lib.rs) stops re-exporting `helper` and only calls it: in B, its `pub` is now wider
    // than anything can see (unreachable-pub); `inner`'s only user is now `b`, the parent of
    // its module `m` (narrowable-pub).
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ul, "version": 2}, "contentChanges": [{"text": USES}]}),
    );
    let expected = check_texts(&root, &[("src/lib.rs", USES)], "src/b.rs");
    let rules: Vec<(&str, u64)> = expected.iter().map(|f| (f.0.as_str(), f.1)).collect();
    assert_eq!(rules, [("narrowable-pub", 6), ("unreachable-pub", 1)]);
    let d = lsp.diagnostics_until(&ub, Some(1), |d| !d.is_empty());
    assert_eq!(as_tuples(B, &d, "utf-16"), expected);
    // And back: the findings in B disappear.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ul, "version": 3}, "contentChanges": [{"text": EXPORTS}]}),
    );
    lsp.diagnostics_until(&ub, Some(1), <[Value]>::is_empty);
    assert!(check_texts(&root, &[("src/lib.rs", EXPORTS)], "src/b.rs").is_empty());
    lsp.shutdown();
}

/// The number of `workspace/diagnostic/refresh` requests seen so far.
fn refreshes(lsp: &Lsp) -> usize {
    lsp.seen
        .iter()
        .filter(|m| m["method"] == "workspace/diagnostic/refresh")
        .count()
}

/// Waits until more than `n` refresh requests have arrived.
fn wait_refresh(lsp: &mut Lsp, n: usize) {
    let deadline = Instant::now() + TIMEOUT;
    while refreshes(lsp) <= n {
        assert!(
            lsp.next(deadline).is_some(),
            "no workspace/diagnostic/refresh after {n}"
        );
    }
}

fn pull_codes(lsp: &mut Lsp, u: &str) -> Vec<String> {
    let r = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    r["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn pull_clients_are_asked_to_refresh_after_config_changes_and_indexing() {
    const LIB: &str = "pub static mut X: u8 = 0;\n";
    let (_d, root) = workspace(&[
        ("src/lib.rs", LIB),
        ("off.toml", "[rules.static-mut]\nenabled = false\n"),
    ]);
    let lib = root.join("src/lib.rs");
    let u = uri(&lib);
    let mut lsp = Lsp::spawn();
    init(
        &mut lsp,
        &root,
        &["utf-16"],
        json!({"capabilities": {
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {
                "diagnostics": {"refreshSupport": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true},
            },
        }}),
    );
    // Indexing ends: refresh.
    wait_refresh(&mut lsp, 0);
    open(&mut lsp, &lib, LIB);
    assert_eq!(pull_codes(&mut lsp, &u), ["static-mut"]);
    // Another config file through the settings: re-indexed, refresh, and the pull sees it.
    let n = refreshes(&lsp);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"boundary": {"configPath": "off.toml"}}}),
    );
    wait_refresh(&mut lsp, n);
    assert!(pull_codes(&mut lsp, &u).is_empty());
    // Back to boundary.toml, which appears on disk with another rule setting.
    let n = refreshes(&lsp);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"boundary": {"configPath": null}}}),
    );
    wait_refresh(&mut lsp, n);
    assert_eq!(pull_codes(&mut lsp, &u), ["static-mut"]);
    let cfg = root.join("boundary.toml");
    std::fs::write(&cfg, "[rules.static-mut]\nseverity = \"error\"\n").unwrap();
    let n = refreshes(&lsp);
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&cfg), "type": 1}]}),
    );
    wait_refresh(&mut lsp, n);
    let r = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    assert_eq!(r["result"]["items"][0]["severity"], 1, "{r}");
    // No push to a pull client.
    assert!(!lsp
        .seen
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u));
    lsp.shutdown();
}

#[test]
fn baselined_findings_are_hidden_or_shown_as_hints() {
    const OLD: &str = "pub static mut A: u8 = 0;\npub static mut B: u8 = 0;\n";
    const NEW: &str =
        "pub static mut A: u8 = 0;\npub static mut B: u8 = 0;\npub static mut C: u8 = 0;\n";
    for (mode, expected) in [
        ("hide", vec![("static-mut", 3, 2)]),
        (
            "hint",
            vec![
                ("static-mut", 1, 4),
                ("static-mut", 2, 4),
                ("static-mut", 3, 2),
            ],
        ),
    ] {
        let (_d, root) = workspace(&[("src/lib.rs", OLD)]);
        let out = Command::new(BIN)
            .args(["check", "--write-baseline", "bl.json"])
            .arg(&root)
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        std::fs::write(
            root.join("boundary.toml"),
            format!("baseline = \"bl.json\"\nbaseline-mode = \"{mode}\"\n"),
        )
        .unwrap();
        let lib = root.join("src/lib.rs");
        let mut lsp = Lsp::spawn();
        init(&mut lsp, &root, &["utf-16"], json!({}));
        lsp.wait_for("indexing end", |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        });
        // A new finding in the open buffer (not on disk): only it is new.
        open(&mut lsp, &lib, NEW);
        let d = lsp.diagnostics(&uri(&lib), Some(1));
        let got: Vec<(&str, u64, u64)> = d
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap(),
                    d["range"]["start"]["line"].as_u64().unwrap() + 1,
                    d["severity"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, expected, "{mode}");
        lsp.shutdown();
    }
}

#[test]
fn code_lens_shows_usage_counts_when_enabled() {
    const LIB: &str = "pub mod a;\nmod b;\npub fn run() {\n    b::helper();\n    a::api();\n}\n";
    const B: &str = "pub(crate) fn helper() {}\n";
    let (_d, root) = workspace(&[
        ("src/lib.rs", LIB),
        ("src/a.rs", "pub fn api() {}\n"),
        ("src/b.rs", B),
    ]);
    let b = root.join("src/b.rs");
    let ub = uri(&b);
    let mut lsp = Lsp::spawn();
    let r = init(&mut lsp, &root, &["utf-16"], json!({}));
    assert_eq!(
        r["capabilities"]["codeLensProvider"]["resolveProvider"],
        false
    );
    lsp.wait_for("indexing end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    open(&mut lsp, &b, B);
    lsp.diagnostics(&ub, Some(1));
    let lens = |lsp: &mut Lsp| {
        lsp.request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": ub}}),
        )["result"]
            .clone()
    };
    // Off by default.
    assert_eq!(lens(&mut lsp), Value::Null);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"boundary": {"codeLens": {"enable": true}}}}),
    );
    let l = lens(&mut lsp);
    let l = l.as_array().unwrap_or_else(|| panic!("{l}"));
    assert_eq!(l.len(), 1, "{l:?}");
    assert_eq!(
        l[0]["command"]["title"],
        "used in 1 module · 0 other crates"
    );
    let start = &l[0]["range"]["start"];
    assert_eq!(
        (start["line"].as_u64(), start["character"].as_u64()),
        (Some(0), Some(14))
    );
    lsp.shutdown();
}

#[test]
fn settings_are_pulled_with_workspace_configuration() {
    const LIB: &str = "pub static mut X: u8 = 0;\n";
    let (_d, root) = workspace(&[
        ("src/lib.rs", LIB),
        ("off.toml", "[rules.static-mut]\nenabled = false\n"),
    ]);
    let lib = root.join("src/lib.rs");
    let u = uri(&lib);
    let mut lsp = Lsp::spawn();
    init(
        &mut lsp,
        &root,
        &["utf-16"],
        json!({"capabilities": {"workspace": {"configuration": true}}}),
    );
    // The server asks for the `boundary` section; the client answers with a config path.
    let deadline = Instant::now() + TIMEOUT;
    let req = loop {
        let v = lsp
            .rx
            .recv_timeout(deadline - Instant::now())
            .expect("a configuration request");
        if v["method"] == "workspace/configuration" {
            break v;
        }
        if v.get("method").is_some() {
            if let Some(id) = v.get("id") {
                let id = id.clone();
                lsp.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
        }
    };
    assert_eq!(req["params"]["items"][0]["section"], "boundary");
    lsp.send(&json!({"jsonrpc": "2.0", "id": req["id"], "result": [{"configPath": "off.toml"}]}));
    open(&mut lsp, &lib, LIB);
    // Once re-indexed with off.toml, static-mut is off.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let d = lsp.diagnostics(&u, Some(1));
        if d.is_empty() {
            break;
        }
        assert_eq!(codes(&d), ["static-mut"], "before the settings arrived");
        assert!(Instant::now() < deadline, "static-mut never turned off");
    }
    lsp.shutdown();
}
