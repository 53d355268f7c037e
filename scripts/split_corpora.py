#!/usr/bin/env python3
"""Copies the public training corpora into data/corpora/, split once into a training part and
a held-out part that is only ever scored (scripts/bench_understanding.py), never trained on.

    scripts/split_corpora.py [SOURCE_DIR]     (default: ../shared/corpora beside the checkout)

Each row goes to the held-out part when a hash of its text, salted with HELDOUT_SALT, falls in
the first HELDOUT_PERCENT of the range: a fixed, seeded split that does not depend on the order
of the rows, and puts duplicates of a text on the same side. Rows whose text is a sentence of
tests/devset are never put in the training part. Every output file has the same columns:
text, lang, intent, category (empty when none), department (as the source gives it: a code of
data/departments.tsv, "other" or "transfer", or empty), source (the row's origin)."""
import hashlib
import os
import sys

HELDOUT_SALT = "seodong-issue-18"
HELDOUT_PERCENT = 20

# file -> (language, column of intent, of category, of department, of the source/origin)
CORPORA = {
    "ko-complaints-train.tsv": ("ko", 1, 2, 4, 3),
    "en-311-train.tsv": ("en", 1, 2, None, 3),
    "clinc150-train.tsv": ("en", 1, None, None, 2),
    "ko-chat-train.tsv": ("ko", 1, None, None, 2),
    "ko-assistant-train.tsv": ("ko", 1, None, None, 2),
    "ko-faq-train.tsv": ("ko", 1, None, None, 2),
}
HEADER = "text\tlang\tintent\tcategory\tdepartment\tsource\n"


def heldout(text):
    digest = hashlib.sha256((HELDOUT_SALT + "\0" + text).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELDOUT_PERCENT


def clean(field):
    return " ".join(field.replace("\t", " ").split())


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "corpora")
    devset = set()
    for line in open(os.path.join(root, "tests", "devset", "devset.tsv"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            devset.add(line.rstrip("\n").split("\t")[3].strip())
    out = os.path.join(root, "data", "corpora")
    for part in ("train", "heldout"):
        os.makedirs(os.path.join(out, part), exist_ok=True)
    for name, (lang, ci, cc, cd, cs) in CORPORA.items():
        rows = {"train": [], "heldout": []}
        lines = open(os.path.join(source, name), encoding="utf-8").read().splitlines()
        for line in lines[1:]:  # the first line is the file's header
            cols = line.split("\t")
            text = clean(cols[0])
            if not text:
                continue
            category = cols[cc] if cc is not None and cols[cc] != "none" else ""
            department = cols[cd] if cd is not None else ""
            part = "heldout" if heldout(text) or text in devset else "train"
            rows[part].append("\t".join([text, lang, cols[ci], category, department,
                                         clean(cols[cs])]) + "\n")
        for part, kept in rows.items():
            with open(os.path.join(out, part, name.replace("-train", "")), "w",
                      encoding="utf-8") as f:
                f.write(HEADER)
                f.writelines(kept)
        print(f"{name}: {len(rows['train'])} training, {len(rows['heldout'])} held out")


if __name__ == "__main__":
    main()
