#!/usr/bin/env bash
# test_speaker.sh - the smart speaker end to end through real PortAudio devices with no sound
# card: ALSA's configuration (ALSA_CONFIG_PATH) makes the default capture device the `file`
# plugin reading a recording (the wake word, then a question, spoken by flite) and the
# default playback device a raw file. `seodong speaker` must wake and answer aloud into that
# file: the time, and the reply to thanks, which transcribed back with the general language
# model must say "welcome" (the en-us model hears eSpeak NG's voice poorly; that phrase it does).
# Then the voice commands on bad audio: each gives a clear message and a non-zero exit.
set -u
BIN=${SEODONG_BIN:?set SEODONG_BIN}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/seodong-speaker.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0
pass=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        echo "FAIL: $name" >&2
        fails=$((fails + 1))
    fi
}
# Korean time 14:20 on a Wednesday: the answer to "what time is it" is fixed.
export SEODONG_NOW=2026-11-25T14:20

# ---- the speaker, wake word to spoken answer ----
flite -voice slt -t "hey seodong" -o "$TMP/wake.wav"
flite -voice slt -t "what time is it" -o "$TMP/question.wav"
flite -voice slt -t "thank you" -o "$TMP/thanks.wav"
# -R: sox's dither the same on every run. Its random dither made the recordings differ from run
# to run, and the Korean question, borderline for the en-us model, was misheard in 1 of 7.
to16k() { sox -R "$TMP/$1.wav" -r 16000 -c 1 -b 16 -e signed "$TMP/$1.16k.wav" pad "$2" "$3"; }
to16k wake 0.5 0.3
to16k question 0 2
to16k thanks 0 2
# run_speaker NAME PIECES...: the pieces in a row are the microphone; the loudspeaker is NAME.raw.
run_speaker() {
    local name=$1
    shift
    local pieces=() # run_speaker NAME PIECE... [-- SPEAKER-OPTION...]
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        pieces+=("$TMP/$1.16k.wav")
        shift
    done
    [ $# -gt 0 ] && shift
    local options=("$@")
    sox "${pieces[@]}" -t raw "$TMP/$name.in.raw"
    cat >"$TMP/$name.conf" <<EOF
pcm.!default { type asym; capture.pcm "cap"; playback.pcm "play" }
pcm.cap { type file; slave.pcm "null"; file "/dev/null"; infile "$TMP/$name.in.raw"; format "raw" }
pcm.play { type file; slave.pcm "null"; file "$TMP/$name.raw"; format "raw" }
EOF
    ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$TMP/$name.conf" "$BIN" speaker \
        --db "$TMP/speaker.db" --max-turns 1 --idle-exit 30 "${options[@]}" >"$TMP/$name.out" \
        2>"$TMP/$name.err"
}
run_speaker time wake question
rc=$?
check "speaker exits 0 (rc=$rc)" test "$rc" -eq 0
check "speaker woke up" grep -q '^\[awake\]' "$TMP/time.err"
check "speaker heard the question" grep -q '^\[heard\] what time is it' "$TMP/time.err"
check "speaker answered with the time" grep -q '^\[speaking\] .*2:20' "$TMP/time.err"
check "the answer reached the loudspeaker" test -s "$TMP/time.raw"
run_speaker thanks wake thanks
check "speaker heard the thanks" grep -q '^\[heard\] thank you' "$TMP/thanks.err"
sox -t raw -r 16000 -e signed -b 16 -c 1 "$TMP/thanks.raw" "$TMP/answer.wav" pad 0.5 0.5 2>/dev/null
"$BIN" transcribe --free --db "$TMP/speaker.db" "$TMP/answer.wav" >"$TMP/answer.txt" 2>/dev/null
check "the spoken answer, heard back, says welcome ($(cut -f1 "$TMP/answer.txt" | tr '\n' ' '))" \
    grep -qi 'welcome' "$TMP/answer.txt"

# The Korean wake word (its own spotting threshold, RECOGNIZER_WAKE_KO_THRESHOLD), then a
# Korean question after a pause: with the English phrase's threshold this clip woke nothing,
# and the end of the phrase, heard as an utterance of its own, was answered "I did not catch that".
espeak-ng -v ko -s 180 -p 30 -w "$TMP/wake_ko.wav" "서동아"
espeak-ng -v ko -s 150 -w "$TMP/question_ko.wav" "지금 몇 시예요"
to16k wake_ko 0.5 0.8
to16k question_ko 0 2.5
run_speaker korean wake_ko question_ko -- --lang ko
check "Korean wake word woke the speaker" grep -q '^\[awake\]' "$TMP/korean.err"
check "Korean question heard" grep -q '^\[heard\] 지금 몇 시' "$TMP/korean.err"
check "Korean answer with the time" grep -q '^\[speaking\] 지금은 .*2시 20분' "$TMP/korean.err"
check "no \"did not catch that\" for the wake word's end" \
    test "$(grep -c '^\[speaking\] 죄송해요' "$TMP/korean.err")" -eq 0

# ---- the voice commands on bad audio ----
expect_fail() { # expect_fail NAME PATTERN COMMAND...
    local name=$1 pattern=$2
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    check "$name: exit $rc" test "$rc" -ne 0
    check "$name: message '$pattern'" grep -q "$pattern" "$TMP/err"
}
echo "not audio" >"$TMP/text.wav"
expect_fail "non-WAV" "not a WAV" "$BIN" transcribe --db "$TMP/speaker.db" "$TMP/text.wav"
head -c 3000 "$TMP/wake.wav" >"$TMP/cut.wav"
expect_fail "truncated WAV" "cut short\|truncated" "$BIN" transcribe --db "$TMP/speaker.db" \
    "$TMP/cut.wav"
expect_fail "missing file" "$TMP/none.wav" "$BIN" transcribe --db "$TMP/speaker.db" \
    "$TMP/none.wav"
expect_fail "raw without a rate" "raw-rate" "$BIN" transcribe --db "$TMP/speaker.db" \
    "$TMP/in.raw"

# Silence, clipping, 8-bit stereo at 44.1 kHz: recognised without a crash.
sox -n -r 16000 -c 1 -b 16 "$TMP/silence.wav" trim 0 3
"$BIN" transcribe --db "$TMP/speaker.db" "$TMP/silence.wav" >"$TMP/out" 2>"$TMP/err"
check "silence: exit 0" test $? -eq 0
check "silence: nothing heard" test ! -s "$TMP/out"
sox "$TMP/question.wav" -r 44100 -c 2 -b 8 "$TMP/stereo8.wav"
"$BIN" transcribe --db "$TMP/speaker.db" "$TMP/stereo8.wav" >"$TMP/out" 2>"$TMP/err"
check "8-bit stereo 44.1 kHz: exit 0" test $? -eq 0
check "8-bit stereo 44.1 kHz: heard" grep -q "time" "$TMP/out"
sox "$TMP/question.wav" "$TMP/clipped.wav" gain 30 2>/dev/null
"$BIN" transcribe --db "$TMP/speaker.db" "$TMP/clipped.wav" >"$TMP/out" 2>"$TMP/err"
check "clipped: exit 0" test $? -eq 0

# A two-hour recording is refused by converse (one turn) before anything is decoded.
sox -n -r 8000 -c 1 -b 8 "$TMP/long.wav" trim 0 7200
expect_fail "two hours" "longer than the 60 s allowed" "$BIN" converse --db "$TMP/speaker.db" \
    --in "$TMP/long.wav" --out "$TMP/long-reply.wav"
rm -f "$TMP/long.wav"

# converse: one turn from a WAV file to a WAV file.
"$BIN" converse --db "$TMP/speaker.db" --in "$TMP/question.wav" --out "$TMP/reply.wav" \
    >"$TMP/out" 2>"$TMP/err"
check "converse: exit 0" test $? -eq 0
check "converse: heard" grep -q "^heard: what time is it" "$TMP/out"
check "converse: wrote the answer" test -s "$TMP/reply.wav"

# A microphone that stops delivering sound (unplugged, a driver that hangs): the capture reads
# from a FIFO whose writer never writes. The speaker says so within seconds and exits 1 once the
# device lets go (here: when the writer closes), instead of waiting for ever.
mkfifo "$TMP/mic.fifo"
exec 3<>"$TMP/mic.fifo"
cat >"$TMP/dead.conf" <<EOF
pcm.!default { type asym; capture.pcm "cap"; playback.pcm "play" }
pcm.cap { type file; slave.pcm "null"; file "/dev/null"; infile "$TMP/mic.fifo"; format "raw" }
pcm.play { type file; slave.pcm "null"; file "/dev/null"; format "raw" }
EOF
ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$TMP/dead.conf" timeout 60 "$BIN" speaker \
    --db "$TMP/speaker.db" >/dev/null 2>"$TMP/dead.err" 3>&- &
dead_pid=$!
for _ in $(seq 150); do grep -q "stopped delivering" "$TMP/dead.err" && break; sleep 0.1; done
check "silent microphone: said within 15 s" grep -q "microphone stopped delivering sound" "$TMP/dead.err"
exec 3>&-
wait "$dead_pid"
dead_rc=$?
check "silent microphone: exit 1 (not the time-out's 124): $dead_rc" test "$dead_rc" -eq 1

# --lang auto: one search over both grammars; the words heard give the language, and the
# answer comes back in it.
espeak-ng -v ko -s 150 -w "$TMP/korean.wav" "상담원 연결해 주세요"
"$BIN" transcribe --lang auto --db "$TMP/speaker.db" "$TMP/question.wav" >"$TMP/out" 2>&1
check "auto: English heard as English" grep -q "^what time is it.*time$" "$TMP/out"
"$BIN" transcribe --lang auto --db "$TMP/speaker.db" "$TMP/korean.wav" >"$TMP/out" 2>&1
check "auto: Korean heard as Korean" grep -q "^상담원 연결해 주세요.*human$" "$TMP/out"
"$BIN" converse --lang auto --db "$TMP/speaker.db" --in "$TMP/korean.wav" --out "$TMP/reply.wav" \
    >"$TMP/out" 2>"$TMP/err"
check "auto: answered in Korean" grep -q "^answer: .*상담원" "$TMP/out"

# --lang ko: the confidence's second opinion is a free loop of the grammar's Korean words, not
# the English model (which hears Korean as English words: "sorry all we all do two ...").
"$BIN" transcribe --lang ko --json --db "$TMP/speaker.db" "$TMP/korean.wav" >"$TMP/out" 2>&1
check "ko: the second opinion is in Korean ($(cat "$TMP/out"))" \
    grep -q '"heard_freely":"[^"a-zA-Z]\+"' "$TMP/out"
check "ko: heard, sure enough to act on" \
    grep -Eq '"text":"상담원 연결해 주세요","confidence":(0\.(3[5-9]|[4-9])|1)' "$TMP/out"
"$BIN" transcribe --lang en --json --db "$TMP/speaker.db" "$TMP/question.16k.wav" >"$TMP/out" 2>&1
check "en: the second opinion is the English model ($(cat "$TMP/out"))" \
    grep -q '"heard_freely":"[a-z ]*time' "$TMP/out"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
