#!/usr/bin/env bash
# Browser tests of `seodong serve` (tests/browser/journey.mjs): Debian's chromium driven by
# puppeteer-core, axe-core in every page, screenshots at phone and desktop width written to
# screenshots/ in the build folder. The npm packages are installed into tests/browser/node_modules
# on the first run (not committed). Skips (exit 77) only when chromium cannot start here.
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
DIR=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$DIR"
}
trap cleanup EXIT

if ! timeout 60 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --user-data-dir="$DIR/profile" \
    --dump-dom about:blank >/dev/null 2>"$DIR/chromium.log"; then
    echo "SKIP test_browser: chromium cannot start ($CHROMIUM; scripts/deps.sh installs it):" >&2
    tail -3 "$DIR/chromium.log" >&2
    exit 77
fi
if [ ! -d "$SRC/tests/browser/node_modules/puppeteer-core" ] || [ ! -d "$SRC/tests/browser/node_modules/axe-core" ]; then
    (cd "$SRC/tests/browser" && npm install --no-audit --no-fund --loglevel=error) || {
        echo "FAIL test_browser: npm install of puppeteer-core and axe-core failed" >&2
        exit 1
    }
fi

export SEODONG_DB="$DIR/seodong.db"
"$BIN" staff add kim --name 김환경 --dept environment --role officer >/dev/null
"$BIN" staff add lee --name 이과장 --dept environment --role head >/dev/null
echo kim-password-1 | "$BIN" staff passwd kim >/dev/null
echo lee-password-1 | "$BIN" staff passwd lee >/dev/null
"$BIN" serve --listen 127.0.0.1:0 >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 50); do grep -q serving "$DIR/out" && break; sleep 0.1; done
BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out")

BASE=$BASE SHOTS="$PWD/screenshots" CHROMIUM=$CHROMIUM node "$SRC/tests/browser/journey.mjs"
status=$?
kill -TERM "$PID" && wait "$PID"
PID=
exit $status
