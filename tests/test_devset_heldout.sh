#!/usr/bin/env bash
# test_devset_heldout.sh - the dev set (tests/devset/devset.tsv) stays held out: no sentence of
# it is in the tuning set (tests/tune/tune.tsv), the grammar's template sentences were tuned
# on. Compared as the understanding reads text: letter case, spaces and punctuation ignored
# ("상담원 연결해 주세요" is "상담원 연결해주세요", "is today Friday?" is "is today friday").
# A clash names both lines; the fix is to drop the sentence from the tuning set.
set -u
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
. "$SRC/tests/check.sh"

report=$(python3 - "$SRC/tests/devset/devset.tsv" "$SRC/tests/tune/tune.tsv" <<'EOF'
import re
import sys


def sentences(path):
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 4:
            print(f"{path}:{number}: not lang, intent, slots, text")
            continue
        yield number, fields[3]


def same(text):
    return re.sub(r"[\W_]+", "", text.casefold())


dev_path, tune_path = sys.argv[1], sys.argv[2]
held_out = {}
for number, text in sentences(dev_path):
    held_out.setdefault(same(text), (number, text))
for number, text in sentences(tune_path):
    if same(text) in held_out:
        dev_number, dev_text = held_out[same(text)]
        print(f"tune.tsv:{number} '{text}' is devset.tsv:{dev_number} '{dev_text}'")
EOF
)
equal devset-not-in-tune "$report" ""
equal devset-size "$(grep -cv '^#' "$SRC/tests/devset/devset.tsv")" 388

checks_done test_devset_heldout
