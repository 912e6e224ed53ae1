#!/usr/bin/env bash
# Builds boundary-lsp (release), compares unreachable-pub with rustc's unreachable_pub and
# unwrap-in-lib with clippy's unwrap_used/expect_used on real crates, checks that the fixes keep
# them compiling, and writes docs/accuracy.md. Exit 1 when below target or a fix breaks a build.
# Arguments go to the python script.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
exec python3 scripts/accuracy/unreachable_pub.py --bin target/release/boundary-lsp "$@"
