#!/usr/bin/env bash
# speaker_run.sh DIR - runs `seodong speaker` on a recorded conversation through ALSA's file
# plugin (no sound card) and prints its figures for scripts/bench.sh:
#   SPEAKER_LATENCY_MS  mean time from the end of the resident's speech to the first sample of
#                       the answer handed to the device (measured inside the pipeline: the file
#                       plugin is not paced, so wall-clock time around it means nothing)
#   SPEAKER_RTF         recognition time over audio time
#   SPEAKER_RSS_MIB     peak resident memory of the speaker process
# The conversation: the wake word and a question, then two follow-ups without the wake word.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR=$1
say() { flite -voice slt -t "$2" -o "$DIR/$1.wav"; }
say wake "hey seodong"
say q1 "what time is it"
say q2 "where can i park near the district office"
say q3 "thank you"
# Each piece at 16 kHz with the pause that follows it, then all of them in a row.
piece() { sox "$DIR/$1.wav" -r 16000 -c 1 -b 16 -e signed "$DIR/$1.16k.wav" pad "$2" "$3"; }
piece wake 0.5 0.3
piece q1 0 2.5
piece q2 0 2.5
piece q3 0 3
sox "$DIR/wake.16k.wav" "$DIR/q1.16k.wav" "$DIR/q2.16k.wav" "$DIR/q3.16k.wav" -t raw \
    "$DIR/conversation.raw"
cat >"$DIR/asound.conf" <<EOF
pcm.!default { type asym; capture.pcm "cap"; playback.pcm "play" }
pcm.cap { type file; slave.pcm "null"; file "/dev/null"; infile "$DIR/conversation.raw"; format "raw" }
pcm.play { type file; slave.pcm "null"; file "$DIR/answers.raw"; format "raw" }
EOF
# Without barge-in: the file plugin delivers the follow-ups while the answer is still being
# written, which a live room never does.
ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$DIR/asound.conf" /usr/bin/time -v \
    "$ROOT/build/seodong" speaker --db "$DIR/speaker.db" --max-turns 3 --idle-exit 30 \
    --no-barge-in --verbose >/dev/null 2>"$DIR/speaker.err" || true
grep -E '^\[(heard|speaking)\]|^speaker:' "$DIR/speaker.err" | cut -c1-150
awk '/end of speech to first answer sample/ {
        for (i = 1; i <= NF; i++) if ($i == "mean,") print "SPEAKER_LATENCY_MS", $(i - 2) }
     /real time;/ { for (i = 1; i <= NF; i++) if ($i == "x" && $(i + 1) == "real") print "SPEAKER_RTF", $(i - 1) }
     /Maximum resident set size/ { printf "SPEAKER_RSS_MIB %.0f\n", $NF / 1024 }' "$DIR/speaker.err"
