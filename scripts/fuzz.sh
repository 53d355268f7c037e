#!/usr/bin/env bash
# fuzz.sh - runs the libFuzzer targets (tests/fuzz/fuzz_*.c) for a while each: a clang build in
# build-fuzz/ with -DSEODONG_FUZZ=ON (ASan and UBSan on), started from the seeds in
# tests/fuzz/corpus/TARGET/ (inputs found along the way go to build-fuzz/corpus/, not the
# repository). A crash stops the run with the input saved in build-fuzz/ and exit status 1.
# Every test run replays the seeds without libFuzzer (ctest fuzz_replay_NAME, tests/fuzz/replay.c).
# Usage: scripts/fuzz.sh [SECONDS per target, default 20]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:-20}
BUILD=$ROOT/build-fuzz
CC=clang cmake -S "$ROOT" -B "$BUILD" -DSEODONG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
    target=$(basename "$src" .c)
    nice cmake --build "$BUILD" -j2 --target "$target" >/dev/null
    name=${target#fuzz_}
    mkdir -p "$BUILD/corpus/$name"
    echo "== $target: ${SECONDS_EACH} s =="
    (cd "$BUILD" && nice "./$target" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
        "corpus/$name" "$ROOT/tests/fuzz/corpus/$name" 2>&1 |
        grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)|ERROR|SUMMARY")
done
