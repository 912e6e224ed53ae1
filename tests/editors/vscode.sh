#!/bin/bash
# VS Code test: packages the extension (`npm run package`), installs the .vsix into a fresh code-server with
# --install-extension, drives the workbench with Playwright (vscode/ui_test.mjs, screenshots in
# out/vscode/shots), then runs the extension's integration tests in code-server's extension host
# (vscode/exthost_test.mjs -> vscode-extension/src/test/index.ts).
# Env: CODE_SERVER, CHROMIUM, BOUNDARY_LSP, BOUNDARY_VSIX (use this .vsix instead of packaging),
#      VSCODE_PARTS ("ui exthost" by default)
set -u
. "$(dirname "$0")/lib.sh"
CS=${CODE_SERVER:-}
[ -z "$CS" ] && { if [ -x "$PREFIX/code-server-bin" ]; then CS=$PREFIX/code-server-bin; else CS=$(command -v code-server || true); fi; }
[ -n "$CS" ] || skip_or_fail "code-server not found: run tests/editors/install.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}; export CHROMIUM
[ -x "$CHROMIUM" ] || skip_or_fail "chromium not found at $CHROMIUM (apt-get install chromium)"
[ -d "$REPO/node_modules/playwright-core" ] || skip_or_fail "playwright-core not installed: run npm ci in $REPO"
PARTS=${VSCODE_PARTS:-ui exthost}
setup_test vscode
fail() { echo "[vscode] FAIL: $* (logs in $T)"; exit 1; }

VSIX=${BOUNDARY_VSIX:-}
if [ -z "$VSIX" ]; then
  (cd "$REPO" && npm run package) > "$T/package.log" 2>&1 || { tail -20 "$T/package.log"; fail "npm run package"; }
  VSIX=$REPO/vscode-extension/boundary-lsp.vsix
fi
# the extension-host tests run the working tree's extension: make sure dist/ is current
[[ " $PARTS " == *" exthost "* ]] && { (cd "$REPO" && npm run build) > "$T/build.log" 2>&1 || fail "npm run build"; }

mkdir -p "$WS/.vscode"
printf '{\n  "boundary.server.path": "%s"\n}\n' "$SHIM" > "$WS/.vscode/settings.json"

RUN=$T/code-server; mkdir -p "$RUN/ud/User"
export XDG_CONFIG_HOME=$RUN/xdg/config XDG_DATA_HOME=$RUN/xdg/data XDG_CACHE_HOME=$RUN/xdg/cache
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
cat > "$RUN/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "workbench.tips.enabled": false, "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "update.mode": "none", "security.workspace.trust.enabled": false, "chat.disableAIFeatures": true }
JSON
ARGS=(--config "$RUN/config.yaml" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext")
"$CS" "${ARGS[@]}" --install-extension "$VSIX" > "$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; fail "--install-extension $VSIX"; }
"$CS" "${ARGS[@]}" --list-extensions 2>/dev/null | grep -qx 'boundary-lsp.boundary-lsp' || fail "extension not listed after --install-extension"
echo "[vscode] installed $(basename "$VSIX") into code-server $("$CS" --version 2>/dev/null | grep -E '^[0-9]' | head -1) ($(elapsed))"

# read by the extension-host tests (the extension host inherits code-server's environment)
export BOUNDARY_TEST_WS=$WS BOUNDARY_TEST_OUT=$T/exthost-result.json BOUNDARY_TEST_TIMEOUT=$STEP_TIMEOUT
setsid "$CS" "${ARGS[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened "$WS" > "$RUN/server.log" 2>&1 &
CSPID=$!
# setsid => code-server leads its own process group; its extension host outlives the browser
trap 'kill -- -$CSPID 2>/dev/null' EXIT
for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" || fail "code-server did not come up"

rc=0
if [[ " $PARTS " == *" ui "* ]]; then
  CS_URL="http://127.0.0.1:$PORT/?folder=$WS" SHOTS=$T/shots RESULT=$T/ui-result.json \
  STATIC_POS="$(grep -n -F -x "$STATIC_LINE" "$FILE" | cut -d: -f1):18" STEP_TIMEOUT_MS=$((STEP_TIMEOUT * 1000)) \
    timeout $((STEP_TIMEOUT * 6 + 60)) node "$ED/vscode/ui_test.mjs" || rc=1
  [ $rc -eq 0 ] && { check_allow_inserted "$FILE" || rc=1; }
  cp "$ED/ws/src/lib.rs" "$FILE"   # reset for the next part
fi
if [[ " $PARTS " == *" exthost "* ]]; then
  CS_HOST=127.0.0.1:$PORT EXT_DEV_PATH=$REPO/vscode-extension WS_FOLDER=$WS SHOTS=$T/shots \
  EXT_TEST_TIMEOUT_MS=$((STEP_TIMEOUT * 20000)) \
    timeout $((STEP_TIMEOUT * 20 + 60)) node "$ED/vscode/exthost_test.mjs" || rc=1
fi
echo "[vscode] $([ $rc -eq 0 ] && echo PASS || echo "FAIL (see $T)") in $(elapsed)"
[ $rc -eq 0 ]
