//! A small LSP test client for end-to-end tests: the real binary over stdio, JSON-RPC by hand.
//! Shared by test files with `#[path = "support/lsp_client.rs"] mod lsp_client;`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_boundary-lsp");
/// Generous: machines are shared; a hang still fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Client {
    pub child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests not consumed yet.
    pub seen: Vec<Value>,
}

impl Client {
    /// Starts the server with `cwd` as its working directory and extra environment.
    pub fn spawn_with(cwd: Option<&Path>, env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(BIN);
        cmd.arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(d) = cwd {
            cmd.current_dir(d);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn boundary-lsp");
        let stdin = child.stdin.take();
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
                let mut buf = vec![0; len.expect("the server's frame has a Content-Length")];
                if r.read_exact(&mut buf).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&buf).expect("the server sent valid JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            seen: Vec::new(),
        }
    }

    pub fn spawn() -> Client {
        Client::spawn_with(None, &[])
    }

    /// Writes raw bytes to the server's stdin.
    pub fn raw(&mut self, bytes: &[u8]) {
        let s = self.stdin.as_mut().expect("stdin is open");
        s.write_all(bytes).expect("write to the server");
        s.flush().expect("flush to the server");
    }

    /// Closes the server's stdin (the client "dies" without `shutdown`).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn send(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).unwrap();
        let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        msg.extend(body);
        self.raw(&msg);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        json!(id)
    }

    /// Next message from the server, `None` at the deadline; answers the server's own requests
    /// with `null` and keeps notifications in `seen`.
    pub fn next(&mut self, deadline: Instant) -> Option<Value> {
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
            Err(RecvTimeoutError::Disconnected) => panic!("the server exited"),
        }
    }

    /// Next message that is a response (to anything, `id` may be null), in order.
    pub fn next_response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        while let Some(v) = self.next(deadline) {
            if v.get("method").is_none() {
                return v;
            }
        }
        panic!("no response within {TIMEOUT:?}");
    }

    /// Waits for the response with `id`; other responses are returned in `others`.
    pub fn response_collecting(&mut self, id: &Value, others: &mut Vec<Value>) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        while let Some(v) = self.next(deadline) {
            if v.get("method").is_none() {
                if v.get("id") == Some(id) {
                    return v;
                }
                others.push(v);
            }
        }
        panic!("no response to request {id}; other responses: {others:?}");
    }

    pub fn response(&mut self, id: &Value) -> Value {
        self.response_collecting(id, &mut Vec::new())
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(&id)
    }

    /// Waits for a notification matching `pred` (already seen ones count, and are consumed).
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        while let Some(v) = self.next(deadline) {
            if v.get("method").is_some() && pred(&v) {
                self.seen.retain(|m| m != &v);
                return v;
            }
        }
        panic!("timed out waiting for {what}; seen: {:#?}", self.seen);
    }

    /// Waits for `publishDiagnostics` of `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let v = self.wait_for(&format!("diagnostics for {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        v["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// `initialize` + `initialized` for one root (push diagnostics); returns the result.
    pub fn init(&mut self, root: &Path, process_id: u32) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": process_id,
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "ws"}],
                "capabilities": {
                    "general": {"positionEncodings": ["utf-8", "utf-16"]},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                },
            }),
        );
        assert!(r.get("error").is_none(), "initialize failed: {r}");
        self.notify("initialized", json!({}));
        r["result"].clone()
    }

    pub fn open(&mut self, path: &Path, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "rust", "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, path: &Path, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": changes}),
        );
    }

    /// Hover at a position: the response (result or error).
    pub fn hover(&mut self, path: &Path, line: u32, character: u32) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}}),
        )
    }

    /// Waits up to `within` for the process to exit.
    pub fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `shutdown` + `exit`; asserts a clean exit (code 0).
    pub fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        let status = self
            .wait_exit(TIMEOUT)
            .expect("the server exits after `exit`");
        assert!(status.success(), "exit code after shutdown: {status}");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// A temporary Cargo package (canonical path) with the given files.
pub fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut all = vec![(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )];
    all.extend_from_slice(files);
    for (rel, text) in all {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (dir, root)
}
