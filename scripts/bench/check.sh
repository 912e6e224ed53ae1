#!/usr/bin/env bash
# Benchmark: `boundary-lsp check` against parsing alone with ra_ap_syntax on >= 500k lines of
# crates.io sources. Writes the "## check throughput" section of docs/benchmarks.md.
#
# Usage: scripts/bench/check.sh [runs]      (env: CORPUS=dir to reuse/build the corpus there)
#
# The corpus (scripts/bench/corpus.sh): the dependency closure of big, real crates from
# crates.io, one folder of crates.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
runs=${1:-5}
corpus=${CORPUS:-/tmp/boundary-bench-corpus}

corpus=$(scripts/bench/corpus.sh "$corpus")
crates=$(find "$corpus" -mindepth 1 -maxdepth 1 -type d | wc -l)
lines=$(find "$corpus" -name '*.rs' -not -path '*/target/*' -print0 | xargs -0 cat | wc -l)
echo "== corpus: $crates crates, $lines lines of .rs"
if [ "$lines" -lt 500000 ]; then
  echo "error: the corpus has fewer than 500k lines" >&2
  exit 1
fi

echo "== building (release)"
cargo build --release --locked --quiet
cargo bench --locked --no-run --quiet --bench parse_vs_check 2>/dev/null

echo "== in-process: parse alone vs check ($runs runs each)"
table=$(cargo bench --locked --quiet --bench parse_vs_check -- "$corpus" "$runs" | grep '^|')
echo "$table"

echo "== the binary: wall time, CPU use and peak memory ($runs runs each)"
bin_rows=""
for threads in 1 2; do
  walls=() ; cpus=() ; rss=()
  for _ in $(seq 0 "$runs"); do
    RAYON_NUM_THREADS=$threads /usr/bin/time -v "$repo/target/release/boundary-lsp" check "$corpus" \
      --format json --fail-on never >/dev/null 2>"$corpus.time" || true
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$corpus.time")")
    cpus+=("$(awk -F': ' '/Percent of CPU/ {gsub("%","",$2); print $2}' "$corpus.time")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$corpus.time")")
  done
  # Drop the first (warm-up) run; medians of the rest.
  med() { printf '%s\n' "${@:2}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  wall=$(med "${walls[@]}") cpu=$(med "${cpus[@]}") mem=$(med "${rss[@]}")
  row=$(python3 -c "import sys; w,c,m,l=float('$wall'),'$cpu',int('$mem'),int('$lines'); print(f'| \`boundary-lsp check\` (binary) | $threads | {w:.2f} s | {l/w/1e6:.2f} M | {c}% | {m/1024:.0f} MiB | {m*1024/l:.0f} B |')")
  echo "$row"
  bin_rows+="$row"$'\n'
done
rm -f "$corpus.time"

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
section=$(cat <<MD
## check throughput

\`scripts/bench/check.sh\` (bench target \`server/benches/parse_vs_check.rs\`). Corpus: the
dependency closure of syn, tokio, regex, serde, clap, hyper, rustls, rayon, futures,
tracing-subscriber and toml_edit from crates.io: $crates crates, $lines lines of \`.rs\`. Machine:
$(nproc) cores ($cpu_model), shared with other jobs, so medians of $runs runs after a warm-up.
Release build, \`--cfg no_salsa_async_drops\` (\`.cargo/config.toml\`). Both sides read the files
from disk (warm page cache); \`check\` also walks the tree (gitignore-aware), reads the manifests,
builds the module tree, runs every default rule and the workspace-level pass, and applies
suppressions.

In process (median time, lines per second, and \`check\` relative to parsing alone with the same
number of threads; the target is at most 1.5x):

| measurement | threads | median time | lines/s | vs parse (same threads) |
|---|---|---|---|---|
$table

The binary (\`check <corpus> --format json\`, \`RAYON_NUM_THREADS\` set; CPU is user+sys over wall
time, so 200% is both cores busy; peak memory is the maximum resident set size, per line of the
corpus in the last column):

| run | threads | median wall | lines/s | CPU | peak memory | per line |
|---|---|---|---|---|---|---|
${bin_rows%$'\n'}
MD
)
python3 - "$repo/docs/benchmarks.md" "$section" <<'PY'
import sys, re, os
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pat = re.compile(r"^## check throughput\n.*?(?=^## |\Z)", re.S | re.M)
if pat.search(text):
    text = pat.sub(lambda _: section + "\n", text).rstrip() + "\n"
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "== wrote docs/benchmarks.md"
