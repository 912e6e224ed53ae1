#!/usr/bin/env bash
# Fix safety on real code (issue 10): for real crates from crates.io, apply boundary-lsp's fixes
# and check that the crate still builds.
#
#   scripts/reliability/fix_safety.sh [NAME-VERSION ...]
#
# For each crate (default: the list below), the published source is copied from the cargo
# registry (fetched through a scratch cargo project in $WORK/fetch when missing) into a
# standalone scratch workspace with its own lockfile. Then, each in a fresh copy:
#   baseline  `cargo check --all-targets` must pass (else the crate is skipped)
#   safe      `boundary-lsp check --fix`                  then `cargo check --all-targets`
#   unsafe    `boundary-lsp check --fix --unsafe-fixes`   then `cargo check --all-targets`
# Every rule with a fix is selected. A safe fix that breaks the build is a bug (exit 1); unsafe
# fixes that break it are listed with the compiler's first error and the diff kept in $WORK.
# Prints a Markdown table for docs/reliability.md.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/boundary-fix-safety}
RULES=${RULES:-bool-fields,borrowed-owned-param,narrowable-pub,unreachable-pub,unused-suppression,static-mut,too-many-params,bool-params,option-bool,option-option,option-fields,stringly-state,stringly-error,pub-fields,wide-module-api,wide-trait,unwrap-in-lib,assumed-some,shared-mutable-state,global-mutable-state,mutex-of-primitive,unsafe-send-sync,pub-interior-mutability,unknown-suppression}
crates=("$@")
if [ ${#crates[@]} -eq 0 ]; then
  crates=(regex-syntax-0.8.12 walkdir-2.5.1 toml_edit-0.22.27 bstr-1.14.0 unicode-width-0.2.3
          same-file-1.0.6 memchr-2.8.3 log-0.4.35 anyhow-1.0.105 winnow-0.7.15 dashmap-6.2.1
          tempfile-3.27.0 either-1.19.0 itoa-1.0.19 fnv-1.0.7)
fi
mkdir -p "$WORK"
(cd "$here/server" && cargo build -q) || { echo "cannot build boundary-lsp" >&2; exit 2; }
bin="$here/target/debug/boundary-lsp"
registry=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ 2>/dev/null | head -1)

fetch() { # name-version -> makes sure the source is in the registry
  local name=${1%-*} version=${1##*-}
  [ -d "$registry/$1" ] && return 0
  mkdir -p "$WORK/fetch/src" && : >"$WORK/fetch/src/lib.rs"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' \
    "$name" "$version" >"$WORK/fetch/Cargo.toml"
  (cd "$WORK/fetch" && cargo fetch -q) >/dev/null 2>&1
  registry=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -1)
  [ -d "$registry/$1" ]
}

copy() { # crate dest
  rm -rf "$2" && cp -r "$registry/$1" "$2"
  grep -q '^\[workspace\]' "$2/Cargo.toml" || printf '\n[workspace]\n' >>"$2/Cargo.toml"
  cp "$WORK/$1.lock" "$2/Cargo.lock" 2>/dev/null || true
  git -C "$2" init -q && git -C "$2" add -A && git -C "$2" -c user.email=x@x -c user.name=x commit -qm base
}

build() { # dir crate -> 0 when it builds; first error in $dir.err
  (cd "$1" && CARGO_TARGET_DIR="$WORK/target-$2" cargo check --all-targets --offline -q) >"$1.log" 2>&1
  local rc=$?
  grep -m1 -A6 '^error' "$1.log" >"$1.err" || true
  return $rc
}

echo "| crate | safe fixes | builds after safe | unsafe fixes | builds after unsafe |"
echo "|---|---:|---|---:|---|"
bad_safe=0
for c in "${crates[@]}"; do
  if ! fetch "$c"; then echo "| $c | — | not available | | |"; continue; fi
  base="$WORK/$c/base"
  mkdir -p "$WORK/$c"
  copy "$c" "$base"
  if ! (cd "$base" && cargo generate-lockfile -q --offline >/dev/null 2>&1 || cargo generate-lockfile -q >/dev/null 2>&1 &&
        CARGO_TARGET_DIR="$WORK/target-$c" cargo fetch -q >/dev/null 2>&1); then
    echo "| $c | — | lockfile failed | | |"; continue
  fi
  cp "$base/Cargo.lock" "$WORK/$c.lock"
  if ! build "$base" "$c"; then
    echo "| $c | — | baseline does not build: $(head -1 "$base.err") | | |"; continue
  fi
  row="| $c"
  for mode in safe unsafe; do
    dir="$WORK/$c/$mode"
    copy "$c" "$dir"
    flags=(--fix)
    [ $mode = unsafe ] && flags+=(--unsafe-fixes)
    (cd "$dir" && "$bin" check . --select "$RULES" "${flags[@]}" --format json >/dev/null 2>"$dir.fix")
    n=$(sed -n 's/^fixed \([0-9]*\) finding.*/\1/p' "$dir.fix")
    git -C "$dir" diff >"$dir.diff"
    if build "$dir" "$c"; then
      row="$row | ${n:-0} | yes"
    else
      row="$row | ${n:-0} | **NO**: \`$(grep -m1 '^error' "$dir.err" | cut -c1-90)\` (diff: $dir.diff)"
      [ $mode = safe ] && bad_safe=$((bad_safe + 1))
    fi
  done
  echo "$row |"
done
echo
echo "safe fixes that broke a build: $bad_safe"
[ $bad_safe -eq 0 ]
