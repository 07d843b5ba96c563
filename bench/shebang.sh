#!/usr/bin/env bash
# Benchmark: scan and fix-shebang on a moved env with 5,000 console scripts, against baselines
# measured in the same run on identical copies:
#   read baseline   `head -c 512` of every file in bin/ (the bytes a scan must read)
#   sed -i floor    `xargs sed -i` rewriting line one (an atomic rewrite by a C tool: new file
#                   + rename per file, no fsync), the floor for fix-shebang
#   virtualenv-tools3 --update-path (installed into a throwaway venv from PyPI, if reachable)
# Prints median and min/max of RUNS runs (default 7) in milliseconds, timed by hyperfine
# (installed with apt if missing); copies are made and synced before each write run, untimed.
#
# Usage: bench/shebang.sh [SCRIPTS] [RUNS]     (env: BENCH_DIR, default /tmp/pydoctor-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-5000}
RUNS=${2:-7}
WORK=${BENCH_DIR:-/tmp/pydoctor-bench}
PY=${PYTHON:-python3}

cargo build --release --quiet
BIN=$PWD/target/release/pydoctor

rm -rf "$WORK"
mkdir -p "$WORK"
OLD=$WORK/mnt/glusterfs101/rscb/nlp/xxw/envs/qwen
NEW=$WORK/mnt/glusterfs/rscb/nlp/xxw/envs/qwen

echo "building a venv with $N console scripts (pip's distlib) ..." >&2
bench/make_env.sh "$PY" "$OLD" "$N"
mkdir -p "$(dirname "$NEW")"
mv "$OLD" "$NEW"
cp -a "$NEW" "$WORK/pristine"
FILES=$(find "$NEW/bin" -maxdepth 1 -type f | wc -l)
echo "env: $NEW ($FILES files in bin/)" >&2

command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
# hyperfine runs --prepare through sh, which drops exported bash functions: use a script.
cat >"$WORK/fresh_copy.sh" <<EOF
#!/bin/sh
rm -rf '$NEW' && cp -a '$WORK/pristine' '$NEW' && sync
EOF
chmod +x "$WORK/fresh_copy.sh"
fresh_copy() { "$WORK/fresh_copy.sh"; }
declare -A RESULTS
# measure NAME PREPARE COMMAND: hyperfine, RUNS runs, shell start-up subtracted; "median min max" ms
measure() {
  local name=$1 prep=$2 cmd=$3 warm=()
  [ "$prep" = ":" ] && warm=(--warmup 3)
  hyperfine --style none -i "${warm[@]}" --runs "$RUNS" --prepare "$prep" \
    --export-json "$WORK/h.json" "$cmd" >/dev/null 2>&1
  RESULTS[$name]=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f %.1f %.1f" % (r["median"]*1e3, r["min"]*1e3, r["max"]*1e3))' "$WORK/h.json")
}

fresh_copy
measure "read baseline (head -c 512)" ":" "head -c 512 $NEW/bin/* >/dev/null"
measure "pydoctor scan" ":" "$BIN scan $NEW"
measure "pydoctor scan --format json" ":" "$BIN scan --format json $NEW"
measure "sed -i floor" "$WORK/fresh_copy.sh" \
  "find $NEW/bin -maxdepth 1 -type f -print0 | xargs -0 sed -i '1s|$OLD|$NEW|'"
measure "pydoctor fix-shebang" "$WORK/fresh_copy.sh" "$BIN fix-shebang $NEW"

# Correctness of fix-shebang's result.
fresh_copy
"$BIN" fix-shebang "$NEW" >/dev/null
LEFT=$("$BIN" scan --format json "$NEW" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(sum(f["rule"] in ("PD101","PD103","PD107") for e in d["envs"] for f in e["findings"]))')
SAMPLE=$(echo "{}" | "$NEW/bin/tool00000" 2>&1 | head -1 || true)

VT="n/a"
if "$PY" -m venv "$WORK/vt-venv" >/dev/null 2>&1 &&
  "$WORK/vt-venv/bin/pip" install -q virtualenv-tools3 >/dev/null 2>&1; then
  measure "virtualenv-tools3 --update-path" "$WORK/fresh_copy.sh" \
    "$WORK/vt-venv/bin/virtualenv-tools --update-path $NEW $NEW"
  fresh_copy
  "$WORK/vt-venv/bin/virtualenv-tools" --update-path "$NEW" "$NEW" >/dev/null 2>&1 || true
  VT=$("$BIN" scan --format json "$NEW" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(sum(f["rule"] in ("PD101","PD103","PD107") for e in d["envs"] for f in e["findings"]))')
fi

echo
echo "bin/ of $FILES files, $RUNS runs each (hyperfine), warm page cache, $(nproc) cores, $(uname -sr)"
printf '%-36s %10s %10s %10s\n' "what" "median ms" "min" "max"
for k in "read baseline (head -c 512)" "pydoctor scan" "pydoctor scan --format json" "sed -i floor" "pydoctor fix-shebang" "virtualenv-tools3 --update-path"; do
  [ -n "${RESULTS[$k]:-}" ] || continue
  read -r med lo hi <<<"${RESULTS[$k]}"
  printf '%-36s %10s %10s %10s\n' "$k" "$med" "$lo" "$hi"
done
med() { read -r m _ _ <<<"${RESULTS[$1]}"; echo "$m"; }
echo
awk -v s="$(med 'pydoctor scan')" -v b="$(med 'read baseline (head -c 512)')" 'BEGIN { printf "scan / read baseline:        %.2fx\n", s / b }'
awk -v s="$(med 'pydoctor fix-shebang')" -v b="$(med 'sed -i floor')" 'BEGIN { printf "fix-shebang / sed -i floor:  %.2fx (fix-shebang also syncs to disk; sed -i does not)\n", s / b }'
echo "broken scripts left after pydoctor fix-shebang: $LEFT (sample run: $SAMPLE)"
echo "broken scripts left after virtualenv-tools3:    $VT"
