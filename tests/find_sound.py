#!/usr/bin/env python3
"""find_sound.py - where a sound (a WAV file of 16-bit mono samples) was played in a stream.

Usage: find_sound.py [--ulaw] [--first SECONDS] SOUND.wav STREAM

STREAM is what a player wrote: headerless 16-bit little-endian samples (the speaker's
loudspeaker through ALSA's file plugin), found byte for byte; or with --ulaw, G.711 µ-law bytes
(the payloads of a call's RTP packets one after another), where each sample must decode to
within two µ-law steps of the sound's own (encoders round a value on a step's edge either way).
--first compares only the sound's first SECONDS (a hold tone cut off when the call ended).

Prints three lines:
    at OFFSET...   the sample offsets of each place the sound begins (none: "at")
    before N       samples that are not silence before the first place (all of them: none)
    after N        samples that are not silence after the end of the last place
"""
import argparse
import struct
import sys
import wave


def read_sound(path, seconds):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            sys.exit(f"{path}: not 16-bit mono")
        n = w.getnframes()
        if seconds is not None:
            n = min(n, int(seconds * w.getframerate()))
        data = w.readframes(n)
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def ulaw_decode(byte):
    """ITU-T G.711 µ-law to a 16-bit sample."""
    u = ~byte & 0xFF
    magnitude = ((((u & 0x0F) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84
    return -magnitude if u & 0x80 else magnitude


def close(got, want):
    """Within two µ-law steps: a step is 1/16 of the value's segment, at least 2."""
    return abs(got - want) <= max(16, abs(want) // 8)


def find_exact(sound, stream):
    needle = struct.pack(f"<{len(sound)}h", *sound)
    places, start = [], 0
    while True:
        at = stream.find(needle, start)
        if at < 0:
            return places
        if at % 2:  # a match across two samples' bytes is no match
            start = at + 1
            continue
        places.append(at // 2)
        start = at + len(needle)


def find_close(sound, samples):
    anchor = max(range(len(sound)), key=lambda i: abs(sound[i]))
    places, j = [], 0
    last = len(samples) - len(sound)
    while j <= last:
        if close(samples[j + anchor], sound[anchor]) and all(
                close(samples[j + i], sound[i]) for i in range(len(sound))):
            places.append(j)
            j += len(sound)
        else:
            j += 1
    return places


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ulaw", action="store_true")
    ap.add_argument("--first", type=float)
    ap.add_argument("sound")
    ap.add_argument("stream")
    args = ap.parse_args()
    sound = read_sound(args.sound, args.first)
    with open(args.stream, "rb") as f:
        raw = f.read()
    if args.ulaw:
        samples = [ulaw_decode(b) for b in raw]
        places = find_close(sound, samples)
    else:
        samples = list(struct.unpack(f"<{len(raw) // 2}h", raw[:len(raw) // 2 * 2]))
        places = find_exact(sound, raw)
    first = places[0] if places else len(samples)
    end = places[-1] + len(sound) if places else len(samples)
    print("at", *places)
    print("before", sum(1 for s in samples[:first] if s))
    print("after", sum(1 for s in samples[end:] if s))


if __name__ == "__main__":
    main()
