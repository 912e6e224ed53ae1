#!/usr/bin/env python3
"""Stand-in LSP server for the editor tests' NEGATIVE variants and for offline development.

The committed editor tests run against the real `boundary-lsp` by default. This script exists so that
`tests/editors/negative.sh` can prove every editor test FAILS when the server misbehaves:

  fake_server.py --exit-at-once      exits immediately (no initialize answer, no diagnostics)
  fake_server.py --no-diagnostics    answers initialize but never publishes a diagnostic
  fake_server.py                     mimics the contract: a `static-mut` warning (source "boundary") on every
                                     `static mut` item, and an "Allow `static-mut` on this line" quickfix that
                                     inserts `// boundary: allow(static-mut)` above it (full text sync)
Unknown arguments (`server`, `--stdio`) are ignored. Log: stderr.
"""
import json
import re
import sys

MODE = "normal"
if "--exit-at-once" in sys.argv:
    sys.exit(0)
if "--no-diagnostics" in sys.argv:
    MODE = "silent"

docs = {}
settings = {"scope": "open", "off": False}
root = None
STATIC_MUT = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?static\s+mut\s+(\w+)")
ALLOW = "boundary: allow(static-mut)"


def log(*a):
    print("fake_server:", *a, file=sys.stderr, flush=True)


def read_msg():
    headers = {}
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.decode("ascii").strip()
        if not line:
            break
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return json.loads(sys.stdin.buffer.read(int(headers["content-length"])))


def send(obj):
    obj["jsonrpc"] = "2.0"
    data = json.dumps(obj).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
    sys.stdout.buffer.flush()


def apply_settings(opts):
    opts = opts or {}
    settings["scope"] = (opts.get("diagnostics") or {}).get("scope") or "open"
    path = opts.get("configPath")
    try:
        settings["off"] = bool(path) and "enabled = false" in open(path).read()
    except OSError:
        settings["off"] = False


def text_of(uri):
    if uri in docs:
        return docs[uri]
    try:
        with open(uri[len("file://"):]) as f:
            return f.read()
    except OSError:
        return ""


def workspace_files():
    import os
    out = []
    for d, _, fs in os.walk(root or "."):
        out += ["file://" + os.path.join(d, f) for f in fs if f.endswith(".rs")]
    return out


def publish_all():
    uris = set(docs) | (set(workspace_files()) if settings["scope"] == "workspace" else set())
    for uri in uris:
        publish(uri)


def findings(uri):
    if MODE == "silent" or settings["off"]:
        return []
    lines = text_of(uri).split("\n")
    out = []
    for i, line in enumerate(lines):
        m = STATIC_MUT.match(line)
        if not m or (i > 0 and ALLOW in lines[i - 1]) or "//! " + ALLOW in "\n".join(lines):
            continue
        name = m.start(4)
        out.append({"range": {"start": {"line": i, "character": name},
                              "end": {"line": i, "character": name + len(m.group(4))}},
                    "severity": 2, "code": "static-mut", "source": "boundary",
                    "codeDescription": {"href": "https://example.invalid/docs/rules/static-mut.md"},
                    "message": "`static mut %s` is global mutable state without synchronisation" % m.group(4)})
    return out


def publish(uri):
    send({"method": "textDocument/publishDiagnostics", "params": {"uri": uri, "diagnostics": findings(uri)}})


def main():
    log("started", MODE, sys.argv[1:])
    while True:
        m = read_msg()
        if m is None:
            return
        meth, mid, p = m.get("method"), m.get("id"), m.get("params") or {}
        if meth == "initialize":
            globals()["root"] = (p.get("rootUri") or "file://")[len("file://"):] or None
            apply_settings(p.get("initializationOptions"))
            send({"id": mid, "result": {
                "capabilities": {"textDocumentSync": 1,
                                 "codeActionProvider": {"codeActionKinds": ["quickfix"]}},
                "serverInfo": {"name": "fake-boundary", "version": "0"}}})
        elif meth == "workspace/didChangeConfiguration":
            apply_settings(((p.get("settings") or {}).get("boundary")))
            publish_all()
        elif meth == "textDocument/didOpen":
            td = p["textDocument"]
            docs[td["uri"]] = td["text"]
            publish(td["uri"])
        elif meth == "textDocument/didChange":
            uri = p["textDocument"]["uri"]
            docs[uri] = p["contentChanges"][-1]["text"]
            publish(uri)
        elif meth == "textDocument/didClose":
            docs.pop(p["textDocument"]["uri"], None)
        elif meth == "textDocument/codeAction":
            uri = p["textDocument"]["uri"]
            lo, hi = p["range"]["start"]["line"], p["range"]["end"]["line"]
            acts = []
            for d in findings(uri):
                line = d["range"]["start"]["line"]
                if lo <= line <= hi:
                    indent = re.match(r"\s*", text_of(uri).split("\n")[line]).group(0)
                    acts.append({"title": "Allow `static-mut` in this file", "kind": "quickfix", "diagnostics": [d],
                                 "edit": {"changes": {uri: [{"range": {"start": {"line": 0, "character": 0},
                                                                       "end": {"line": 0, "character": 0}},
                                                             "newText": "//! " + ALLOW + "\n"}]}}})
                    acts.append({"title": "Allow `static-mut` on this line", "kind": "quickfix", "diagnostics": [d],
                                 "edit": {"changes": {uri: [{"range": {"start": {"line": line, "character": 0},
                                                                       "end": {"line": line, "character": 0}},
                                                             "newText": indent + "// " + ALLOW + "\n"}]}}})
            send({"id": mid, "result": acts})
        elif meth == "shutdown":
            send({"id": mid, "result": None})
        elif meth == "exit":
            return
        elif mid is not None and meth is not None:
            send({"id": mid, "error": {"code": -32601, "message": "unhandled " + meth}})


if __name__ == "__main__":
    main()
