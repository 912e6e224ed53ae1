#!/bin/bash
# Emacs + eglot editor test of editors/emacs/boundary.el.  Env: EMACS (binary), BOUNDARY_LSP (server command)
set -u
. "$(dirname "$0")/lib.sh"
EM=${EMACS:-$(command -v emacs || true)}
[ -n "$EM" ] && [ -x "$EM" ] || skip_or_fail "emacs not found: run tests/editors/install.sh"
"$EM" --batch -Q --eval '(progn (package-initialize) (add-to-list (quote package-directory-list) "/usr/share/emacs/site-lisp/elpa") (package-initialize) (require (quote eglot)))' 2>/dev/null \
  || skip_or_fail "eglot is not available in $EM (Debian: apt-get install elpa-eglot)"
setup_test emacs-eglot
BOUNDARY_TEST_FILE=$FILE BOUNDARY_TEST_OUT=$T/result.json BOUNDARY_TEST_TIMEOUT=$STEP_TIMEOUT \
BOUNDARY_EL=$REPO/editors/emacs/boundary.el \
  timeout $((STEP_TIMEOUT * 4 + 30)) "$EM" --batch -Q -l "$ED/emacs_eglot_test.el" </dev/null
rc=$?
[ $rc -eq 0 ] && { check_allow_inserted "$FILE" || rc=1; }
echo "[emacs-eglot] $([ $rc -eq 0 ] && echo PASS || echo "FAIL (rc=$rc, see $T)") in $(elapsed)"
[ $rc -eq 0 ]
