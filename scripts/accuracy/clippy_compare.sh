#!/usr/bin/env bash
# Builds boundary-lsp (release) and compares its findings with clippy's on real crates; writes
# docs/accuracy.md. Exit 1 when a difference is not explained. Arguments go to the python script.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
exec python3 scripts/accuracy/clippy_compare.py --bin target/release/boundary-lsp "$@"
