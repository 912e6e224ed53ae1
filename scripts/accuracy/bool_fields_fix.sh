#!/usr/bin/env bash
# Applies the `bool-fields` enum fix (unsafe) to every eligible struct of a workspace copy and
# checks that it still compiles: `cargo check` before and after.
# Usage: scripts/accuracy/bool_fields_fix.sh [WORKSPACE ...]   (default: tests/fixtures/demo)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet --locked
bin="$PWD/target/debug/boundary-lsp"
[ $# -eq 0 ] && set -- tests/fixtures/demo
status=0
for ws in "$@"; do
  tmp=$(mktemp -d)
  cp -r "$ws/." "$tmp/"
  rm -rf "$tmp/target"
  export CARGO_TARGET_DIR="$tmp/target"
  before=$( (cd "$tmp" && cargo check --quiet --offline >/dev/null 2>&1) && echo ok || echo FAIL)
  fixes=$("$bin" check "$tmp" --select bool-fields --format json 2>/dev/null | grep -c '"fix"' || true)
  "$bin" check "$tmp" --select bool-fields --fix --unsafe-fixes >/dev/null 2>&1 || true
  changed=$(cd "$tmp" && diff -r -q -x target "$OLDPWD/$ws" . | wc -l || true)
  after=$( (cd "$tmp" && cargo check --quiet --offline 2>&1 >/dev/null | grep -E '^error' ) && echo FAIL || echo ok)
  left=$("$bin" check "$tmp" --select bool-fields --format json 2>/dev/null | wc -l || true)
  echo "$ws: cargo check before=$before after=$after; findings with a fix=$fixes; files changed=$changed; bool-fields findings left=$left"
  [ "$after" = ok ] || { status=1; (cd "$tmp" && cargo check --offline 2>&1 | grep -E '^error' -A6 | head -40); }
  rm -rf "$tmp"
done
exit $status
