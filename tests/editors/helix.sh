#!/bin/bash
# Helix editor test of editors/helix/languages.toml, driven through tmux: the diagnostic is shown, `Space a`
# opens the code actions, "Allow `static-mut` on this line" is picked and applied, `:w`, the finding disappears.
# Env: HX (helix launcher), BOUNDARY_LSP (server command)
set -u
. "$(dirname "$0")/lib.sh"
HXB=${HX:-}
[ -z "$HXB" ] && { if [ -x "$PREFIX/hx" ]; then HXB=$PREFIX/hx; else HXB=$(command -v hx || command -v helix || true); fi; }
[ -n "$HXB" ] || skip_or_fail "helix not found: run tests/editors/install.sh"
command -v tmux >/dev/null || skip_or_fail "tmux not found (apt-get install tmux)"
setup_test helix
mkdir -p "$T/config/helix"
cp "$REPO/editors/helix/languages.toml" "$T/config/helix/languages.toml"
printf '[editor]\nend-of-line-diagnostics = "hint"\n[editor.inline-diagnostics]\ncursor-line = "hint"\n' > "$T/config/helix/config.toml"
S=boundary_hx_$$
LINE=$(grep -n -F -x "$STATIC_LINE" "$FILE" | cut -d: -f1)
TITLE='Allow `static-mut` on this line'
cap() { tmux capture-pane -p -t $S > "$T/$1.txt" 2>/dev/null; }
count() { grep -o 'static mut' "$T/$1.txt" | wc -l; }
# waitfor NAME CONDITION...: re-capture screen NAME until the condition holds
waitfor() { local n=$1; shift; local end=$(( $(date +%s) + STEP_TIMEOUT )); while [ "$(date +%s)" -lt $end ]; do cap "$n"; "$@" && return 0; sleep 0.1; done; return 1; }
finish() {
  tmux kill-session -t $S 2>/dev/null
  if [ "$1" = ok ]; then check_allow_inserted "$FILE" || { echo "[helix] FAIL: file content"; exit 1; }
    echo "[helix] PASS in $(elapsed)"; exit 0; fi
  echo "[helix] FAIL: $1 (screens in $T)"; exit 1
}
"$HXB" --version
tmux new-session -d -s $S -x 200 -y 40 \
  "cd '$WS' && XDG_CONFIG_HOME='$T/config' '$HXB' -c '$T/config/helix/config.toml' --log '$T/helix.log' src/lib.rs"
# the diagnostic message ("static mut ...") is drawn next to the source line, which says "static mut" once
waitfor 1-diagnostic eval '[ $(count 1-diagnostic) -ge 2 ]' || finish "no static-mut diagnostic shown"
# select the static's name (where the finding is), as a user would with a search
tmux send-keys -t $S ":goto $LINE" Enter
tmux send-keys -t $S "/COUNTER" Enter
sleep 0.2; cap 2-before-menu
tmux send-keys -t $S Space a
waitfor 3-menu grep -q -F "$TITLE" "$T/3-menu.txt" || finish "no '$TITLE' in the code action menu"
# the menu's rows are the lines that changed when it opened; the first one is pre-selected
idx=$(diff "$T/2-before-menu.txt" "$T/3-menu.txt" | grep '^>' | grep -n -F "$TITLE" | head -1 | cut -d: -f1)
[ -n "$idx" ] || finish "cannot locate the menu row"
for _ in $(seq 2 "$idx"); do tmux send-keys -t $S Down; done
tmux send-keys -t $S Enter
waitfor 4-applied grep -q -F "$ALLOW_LINE" "$T/4-applied.txt" || finish "allow comment not inserted"
tmux send-keys -t $S ':w' Enter
waitfor 5-saved eval '[ $(count 5-saved) -eq 1 ]' || finish "static-mut diagnostic still shown after the fix"
tmux send-keys -t $S ':q!' Enter
sleep 0.2
finish ok
