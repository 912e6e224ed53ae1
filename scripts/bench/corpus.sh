#!/usr/bin/env bash
# Builds the benchmark corpus (>= 500k lines of crates.io sources) once; prints its folder.
#
# Usage: scripts/bench/corpus.sh [dir]      (default: $CORPUS or /tmp/boundary-bench-corpus)
#
# The corpus is the full dependency closure of a scratch project depending on big, real crates
# (fetched with `cargo fetch`, sources only; nothing is built or run), copied into one folder
# of crates (each with its own Cargo.toml, as in a monorepo without a root workspace).
# Used by scripts/bench/check.sh and scripts/bench-lsp.
set -euo pipefail
corpus=${1:-${CORPUS:-/tmp/boundary-bench-corpus}}
if [ ! -f "$corpus/.complete" ]; then
  echo "== building the corpus in $corpus" >&2
  scratch=$(mktemp -d)
  mkdir -p "$scratch/src"
  cat >"$scratch/Cargo.toml" <<'TOML'
[package]
name = "bench-corpus"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
syn = { version = "2", features = ["full", "visit", "visit-mut", "fold", "extra-traits"] }
tokio = { version = "1", features = ["full"] }
regex = "1"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
clap = { version = "4", features = ["derive"] }
hyper = { version = "1", features = ["full"] }
rustls = "0.23"
rayon = "1"
futures = "0.3"
tracing-subscriber = "0.3"
toml_edit = "0.22"
TOML
  echo 'fn main() {}' >"$scratch/src/main.rs"
  (cd "$scratch" && cargo fetch --quiet)
  rm -rf "$corpus" && mkdir -p "$corpus"
  (cd "$scratch" && cargo metadata --format-version 1 --quiet) | python3 -c '
import json, sys, os
for p in json.load(sys.stdin)["packages"]:
    if p["source"]:
        print(os.path.dirname(p["manifest_path"]))
' | sort -u | while read -r dir; do
    cp -r "$dir" "$corpus/"
  done
  rm -rf "$scratch"
  touch "$corpus/.complete"
fi
echo "$corpus"
