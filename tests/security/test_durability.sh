#!/usr/bin/env bash
# Nothing answered is lost, nothing is sent twice. (1) The server is killed with SIGKILL in the
# middle of 2,000 Open311 filings from four clients: every filing answered 201 is in the store,
# the database is intact, and after a restart receipt numbers go on without reuse. (2) The
# notification gateway fails half the sends (500, or accepted with the answer lost) and the
# sender is killed with SIGKILL in the middle of a send: in the end every message has reached
# the gateway exactly once.
. "${SEODONG_SOURCE_DIR:?}/tests/security/lib.sh"
export SEODONG_NOW=2026-11-25T10:00
q() { sqlite3 "$SEODONG_DB" "$1"; }

cat >"$DIR/seodong.conf" <<'EOF'
[web]
threads = 2
filing_per_minute = 1000000
EOF
KEY=$(sd 0 staff apikey issue durability)

# ---- (1) kill -9 during 2,000 filings ----
serve web "$DIR/seodong.conf" || { suite_done security_durability; exit 1; }
python3 - "${BASE#http://}" "$KEY" 2000 "$DIR/answered" <<'EOF' >"$DIR/client.out" 2>"$DIR/client.log" &
import http.client, json, sys, threading, urllib.parse
host, port = sys.argv[1].split(":")
key, total, answered = sys.argv[2], int(sys.argv[3]), open(sys.argv[4], "w")
lock, odd = threading.Lock(), []
def client(first):
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    for n in range(first, total, 4):
        body = urllib.parse.urlencode({"api_key": key, "service_code": "noise",
                                       "address_string": "청라동", "description": "소음 %d" % n})
        try:
            conn.request("POST", "/open311/v2/requests.json", body,
                         {"Content-Type": "application/x-www-form-urlencoded"})
            reply = conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        with lock:
            if reply.status == 201:
                answered.write(json.loads(data)[0]["service_request_id"] + "\n")
                answered.flush()
            else:
                odd.append(reply.status)
threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("other answers:", odd)
EOF
CLIENT=$!
PIDS+=("$CLIENT")
ok filings-under-way wait_until 120 lines_at_least 600 "$DIR/answered"
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
is server-killed "$?" 137
wait "$CLIENT"
is client-exit "$?" 0
is client-no-other-answers "$(cat "$DIR/client.out")" "other answers: []"
answered=$(wc -l <"$DIR/answered")
echo "answered before SIGKILL: $answered of 2000"
ok killed-mid-way test "$answered" -lt 2000
sort "$DIR/answered" >"$DIR/answered.sorted"
q 'select receipt from complaints' | sort >"$DIR/stored.sorted"
is none-lost "$(comm -23 "$DIR/answered.sorted" "$DIR/stored.sorted" | wc -l)" 0
is integrity "$(q 'PRAGMA integrity_check')" ok
serve web2 "$DIR/seodong.conf" || { suite_done security_durability; exit 1; }
last=$(tail -1 "$DIR/stored.sorted")
next=$(curl -s --data-urlencode "api_key=$KEY" -d service_code=noise -d address_string=x -d description=y \
    "$BASE/open311/v2/requests.json" | sed -n 's/.*"service_request_id":"\([^"]*\)".*/\1/p')
ok receipt-goes-on test "$next" \> "$last"

# ---- (2) a gateway failing half the time and a sender killed mid-send ----
for n in $(seq 10 33); do # 24 filings with a phone: 24 messages queued
    curl -s -o /dev/null --data-urlencode "api_key=$KEY" -d service_code=noise -d address_string=x \
        -d description=y -d "phone=010-5555-00$n" "$BASE/open311/v2/requests.json"
done
stop_server web2
rows=$(q 'select count(*) from outbox')
is queued "$rows" 24
mkdir "$DIR/gw"
python3 "$SRC/tests/mock/fake_gateway.py" "$DIR/gw" --appkey app --secret s3cret 2>"$DIR/gw.log" &
PIDS+=("$!")
wait_until 20 test -f "$DIR/gw/port"
touch "$DIR/gw/accepted.jsonl" "$DIR/gw/requests.jsonl"
curl -s -o /dev/null -X POST -d flaky "http://127.0.0.1:$(cat "$DIR/gw/port")/control/mode"
cat >"$DIR/notify.conf" <<EOF
[gateway]
url = http://127.0.0.1:$(cat "$DIR/gw/port")/
appkey = app
secret_key = s3cret
sender_key = 0123456789abcdef0123456789abcdef01234567
timeout_ms = 1000
max_attempts = 50
backoff_s = 60
EOF
accepted() { wc -l <"$DIR/gw/accepted.jsonl"; }
SEODONG_NOW=2026-11-25T10:05 "$BIN" notify --config "$DIR/notify.conf" 2>"$DIR/notify.err" &
NOTIFY=$!
PIDS+=("$NOTIFY")
ok sender-under-way wait_until 60 lines_at_least 5 "$DIR/gw/accepted.jsonl"
kill -9 "$NOTIFY"
wait "$NOTIFY" 2>/dev/null
is sender-killed "$?" 137
start=$(date -u -d '2026-11-25 10:05' +%s)
for pass in $(seq 30); do # later passes, six hours apart: every back-off and lease has run out
    [ "$(q "select count(*) from outbox where state <> 'sent'")" = 0 ] && break
    SEODONG_NOW=$(date -u -d "@$((start + pass * 6 * 3600))" +%Y-%m-%dT%H:%M) \
        sd 0 notify --once --config "$DIR/notify.conf" >/dev/null
done
echo "delivered in $pass passes after the kill"
is all-sent "$(q "select count(*) from outbox where state = 'sent'")" "$rows"
is each-once "$(accepted)" "$rows"
is no-key-twice "$(grep -o '"key": "[^"]*"' "$DIR/gw/accepted.jsonl" | sort | uniq -d | wc -l)" 0
is never-refused-as-duplicate "$(grep -c '"result": "duplicate"' "$DIR/gw/requests.jsonl")" 0
fails500=$(grep -c '"result": "500"' "$DIR/gw/requests.jsonl")
lost=$(grep -c '"result": "accepted, closed"' "$DIR/gw/requests.jsonl")
echo "gateway: $fails500 sends answered 500, $lost accepted with the answer lost"
ok gateway-failed-often test "$fails500" -ge 6 -a "$lost" -ge 6

suite_done security_durability
