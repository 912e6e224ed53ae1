# Shared helpers for the editor tests (sourced). Every test:
#   * resolves the server command: $BOUNDARY_LSP (a command, words split on spaces) if set, else the repo's
#     target/release/boundary-lsp, else target/debug/boundary-lsp, else `boundary-lsp` on PATH;
#   * copies tests/editors/ws to tests/editors/out/<test>/ws (the pristine fixture is never modified);
#   * puts a `boundary-lsp` shim first on PATH that runs that command, so the shipped editor configs in
#     editors/ are exercised verbatim (they all run plain `boundary-lsp`);
#   * exits 0 = pass, 1 = fail, 77 = skipped because an editor or the server is missing (outside CI), 2 = the
#     same but with CI set, where a missing editor is a failure.
ED=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$ED/../.." && pwd)
PREFIX=${BOUNDARY_EDITORS:-/opt/boundary-editors}
OUT_ROOT=${EDITOR_TEST_OUT:-$ED/out}
# seconds to wait for each step (diagnostics, code action, ...)
STEP_TIMEOUT=${BOUNDARY_TEST_TIMEOUT:-30}
STATIC_LINE='pub static mut COUNTER: u32 = 0;'
ALLOW_LINE='// boundary: allow(static-mut)'

in_ci() { case "${CI:-}" in ""|0|false|no) return 1 ;; *) return 0 ;; esac; }
skip_or_fail() {
  if in_ci; then echo "FAIL: $* (CI is set: a missing editor or server is a failure)"; exit 2
  else echo "SKIP: $*"; exit 77; fi
}

resolve_server() {
  if [ -n "${BOUNDARY_LSP:-}" ]; then SERVER_CMD=$BOUNDARY_LSP; return 0; fi
  local b
  for b in "$REPO/target/release/boundary-lsp" "$REPO/target/debug/boundary-lsp"; do
    if [ -x "$b" ]; then SERVER_CMD=$b; return 0; fi
  done
  if b=$(command -v boundary-lsp); then SERVER_CMD=$b; return 0; fi
  skip_or_fail "no boundary-lsp server: run 'cargo build --release' or set BOUNDARY_LSP"
}

# setup_test NAME: fresh $T (output dir), $WS (workspace copy), $FILE (src/lib.rs), shim on PATH.
setup_test() {
  TEST_NAME=$1
  resolve_server
  T=$OUT_ROOT/$TEST_NAME
  rm -rf "$T"; mkdir -p "$T/bin"
  cp -r "$ED/ws" "$T/ws"
  WS=$T/ws; FILE=$WS/src/lib.rs
  # its own git repo, like a user's project: editors that take the VCS root as the project root stop here
  git init -q "$WS"
  {
    echo '#!/bin/sh'
    echo "# test shim: runs the server under test (BOUNDARY_LSP or the repo's build); stderr to server.log"
    # one-shot CLI commands (e.g. `graph`, run by the VS Code extension) keep their stderr: it is shown to the user
    # shellcheck disable=SC2086
    printf 'case "$1" in check|graph|rules) exec'; printf ' %q' $SERVER_CMD; printf ' "$@" ;; esac\n'
    # shellcheck disable=SC2086
    printf 'exec'; printf ' %q' $SERVER_CMD; printf ' "$@" 2>>%q\n' "$T/server.log"
  } > "$T/bin/boundary-lsp"
  chmod +x "$T/bin/boundary-lsp"
  SHIM=$T/bin/boundary-lsp
  export PATH="$T/bin:$PATH"
  echo "[$TEST_NAME] server: $SERVER_CMD   workspace: $WS"
}

# check_allow_inserted FILE: the allow comment sits right above the static, nothing else changed
check_allow_inserted() {
  local f=$1
  local want
  want=$(sed "s|^$STATIC_LINE\$|$ALLOW_LINE\n$STATIC_LINE|" "$ED/ws/src/lib.rs")
  if [ "$(cat "$f")" = "$want" ]; then return 0; fi
  echo "unexpected file content after the code action:"; diff <(echo "$want") "$f" | head -20
  return 1
}

elapsed() { echo "$(( $(date +%s%N) / 1000000 - T0_MS )) ms"; }
T0_MS=$(( $(date +%s%N) / 1000000 ))
