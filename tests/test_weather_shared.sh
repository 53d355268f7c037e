#!/usr/bin/env bash
# test_weather_shared.sh - one fetch per forecast issue across all boxes: three `seodong chat`
# processes, each a box with its own local file, share one PostgreSQL store (SEODONG_TEST_DB,
# registered with seodong_pg_test) and ask for the weather at the same moment against
# tests/mock/kma_server.py. Every box answers with the forecast, and the service sees one
# request per issue: one for the 05:00 issue, one more when all three ask again after the
# 08:00 issue.
set -u
SRC=${SEODONG_SOURCE_DIR:?}
DB=${SEODONG_TEST_DB:?run this through ctest: seodong_pg_test in CMakeLists.txt}
BOXES=3
DIR=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$DIR"' EXIT
. "$SRC/tests/check.sh"

python3 "$SRC/tests/mock/kma_server.py" "$DIR" "$SRC/tests/data/kma" &
SERVER=$!
wait_for weather-listens test -s "$DIR/port"
printf '[weather]\nurl = http://127.0.0.1:%s/1360000/VilageFcstInfoService_2.0\nservice_key = k\ntimeout_ms = 2000\n' \
    "$(cat "$DIR/port")" >"$DIR/seodong.conf"
echo vilage_rain.json >"$DIR/getVilageFcst"
echo ncst_rain.json >"$DIR/getUltraSrtNcst"
asked() { grep -c "^$1?" "$DIR/requests.log" 2>/dev/null || true; }
ask_all() { # ask_all ROUND NOW: every box asks at once; their answers in DIR/ROUND-BOX.out
    local pids=() box
    for box in $(seq "$BOXES"); do
        mkdir -p "$DIR/box-$box"
        (cd "$DIR/box-$box" && printf '오늘 오후에 비 와요?\n' |
            SEODONG_NOW=$2 exec "${SEODONG_BIN:?}" chat --db "$DB" --config "$DIR/seodong.conf" \
                >"$DIR/$1-$box.out" 2>"$DIR/$1-$box.err") &
        pids+=($!)
    done
    for box in $(seq "$BOXES"); do
        wait "${pids[$((box - 1))]}"
        exited "$1-box-$box" "$?" 0
        expect "$1-box-$box-advice" "$(cat "$DIR/$1-$box.out")" "오늘 오후에 비 올 확률이 80%예요."
    done
}

ask_all first 2026-07-08T07:30
equal one-fetch-for-all-boxes "$(asked getVilageFcst)" 1
ask_all again 2026-07-08T07:50
equal cached-for-all-boxes "$(asked getVilageFcst)" 1
ask_all next-issue 2026-07-08T08:15
equal one-fetch-for-the-next-issue "$(asked getVilageFcst)" 2
expect next-issue-asked "$(tail -n 1 "$DIR/requests.log")" "base_date=20260708&base_time=0800&"
checks_done test_weather_shared
