#!/usr/bin/env bash
# Browser tests of `seodong serve` in Debian's chromium driven by puppeteer-core, with axe-core
# in every page and screenshots at 390 px and 1280 px written to screenshots/ in the build folder:
# tests/browser/journey.mjs (a complaint's whole life: Kakao, tracking page, clerk, head) on a
# new office, and tests/browser/dashboard.mjs (charts painted, text inside its boxes, the steps
# offered) on the office tests/browser/seed_office.sh fills with eight weeks of work, the
# server's clock pinned to the last day.
#
# chromium, Node.js and the npm packages (npm ci from tests/browser/package-lock.json into
# tests/browser/node_modules) come from scripts/deps.sh; nothing is installed here. When any is
# missing the test fails and says so: CI must never pass without having looked.
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
BROWSER=$SRC/tests/browser
DIR=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$DIR"
}
trap cleanup EXIT
fail() {
    echo "FAIL test_browser: $*" >&2
    exit 1
}

[ -x "$CHROMIUM" ] || fail "no chromium at $CHROMIUM: run scripts/deps.sh"
command -v node >/dev/null || fail "no node: run scripts/deps.sh"
cmp -s "$BROWSER/package-lock.json" "$BROWSER/node_modules/.seodong-lock" ||
    fail "the npm packages of tests/browser are missing or older than its package-lock.json: run scripts/deps.sh"
if ! timeout 60 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --user-data-dir="$DIR/profile" \
    --dump-dom about:blank >/dev/null 2>"$DIR/chromium.log"; then
    tail -3 "$DIR/chromium.log" >&2
    fail "chromium cannot start ($CHROMIUM); scripts/deps.sh installs it"
fi

# serve: starts seodong serve on a free port; BASE gets its address
serve() {
    rm -f "$DIR/out" # never the address of the server before
    "$BIN" serve --listen 127.0.0.1:0 >"$DIR/out" 2>"$DIR/err" &
    PID=$!
    BASE=
    for _ in $(seq 400); do
        BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out" 2>/dev/null)
        [ -n "$BASE" ] && break
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.05
    done
    [ -n "$BASE" ] || fail "seodong serve did not start: $(cat "$DIR/err")"
}
stop() {
    kill -TERM "$PID" && wait "$PID"
    local rc=$?
    PID=
    [ "$rc" -eq 0 ] || fail "seodong serve ended with $rc: $(tail -5 "$DIR/err")"
}
browse() { # browse SCRIPT: runs it against BASE; its status
    BASE=$BASE SHOTS="$PWD/screenshots" CHROMIUM=$CHROMIUM node "$BROWSER/$1"
}

status=0
rm -f screenshots/*.png # only this run's pictures

# ---- a complaint's whole life, on a new office ----
export SEODONG_DB="$DIR/journey.db"
"$BIN" staff add kim --name 김환경 --dept environment --role officer >/dev/null || fail "staff add"
"$BIN" staff add lee --name 이과장 --dept environment --role head >/dev/null || fail "staff add"
echo kim-password-1 | "$BIN" staff passwd kim >/dev/null || fail "passwd"
echo lee-password-1 | "$BIN" staff passwd lee >/dev/null || fail "passwd"
serve
browse journey.mjs || status=1
stop

# ---- the dashboard on eight weeks of work ----
export SEODONG_DB="$DIR/office.db"
SEODONG_BIN=$BIN bash "$BROWSER/seed_office.sh" || fail "seed_office.sh failed"
SEODONG_NOW=2026-11-25T10:00 serve
browse dashboard.mjs || status=1
stop
exit $status
