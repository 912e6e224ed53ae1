#!/usr/bin/env python3
"""Scans crate sources for `bool-fields` findings and counts the groups of flags that look
mutually exclusive and the enum fixes offered (docs/accuracy.md, "bool-fields on real crates").

  boundary-lsp check <crate> --select bool-fields --format json --fail-on never

on each crate directory; prints one line per crate with a group, every such finding (with `fix`
when the unsafe enum fix is offered), and the totals.

Usage: scripts/accuracy/bool_fields_scan.py [--bin target/release/boundary-lsp]
           [--crates scripts/accuracy/bool_fields_crates.txt --work DIR] [CRATE_DIR ...]
  --crates: fetch the listed name=version crates with cargo into --work first (one at a time,
            through unreachable_pub.py's fetch) and scan them; CRATE_DIRs are scanned as they are
            (e.g. the unpacked sources under ~/.cargo/registry/src/*/).
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def scan(bin_, d):
    p = subprocess.run(
        [bin_, "check", d, "--select", "bool-fields", "--format", "json", "--fail-on", "never"],
        capture_output=True, text=True, check=False,
    )
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/boundary-lsp")
    ap.add_argument("--crates")
    ap.add_argument("--work", default="/tmp/boundary-bool-scan")
    ap.add_argument("dirs", nargs="*")
    a = ap.parse_args()
    dirs = list(a.dirs)
    if a.crates:
        import unreachable_pub as up
        os.makedirs(a.work, exist_ok=True)
        for line in open(a.crates):
            c = line.strip()
            if not c or c.startswith("#"):
                continue
            try:
                dirs.append(up.fetch([c], a.work)[c])
            except (SystemExit, Exception) as e:  # a crate cargo cannot fetch is reported, not fatal
                print(f"cannot fetch {c}: {e}", file=sys.stderr)
    total = exclusive = fixes = 0
    with_group = []
    for d in dirs:
        fs = scan(a.bin, d)
        total += len(fs)
        ex = [f for f in fs if "look mutually exclusive" in f["message"]]
        exclusive += len(ex)
        fixes += sum(1 for f in ex if f.get("fix"))
        if ex:
            with_group.append(os.path.basename(os.path.normpath(d)))
            for f in ex:
                tag = "fix" if f.get("fix") else "   "
                print(f"{tag} {os.path.basename(os.path.normpath(d))} {f['file']}:{f['line']}: {f['message']}")
    print(f"{len(dirs)} crate directories, {total} findings, {exclusive} with a group of exclusive-looking "
          f"flags in {len(with_group)} crate directories ({', '.join(with_group) or '-'}), {fixes} enum fixes offered")


if __name__ == "__main__":
    main()
