#!/usr/bin/env bash
# Installs NLP.js (node-nlp, the version bench/nlpjs/package-lock.json pins) into
# bench/nlpjs/node_modules for the comparison in scripts/bench.sh. Not a dependency of Seodong
# itself. Idempotent. Usage: scripts/bench_nlpjs_setup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../bench/nlpjs"
if [ ! -d node_modules/node-nlp ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
