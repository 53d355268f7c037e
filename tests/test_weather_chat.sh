#!/usr/bin/env bash
# Weather end to end: the real `seodong chat` with [weather] url pointing at tests/mock/kma_server.py,
# which serves recorded KMA answers (tests/data/kma) and logs each request. Shows the advice
# (rain, heat, cold, snow), one request per forecast issue however often residents ask, a new
# request for a new issue, the gateway's XML and plain-text errors, a service that hangs, and
# the offline case with and without a cached forecast.
set -u
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
SERVER=
stop_server() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; SERVER=; }
trap 'stop_server; rm -rf "$DIR"' EXIT
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"

python3 "$SRC/tests/mock/kma_server.py" "$DIR" "$SRC/tests/data/kma" &
SERVER=$!
wait_for weather-listens test -s "$DIR/port"
PORT=$(cat "$DIR/port")
# A "decoding" key (+ / =): it must reach the service URL-encoded.
cat >"$DIR/seodong.conf" <<EOF
[weather]
url = http://127.0.0.1:$PORT/1360000/VilageFcstInfoService_2.0
service_key = Ab+cD/e==
timeout_ms = 700
EOF
export SEODONG_CONFIG="$DIR/seodong.conf"
serve() { echo "$2" >"$DIR/$1"; } # serve OPERATION "FIXTURE [STATUS]" | hang
asked() { grep -c "^$1?" "$DIR/requests.log" 2>/dev/null || true; } # requests of an operation
chat() { # chat DB NOW [--lang en] < lines
    local db=$1 now=$2
    shift 2
    SEODONG_DB="$DIR/$db" SEODONG_NOW=$now seodong chat "$@"
}

# Rain in the afternoon: many questions, one request per operation and issue.
serve getVilageFcst vilage_rain.json
serve getUltraSrtNcst ncst_rain.json
out=$(printf '오늘 날씨 어때\n오늘 오후에 비 와요?\n우산 필요해요?\n지금 몇 도예요\n안녕하세요\n' |
    chat rain.db 2026-07-08T07:30)
expect rain-advice "$out" "오늘 오후에 비 올 확률이 80%예요. 우산 챙기세요."
expect rain-overview "$out" "오늘 서구는 구름이 많고 기온이 22도에서 27도 사이예요."
expect nowcast "$out" "지금 기온은 23도예요."
expect greeting-remark "$out" "무엇을 도와드릴까요?
오늘 오후에 비 올 확률이 80%예요."
absent rain-fresh "$out" "발표된"
out=$(printf 'will it rain this afternoon\n' | chat rain.db 2026-07-08T07:55 --lang en)
expect rain-en "$out" "Rain is likely this afternoon (80%) — take an umbrella."
equal one-request-per-issue "$(asked getVilageFcst)" 1
equal one-nowcast "$(asked getUltraSrtNcst)" 1
expect request-issue "$(cat "$DIR/requests.log")" \
    "getVilageFcst?serviceKey=Ab%2BcD%2Fe%3D%3D&pageNo=1&numOfRows=1000&dataType=JSON&base_date=20260708&base_time=0500&nx=55&ny=126"
printf '오늘 날씨 어때\n' | chat rain.db 2026-07-08T08:15 >/dev/null
equal new-issue-new-request "$(asked getVilageFcst)" 2
expect new-issue-time "$(tail -1 "$DIR/requests.log")" "base_date=20260708&base_time=0800&"

# The gateway refuses the key, in XML although JSON was asked for: HTTP 200, then 403.
serve getVilageFcst "key_error.xml 200"
out=$(printf '오늘 날씨 어때\n내일 날씨는요?\n' | chat rain.db 2026-07-08T11:20)
expect xml-old-forecast "$out" "지금은 기상청에 연결되지 않아서, 3시간 전에 발표된 예보로 알려 드릴게요."
expect xml-still-advises "$out" "우산 챙기세요"
equal xml-no-hammering "$(asked getVilageFcst)" 3
expect xml-error-kept "$(sqlite3 "$DIR/rain.db" "select error from forecasts where base_time='1100'")" \
    "gateway: HTTP 200: SERVICE_KEY_IS_NOT_REGISTERED_ERROR (returnReasonCode 30)"
serve getVilageFcst "key_error.xml 403"
out=$(printf 'how is the weather today\n' | chat xml.db 2026-07-08T11:20)
expect xml403-nothing "$out" "Sorry, I can't get the forecast from the Korea Meteorological Administration right now. Please check weather.go.kr or call the weather line at 131."
expect xml403-error-kept "$(sqlite3 "$DIR/xml.db" "select error from forecasts")" "HTTP 403: SERVICE_KEY_IS_NOT_REGISTERED_ERROR"
printf 'how is the weather today\n' | chat xml.db 2026-07-08T11:29 >/dev/null
equal retry-waits "$(asked getVilageFcst)" 4
printf 'how is the weather today\n' | chat xml.db 2026-07-08T11:31 >/dev/null
equal retry-after-10-minutes "$(asked getVilageFcst)" 5

# Plain text from another gateway, and an answer that stops halfway.
serve getVilageFcst "unexpected.txt 500"
out=$(printf '날씨 알려 주세요\n' | chat text.db 2026-07-08T07:30)
expect text-nothing "$out" "날씨누리(weather.go.kr)에서 보시거나 131 기상콜센터에 전화해 주세요."
expect text-error-kept "$(sqlite3 "$DIR/text.db" "select error from forecasts")" "gateway: HTTP 500: Unexpected errors"
serve getVilageFcst truncated.json
printf '날씨 알려 주세요\n' | chat cut.db 2026-07-08T07:30 >/dev/null
expect truncated-error "$(sqlite3 "$DIR/cut.db" "select error from forecasts")" "malformed: unreadable JSON"

# Heat, and cold with snow tomorrow.
serve getVilageFcst vilage_hot.json
out=$(printf '오늘 더워요?\n좋은 아침\n' | chat hot.db 2026-08-05T07:00)
expect heat "$out" "낮 기온이 35도까지 올라 무척 더워요."
expect heat-greeting "$out" "무엇을 도와드릴까요?
낮 기온이 35도까지"
serve getVilageFcst vilage_cold.json
out=$(printf '오늘 추워요?\n내일 눈 와요?\nis it cold today\n' | chat cold.db 2026-01-15T07:00)
expect cold "$out" "기온이 영하 8도까지 내려가 많이 추워요. 따뜻하게 입고 나가세요."
expect snow "$out" "내일 오후에 눈 올 확률이 70%예요."
expect cold-en "$out" "It will be very cold, down to minus 8 degrees — dress warmly."

# A service that never answers (it holds the request 30 s), with a time-out of a minute: the
# greeting gives up after its own 1.5 s and says nothing of the weather. A greeting that waited
# for the service would be stopped at 20 s (exit 124). How long it takes is the bench's to say.
serve getVilageFcst hang
sed 's/^timeout_ms = .*/timeout_ms = 60000/' "$SEODONG_CONFIG" >"$DIR/patient.conf"
out=$(printf '안녕하세요\n' | SEODONG_CONFIG="$DIR/patient.conf" SEODONG_DB="$DIR/hang.db" \
    SEODONG_NOW=2026-07-08T07:30 checked timeout 20 "$SEODONG_BIN" chat)
expect hang-greets "$out" "좋은 아침이에요!"
absent hang-no-remark "$out" "우산"
expect hang-error-kept "$(sqlite3 "$DIR/hang.db" "select error from forecasts")" "network: "

# Offline: the service is gone. With a cached forecast its age is said; without, where to look.
stop_server
out=$(printf '오늘 오후에 비 와요?\n' | chat rain.db 2026-07-08T13:40)
expect offline-age "$out" "지금은 기상청에 연결되지 않아서, 5시간 전에 발표된 예보로 알려 드릴게요."
expect offline-advice "$out" "오늘 오후에 비 올 확률이 80%예요."
out=$(printf '오늘 날씨 어때\n안녕하세요\n' | chat empty.db 2026-07-08T13:40)
expect offline-nothing "$out" "죄송해요, 지금은 기상청 예보를 받아 올 수 없어요."
expect offline-greets "$out" "안녕하세요! 서구청 안내 도우미 서동이예요. 무엇을 도와드릴까요?"

checks_done test_weather_chat
