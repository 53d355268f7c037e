#!/usr/bin/env python3
"""Scores `seodong understand` against a labelled TSV (lang, intent, slots_json, text).

Prints intent accuracy overall and per language, slot accuracy (category, place, receipt,
phone) over the lines that carry those slots, and with -v every miss. Used by scripts/bench.sh
on the held-out dev set and by developers on the tuning set."""
import json
import subprocess
import sys
from collections import Counter


def load(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        lang, intent, slots, text = line.rstrip("\n").split("\t")
        rows.append((lang, intent, json.loads(slots), text))
    return rows


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv
    binary, tsv = args[0], args[1]
    extra = args[2:]
    rows = load(tsv)
    out = subprocess.run([binary, "understand"] + extra, input="\n".join(r[3] for r in rows) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(rows), "one JSON line per input line"
    total, ok = Counter(), Counter()
    slot_total, slot_ok = Counter(), Counter()
    confusions = Counter()
    for (lang, intent, slots, text), line in zip(rows, out):
        got = json.loads(line)
        total[lang] += 1
        if got.get("intent") == intent:
            ok[lang] += 1
        else:
            confusions[(intent, got.get("intent"))] += 1
            if verbose:
                print(f"MISS {lang} want={intent} got={got.get('intent')} "
                      f"({got.get('confidence')}) {text}")
        for name, want in slots.items():
            slot_total[name] += 1
            have = got.get("slots", {}).get(name)
            if have == want:
                slot_ok[name] += 1
            elif verbose:
                print(f"SLOT {name} want={want} got={have} {text}")
    n, k = sum(total.values()), sum(ok.values())
    print(f"intent accuracy: {k}/{n} = {100.0 * k / n:.1f}%  "
          + "  ".join(f"{l}: {100.0 * ok[l] / total[l]:.1f}% of {total[l]}" for l in sorted(total)))
    print("slot accuracy:   " + "  ".join(
        f"{s}: {slot_ok[s]}/{slot_total[s]}" for s in sorted(slot_total)))
    if verbose:
        print("top confusions:", confusions.most_common(8))


if __name__ == "__main__":
    main()
