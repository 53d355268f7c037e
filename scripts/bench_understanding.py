#!/usr/bin/env python3
"""Scores understanding on the held-out parts of the corpora (data/corpora/heldout, never trained
on) and on tests/devset, for Seodong and for the systems it is compared with, side by side.

    scripts/bench_understanding.py SEODONG_BINARY [--db FILE] [--fasttext] [--nlpjs DIR]
                                    [--confusion] [--throughput LINES]
                                    [--spoken SET_DIR:EACH_FILE ...]

Every system learns from the same lines: data/corpora/train, tests/tune and the grammars'
template sentences as `seodong train` draws them (written out by `seodong train --dump`).
  --fasttext   Debian's `fasttext` command, untuned (supervised, default settings but one
               thread, which makes it repeatable), one model per decision (intent; category of
               complaints; department of complaints)
  --nlpjs DIR  NLP.js (node-nlp, installed in DIR by scripts/bench_nlpjs_setup.sh), one
               NlpManager per decision, default settings
  --confusion  also print Seodong's per-category confusion on the real Korean complaints
  --throughput LINES  also time each system understanding the lines of LINES, on one core
               (taskset -c 0 when there is taskset): Seodong's `understand` as a whole process;
               fastText's three `predict` runs; NLP.js's loop, training left out
  --spoken SET_DIR:EACH_FILE  also score speech: EACH_FILE is `bench_asr --each` over the
               spoken set SET_DIR (its manifest.tsv says what each recording asked for). Seodong
               acts as its voice policy says (the EACH lines); the others act on every
               recording heard above the recogniser's own threshold (VOICE_REJECT, 0.35), with
               the intent they give the words heard. The row counts civic actions started on a
               recording that asked for something else, per language.

A "civic action" is starting a complaint or a status look-up (complaint.file,
complaint.status). Prints the table and, for scripts/bench.sh, lines `NLU_<system>_<row> value`.
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELDOUT = os.path.join(ROOT, "data", "corpora", "heldout")
CIVIC = {"complaint.file", "complaint.status"}
ANSWERED = {"smalltalk", "time", "weather", "help", "goodbye"}


def departments():
    codes = set()
    for line in open(os.path.join(ROOT, "data", "departments.tsv"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            codes.add(line.split("\t")[0])
    return codes


def corpus(name):
    rows = []
    with open(os.path.join(HELDOUT, name), encoding="utf-8") as f:
        next(f)
        for line in f:
            text, lang, intent, category, department, _ = line.rstrip("\n").split("\t")
            rows.append({"text": text, "lang": lang, "intent": intent, "category": category,
                         "department": department})
    return rows


def devset():
    rows = []
    for line in open(os.path.join(ROOT, "tests", "devset", "devset.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        lang, intent, _, text = line.rstrip("\n").split("\t")
        rows.append({"text": text, "lang": lang, "intent": intent, "category": "",
                     "department": ""})
    return rows


def sets():
    s = {
        "ko-complaints": corpus("ko-complaints.tsv"),
        "en-311": corpus("en-311.tsv"),
        "clinc": corpus("clinc150.tsv"),
        "ko-chat": corpus("ko-chat.tsv"),
        "ko-assistant": corpus("ko-assistant.tsv"),
        "devset": devset(),
    }
    return s


# ---- the systems: each maps rows to predictions {intent, category, department} ----

PIN = ["taskset", "-c", "0"] if subprocess.run(["sh", "-c", "command -v taskset"],
                                               capture_output=True).returncode == 0 else []


def timed(args, stdin=None):
    import time
    t0 = time.monotonic()
    subprocess.run(args, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.monotonic() - t0


def seodong_throughput(binary, db, lines):
    n = sum(1 for _ in open(lines, encoding="utf-8"))
    with open(lines, encoding="utf-8") as f:
        return n / timed(PIN + [binary, "understand"] + (["--db", db] if db else []), stdin=f)


def seodong(binary, db, rows):
    args = [binary, "understand"] + (["--db", db] if db else [])
    out = subprocess.run(args, input="".join(r["text"] + "\n" for r in rows),
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(rows), "one JSON line per input line"
    preds = []
    for line in out:
        got = json.loads(line)
        slots = got.get("slots", {})
        preds.append({"intent": got.get("intent", ""), "category": slots.get("category", ""),
                      "department": slots.get("department", "")})
    return preds


def training_lines(binary):
    """The training examples exactly as Seodong's model sees them (text, lang, labels)."""
    out = subprocess.run([binary, "train", "--dump"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    rows = []
    for line in out:
        source, lang, intent, category, department, text = line.split("\t", 5)
        rows.append({"text": text, "lang": lang, "intent": intent, "category": category,
                     "department": department})
    return rows


def fasttext_system(train):
    """Debian's fasttext command, untuned: one supervised model per decision."""
    tmp = tempfile.mkdtemp(prefix="seodong-fasttext.")

    def clean(t):
        return " ".join(t.replace("__label__", "").split())

    models = {}
    for decision in ("intent", "category", "department"):
        path = os.path.join(tmp, decision + ".txt")
        with open(path, "w", encoding="utf-8") as f:
            for r in train:
                if r[decision]:
                    f.write(f"__label__{r[decision]} {clean(r['text'])}\n")
        # default settings; one thread, so that the same lines give the same model
        subprocess.run(["fasttext", "supervised", "-input", path, "-output",
                        os.path.join(tmp, decision), "-verbose", "0", "-thread", "1"],
                       check=True)
        models[decision] = os.path.join(tmp, decision + ".bin")

    def throughput(lines):
        n = sum(1 for _ in open(lines, encoding="utf-8"))
        return n / sum(timed(PIN + ["fasttext", "predict", m, lines]) for m in models.values())

    def predict(rows):
        inp = os.path.join(tmp, "input.txt")
        with open(inp, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(clean(r["text"]) + "\n")
        labels = {}
        for decision, model in models.items():
            out = subprocess.run(["fasttext", "predict", model, inp], capture_output=True,
                                 text=True, check=True).stdout.splitlines()
            labels[decision] = [l.replace("__label__", "").strip() for l in out]
        preds = []
        for i in range(len(rows)):
            intent = labels["intent"][i]
            filing = intent == "complaint.file"
            preds.append({"intent": intent,
                          "category": labels["category"][i] if filing else "",
                          "department": labels["department"][i] if filing else ""})
        return preds
    predict.throughput = throughput
    return predict


def nlpjs_system(train, directory):
    """NLP.js (node-nlp), default settings, trained on the same lines."""
    tmp = tempfile.mkdtemp(prefix="seodong-nlpjs.")
    train_path = os.path.join(tmp, "train.json")
    with open(train_path, "w", encoding="utf-8") as f:
        json.dump(train, f, ensure_ascii=False)

    def run(rows, pin=False):
        inp = os.path.join(tmp, "input.json")
        with open(inp, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False)
        done = subprocess.run((PIN if pin else []) +
                              ["node", os.path.join(ROOT, "scripts", "bench_nlpjs.js"),
                               train_path, inp], cwd=directory, capture_output=True, text=True,
                              check=True)
        seconds = float(done.stderr.split("NLPJS_SECONDS")[1].split()[0])
        return json.loads(done.stdout), seconds

    def predict(rows):
        return run(rows)[0]

    def throughput(lines):
        texts = [l.rstrip("\n") for l in open(lines, encoding="utf-8")]
        rows = [{"text": t, "lang": "ko" if any("\uac00" <= c <= "\ud7a3" for c in t) else "en"}
                for t in texts]
        return len(rows) / run(rows, pin=True)[1]
    predict.throughput = throughput
    return predict


# ---- speech ----

def spoken_rows(specs):
    """(lang, wanted intent, recogniser confidence, heard text, Seodong acted, Seodong intent)
    for every recording of the EACH files."""
    out = []
    for spec in specs:
        set_dir, each = spec.split(":", 1)
        wanted, lang = {}, None
        with open(os.path.join(set_dir, "manifest.tsv"), encoding="utf-8") as f:
            next(f)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                wanted[cols[0]] = cols[5]
        for line in open(each, encoding="utf-8"):
            if not line.startswith("EACH\t"):
                continue
            _, rid, search, conf, _, acted, intent, heard = line.rstrip("\n").split("\t", 7)
            if search != "grammar":
                continue
            lang = "en" if rid.startswith("en") else "ko"
            out.append({"lang": lang, "want": wanted.get(rid, ""), "conf": float(conf),
                        "text": heard, "acted": acted == "1", "intent": intent})
    return out


VOICE_REJECT = 0.35


def spoken_civic(rows, predict):
    """Per language: the share of recordings on which a civic action was started although the
    recording asked for something else. predict None: Seodong's own decisions."""
    heard = [r for r in rows if r["text"]]
    if predict:
        preds = predict([{"text": r["text"], "lang": r["lang"]} for r in heard])
        got = {id(r): (r["conf"] >= VOICE_REJECT, p["intent"].split("/")[0])
               for r, p in zip(heard, preds)}
    else:
        got = {id(r): (r["acted"], r["intent"]) for r in heard}
    result = {}
    for lang in ("ko", "en"):
        mine = [r for r in rows if r["lang"] == lang]
        bad = sum(1 for r in mine if id(r) in got and got[id(r)][0]
                  and got[id(r)][1] in CIVIC and got[id(r)][1] != r["want"])
        result[lang] = pct(bad, len(mine))
    return result


# ---- the measures ----

def pct(a, b):
    return 100.0 * a / b if b else 0.0


def measures(s, predict, seo_depts):
    """The table's rows for one system: {row: (value, shown)}."""
    rows = {}
    every = []
    spans = {}
    for name, data in s.items():
        spans[name] = (len(every), len(every) + len(data))
        every += data
    preds = predict(every)

    def part(name):
        a, b = spans[name]
        return list(zip(every[a:b], preds[a:b]))

    for name, key in (("ko-complaints", "ko"), ("en-311", "en")):
        pairs = [(r, p) for r, p in part(name) if r["intent"] == "complaint.file"]
        filed = sum(p["intent"] == "complaint.file" for _, p in pairs)
        cat = [(r, p) for r, p in pairs if r["category"]]
        cat_ok = sum(p["intent"] == "complaint.file" and p["category"] == r["category"]
                     for r, p in cat)
        rows[f"{key}_filed"] = pct(filed, len(pairs))
        rows[f"{key}_category"] = pct(cat_ok, len(cat))
        if key == "ko":
            dep = [(r, p) for r, p in pairs if r["department"] in seo_depts]
            rows["ko_department"] = pct(sum(p["intent"] == "complaint.file" and
                                            p["department"] == r["department"]
                                            for r, p in dep), len(dep))
            rows["_ko_pairs"] = pairs
    answered = [(r, p) for r, p in part("clinc") if r["intent"] in ANSWERED]
    rows["clinc_answered"] = pct(sum(p["intent"] == r["intent"] for r, p in answered),
                                 len(answered))
    oos = [(r, p) for r, p in part("clinc") + part("ko-assistant")
           if r["intent"] == "out_of_scope"]
    rows["oos_civic"] = pct(sum(p["intent"] in CIVIC for _, p in oos), len(oos))
    chat = part("ko-chat")
    rows["chat_civic"] = pct(sum(p["intent"] in CIVIC for _, p in chat), len(chat))
    dev = part("devset")
    rows["devset"] = pct(sum(p["intent"] == r["intent"] for r, p in dev), len(dev))
    return rows


TABLE = [
    ("real Korean complaints (held-out): offered filing", "ko_filed", ">= 92%"),
    ("  same: category right", "ko_category", ">= 80%"),
    ("  same: department right (Seo-gu department)", "ko_department", ">= 65%"),
    ("English 311 requests (held-out): offered filing", "en_filed", ">= 97%"),
    ("  same: category right", "en_category", ">= 80%"),
    ("CLINC small talk/time/weather/help/goodbye: answered", "clinc_answered", ">= 92%"),
    ("out-of-scope requests: a civic action started", "oos_civic", "< 2%"),
    ("Korean everyday chat: a civic action started", "chat_civic", "< 1%"),
    ("tests/devset intent accuracy", "devset", ">= 79.4%"),
]
EXTRA = [
    ("understanding throughput, one core (utt/s)", "throughput", ">= 20000"),
    ("spoken, Korean: civic action on another request", "spoken_ko", "< 3%"),
    ("spoken, English: civic action on another request", "spoken_en", "< 3%"),
]


def confusion(pairs):
    labels = ["illegal_parking", "waste", "noise", "road", "streetlight", "other", "-"]
    table = defaultdict(Counter)
    for r, p in pairs:
        if not r["category"]:
            continue
        got = p["category"] if p["intent"] == "complaint.file" and p["category"] else "-"
        table[r["category"]][got] += 1
    print("\nSeodong, real Korean complaints (held-out): category wanted (rows) by category given"
          " (columns; - = not offered filing or no category)")
    print("%-16s" % "" + "".join("%9s" % l[:8] for l in labels))
    for want in labels[:-1]:
        print("%-16s" % want + "".join("%9d" % table[want][got] for got in labels))


def main():
    args = sys.argv[1:]
    binary = args[0]
    db = args[args.index("--db") + 1] if "--db" in args else None
    s = sets()
    seo_depts = departments()
    systems = [("Seodong", lambda rows: seodong(binary, db, rows))]
    if "--fasttext" in args or "--nlpjs" in args:
        train = training_lines(binary)
    if "--nlpjs" in args:
        systems.append(("NLP.js", nlpjs_system(train, args[args.index("--nlpjs") + 1])))
    if "--fasttext" in args:
        systems.append(("fastText", fasttext_system(train)))
    results = {}
    for name, predict in systems:
        # finer intent classes ("smalltalk/tell_joke") count as their public intent
        public = (lambda p: lambda rows: [dict(r, intent=r["intent"].split("/")[0])
                                          for r in p(rows)])(predict)
        results[name] = measures(s, public, seo_depts)
    table = list(TABLE)
    if "--throughput" in args:
        lines = args[args.index("--throughput") + 1]
        table.append(EXTRA[0])
        for name, predict in systems:
            results[name]["throughput"] = (seodong_throughput(binary, db, lines)
                                           if name == "Seodong" else predict.throughput(lines))
    specs = [args[i + 1] for i, a in enumerate(args) if a == "--spoken"]
    if specs:
        rows = spoken_rows(specs)
        table += EXTRA[1:]
        for name, predict in systems:
            civic = spoken_civic(rows, None if name == "Seodong" else predict)
            results[name]["spoken_ko"], results[name]["spoken_en"] = civic["ko"], civic["en"]
    names = [n for n, _ in systems]
    print("%-54s" % "measure" + "".join("%10s" % n for n in names) + "   target")
    for label, key, target in table:
        if key == "throughput":
            print("%-54s" % label + "".join("%10.0f" % results[n][key] for n in names)
                  + "   " + target)
        else:
            print("%-54s" % label + "".join("%9.1f%%" % results[n][key] for n in names)
                  + "   " + target)
    for n in names:
        for _, key, _ in table:
            print(f"NLU_{n.replace('.', '')}_{key} {results[n][key]:.1f}")
    if "--confusion" in args:
        confusion(results["Seodong"]["_ko_pairs"])


if __name__ == "__main__":
    main()
