#!/usr/bin/env bash
# `seodong serve` over real HTTP, used the way its clients use it: an Open311 client with an API
# key (every endpoint in .json and .xml, and the error cases), the KakaoTalk platform posting
# skill requests across a three-turn filing, and a resident's browser on /track. Also the
# security edges: security headers, escaping of a script in a description, SQL metacharacters
# kept as text, body and header limits, wrong methods, rate limits, a clean stop on SIGTERM.
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
PID= GW_PID= KMA_PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null
    [ -n "$KMA_PID" ] && kill "$KMA_PID" 2>/dev/null
    rm -rf "$DIR"
}
trap cleanup EXIT
export SEODONG_DB="$DIR/seodong.db" SEODONG_NOW=2026-11-25T10:00
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"
status() { # status URL CURL-ARGS...: the HTTP status only
    local url=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' "$@" "$url"
}
valid_json() { python3 -c 'import json,sys; json.loads(sys.stdin.read())' 2>/dev/null && echo ok || echo bad; }
valid_xml() { python3 -c 'import sys,xml.etree.ElementTree as E; E.fromstring(sys.stdin.buffer.read())' 2>/dev/null && echo ok || echo bad; }
complaints() { sqlite3 "$SEODONG_DB" 'select count(*) from complaints'; }

# The office's one process also delivers notifications: a gateway on 127.0.0.1 receives them.
python3 "$SRC/tests/mock/fake_gateway.py" "$DIR" --appkey office --secret s3cret &
GW_PID=$!
wait_for gateway-listens test -f "$DIR/port"
touch "$DIR/accepted.jsonl"
# ... and keeps the forecast cache warm: a weather service on 127.0.0.1 is asked at start.
mkdir -p "$DIR/kma"
python3 "$SRC/tests/mock/kma_server.py" "$DIR/kma" "$SRC/tests/data/kma" &
KMA_PID=$!
wait_for weather-listens test -s "$DIR/kma/port"
echo vilage_rain.json >"$DIR/kma/getVilageFcst"
cat >"$DIR/seodong.conf" <<EOF
[weather]
url = http://127.0.0.1:$(cat "$DIR/kma/port")/1360000/VilageFcstInfoService_2.0
service_key = test
[web]
base_url = https://seodong.example.kr
track_per_minute = 40
[gateway]
url = http://127.0.0.1:$(cat "$DIR/port")/
appkey = office
secret_key = s3cret
sender_key = 0123456789abcdef0123456789abcdef01234567
timeout_ms = 2000
EOF
KEY=$(seodong staff apikey issue tester 2>/dev/null)
OLD=$(seodong staff apikey issue leaver 2>/dev/null)
seodong staff apikey revoke leaver >/dev/null
equal key-format "$(grep -cE '^[0-9a-f]{64}$' <<<"$KEY")" "1"
equal key-hashed "$(sqlite3 "$SEODONG_DB" "select count(*) from api_keys where hash = '$KEY'")" "0"

"$BIN" serve --listen 127.0.0.1:0 --config "$DIR/seodong.conf" >"$DIR/out" 2>"$DIR/err" &
PID=$!
wait_for serving grep -qs serving "$DIR/out"
BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out")
expect started "$BASE" "http://127.0.0.1:"
O=$BASE/open311/v2

# ---- discovery and services, both formats ----
out=$(curl -s -i "$O/discovery.json")
expect headers-csp "$out" "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'"
expect headers-nosniff "$out" "X-Content-Type-Options: nosniff"
expect discovery-json "$out" '"url":"https://seodong.example.kr/open311/v2"'
expect discovery-json-valid "$(curl -s "$O/discovery.json" | valid_json)" ok
out=$(curl -s -i "$O/discovery.xml")
expect discovery-xml-type "$out" "Content-Type: text/xml; charset=utf-8"
expect discovery-xml "$out" "<formats><format>application/json</format><format>text/xml</format></formats>"
expect discovery-xml-valid "$(curl -s "$O/discovery.xml" | valid_xml)" ok
out=$(curl -s "$O/services.json")
expect services-json "$out" '{"service_code":"illegal_parking","service_name":"불법 주차"'
expect services-json-metadata "$out" '"metadata":true'
expect services-xml "$(curl -s "$O/services.xml")" "<service><service_code>noise</service_code><service_name>소음</service_name>"
expect services-en "$(curl -s "$O/services.json?lang=en")" '"service_name":"noise"'
expect service-def-json "$(curl -s "$O/services/noise.json")" '"code":"public","datatype":"singlevaluelist"'
expect service-def-xml "$(curl -s "$O/services/noise.xml")" "<values><value><key>false</key>"
expect service-def-xml-valid "$(curl -s "$O/services/noise.xml" | valid_xml)" ok
out=$(curl -s -w ' %{http_code}' "$O/services/nothing.json")
equal service-unknown-json "$out" '[{"code":404,"description":"service_code not found"}] 404'
expect service-unknown-xml "$(curl -s "$O/services/nothing.xml")" "<errors><error><code>404</code>"

# ---- filing ----
before=$(complaints)
expect post-no-key "$(curl -s -w ' %{http_code}' -d 'service_code=noise&address_string=x&description=y' "$O/requests.json")" '[{"code":403,'
equal post-revoked-key "$(status "$O/requests.xml" -d "api_key=$OLD&service_code=noise&address_string=x&description=y")" 403
equal post-unknown-service "$(status "$O/requests.json" -d "api_key=$KEY&service_code=ufo&address_string=x&description=y")" 404
equal post-no-description "$(status "$O/requests.json" -d "api_key=$KEY&service_code=noise&address_string=x")" 400
equal post-no-place "$(status "$O/requests.json" -d "api_key=$KEY&service_code=noise&description=y")" 400
equal post-bad-latlong "$(status "$O/requests.json" -d "api_key=$KEY&service_code=noise&lat=abc&long=1&description=y")" 400
equal post-bad-phone "$(status "$O/requests.json" -d "api_key=$KEY&service_code=noise&address_string=x&description=y&phone=call-me")" 400
equal post-json-body "$(status "$O/requests.json" -H 'Content-Type: application/json' -d '{"api_key":"x"')" 400
expect post-wrong-method "$(curl -s -i -X PUT "$O/requests.json")" "Allow: GET, POST"
equal post-wrong-method-status "$(status "$O/requests.json" -X DELETE)" 405
equal get-wrong-method "$(status "$O/services.json" -X POST -d a=b)" 405
equal nothing-written "$(complaints)" "$before"

XSS='<script>alert("x")</script> 공원 앞 소음'
SQL="'); DROP TABLE complaints; -- \" OR 1=1"
pub=$(curl -s -w ' %{http_code}' --data-urlencode "api_key=$KEY" -d service_code=noise \
    --data-urlencode "address_string=청라동" --data-urlencode "description=$XSS 010-1234-5678" \
    -d phone=010-1234-5678 --data-urlencode 'attribute[public]=true' "$O/requests.json")
expect post-public "$pub" '"service_request_id":"SG-2026-000001"'
equal post-status "${pub##* }" 201
TOKEN=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' <<<"$pub")
priv=$(curl -s --data-urlencode "api_key=$KEY" -d service_code=illegal_parking -d lat=37.5453 -d long=126.6761 \
    --data-urlencode "description=$SQL" -d phone=01099998888 "$O/requests.xml")
expect post-private-xml "$priv" "<service_requests><request><service_request_id>SG-2026-000002</service_request_id>"
expect post-private-xml-valid "$(valid_xml <<<"$priv")" ok
equal sql-kept-as-text "$(sqlite3 "$SEODONG_DB" "select detail from complaints where receipt='SG-2026-000002'")" "$SQL"
equal sql-table-intact "$(complaints)" "$((before + 2))"
equal received-queued "$(sqlite3 "$SEODONG_DB" "select count(*) from outbox where template='SD_RECEIVED'")" "2"
equal routed "$(sqlite3 "$SEODONG_DB" "select department, channel from complaints where receipt='SG-2026-000002'")" "parking|open311"

# ---- reading ----
out=$(curl -s "$O/requests.json")
expect list-public "$out" '"service_request_id":"SG-2026-000001","status":"open","status_notes":"접수"'
expect list-datetime "$out" '"requested_datetime":"2026-11-25T10:00:00+09:00"'
expect list-agency "$out" '"agency_responsible":"환경보호과"'
absent list-no-private "$out" "SG-2026-000002"
absent list-no-phone "$out" "5678"
expect list-xml "$(curl -s "$O/requests.xml")" "<status>open</status>"
expect list-xml-valid "$(curl -s "$O/requests.xml" | valid_xml)" ok
equal list-by-code "$(curl -s "$O/requests.json?service_code=illegal_parking")" "[]"
equal list-closed "$(curl -s "$O/requests.json?status=closed")" "[]"
expect list-open "$(curl -s "$O/requests.json?status=open&service_code=noise")" "SG-2026-000001"
expect list-bad-status "$(curl -s -w ' %{http_code}' "$O/requests.json?status=maybe")" '[{"code":400,'
equal list-bad-date "$(status "$O/requests.xml?start_date=yesterday")" 400
expect list-window-in "$(curl -s "$O/requests.json?start_date=2026-11-25T00:00:00%2B09:00&end_date=2026-11-26T00:00:00Z")" "SG-2026-000001"
equal list-window-out "$(curl -s "$O/requests.json?start_date=2026-10-01&end_date=2026-11-01")" "[]"
expect list-ids "$(curl -s "$O/requests.json?service_request_id=SG-2026-000002,SG-2026-000001")" "SG-2026-000001"
absent list-ids-private "$(curl -s "$O/requests.json?service_request_id=SG-2026-000002,SG-2026-000001")" "SG-2026-000002"
expect one-json "$(curl -s "$O/requests/SG-2026-000001.json")" '"expected_datetime":"2026-12-03T18:00:00+09:00"'
expect one-xml "$(curl -s "$O/requests/SG-2026-000001.xml")" "&lt;script&gt;"
equal one-private "$(status "$O/requests/SG-2026-000002.json")" 404
expect one-unknown-xml "$(curl -s "$O/requests/SG-2099-000001.xml")" "<errors><error><code>404</code>"
equal token-json "$(curl -s "$O/tokens/$TOKEN.json")" "[{\"service_request_id\":\"SG-2026-000001\",\"token\":\"$TOKEN\"}]"
expect token-xml "$(curl -s "$O/tokens/$TOKEN.xml")" "<token>$TOKEN</token>"
equal token-unknown "$(status "$O/tokens/feedface.json")" 404
equal no-format "$(status "$O/services")" 404
expect unknown-path "$(curl -s -i "$BASE/admin")" "X-Content-Type-Options: nosniff"
equal unknown-path-status "$(status "$BASE/admin")" 404

# A closed complaint is closed in Open311 too, through the same lifecycle as the terminal.
seodong staff add kim --name 김환경 --dept environment --role officer >/dev/null
seodong staff add lee --name 이과장 --dept environment --role head >/dev/null
for step in "assign --officer kim --as lee" "start --as kim" "answer --as kim --text 야간_공사_중지_조치" \
    "confirm --as kim" "approve --as lee"; do
    # shellcheck disable=SC2086
    seodong staff ${step%% *} SG-2026-000001 ${step#* } >/dev/null
done
expect closed "$(curl -s "$O/requests.json?status=closed")" '"status":"closed","status_notes":"완료"'

# ---- tracking page ----
T=$BASE/track
out=$(curl -s -i "$T")
expect track-form "$out" '<label for="receipt">접수번호</label>'
expect track-lang "$out" '<html lang="ko">'
expect track-landmarks "$out" "<main>"
expect track-en "$(curl -s -H 'Accept-Language: en-US,en;q=0.8' "$T")" '<html lang="en">'
expect track-en-switch "$(curl -s "$T?lang=en")" "Track your complaint"
right=$(curl -s -w ' %{http_code}' "$T?receipt=SG-2026-000001&digits=5678")
equal track-right "${right##* }" 200
expect track-current "$right" '<li class="step current" aria-current="step"><strong>완료</strong>'
expect track-time "$right" "11월 25일 수요일 오전 10시"
expect track-answer "$right" "야간_공사_중지_조치"
expect track-due "$right" "12월 3일 목요일 오후 6시"
expect track-escaped "$right" "&lt;script&gt;alert("
absent track-no-script "$right" "<script>"
post=$(curl -s -w ' %{http_code}' -d receipt=SG-2026-000002 -d digits=8888 -d lang=en "$T")
expect track-post "$post" "Received"
expect track-post-next "$post" '<li class="step next"><strong>Assigned</strong> <span>to come</span>'
wrong=$(curl -s -w ' %{http_code}' "$T?receipt=SG-2026-000001&digits=1111")
missing=$(curl -s -w ' %{http_code}' "$T?receipt=SG-2026-999999&digits=1111")
equal track-wrong "${wrong##* }" 404
absent track-wrong-hides "$wrong" "환경보호과"
expect track-no-oracle "$(sed 's/SG-2026-999999/SG-2026-000001/' <<<"$missing")" "$wrong"
expect track-css "$(curl -s -i "$BASE/track.css")" "Content-Type: text/css"
equal track-method "$(status "$T" -X DELETE)" 405
# 40 look-ups a minute per address; the four above and 36 more fill the minute. The clock is the
# pinned one (SEODONG_NOW): on the real one a new minute could begin in the middle.
codes=""
for _ in $(seq 40); do codes+=$(status "$T?receipt=SG-2026-000001&digits=0000")" "; done
equal track-rate-limited "$codes" "$(printf '404 %.0s' $(seq 36))$(printf '429 %.0s' $(seq 4))"
# A resident cannot leave the limit by naming another address: no proxy is trusted here.
equal track-xff-untrusted "$(status "$T?receipt=SG-2026-000001&digits=0000" \
    -H 'X-Forwarded-For: 203.0.113.9')" 429
# Behind a trusted proxy (nginx on 127.0.0.1), each forwarded client has a limit of its own.
sed 's/^track_per_minute = 40$/track_per_minute = 2\ntrusted_proxies = 10.0.0.1, 127.0.0.1/' \
    "$DIR/seodong.conf" >"$DIR/proxied.conf"
"$BIN" serve --listen 127.0.0.1:0 --config "$DIR/proxied.conf" >"$DIR/proxied.out" 2>"$DIR/proxied.err" &
PROXIED=$!
wait_for proxied-serving grep -qs serving "$DIR/proxied.out"
PT=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/proxied.out")/track
codes=""
for who in 198.51.100.7 198.51.100.7 198.51.100.7 198.51.100.8; do
    codes+=$(status "$PT?receipt=SG-2026-000001&digits=0000" -H "X-Forwarded-For: 192.0.2.1, $who")" "
done
equal track-xff-trusted "$codes" "404 404 429 404 "
kill "$PROXIED"
wait "$PROXIED" 2>/dev/null || true

# ---- KakaoTalk skill ----
kakao() { # kakao USER UTTERANCE: the platform's request body
    python3 -c 'import json,sys; print(json.dumps({"intent":{"id":"i1","name":"블록"},
 "userRequest":{"timezone":"Asia/Seoul","params":{"ignoreMe":"true"},"block":{"id":"b1","name":"블록"},
 "utterance":sys.argv[2],"lang":"kr","user":{"id":sys.argv[1],"type":"botUserKey","properties":{"plusfriendUserKey":"pf"}}},
 "contexts":[],"bot":{"id":"bot1","name":"서동이"},
 "action":{"id":"a1","name":"skill","params":{},"detailParams":{},"clientExtra":None}}, ensure_ascii=False))' "$1" "$2" |
        curl -s -w ' %{http_code}' -H 'Content-Type: application/json' --data-binary @- "$BASE/kakao/skill"
}
one=$(kakao user-a "청라동 공원 앞에 불법 주차 신고할게요")
expect kakao-1 "$one" '{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"청라동, 불법 주차'
expect kakao-1-quick "$one" '"quickReplies":[{"action":"message","label":"익명","messageText":"익명"}]'
other=$(kakao user-b "네")
absent kakao-separate "$other" "접수되었습니다"
two=$(kakao user-a "흰색 차가 인도를 막고 있어요 010-2222-3333")
expect kakao-2 "$two" "이대로 접수할까요?"
expect kakao-2-quick "$two" '{"action":"message","label":"네","messageText":"네"},{"action":"message","label":"아니요"'
three=$(kakao user-a "네")
expect kakao-3 "$three" "접수번호는 SG-2026-000003입니다"
equal kakao-stored "$(sqlite3 "$SEODONG_DB" "select channel from complaints where receipt='SG-2026-000003'")" "kakao"
# The dialogue's count of wrong digits holds for the Kakao conversation: asking again does not
# start it over, and after the third even the right digits (3333) show nothing.
for d in 1111 2222; do kakao user-e "SG-2026-000003 $d" >/dev/null; done
expect kakao-digits-third "$(kakao user-e "SG-2026-000003 4444")" "이 대화에서는 더 확인해 드릴 수 없어요"
right=$(kakao user-e "SG-2026-000003 3333")
expect kakao-digits-locked "$right" "이 대화에서는 더 확인해 드릴 수 없어요"
absent kakao-digits-locked-hides "$right" "처리 기한"
cats=$(kakao user-c "민원 신고할게요")
expect kakao-category-quick "$cats" '"label":"불법 주차"'
long=$(kakao user-d "$(printf '쓰레기 %.0s' $(seq 900))")
equal kakao-long-ok "${long##* }" 200
equal kakao-text-limit "$(sed 's/ [0-9]*$//' <<<"$long" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["template"]["outputs"][0]["simpleText"]["text"]) <= 1000)')" "True"
before=$(complaints)
expect kakao-malformed "$(curl -s -w ' %{http_code}' -d '{"userRequest":' "$BASE/kakao/skill")" '"error":"bad_request"'
equal kakao-no-user "$(status "$BASE/kakao/skill" -d '{"userRequest":{"utterance":"네"}}')" 400
equal kakao-method "$(status "$BASE/kakao/skill")" 405

# ---- limits ----
head -c 70000 /dev/zero | tr '\0' a >"$DIR/big"
equal huge-body "$(status "$O/requests.json" --data-binary @"$DIR/big")" 413
equal huge-chunked "$(status "$BASE/kakao/skill" -H 'Transfer-Encoding: chunked' --data-binary @"$DIR/big")" 413
equal huge-header "$(status "$T" -H "X-Filler: $(head -c 40000 /dev/zero | tr '\0' b)")" 431
equal nothing-written-2 "$(complaints)" "$before"
equal still-serving "$(status "$O/discovery.json")" 200

# ---- notifications from the same process ----
delivered() { [ "$(grep -c SD_RECEIVED "$DIR/accepted.jsonl")" -ge "$1" ]; }
wait_for sender-delivered delivered 2
out=$(cat "$DIR/accepted.jsonl")
expect sender-delivers "$out" '"recipientNo": "01012345678"'
expect sender-links "$out" '"link": "https://seodong.example.kr/track?receipt='

# ---- the forecast, fetched by the process itself ----
wait_for weather-asked grep -qs getVilageFcst "$DIR/kma/requests.log"
expect weather-refreshed "$(cat "$DIR/kma/requests.log" 2>/dev/null)" "getVilageFcst?"
equal weather-cached "$(sqlite3 "$SEODONG_DB" "select count(*) from forecasts where body is not null")" "1"

# ---- clean stop ----
kill -TERM "$PID"
wait "$PID"
exited stop-exit "$?" 0
expect stop-message "$(cat "$DIR/err")" "SIGTERM received, stopping"
PID=

checks_done test_web
