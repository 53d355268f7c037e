#!/usr/bin/env bash
# test_ivr.sh - the phone line end to end on 127.0.0.1 with a real SIP peer (sipp, Debian's
# sip-tester). First server (one call at a time): garbage UDP on the SIP port does not stop it;
# phones that name codecs by static payload type only, without a=rtpmap, get the codec the
# number means (tests/sip/static_offer.xml, one call per line of static_offers.csv); a call
# beyond --max-calls gets 486 while another is up; a caller asks the status of a complaint with
# keys only over G.711 µ-law (RFC 4733 events and one SIP INFO) and the call record is checked; a
# G.722 offer gets G.722; a key sent as tones is heard; 0 transfers by REFER; the sounds of
# audio/ are sent where they belong (the listening cue after the prompt asking for a complaint,
# the hold tone while the PBX takes a transfer: found in the RTP a caller received); an offer
# without a common codec gets 488; a missing sound file stops the server at start. Second server: a caller that vanishes is hung up; one that holds the call
# past the RTP time-out is not, and is refused a re-INVITE without its codec; a CANCEL that
# crosses the 200 OK; a sipp flood of static-type offers and 500 random offers from the fuzz
# target's seeds (tests/sip/offer_storm.py), after which a normal call is still answered.
# Then speech, with baresip as the caller over G.722: it asks "what time is it" (flite) during
# the greeting, which stops (barge-in); Seodong's answer, recorded by baresip, is recognised
# (seodong transcribe) and must tell the time; a key sent through baresip's ctrl_tcp reaches
# the menu.
#
# Every run of the binary has its exit status checked exactly and its stderr searched for a
# sanitizer report; servers take a free port (--listen 127.0.0.1:0); waits are for conditions,
# with a time-out. sipp sends RFC 4733 events (play_dtmf) through a raw socket: the keypad status
# call runs as root or when sipp has cap_net_raw (scripts/deps.sh gives it when run as root), and
# otherwise the test says that it was not run and why.
set -uo pipefail
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
for tool in sipp sox sqlite3 python3 baresip flite; do
    command -v $tool >/dev/null || { echo "$tool is missing: run scripts/deps.sh" >&2; exit 1; }
done
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
exits() { # exits DESCRIPTION WANT GOT: an exit status, compared exactly
    check "$1 (exit $3, want $2)" test "$3" -eq "$2"
}
wait_for() { # wait_for FILE PATTERN SECONDS: until the extended regex is in the file
    local end=$((SECONDS + $3))
    until grep -qE -- "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.05
    done
}
wait_count() { # wait_count FILE PATTERN N SECONDS: until N lines match the extended regex
    local end=$((SECONDS + $4))
    until [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ]; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.05
    done
}
wait_grown() { # wait_grown FILE BYTES SECONDS: until the file is at least BYTES long
    local end=$((SECONDS + $3))
    until [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ]; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.05
    done
}
no_sanitizer_report() { # no_sanitizer_report FILE: ASan, LeakSanitizer and UBSan write these
    ! grep -qE "ERROR: [A-Za-z]+Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer" "$1"
}
free_port() { # a TCP port nobody listens on, from the OS
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
start_server() { # start_server LOG OPTIONS...: seodong ivr on a free port; sets server and port
    "$BIN" ivr --listen 127.0.0.1:0 "${@:2}" 2>"$1" &
    server=$!
    server_log=$1
    if ! wait_for "$1" "listening on 127\.0\.0\.1:[0-9]+ " 120; then
        echo "FAILED: the server did not start:" >&2
        cat "$1" >&2
        exit 1
    fi
    port=$(sed -nE 's/.*listening on 127\.0\.0\.1:([0-9]+) .*/\1/p' "$1")
}
server_alive() { # server_alive WHAT: a server that died fails the test at once, with its status
    kill -0 "$server" 2>/dev/null && return 0
    [ "$BASH_SUBSHELL" -eq 0 ] || return 1 # a caller in the background: the next one tells
    wait "$server"
    echo "FAILED: the server died during $1 (exit $?); the end of its log:" >&2
    tail -20 "$server_log" >&2
    server=""
    exit 1
}
stop_server() { # stop_server LOG: SIGINT ends it with exit 0 and no sanitizer report
    kill -INT "$server"
    wait "$server"
    local rc=$?
    exits "the server ($(basename "$1")) stops cleanly on SIGINT" 0 $rc
    server=""
    check "no sanitizer report from the server ($(basename "$1"))" no_sanitizer_report "$1"
}
sipp_run() { # sipp_run NAME SCENARIO [sipp options]: one call (unless -m follows), sipp's status
    (cd "$dir" && timeout 120 sipp 127.0.0.1:$port -sf "$SRC/tests/sip/$2" -m 1 -i 127.0.0.1 \
        -mi 127.0.0.1 -recv_timeout 20000 -trace_msg -message_file "$1.msg" -trace_err \
        -error_file "$1.errors" "${@:3}" >"$1.out" 2>&1)
    local rc=$?
    server_alive "sipp's $1 call"
    return $rc
}
# sipp's play_dtmf opens a raw socket: root, or cap_net_raw on the sipp binary.
sipp_raw_socket() {
    [ "$(id -u)" -eq 0 ] && return 0
    local getcap
    getcap=$(command -v getcap || echo /usr/sbin/getcap)
    [ -x "$getcap" ] && "$getcap" "$(command -v sipp)" | grep -q cap_net_raw
}
export SEODONG_NOW=2026-11-25T09:30
db=$dir/t.db
printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 SUV가 인도를 막고 있어요 010-1234-5678\n네\n' |
    "$BIN" chat --db "$db" >"$dir/chat.out" 2>"$dir/chat.err"
exits "the complaint to ask about was filed by chat" 0 $?
check "no sanitizer report from chat" no_sanitizer_report "$dir/chat.err"
receipt=$(grep -o 'SG-2026-[0-9]*' "$dir/chat.out" | head -1)
check "a complaint was filed to ask about" test -n "$receipt"

# ---- the first server: one call at a time ----
start_server "$dir/ivr.err" --db "$db" --max-calls 1 --no-input 3 --transfer 200
echo "the server listens on 127.0.0.1:$port"

# Garbage on the SIP port: the server must keep serving.
head -c 2000 /dev/urandom >/dev/udp/127.0.0.1/$port
printf 'INVITE sip:x SIP/2.0\r\nVia: broken\r\n\r\n' >/dev/udp/127.0.0.1/$port

# Static payload types without a=rtpmap (issue 16: the first of these crashed the server).
n=0
while IFS=';' read -r offered wanted; do
    n=$((n + 1))
    printf 'SEQUENTIAL\n%s;%s\n' "$offered" "$wanted" >"$dir/offer$n.csv"
    sipp_run static$n static_offer.xml -inf "$dir/offer$n.csv" -d 200
    exits "'m=audio PORT RTP/AVP $offered' without a=rtpmap is answered with $wanted" 0 $?
done < <(grep ';' "$SRC/tests/sip/static_offers.csv")
lines=$n

# A proxy's probe: the line says it is alive.
sipp_run options options.xml
exits "an OPTIONS probe gets 200 OK" 0 $?

# A long call; a second caller meanwhile finds the line full.
sipp_run long static_offer.xml -inf "$SRC/tests/sip/static_offers.csv" -d 4000 &
long=$!
check "the long call is up" wait_count "$dir/ivr.err" "call [0-9]+ from" $((lines + 1)) 30
sipp_run busy refused.xml
exits "the caller beyond --max-calls completed its scenario" 0 $?
check "a call beyond --max-calls gets 486" grep -q "SIP/2.0 486 Busy Here" "$dir/busy.msg"
wait $long
exits "the long call completed" 0 $?

# The status call (about 20 s), keys as RFC 4733 events: needs sipp's raw socket.
if sipp_raw_socket; then
    sipp_run status status_dtmf.xml -key receipt "$(echo "${receipt#SG-}" | tr -d -)" \
        -key last4 5678
    exits "sipp's status call completed" 0 $?
    check "the greeting names the office" grep -q "says: 안녕하세요, 서구청" "$dir/ivr.err"
    check "the keys reached the menu" grep -qE "call [0-9]+ key #" "$dir/ivr.err"
    check "digits typed into numbers are not logged" test "$(grep -cE "call [0-9]+ key [5-8]$" "$dir/ivr.err")" = 0
    check "...but counted as typed" grep -qE "call [0-9]+ key [.]$" "$dir/ivr.err"
    check "the identity check asked for the last four digits" grep -q "뒤 4자리" "$dir/ivr.err"
    check "the status of $receipt was read out" grep -q "says: 접수번호 $receipt" "$dir/ivr.err"
    status_ran=1
else
    echo "NOT RUN: the keypad status call (RFC 4733 telephone-events): sipp sends them through a" \
        "raw socket, which needs root or cap_net_raw on $(command -v sipp); as root, run" \
        "scripts/deps.sh (it runs setcap cap_net_raw+ep on sipp). The keys' parsing is" \
        "tested by test_ivr_parse, the tones and SIP INFO paths below."
    status_ran=0
fi

sipp_run wideband wideband.xml
exits "a G.722 offer is answered with G.722" 0 $?

# A phone that sends keys only as tones (no telephone-event offered): 2, heard in the audio.
sox -n -r 8000 -c 1 -e mu-law -t raw "$dir/tones.ulaw" synth 0.2 sine 697 sine 1336 channels 1 \
    pad 0.3 0.5 2>/dev/null
keys_before=$(grep -c " key 2$" "$dir/ivr.err")
sipp_run tones tones.xml
exits "keys as tones: the call completed" 0 $?
check "keys as tones: the key was heard in the audio" \
    test "$(grep -c " key 2$" "$dir/ivr.err")" -gt "$keys_before"

sipp_run transfer transfer.xml
exits "0 transfers the caller with a REFER to extension 200, then hangs up" 0 $?

# The sounds: key 1 (a complaint by voice), whose prompt ends with the listening cue; 9.5 s later
# key 0, "please hold", and the hold tone until the PBX answers the REFER, 2 s later
# (tests/sip/cues.xml). The caller's audio side (tests/sip/rtp_listen.py) keeps the µ-law it
# receives, in which tests/find_sound.py finds the sounds of audio/ (within a µ-law step).
python3 "$SRC/tests/sip/rtp_listen.py" "$dir/cues.ulaw" >"$dir/rtp.port" 2>"$dir/rtp.err" &
listener=$!
check "the caller's audio side listens" wait_for "$dir/rtp.port" '^[0-9]+$' 10
sipp_run cues cues.xml -key rtp_port "$(cat "$dir/rtp.port")"
exits "a caller who files by voice, then asks for a person, completed its scenario" 0 $?
wait $listener
exits "the caller's audio side received the call's audio ($(cat "$dir/rtp.err"))" 0 $?
sound_in_call() { # sound_in_call [--first S] FILE: the sample offsets where it was sent
    python3 "$SRC/tests/find_sound.py" --ulaw "$@" "$dir/cues.ulaw" | sed -n 's/^at *//p'
}
listened=($(sound_in_call "$SRC/audio/listen-8k.wav"))
held=$(sound_in_call --first 1 "$SRC/audio/hold-8k.wav")
echo "the listening cue was sent at samples ${listened[*]:-(none)}, the hold tone at ${held:-(none)}"
check "the listening cue followed the prompt asking for a complaint" test ${#listened[@]} -ge 1
check "the hold tone was sent once, while the PBX took the transfer" test "$(wc -w <<<"$held")" -eq 1
check "the hold tone came after every listening cue" test "${held:-0}" -gt "${listened[-1]:-$held}"
check "nothing but the hold tone was sent after it" test "$(python3 "$SRC/tests/find_sound.py" \
    --ulaw --first 1 "$SRC/audio/hold-8k.wav" "$dir/cues.ulaw" | sed -n 's/^after //p')" -eq 0
check "the caller's keys reached the menu" grep -qE "call [0-9]+ key 1$" "$dir/ivr.err"

sipp_run codec refused.xml
exits "the caller without a common codec completed its scenario" 0 $?
check "an offer without a common codec gets 488" grep -q "SIP/2.0 488" "$dir/codec.msg"

stop_server "$dir/ivr.err"
check "the server counted the refusals" grep -q "1 refused busy, 1 refused for codec" "$dir/ivr.err"
if [ $status_ran -eq 1 ]; then
    record=$(sqlite3 "$db" "SELECT caller, codec, intents, result FROM calls
                            WHERE intents = 'complaint.status'")
    check "the call record (masked caller, codec, intents, result): $record" \
        test "$record" = "*******1234|PCMU|complaint.status|hangup"
fi
check "the transfer was recorded" \
    test "$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE result = 'transfer' AND intents = 'human'")" = 1
g722=$(($(grep -c ';9$' "$SRC/tests/sip/static_offers.csv") + 1))
check "the wideband call and the static offers of 9 were recorded with G.722" \
    test "$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE codec = 'G722'")" = $g722
check "every record has an end" test "$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE ended_at IS NULL")" = 0

# A sound file missing (here the hold tone at 8 kHz) stops the server at start, naming it.
mkdir -p "$dir/data/audio"
ln -s "$SRC/grammars" "$SRC/data" "$SRC/models" "$dir/data/"
cp "$SRC"/audio/*.wav "$dir/data/audio/"
rm "$dir/data/audio/hold-8k.wav"
"$BIN" ivr --listen 127.0.0.1:0 --data "$dir/data" --db "$db" >/dev/null 2>"$dir/nosound.err"
exits "the server without its hold tone" 1 $?
check "it says which file and what to do" grep -q "the hold tone cannot be played: $dir/data/audio/hold-8k.wav: .*audio/make_cues.sh" "$dir/nosound.err"
check "no sanitizer report from the server without its hold tone" no_sanitizer_report "$dir/nosound.err"

# ---- the second server: RTP time-out of 2 s, eight calls at once ----
start_server "$dir/ivr2.err" --db "$db" --rtp-timeout 2 --asr-calls 0
# A caller that vanishes (no RTP, no BYE) is hung up after --rtp-timeout.
sipp_run vanish vanish.xml
exits "the vanishing caller completed its scenario" 0 $?
check "a vanished call is ended after the RTP time-out" \
    wait_for "$dir/ivr2.err" "call 1 ended: timeout" 30
# Hold: a=inactive for 3 s, longer than the time-out; back; a re-INVITE without the codec; a key.
sox -n -r 8000 -c 1 -e mu-law -t raw "$dir/silence.ulaw" trim 0 1
sipp_run hold hold.xml -d 3000
exits "a call held past the RTP time-out goes on, refuses a re-INVITE without its codec" 0 $?
check "the key after the hold reached the call" grep -qE "call [0-9]+ key \*" "$dir/ivr2.err"
check "the re-INVITE without the codec got 488" grep -q "SIP/2.0 488" "$dir/hold.msg"
# CANCEL crossing the 200 OK, and a CANCEL of nothing (481): tests/sip/cancel_crossing.py.
python3 "$SRC/tests/sip/cancel_crossing.py" 127.0.0.1:$port >"$dir/cancel.out" 2>&1
exits "a CANCEL that crosses the 200 OK gets 200, the call is ended by BYE; a stray one 481" 0 $?
server_alive "the CANCEL"
cat "$dir/cancel.out"
check "the held call and the cancelled one ended" \
    wait_count "$dir/ivr2.err" "call [0-9]+ ended: hangup" 2 30
# A flood of static-type offers, six calls at a time.
sipp_run flood static_offer.xml -inf "$SRC/tests/sip/static_offers.csv" -m 200 -r 100 -l 6 -d 100
exits "a flood of 200 static-type offers, each answered with the right codec" 0 $?
# Random offers from the fuzz target's seeds, mutated.
python3 "$SRC/tests/sip/offer_storm.py" 127.0.0.1:$port 500 "$SRC/tests/fuzz/corpus/sdp_offer" \
    --seed 16 --keep "$dir/unanswered" >"$dir/storm.out" 2>&1
exits "500 random SDP offers each got a final answer" 0 $?
cat "$dir/storm.out"
server_alive "the storm of random offers"
# (Shorter than the 2 s RTP time-out: sipp sends no audio.)
sipp_run after static_offer.xml -inf "$SRC/tests/sip/static_offers.csv" -d 300
exits "a normal call after the flood and the storm is answered" 0 $?
stop_server "$dir/ivr2.err"
check "nothing was sent while the call was held (150 frames in 3 s)" \
    test "$(sed -nE 's/.*, ([0-9]+) held back.*/\1/p' "$dir/ivr2.err")" -gt 100
check "its record says so" \
    test "$(sqlite3 "$db" "SELECT result FROM calls WHERE result = 'timeout'")" = timeout

# ---- speech: baresip asks a question over G.722 ----
bs=$dir/baresip
mkdir -p "$bs"
# The question 5 s into the greeting, then silence: baresip hangs up when the file ends.
flite -voice slt -t "what time is it" -o "$dir/q.wav"
sox "$dir/q.wav" -r 16000 -c 1 -b 16 "$dir/ask.wav" pad 5 13
ctrl_port=$(free_port)
cat >"$bs/config" <<EOF_CONF
module_path /usr/lib/baresip/modules
sip_listen 127.0.0.1:0
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
ctrl_tcp_listen 127.0.0.1:$ctrl_port
EOF_CONF
echo "<sip:caller@127.0.0.1>;regint=0;audio_codecs=G722/16000" >"$bs/accounts"
start_server "$dir/ivr3.err" --db "$db" --lang en --asr-calls 1
check "one recogniser was built at start" grep -q "speech recognition for 1 calls" "$dir/ivr3.err"
timeout 60 baresip -f "$bs" -t 22 -e "/dial sip:seodong@127.0.0.1:$port" >"$dir/baresip.out" 2>&1 &
caller=$!
# A key mid-call, once the caller has heard 3 s of the answer (baresip's recording of what it
# hears, 16 kHz 16-bit, has grown by 3 s since the answer was said): it stops the menu being read
# and asks for a receipt.
check "Seodong told the time" wait_for "$dir/ivr3.err" "call 1 says: It's 9:30" 40
heard=$(stat -c %s "$bs"/dump-*-dec.wav 2>/dev/null || echo 0)
check "the caller heard 3 s of the answer" wait_grown "$(echo "$bs"/dump-*-dec.wav)" \
    $((heard + 3 * 32000)) 40
json='{"command":"sndcode","params":"2"}'
printf '%d:%s,' ${#json} "$json" >/dev/tcp/127.0.0.1/$ctrl_port
wait $caller
exits "baresip's call ended by itself" 0 $?
check "the speech call ended" wait_for "$dir/ivr3.err" "call 1 ended" 30
stop_server "$dir/ivr3.err"
check "the caller's speech stopped the greeting" grep -q "call 1 barge-in" "$dir/ivr3.err"
check "the question was recognised" grep -q "call 1 heard: what time is it" "$dir/ivr3.err"
check "the key sent by baresip mid-call reached the menu" grep -q "call 1 key 2" "$dir/ivr3.err"
check "the receipt number was asked for" grep -q "says: Please type the ten digits" "$dir/ivr3.err"
check "the call's hearing cost was logged" grep -q "call 1: heard .* (RTF" "$dir/ivr3.err"
"$BIN" transcribe "$bs"/dump-*-dec.wav --free --lang en --db "$db" >"$dir/transcribe.out" \
    2>"$dir/transcribe.err"
exits "seodong transcribe ran" 0 $?
answer=$(cut -f1 "$dir/transcribe.out")
check "no sanitizer report from transcribe" no_sanitizer_report "$dir/transcribe.err"
echo "what baresip heard, recognised: $answer" | tr '\n' ' '
echo
check "the recorded answer, recognised, tells the time (thirty)" grep -q "thirty" <<<"$answer"
check "the speech call's record has the intent time" \
    test "$(sqlite3 "$db" "SELECT codec, intents FROM calls ORDER BY id DESC LIMIT 1")" = "G722|time"

[ $fail -eq 0 ] && echo "test_ivr: all passed"
exit $fail
