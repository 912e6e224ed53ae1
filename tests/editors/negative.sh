#!/bin/bash
# Negative variant: every editor test, pointed at a server command that exits at once, must FAIL.
# Proves the tests cannot pass without the server's diagnostics. Exits 0 when every test failed as it
# should, 1 when one passed (or failed for another reason: a missing editor), 77 when all were skipped.
# Usage: tests/editors/negative.sh [TEST...]   (same names as run_all.sh)
# Env: NEGATIVE_MODE=--no-diagnostics: a server that initializes but never publishes (also must fail)
set -u
ED=$(cd "$(dirname "$0")" && pwd)
export BOUNDARY_LSP="python3 $ED/fake_server.py ${NEGATIVE_MODE:---exit-at-once}"
export BOUNDARY_TEST_TIMEOUT=${NEGATIVE_TIMEOUT:-5}
export EDITOR_TEST_OUT=$ED/out/negative
VSIX=$ED/../../vscode-extension/boundary-lsp.vsix
[ -f "$VSIX" ] && export BOUNDARY_VSIX=$VSIX   # reuse the .vsix the positive run packaged
SEL=("$@"); [ ${#SEL[@]} -eq 0 ] && SEL=(neovim-legacy neovim-current emacs-eglot helix vscode)
mkdir -p "$EDITOR_TEST_OUT"
ok=0; bad=0; skipped=0
for t in "${SEL[@]}"; do
  case $t in
    neovim-legacy) c=("$ED/neovim.sh" legacy) ;; neovim-current) c=("$ED/neovim.sh" current) ;;
    emacs-eglot) c=("$ED/emacs.sh") ;; helix) c=("$ED/helix.sh") ;; vscode) c=("$ED/vscode.sh") ;;
    *) echo "unknown test $t"; bad=$((bad + 1)); continue ;;
  esac
  "${c[@]}" > "$EDITOR_TEST_OUT/$t.log" 2>&1 </dev/null
  rc=$?
  case $rc in
    1) ok=$((ok + 1)); echo "ok: $t fails against the fake server (${NEGATIVE_MODE:---exit-at-once}): $(grep -m1 -E 'FAIL' "$EDITOR_TEST_OUT/$t.log")" ;;
    77) skipped=$((skipped + 1)); echo "skipped: $t ($(grep -m1 '^SKIP' "$EDITOR_TEST_OUT/$t.log"))" ;;
    0) bad=$((bad + 1)); echo "WRONG: $t PASSED against the fake server (${NEGATIVE_MODE:---exit-at-once})" ;;
    *) bad=$((bad + 1)); echo "WRONG: $t exited $rc (not a test failure):"; tail -5 "$EDITOR_TEST_OUT/$t.log" ;;
  esac
done
echo "negative: $ok failed as they should, $bad wrong, $skipped skipped"
[ $bad -gt 0 ] && exit 1
[ $ok -eq 0 ] && [ $skipped -gt 0 ] && exit 77
exit 0
