#!/usr/bin/env bash
# Builds boundary-lsp (release) and compares the ownership/state rules with clippy on real crates;
# writes docs/accuracy.md. Exit 1 when a difference is not in a documented category.
# Arguments go to the python script.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
exec python3 scripts/accuracy/rules_compare.py --bin target/release/boundary-lsp "$@"
