#!/usr/bin/env bash
# bench_ivr.sh - how many phone calls this machine carries at once with no late audio: N
# simultaneous sipp callers (tests/sip/listen.xml: each hears 10 s of the greeting over G.711),
# N raised until the server reports RTP packets sent more than 20 ms late; prints, for each N,
# late packets, the worst lateness and the server's CPU per call, then the largest N with none
# late. Then speech: SPEECH_CALLS (default 2) sipp callers at once talking without pause over
# G.711 A-law (tests/sip/speech.xml: 21 s of sipp's g711a.pcap each), every call with its own
# recogniser; the server logs each call's real-time factor (its thread's CPU for echo cancelling,
# upsampling and recognition / seconds of audio heard), and the number of such calls one core
# holds in real time is 1 / the mean RTF. Last, hardening: STORM_OFFERS (default 10000) random SDP
# offers mutated from the fuzz target's seeds (and from the inputs a fuzzing run grew in
# build-fuzz/corpus/sdp_offer, when there), one INVITE after another to a server with speech on
# (tests/sip/offer_storm.py): each must get a final answer, the server must live, and a normal
# call after them must be answered.
# Usage: scripts/bench_ivr.sh [BUILD_DIR] [N...] (default N: 10 25 50 100 200 400 800).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
shift || true
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(10 25 50 100 200 400 800)
BIN=$BUILD/seodong
dir=$(mktemp -d /tmp/seodong-bench-ivr-XXXXXX)
trap 'rm -rf "$dir"' EXIT
HOLD_S=10
best=0
printf '%6s %8s %8s %10s %14s\n' calls packets late worst_ms "cpu/call (%)"
for n in "${STEPS[@]}"; do
    port=$((21000 + RANDOM % 20000))
    "$BIN" ivr --db "$dir/b.db" --listen 127.0.0.1:$port --max-calls "$n" --asr-calls 0 \
        2>"$dir/ivr.err" &
    pid=$!
    for _ in $(seq 100); do grep -q listening "$dir/ivr.err" && break; sleep 0.1; done
    t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    (cd "$dir" && timeout 120 sipp 127.0.0.1:$port -sf "$ROOT/tests/sip/listen.xml" -m "$n" \
        -l "$n" -r "$n" -i 127.0.0.1 -p $((port + 1)) -mi 127.0.0.1 >/dev/null 2>&1)
    t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    kill -INT $pid
    wait $pid
    line=$(grep "RTP packets sent" "$dir/ivr.err")
    packets=$(echo "$line" | sed -E 's/.* ([0-9]+) RTP packets sent.*/\1/')
    late=$(echo "$line" | sed -E 's/.* ([0-9]+) late .*/\1/')
    worst=$(echo "$line" | sed -E 's/.*latest ([0-9]+) ms.*/\1/')
    ticks=$(getconf CLK_TCK)
    cpu=$(awk -v d=$((t1 - t0)) -v t="$ticks" -v n="$n" -v h=$HOLD_S \
        'BEGIN { printf "%.2f", 100 * d / t / (n * h) }')
    printf '%6s %8s %8s %10s %14s\n' "$n" "$packets" "$late" "$worst" "$cpu"
    if [ "$late" = 0 ]; then best=$n; else break; fi
done
echo "largest number of simultaneous calls with no late RTP packet: $best"

n=${SPEECH_CALLS:-2}
port=$((21000 + RANDOM % 20000))
"$BIN" ivr --db "$dir/b.db" --lang en --listen 127.0.0.1:$port --max-calls "$n" --asr-calls "$n" \
    2>"$dir/speech.err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/speech.err" && break; sleep 0.1; done
(cd "$dir" && timeout 120 sipp 127.0.0.1:$port -sf "$ROOT/tests/sip/speech.xml" -m "$n" -l "$n" \
    -r "$n" -i 127.0.0.1 -p $((port + 1)) -mi 127.0.0.1 >/dev/null 2>&1)
kill -INT $pid
wait $pid
grep -E "speech recognition for|RTF" "$dir/speech.err" | sed 's/^ivr: /  /'
late=$(grep "RTP packets sent" "$dir/speech.err" | sed -E 's/.* ([0-9]+) late .*/\1/')
awk -v n="$n" -v late="$late" '/RTF/ { gsub(/[()]/, ""); sum += $NF; calls++ }
    END { if (!calls) { print "no call heard anything"; exit 1 }
          printf "%d talking calls at once: mean RTF per call %.3f, %s RTP packets late\n", calls, sum / calls, late
          printf "recognising calls one core holds in real time: %d\n", int(calls / sum) }' "$dir/speech.err"

offers=${STORM_OFFERS:-10000}
"$BIN" ivr --db "$dir/b.db" --listen 127.0.0.1:0 2>"$dir/storm.err" &
pid=$!
for _ in $(seq 600); do grep -q listening "$dir/storm.err" && break; sleep 0.1; done
port=$(sed -nE 's/.*listening on 127\.0\.0\.1:([0-9]+) .*/\1/p' "$dir/storm.err")
corpus=("$ROOT/tests/fuzz/corpus/sdp_offer")
[ -d "$ROOT/build-fuzz/corpus/sdp_offer" ] && corpus+=("$ROOT/build-fuzz/corpus/sdp_offer")
python3 "$ROOT/tests/sip/offer_storm.py" 127.0.0.1:"$port" "$offers" "${corpus[@]}" \
    --keep "$dir/unanswered"
storm=$?
(cd "$dir" && timeout 60 sipp 127.0.0.1:"$port" -sf "$ROOT/tests/sip/static_offer.xml" \
    -inf "$ROOT/tests/sip/static_offers.csv" -m 1 -d 500 -i 127.0.0.1 -mi 127.0.0.1 \
    >/dev/null 2>&1)
after=$?
alive=$(kill -0 $pid 2>/dev/null && echo "still up" || echo GONE)
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
echo "after the storm: the server $alive, a normal call $([ $after -eq 0 ] && echo answered ||
    echo FAILED), the server's exit status $rc"
[ $storm -eq 0 ] && [ $after -eq 0 ] && [ $rc -eq 0 ]
