#!/usr/bin/env bash
# Benchmark: discovery + scan of 200 environments in a fake HOME (virtualenvwrapper, pipx,
# poetry, pyenv-virtualenv and conda-style roots), each with 20 console scripts, moved so
# every script is broken. Compares `pydoctor scan --all --offline` against reading the first
# 512 bytes of every file in every bin/ (hyperfine).
# Usage: bench/discovery.sh [ENVS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
RUNS=${2:-10}
PY=${PYTHON:-python3}
cargo build --release --quiet
BIN=$PWD/target/release/pydoctor
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
H=$WORK/home
roots=(.virtualenvs .local/share/pipx/venvs .cache/pypoetry/virtualenvs .pyenv/versions/3.11.9/envs)
echo "creating $N environments ..." >&2
for i in $(seq 0 $((N - 1))); do
  echo "$H/${roots[$((i % 4))]}/env$i"
done | xargs -P 2 -I{} "$PY" -m venv --without-pip {}
mkdir -p "$H/miniconda3/conda-meta" "$H/.pyenv/versions/3.11.9/bin"
for d in $(find "$H" -name pyvenv.cfg -printf '%h\n'); do
  for j in $(seq 0 19); do
    printf '#!/old/location/%s/bin/python\nimport sys\n' "$(basename "$d")" >"$d/bin/tool$j"
    chmod 755 "$d/bin/tool$j"
  done
done
# A clean environment: only the fake HOME is searched (no PYENV_ROOT, WORKON_HOME, ...).
CLEAN=(env -i "HOME=$H" "PATH=$PATH")
FOUND=$({ "${CLEAN[@]}" "$BIN" scan --all --offline --format json || true; } | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["envs"]))')
hyperfine --style none -N -i --warmup 2 --runs "$RUNS" --export-json "$WORK/d.json" \
  "env -i HOME=$H PATH=$PATH $BIN scan --all --offline" >/dev/null 2>&1
hyperfine --style none -i --warmup 2 --runs "$RUNS" --export-json "$WORK/b.json" \
  "find $H -name pyvenv.cfg -printf '%h/bin\n' | while read -r b; do head -c 512 \"\$b\"/* >/dev/null; done" >/dev/null 2>&1
med() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f %.1f %.1f" % (r["median"]*1e3, r["min"]*1e3, r["max"]*1e3))' "$1"; }
echo "$FOUND environments discovered (of $N venvs + a conda root), 20 broken scripts each; $RUNS runs"
printf '%-52s %10s %8s %8s\n' what "median ms" min max
read -r m lo hi <<<"$(med "$WORK/d.json")"
printf '%-52s %10s %8s %8s\n' "pydoctor scan --all --offline" "$m" "$lo" "$hi"
read -r m lo hi <<<"$(med "$WORK/b.json")"
printf '%-52s %10s %8s %8s\n' "baseline: find pyvenv.cfg + head -c 512 of each bin/" "$m" "$lo" "$hi"
