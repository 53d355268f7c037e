#!/usr/bin/env bash
# Waiting on outside services (a section of scripts/bench.sh, also runnable alone after a
# build): how long a resident waits when a service Seodong calls hangs. The tests show only that
# nobody waits for the service's own time-out; the times are measured here.
#   WAIT_GREETING_MS  the slowest of RUNS greetings (`seodong chat`, one line, the whole process)
#                     while the weather service holds every request 30 s; the greeting gives up
#                     on the forecast after 1.5 s
#   WAIT_FILING_MS    the slowest of RUNS complaints filed by chat (three turns, the whole process)
#                     while the notification sender hangs inside a request to the gateway
# Usage: scripts/bench_waits.sh [BUILD_DIR]; WAIT_BENCH_RUNS (default 5).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD=${1:-$ROOT/build}
RUNS=${WAIT_BENCH_RUNS:-5}
TMP="$(mktemp -d "${TMPDIR:-/tmp}/seodong-waits.XXXXXX")"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
export SEODONG_NOW=2026-07-08T07:30

# wait_until COMMAND...: until COMMAND succeeds; after 30 s the bench stops.
wait_until() {
    local deadline=$((SECONDS + 30))
    until "$@"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "bench_waits: still not so after 30 s: $*" >&2
            exit 1
        fi
        sleep 0.05
    done
}
# slowest_ms COMMAND...: runs it RUNS times (stdin from $TMP/input), prints the slowest in ms.
slowest_ms() {
    local worst=0 start ms
    for _ in $(seq "$RUNS"); do
        start=$(date +%s%N)
        "$@" <"$TMP/input" >/dev/null
        ms=$((($(date +%s%N) - start) / 1000000))
        [ "$ms" -gt "$worst" ] && worst=$ms
    done
    echo "$worst"
}

mkdir -p "$TMP/kma"
python3 "$ROOT/tests/mock/kma_server.py" "$TMP/kma" "$ROOT/tests/data/kma" &
PIDS+=($!)
wait_until test -s "$TMP/kma/port"
echo hang >"$TMP/kma/getVilageFcst"
printf '[weather]\nurl = http://127.0.0.1:%s/1360000/VilageFcstInfoService_2.0\nservice_key = x\ntimeout_ms = 60000\n' \
    "$(cat "$TMP/kma/port")" >"$TMP/weather.conf"
printf '안녕하세요\n' >"$TMP/input"
# Each run on a new database: a database that tried within 10 minutes would not ask again.
greeting() { rm -f "$TMP"/greet.db*; "$BUILD/seodong" chat --db "$TMP/greet.db" --config "$TMP/weather.conf"; }
echo "WAIT_GREETING_MS $(slowest_ms greeting)"

mkdir -p "$TMP/gw"
python3 "$ROOT/tests/mock/fake_gateway.py" "$TMP/gw" --appkey bench --secret s3cret &
PIDS+=($!)
wait_until test -s "$TMP/gw/port"
curl -s -X POST -d hang "http://127.0.0.1:$(cat "$TMP/gw/port")/control/mode" >/dev/null
printf '[gateway]\nurl = http://127.0.0.1:%s/\nappkey = bench\nsecret_key = s3cret\nsender_key = 0123456789abcdef0123456789abcdef01234567\ntimeout_ms = 60000\n' \
    "$(cat "$TMP/gw/port")" >"$TMP/gateway.conf"
printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 차가 인도를 막고 있어요 010-1234-5678\n네\n' >"$TMP/input"
"$BUILD/seodong" chat --db "$TMP/file.db" --config "$TMP/gateway.conf" <"$TMP/input" >/dev/null
"$BUILD/seodong" notify --db "$TMP/file.db" --config "$TMP/gateway.conf" 2>/dev/null &
PIDS+=($!)
sending() { [ "$(sqlite3 "$TMP/file.db" "select count(*) from outbox where state = 'sending'")" = 1 ]; }
wait_until sending
filing() { "$BUILD/seodong" chat --db "$TMP/file.db" --config "$TMP/gateway.conf"; }
echo "WAIT_FILING_MS $(slowest_ms filing)"
