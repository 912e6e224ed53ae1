#!/usr/bin/env bash
# Per-rule cost of `boundary-lsp check` on the benchmark corpus (see check.sh): for every rule,
# `check --select <rule>` on one thread, CPU time (user+sys) median of N runs, minus the
# baseline `--select static-mut` (walk, read, parse, summary, one trivial rule).
#
# Usage: scripts/bench/rules.sh [runs]     (env: CORPUS=dir, BIN=path to a release binary)
# Prints a markdown table, slowest rule first.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
corpus=${CORPUS:-/tmp/boundary-bench-corpus}
bin=${BIN:-$PWD/target/release/boundary-lsp}
[ -x "$bin" ] || cargo build --release --locked --quiet
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

cpu() { # median CPU seconds of `check` with the given extra arguments
  local v=()
  for _ in $(seq 1 "$runs"); do
    RAYON_NUM_THREADS=1 /usr/bin/time -f '%U %S' -o "$tmp" "$bin" check "$corpus" \
      --format json --fail-on never "$@" >/dev/null 2>&1 || true
    v+=("$(awk '{print $1 + $2}' "$tmp")")
  done
  printf '%s\n' "${v[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

base=$(cpu --select static-mut)
all=$(cpu)
ids=$("$bin" rules | awk 'NR > 1 && NF > 1 && $1 ~ /^[a-z-]+$/ && $1 != "internal-error" {print $1}')
{
  for id in $ids; do
    [ "$id" = static-mut ] && continue
    t=$(cpu --select "$id")
    python3 -c "print(f'| \`$id\` | {$t:.2f} s | {$t - $base:+.2f} s | {($t - $base) / $base * 100:+.1f}% |')"
  done
} | sort -t'|' -k4 -g -r >"$tmp.rows"
echo "| rule (\`--select\`) | CPU, 1 thread | over baseline | over baseline, % |"
echo "|---|---|---|---|"
python3 -c "print(f'| baseline: \`static-mut\` only | {$base:.2f} s | | |')"
cat "$tmp.rows"
python3 -c "print(f'| all default rules | {$all:.2f} s | {$all - $base:+.2f} s | {($all - $base) / $base * 100:+.1f}% |')"
rm -f "$tmp.rows"
