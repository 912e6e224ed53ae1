#!/usr/bin/env python3
"""Compares boundary-lsp findings with the clippy lints that look for the same thing, on real
crates from crates.io, and writes the table into docs/accuracy.md.

For each crate (downloaded into a scratch cargo project with `cargo fetch`, then copied into its
own folder so it is a workspace of its own), this runs

  cargo clippy --message-format json --lib --bins -- -A clippy::all -W <lint> ...
  boundary-lsp check <crate> --format json --select <rules> --fail-on never

and matches the findings by (file, line of the item). Only the crate's own `src/` is compared
(clippy with `--lib --bins` does not see tests/, examples/, benches/; boundary-lsp skips test code
by default).

To add a rule, add an entry to RULES: the rule id, the clippy lint(s), and optionally an
`expected` function that says whether boundary-lsp should report what clippy reported (for rules
whose definition differs from the lint's, like `self` in too-many-params).

Usage: scripts/accuracy/clippy_compare.py [--bin target/release/boundary-lsp] [--work DIR]
                                          [--crates name=version,...] [--no-write]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Older and less linted crates first: the lints have not been applied to them, so they have
# findings to compare. All build with few dependencies.
CRATES = [
    "clap=2.34.0",
    "miniz_oxide=0.4.4",
    "xml-rs=0.8.4",
    "tar=0.4.38",
    "regex-syntax=0.6.29",
    "gif=0.11.4",
    "getopts=0.2.21",
    "toml=0.5.11",
    # Codecs: long parameter lists in decoding loops.
    "lewton=0.10.2",
    "jpeg-decoder=0.3.0",
    "claxon=0.4.3",
]

SELF_PARAM = re.compile(r"\(\s*(&\s*('\w+\s+)?)?(mut\s+)?self\b")
CLIPPY_COUNT = re.compile(r"too many arguments \((\d+)/(\d+)\)")


def too_many_params_expected(clippy_msg, source_text):
    """clippy counts `self`, boundary-lsp does not: for a method whose count is over the
    threshold only because of `self`, boundary-lsp correctly stays quiet."""
    m = CLIPPY_COUNT.search(clippy_msg)
    if not m:
        return True, ""
    count, threshold = int(m.group(1)), int(m.group(2))
    has_self = bool(SELF_PARAM.search(source_text))
    if has_self and count - 1 <= threshold:
        return False, f"clippy counts `self` ({count}/{threshold}); {count - 1} without it"
    return True, ""


# rule id -> clippy lints (any of them), and whether a clippy finding should also be ours.
RULES = {
    "too-many-params": {"lints": ["clippy::too_many_arguments"], "expected": too_many_params_expected},
    "bool-fields": {"lints": ["clippy::struct_excessive_bools"]},
}


def run(cmd, cwd=None, check=True, **kw):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, **kw)
    if check and p.returncode not in (0, 1):
        sys.stderr.write(f"$ {' '.join(cmd)} (in {cwd})\n{p.stderr[-3000:]}\n")
        raise SystemExit(f"command failed with exit {p.returncode}")
    return p


def fetch(crates, work):
    """Fetches the crates with cargo and copies each into work/<name-version>."""
    scratch = os.path.join(work, "scratch")
    os.makedirs(os.path.join(scratch, "src"), exist_ok=True)
    deps = "\n".join(
        f'{name.replace("-", "_")}_{ver.replace(".", "_")} = {{ package = "{name}", version = "={ver}" }}'
        for name, ver in (c.split("=") for c in crates)
    )
    with open(os.path.join(scratch, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "scratch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n{deps}\n')
    with open(os.path.join(scratch, "src", "lib.rs"), "w") as f:
        f.write("")
    run(["cargo", "fetch", "--quiet"], cwd=scratch)
    meta = json.loads(run(["cargo", "metadata", "--format-version", "1", "--quiet"], cwd=scratch).stdout)
    dirs = {}
    for p in meta["packages"]:
        key = f"{p['name']}={p['version']}"
        if key in crates:
            src = os.path.dirname(p["manifest_path"])
            dst = os.path.join(work, f"{p['name']}-{p['version']}")
            if not os.path.exists(dst):
                shutil.copytree(src, dst)
                # Its own workspace; crates.io normalises manifests, keep it as it is otherwise.
                with open(os.path.join(dst, "Cargo.toml"), "a") as f:
                    f.write("\n[workspace]\n")
            # Use the toolchain here (clippy is the one under comparison), not a pinned one.
            for pin in ("rust-toolchain", "rust-toolchain.toml"):
                if os.path.exists(os.path.join(dst, pin)):
                    os.remove(os.path.join(dst, pin))
            dirs[key] = dst
    missing = [c for c in crates if c not in dirs]
    if missing:
        raise SystemExit(f"not found after cargo fetch: {missing}")
    return dirs


def in_scope(rel):
    return rel.startswith("src/")


def clippy_findings(crate_dir, lint_to_rule, level="-W", env=None, by_column=False):
    """`level` "--force-warn" beats a crate's own `#![allow]`s; `env` adds variables (CLIPPY_CONF_DIR)."""
    has_lib = os.path.exists(os.path.join(crate_dir, "src", "lib.rs")) or "[lib]" in open(os.path.join(crate_dir, "Cargo.toml")).read()
    args = ["cargo", "clippy", "--quiet", "--message-format", "json", *(["--lib"] if has_lib else []), "--bins", "--", "-A", "clippy::all"]
    for lint in lint_to_rule:
        args += [level, lint]
    env = {"CARGO_TARGET_DIR": os.path.join(crate_dir, "target"), **(env or {})}
    p = run(args, cwd=crate_dir, check=False, env={**os.environ, **env})
    out = []
    for line in p.stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        m = msg["message"]
        code = (m.get("code") or {}).get("code")
        if code not in lint_to_rule:
            continue
        span = next((s for s in m["spans"] if s["is_primary"]), None)
        if not span or os.path.isabs(span["file_name"]) or not in_scope(span["file_name"]):
            continue
        out.append(
            {
                "rule": lint_to_rule[code],
                "file": span["file_name"],
                "line": span["line_start"],
                "column": span["column_start"],
                "end_line": span["line_end"],
                "message": m["message"],
                "text": "\n".join(t["text"] for t in span.get("text", [])),
            }
        )
    if p.returncode != 0 and not out:
        sys.stderr.write(p.stderr[-2000:])
        raise SystemExit(f"cargo clippy failed in {crate_dir}")
    # clippy can report a span twice (lib and bin): dedupe. `by_column`: two findings on one line stay
    # two (two parameters of one signature).
    seen, uniq = set(), []
    for f in out:
        k = (f["rule"], f["file"], f["line"], f["column"] if by_column else 0)
        if k not in seen:
            seen.add(k)
            uniq.append(f)
    return uniq


def our_findings(bin_path, crate_dir, rules):
    p = run([bin_path, "check", crate_dir, "--format", "json", "--quiet", "--fail-on", "never", "--select", ",".join(rules)])
    out = []
    for line in p.stdout.splitlines():
        v = json.loads(line)
        if in_scope(v["file"]):
            out.append(v)
    return out


def compare(bin_path, crates, work, rules=None, fetch_fn=None, clippy_kw=None):
    """`rules` defaults to RULES; a spec may also have `ours`: a filter on our findings (JSON) that
    keeps only those the lint is comparable with (e.g. not the hints of another check)."""
    rules = rules or RULES
    dirs = (fetch_fn or fetch)(crates, work)
    lint_to_rule = {lint: rule for rule, spec in rules.items() for lint in spec["lints"]}
    rows = []  # per crate and rule
    details = []
    for key in crates:
        d = dirs[key]
        print(f"== {key}", file=sys.stderr)
        theirs = clippy_findings(d, lint_to_rule, **(clippy_kw or {}))
        ours = our_findings(bin_path, d, list(rules))
        lines_of_code = sum(
            sum(1 for _ in open(os.path.join(r, f), errors="replace"))
            for r, _, fs in os.walk(os.path.join(d, "src"))
            for f in fs
            if f.endswith(".rs")
        )
        for rule, spec in rules.items():
            t = [f for f in theirs if f["rule"] == rule]
            o = [f for f in ours if f["rule"] == rule and spec.get("ours", lambda _: True)(f)]
            matched, only_clippy, only_ours, explained = 0, [], [], []
            used = set()
            for c in t:
                # Same item: our line (the name) within the first lines of clippy's span.
                hit = next(
                    (
                        i
                        for i, f in enumerate(o)
                        if i not in used and f["file"] == c["file"] and c["line"] <= f["line"] <= min(c["end_line"], c["line"] + 3)
                    ),
                    None,
                )
                expected, why = spec.get("expected", lambda *_: (True, ""))(c["message"], c["text"])
                if hit is not None:
                    used.add(hit)
                    matched += 1
                    if not expected:
                        only_ours.append((c["file"], c["line"], "reported although only `self` puts it over"))
                elif expected:
                    only_clippy.append((c["file"], c["line"], c["message"]))
                else:
                    explained.append((c["file"], c["line"], why))
            for i, f in enumerate(o):
                if i not in used:
                    only_ours.append((f["file"], f["line"], f["message"]))
            rows.append((key, lines_of_code, rule, len(t), len(o), matched, len(explained), only_clippy, only_ours))
            for kind, items in (("clippy only", only_clippy), ("boundary-lsp only", only_ours), ("expected difference", explained)):
                for file, line, msg in items:
                    details.append((key, rule, kind, f"{file}:{line}", msg))
    return rows, details


def markdown(rows, details, crates):
    out = []
    out.append("## clippy comparison: too-many-params and bool-fields\n")
    out.append(
        "`scripts/accuracy/clippy_compare.sh` runs `cargo clippy --lib --bins` with only the lints below enabled "
        "and `boundary-lsp check --format json --select <rules>` on the same crates from crates.io, and matches "
        "findings by file and line of the item (the crate's `src/` only). clippy's `too_many_arguments` counts "
        "`self` and boundary-lsp does not (by design): a method over the threshold only because of `self` is an "
        "*expected difference*. Crates: " + ", ".join(f"`{c.replace('=', ' ')}`" for c in crates) + ".\n"
    )
    lints = {r: ", ".join(f"`{l}`" for l in s["lints"]) for r, s in RULES.items()}
    out.append("| crate | lines (src/) | rule | clippy lint | clippy | boundary-lsp | matched | expected differences | clippy only | boundary-lsp only |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    tot = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for key, loc, rule, nt, no, m, ex, oc, oo in rows:
        out.append(f"| {key.replace('=', ' ')} | {loc} | `{rule}` | {lints[rule]} | {nt} | {no} | {m} | {ex} | {len(oc)} | {len(oo)} |")
        for i, v in enumerate((nt, no, m, ex, len(oc), len(oo))):
            tot[rule][i] += v
    for rule, v in tot.items():
        out.append(f"| **total** | | `{rule}` | {lints[rule]} | {v[0]} | {v[1]} | {v[2]} | {v[3]} | {v[4]} | {v[5]} |")
    out.append("")
    if details:
        out.append("Every difference:\n")
        out.append("| crate | rule | kind | where | clippy / boundary-lsp message or reason |")
        out.append("|---|---|---|---|---|")
        for key, rule, kind, where, msg in details:
            msg = msg.replace("|", "\\|")
            out.append(f"| {key.replace('=', ' ')} | `{rule}` | {kind} | `{where}` | {msg} |")
        out.append("")
    return "\n".join(out)


def write_section(path, section):
    text = open(path).read() if os.path.exists(path) else "# Accuracy\n"
    pat = re.compile(r"^## clippy comparison: too-many-params and bool-fields\n.*?(?=^## |\Z)", re.S | re.M)
    if pat.search(text):
        text = pat.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "boundary-lsp"))
    ap.add_argument("--work", default="/tmp/boundary-clippy-compare")
    ap.add_argument("--crates", default=",".join(CRATES))
    ap.add_argument("--no-write", action="store_true", help="print the table, do not touch docs/accuracy.md")
    a = ap.parse_args()
    crates = a.crates.split(",")
    os.makedirs(a.work, exist_ok=True)
    rows, details = compare(os.path.abspath(a.bin), crates, a.work)
    section = markdown(rows, details, crates)
    print(section)
    if not a.no_write:
        write_section(os.path.join(REPO, "docs", "accuracy.md"), section)
        print("wrote docs/accuracy.md", file=sys.stderr)
    bad = sum(len(r[7]) + len(r[8]) for r in rows)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
