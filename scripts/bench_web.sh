#!/usr/bin/env bash
# Web benchmark (a section of scripts/bench.sh, also runnable alone after a build): starts
# `seodong serve` on 127.0.0.1 with a fresh database and measures with wrk requests/s and p99
# latency of GET /open311/v2/requests/{id}.json and of /track, durable Open311 filings per second
# (POST requests.json, each one a committed transaction), and the Kakao skill's p99 with a new
# user per request. Prints WEB_* lines for the summary. Usage: scripts/bench_web.sh [BUILD_DIR]
#
# wrk shares this 2-core machine with the server, so wrk runs one thread, and the two look-ups
# are measured with the server on one thread (a core each) and on two (three busy threads on two
# cores). wrk keeps 16 keep-alive connections, the pool a reverse proxy keeps open to seodong
# (contrib/nginx/seodong.conf). Each figure is run RUNS times, the median printed with the runs,
# because other tenants of a virtual machine move a single run by a third.
# Settings: WEB_BENCH_SECONDS (per run), WEB_BENCH_RUNS, WEB_BENCH_CONNECTIONS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD=${1:-$ROOT/build}
SECONDS_EACH=${WEB_BENCH_SECONDS:-5}
RUNS=${WEB_BENCH_RUNS:-3}
CONNECTIONS=${WEB_BENCH_CONNECTIONS:-16}
TMP="$(mktemp -d "${TMPDIR:-/tmp}/seodong-web.XXXXXX")"
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
export SEODONG_DB="$TMP/web.db"
KEY=$("$BUILD/seodong" staff apikey issue bench 2>/dev/null)

# start_server THREADS: (re)starts `seodong serve` on the same database with THREADS threads.
start_server() {
    [ -n "$PID" ] && kill "$PID" && wait "$PID" 2>/dev/null
    printf '[web]\nthreads = %s\ntrack_per_minute = %s\nfiling_per_minute = %s\nkakao_per_minute = %s\n' \
        "$1" 1000000 1000000 1000000 >"$TMP/web.conf"
    "$BUILD/seodong" serve --listen 127.0.0.1:0 --config "$TMP/web.conf" >"$TMP/out" 2>"$TMP/err" &
    PID=$!
    for _ in $(seq 100); do grep -q serving "$TMP/out" && break; sleep 0.1; done
    BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$TMP/out")
    if [ -z "$BASE" ]; then
        echo "bench_web: the server did not start: $(cat "$TMP/err")" >&2
        exit 1
    fi
}
start_server 1
curl -s -o /dev/null --data-urlencode "api_key=$KEY" -d service_code=noise -d address_string=청라동 \
    --data-urlencode 'description=밤마다 공사 소음' -d phone=01012345678 -d 'attribute%5Bpublic%5D=true' \
    "$BASE/open311/v2/requests.json"

# once NAME WRK-ARGS...: one wrk run, printed as "RPS P99_MS ERRORS".
once() {
    local name=$1
    shift
    wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" >"$TMP/$name.txt"
    awk '/^Requests\/sec/ { rps = sprintf("%.0f", $2) }
        $1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
                      else if (v ~ /s$/) v = v * 1000; p99 = sprintf("%.2f", v) }
        /Non-2xx|Socket errors/ { err = err " " $0 }
        END { print rps, p99, err }' "$TMP/$name.txt"
}

# run NAME WRK-ARGS...: RUNS runs; prints "NAME RPS P99 RUNS-AND-ERRORS" with the median
# requests/s and the median p99 (each the middle of its own sorted list).
run() {
    local name=$1 i rps p99 rest all=() rpss=() p99s=()
    shift
    for i in $(seq "$RUNS"); do
        read -r rps p99 rest < <(once "$name" "$@")
        rpss+=("$rps") p99s+=("$p99") all+=("${rps}/${p99}${rest:+ $rest}")
    done
    echo "$name $(printf '%s\n' "${rpss[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")" \
        "$(printf '%s\n' "${p99s[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")" \
        "(runs, req/s / p99 ms: ${all[*]})"
}
cat >"$TMP/file.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "api_key=$KEY&service_code=noise&address_string=%EC%B2%AD%EB%9D%BC%EB%8F%99&description=bench"
LUA
cat >"$TMP/kakao.lua" <<'LUA'
local n = 0
request = function()
    n = n + 1
    local body = '{"userRequest":{"timezone":"Asia/Seoul","utterance":"주민등록등본 어디서 떼요?",' ..
        '"lang":"kr","user":{"id":"bench-' .. n .. '-' .. math.random(1e9) .. '","type":"botUserKey"}},' ..
        '"bot":{"id":"b","name":"seodong"},"action":{"id":"a","name":"skill","params":{}}}'
    return wrk.format("POST", "/kakao/skill", {["Content-Type"] = "application/json"}, body)
end
LUA
# The two look-ups with one server thread (wrk has the other core), then with two (three busy
# threads time-slicing two cores: more throughput, a longer tail).
get_and_track() {
    read -r _ R_RPS R_P99 R_ERR < <(run get "$BASE/open311/v2/requests/SG-2026-000001.json")
    echo "GET requests/{id}.json: ${R_RPS} requests/s, p99 ${R_P99} ms ${R_ERR}"
    read -r _ T_RPS T_P99 T_ERR < <(run track "$BASE/track?receipt=SG-2026-000001&digits=5678")
    echo "GET /track (timeline): ${T_RPS} requests/s, p99 ${T_P99} ms ${T_ERR}"
}
echo "wrk: 1 thread, $CONNECTIONS connections, median of $RUNS runs of ${SECONDS_EACH} s, all on 2 cores"
echo "server with 1 thread:"
get_and_track
echo "WEB_GET_RPS $R_RPS"
echo "WEB_GET_P99_MS $R_P99"
echo "WEB_TRACK_RPS $T_RPS"
echo "WEB_TRACK_P99_MS $T_P99"
start_server 2
echo "server with 2 threads:"
get_and_track
echo "WEB_GET_RPS_2THREADS $R_RPS"
echo "WEB_GET_P99_MS_2THREADS $R_P99"
echo "WEB_TRACK_RPS_2THREADS $T_RPS"
echo "WEB_TRACK_P99_MS_2THREADS $T_P99"
before=$(sqlite3 "$SEODONG_DB" 'select count(*) from complaints')
read -r _ F_RPS F_P99 F_ERR < <(run file -s "$TMP/file.lua" "$BASE/open311/v2/requests.json")
after=$(sqlite3 "$SEODONG_DB" 'select count(*) from complaints')
echo "POST requests.json: ${F_RPS} durable filings/s (p99 ${F_P99} ms; $((after - before)) rows committed) ${F_ERR}"
read -r _ K_RPS K_P99 K_ERR < <(run kakao -s "$TMP/kakao.lua" "$BASE/kakao/skill")
echo "POST /kakao/skill (new user each): ${K_RPS} requests/s, p99 ${K_P99} ms ${K_ERR}"
echo "WEB_FILINGS_PER_S $F_RPS"
echo "WEB_KAKAO_P99_MS $K_P99"
