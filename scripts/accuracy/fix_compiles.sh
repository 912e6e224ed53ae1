#!/usr/bin/env bash
# Fix safety: applies fixes to copies of real crates and checks they still compile.
#   1. `check --fix --select borrowed-owned-param` (safe fixes only) on crates from crates.io;
#   2. `check --fix --unsafe-fixes --select bool-fields` (the enum fix) on the demo workspace and
#      on the same crates.
# For each: `cargo check` on the copy before, the fix, `cargo check` after, and a second `check`
# counting the findings of that rule left. Prints one markdown table row per (workspace, rule).
# Exit 1 when a fix breaks a build that passed before.
#
# Usage: scripts/accuracy/fix_compiles.sh [--work DIR] [name=version ...]
#   (default crates: those of rules_compare.py with a borrowed-owned-param finding, and the three
#    crates of bool_fields_scan.py's list where the `bool-fields` enum fix is offered; a workspace with
#    no fix to apply gets a row but no `cargo check`)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=/tmp/boundary-fix-compiles
if [ "${1:-}" = "--work" ]; then work=$2; shift 2; fi
[ $# -eq 0 ] && set -- fd-find=7.0.0 handlebars=0.32.4 hyper=0.10.16 notify=4.0.17 config=0.9.3 sysinfo=0.5.7 clap=2.34.0 xsv=0.13.0 \
  dotenv-linter=3.0.0 trajectory=0.0.1 mysql=28.0.4 ggez=0.10.0 isideload-vfs=0.0.1
cargo build --release --locked --quiet
bin="$repo/target/release/boundary-lsp"
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"   # shared: dependencies are built once

# Fetch the crates (libraries through cargo, binaries from the download cache).
python3 - "$work" "$@" <<'EOF'
import sys
sys.path.insert(0, "scripts/accuracy")
import unreachable_pub as up
up.fetch(sys.argv[2:], sys.argv[1])
EOF
# Download their dependencies now: the `cargo check`s below run offline (a missing download must not
# read as a build failure).
for c in "$@"; do (cd "$work/${c/=/-}" && cargo fetch --quiet) || true; done

count_fixes() { # count_fixes <dir> <rule> [--unsafe-fixes]: findings with a fix that --fix would apply
  "$bin" check "$1" --select "$2" --format json --fail-on never 2>/dev/null | python3 -c '
import sys, json
ok = ("safe", "unsafe") if len(sys.argv) > 1 else ("safe",)
print(sum(1 for l in sys.stdin if (json.loads(l).get("fix") or {}).get("applicability") in ok))' "${@:3}"
}
cargo_ok() { (cd "$1" && cargo check --quiet --offline >/dev/null 2>&1) && echo passes || echo fails; }

status=0
echo "| workspace | rule | fixes applied | \`cargo check\` before | \`cargo check\` after | fixable findings left |"
echo "|---|---|---|---|---|---|"
run() { # run <label> <source dir> <rule> <extra fix flags...>
  local label=$1 src=$2 rule=$3; shift 3
  local tmp="$work/fix-$rule-$(basename "$src")"
  rm -rf "$tmp"; cp -r "$src" "$tmp"; rm -rf "$tmp/target"
  local n; n=$(count_fixes "$tmp" "$rule" "$@")
  local before=- after=-
  if [ "$n" != 0 ]; then
    before=$(cargo_ok "$tmp")
    "$bin" check "$tmp" --select "$rule" --fix "$@" --fail-on never >/dev/null 2>&1 || true
    after=$(cargo_ok "$tmp")
  fi
  local left; left=$(count_fixes "$tmp" "$rule" "$@")
  echo "| $label | \`$rule\` | $n | $before | $after | $left |"
  if [ "$before" = passes ] && [ "$after" = fails ]; then
    status=1
    (cd "$tmp" && cargo check --offline 2>&1 | grep -E "^error" -A8 | head -30) >&2 || true
  fi
}

for c in "$@"; do
  d="$work/${c/=/-}"
  run "${c/=/ }" "$d" borrowed-owned-param
  run "${c/=/ }" "$d" bool-fields --unsafe-fixes
done
run "tests/fixtures/demo" "$repo/tests/fixtures/demo" bool-fields --unsafe-fixes
exit $status
