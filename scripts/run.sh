#!/usr/bin/env bash
# Installs what is missing, builds, and opens the text chat on the bundled data.
# The database lives in var/seodong.db (created and filled on first run). Extra arguments go to
# `seodong chat` (for example --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
mkdir -p var
exec build/seodong chat --db var/seodong.db "$@"
