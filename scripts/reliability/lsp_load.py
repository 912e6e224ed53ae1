#!/usr/bin/env python3
"""Load test of the language server (issue 10).

50 documents open in a temporary Cargo package; a scripted client sends edits at a steady rate
(default 10,000 edits per 60 s, round-robin over the documents, each one an incremental change
renaming the file's `static mut` plus an insert or delete elsewhere), for DURATION seconds
(default 120: the first minute, then as long again to see whether memory keeps growing). The
server's resident memory (VmRSS from /proc) is sampled every second.

Checks: (1) after the last edit every document ends with diagnostics for its last version, whose
`static-mut` finding names the static of that version; (2) memory growth after the first
minute: max RSS after 60 s vs RSS at 60 s, at most 10%.

Usage: scripts/reliability/lsp_load.py [--bin target/release/boundary-lsp] [--docs 50]
           [--edits-per-minute 10000] [--duration 120]
Exit code 0 when both checks pass. Prints a markdown summary.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, binary, cwd):
        self.p = subprocess.Popen(
            [binary, "--stdio"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.responses = {}
        self.diags = {}  # uri -> (version, diagnostics)
        self.published = 0
        self.alive = True
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.p.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self.cond:
                        self.alive = False
                        self.cond.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            msg = json.loads(out.read(length))
            if "method" in msg and "id" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            with self.cond:
                if msg.get("method") == "textDocument/publishDiagnostics":
                    p = msg["params"]
                    self.diags[p["uri"]] = (p.get("version"), p["diagnostics"])
                    self.published += 1
                elif "method" not in msg:
                    self.responses[msg.get("id")] = msg
                self.cond.notify_all()

    def send(self, obj):
        with self.lock:
            self.p.stdin.write(frame(obj))
            self.p.stdin.flush()

    def request(self, rid, method, params, timeout=60):
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.time() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.time()
                if left <= 0 or not self.alive:
                    raise SystemExit(f"no response to {method}")
                self.cond.wait(left)
            return self.responses.pop(rid)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def rss_kib(self):
        try:
            with open(f"/proc/{self.p.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None


BODY = """
pub struct Item{i} {{
    pub name: String,
    pub flag: bool,
    pub other: bool,
}}

pub fn handle{i}(a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32) -> u32 {{
    let mut total = a + b + c + d + e + f + g;
    for k in 0..10 {{
        total += k;
    }}
    total
}}

pub fn describe{i}(item: &Item{i}) -> String {{
    format!("{{}} {{}}", item.name, item.flag)
}}
"""


def static_line(doc, version):
    return f"pub static mut S{doc}V{version}: u32 = 0;"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/boundary-lsp")
    ap.add_argument("--docs", type=int, default=50)
    ap.add_argument("--edits-per-minute", type=int, default=10000)
    ap.add_argument("--duration", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    random.seed(args.seed)
    binary = os.path.abspath(args.bin)

    tmp = tempfile.TemporaryDirectory()
    root = os.path.realpath(tmp.name)
    os.makedirs(os.path.join(root, "src"))
    with open(os.path.join(root, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "load"\nversion = "0.1.0"\nedition = "2021"\n')
    texts = {}
    with open(os.path.join(root, "src/lib.rs"), "w") as f:
        f.write("".join(f"pub mod m{i};\n" for i in range(args.docs)))
    for i in range(args.docs):
        texts[i] = static_line(i, 1) + "\n" + BODY.format(i=i) * 5
        with open(os.path.join(root, f"src/m{i}.rs"), "w") as f:
            f.write(texts[i])

    srv = Server(binary, root)
    uri = lambda i: f"file://{root}/src/m{i}.rs"
    srv.request(
        1,
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": f"file://{root}",
            "workspaceFolders": [{"uri": f"file://{root}", "name": "load"}],
            "capabilities": {"general": {"positionEncodings": ["utf-8"]}},
        },
    )
    srv.notify("initialized", {})
    versions = {}
    for i in range(args.docs):
        versions[i] = 1
        srv.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri(i), "languageId": "rust", "version": 1, "text": texts[i]}},
        )

    samples = []  # (t, rss KiB)
    stop = threading.Event()
    t0 = time.time()

    def sampler():
        while not stop.is_set():
            r = srv.rss_kib()
            if r is not None:
                samples.append((time.time() - t0, r))
            stop.wait(1.0)

    threading.Thread(target=sampler, daemon=True).start()

    interval = 60.0 / args.edits_per_minute
    total = int(args.duration / interval)
    # Each doc toggles one extra line after the static: inserted by one edit, removed by the next.
    extra = {i: False for i in range(args.docs)}
    sent = 0
    late = 0.0
    for n in range(total):
        due = t0 + n * interval
        now = time.time()
        if due > now:
            time.sleep(due - now)
        else:
            late = max(late, now - due)
        i = n % args.docs
        versions[i] += 1
        v = versions[i]
        old_len = len(texts[i].split("\n", 1)[0])
        changes = [
            {
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": old_len}},
                "text": static_line(i, v),
            }
        ]
        if extra[i]:
            changes.append(
                {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "text": ""}
            )
        else:
            changes.append(
                {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                 "text": f"fn typed{v}(x: u32) -> u32 {{ x }}\n"}
            )
        extra[i] = not extra[i]
        # Keep the client's copy in step (for the final check).
        lines = texts[i].split("\n")
        lines[0] = static_line(i, v)
        if changes[1]["text"]:
            lines.insert(1, changes[1]["text"].rstrip("\n"))
        else:
            del lines[1]
        texts[i] = "\n".join(lines)
        srv.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri(i), "version": v}, "contentChanges": changes},
        )
        sent += 1
    edit_end = time.time() - t0

    # Every document ends with diagnostics for its last version.
    deadline = time.time() + 120
    with srv.cond:
        while True:
            missing = [i for i in range(args.docs) if srv.diags.get(uri(i), (None,))[0] != versions[i]]
            if not missing or time.time() > deadline or not srv.alive:
                break
            srv.cond.wait(1.0)
    settle = time.time() - t0 - edit_end
    wrong = []
    for i in range(args.docs):
        ver, diags = srv.diags.get(uri(i), (None, []))
        names = [d["message"] for d in diags if d.get("code") == "static-mut"]
        if ver != versions[i] or not any(f"S{i}V{versions[i]}" in m for m in names):
            wrong.append((i, ver, versions[i], names[:1]))
    stop.set()
    time.sleep(0.1)
    r = srv.request(999999, "shutdown", None)
    srv.notify("exit", None)
    try:
        code = srv.p.wait(30)
    except subprocess.TimeoutExpired:
        srv.p.kill()
        code = "hung"

    def at(t):
        pts = [r for (s, r) in samples if s <= t]
        return pts[-1] if pts else samples[0][1]

    first = samples[0][1] if samples else 0
    rss60 = at(60.0)
    after = [r for (s, r) in samples if s > 60.0]
    peak_after = max(after) if after else rss60
    growth = (peak_after - rss60) / rss60 * 100 if rss60 else 0.0
    mib = lambda k: f"{k / 1024:.1f} MiB"
    print("| measure | value |")
    print("|---|---|")
    print(f"| binary | `{args.bin}` |")
    print(f"| documents | {args.docs} |")
    print(f"| edits sent | {sent} in {edit_end:.1f} s (max lag behind schedule {late * 1000:.0f} ms) |")
    print(f"| diagnostics published | {srv.published} |")
    print(f"| all documents at their last version | {'yes' if not wrong else 'NO'} ({settle:.1f} s after the last edit) |")
    print(f"| RSS first sample | {mib(first)} |")
    print(f"| RSS at 60 s | {mib(rss60)} |")
    print(f"| RSS max after 60 s | {mib(peak_after)} ({growth:+.1f}%) |")
    print(f"| RSS last sample | {mib(samples[-1][1]) if samples else '-'} |")
    print(f"| max RSS | {mib(max(r for _, r in samples)) if samples else '-'} |")
    print(f"| exit code after shutdown/exit | {code} |")
    if wrong:
        print("documents without diagnostics for their last version:", wrong[:10], file=sys.stderr)
    ok = not wrong and growth <= 10.0 and code == 0
    print(f"\nresult: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
