#!/usr/bin/env bash
# make_cues.sh - makes the sounds Seodong plays besides speech: the speaker's wake
# acknowledgement, the phone line's listening cue and hold tone (audio/README.md says when each
# plays and why it is made so). sox alone, fixed parameters, no dither (-D) and nothing random,
# so every run writes the same bytes: tests/test_make_cues.sh runs it and compares with the files
# committed here.
#
# Usage: audio/make_cues.sh [DIR]    writes the WAV files into DIR (default: this folder)
set -euo pipefail
out=${1:-$(dirname "$0")}
command -v sox >/dev/null || { echo "make_cues.sh: sox is missing: run scripts/deps.sh" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/seodong-cues.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# note FILE RATE SECONDS HZ FADE_IN FADE_OUT PEAK_DB: one sine note, 16-bit mono at RATE, faded
# in and out along half a sine (no click at either end), its peak PEAK_DB below full scale.
note() {
    sox -D -r "$2" -n -b 16 -c 1 -e signed-integer "$1" \
        synth "$3" sine "$4" fade h "$5" "$3" "$6" gain "$7"
}

# join OUT SECONDS PIECE...: the pieces one after another, then silence up to SECONDS long.
join() {
    local to=$1 seconds=$2
    shift 2
    sox -D "$@" "$tmp/joined.wav"
    local have want
    have=$(soxi -s "$tmp/joined.wav")
    want=$(awk -v s="$seconds" -v r="$(soxi -r "$tmp/joined.wav")" 'BEGIN { printf "%d", s * r + 0.5 }')
    if [ "$want" -lt "$have" ]; then
        echo "make_cues.sh: $to: the pieces last longer than $seconds s" >&2
        exit 1
    fi
    sox -D "$tmp/joined.wav" "$to" pad 0 $((want - have))s
}

# The wake acknowledgement (the speaker, 16 kHz): E5 then B5, a rising fifth, 160 ms in all,
# peak -20 dBFS.
note "$tmp/w1.wav" 16000 0.07 659.25 0.01 0.02 -20
note "$tmp/w2.wav" 16000 0.09 987.77 0.01 0.05 -20
join "$out/wake-16k.wav" 0.16 "$tmp/w1.wav" "$tmp/w2.wav"

for rate in 8000 16000; do
    k=$((rate / 1000))k
    # The listening cue (the phone line: "speak after the tone"): 800 Hz, 250 ms, peak -18 dBFS.
    note "$out/listen-$k.wav" $rate 0.25 800 0.015 0.03 -18
    # The hold tone (the phone line, a caller waiting): C5, E5, G5 of 240 ms each, 10 ms apart,
    # then quiet to 3 s; played over and over. Peak -24 dBFS.
    note "$tmp/h1.wav" $rate 0.24 523.25 0.01 0.16 -24
    note "$tmp/h2.wav" $rate 0.24 659.25 0.01 0.16 -24
    note "$tmp/h3.wav" $rate 0.24 783.99 0.01 0.16 -24
    sox -D -r $rate -n -b 16 -c 1 -e signed-integer "$tmp/gap.wav" trim 0 0.01
    join "$out/hold-$k.wav" 3 "$tmp/h1.wav" "$tmp/gap.wav" "$tmp/h2.wav" "$tmp/gap.wav" "$tmp/h3.wav"
done
