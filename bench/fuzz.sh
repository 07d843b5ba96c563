#!/usr/bin/env bash
# Fuzz the parsers of untrusted bytes for a bounded time (not part of CI).
#   with nightly + cargo-fuzz: each fuzz/ target for SECS seconds (libFuzzer);
#   otherwise: the proptest properties in tests/properties.rs with CASES cases each.
# Usage: bench/fuzz.sh [SECS] [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-60}
CASES=${2:-100000}
if cargo +nightly fuzz --version >/dev/null 2>&1; then
  for t in shebang index_page; do
    (cd fuzz && cargo +nightly fuzz run "$t" -- -max_total_time="$SECS" 2>&1 | tail -3)
  done
else
  echo "no nightly toolchain with cargo-fuzz here: running the proptest properties with $CASES cases each" >&2
  start=$(date +%s)
  PROPTEST_CASES=$CASES timeout "$((SECS * 20))" cargo test --release --locked --test properties 2>&1 | grep -E "test result|panicked|FAILED"
  echo "$CASES cases x 6 generated properties in $(($(date +%s) - start)) s"
fi
