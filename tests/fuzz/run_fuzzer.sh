#!/bin/sh
# Runs one libFuzzer target for a bounded time (CTest calls this).
#   run_fuzzer.sh TARGET CORPUS_DIR SEEDS_DIR SECONDS
# The working corpus lives in the build tree; seeds come from the source tree.
# A crash leaves its input in CORPUS_DIR/crash-* and fails the test.
set -eu
target=$1 corpus=$2 seeds=$3 seconds=$4
mkdir -p "$corpus"
# Symbolized stacks: readable reports, and the leak suppressions of targets that
# name library functions (evtx_fuzz) need function names.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer llvm-symbolizer-14 /usr/lib/llvm-14/bin/llvm-symbolizer; do
    if command -v "$s" >/dev/null 2>&1; then
      ASAN_SYMBOLIZER_PATH=$(command -v "$s")
      export ASAN_SYMBOLIZER_PATH
      break
    fi
  done
fi
[ -d "$seeds" ] || seeds=""
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$corpus/" "$corpus" $seeds
