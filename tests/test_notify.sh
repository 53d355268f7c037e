#!/usr/bin/env bash
# The notification sender end to end: the real seodong binary against tests/mock/fake_gateway.py, a
# real HTTP server on 127.0.0.1 that records what it accepts and can be told to fail. Delivery
# with the phone masked in every log line; retry after a 500; dead letters after max_attempts,
# listed and retried; garbage answers; an answer lost after acceptance (no second delivery);
# filing by chat while the sender hangs on the gateway; and kill -9 in the middle of sending,
# after which every event reaches the gateway exactly once.
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
GW_PID= NOTIFY_PID=
cleanup() {
    [ -n "$NOTIFY_PID" ] && kill -9 "$NOTIFY_PID" 2>/dev/null
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null
    rm -rf "$DIR"
}
trap cleanup EXIT
export SEODONG_DB="$DIR/seodong.db" SEODONG_CONFIG="$DIR/seodong.conf"
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"

python3 "$SRC/tests/mock/fake_gateway.py" "$DIR" --appkey testapp --secret s3cret &
GW_PID=$!
wait_for gateway-listens test -f "$DIR/port"
PORT=$(cat "$DIR/port")
touch "$DIR/accepted.jsonl"
configure() { # configure TIMEOUT_MS MAX_ATTEMPTS
    printf '[gateway]\nurl = http://127.0.0.1:%s/\nappkey = testapp\nsecret_key = s3cret\nsender_key = 0123456789abcdef0123456789abcdef01234567\ntimeout_ms = %s\nmax_attempts = %s\nbackoff_s = 60\n' \
        "$PORT" "$1" "$2" >"$SEODONG_CONFIG"
}
mode() { curl -s -X POST -d "$1" "http://127.0.0.1:$PORT/control/mode" >/dev/null; }
file() { # file AT PHONE_LAST_DIGIT...: one complaint per digit, filed by chat at Korean time AT
    local at=$1; shift
    for d in "$@"; do
        printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 차가 인도를 막고 있어요 010-1234-567%s\n네\n' "$d"
    done | SEODONG_NOW=$at seodong chat | grep -c 접수번호는
}
notify() { # notify AT: one pass of the sender at Korean time AT: its counts; its log in $DIR/log
    SEODONG_NOW=$1 seodong notify --once 2>"$DIR/log"
}
counts() { # counts SENT CONFIRMED RETRY DEAD PENDING-NOW DEAD-NOW: the line notify prints
    echo "sent $1, already accepted $2, to retry $3, dead $4; now pending $5, dead $6"
}
accepted() { wc -l <"$DIR/accepted.jsonl" | tr -d ' '; }
state_of() { sqlite3 "$SEODONG_DB" "select state from outbox where id = $1"; }
configure 1000 3

# Delivery: the gateway gets template, recipient, parameters and key; logs show the phone masked.
equal filed "$(file 2026-11-25T14:30 8)" "1"
equal sent "$(notify 2026-11-25T14:30)" "$(counts 1 0 0 0 0 0)"
log=$(cat "$DIR/log")
expect log-masked "$log" "to 010-****-5678"
absent log-no-phone "$log" "01012345678"
absent log-no-secret "$log" "s3cret"
got=$(cat "$DIR/accepted.jsonl")
expect gw-recipient "$got" '"recipientNo": "01012345678"'
expect gw-template "$got" '"templateCode": "SD_RECEIVED"'
expect gw-params "$got" '"receipt": "SG-2026-000001"'
expect gw-key "$got" '"key": "SG-2026-000001-1"'
list=$(seodong outbox list)
expect list-sent "$list" "#1 sent    SG-2026-000001-1 SD_RECEIVED to 010-****-5678"
absent list-no-phone "$list" "01012345678"
equal nothing-again "$(notify 2026-11-25T18:00)" "$(counts 0 0 0 0 0 0)"
equal still-one "$(accepted)" "1"

# Retry after a 500, when the back-off (60 s) has passed and not before.
file 2026-11-25T14:40 1 >/dev/null
mode fail500
equal fail500 "$(notify 2026-11-25T14:40)" "$(counts 0 0 1 0 1 0)"
expect pending-error "$(seodong outbox list --state pending)" "attempts 1, due 2026-11-25 14:41, last error: the gateway answered HTTP 500"
mode ok
equal backoff-waits "$(notify 2026-11-25T14:40)" "$(counts 0 0 0 0 1 0)"
equal retry-sent "$(notify 2026-11-25T14:41)" "$(counts 1 0 0 0 0 0)"

# Dead letter after max_attempts (3) failures answered isSuccessful false, then staff retry.
file 2026-11-25T15:00 2 >/dev/null
mode unsuccessful
equal try1 "$(notify 2026-11-25T15:00)" "$(counts 0 0 1 0 1 0)"
equal try2 "$(notify 2026-11-25T15:01)" "$(counts 0 0 1 0 1 0)"
equal try3 "$(notify 2026-11-25T15:03)" "$(counts 0 0 0 1 0 1)"
dead=$(seodong outbox list --state dead)
expect dead-listed "$dead" "#3 dead    SG-2026-000003-3 SD_RECEIVED to 010-****-5672"
expect dead-why "$dead" "refused: system error (code -9)"
mode ok
equal dead-stays "$(notify 2026-11-26T15:00)" "$(counts 0 0 0 0 0 1)"
exits=1 seodong outbox retry 1 2>"$DIR/err"
expect retry-not-dead-msg "$(cat "$DIR/err")" "message 1 is not a dead letter"
exits=2 seodong outbox retry 2>/dev/null
exits=2 seodong outbox list --state lost 2>/dev/null
equal retry-dead "$(SEODONG_NOW=2026-11-26T15:00 seodong outbox retry --dead)" "1 dead message queued again; 'seodong notify' sends it"
equal retried-sent "$(notify 2026-11-26T15:00)" "$(counts 1 0 0 0 0 0)"

# Garbage and JSON of the wrong shape are not acceptance: looked up, then sent again, once.
file 2026-11-26T16:00 3 >/dev/null
mode garbage
equal garbage "$(notify 2026-11-26T16:00)" "$(counts 0 0 1 0 1 0)"
expect garbage-why "$(cat "$DIR/log")" "not the gateway's JSON"
mode bad-json
equal bad-json "$(notify 2026-11-26T16:01)" "$(counts 0 0 1 0 1 0)"
mode recipient-fail
equal dead-recipient "$(notify 2026-11-26T16:03)" "$(counts 0 0 0 1 0 1)"
expect dead-recipient-why "$(cat "$DIR/log")" "recipient refused: invalid recipient (code -1)"
# On the test's clock: on the real one the message came due only at the real hour, and the
# test failed on the day its dates name (2026-11-26) from 16:10 Korean time.
SEODONG_NOW=2026-11-26T16:03 seodong outbox retry 4 >/dev/null
mode ok
equal garbage-then-sent "$(notify 2026-11-26T16:10)" "$(counts 1 0 0 0 0 0)"
equal four-accepted "$(accepted)" "4"

# An answer lost after the gateway accepted: looked up, never delivered twice.
file 2026-11-26T17:00 4 >/dev/null
mode accept-then-close
equal lost-answer "$(notify 2026-11-26T17:00)" "$(counts 0 0 1 0 1 0)"
expect lost-answer-why "$(cat "$DIR/log")" "the request was sent"
mode ok
equal confirmed "$(notify 2026-11-26T17:02)" "$(counts 0 1 0 0 0 0)"
equal no-duplicate "$(grep -c SG-2026-000005 "$DIR/accepted.jsonl")" "1"
# The fake refuses a repeated key as the real gateway does for 10 minutes; the sender must not
# even try: it looked the message up instead.
equal never-resent "$(grep -c '"result": "duplicate"' "$DIR/requests.jsonl")" "0"

# A hanging gateway does not hold up filing: complaints are filed by chat while the sender is
# inside its request. The gateway hangs 30 s and the sender waits up to 60: filing that waited
# for the sender would find its message no longer 'sending'.
configure 60000 3
file 2026-11-26T18:00 5 >/dev/null
mode hang
SEODONG_NOW=2026-11-26T18:00 "$BIN" notify 2>"$DIR/hang.log" &
NOTIFY_PID=$!
sending() { [ "$(state_of "$1")" = sending ]; }
wait_for sender-in-request sending 6
equal filed-while-hanging "$(file 2026-11-26T18:00 6 7)" "2"
equal sender-still-hanging "$(state_of 6)" "sending"
kill -9 "$NOTIFY_PID"; wait "$NOTIFY_PID" 2>/dev/null
exited hung-sender-killed "$?" 137
NOTIFY_PID=
mode ok
equal after-hang "$(notify 2026-11-26T19:00)" "$(counts 3 0 0 0 0 0)"

# kill -9 in the middle of sending: the gateway answers three messages, then accepts the fourth
# and holds its answer. The sender is killed then, before it can record the acceptance; after
# a restart (past the claim's lease) every message reaches the gateway exactly once.
configure 60000 3
equal filed-many "$(file 2026-11-27T09:00 0 1 2 3 4 5 6 7 8 9)" "10"
before=$(accepted)
mode hold-after-3
SEODONG_NOW=2026-11-27T09:00 "$BIN" notify 2>"$DIR/kill.log" &
NOTIFY_PID=$!
accepted_at_least() { [ "$(accepted)" -ge "$1" ]; }
wait_for fourth-accepted accepted_at_least $((before + 4))
kill -9 "$NOTIFY_PID"; wait "$NOTIFY_PID" 2>/dev/null
exited sender-killed "$?" 137
NOTIFY_PID=
equal killed-mid-send "$(sqlite3 "$SEODONG_DB" "select count(*) from outbox where state = 'sending'")" "1"
equal killed-after-four "$(accepted)" "$((before + 4))"
mode ok
equal restart-confirms "$(notify 2026-11-27T10:00)" "$(counts 6 1 0 0 0 0)"
rows=$(sqlite3 "$SEODONG_DB" "select count(*) from outbox")
equal all-sent "$(sqlite3 "$SEODONG_DB" "select count(*) from outbox where state = 'sent'")" "$rows"
equal each-once "$(accepted)" "$rows"
equal no-key-twice "$(grep -o '"key": "[^"]*"' "$DIR/accepted.jsonl" | sort | uniq -d | wc -l)" "0"
equal none-resent "$(grep -c '"result": "duplicate"' "$DIR/requests.jsonl")" "0"

# Connection refused: nothing left, so no doubt; retried later.
configure 1000 3
file 2026-11-27T11:00 1 >/dev/null
sed -i "s|^url = .*|url = http://127.0.0.1:1|" "$SEODONG_CONFIG"
equal refused-retry "$(notify 2026-11-27T11:00)" "$(counts 0 0 1 0 1 0)"
expect refused "$(cat "$DIR/log")" "nothing was sent"
equal refused-no-doubt "$(sqlite3 "$SEODONG_DB" "select in_doubt from outbox where state = 'pending'")" "0"

# No gateway configured: said plainly, exit 1.
printf '[gateway]\nurl =\n' >"$SEODONG_CONFIG"
exits=1 seodong notify --once 2>"$DIR/err"
expect no-url-msg "$(cat "$DIR/err")" "set url"

checks_done test_notify
