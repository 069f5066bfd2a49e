#!/bin/sh
# Runs one libFuzzer target for a bounded time (CTest calls this).
#   run_fuzzer.sh TARGET CORPUS_DIR SEEDS_DIR SECONDS
# The working corpus lives in the build tree; seeds come from the source tree.
# A crash leaves its input in CORPUS_DIR/crash-* and fails the test.
set -eu
target=$1 corpus=$2 seeds=$3 seconds=$4
mkdir -p "$corpus"
[ -d "$seeds" ] || seeds=""
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$corpus/" "$corpus" $seeds
