#!/usr/bin/env bash
# The command line as scripts and screen readers use it: chat over a pipe, the understand
# JSON contract, kb import (JSON and CSV)/export/search/stats, exit codes, and bad input that
# must not stop a session.
set -u
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export SEODONG_DB="$DIR/seodong.db" SEODONG_NOW=2026-11-25T14:30
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"

printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 차가 인도를 막고 있어요 010-1234-5678\n네\n' | seodong chat >"$DIR/chat.txt"
expect chat-files "$(cat "$DIR/chat.txt")" "접수번호는 SG-2026-000001"
equal chat-blocks "$(grep -c '^$' "$DIR/chat.txt")" "3"

out=$(printf 'SG-2026-000001 어떻게 됐어요?\n9999\n5678\n' | seodong chat)
expect status-asks-digits "$out" "뒤 4자리"
expect status-shows "$out" "처리 기한: 12월 3일 목요일"

# One reply block per line, even for broken UTF-8, a 1 MB line, and EOF mid-dialogue.
big=$(head -c 1048576 /dev/zero | tr '\0' 'a')
out=$( { printf '\xff\xfe\n'; printf '%s\n' "$big"; printf '가좌동 소음 신고할게요\n'; } | seodong chat)
expect bad-utf8 "$out" "UTF-8"
expect too-long "$out" "너무 길어요"
expect eof-drop "$out" "접수되지 않았어요"
equal still-one-complaint "$(sqlite3 "$SEODONG_DB" 'select count(*) from complaints')" "1"

# Private unless the resident says otherwise, in either language; the summary says how.
out=$(printf '가좌동 소음 신고할게요\n밤마다 공사 소음이 심해요 익명\n공개로 해 주세요\n네\n' | seodong chat)
expect asks-visibility "$out" "비공개(다른 주민도 보게 하려면 '공개'라고 말씀해 주세요)"
expect made-public "$out" "공개(이름과 연락처는 보이지 않아요)"
out=$(printf 'I want to report noise in Gajeong-dong\nloud karaoke every night, anonymous\nmake it public\nkeep it private\nyes\n' | seodong chat)
expect en-made-public "$out" "public (your name and number are never shown)"
expect en-filed "$out" "SG-2026-000003"
equal only-the-korean-one-public "$(sqlite3 "$SEODONG_DB" "select group_concat(receipt) from complaints c join complaint_web w on w.complaint_id = c.id where w.public")" "SG-2026-000002"

out=$(printf '청라동 불법주차 신고\nWhere can I park near the district office?\n\xff\n' | seodong understand)
expect understand-file "$out" '"intent":"complaint.file","slots":{"category":"illegal_parking","department":"parking","place":"청라동"}'
expect understand-kb "$out" '"lang":"en","intent":"kb.answer"'
expect understand-error "$out" '"text":null,"error":"text is not valid UTF-8"'
equal one-line-per-input "$(printf 'a\nb\nc\n' | seodong understand | wc -l)" "3"

entries() { seodong kb stats | grep -o '^entries [0-9]* (ko [0-9]*, en [0-9]*)'; } # the counts, whole
equal kb-stats "$(entries)" "entries 386 (ko 193, en 193)"
out=$(seodong kb search "음식물 쓰레기 언제 버려요")
expect kb-search "$out" "음식물"
echo '{"entries":[{"id":"x","topic":"nope","department":"civil"}]}' >"$DIR/bad.json"
exits=1 seodong kb import "$DIR/bad.json" 2>"$DIR/err"
expect kb-import-msg "$(cat "$DIR/err")" "unchanged"
equal kb-unchanged "$(entries)" "entries 386 (ko 193, en 193)"
echo '{"entries": [' >"$DIR/broken.json"
exits=1 seodong kb import "$DIR/broken.json" 2>"$DIR/err"
expect kb-parse-error "$(cat "$DIR/err")" "broken.json:"
equal kb-export "$(seodong kb export "$DIR/kb.csv")" "exported 386 entries to $DIR/kb.csv"
equal kb-import-csv "$(seodong kb import "$DIR/kb.csv")" "imported 386 entries from $DIR/kb.csv"
printf 'id,lang,topic,department,title,questions,answer,keywords\nx,ko,parkng,civil,T,Q,A,K\n' >"$DIR/bad.csv"
exits=1 seodong kb import "$DIR/bad.csv" 2>"$DIR/err"
expect kb-csv-msg "$(cat "$DIR/err")" "bad.csv: row 2: topic 'parkng' is not one of general, complaints, traffic, environment; the knowledge base is unchanged"
equal kb-csv-unchanged "$(entries)" "entries 386 (ko 193, en 193)"
exits=2 seodong kb import "$DIR/kb.txt" 2>/dev/null
exits=2 seodong kb export 2>/dev/null
cat >"$DIR/small.json" <<'JSON'
{"entries":[{"id":"t","topic":"general","department":"civil",
 "ko":{"title":"테스트","questions":["시험 문항"],"answer":"시험 답변","keywords":["시험"]},
 "en":{"title":"Test","questions":["test question"],"answer":"test answer","keywords":["test"]}}]}
JSON
equal kb-import "$(seodong kb import "$DIR/small.json")" "imported 2 entries from $DIR/small.json"

exits=2 seodong >/dev/null 2>&1
exits=2 seodong chat --lang fr </dev/null >/dev/null 2>&1
exits=2 seodong nonsense >/dev/null 2>&1
expect help "$(seodong chat --help)" "usage: seodong chat"
exits=1 seodong kb stats --db /nonexistent/dir/x.db >/dev/null 2>"$DIR/err"
expect db-msg "$(cat "$DIR/err")" "cannot open database"

# A database from a newer Seodong: every command refuses it, says why, exits 1, and leaves the
# file as it was (not even its journal mode changes).
seodong kb stats --db "$DIR/newer.db" >/dev/null
sqlite3 "$DIR/newer.db" "pragma journal_mode=delete; pragma user_version=999;
    create table from_the_future(x); insert into from_the_future values('kept')" >/dev/null
before=$(sha256sum <"$DIR/newer.db")
printf '안녕하세요\n' | exits=1 seodong chat --db "$DIR/newer.db" >"$DIR/out" 2>"$DIR/err"
expect newer-db-message "$(cat "$DIR/err")" "was made by a newer Seodong (schema 999"
equal newer-db-no-reply "$(cat "$DIR/out")" ""
exits=1 seodong staff list --db "$DIR/newer.db" >/dev/null 2>&1
exits=1 seodong serve --listen 127.0.0.1:0 --db "$DIR/newer.db" >/dev/null 2>&1
equal newer-db-untouched "$(sha256sum <"$DIR/newer.db")" "$before"

checks_done test_cli
