#!/usr/bin/env bash
# bench_ivr.sh - how many phone calls this machine carries at once with no late audio: N
# simultaneous sipp callers (tests/sip/listen.xml: each hears 10 s of the greeting over G.711),
# N raised until the server reports RTP packets sent more than 20 ms late; prints, for each N,
# late packets, the worst lateness and the server's CPU per call, then the largest N with none
# late. Then speech, every call with its own recogniser: SPEECH_CALLS (default 8) sipp callers at
# once talking without pause over G.711 A-law (tests/sip/speech.xml: 21 s of sipp's g711a.pcap
# each), and TYPICAL_CALLS (default 10) typical callers (tests/sip/question.xml: one question in a
# 20 s call). The server logs each call's real-time factor (its thread's CPU for echo cancelling,
# upsampling and recognition / seconds of audio heard): the number of non-stop talkers one core
# holds in real time is 1 / the mean RTF. CPU time, not wall time, so other work on the machine
# blurs it little. With BEFORE_BUILD=DIR the speech runs are made first with DIR's seodong (an
# older build to compare with), then with BUILD_DIR's. Last, hardening: STORM_OFFERS (default
# 10000) random SDP offers mutated from the fuzz target's seeds (and from the inputs a fuzzing run
# grew in build-fuzz/corpus/sdp_offer, when there), one INVITE after another to a server with
# speech on (tests/sip/offer_storm.py): each must get a final answer, the server must live, and a
# normal call after them must be answered.
# Usage: [BEFORE_BUILD=DIR] scripts/bench_ivr.sh [BUILD_DIR] [N...]
# (default N: 10 25 50 100 200 400 800).
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

# speech_calls BIN SCENARIO N LABEL: N sipp callers at once on SCENARIO against BIN (a server
# with a recogniser for every call); prints each call's real-time factor as the server logs it
# (its thread's CPU for echo cancelling, upsampling and recognition over the seconds of audio it
# heard) and a summary line "LABEL: ..." with the mean, the process's CPU per second of call,
# late RTP packets (both rounds) and the resident memory of one recogniser (measured by the
# server at start).
speech_calls() {
    local bin=$1 scenario=$2 n=$3 label=$4 port pid t0 t1 late mb
    port=$((21000 + RANDOM % 20000))
    "$bin" ivr --db "$dir/s.db" --lang en --listen 127.0.0.1:$port --max-calls "$n" \
        --asr-calls "$n" 2>"$dir/speech.err" &
    pid=$!
    for _ in $(seq 300); do grep -q listening "$dir/speech.err" && break; sleep 0.1; done
    # A first round builds the recognisers (half a second each, once per server): the figures
    # are those of the second, as a line in service hears its calls.
    (cd "$dir" && timeout 180 sipp 127.0.0.1:$port -sf "$scenario" -m "$n" -l "$n" -r "$n" \
        -i 127.0.0.1 -p $((port + 1)) -mi 127.0.0.1 >/dev/null 2>&1)
    # A slow build's calls may still be finishing: wait until all n have logged their figures.
    for _ in $(seq 300); do [ "$(grep -c RTF "$dir/speech.err")" -ge "$n" ] && break; sleep 0.1; done
    grep RTF "$dir/speech.err" >"$dir/speech.err.first" || true
    t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    (cd "$dir" && timeout 180 sipp 127.0.0.1:$port -sf "$scenario" -m "$n" -l "$n" -r "$n" \
        -i 127.0.0.1 -p $((port + 1)) -mi 127.0.0.1 >/dev/null 2>&1)
    t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    kill -INT $pid
    wait $pid
    late=$(grep "RTP packets sent" "$dir/speech.err" | sed -E 's/.* ([0-9]+) late .*/\1/')
    mb=$(grep -o '[0-9]* MB each' "$dir/speech.err" | awk '{print $1}')
    grep RTF "$dir/speech.err" | grep -vxF -f "$dir/speech.err.first" >"$dir/speech.rtf" || true
    sed 's/^ivr: /  /' "$dir/speech.rtf"
    awk -v n="$n" -v late="$late" -v mb="$mb" -v label="$label" -v d=$((t1 - t0)) \
        -v tck="$(getconf CLK_TCK)" '
        /RTF/ { gsub(/[()]/, ""); sum += $NF; audio += $5; calls++ }
        END { if (!calls) { print label ": no call heard anything"; exit 1 }
              printf "%s: %d calls at once: mean RTF per call %.3f, process CPU %.3f of a core per call, %s RTP packets late, %s MB per recogniser\n",
                  label, calls, sum / calls, d / tck / (audio / calls) / calls, late, mb }' "$dir/speech.rtf"
}

# The typical caller's audio: silence, one question in flite's voice, silence, 20 s in all.
flite -voice slt -t "what time is it" -o "$dir/q.wav"
sox "$dir/q.wav" -r 8000 -c 1 -b 16 -e signed -t raw "$dir/q.raw" pad 3 20 trim 0 20
python3 "$ROOT/scripts/make_rtp_pcap.py" "$dir/q.raw" "$dir/question.pcap"
sed "s|QUESTION_PCAP|$dir/question.pcap|" "$ROOT/tests/sip/question.xml" >"$dir/question.xml"

talkers=${SPEECH_CALLS:-8}
typical=${TYPICAL_CALLS:-10}
builds=("$BUILD")
[ -n "${BEFORE_BUILD:-}" ] && builds=("$BEFORE_BUILD" "$BUILD")
for b in "${builds[@]}"; do
    which=after
    [ "$b" = "${BEFORE_BUILD:-}" ] && which=before
    echo "$which ($b): $talkers callers talking without a pause (G.711, sipp's g711a.pcap):"
    speech_calls "$b/seodong" "$ROOT/tests/sip/speech.xml" "$talkers" "TALKING_$which" \
        | tee "$dir/talking_$which.txt"
    echo "$which ($b): $typical typical callers (one question in a 20 s call, G.711):"
    speech_calls "$b/seodong" "$dir/question.xml" "$typical" "TYPICAL_$which" \
        | tee "$dir/typical_$which.txt"
done
awk '/^TALKING_after/ { for (i = 1; i <= NF; i++) if ($i == "RTF") rtf = $(i + 3) }
     END { if (rtf > 0) printf "recognising calls one core holds in real time: %d\n", int(1 / rtf) }' \
    "$dir/talking_after.txt"

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
