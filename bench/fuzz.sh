#!/usr/bin/env bash
# Fuzz every parser of untrusted bytes for a bounded time (not part of CI; CI runs the proptest
# properties in tests/properties.rs and tests/no_harm.rs).
#   with cargo-fuzz: each fuzz/ target for SECS seconds under libFuzzer, starting from the
#   seed corpus in fuzz/corpus/TARGET (copied, so the checked-in seeds stay small); prints the
#   executions and crashes of each target. Uses nightly when rustup has it, else stable with
#   RUSTC_BOOTSTRAP=1.
#   otherwise: the proptest properties with CASES cases each.
# Usage: bench/fuzz.sh [SECS] [CASES] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-60}
CASES=${2:-100000}
shift $(($# > 2 ? 2 : $#))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(shebang trampoline index_page pyvenv_cfg activate pip_conf uv_toml kernel_json user_config condarc)

if command -v cargo-fuzz >/dev/null 2>&1; then
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    FUZZ=(cargo +nightly fuzz)
  else
    export RUSTC_BOOTSTRAP=1
    FUZZ=(cargo fuzz)
  fi
  printf '%-12s %14s %8s %10s\n' target execs secs crashes
  for t in "${TARGETS[@]}"; do
    work=fuzz/target/corpus/$t
    mkdir -p "$work" "fuzz/artifacts/$t"
    [ -d "fuzz/corpus/$t" ] && cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
    log=fuzz/target/$t.log
    # No sanitizer: the targets are safe Rust, and ASan costs most of the speed.
    (cd fuzz && "${FUZZ[@]}" run --sanitizer none "$t" "target/corpus/$t" -- -max_total_time="$SECS" \
      -print_final_stats=1 >"target/$t.log" 2>&1) || true
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    crashes=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
    printf '%-12s %14s %8s %10s\n' "$t" "$execs" "$SECS" "$crashes"
  done
else
  echo "cargo-fuzz is not installed (cargo install cargo-fuzz): running the proptest properties with $CASES cases each" >&2
  start=$(date +%s)
  PROPTEST_CASES=$CASES timeout "$((SECS * 20))" cargo test --release --locked --test properties 2>&1 | grep -E "test result|panicked|FAILED"
  echo "$CASES cases x 7 generated properties in $(($(date +%s) - start)) s"
fi
