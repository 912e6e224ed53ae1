//! Protocol abuse, faults and untrusted workspaces against the real language server (issue 10):
//! after every bad input the server answers with an error or ignores it, stays up, and its next
//! normal request still works. Timing appears only as generous "exits within N seconds" bounds.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use lsp_client::{uri, workspace, Client};
use serde_json::{json, Value};

const STATIC_MUT: &str = "pub static mut COUNTER: u32 = 0;\n";

/// A server initialised on a package whose `src/lib.rs` is open with one `static-mut` finding.
fn session() -> (tempfile::TempDir, PathBuf, Client) {
    let (d, root) = workspace(&[("src/lib.rs", STATIC_MUT)]);
    let mut c = Client::spawn();
    c.init(&root, std::process::id());
    let lib = root.join("src/lib.rs");
    c.open(&lib, 1, STATIC_MUT);
    let diags = c.diagnostics(&uri(&lib), 1);
    assert_eq!(rules(&diags), ["static-mut"], "{diags:?}");
    (d, root, c)
}

fn rules(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The server is up and answers normally: hover on `COUNTER` in `src/lib.rs` gives the
/// `static-mut` docs.
fn assert_works(c: &mut Client, root: &Path) {
    let r = c.hover(&root.join("src/lib.rs"), 0, 16);
    let text = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(text.contains("static-mut"), "hover after abuse: {r}");
}

/// The next response, which must be a JSON-RPC error with `id: null` and `code`.
fn expect_null_id_error(c: &mut Client, code: i64, what: &str) {
    let r = c.next_response();
    assert_eq!(r["id"], Value::Null, "{what}: {r}");
    assert_eq!(r["error"]["code"], code, "{what}: {r}");
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn bad_content_length_headers_are_answered_and_the_session_continues() {
    let (_d, root, mut c) = session();
    c.raw(b"Content-Length: abc\r\n\r\n");
    expect_null_id_error(&mut c, -32700, "not a number");
    c.raw(b"Content-Length: -5\r\n\r\n");
    expect_null_id_error(&mut c, -32700, "negative");
    c.raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n");
    expect_null_id_error(&mut c, -32700, "missing Content-Length");
    c.raw(b"Content-Length: 99999999999999\r\n\r\n");
    expect_null_id_error(&mut c, -32700, "too large");
    c.raw(b"Content-Length: 18446744073709551616\r\n\r\n");
    expect_null_id_error(&mut c, -32700, "overflows u64");
    // Headers in another case and an extra header are fine.
    let hover = json!({"jsonrpc":"2.0","id":"h","method":"textDocument/hover","params":{
        "textDocument":{"uri": uri(&root.join("src/lib.rs"))},"position":{"line":0,"character":16}}});
    let body = serde_json::to_vec(&hover).unwrap();
    let mut msg = format!(
        "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
        body.len()
    )
    .into_bytes();
    msg.extend_from_slice(&body);
    c.raw(&msg);
    let r = c.response(&json!("h"));
    assert!(r["result"]["contents"].is_object(), "{r}");
    assert_works(&mut c, &root);
    c.shutdown();
}

/// A Content-Length smaller than the body: the server reads a truncated body (a parse error),
/// then the rest of the body runs into the next frame's header. A robust reader resyncs on the
/// next `Content-Length:`; the session must not be lost for good.
#[test]
fn content_length_too_small_then_the_session_recovers() {
    let (_d, root, mut c) = session();
    let body = br#"{"jsonrpc":"2.0","id":900,"method":"textDocument/hover","params":{}}"#;
    let mut msg = b"Content-Length: 10\r\n\r\n".to_vec();
    msg.extend_from_slice(body);
    c.raw(&msg);
    assert_eq!(c.next_response()["error"]["code"], -32700);
    assert_recovers(&mut c, &root);
}

/// A Content-Length larger than the body: the server's read takes the start of the next frame.
#[test]
fn content_length_too_big_then_the_session_recovers() {
    let (_d, root, mut c) = session();
    let body = br#"{"jsonrpc":"2.0","method":"custom/ping"}"#;
    let mut msg = format!("Content-Length: {}\r\n\r\n", body.len() + 30).into_bytes();
    msg.extend_from_slice(body);
    c.raw(&msg);
    assert_recovers(&mut c, &root);
}

/// After a desynchronising frame, up to five hovers are sent; at least one must be answered
/// (the first ones may be eaten by the broken frame), and the server must still be up.
fn assert_recovers(c: &mut Client, root: &Path) {
    let mut ids = Vec::new();
    for _ in 0..5 {
        let id = c.send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&root.join("src/lib.rs"))},
                   "position": {"line": 0, "character": 16}}),
        );
        ids.push(id);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut answered = false;
    while let Some(v) = c.next(deadline) {
        if v.get("method").is_none() && ids.contains(&v["id"]) {
            answered = true;
            break;
        }
    }
    assert!(
        answered,
        "no request answered after a bad Content-Length: the stream never resyncs"
    );
    assert_works(c, root);
}

#[test]
fn truncated_body_then_eof_ends_the_server() {
    let (_d, _root, mut c) = session();
    c.raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"meth");
    c.close_stdin();
    let status = c
        .wait_exit(Duration::from_secs(10))
        .expect("the server exits within 10 s of EOF in the middle of a body");
    assert_eq!(status.code(), Some(1), "EOF without shutdown: {status}");
}

#[test]
fn invalid_json_and_non_json_rpc_messages_are_answered() {
    let (_d, root, mut c) = session();
    for (body, code) in [
        (&b"{not json"[..], -32700),
        (b"", -32700),
        (b"\xff\xfe\x00garbage", -32700),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"",
            -32700,
        ),
        (b"[1, 2, 3]", -32600),
        (b"[]", -32600),
        (b"42", -32600),
        (b"\"hello\"", -32600),
        (b"null", -32600),
        (
            b"{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"shutdown\"}",
            -32600,
        ),
        (b"{\"id\":3,\"method\":\"shutdown\"}", -32600),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"shutdown\"}",
            -32600,
        ),
        (b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":42}", -32600),
    ] {
        c.raw(&frame(body));
        expect_null_id_error(&mut c, code, &String::from_utf8_lossy(body));
        assert_works(&mut c, &root);
    }
    // Objects that are neither a request, a notification nor a response: an error or nothing.
    for body in [
        &b"{\"jsonrpc\":\"2.0\",\"params\":{}}"[..],
        b"{\"jsonrpc\":\"2.0\",\"id\":9}",
        b"{}",
    ] {
        c.raw(&frame(body));
        let id = c.send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&root.join("src/lib.rs"))},
                   "position": {"line": 0, "character": 16}}),
        );
        let mut others = Vec::new();
        let r = c.response_collecting(&id, &mut others);
        assert!(r["result"]["contents"].is_object(), "{r}");
        for o in others {
            assert!(o["error"]["code"].is_i64(), "{o}");
        }
    }
    // Well-formed requests with params of the wrong shape: InvalidParams for that id.
    for params in [json!("a string"), json!({"textDocument": 5}), json!([1, 2])] {
        let r = c.request("textDocument/hover", params.clone());
        assert_eq!(r["error"]["code"], -32602, "{params}: {r}");
    }
    // Notifications with bad params are dropped.
    c.notify("textDocument/didOpen", json!({"textDocument": "nope"}));
    c.notify("textDocument/didChange", json!(17));
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn unknown_methods_error_for_requests_and_are_ignored_as_notifications() {
    let (_d, root, mut c) = session();
    for m in ["custom/unknown", "textDocument/notAThing"] {
        let r = c.request(m, json!({}));
        assert_eq!(r["error"]["code"], -32601, "{m}: {r}");
    }
    c.notify("custom/unknown", json!({"x": 1}));
    c.notify("$/cancelRequest", json!({"id": 12345}));
    c.notify("$/setTrace", json!({"value": "verbose"}));
    // Responses to requests the server never sent are ignored too.
    c.send(&json!({"jsonrpc": "2.0", "id": 424242, "result": null}));
    assert_works(&mut c, &root);
    c.shutdown();
}

/// LSP: "if a server or client receives a request starting with '$/' it must error the request
/// with error code MethodNotFound". A client waiting for that answer must not hang.
#[test]
fn dollar_prefixed_requests_get_method_not_found() {
    let (_d, root, mut c) = session();
    let id = c.send_request("$/unknownRequest", json!({}));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut answer = None;
    while let Some(v) = c.next(deadline) {
        if v.get("method").is_none() && v["id"] == id {
            answer = Some(v);
            break;
        }
    }
    let r = answer.expect("no answer to a `$/` request within 20 s");
    assert_eq!(r["error"]["code"], -32601, "{r}");
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn requests_before_initialize_are_refused_then_initialize_works() {
    let (_d, root) = workspace(&[("src/lib.rs", STATIC_MUT)]);
    let lib = root.join("src/lib.rs");
    let mut c = Client::spawn();
    let r = c.hover(&lib, 0, 16);
    assert_eq!(r["error"]["code"], -32002, "hover before initialize: {r}");
    let r = c.request("shutdown", Value::Null);
    assert_eq!(
        r["error"]["code"], -32002,
        "shutdown before initialize: {r}"
    );
    // A notification before initialize is dropped: the document is not open afterwards.
    c.open(&lib, 1, STATIC_MUT);
    c.init(&root, std::process::id());
    let r = c.hover(&lib, 0, 16);
    assert_eq!(
        r["error"]["code"], -32602,
        "didOpen before initialize counted: {r}"
    );
    // A second initialize is refused; the session goes on.
    let r = c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert!(r.get("error").is_some(), "second initialize: {r}");
    c.open(&lib, 1, STATIC_MUT);
    assert_eq!(rules(&c.diagnostics(&uri(&lib), 1)), ["static-mut"]);
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn did_change_for_unopened_documents_is_ignored() {
    let (_d, root, mut c) = session();
    let ghost = root.join("src/ghost.rs");
    c.change(
        &ghost,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    c.change(&ghost, 3, json!([{"text": STATIC_MUT}]));
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&ghost)}}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&ghost)}}),
    );
    let r = c.hover(&ghost, 0, 16);
    assert_eq!(r["error"]["code"], -32602, "ghost document: {r}");
    // Non-file URIs too.
    for u in [
        "untitled:Untitled-1",
        "http://example.com/x.rs",
        "file:///%ZZ.rs",
    ] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "x"}]}),
        );
    }
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn versions_going_backwards_still_end_with_the_latest_text() {
    let (_d, root, mut c) = session();
    let lib = root.join("src/lib.rs");
    c.change(&lib, 10, json!([{"text": "pub fn ok() {}\n"}]));
    assert!(c.diagnostics(&uri(&lib), 10).is_empty());
    // Older and equal versions: applied in arrival order (the buffer is the client's).
    c.change(&lib, 3, json!([{"text": STATIC_MUT}]));
    c.change(&lib, 3, json!([{"text": "pub fn ok() {}\n"}]));
    c.change(&lib, -7, json!([{"text": STATIC_MUT}]));
    c.change(&lib, 11, json!([{"text": STATIC_MUT}]));
    let d = c.diagnostics(&uri(&lib), 11);
    assert_eq!(rules(&d), ["static-mut"]);
    assert_works(&mut c, &root);
    c.shutdown();
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

/// Out-of-range positions are clamped (LSP: a character past the line's end means the end of
/// the line; a line past the end means the end of the document); reversed ranges are ordered.
#[test]
fn edits_past_the_end_are_clamped() {
    let (_d, root, mut c) = session();
    let lib = root.join("src/lib.rs");
    // Past the last line: appended.
    c.change(
        &lib,
        2,
        json!([{"range": range(1000, 5, 2000, 0), "text": "pub static mut B: u8 = 0;\n"}]),
    );
    let d = c.diagnostics(&uri(&lib), 2);
    let lines: Vec<_> = d
        .iter()
        .map(|d| d["range"]["start"]["line"].clone())
        .collect();
    assert_eq!(lines, [json!(0), json!(1)], "{d:?}");
    // A character far past the end of line 0: inserted at the end of line 0 (before its '\n').
    c.change(
        &lib,
        3,
        json!([{"range": range(0, 9999, 0, 9999), "text": " // x"}]),
    );
    let d = c.diagnostics(&uri(&lib), 3);
    assert_eq!(d.len(), 2, "{d:?}");
    // A reversed range, and u32::MAX positions.
    c.change(
        &lib,
        4,
        json!([
            {"range": range(1, 0, 0, 0), "text": ""},
            {"range": range(u32::MAX, u32::MAX, u32::MAX, u32::MAX), "text": "\n"},
        ]),
    );
    let d = c.diagnostics(&uri(&lib), 4);
    assert_eq!(rules(&d), ["static-mut"], "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 0, "{d:?}");
    // A position inside a multi-byte character (UTF-8 encoding negotiated): no panic.
    c.change(
        &lib,
        5,
        json!([{"text": "// é😀\npub static mut C: u8 = 0;\n"}]),
    );
    c.change(&lib, 6, json!([{"range": range(0, 4, 0, 6), "text": "x"}]));
    let d = c.diagnostics(&uri(&lib), 6);
    assert_eq!(rules(&d), ["static-mut"], "{d:?}");
    // Code actions and hover with out-of-range positions.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&lib)}, "range": range(500, 0, 400, 3),
               "context": {"diagnostics": []}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    let r = c.hover(&lib, u32::MAX, u32::MAX);
    assert!(r.get("error").is_none(), "{r}");
    c.change(&lib, 7, json!([{"text": STATIC_MUT}]));
    c.diagnostics(&uri(&lib), 7);
    assert_works(&mut c, &root);
    c.shutdown();
}

/// Waits for diagnostics of `uri` at `version`, with a longer bound (debug builds are slow on
/// multi-megabyte files).
fn diagnostics_slow(c: &mut Client, u: &str, version: i64) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(i) = c.seen.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u
                && m["params"]["version"] == version
        }) {
            let m = c.seen.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        assert!(
            c.next(deadline).is_some(),
            "no diagnostics for {u} v{version} within 300 s"
        );
    }
}

#[test]
fn a_ten_megabyte_document() {
    let (_d, root, mut c) = session();
    let big = root.join("src/big.rs");
    let mut text = String::with_capacity(10 << 20);
    let mut i = 0;
    // Mostly comments (a debug build analyses 10 MB of dense code for minutes), with code
    // spread through it.
    while text.len() < 10 << 20 {
        if i % 200 == 0 {
            text.push_str(&format!("pub fn f{i}(x: u32) -> u32 {{ x + {i} }}\n"));
        } else {
            text.push_str(
                "// 10 MB of text: the transport, the line index, edits and the parser\n",
            );
        }
        i += 1;
    }
    let n = text.lines().count() as u32;
    text.push_str("pub static mut BIG: u8 = 0;\n");
    c.open(&big, 1, &text);
    let d = diagnostics_slow(&mut c, &uri(&big), 1);
    assert!(
        d.iter()
            .any(|d| d["code"] == "static-mut" && d["range"]["start"]["line"] == n),
        "static-mut on the last line of the 10 MB file"
    );
    // An edit in the middle and at the end.
    c.change(
        &big,
        2,
        json!([{"range": range(n / 2, 0, n / 2, 0), "text": "pub static mut MID: u8 = 0;\n"},
               {"range": range(n + 1, 0, n + 1, 0), "text": "fn tail() {}\n"}]),
    );
    let d = diagnostics_slow(&mut c, &uri(&big), 2);
    let lines: Vec<_> = d
        .iter()
        .filter(|d| d["code"] == "static-mut")
        .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    // The changes of one didChange apply in order: `tail` goes in before `BIG`.
    assert_eq!(lines, [u64::from(n / 2), u64::from(n + 2)], "{lines:?}");
    let r = c.hover(&big, n / 2, 16);
    assert!(r["result"]["contents"].is_object(), "{r}");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&big)}}),
    );
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn fifty_thousand_lines_with_one_megabyte_line() {
    let (_d, root, mut c) = session();
    let f = root.join("src/long.rs");
    let mut text = String::new();
    for i in 0..25_000 {
        text.push_str(&format!("// line {i}\n"));
    }
    text.push_str("pub const S: &str = \"");
    text.push_str(&"a".repeat(1 << 20));
    text.push_str("\";\n");
    for i in 0..25_000 {
        text.push_str(&format!("// line {i}\n"));
    }
    text.push_str("pub static mut LAST: u8 = 0;\n");
    let last = text.lines().count() as u32 - 1;
    c.open(&f, 1, &text);
    let d = diagnostics_slow(&mut c, &uri(&f), 1);
    assert!(
        d.iter()
            .any(|d| d["code"] == "static-mut" && d["range"]["start"]["line"] == last),
        "{d:?}"
    );
    // Typing in the middle of the long line, then a newline in it.
    c.change(
        &f,
        2,
        json!([{"range": range(25_000, 500_000, 25_000, 500_000), "text": "b"}]),
    );
    c.change(
        &f,
        3,
        json!([{"range": range(25_000, 700_000, 25_000, 700_001), "text": "\n"}]),
    );
    let d = diagnostics_slow(&mut c, &uri(&f), 3);
    assert!(
        d.iter()
            .any(|d| d["code"] == "static-mut" && d["range"]["start"]["line"] == last + 1),
        "{d:?}"
    );
    let r = c.hover(&f, last + 1, 16);
    assert!(r["result"]["contents"].is_object(), "{r}");
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn a_file_deleted_while_open_then_closed() {
    let (_d, root, mut c) = session();
    let a = root.join("src/a.rs");
    std::fs::write(&a, STATIC_MUT).unwrap();
    std::fs::write(root.join("src/lib.rs"), format!("mod a;\n{STATIC_MUT}")).unwrap();
    c.open(&a, 1, STATIC_MUT);
    assert_eq!(rules(&c.diagnostics(&uri(&a), 1)), ["static-mut"]);
    std::fs::remove_file(&a).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&a), "type": 3}]}),
    );
    // The buffer is still the source of truth while open.
    c.change(&a, 2, json!([{"text": format!("// edited\n{STATIC_MUT}")}]));
    let d = c.diagnostics(&uri(&a), 2);
    assert_eq!(rules(&d), ["static-mut"]);
    assert_eq!(d[0]["range"]["start"]["line"], 1);
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&a)}}),
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&a)}}),
    );
    // Closed and gone from disk: its diagnostics are cleared.
    let cleared = c.wait_for("cleared diagnostics of the deleted file", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri(&a)
            && m["params"]["diagnostics"] == json!([])
    });
    assert!(cleared["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(!a.exists(), "the server recreated the deleted file");
    // A whole directory removed under the server.
    std::fs::create_dir_all(root.join("src/sub")).unwrap();
    std::fs::write(root.join("src/sub/mod.rs"), STATIC_MUT).unwrap();
    let sub = root.join("src/sub/mod.rs");
    c.open(&sub, 1, STATIC_MUT);
    c.diagnostics(&uri(&sub), 1);
    std::fs::remove_dir_all(root.join("src/sub")).unwrap();
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&sub)}}),
    );
    assert_works(&mut c, &root);
    c.shutdown();
}

#[test]
fn closing_stdin_without_shutdown_exits() {
    let (_d, _root, mut c) = session();
    c.close_stdin();
    let status = c
        .wait_exit(Duration::from_secs(10))
        .expect("the server exits within 10 s of stdin closing");
    assert_eq!(status.code(), Some(1), "{status}");
}

/// The editor dies without closing the pipe (here: the pipe stays open): the server notices its
/// parent `processId` is gone and exits.
#[test]
fn parent_process_death_exits_the_server() {
    let (_d, root) = workspace(&[("src/lib.rs", STATIC_MUT)]);
    let mut parent = std::process::Command::new("sleep")
        .arg("2")
        .spawn()
        .expect("spawn a short-lived parent");
    let pid = parent.id();
    let mut c = Client::spawn();
    c.init(&root, pid);
    let lib = root.join("src/lib.rs");
    c.open(&lib, 1, STATIC_MUT);
    c.diagnostics(&uri(&lib), 1);
    // Reaped, so `kill(pid, 0)` fails (a zombie still counts as existing).
    parent.wait().unwrap();
    let status = c
        .wait_exit(Duration::from_secs(20))
        .expect("the server exits within 20 s of its parent's death, stdin still open");
    assert!(!status.success(), "{status}");
}

/// Every file under `dir` with its bytes' length and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            if m.is_dir() {
                stack.push(e.path());
            }
            out.insert(
                e.path(),
                (m.len(), m.modified().unwrap(), m.permissions().mode()),
            );
        }
    }
    out
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A workspace whose `build.rs`, proc macro, `.cargo/config.toml` and `boundary.toml` try to run
/// commands, opened by the server with a `$PATH` of traps: nothing runs, and the server writes
/// no file in the workspace during a whole session with code actions, fix-all, saves and
/// watched-file events.
#[test]
fn untrusted_workspace_in_the_server_runs_nothing_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize(tmp.path()).unwrap();
    let markers = base.join("markers");
    let bin = base.join("bin");
    let ws = base.join("ws");
    for d in [&markers, &bin, &ws] {
        std::fs::create_dir_all(d).unwrap();
    }
    let m = markers.display().to_string();
    let trap = |name: &str| format!("#!/bin/sh\necho \"$0 $*\" > '{m}/{name}'\n");
    let exe =
        |p: &Path| std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    for tool in [
        "cargo",
        "rustc",
        "rustup",
        "rustfmt",
        "rust-analyzer",
        "clippy-driver",
        "git",
        "sh",
        "bash",
        "cc",
        "gcc",
        "make",
        "python3",
        "touch",
        "env",
        "xdg-open",
        "code",
    ] {
        let p = bin.join(tool);
        std::fs::write(&p, trap(&format!("path-{tool}"))).unwrap();
        exe(&p);
    }
    write(
        &ws,
        "Cargo.toml",
        "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n\
         [lib]\nproc-macro = true\n\n[package.metadata.boundary]\ncommand = \"touch x\"\n",
    );
    write(
        &ws,
        "build.rs",
        &format!(
            "fn main() {{\n    std::fs::write(\"{m}/build-rs\", \"\").unwrap();\n    \
             std::process::Command::new(\"touch\").arg(\"{m}/build-rs-cmd\").status().unwrap();\n}}\n"
        ),
    );
    let lib_text = format!(
        "extern crate proc_macro;\nuse proc_macro::TokenStream;\n\n\
         #[proc_macro]\npub fn evil(input: TokenStream) -> TokenStream {{\n    \
         std::fs::write(\"{m}/proc-macro\", \"\").unwrap();\n    input\n}}\n\n\
         pub static mut COUNTER: u32 = 0;\n\npub fn len(name: &String) -> usize {{\n    name.len()\n}}\n"
    );
    write(&ws, "src/lib.rs", &lib_text);
    let wrapper = ws.join("wrapper.sh");
    std::fs::write(&wrapper, trap("rustc-wrapper")).unwrap();
    exe(&wrapper);
    write(
        &ws,
        ".cargo/config.toml",
        &format!(
            "[build]\nrustc-wrapper = \"{w}\"\nrustc = \"{w}\"\n\n\
             [target.x86_64-unknown-linux-gnu]\nrunner = \"{w}\"\nlinker = \"{w}\"\n\n\
             [alias]\ncheck = \"run --bin evil\"\n\n[env]\nRUSTC_WRAPPER = \"{w}\"\n",
            w = wrapper.display()
        ),
    );
    write(
        &ws,
        "rust-toolchain.toml",
        "[toolchain]\nchannel = \"evil-toolchain\"\n",
    );
    let config = format!(
        "docs-url = \"$(touch {m}/config-docs-url)/\"\nexclude = [\"`touch {m}/config-exclude`\"]\n\n\
         [rules.borrowed-owned-param]\nlevel = \"warning\"\n"
    );
    write(&ws, "boundary.toml", &config);
    // Old mtimes everywhere, so any write shows.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800);
    for p in snapshot(&ws).keys() {
        if p.is_file() {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
    }
    let before = snapshot(&ws);

    let path_env = bin.display().to_string();
    let mut c = Client::spawn_with(Some(&ws), &[("PATH", &path_env)]);
    c.init(&ws, std::process::id());
    let lib = ws.join("src/lib.rs");
    c.open(&lib, 1, &lib_text);
    let d = c.diagnostics(&uri(&lib), 1);
    assert!(rules(&d).contains(&"static-mut".to_string()), "{d:?}");
    let toml = ws.join("boundary.toml");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&toml), "languageId": "toml", "version": 1, "text": config}}),
    );
    let end = lib_text.lines().count() as u32;
    for only in [
        json!(null),
        json!(["quickfix"]),
        json!(["source.fixAll.boundary"]),
    ] {
        let mut ctx = json!({"diagnostics": d});
        if !only.is_null() {
            ctx["only"] = only.clone();
        }
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri(&lib)}, "range": range(0, 0, end, 0), "context": ctx}),
        );
        let actions = r["result"].as_array().cloned().unwrap_or_default();
        assert!(!actions.is_empty(), "code actions offered for {only}: {r}");
    }
    for (line, col) in [(10, 16), (12, 14)] {
        c.hover(&lib, line, col);
    }
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&lib)}}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&toml)}}),
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": uri(&ws.join("Cargo.toml")), "type": 2},
            {"uri": uri(&ws.join("build.rs")), "type": 2},
            {"uri": uri(&toml), "type": 2},
        ]}),
    );
    c.change(
        &lib,
        2,
        json!([{"text": format!("{lib_text}\npub static mut MORE: u8 = 0;\n")}]),
    );
    c.diagnostics(&uri(&lib), 2);
    c.shutdown();

    let ran: Vec<_> = std::fs::read_dir(&markers)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(ran.is_empty(), "something was executed: {ran:?}");
    let after = snapshot(&ws);
    assert_eq!(
        before, after,
        "the server changed the workspace on disk (files, sizes, mtimes or modes)"
    );
}

/// The faults `check` is tested for (`tests/e2e/reliability.rs`), met by the server while it
/// indexes and while files are open: a directory symlink loop, a file symlinked to itself, a
/// non-UTF-8 source, a `boundary.toml` that cannot be read as a file (a directory: running as
/// root ignores `chmod 000`), then a directory renamed with a file in it open, and watched-file
/// events for all of it. The server keeps answering, and the open buffers keep their
/// diagnostics.
#[test]
fn hostile_files_while_indexing_and_a_directory_renamed_while_open() {
    let lib_text = format!("mod sub;\nmod bad;\n{STATIC_MUT}");
    let sub_text = "pub static mut IN_SUB: u8 = 0;\n";
    let (_d, root) = workspace(&[("src/lib.rs", &lib_text), ("src/sub/mod.rs", sub_text)]);
    std::os::unix::fs::symlink(root.join("src"), root.join("src/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("src/self.rs"), root.join("src/self.rs")).unwrap();
    std::fs::write(
        root.join("src/bad.rs"),
        b"pub fn f() {}\n// \xff\xfe not UTF-8\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("boundary.toml")).unwrap();
    let mut c = Client::spawn();
    c.init(&root, std::process::id());
    let lib = root.join("src/lib.rs");
    let sub = root.join("src/sub/mod.rs");
    c.open(&lib, 1, &lib_text);
    c.open(&sub, 1, sub_text);
    assert_eq!(rules(&c.diagnostics(&uri(&lib), 1)), ["static-mut"]);
    // Indexing got through the hostile files: `sub` is known as a private module of the crate
    // (its `pub` item is unreachable), which only the indexed workspace model can tell.
    c.wait_for("sub/mod.rs analysed with the indexed workspace", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri(&sub)
            && rules(m["params"]["diagnostics"].as_array().unwrap())
                .contains(&"unreachable-pub".to_string())
    });
    // The directory of an open file renamed under the server, and the watcher's events.
    std::fs::rename(root.join("src/sub"), root.join("src/moved")).unwrap();
    let moved = root.join("src/moved/mod.rs");
    let events: Vec<Value> = [(&sub, 3), (&moved, 1), (&root.join("src/bad.rs"), 2)]
        .iter()
        .map(|(p, t)| json!({"uri": uri(p), "type": t}))
        .chain([json!({"uri": uri(&root.join("boundary.toml")), "type": 2})])
        .collect();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": events }),
    );
    // The open buffer is still the source of truth: an edit gets diagnostics for its version.
    c.change(&sub, 2, json!([{"text": format!("// edited\n{sub_text}")}]));
    let d = c.diagnostics(&uri(&sub), 2);
    let smut: Vec<&Value> = d.iter().filter(|x| x["code"] == "static-mut").collect();
    assert_eq!(smut.len(), 1, "{d:?}");
    assert_eq!(smut[0]["range"]["start"]["line"], 1);
    c.change(&lib, 2, json!([{"text": format!("// edited\n{lib_text}")}]));
    let d = c.diagnostics(&uri(&lib), 2);
    assert_eq!(rules(&d), ["static-mut"]);
    assert_eq!(d[0]["range"]["start"]["line"], 3);
    let r = c.hover(&lib, 3, 16);
    let text = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(text.contains("static-mut"), "hover after the faults: {r}");
    // Nothing was written: the renamed directory holds the old text, no file came back.
    assert_eq!(std::fs::read_to_string(&moved).unwrap(), sub_text);
    assert!(
        !root.join("src/sub").exists(),
        "the server recreated the renamed directory"
    );
    c.shutdown();
}
