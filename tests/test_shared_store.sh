#!/usr/bin/env bash
# test_shared_store.sh - many boxes on one PostgreSQL, and a server that goes away. Four writer
# processes (tests/unit/store_writer.c, the store layer as a speaker uses it) file complaints
# without pause while the server is crashed and started again at once, and then crashed and
# kept down until every writer has spooled filings, and started again. Afterwards, with the
# spools forwarded: every filing acknowledged is in the database exactly once under what its
# writer was told (its receipt number, or the spool code it arrived with), nothing else is
# there, no receipt number twice, and each complaint with a phone number has exactly one
# message for its "received" event. Then two `seodong notify` processes share that outbox
# against tests/mock/fake_gateway.py: the gateway gets each message exactly once.
#
#   test_shared_store.sh STORE_WRITER   (registered with seodong_pg_test ... OWN_CLUSTER)
set -u
WRITER=${1:?usage: test_shared_store.sh STORE_WRITER}
DB=${SEODONG_TEST_DB:?run this through ctest: seodong_pg_test OWN_CLUSTER in CMakeLists.txt}
PGDIR=${SEODONG_TEST_PGDIR:?run this through ctest: seodong_pg_test OWN_CLUSTER in CMakeLists.txt}
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
SERVER="$SRC/scripts/pg_test_server.sh"
WRITERS=4
STEP=100 # filings the writers make between two events of the test
DIR=$(mktemp -d)
PIDS=() GW_PID=
cleanup() {
    for pid in "${PIDS[@]}" $GW_PID; do kill "$pid" 2>/dev/null; done
    rm -rf "$DIR"
}
trap cleanup EXIT
. "$SRC/tests/check.sh"

sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
acks() { cat "$DIR"/out-* | grep -v -e ' error ' -e '^spool '; }
receipts() { cat "$DIR"/out-* | grep -c ' SG-'; }
receipts_reach() { [ "$(receipts)" -ge "$1" ]; }
each_spooled() {
    for w in $(seq "$WRITERS"); do grep -q ' Q-' "$DIR/out-$w" || return 1; done
}

checked "$WRITER" setup "$DB" "$DIR/setup.db"
for w in $(seq "$WRITERS"); do
    "$WRITER" file "$DB" "$DIR/local-$w.db" "w$w" "$STEP" "$DIR/stop" >"$DIR/out-$w" 2>"$DIR/err-$w" &
    PIDS+=($!)
done
wait_for filings-start receipts_reach "$STEP"
checked bash "$SERVER" restart "$PGDIR"
wait_for filings-after-crash receipts_reach $(($(receipts) + STEP))
checked bash "$SERVER" crash "$PGDIR"
wait_for every-writer-spools each_spooled
checked bash "$SERVER" up "$PGDIR"
wait_for filings-after-up receipts_reach $(($(receipts) + STEP))
touch "$DIR/stop"
for w in $(seq "$WRITERS"); do
    wait "${PIDS[$((w - 1))]}"
    exited "writer-$w" "$?" 0
    equal "writer-$w-spool-empty" "$(tail -n 1 "$DIR/out-$w")" "spool 0"
done
PIDS=()

# What the writers were told, "DETAIL RECEIPT-OR-CODE", against what the database holds.
acks | sort >"$DIR/acks"
ACKS=$(wc -l <"$DIR/acks")
SPOOLED=$(grep -c ' Q-' "$DIR/acks")
ERRORS=$(cat "$DIR"/out-* | grep -c ' error ')
echo "acknowledged $ACKS filings ($SPOOLED spooled), $ERRORS refused"
equal no-filing-refused "$ERRORS" 0
sql "SELECT detail || ' ' || receipt FROM complaints
     UNION ALL SELECT detail || ' ' || spool_code FROM complaints WHERE spool_code IS NOT NULL" |
    sort -u >"$DIR/stored"
equal every-ack-stored-as-told "$(comm -23 "$DIR/acks" "$DIR/stored" | head -n 5)" ""
equal complaints-are-the-acks "$(sql 'SELECT count(*) FROM complaints')" "$ACKS"
equal one-complaint-per-filing "$(sql 'SELECT count(DISTINCT detail) FROM complaints')" "$ACKS"
equal no-receipt-twice "$(sql 'SELECT count(DISTINCT receipt) FROM complaints')" "$ACKS"
equal no-spool-code-twice "$(sql 'SELECT count(spool_code) - count(DISTINCT spool_code) FROM complaints')" 0
PHONES=$(sql 'SELECT count(*) FROM complaints WHERE phone IS NOT NULL')
equal phones-are-odd-filings "$PHONES" "$(grep -c -E '^w[0-9]+-[0-9]*[13579] ' "$DIR/acks")"
equal one-received-message-each "$(sql "SELECT count(*) FROM complaints c WHERE phone IS NOT NULL AND
    (SELECT count(*) FROM outbox o JOIN timeline t ON t.id = o.event_id
     WHERE o.complaint_id = c.id AND t.state = 'received') <> 1")" 0
equal no-message-without-phone "$(sql 'SELECT count(*) FROM outbox o JOIN complaints c
    ON c.id = o.complaint_id WHERE c.phone IS NULL')" 0

# Two senders share the outbox: each message reaches the gateway once.
MESSAGES=$(sql 'SELECT count(*) FROM outbox')
python3 "$SRC/tests/mock/fake_gateway.py" "$DIR" --appkey testapp --secret s3cret &
GW_PID=$!
wait_for gateway-listens test -f "$DIR/port"
printf '[gateway]\nurl = http://127.0.0.1:%s/\nappkey = testapp\nsecret_key = s3cret\nsender_key = 0123456789abcdef0123456789abcdef01234567\ntimeout_ms = 5000\nmax_attempts = 3\nbackoff_s = 60\n' \
    "$(cat "$DIR/port")" >"$DIR/seodong.conf"
SENDERS=()
for n in 1 2; do
    mkdir "$DIR/sender-$n" # each sender's own local file, as on its own box
    (cd "$DIR/sender-$n" && SEODONG_NOW=2027-01-01T09:00 exec "$BIN" notify --once \
        --config "$DIR/seodong.conf" --db "$DB" >"$DIR/sender-$n.out" 2>"$DIR/sender-$n.log") &
    SENDERS+=($!)
done
for n in 1 2; do
    wait "${SENDERS[$((n - 1))]}"
    exited "sender-$n" "$?" 0
done
sent=0
for n in 1 2; do
    s=$(sed -n 's/^sent \([0-9]*\),.*/\1/p' "$DIR/sender-$n.out")
    echo "sender $n: $(cat "$DIR/sender-$n.out")"
    sent=$((sent + ${s:-0}))
done
touch "$DIR/accepted.jsonl" "$DIR/requests.jsonl"
equal senders-sent-all "$sent" "$MESSAGES"
equal gateway-accepted-each "$(wc -l <"$DIR/accepted.jsonl")" "$MESSAGES"
equal gateway-posts "$(wc -l <"$DIR/requests.jsonl")" "$MESSAGES"
equal gateway-keys-distinct "$(python3 -c 'import json,sys; print(len({json.loads(l)["key"] for l in open(sys.argv[1])}))' "$DIR/accepted.jsonl")" "$MESSAGES"
equal outbox-all-sent "$(sql "SELECT count(*) FROM outbox WHERE state = 'sent'")" "$MESSAGES"
checks_done shared_store
