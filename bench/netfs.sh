#!/usr/bin/env bash
# Benchmark on a network-like filesystem: a FUSE passthrough that adds DELAY ms to every
# operation (bench/latencyfs.py: async, many requests in flight, no kernel attribute/entry
# caching), so each lookup, stat, open, read, create and rename costs a round trip as on
# GlusterFS or NFS. For each delay and each env size it builds a venv with N console scripts
# (pip's distlib) on the backing folder, renames a parent folder (the remount) to break them,
# and times, through the mount, in the same run:
#   pydoctor scan                vs  xargs -0 -n 16 -P 64 head -qc 512   (the bytes a scan reads)
#   pydoctor fix-shebang         vs  xargs -0 -n 16 -P 64 sed -i '1s|OLD|NEW|' on an identical copy
#   pydoctor scan of 100 envs    vs  the same head baseline over their bin/ folders
# then runs every repaired script. Not part of CI (needs /dev/fuse, root and minutes).
#
# Usage: bench/netfs.sh [DELAYS_MS] [SIZES] [JOBS]
#        e.g. bench/netfs.sh "0.5 2" "1000 5000" 64
# Needs: python3-pyfuse3 (apt), /dev/fuse, root.
set -euo pipefail
cd "$(dirname "$0")/.."
DELAYS=${1:-"0.5 2"}
SIZES=${2:-"1000 5000"}
JOBS=${3:-64}
WORK=${BENCH_DIR:-/tmp/pydoctor-netfs}
SYSPY=/usr/bin/python3

"$SYSPY" -c 'import pyfuse3, trio' 2>/dev/null || {
  apt-get update -qq && apt-get install -y -qq python3-pyfuse3 >/dev/null
}
cargo build --release --quiet
BIN=$PWD/target/release/pydoctor
FS=$PWD/bench/latencyfs.py

cleanup() { mountpoint -q "$WORK/mnt" && umount "$WORK/mnt" || true; }
trap cleanup EXIT
cleanup
rm -rf "$WORK"
mkdir -p "$WORK/back" "$WORK/mnt"

# make_env DIR N: a venv at DIR with N console scripts.
make_env() { bench/make_env.sh "$SYSPY" "$1" "$2"; }

now() { date +%s.%N; }
# timed CMD...: seconds, 2 decimals
timed() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>&1 || true
  t1=$(now)
  "$SYSPY" -c "print('%.2f' % ($t1 - $t0))"
}

head_all() { find "$@" -type f -print0 | xargs -0 -n 16 -P 64 head -qc 512; }
sed_all() { # sed_all BIN OLD NEW
  find "$1" -type f -print0 | xargs -0 -n 16 -P 64 sed -i "1s|$2|$3|"
}

# Build everything on the backing folder before mounting (the passthrough maps names lazily).
for n in $SIZES; do
  old=$WORK/back/glusterfs101/envs/n$n
  mkdir -p "$(dirname "$old")"
  echo "building a venv with $n console scripts ..." >&2
  make_env "$old" "$n"
done
echo "building 100 small envs ..." >&2
make_env "$WORK/back/glusterfs101/many/e001" 20 >/dev/null
for i in $(seq -w 2 100); do
  cp -a "$WORK/back/glusterfs101/many/e001" "$WORK/back/glusterfs101/many/e$(printf %03d "$((10#$i))")"
done
mv "$WORK/back/glusterfs101" "$WORK/back/glusterfs" # the remount
OLDROOT=$WORK/back/glusterfs101
for n in $SIZES; do
  for d in $DELAYS; do
    for copy in pd sed; do
      cp -a "$WORK/back/glusterfs/envs/n$n" "$WORK/back/glusterfs/envs/n$n-$d-$copy"
    done
  done
done
sync

printf '%-7s %-6s %-34s %10s %10s %8s\n' delay files what pydoctor baseline ratio
for d in $DELAYS; do
  "$SYSPY" "$FS" "$WORK/back" "$WORK/mnt" "$d" &
  for _ in $(seq 50); do mountpoint -q "$WORK/mnt" && break; sleep 0.1; done
  M=$WORK/mnt/glusterfs
  for n in $SIZES; do
    env=$M/envs/n$n
    base=$(timed head_all "$env/bin")
    pd=$(timed "$BIN" scan --offline -q --jobs "$JOBS" "$env")
    printf '%-7s %-6s %-34s %10s %10s %8s\n' "${d}ms" "$n" "scan vs head -P64" "$pd" "$base" \
      "$("$SYSPY" -c "print('%.2fx' % ($pd / $base))")"
    pdenv=$M/envs/n$n-$d-pd
    sedenv=$M/envs/n$n-$d-sed
    pd=$(timed "$BIN" fix-shebang -q --jobs "$JOBS" "$pdenv")
    base=$(timed sed_all "$sedenv/bin" "$OLDROOT/envs/n$n" "$sedenv")
    printf '%-7s %-6s %-34s %10s %10s %8s\n' "${d}ms" "$n" "fix-shebang vs sed -i -P64" "$pd" \
      "$base" "$("$SYSPY" -c "print('%.2fx' % ($pd / $base))")"
    # Every repaired script runs (its interpreter is on the mount), 64 at a time.
    broken=$(find "$WORK/back/glusterfs/envs/n$n-$d-pd/bin" -name 'tool*' -print0 |
      xargs -0 -n 1 -P 64 sh -c '"$0" --help >/dev/null 2>&1 || echo x' | wc -l)
    echo "        broken scripts after fix-shebang: $broken" >&2
    [ "$broken" = 0 ] || { echo "fix-shebang left broken scripts" >&2; exit 1; }
  done
  base=$(timed head_all "$M"/many/*/bin)
  pd=$(timed "$BIN" scan --offline -q --jobs "$JOBS" "$M/many")
  printf '%-7s %-6s %-34s %10s %10s %8s\n' "${d}ms" "100x23" "scan of 100 envs vs head -P64" "$pd" \
    "$base" "$("$SYSPY" -c "print('%.2fx' % ($pd / $base))")"
  umount "$WORK/mnt"
  wait || true
done
