#!/usr/bin/env bash
# Validates `boundary-lsp check --format sarif` against the SARIF 2.1.0 JSON schema
# (tests/schemas/sarif-schema-2.1.0.json) with python `jsonschema`, on the demo workspace and on
# generated cases (no findings, fixes, non-ASCII columns, a skipped file).
# Usage: tests/sarif/validate.sh [path/to/boundary-lsp]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
if [ $# -ge 1 ]; then
  bin=$(realpath "$1")
else
  cargo build --quiet --locked
  bin=$repo/target/debug/boundary-lsp
fi
python3 -c 'import jsonschema' 2>/dev/null || {
  echo "error: python3 module jsonschema is missing (pip install jsonschema)" >&2
  exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Generated cases.
mkdir -p "$work/clean/src" "$work/mixed/src"
printf '[package]\nname = "clean"\nversion = "0.1.0"\nedition = "2021"\n' >"$work/clean/Cargo.toml"
printf 'pub fn f() {}\n' >"$work/clean/src/lib.rs"
printf '[package]\nname = "mixed"\nversion = "0.1.0"\nedition = "2021"\n' >"$work/mixed/Cargo.toml"
cat >"$work/mixed/src/lib.rs" <<'RS'
mod other;
/* é€😀 */ pub static mut COUNTER: u32 = 0;
// boundary: allow(bool-fields)
pub struct Flags { a: bool, b: bool, c: bool, d: bool }
pub fn many(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}
// boundary: allow(no-such-rule)
fn broken( {
RS
printf '// caf\xe9\n' >"$work/mixed/src/other.rs"

status=0
validate() { # name, dir, extra args...
  local name=$1 dir=$2
  shift 2
  local out="$work/$name.sarif"
  set +e
  (cd "$dir" && "$bin" check . --format sarif --quiet "$@") >"$out" 2>"$work/$name.stderr"
  local code=$?
  set -e
  if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
    echo "FAIL $name: exit $code"; cat "$work/$name.stderr"; status=1; return
  fi
  if python3 - "$repo/tests/schemas/sarif-schema-2.1.0.json" "$out" "$name" <<'PY'
import json, sys
import jsonschema
schema_path, doc_path, name = sys.argv[1:4]
schema = json.load(open(schema_path))
doc = json.load(open(doc_path))
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print(f"  {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}")
results = doc["runs"][0]["results"]
print(f"{'FAIL' if errors else 'ok  '} {name}: {len(results)} result(s), {len(errors)} schema error(s)")
sys.exit(1 if errors else 0)
PY
  then :; else status=1; fi
}

validate demo "$repo/tests/fixtures/demo"
validate clean "$work/clean"
validate mixed "$work/mixed"
validate mixed-select "$work/mixed" --select static-mut
validate mixed-config "$work/mixed" --config /dev/null
# The validator must reject a broken document (a test that cannot fail proves nothing).
python3 - "$repo/tests/schemas/sarif-schema-2.1.0.json" "$work/mixed.sarif" <<'PY' || status=1
import json, sys
import jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
doc["runs"][0]["results"][0]["level"] = "warn"
doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
n = len(list(jsonschema.Draft4Validator(schema).iter_errors(doc)))
print(f"{'ok  ' if n == 2 else 'FAIL'} broken document: {n} schema error(s), expected 2")
sys.exit(0 if n == 2 else 1)
PY
exit $status
