#!/usr/bin/env python3
"""Compares boundary-lsp's `unreachable-pub` with rustc's `unreachable_pub` lint and its
`unwrap-in-lib` with clippy's `unwrap_used` + `expect_used`, on real crates from crates.io, then
checks that the fixes are safe. Writes the tables into docs/accuracy.md.

For each crate (fetched and copied by clippy_compare.py's `fetch`; a crate with no library target,
which cargo cannot fetch as a dependency, is unpacked from cargo's download cache):

  cargo clippy --message-format json --lib --bins -- -A clippy::all --force-warn unreachable_pub
               --force-warn clippy::unwrap_used --force-warn clippy::expect_used

(`--force-warn`: a crate's own `#![allow(warnings)]` would hide the lint otherwise.)
  boundary-lsp check <crate> --format json --select unreachable-pub,unwrap-in-lib --fail-on never

Findings are matched by (rule, file, line): rustc puts `unreachable_pub` on the `pub` token, as we
do; clippy puts `unwrap_used` on the call expression, whose last line is the line of our
`.unwrap()` (a method chain can span lines). Only the crate's own `src/` is compared; `unwrap`
only in the library target (the rule checks libraries only), `unreachable_pub` in lib and bins.
Default features.

Fix safety (unless --no-fix): for each crate, a copy with `check --fix --select unreachable-pub`
applied, and another with `check --fix --unsafe-fixes --select narrowable-pub`, must still pass
`cargo check --all-targets` (the original is checked first; when it fails there, say because a
published package lacks files its tests need, the first of `cargo check --lib --bins --tests` and
`cargo check --lib --bins` that passes on the original is used before and after the fix), and a
second `check` must find no finding of that rule left.

Usage: scripts/accuracy/unreachable_pub.py [--bin target/release/boundary-lsp] [--work DIR]
                                           [--crates name=version,...] [--no-write] [--no-fix]
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import clippy_compare as cc  # noqa: E402  (the corpus fetcher and helpers)

REPO = cc.REPO

# Libraries of different ages and styles (older versions: never linted for `unreachable_pub`),
# and an application with many modules and no library target.
CRATES = [
    "clap=2.34.0",
    "tar=0.4.38",
    "xml-rs=0.8.4",
    "regex-syntax=0.6.29",
    "toml=0.5.11",
    "getopts=0.2.21",
    "miniz_oxide=0.4.4",
    "xsv=0.13.0",
]

# rule id -> (rustc/clippy lint codes, targets compared)
RULES = {
    "unreachable-pub": {"lints": ["unreachable_pub"], "targets": {"lib", "bin"}},
    "unwrap-in-lib": {"lints": ["clippy::unwrap_used", "clippy::expect_used"], "targets": {"lib"}},
}
FIX_RULES = [("unreachable-pub", False), ("narrowable-pub", True)]


def fetch(crates, work):
    """clippy_compare's fetch, plus binary-only crates unpacked from cargo's download cache."""
    libs, bins = [], []
    for c in crates:
        name, ver = c.split("=")
        dst = os.path.join(work, f"{name}-{ver}")
        (libs if not is_bin_only(name, ver, work) else bins).append(c)
    dirs = cc.fetch(libs, work) if libs else {}
    for c in bins:
        name, ver = c.split("=")
        dst = os.path.join(work, f"{name}-{ver}")
        if not os.path.exists(dst):
            archive = registry_archive(name, ver)
            with tarfile.open(archive) as t:
                t.extractall(work, filter="data")
            with open(os.path.join(dst, "Cargo.toml"), "a") as f:
                f.write("\n[workspace]\n")
        dirs[c] = dst
    return dirs


def registry_archive(name, ver):
    found = glob.glob(os.path.expanduser(f"~/.cargo/registry/cache/*/{name}-{ver}.crate"))
    return found[0] if found else None


def is_bin_only(name, ver, work):
    """A crate cargo cannot take as a dependency: fetch it once through a scratch project (cargo
    downloads it, then ignores it), and look at its archive."""
    if os.path.exists(os.path.join(work, f"{name}-{ver}")):
        d = os.path.join(work, f"{name}-{ver}")
        return not os.path.exists(os.path.join(d, "src", "lib.rs")) and "[lib]" not in open(os.path.join(d, "Cargo.toml")).read()
    archive = registry_archive(name, ver)
    if archive is None:
        scratch = os.path.join(work, f"scratch-{name}")
        os.makedirs(os.path.join(scratch, "src"), exist_ok=True)
        with open(os.path.join(scratch, "Cargo.toml"), "w") as f:
            f.write(f'[package]\nname = "s"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n{name} = "={ver}"\n')
        open(os.path.join(scratch, "src", "lib.rs"), "w").close()
        cc.run(["cargo", "fetch", "--quiet"], cwd=scratch, check=False)
        archive = registry_archive(name, ver)
    if archive is None:
        raise SystemExit(f"cannot fetch {name} {ver}")
    with tarfile.open(archive) as t:
        names = t.getnames()
        manifest = t.extractfile(f"{name}-{ver}/Cargo.toml").read().decode()
    return f"{name}-{ver}/src/lib.rs" not in names and "[lib]" not in manifest


def cargo_env(work):
    # One target directory for the corpus: dependencies are built once.
    return {**os.environ, "CARGO_TARGET_DIR": os.path.join(work, "target")}


def compiler_findings(crate_dir, work):
    lint_to_rule = {lint: rule for rule, spec in RULES.items() for lint in spec["lints"]}
    has_lib = os.path.exists(os.path.join(crate_dir, "src", "lib.rs")) or "[lib]" in open(os.path.join(crate_dir, "Cargo.toml")).read()
    args = ["cargo", "clippy", "--quiet", "--message-format", "json", *(["--lib"] if has_lib else []), "--bins", "--", "-A", "clippy::all"]
    for lint in lint_to_rule:
        # --force-warn: a crate's own `#![allow(warnings)]` must not hide what is compared.
        args += ["--force-warn", lint]
    p = cc.run(args, cwd=crate_dir, check=False, env=cargo_env(work))
    out, seen = [], set()
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
        rule = lint_to_rule[code]
        kinds = set(msg["target"]["kind"])
        if not kinds & RULES[rule]["targets"]:
            continue
        span = next((s for s in m["spans"] if s["is_primary"]), None)
        if not span or os.path.isabs(span["file_name"]) or not cc.in_scope(span["file_name"]):
            continue
        # A span inside a macro expansion: the call site is where a reader sees it.
        line_no = span["line_end"] if rule == "unwrap-in-lib" else span["line_start"]
        key = (rule, span["file_name"], line_no)
        if key in seen:  # lib and bin share modules, a line can hold two calls
            continue
        seen.add(key)
        out.append({"rule": rule, "file": span["file_name"], "line": line_no, "message": m["message"]})
    if p.returncode != 0 and not out:
        sys.stderr.write(p.stderr[-2000:])
        raise SystemExit(f"cargo clippy failed in {crate_dir}")
    return out


def our_findings(bin_path, crate_dir, rules):
    out, seen = [], set()
    for f in cc.our_findings(bin_path, crate_dir, rules):
        key = (f["rule"], f["file"], f["line"])
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def compare(bin_path, dirs, crates, work):
    rows, details = [], []
    for key in crates:
        d = dirs[key]
        print(f"== {key}", file=sys.stderr)
        theirs = compiler_findings(d, work)
        ours = our_findings(bin_path, d, list(RULES))
        for rule in RULES:
            t = {(f["file"], f["line"]): f for f in theirs if f["rule"] == rule}
            o = {(f["file"], f["line"]): f for f in ours if f["rule"] == rule}
            matched = len(t.keys() & o.keys())
            only_t = sorted(t.keys() - o.keys())
            only_o = sorted(o.keys() - t.keys())
            rows.append((key, rule, len(t), len(o), matched))
            for k in only_t:
                details.append((key, rule, "compiler only", f"{k[0]}:{k[1]}", t[k]["message"]))
            for k in only_o:
                details.append((key, rule, "boundary-lsp only", f"{k[0]}:{k[1]}", o[k]["message"]))
    return rows, details


def count(bin_path, crate_dir, rule):
    return len([f for f in cc.our_findings(bin_path, crate_dir, [rule]) if f["rule"] == rule])


# The checks tried on the original, widest first; the first that passes checks the fixed copies.
CHECKS = [["--all-targets"], ["--lib", "--bins", "--tests"], ["--lib", "--bins"]]


def cargo_check(crate_dir, work, targets):
    has_lib = os.path.exists(os.path.join(crate_dir, "src", "lib.rs")) or "[lib]" in open(os.path.join(crate_dir, "Cargo.toml")).read()
    if not has_lib:
        targets = [t for t in targets if t != "--lib"]
    p = cc.run(["cargo", "check", "--quiet", *targets, "--message-format", "short"], cwd=crate_dir, check=False, env=cargo_env(work))
    errors = [l for l in p.stderr.splitlines() if ": error" in l or l.startswith("error")]
    return p.returncode == 0, errors


def fix_safety(bin_path, dirs, crates, work):
    rows = []
    for key in crates:
        d = dirs[key]
        print(f"== fix {key}", file=sys.stderr)
        # `--all-targets` can fail before any fix: a published package can lack files its tests
        # need (tar's `tests/archives`), a test can use what a newer rustc rejects (xml-rs), a bench
        # `#![feature]` (regex-syntax). Then fewer targets are checked, and the table says which.
        for targets in CHECKS:
            before_ok, before_err = cargo_check(d, work, targets)
            if before_ok:
                break
            for e in before_err[:3]:
                print(f"   original, {' '.join(targets)}: {e}", file=sys.stderr)
        for rule, unsafe in FIX_RULES:
            fixed = f"{d}-fix-{rule}"
            if os.path.exists(fixed):
                shutil.rmtree(fixed)
            shutil.copytree(d, fixed, ignore=shutil.ignore_patterns("target"))
            n = count(bin_path, fixed, rule)
            cmd = [bin_path, "check", fixed, "--quiet", "--fail-on", "never", "--fix", "--select", rule]
            if unsafe:
                cmd.append("--unsafe-fixes")
            cc.run(cmd)
            after_ok, after_err = cargo_check(fixed, work, targets) if before_ok else (None, [])
            left = count(bin_path, fixed, rule)
            rows.append((key, rule, before_ok, targets, n, after_ok, left, after_err[:5]))
            for e in after_err[:5]:
                print(f"   {e}", file=sys.stderr)
    return rows


def pr(t, m, o):
    p = m / o if o else 1.0
    r = m / t if t else 1.0
    return p, r


def markdown(rows, details, fixes, crates, dirs):
    out = ["## unreachable-pub vs rustc\n"]
    out.append(
        "`scripts/accuracy/unreachable_pub.sh` runs `cargo clippy --lib --bins -- -A clippy::all --force-warn unreachable_pub "
        "--force-warn clippy::unwrap_used --force-warn clippy::expect_used` (rustc 1.95, default features) and `boundary-lsp check "
        "--format json --select unreachable-pub,unwrap-in-lib` on the same crates from crates.io, and matches "
        "findings by (file, line) in the crate's `src/`. `unwrap-in-lib` is compared in the library target only "
        "(the rule does not check binaries). Precision = matched / ours, recall = matched / theirs. Crates: "
        + ", ".join(f"`{c.replace('=', ' ')}`" for c in crates)
        + " (`xsv` is an application: a binary with many modules and no library).\n"
    )
    out.append("| crate | lines (src/) | rule | compiler | boundary-lsp | matched | precision | recall |")
    out.append("|---|---|---|---|---|---|---|---|")
    tot = {}
    for key, rule, nt, no, m in rows:
        loc = sum(
            sum(1 for _ in open(os.path.join(r, f), errors="replace"))
            for r, _, fs in os.walk(os.path.join(dirs[key], "src"))
            for f in fs
            if f.endswith(".rs")
        )
        p, r = pr(nt, m, no)
        out.append(f"| {key.replace('=', ' ')} | {loc} | `{rule}` | {nt} | {no} | {m} | {p:.3f} | {r:.3f} |")
        t = tot.setdefault(rule, [0, 0, 0])
        t[0] += nt
        t[1] += no
        t[2] += m
    for rule, (nt, no, m) in tot.items():
        p, r = pr(nt, m, no)
        out.append(f"| **total** | | `{rule}` | {nt} | {no} | {m} | **{p:.3f}** | **{r:.3f}** |")
    out.append("")
    if details:
        out.append("Every difference (the categories are explained below):\n")
        out.append("| crate | rule | kind | where | message |")
        out.append("|---|---|---|---|---|")
        for key, rule, kind, where, msg in details:
            msg = msg.replace("|", "\\|")
            out.append(f"| {key.replace('=', ' ')} | `{rule}` | {kind} | `{where}` | {msg} |")
        out.append("")
    if fixes:
        out.append("### Fix safety\n")
        out.append(
            "Each crate copied, `check --fix --select unreachable-pub` (safe fixes) or `check --fix --unsafe-fixes "
            "--select narrowable-pub` applied, then `cargo check --all-targets` (it passed on the original first), "
            "and a second `check` counts what is left. When `--all-targets` fails on the original (a published "
            "package can lack files its tests need, a test can use what rustc 1.95 rejects, a bench `#![feature]`), "
            "`cargo check --lib --bins --tests`, else `cargo check --lib --bins`, is used instead, before and after "
            "the fix, and the row says which.\n"
        )
        out.append("| crate | rule | findings fixed | `cargo check` after | left after the fix |")
        out.append("|---|---|---|---|---|")
        for key, rule, before_ok, targets, n, after_ok, left, errs in fixes:
            if not before_ok:
                status = "original fails (" + ", ".join(f"`{' '.join(c)}`" for c in CHECKS) + ")"
            else:
                status = "passes" if after_ok else "**fails**: " + "; ".join(e.replace("|", "\\|") for e in errs)
                if targets != CHECKS[0]:
                    failed = CHECKS[: CHECKS.index(targets)]
                    status += f" (`{' '.join(targets)}`; " + ", ".join(f"`{' '.join(c)}`" for c in failed) + (" fails" if len(failed) == 1 else " fail") + " on the original)"
            out.append(f"| {key.replace('=', ' ')} | `{rule}` | {n} | {status} | {left} |")
        out.append("")
    return "\n".join(out)


def write_section(path, section):
    text = open(path).read() if os.path.exists(path) else "# Accuracy\n"
    # Keep the hand-written explanation (### Differences ...) that follows the generated part.
    pat = re.compile(r"^## unreachable-pub vs rustc\n.*?(?=^### Differences|^## |\Z)", re.S | re.M)
    if pat.search(text):
        text = pat.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "boundary-lsp"))
    ap.add_argument("--work", default="/tmp/boundary-unreachable-pub")
    ap.add_argument("--crates", default=",".join(CRATES))
    ap.add_argument("--no-write", action="store_true", help="print the tables, do not touch docs/accuracy.md")
    ap.add_argument("--no-fix", action="store_true", help="skip the fix-safety part")
    a = ap.parse_args()
    crates = a.crates.split(",")
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    bin_path = os.path.abspath(a.bin)
    dirs = fetch(crates, work)
    rows, details = compare(bin_path, dirs, crates, work)
    fixes = [] if a.no_fix else fix_safety(bin_path, dirs, crates, work)
    section = markdown(rows, details, fixes, crates, dirs)
    print(section)
    if not a.no_write:
        write_section(os.path.join(REPO, "docs", "accuracy.md"), section)
        print("wrote docs/accuracy.md", file=sys.stderr)
    bad = any(r[5] is False or r[6] for r in fixes)
    totals = {}
    for _, rule, nt, no, m in rows:
        t = totals.setdefault(rule, [0, 0, 0])
        t[0], t[1], t[2] = t[0] + nt, t[1] + no, t[2] + m
    for rule, (nt, no, m) in totals.items():
        p, r = pr(nt, m, no)
        print(f"{rule}: precision {p:.3f} recall {r:.3f}", file=sys.stderr)
        bad |= p < 0.95 or r < 0.85
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
