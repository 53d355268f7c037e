#!/usr/bin/env bash
# test_ivr.sh - the phone line end to end on 127.0.0.1 with a real SIP peer (sipp, Debian's
# sip-tester): a G.722 offer gets G.722; 0 transfers by REFER; a caller asks the status of a complaint with keys only over G.711 µ-law
# (RFC 4733 events and one SIP INFO), and the call record is checked; garbage UDP on the SIP
# port does not stop the server; an offer without a common codec gets 488; a call beyond
# --max-calls gets 486 while another call is up; a caller that vanishes is hung up.
# Then speech, with baresip as the caller over G.722: it asks "what time is it" (flite) during
# the greeting, which stops (barge-in); Seodong's answer, recorded by baresip, is recognised
# (seodong transcribe) and must tell the time; a key sent through baresip's ctrl_tcp mid-call
# reaches the menu.
set -uo pipefail
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
if ! command -v sipp >/dev/null; then
    echo "sipp is missing: run scripts/deps.sh" >&2
    exit 1
fi
dir=$(mktemp -d /tmp/seodong-ivr-XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    rm -rf "$dir"
}
# KEEP=1 keeps the folder with the server logs, to look into a failure.
[ -n "${KEEP:-}" ] || trap cleanup EXIT
fail=0
check() { # check DESCRIPTION COMMAND...
    if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1" >&2; fail=1; fi
}
export SEODONG_NOW=2026-11-25T09:30
db=$dir/t.db
printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 SUV가 인도를 막고 있어요 010-1234-5678\n네\n' |
    "$BIN" chat --db "$db" >"$dir/chat.out"
receipt=$(grep -o 'SG-2026-[0-9]*' "$dir/chat.out" | head -1)
check "a complaint was filed to ask about" test -n "$receipt"

port=$((20000 + $$ % 20000))
"$BIN" ivr --db "$db" --listen 127.0.0.1:$port --max-calls 1 --no-input 3 --transfer 200 \
    2>"$dir/ivr.err" &
server=$!
for _ in $(seq 300); do grep -q listening "$dir/ivr.err" && break; sleep 0.1; done
check "the server listens" grep -q "listening on 127.0.0.1:$port" "$dir/ivr.err"

# Garbage on the SIP port: the server must keep serving.
head -c 2000 /dev/urandom >/dev/udp/127.0.0.1/$port
printf 'INVITE sip:x SIP/2.0\r\nVia: broken\r\n\r\n' >/dev/udp/127.0.0.1/$port

sipp_run() { # sipp_run NAME SCENARIO LOCALPORT [sipp options]
    (cd "$dir" && timeout 60 sipp 127.0.0.1:$port -sf "$SRC/tests/sip/$2" -m 1 -i 127.0.0.1 \
        -p "$3" -mi 127.0.0.1 -trace_msg -message_file "$1.msg" "${@:4}" >"$1.out" 2>&1)
}

# The status call (about 20 s); a second caller meanwhile finds the line full.
sipp_run status status_dtmf.xml $((port + 1)) -key receipt "$(echo "${receipt#SG-}" | tr -d -)" \
    -key last4 5678 &
status_pid=$!
sleep 3
sipp_run busy refused.xml $((port + 2))
check "a call beyond --max-calls gets 486" grep -q "SIP/2.0 486 Busy Here" "$dir/busy.msg"
wait $status_pid
check "sipp's status call completed" test $? -eq 0
check "the greeting names the office" grep -q "call 1 says: 안녕하세요, 서구청" "$dir/ivr.err"
check "the keys reached the menu" grep -q "call 1 key #" "$dir/ivr.err"
check "the identity check asked for the last four digits" grep -q "뒤 4자리" "$dir/ivr.err"
check "the status of $receipt was read out" grep -q "says: 접수번호 $receipt" "$dir/ivr.err"

sipp_run wideband wideband.xml $((port + 5))
check "a G.722 offer is answered with G.722" test $? -eq 0

# A phone that sends keys only as tones (no telephone-event offered): 2, heard in the audio.
sox -n -r 8000 -c 1 -e mu-law -t raw "$dir/tones.ulaw" synth 0.2 sine 697 sine 1336 channels 1 \
    pad 0.3 0.5 2>/dev/null
keys_before=$(grep -c " key 2$" "$dir/ivr.err")
sipp_run tones tones.xml $((port + 7))
check "keys as tones: the call completed" test $? -eq 0
check "keys as tones: the key was heard in the audio" \
    test "$(grep -c " key 2$" "$dir/ivr.err")" -gt "$keys_before"

sipp_run transfer transfer.xml $((port + 6))
check "0 transfers the caller with a REFER to extension 200, then hangs up" test $? -eq 0

sipp_run codec refused.xml $((port + 3))
check "an offer without a common codec gets 488" grep -q "SIP/2.0 488" "$dir/codec.msg"

kill -INT "$server"
wait "$server"
check "the server stops cleanly on SIGINT" test $? -eq 0
server=""
check "the server counted the refusals" grep -q "1 refused busy, 1 refused for codec" "$dir/ivr.err"
record=$(sqlite3 "$db" "SELECT caller, codec, intents, result FROM calls ORDER BY id LIMIT 1")
check "the call record (masked caller, codec, intents, result): $record" \
    test "$record" = "*******1234|PCMU|complaint.status|hangup"
check "the transfer was recorded" \
    test "$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE result = 'transfer' AND intents = 'human'")" = 1
check "the wideband call was recorded with G.722" \
    test "$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE codec = 'G722'")" = 1
check "every record has an end" test "$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE ended_at IS NULL")" = 0
# A caller that vanishes (no RTP, no BYE) is hung up after --rtp-timeout.
"$BIN" ivr --db "$db" --listen 127.0.0.1:$port --rtp-timeout 2 2>"$dir/ivr2.err" &
server=$!
for _ in $(seq 300); do grep -q listening "$dir/ivr2.err" && break; sleep 0.1; done
sipp_run vanish vanish.xml $((port + 4))
for _ in $(seq 50); do grep -q "ended" "$dir/ivr2.err" && break; sleep 0.1; done
check "a vanished call is ended after the RTP time-out" grep -q "call 1 ended: timeout" "$dir/ivr2.err"
kill -INT "$server"
wait "$server"
server=""
check "its record says so" test "$(sqlite3 "$db" "SELECT result FROM calls ORDER BY id DESC LIMIT 1")" = timeout

# ---- speech: baresip asks a question over G.722 ----
for tool in baresip flite sox; do
    command -v $tool >/dev/null || { echo "$tool is missing: run scripts/deps.sh" >&2; exit 1; }
done
bs=$dir/baresip
mkdir -p "$bs"
# The question 5 s into the greeting, then silence: baresip hangs up when the file ends.
flite -voice slt -t "what time is it" -o "$dir/q.wav"
sox "$dir/q.wav" -r 16000 -c 1 -b 16 "$dir/ask.wav" pad 5 13
cat >"$bs/config" <<EOF_CONF
module_path /usr/lib/baresip/modules
sip_listen 127.0.0.1:$((port + 10))
net_interface 127.0.0.1
audio_source aufile,$dir/ask.wav
audio_player aubridge,x
audio_alert aubridge,x
module g722.so
module aufile.so
module aubridge.so
module sndfile.so
module ctrl_tcp.so
module_app account.so
module_app menu.so
snd_path $bs
ctrl_tcp_listen 127.0.0.1:$((port + 12))
EOF_CONF
echo "<sip:caller@127.0.0.1>;regint=0;audio_codecs=G722/16000" >"$bs/accounts"
"$BIN" ivr --db "$db" --lang en --asr-calls 1 --listen 127.0.0.1:$port 2>"$dir/ivr3.err" &
server=$!
for _ in $(seq 300); do grep -q listening "$dir/ivr3.err" && break; sleep 0.1; done
check "one recogniser was built at start" grep -q "speech recognition for 1 calls" "$dir/ivr3.err"
timeout 40 baresip -f "$bs" -t 22 -e "/dial sip:seodong@127.0.0.1:$port" >"$dir/baresip.out" 2>&1 &
caller=$!
# A key mid-call, after the answer: it stops the menu being read and asks for a receipt.
sleep 13
json='{"command":"sndcode","params":"2"}'
printf '%d:%s,' ${#json} "$json" >/dev/tcp/127.0.0.1/$((port + 12))
wait $caller
for _ in $(seq 50); do grep -q "ended" "$dir/ivr3.err" && break; sleep 0.1; done
kill -INT "$server"
wait "$server"
server=""
check "the caller's speech stopped the greeting" grep -q "call 1 barge-in" "$dir/ivr3.err"
check "the question was recognised" grep -q "call 1 heard: what time is it" "$dir/ivr3.err"
check "Seodong told the time" grep -q "call 1 says: It's 9:30" "$dir/ivr3.err"
check "the key sent by baresip mid-call reached the menu" grep -q "call 1 key 2" "$dir/ivr3.err"
check "the receipt number was asked for" grep -q "says: Please type the ten digits" "$dir/ivr3.err"
check "the call's hearing cost was logged" grep -q "call 1: heard .* (RTF" "$dir/ivr3.err"
answer=$("$BIN" transcribe "$bs"/dump-*-dec.wav --free --lang en --db "$db" 2>/dev/null | cut -f1)
echo "what baresip heard, recognised: $answer" | tr '\n' ' '
echo
check "the recorded answer, recognised, tells the time (thirty)" grep -q "thirty" <<<"$answer"
check "the speech call's record has the intent time" \
    test "$(sqlite3 "$db" "SELECT codec, intents FROM calls ORDER BY id DESC LIMIT 1")" = "G722|time"

[ $fail -eq 0 ] && echo "test_ivr: all passed"
exit $fail
