#!/usr/bin/env bash
# `seodong train` as a clerk and the build use it: what it trains on (never the dev set or the
# held-out corpora), learning from the office's own handled complaints (--from-db: the
# department a complaint ended in after a transfer), writing a model the engine then reads,
# and clear failures: usage errors, and an engine pointed at a missing model.
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export SEODONG_DB="$DIR/seodong.db" SEODONG_NOW=2026-11-25T10:00
. "$SRC/tests/check.sh"

"$BIN" train --dump >"$DIR/dump.tsv"
equal dump-ok "$?" "0"
for source in ko-complaints.tsv en-311.tsv clinc150.tsv ko-chat.tsv ko-assistant.tsv ko-faq.tsv \
    tune kb grammar "department words"; do
    expect "dump-has-$source" "$(cut -f1 "$DIR/dump.tsv" | sort -u)" "$source"
done
cut -f6 "$DIR/dump.tsv" | sort -u >"$DIR/trained.txt"
grep -v '^#' "$SRC/tests/devset/devset.tsv" | cut -f4 | grep . | sort -u >"$DIR/devset.txt"
equal no-devset-line "$(comm -12 "$DIR/trained.txt" "$DIR/devset.txt" | wc -l)" "0"
tail -q -n +2 "$SRC"/data/corpora/heldout/*.tsv | cut -f1 | sort -u >"$DIR/heldout.txt"
equal no-heldout-line "$(comm -12 "$DIR/trained.txt" "$DIR/heldout.txt" | wc -l)" "0"

# The office's own history: a complaint staff passed on to another department teaches where it
# ended; one nobody has touched yet teaches nothing (its department is the model's own guess).
printf '정자 지붕에서 물이 새요 청라동\n익명\n네\n' | "$BIN" chat >/dev/null
printf '버스 정류장 유리가 깨졌어요 가정동\n익명\n네\n' | "$BIN" chat >/dev/null
first=$(sqlite3 "$SEODONG_DB" "select department from complaints where receipt = 'SG-2026-000001'")
"$BIN" staff add kim --name 김공원 --dept "$first" --role head >/dev/null
"$BIN" staff transfer SG-2026-000001 --as kim --dept building --reason "건축물 누수" >/dev/null
equal transferred "$(sqlite3 "$SEODONG_DB" "select department from complaints where receipt = 'SG-2026-000001'")" \
    "building"
"$BIN" train --from-db --dump >"$DIR/db.tsv" 2>"$DIR/db.err"
equal from-db-ok "$?" "0"
expect from-db-count "$(cat "$DIR/db.err")" "1 handled complaints"
expect from-db-row "$(grep '^database' "$DIR/db.tsv" | sort -u)" \
    "$(printf 'database\tko\tcomplaint.file\tother\tbuilding\t정자 지붕에서 물이 새요 청라동')"
absent from-db-untouched "$(grep '^database' "$DIR/db.tsv")" "버스 정류장"

# A model written where asked, and read by the engine from there.
"$BIN" train --from-db --out "$DIR/office.model" 2>"$DIR/train.err"
equal train-ok "$?" "0"
expect train-says "$(cat "$DIR/train.err")" "office.model"
out=$(echo '청라동 불법주차 신고할게요' | SEODONG_MODEL="$DIR/office.model" "$BIN" understand)
expect own-model "$out" '"intent":"complaint.file"'

# Failures say what to do.
out=$(echo hello | SEODONG_MODEL="$DIR/none.model" "$BIN" understand 2>&1)
equal missing-model-rc "$(echo hello | SEODONG_MODEL="$DIR/none.model" "$BIN" understand >/dev/null 2>&1; echo $?)" "1"
expect missing-model-msg "$out" "none.model: No such file or directory; build Seodong (which trains the model) or run \`seodong train\`"
head -c 1000 "$DIR/office.model" >"$DIR/cut.model"
out=$(echo hello | SEODONG_MODEL="$DIR/cut.model" "$BIN" understand 2>&1)
expect cut-model-msg "$out" "cut.model: the model file is cut short or damaged"
"$BIN" train --cv 1 >/dev/null 2>&1
equal cv-usage-rc "$?" "2"
"$BIN" train --bits 40 >/dev/null 2>&1
equal bits-usage-rc "$?" "2"
"$BIN" train --leave-out 5:5 >/dev/null 2>&1
equal leave-out-usage-rc "$?" "2"
"$BIN" train --out /nonexistent/dir/x.model 2>"$DIR/err"
equal unwritable-rc "$?" "1"
expect unwritable-msg "$(cat "$DIR/err")" "/nonexistent/dir/x.model"
expect help "$("$BIN" train --help)" "usage: seodong train"

checks_done test_train
