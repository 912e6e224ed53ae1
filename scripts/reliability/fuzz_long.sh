#!/usr/bin/env bash
# Long fuzz run of the analysis pipeline (issue 10), for docs/reliability.md.
#
#   scripts/reliability/fuzz_long.sh [SECONDS] [LOG_DIR]
#
# Builds tests/e2e/fuzz.rs in release mode and runs its properties in rounds of
# $BOUNDARY_FUZZ_CASES cases each (default 20000) until SECONDS (default 3600) have passed,
# with the cargo registry's sources added to the corpus. A failing round keeps its log
# (proptest prints the minimal failing input) and the run goes on. A case slower than
# $BOUNDARY_FUZZ_CASE_SECS (default 20 s) fails its round and its input files are written under
# $BOUNDARY_FUZZ_DUMP (default LOG_DIR/slow). Prints a summary table; the cases of a failed
# round are not counted (it stops at its failing case).
set -euo pipefail
seconds=${1:-3600}
logs=${2:-/tmp/boundary-fuzz-long}
cases=${BOUNDARY_FUZZ_CASES:-20000}
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$logs"
cd "$here/server"
# The fuzz test's executable (the artifact list also holds the `boundary-lsp` binary, in an
# order that varies).
bin=$(cargo test --release --test fuzz --no-run --message-format=json 2>/dev/null |
  grep '"kind":\["test"\]' | grep '"name":"fuzz"' |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] && "$bin" --list 2>/dev/null | grep -q '^mutated_real_files: test' ||
  { echo "could not build the fuzz target (got: '$bin')" >&2; exit 1; }
export BOUNDARY_FUZZ_REGISTRY=1 BOUNDARY_FUZZ_STATS=1 BOUNDARY_FUZZ_CASES=$cases
export BOUNDARY_FUZZ_DUMP=${BOUNDARY_FUZZ_DUMP:-$logs/slow}
start=$(date +%s)
round=0
declare -A runs=() fails=() cases_done=()
# Once: every corpus file unmutated.
"$bin" --exact real_files_unmutated --nocapture --test-threads 1 >"$logs/unmutated.log" 2>&1 &&
  echo "unmutated corpus: ok ($(grep -m1 'fuzz corpus' "$logs/unmutated.log"))" ||
  echo "unmutated corpus: FAILED (see $logs/unmutated.log)"
props=(mutated_real_files mutated_real_files token_soups arbitrary_strings arbitrary_bytes incremental_reparse)
while [ $(( $(date +%s) - start )) -lt "$seconds" ]; do
  for p in "${props[@]}"; do
    round=$((round + 1))
    log="$logs/round-$round-$p.log"
    if "$bin" --exact "$p" --nocapture --test-threads 1 >"$log" 2>&1; then
      rm -f "$log"
      cases_done[$p]=$(( ${cases_done[$p]:-0} + cases ))
    else
      fails[$p]=$(( ${fails[$p]:-0} + 1 ))
      echo "round $round: $p FAILED, log kept: $log"
    fi
    runs[$p]=$(( ${runs[$p]:-0} + 1 ))
    [ $(( $(date +%s) - start )) -lt "$seconds" ] || break
  done
done
elapsed=$(( $(date +%s) - start ))
echo
echo "| property | rounds | cases (passed rounds) | failed rounds |"
echo "|---|---:|---:|---:|"
total=0
for p in mutated_real_files token_soups arbitrary_strings arbitrary_bytes incremental_reparse; do
  echo "| $p | ${runs[$p]:-0} | ${cases_done[$p]:-0} | ${fails[$p]:-0} |"
  total=$(( total + ${cases_done[$p]:-0} ))
done
echo
echo "total: $total cases in ${elapsed}s ($(nproc) cores, shared), logs in $logs"
