#!/usr/bin/env python3
"""Builds a spoken test set: utterances of the held-out dev set (residents' own wording), or
sentences drawn from the grammar (what the recogniser is built to hear), synthesised by two
different synthesisers (eSpeak NG and flite) with several voices and speeds, clean and with white
noise mixed in at 20 dB and 10 dB SNR by sox. No audio is committed: the manifest says how each
file is made, and running this again makes the same files (fixed voices, speeds, noise seeds and
grammar seed).

usage: make_audio_set.py LANG OUT_DIR [--limit N] [--from-grammar N]

--from-grammar N takes N sentences from build/bench_sentences (grammars/ is the one source of what
users can say) instead of the dev set; their ids start LANG-g.

Writes OUT_DIR/manifest.tsv (id, synth, voice, speed, snr_db, intent, slots, text) and
OUT_DIR/wav/ID.wav (16 kHz mono 16-bit). Existing WAVs are kept, so a second run is quick."""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (synthesiser, voice, speed): speed is words per minute for eSpeak NG, a duration stretch for
# flite (1.0 = its own pace; 1.2 = 20% slower).
VOICES = {
    "en": [
        ("espeak-ng", "en-us", "175"),
        ("espeak-ng", "en-gb", "150"),
        ("espeak-ng", "en-us+f3", "200"),
        ("flite", "slt", "1.0"),
        ("flite", "rms", "1.15"),
        ("flite", "awb", "0.9"),
    ],
    "ko": [
        ("espeak-ng", "ko", "150"),
        ("espeak-ng", "ko", "175"),
        ("espeak-ng", "ko+f3", "200"),
        ("espeak-ng", "ko+m3", "130"),
    ],
}
SNRS = [None, 20, 10]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def synthesise(synth, voice, speed, text, out_wav, tmp_dir):
    raw = os.path.join(tmp_dir, "synth.wav")
    if synth == "espeak-ng":
        run(["espeak-ng", "-v", voice, "-s", speed, "-w", raw, text])
    else:
        run(["flite", "-voice", voice, "--setf", "duration_stretch=" + speed, "-t", text, "-o", raw])
    # Half a second of silence each side, as a resident pauses before and after speaking.
    run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", out_wav, "pad", "0.5", "0.5"])


def rms_of(wav):
    out = subprocess.run(["sox", wav, "-n", "stat"], check=True, capture_output=True, text=True)
    m = re.search(r"RMS\s+amplitude:\s+([0-9.e-]+)", out.stderr)
    return float(m.group(1)) if m else 0.0


def duration_of(wav):
    out = subprocess.run(["soxi", "-D", wav], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def add_noise(clean_wav, snr_db, out_wav, tmp_dir):
    """White noise whose RMS is the speech RMS lowered by snr_db, mixed in with sox (-R: the
    same noise for the same length and level, so runs repeat)."""
    speech_rms = rms_of(clean_wav)
    noise_rms = speech_rms / (10 ** (snr_db / 20.0))
    # sox's whitenoise is uniform in [-vol, vol]: its RMS is vol / sqrt(3).
    vol = noise_rms * (3 ** 0.5)
    noise = os.path.join(tmp_dir, "noise.wav")
    run(["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth",
         "%.3f" % duration_of(clean_wav), "whitenoise", "vol", "%.6f" % vol])
    run(["sox", "-m", "-v", "1", clean_wav, "-v", "1", noise, out_wav])


def dev_rows(lang):
    path = os.path.join(ROOT, "tests", "devset", "devset.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 4 and cols[0] == lang:
                yield cols[1], cols[2], cols[3]


def grammar_rows(lang, count):
    out = subprocess.run([os.path.join(ROOT, "build", "bench_sentences"),
                          os.path.join(ROOT, "grammars"), lang, str(count)],
                         check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        yield tuple(line.split("\t"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lang", choices=sorted(VOICES))
    ap.add_argument("out_dir")
    ap.add_argument("--limit", type=int, default=0, help="first N dev-set utterances only")
    ap.add_argument("--from-grammar", type=int, default=0, metavar="N",
                    help="N sentences drawn from the grammar instead of the dev set")
    args = ap.parse_args()
    wav_dir = os.path.join(args.out_dir, "wav")
    tmp_dir = os.path.join(args.out_dir, "tmp")
    os.makedirs(wav_dir, exist_ok=True)
    os.makedirs(tmp_dir, exist_ok=True)
    if args.from_grammar:
        rows, prefix = list(grammar_rows(args.lang, args.from_grammar)), args.lang + "-g"
    else:
        rows, prefix = list(dev_rows(args.lang)), args.lang + "-"
    if args.limit:
        rows = rows[: args.limit]
    voices = VOICES[args.lang]
    manifest = []
    for n, (intent, slots, text) in enumerate(rows):
        synth, voice, speed = voices[n % len(voices)]
        clean_id = "%s%03d-clean" % (prefix, n)
        clean_wav = os.path.join(wav_dir, clean_id + ".wav")
        if not os.path.exists(clean_wav):
            synthesise(synth, voice, speed, text, clean_wav, tmp_dir)
        for snr in SNRS:
            uid = clean_id if snr is None else "%s%03d-snr%d" % (prefix, n, snr)
            wav = os.path.join(wav_dir, uid + ".wav")
            if snr is not None and not os.path.exists(wav):
                add_noise(clean_wav, snr, wav, tmp_dir)
            manifest.append([uid, synth, voice, speed, "clean" if snr is None else str(snr),
                             intent, slots, text])
    with open(os.path.join(args.out_dir, "manifest.tsv"), "w", encoding="utf-8") as f:
        for row in [["id", "synth", "voice", "speed", "snr_db", "intent", "slots", "text"]] + manifest:
            f.write("\t".join(row) + "\n")
    for name in os.listdir(tmp_dir):
        os.unlink(os.path.join(tmp_dir, name))
    os.rmdir(tmp_dir)
    print("%d files (%d utterances x %d conditions) in %s" %
          (len(manifest), len(rows), len(SNRS), args.out_dir), file=sys.stderr)


if __name__ == "__main__":
    main()
