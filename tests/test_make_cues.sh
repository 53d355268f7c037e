#!/usr/bin/env bash
# test_make_cues.sh - the sounds of audio/ are exactly what audio/make_cues.sh makes: the script runs
# twice into folders of its own, both runs write the same bytes, the same files as committed,
# byte for byte, and each file has the rate and length audio/README.md gives it.
set -u
DIR=$(mktemp -d "${TMPDIR:-/tmp}/seodong-cues.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"
AUDIO=$SEODONG_SOURCE_DIR/audio

checked "$AUDIO/make_cues.sh" "$DIR/first"
checked "$AUDIO/make_cues.sh" "$DIR/second"
made=$(cd "$DIR/first" && ls)
equal the-sounds-made "$(echo $made)" "hold-16k.wav hold-8k.wav listen-16k.wav listen-8k.wav wake-16k.wav"
equal the-sounds-committed "$(cd "$AUDIO" && echo $(ls *.wav))" "$(echo $made)"
for f in $made; do
    equal "$f-same-on-every-run" "$(cmp "$DIR/first/$f" "$DIR/second/$f" 2>&1 && echo same)" same
    equal "$f-committed-as-made" "$(cmp "$DIR/first/$f" "$AUDIO/$f" 2>&1 && echo same)" same
done
# rate, channels, samples (soxi): what the players read
shape() { echo "$(soxi -r "$AUDIO/$1") $(soxi -c "$AUDIO/$1") $(soxi -s "$AUDIO/$1")"; }
equal wake-shape "$(shape wake-16k.wav)" "16000 1 2560"
equal listen-8k-shape "$(shape listen-8k.wav)" "8000 1 2000"
equal listen-16k-shape "$(shape listen-16k.wav)" "16000 1 4000"
equal hold-8k-shape "$(shape hold-8k.wav)" "8000 1 24000"
equal hold-16k-shape "$(shape hold-16k.wav)" "16000 1 48000"
# peak level, dBFS, as sox measures it (a sine's peak falls between samples at 8 kHz)
peak() { sox "$AUDIO/$1" -n stats 2>&1 | sed -n 's/^Pk lev dB *//p'; }
equal wake-peak "$(peak wake-16k.wav)" -20.00
equal listen-peak "$(peak listen-16k.wav)" -18.00
equal hold-peak "$(peak hold-16k.wav)" -24.00

checks_done test_make_cues
