#!/usr/bin/env bash
# Benchmark: `pydoctor mirrors` against 8 loopback mirrors answering in 20-300 ms, plus one
# that accepts and hangs and one that drips a byte every 200 ms. Reports, in one run:
#   concurrent, answering mirrors only    (goal: about the slowest answer, not the sum)
#   concurrent, all ten, --timeout T      (hang and drip cost the deadline, no more)
#   sequential, one probe after another   (what chsrc-style tools do)
# Usage: bench/mirrors.sh [RUNS] [TIMEOUT_SECS]      (hyperfine, installed with apt if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
T=${2:-2}
PY=${PYTHON:-python3}
cargo build --release --quiet
BIN=$PWD/target/release/pydoctor
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

WORK=$(mktemp -d)
trap 'kill "$SERVERS" 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$PY" bench/mirror_servers.py "$WORK/ready" 20 50 80 120 160 200 250 300 hang drip &
SERVERS=$!
for _ in $(seq 100); do [ -s "$WORK/ready" ] && break; sleep 0.1; done

ANSWERING=()
ALL=()
while IFS= read -r line; do
  ALL+=(--mirror "$line")
  case "$line" in *hang* | *drip*) ;; *) ANSWERING+=(--mirror "$line") ;; esac
done <"$WORK/ready"

export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
declare -A R
measure() { # name command
  hyperfine --style none -N -i --warmup 1 --runs "$RUNS" --export-json "$WORK/h.json" "$2" >/dev/null 2>&1
  R[$1]=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.0f %.0f %.0f" % (r["median"]*1e3, r["min"]*1e3, r["max"]*1e3))' "$WORK/h.json")
}
q() { printf '%q ' "$@"; }
measure "concurrent, 8 answering" "$(q "$BIN" mirrors --timeout "$T" "${ANSWERING[@]}")"
measure "concurrent, all 10 (timeout ${T}s)" "$(q "$BIN" mirrors --timeout "$T" "${ALL[@]}")"
SEQ=$WORK/seq.sh
{
  echo "#!/bin/sh"
  while IFS= read -r line; do echo "$(q "$BIN" mirrors --timeout "$T" --mirror "$line") >/dev/null"; done <"$WORK/ready"
} >"$SEQ"
chmod +x "$SEQ"
measure "sequential, all 10 (timeout ${T}s each)" "$SEQ"
SEQA=$WORK/seqa.sh
{
  echo "#!/bin/sh"
  grep -v -e hang -e drip "$WORK/ready" | while IFS= read -r line; do echo "$(q "$BIN" mirrors --timeout "$T" --mirror "$line") >/dev/null"; done
} >"$SEQA"
chmod +x "$SEQA"
measure "sequential, 8 answering" "$SEQA"

echo "loopback mirrors answering in 20,50,80,120,160,200,250,300 ms + hang + drip; $RUNS runs (hyperfine)"
printf '%-42s %10s %8s %8s\n' what "median ms" min max
for k in "concurrent, 8 answering" "sequential, 8 answering" "concurrent, all 10 (timeout ${T}s)" "sequential, all 10 (timeout ${T}s each)"; do
  read -r m lo hi <<<"${R[$k]}"
  printf '%-42s %10s %8s %8s\n' "$k" "$m" "$lo" "$hi"
done
read -r c _ _ <<<"${R["concurrent, 8 answering"]}"
awk -v c="$c" 'BEGIN { printf "concurrent / slowest answer (300 ms): %.2fx\n", c / 300 }'
"$BIN" mirrors --fastest --timeout "$T" "${ALL[@]}" | tail -4
