#!/bin/bash
# Runs every editor test against the real server, then the negative variant (negative.sh).
# Usage: tests/editors/run_all.sh [--no-negative] [TEST...]
#   TEST: neovim-legacy neovim-current emacs-eglot helix vscode (default: all)
# Env: BOUNDARY_LSP (server command; default target/release|debug/boundary-lsp, else PATH), CI (a missing
#      editor fails instead of skipping), BOUNDARY_TEST_TIMEOUT (s per step, default 30)
# Logs: tests/editors/out/logs/. Ends with "editors: N passed, N failed, N skipped"; exits 1 if any failed.
set -u
ED=$(cd "$(dirname "$0")" && pwd)
OUT=${EDITOR_TEST_OUT:-$ED/out}
NEG=1
ALL=(neovim-legacy neovim-current emacs-eglot helix vscode)
SEL=()
for a in "$@"; do case $a in --no-negative) NEG=0 ;; *) SEL+=("$a") ;; esac; done
[ ${#SEL[@]} -eq 0 ] && SEL=("${ALL[@]}")
mkdir -p "$OUT/logs"
pass=0; fail=0; skip=0; failed=()

run_one() {
  case $1 in
    neovim-legacy) "$ED/neovim.sh" legacy ;;
    neovim-current) "$ED/neovim.sh" current ;;
    emacs-eglot) "$ED/emacs.sh" ;;
    helix) "$ED/helix.sh" ;;
    vscode) "$ED/vscode.sh" ;;
    *) echo "unknown editor test $1"; return 1 ;;
  esac
}

record() { # name rc log
  case $2 in
    0) pass=$((pass + 1)); echo "ok      $1"; tail -n 3 "$3" | sed 's/^/        /' ;;
    77) skip=$((skip + 1)); echo "skipped $1: $(grep -m1 '^SKIP' "$3" | sed 's/^SKIP: //')" ;;
    *) fail=$((fail + 1)); failed+=("$1"); echo "FAILED  $1 (rc=$2)"; tail -n 40 "$3" | sed 's/^/        /' ;;
  esac
}

for t in "${SEL[@]}"; do
  log=$OUT/logs/$t.log
  run_one "$t" > "$log" 2>&1 </dev/null
  record "$t" $? "$log"
done

if [ $NEG -eq 1 ]; then
  # each editor test must FAIL when the server exits at once (it must not pass without diagnostics)
  "$ED/negative.sh" "${SEL[@]}" > "$OUT/logs/negative.log" 2>&1 </dev/null
  record "negative (server exits at once => every editor test fails)" $? "$OUT/logs/negative.log"
fi

[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "editors: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
