#!/usr/bin/env python3
"""Compares the ownership and state rules with the clippy lints that look for the same thing, on
real crates from crates.io, and writes two sections of docs/accuracy.md ("Ownership rules vs
clippy", "State rules vs clippy").

  mutex-of-primitive    clippy::mutex_atomic + clippy::mutex_integer
  borrowed-owned-param  clippy::ptr_arg (our `&Box<T>` case is clippy's borrowed_box: not compared)
  bool-params           clippy::fn_params_excessive_bools (our warnings only: the boolean-trap
                        hints are a check clippy does not have)
  option-option         clippy::option_option

For each crate (fetched by unreachable_pub.fetch: libraries through cargo, binary-only crates from
cargo's download cache):

  CLIPPY_CONF_DIR=<dir with clippy.toml: avoid-breaking-exported-api = false>
  cargo clippy --message-format json [--lib] --bins -- -A clippy::all --force-warn <lint> ...
  boundary-lsp check <crate> --format json --select <rules> --fail-on never

`--force-warn` beats a crate's own `#![allow]`s; `avoid-breaking-exported-api = false` makes
clippy report `option_option` on public API too, as we do. Findings are matched by (file, line)
as in clippy_compare.py (the crate's `src/` only). Every finding only one side makes is printed
with a category (see `categorize`); "unexplained" ones make the exit status 1.

Usage: scripts/accuracy/rules_compare.py [--bin target/release/boundary-lsp] [--work DIR]
                                         [--crates name=version,...] [--no-write]
"""

import argparse
import json
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import clippy_compare as cc  # noqa: E402
import unreachable_pub as up  # noqa: E402

REPO = cc.REPO

# Older and less linted crates of different styles: servers (hyper 0.10, tiny_http, ws), CLIs
# (xsv, fd-find, watchexec), libraries (clap 2, config, handlebars, itertools, url,
# chan, rayon-core, notify, sysinfo). Most were picked because clippy or boundary-lsp finds
# something in them (a scan over about 60 old crates).
CRATES = [
    "clap=2.34.0",
    "xsv=0.13.0",
    "chan=0.1.23",
    "url=1.7.2",
    "itertools=0.13.0",
    "rayon-core=1.9.3",
    "config=0.9.3",
    "handlebars=0.32.4",
    "hyper=0.10.16",
    "fd-find=7.0.0",
    "notify=4.0.17",
    "sysinfo=0.5.7",
    "tiny_http=0.6.2",
    "ws=0.9.2",
    "docopt=1.1.1",
    "walkdir=1.0.7",
    "watchexec=1.8.6",
    # Found by searching public code for `let x = Mutex::new(<literal>)` (clippy's `mutex_atomic` /
    # `mutex_integer` only look at `let`s and statics, so most crates never trigger them):
    "yui-core=0.4.0",
    "learn_rust_bugs=0.1.0",
    # Found through issues that quote clippy's `ptr_arg` warning (the versions before the fix):
    "dotenv-linter=3.0.0",
    "trajectory=0.0.1",
]


def not_hint(f):
    return f.get("severity") != "hint"


OWNERSHIP = {
    "mutex-of-primitive": {"lints": ["clippy::mutex_atomic", "clippy::mutex_integer"]},
    "borrowed-owned-param": {"lints": ["clippy::ptr_arg"]},
}
STATE = {
    "bool-params": {"lints": ["clippy::fn_params_excessive_bools"], "ours": not_hint},
    "option-option": {"lints": ["clippy::option_option"]},
}
RULES = {**OWNERSHIP, **STATE}

# Paths of files compiled only on other platforms (clippy runs on Linux; we read every file).
OTHER_PLATFORM = re.compile(r"(^|/)(windows|win32|macos|darwin|apple|fsevent|ios|android|freebsd|redox|wasm)[^/]*(/|\.rs$)")


def categorize(rule, kind, crate_dir, finding):
    """A documented category (docs/accuracy.md) for a finding only one side makes."""
    rel = finding.get("file", "")
    if OTHER_PLATFORM.search(rel):
        return "cfg-disabled code (other platform)"
    if kind == "boundary-lsp only":
        if rule == "borrowed-owned-param":
            applic = (finding.get("fix") or {}).get("applicability")
            if "Box<" in finding["message"].split("takes", 1)[-1][:20]:
                return f"`&Box<T>` (clippy: borrowed_box, not compared); fix {applic}"
            if applic == "unsafe":
                return "body uses the parameter in a way clippy cannot follow: fix offered as unsafe"
            param = re.match(r"parameter `(\w+)`", finding["message"])
            if applic == "safe" and param and for_loop_over(crate_dir, rel, finding.get("line", 0), param.group(1)):
                return "`for` loop over the parameter (clippy stops at the `IntoIterator` call); a slice iterates the same: fix safe"
        if rule == "mutex-of-primitive":
            if finding["message"].startswith("`Mutex<"):
                return "written type (field, signature, alias): clippy checks `Mutex::new` in `let`s/statics only"
            return "`Mutex::new(..)` not the whole value of a `let`/static (inside `Arc::new`, a struct literal)"
    return "unexplained"


def for_loop_over(crate_dir, rel, line, name):
    """Whether the body of the function declared at `line` of `rel` has `for .. in <name>`."""
    try:
        lines = open(os.path.join(crate_dir, rel), errors="replace").read().splitlines()
    except OSError:
        return False
    if not 0 < line <= len(lines):
        return False
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    body = []
    for text in lines[line - 1 :]:
        body.append(text)
        if text.rstrip() == indent + "}":  # the function's closing brace
            break
    body = "\n".join(body)
    return re.search(rf"\bfor\b[^\n]*\bin\s+&?{re.escape(name)}\b", body) is not None


def run(bin_path, crates, work):
    conf = os.path.join(work, "clippy-conf")
    os.makedirs(conf, exist_ok=True)
    with open(os.path.join(conf, "clippy.toml"), "w") as f:
        f.write("avoid-breaking-exported-api = false\n")
    env = {"CLIPPY_CONF_DIR": conf, "CARGO_TARGET_DIR": os.path.join(work, "target")}
    rows, details = cc.compare(
        bin_path, crates, work, rules=RULES, fetch_fn=up.fetch, clippy_kw={"level": "--force-warn", "env": env, "by_column": True}
    )
    # Our findings again, with their fixes, to put every difference in a category.
    ours = {}
    for key in crates:
        name, ver = key.split("=")
        d = os.path.join(work, f"{name}-{ver}")
        for v in cc.our_findings(bin_path, d, list(RULES)):
            ours[(key, v["rule"], f"{v['file']}:{v['line']}")] = v
    out = []
    for key, rule, kind, where, msg in details:
        name, ver = key.split("=")
        f = ours.get((key, rule, where), {"file": where.split(":")[0], "message": msg})
        cat = categorize(rule, kind, os.path.join(work, f"{name}-{ver}"), f)
        out.append((key, rule, kind, where, msg, cat))
    return rows, out


def section(title, rules, rows, details, crates):
    lints = {r: ", ".join(f"`{l}`" for l in s["lints"]) for r, s in rules.items()}
    out = [f"## {title}\n"]
    out.append(
        "`scripts/accuracy/rules_compare.sh` (real run, rustc/clippy 1.95, default features) runs `cargo clippy "
        "--lib --bins -- -A clippy::all --force-warn <lints>` with a `clippy.toml` saying "
        "`avoid-breaking-exported-api = false` (so clippy reports public API too, as we do) and `boundary-lsp "
        "check --format json --select <rules>` on the same crates from crates.io, and matches findings by file "
        "and line in the crate's `src/`. Recall = matched / clippy, precision = matched / ours. "
        "Crates: " + ", ".join(f"`{c.replace('=', ' ')}`" for c in crates) + ".\n"
    )
    out.append("| crate | rule | clippy lint | clippy | boundary-lsp | matched |")
    out.append("|---|---|---|---|---|---|")
    tot = defaultdict(lambda: [0, 0, 0])
    for key, _loc, rule, nt, no, m, _ex, _oc, _oo in rows:
        if rule not in rules:
            continue
        tot[rule][0] += nt
        tot[rule][1] += no
        tot[rule][2] += m
        if nt or no:
            out.append(f"| {key.replace('=', ' ')} | `{rule}` | {lints[rule]} | {nt} | {no} | {m} |")
    out.append("")
    out.append("Crates not listed have no finding of either side for these rules.\n")
    out.append("| rule | clippy | boundary-lsp | matched | recall | precision vs clippy |")
    out.append("|---|---|---|---|---|---|")
    for rule in rules:
        nt, no, m = tot[rule]
        rec = f"{m / nt:.3f}" if nt else "n/a"
        prec = f"{m / no:.3f}" if no else "n/a"
        out.append(f"| `{rule}` | {nt} | {no} | {m} | **{rec}** | {prec} |")
    out.append("")
    ds = [d for d in details if d[1] in rules]
    if ds:
        out.append("Every difference, with its category (explained below):\n")
        out.append("| crate | rule | kind | where | message | category |")
        out.append("|---|---|---|---|---|---|")
        for key, rule, kind, where, msg, cat in ds:
            msg = msg.replace("|", "\\|")
            out.append(f"| {key.replace('=', ' ')} | `{rule}` | {kind} | `{where}` | {msg} | {cat} |")
        out.append("")
    return "\n".join(out)


def write_section(path, title, text):
    doc = open(path).read() if os.path.exists(path) else "# Accuracy\n"
    # Replace the generated part (up to the first `###` or `##` heading) and keep hand-written notes.
    pat = re.compile(rf"^## {re.escape(title)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    if pat.search(doc):
        doc = pat.sub(lambda _: text + "\n", doc).rstrip() + "\n"
    else:
        doc = doc.rstrip() + "\n\n" + text
    with open(path, "w") as f:
        f.write(doc)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "boundary-lsp"))
    ap.add_argument("--work", default="/tmp/boundary-rules-compare")
    ap.add_argument("--crates", default=",".join(CRATES))
    ap.add_argument("--no-write", action="store_true", help="print the tables, do not touch docs/accuracy.md")
    a = ap.parse_args()
    crates = a.crates.split(",")
    os.makedirs(a.work, exist_ok=True)
    rows, details = run(os.path.abspath(a.bin), crates, a.work)
    own = section("Ownership rules vs clippy", OWNERSHIP, rows, details, crates)
    state = section("State rules vs clippy", STATE, rows, details, crates)
    print(own)
    print(state)
    if not a.no_write:
        path = os.path.join(REPO, "docs", "accuracy.md")
        write_section(path, "Ownership rules vs clippy", own)
        write_section(path, "State rules vs clippy", state)
        print("wrote docs/accuracy.md", file=sys.stderr)
    bad = sum(1 for d in details if d[5] == "unexplained")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
