#!/usr/bin/env python3
"""Builds the recogniser's domain language model for one language: a trigram model of what
residents say to Seodong, for the free-text search (a complaint's details) and for the second
opinion on what the grammar heard (src/speech/asr.c). Run by the build (CMakeLists.txt); the same inputs
give the same model.

usage: build_lm.py LANG OUT.lm.bin --sentences BENCH_SENTENCES [--root DIR] [--keep-text FILE]
                   [--dict OUT.dict]

What residents say, from the repository (never the held-out dev set, which the spoken test sets
are made from):
  - sentences drawn from the grammar, grammars/LANG.grammar (BENCH_SENTENCES, the program
    bench/bench_sentences.c, draws them: every intent in turn, the dialog's answers (yes, no,
    cancel, ...) as one more, slots filled with their synonyms, numbers read digit by digit as
    the recognition grammar hears them);
  - the tuning set's utterances in LANG (tests/tune/tune.tsv);
  - the knowledge base's questions in LANG (data/kb.json);
  - every data/corpora/*.tsv of the language when that folder exists (ko-*.tsv Korean, the others
    English; first column the text, '#' and 'text' header lines skipped): residents' complaints
    and requests in their own words.
Text is normalised as the recognition grammar cuts words (src/voice/recgram.c): lower case, '-' and
spaces separate words, other punctuation dropped. English digits are read one by one ("zero
one ..."); Korean words holding Latin letters are dropped. Korean words the grammar
never uses are <unk>: Korean is pronounced by rule only for the grammar's words (src/speech/g2p_ko.c
runs at start for those), and an unpronounced word could never be heard.

The model is estimated by IRSTLM (Debian's irstlm: tlm, modified shift-beta smoothing, the
toolkit's recommended one) as ARPA text and converted to PocketSphinx's binary form by
sphinx_lm_convert (Debian's sphinxbase-utils).

--dict (English) also writes the recogniser's pronunciation dictionary: every word of the model,
and "hey" of the wake phrase, as models/lexicon-en.dict says it, else as CMU's dictionary does
(the grammar's own words are added when the recogniser starts). A recogniser with the whole of
CMU's dictionary held 48 MB more."""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRAMMAR_SENTENCES = 60000
SEED = "2026"
IRSTLM_BIN = "/usr/lib/irstlm/bin"
EN_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
KO_DIGIT_SYLLABLES = set("공영일이삼사오육칠팔구")


def normalise_en(text):
    text = text.lower().replace("-", " ")
    text = re.sub(r"[0-9]", lambda m: " " + EN_DIGITS[int(m.group(0))] + " ", text)
    text = re.sub(r"[^a-z' ]", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def normalise_ko(text):
    words = []
    for w in text.replace("-", " ").split():
        w = re.sub(r"[^\w]", "", w)
        if not w or re.search(r"[A-Za-z_]", w):
            continue
        # The grammar hears a number digit by digit, each digit a word; bench_sentences writes a
        # receipt's digits as one run (이공이육).
        if len(w) >= 3 and set(w) <= KO_DIGIT_SYLLABLES:
            words.extend(w)
        else:
            words.append(w)
    return words


def tsv_texts(path, lang_column=None, lang=None, text_column=0):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("text\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if lang_column is not None and (len(cols) <= lang_column or cols[lang_column] != lang):
                continue
            if len(cols) > text_column:
                yield cols[text_column]


def sources(lang, root, bench_sentences):
    drawn = subprocess.run([bench_sentences, os.path.join(root, "grammars"), lang,
                            str(GRAMMAR_SENTENCES), SEED, "--dialog"], check=True, capture_output=True,
                           text=True).stdout
    grammar = [line.split("\t")[2] for line in drawn.splitlines() if line.count("\t") >= 2]
    other = list(tsv_texts(os.path.join(root, "tests/tune/tune.tsv"), 0, lang, 3))
    with open(os.path.join(root, "data/kb.json"), encoding="utf-8") as f:
        for entry in json.load(f)["entries"]:
            other.extend(entry.get(lang, {}).get("questions", []))
    for path in sorted(glob.glob(os.path.join(root, "data/corpora/*.tsv"))):
        if os.path.basename(path).startswith("ko-") == (lang == "ko"):
            other.extend(tsv_texts(path))
    return grammar, other


def english_lexicon(root):
    """word -> its dictionary lines; a word of lexicon-en.dict takes all its lines from there."""
    lexicon = {}
    for path in (os.path.join(root, "models/lexicon-en.dict"),
                 "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"):
        ours = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    word = re.sub(r"\(\d+\)$", "", line.split()[0]).lower()
                    ours.setdefault(word, []).append(line.split("#")[0].rstrip() + "\n")
        for word, lines in ours.items():
            lexicon.setdefault(word, lines)
    return lexicon


def write_dict(path, words, lexicon):
    with open(path, "w", encoding="utf-8") as f:
        for word in sorted(words | {"hey"}):
            f.writelines(lexicon.get(word, []))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lang", choices=["en", "ko"])
    ap.add_argument("out")
    ap.add_argument("--sentences", required=True, help="the bench_sentences program")
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--keep-text", help="also write the training text here")
    ap.add_argument("--dict", help="also write the pronunciations of the model's words (en)")
    args = ap.parse_args()

    normalise = normalise_en if args.lang == "en" else normalise_ko
    grammar, other = sources(args.lang, args.root, args.sentences)
    grammar = [normalise(t) for t in grammar]
    vocab = {w for s in grammar for w in s}
    lexicon = english_lexicon(args.root) if args.lang == "en" else {}
    vocab |= set(lexicon)
    lines = []
    for words in grammar + [normalise(t) for t in other]:
        words = [w if w in vocab else "<unk>" for w in words]
        if any(w != "<unk>" for w in words):
            lines.append("<s> " + " ".join(words) + " </s>\n")
    if len(lines) < 100:
        sys.exit("build_lm: only %d sentences for %s" % (len(lines), args.lang))

    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "text")
        with open(text, "w", encoding="utf-8") as f:
            f.writelines(lines)
        if args.keep_text:
            with open(args.keep_text, "w", encoding="utf-8") as f:
                f.writelines(lines)
        arpa = os.path.join(tmp, "lm.arpa")
        subprocess.run([os.path.join(IRSTLM_BIN, "tlm"), "-tr=" + text, "-n=3", "-lm=msb",
                        "-o=" + arpa], check=True, capture_output=True)
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        subprocess.run(["sphinx_lm_convert", "-i", arpa, "-o", args.out], check=True,
                       capture_output=True)
    if args.dict:
        used = {w for line in lines for w in line.split()[1:-1]}
        write_dict(args.dict, used, lexicon)
    print("build_lm: %s: %d sentences (%d from the grammar), %d words in the vocabulary -> %s"
          % (args.lang, len(lines), len(grammar), len(vocab), args.out))


if __name__ == "__main__":
    main()
