#!/usr/bin/env bash
# The shared store's benchmark (a section of scripts/bench.sh, also runnable alone after a build):
# SQLite and PostgreSQL side by side, PostgreSQL from scripts/pg_test_server.sh (fsync and
# synchronous_commit on: every filing acknowledged is on disk).
#   1. durable filings per second from 4 writer processes (build/bench_store, the store layer
#      alone), all filing at once: total filings / wall time from the first to the last;
#   2. GET requests/{id}.json and /track on 2 `seodong serve` processes sharing one store, each
#      loaded by its own wrk (1 thread, half the connections): requests/s added up, p99 the worse;
#   3. a soak: 8 speakers and 2 phone boxes (bench_store --seconds, each with a phone number), 2
#      web servers taking Open311 filings and look-ups (a Python client each), 2 `seodong notify`
#      senders against tests/mock/fake_gateway.py, all at once for STORE_SOAK_SECONDS, with
#      PostgreSQL crashed and restarted half-way; then every spool forwarded, and counted:
#      filings acknowledged, found in the database, lost, duplicated, messages per event. A
#      sender that exits is started again a second later, as systemd's Restart= would, and
#      counted.
# Prints STORE_* lines for the summary. Figures are the median of RUNS runs (the runs shown).
# Usage: scripts/bench_store.sh [BUILD_DIR]
# Settings: STORE_BENCH_FILINGS (per process, 2000), STORE_BENCH_RUNS (3), STORE_WEB_SECONDS (5),
# STORE_WEB_CONNECTIONS (6, over both servers: on 2 cores that also run the load generator and
# PostgreSQL, 16 connections measure mostly their own queue: p99 7-13 ms at about the same
# req/s), STORE_SOAK_SECONDS (60), STORE_SOAK_RATE (filings
# a second of each speaker, phone box and web client in the soak: 5; 0 = as fast as they can),
# STORE_BENCH_SECTIONS
# (which of 1, 2, 3 to run: 123), STORE_BENCH_KEEP (set:
# keep the temporary folder, logs and acknowledgements, for a look afterwards).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD=$(realpath "${1:-$ROOT/build}")
FILINGS=${STORE_BENCH_FILINGS:-2000}
RUNS=${STORE_BENCH_RUNS:-3}
WEB_SECONDS=${STORE_WEB_SECONDS:-5}
CONNECTIONS=${STORE_WEB_CONNECTIONS:-6}
SOAK_SECONDS=${STORE_SOAK_SECONDS:-60}
SOAK_RATE=${STORE_SOAK_RATE:-5}
SECTIONS=${STORE_BENCH_SECTIONS:-123}
WRITERS=4
TMP="$(mktemp -d /tmp/seodong-store.XXXXXX)"
chmod 755 "$TMP"
PGDIR="$TMP/pg"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}" $(cat "$TMP"/*/pid 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$ROOT/scripts/pg_test_server.sh" stop "$PGDIR" >/dev/null 2>&1 || true
    if [ -n "${STORE_BENCH_KEEP:-}" ]; then echo "bench_store: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
"$ROOT/scripts/pg_test_server.sh" start "$PGDIR" >/dev/null
psql_() { psql -h "$PGDIR" -U postgres -d "$1" -Atq -c "$2"; }
median() { sort -n | sed -n "$(((RUNS + 1) / 2))p"; }
load() { cut -d' ' -f1 /proc/loadavg; } # the 1-minute load average
echo "conditions: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start;" \
    "PostgreSQL $(psql_ postgres 'show server_version'), fsync $(psql_ postgres 'show fsync')," \
    "synchronous_commit $(psql_ postgres 'show synchronous_commit')," \
    "wal_sync_method $(psql_ postgres 'show wal_sync_method')"

# fresh_db BACKEND NAME: a new, seeded store (categories, departments, KB); prints its name.
fresh_db() {
    if [ "$1" = pg ]; then
        "$ROOT/scripts/pg_test_server.sh" createdb "$PGDIR" "$2"
    else
        rm -f "$TMP/$2.db"*
        echo "$TMP/$2.db"
    fi
}
printf '[web]\nthreads = 1\ntrack_per_minute = 1000000\nfiling_per_minute = 1000000\nkakao_per_minute = 1000000\n' \
    >"$TMP/web.conf"
seed() { (cd "$TMP" && "$BUILD/seodong" staff list --db "$1" >/dev/null); }

# ---- 1. durable filings, 4 writer processes ----
# filings_once BACKEND RUN: prints "RATE FAILED WAL_SYNCS_PER_COMMIT" (failed: refused, e.g.
# SQLite's "database is busy" after its 5 s wait for the write lock; not counted in RATE).
filings_once() {
    local db syncs0 syncs1 i start
    db=$(fresh_db "$1" "file$2")
    seed "$db"
    [ "$1" = pg ] && syncs0=$(psql_ "file$2" 'select wal_sync from pg_stat_wal')
    start=$(date +%s.%N | awk '{ printf "%.3f", $1 + 2 }') # after every writer has opened
    for i in $(seq "$WRITERS"); do
        "$BUILD/bench_store" "$db" "$FILINGS" --start-at "$start" --local "$TMP/local-$2-$i.db" \
            >"$TMP/file-$2-$i.txt" &
    done
    wait
    syncs1=${syncs0:-0}
    [ "$1" = pg ] && syncs1=$(psql_ "file$2" 'select wal_sync from pg_stat_wal')
    cat "$TMP"/file-"$2"-*.txt | awk -v s0="${syncs0:-0}" -v s1="$syncs1" '
        $1 == "STORE_FILE" { n += $2; f += $3; if (!s || $4 < s) s = $4; if ($5 > e) e = $5 }
        END { printf "%.0f %d %.2f\n", (n - f) / (e - s), f, (s1 - s0) / n }'
}
filings() { # filings BACKEND: RUNS runs, prints "MEDIAN (runs)"
    local r rates=() all=() rate failed spc
    for r in $(seq "$RUNS"); do
        read -r rate failed spc < <(filings_once "$1" "$1$r" 2>/dev/null)
        [ "$1" = pg ] || spc=
        rates+=("$rate") all+=("$rate/s ($failed failed, load $(load)${spc:+, $spc WAL fsyncs a filing})")
    done
    echo "$(printf '%s\n' "${rates[@]}" | median) (runs: ${all[*]})"
}
if [[ $SECTIONS == *1* ]]; then
echo
echo "-- 1. durable filings: $WRITERS writer processes x $FILINGS filings each, started together --"
read -r SQ_RATE SQ_RUNS < <(filings sqlite)
echo "SQLite (one file, WAL, synchronous=FULL): $SQ_RATE filings/s $SQ_RUNS"
read -r PG_RATE PG_RUNS < <(filings pg)
echo "PostgreSQL (Unix socket):                 $PG_RATE filings/s $PG_RUNS"
# What one commit costs this disk: fdatasync of one 8 kB WAL write, as PostgreSQL does it.
FSYNC=$("$(ls /usr/lib/postgresql/*/bin/pg_test_fsync | sort -V | tail -1)" -s 1 -f "$TMP/fsync.test" 2>/dev/null | awk '$1 == "fdatasync" { print $2; exit }' || true)
echo "this disk: ${FSYNC:-?} fdatasync/s of one 8 kB write (pg_test_fsync, load $(load))"
echo "STORE_FILINGS_SQLITE $SQ_RATE"
echo "STORE_FILINGS_PG $PG_RATE"
fi

# ---- 2. look-ups on 2 web servers sharing one store ----
# start_serve NAME DB CONFIG: `seodong serve` in its own folder (its own local file); prints its
# base URL, its pid in $TMP/NAME/pid.
start_serve() {
    local dir="$TMP/$1" base=
    mkdir -p "$dir"
    (cd "$dir" && exec "$BUILD/seodong" serve --listen 127.0.0.1:0 --db "$2" --config "$3" \
        >"$dir/out" 2>"$dir/err") &
    echo $! >"$dir/pid"
    for _ in $(seq 100); do grep -q serving "$dir/out" 2>/dev/null && break; sleep 0.1; done
    base=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$dir/out")
    [ -n "$base" ] || { echo "bench_store: $1 did not start: $(cat "$dir/err")" >&2; exit 1; }
    echo "$base"
}
stop_serve() { local p; p=$(cat "$TMP/$1/pid"); kill "$p" 2>/dev/null || true; while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; }
# wrk_once URL1 URL2: one wrk per server at once (1 thread, half the connections each);
# prints "RPS P99_MS ERRORS": requests/s added up, the worse p99.
wrk_once() {
    local half=$((CONNECTIONS / 2))
    wrk -t1 -c"$half" -d"${WEB_SECONDS}s" --latency "$1" >"$TMP/wrk1.txt" &
    wrk -t1 -c"$half" -d"${WEB_SECONDS}s" --latency "$2" >"$TMP/wrk2.txt"
    wait $!
    awk '/^Requests\/sec/ { rps += $2 }
        $1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
                      else if (v ~ /s$/) v = v * 1000; if (v > p99) p99 = v }
        /Non-2xx|Socket errors/ { err = err " " $0 }
        END { printf "%.0f %.2f%s\n", rps, p99, err }' "$TMP/wrk1.txt" "$TMP/wrk2.txt"
}
# lookups BACKEND: both look-ups, RUNS runs each; prints two lines "NAME RPS P99 (runs)".
lookups() {
    local db a b key receipt name path r rps p99 rest rpss p99s all
    db=$(fresh_db "$1" "web$1")
    seed "$db"
    key=$(cd "$TMP" && "$BUILD/seodong" staff apikey issue bench --db "$db" 2>/dev/null)
    a=$(start_serve "web-$1-a" "$db" "$TMP/web.conf")
    b=$(start_serve "web-$1-b" "$db" "$TMP/web.conf")
    receipt=$(curl -s --data-urlencode "api_key=$key" -d service_code=noise -d address_string=청라동 \
        --data-urlencode 'description=밤마다 공사 소음' -d phone=01012345678 \
        -d 'attribute%5Bpublic%5D=true' "$a/open311/v2/requests.json" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["service_request_id"])')
    for name in get track; do
        path="/open311/v2/requests/$receipt.json"
        [ $name = track ] && path="/track?receipt=$receipt&digits=5678"
        # What is measured must be the page itself: 200 with the receipt on both servers.
        for base in "$a" "$b"; do
            curl -s -w '%{http_code}' "$base$path" | tr -d '\n' | grep -q "$receipt.*200$" ||
                { echo "bench_store: $base$path does not answer 200 with $receipt" >&2; exit 1; }
        done
        rpss=() p99s=() all=()
        for r in $(seq "$RUNS"); do
            read -r rps p99 rest < <(wrk_once "$a$path" "$b$path")
            rpss+=("$rps") p99s+=("$p99") all+=("$rps/$p99${rest:+ $rest} load $(load)")
        done
        echo "$name $(printf '%s\n' "${rpss[@]}" | median) $(printf '%s\n' "${p99s[@]}" | median)" \
            "(runs, req/s / p99 ms: ${all[*]})"
    done
    stop_serve "web-$1-a"
    stop_serve "web-$1-b"
}
if [[ $SECTIONS == *2* ]]; then
echo
echo "-- 2. look-ups: 2 \`seodong serve\` (1 thread each) on one store, 2 wrk (1 thread," \
    "$((CONNECTIONS / 2)) connections each), ${WEB_SECONDS} s a run, median of $RUNS, all on $(nproc) cores --"
for backend in sqlite pg; do
    lookups $backend >"$TMP/lookups-$backend.txt"
    while read -r name rps p99 rest; do
        label="GET requests/{id}.json"
        [ "$name" = track ] && label="GET /track             "
        printf '%-10s %s: %s req/s, p99 %s ms %s\n' "$backend" "$label" "$rps" "$p99" "$rest"
        echo "STORE_WEB_${name^^}_${backend^^} $rps $p99" >>"$TMP/web-figures.txt"
    done <"$TMP/lookups-$backend.txt"
done
cat "$TMP/web-figures.txt"
fi

# ---- 3. soak: speakers, phone boxes, web servers and senders at once, PostgreSQL restarted ----
[[ $SECTIONS == *3* ]] || exit 0
echo
echo "-- 3. soak: 8 speakers + 2 phone boxes (bench_store), 2 web servers (Open311 POST + GET)," \
    "2 notify senders, ${SOAK_SECONDS} s, ${SOAK_RATE} filings/s each source (0: flat out), PostgreSQL crashed and restarted at $((SOAK_SECONDS / 2)) s --"
SOAK=$(fresh_db pg soak)
seed "$SOAK"
SKEY=$(cd "$TMP" && "$BUILD/seodong" staff apikey issue soak --db "$SOAK" 2>/dev/null)
mkdir -p "$TMP/gw"
python3 "$ROOT/tests/mock/fake_gateway.py" "$TMP/gw" --appkey soakapp --secret s3cret &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$TMP/gw/port" ] && break; sleep 0.1; done
{ cat "$TMP/web.conf"
  printf '[gateway]\nurl = http://127.0.0.1:%s/\nappkey = soakapp\nsecret_key = s3cret\n' "$(cat "$TMP/gw/port")"
  printf 'sender_key = 0123456789abcdef0123456789abcdef01234567\ntimeout_ms = 2000\nmax_attempts = 100\nbackoff_s = 1\n'
} >"$TMP/soak.conf"
# The web servers here send nothing themselves: the two senders do (web.conf has no gateway).
WA=$(start_serve soak-web-a "$SOAK" "$TMP/web.conf")
WB=$(start_serve soak-web-b "$SOAK" "$TMP/web.conf")
for s in 1 2; do
    mkdir -p "$TMP/notify$s"
    (cd "$TMP/notify$s" && while :; do
        "$BUILD/seodong" notify --db "$SOAK" --config "$TMP/soak.conf" 2>>"$TMP/notify$s/log" || true
        echo restarted >>"$TMP/notify$s/restarts"
        sleep 1
    done) &
    PIDS+=($!)
done
# The web client: files and looks up for SECONDS, then resolves spool codes; "ACK FINAL DETAIL".
cat >"$TMP/web_client.py" <<'PY'
import json, sys, time, urllib.parse, urllib.request
import collections, urllib.error
base, key, seconds, out, tag = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
rate = float(sys.argv[6])
why = collections.Counter()
def call(url, data=None):
    try:
        with urllib.request.urlopen(url, data, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        why["HTTP %d" % e.code] += 1
    except Exception as e:
        why[type(e).__name__] += 1
    return None
acks, failed, looked, i, start = [], 0, 0, 0, time.monotonic()
end = start + seconds
while time.monotonic() < end:
    if rate > 0 and start + i / rate > time.monotonic():
        time.sleep(start + i / rate - time.monotonic())
    detail = "soak-web-%s-%d" % (tag, i); i += 1
    body = urllib.parse.urlencode({"api_key": key, "service_code": "noise", "address_string": "청라동",
                                   "description": detail, "phone": "0101234%04d" % (i % 10000),
                                   "attribute[public]": "true"}).encode()
    got = call(base + "/open311/v2/requests.json", body)
    if not got:
        failed += 1; time.sleep(0.01); continue
    acks.append((got[0]["service_request_id"], detail))
    looked += call(base + "/open311/v2/requests/%s.json" % acks[-1][0]) is not None
with open(out, "w") as f:
    for ack, detail in acks:
        final = ack
        for _ in range(600 if ack.startswith("Q-") else 0):
            got = call(base + "/open311/v2/requests/%s.json" % ack)
            if got and not got[0]["service_request_id"].startswith("Q-"):
                final = got[0]["service_request_id"]; break
            time.sleep(0.1)
        f.write("%s %s %s\n" % (ack, final if not final.startswith("Q-") else "-", detail))
print("WEB_SOAK %d %d %d %s" % (len(acks), failed, looked, dict(why)))
PY
SOAK_PIDS=()
for i in $(seq 8); do
    "$BUILD/bench_store" "$SOAK" --seconds "$SOAK_SECONDS" --channel speaker --phone "0105555$(printf %04d "$i")" \
        --rate "$SOAK_RATE" --local "$TMP/speaker$i.db" --receipts "$TMP/acks-speaker$i.txt" >"$TMP/soak-speaker$i.txt" &
    SOAK_PIDS+=($!)
done
for i in 1 2; do
    "$BUILD/bench_store" "$SOAK" --seconds "$SOAK_SECONDS" --channel phone --phone "0106666000$i" \
        --rate "$SOAK_RATE" --local "$TMP/phone$i.db" --receipts "$TMP/acks-phone$i.txt" >"$TMP/soak-phone$i.txt" &
    SOAK_PIDS+=($!)
done
python3 "$TMP/web_client.py" "$WA" "$SKEY" "$SOAK_SECONDS" "$TMP/acks-weba.txt" a "$SOAK_RATE" >"$TMP/soak-weba.txt" &
SOAK_PIDS+=($!)
python3 "$TMP/web_client.py" "$WB" "$SKEY" "$SOAK_SECONDS" "$TMP/acks-webb.txt" b "$SOAK_RATE" >"$TMP/soak-webb.txt" &
SOAK_PIDS+=($!)
sleep "$((SOAK_SECONDS / 2))"
echo "at $((SOAK_SECONDS / 2)) s (load $(load)): PostgreSQL crashed (immediate shutdown) and started again"
"$ROOT/scripts/pg_test_server.sh" restart "$PGDIR" >/dev/null
for p in "${SOAK_PIDS[@]}"; do wait "$p"; done
echo "load at the end: $(load)"
# Every filing is in; the senders finish what is queued (each message sent or dead), ten minutes
# at most.
DRAIN_START=$(date +%s)
for _ in $(seq 6000); do
    [ "$(psql_ soak "select count(*) from outbox where state in ('pending', 'sending')")" = 0 ] && break
    sleep 0.1
done
DRAIN=$(($(date +%s) - DRAIN_START))
RESTARTS=$({ cat "$TMP"/notify*/restarts 2>/dev/null || true; } | wc -l) # none: no file at all
stop_serve soak-web-a
stop_serve soak-web-b
cat "$TMP"/acks-*.txt >"$TMP/acks.txt"
psql_ soak "select receipt, detail from complaints where detail like 'soak-%'" | tr '|' ' ' >"$TMP/rows.txt"
ACKED=$(wc -l <"$TMP/acks.txt")
SPOOLED=$(awk '$1 ~ /^Q-/' "$TMP/acks.txt" | wc -l)
ROWS=$(wc -l <"$TMP/rows.txt")
# Lost: an acknowledged filing whose detail is not in the database under the receipt given.
LOST=$(awk 'NR == FNR { at[$2] = $1; next } !($3 in at) || at[$3] != $2' "$TMP/rows.txt" "$TMP/acks.txt" | wc -l)
DUP_DETAIL=$(awk '{ print $2 }' "$TMP/rows.txt" | sort | uniq -d | wc -l)
DUP_RECEIPT=$(psql_ soak "select count(*) from (select receipt from complaints group by receipt having count(*) > 1) d")
FAILED=$(cat "$TMP"/soak-*.txt | awk '$1 == "STORE_SOAK" || $1 == "WEB_SOAK" { f += $3 } END { print f + 0 }')
LOOKUPS=$(cat "$TMP"/soak-*.txt | awk '$1 == "STORE_SOAK" { n += $4 } $1 == "WEB_SOAK" { n += $4 } END { print n + 0 }')
LOOKUP_FAILED=$(cat "$TMP"/soak-*.txt | awk '$1 == "STORE_SOAK" { n += $5 } END { print n + 0 }')
WEB_FAILURES=$(grep -h '^WEB_SOAK' "$TMP"/soak-web*.txt | cut -d' ' -f5- | tr '\n' ' ')
EVENTS=$(psql_ soak "select count(*) from outbox")
SENT=$(psql_ soak "select count(*) from outbox where state = 'sent'")
NOT_SENT=$(psql_ soak "select count(*) from outbox where state <> 'sent'")
GW_KEYS=$(python3 -c 'import json, sys; print(len({json.loads(l)["key"] for l in open(sys.argv[1])}))' "$TMP/gw/accepted.jsonl" 2>/dev/null || echo 0)
GW_ACCEPTED=$(wc -l <"$TMP/gw/accepted.jsonl" 2>/dev/null || echo 0)
GW_TWICE=$(python3 -c 'import collections, json, sys; c = collections.Counter(json.loads(l)["key"] for l in open(sys.argv[1])); print(sum(1 for v in c.values() if v > 1))' "$TMP/gw/accepted.jsonl" 2>/dev/null || echo 0)
GW_POSTS=$(wc -l <"$TMP/gw/requests.jsonl" 2>/dev/null || echo 0)
echo "filings acknowledged: $ACKED ($SPOOLED of them spooled while the server was away, then forwarded);" \
    "refused and tried again: $FAILED (web clients' failures: $WEB_FAILURES); look-ups: $LOOKUPS" \
    "($LOOKUP_FAILED of the devices' failed)"
echo "complaints of the soak in the database: $ROWS; lost: $LOST; duplicated (same filing twice): $DUP_DETAIL;" \
    "receipts given twice: $DUP_RECEIPT"
echo "notifications: $EVENTS events, $SENT sent, $NOT_SENT not sent; the gateway accepted $GW_ACCEPTED messages" \
    "for $GW_KEYS events, $GW_TWICE events more than once ($GW_POSTS send attempts);" \
    "the outbox drained ${DRAIN} s after the filings ended; senders exited and were restarted $RESTARTS times"
echo "STORE_SOAK $ACKED $ROWS $LOST $DUP_DETAIL $DUP_RECEIPT $EVENTS $GW_KEYS $GW_TWICE $NOT_SENT"
