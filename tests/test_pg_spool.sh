#!/usr/bin/env bash
# test_pg_spool.sh - the network fails; filings do not (the resident's side). Against a real
# PostgreSQL of its own (ctest: postgres_spool, OWN_CLUSTER), which it takes down in the middle:
# a filing with the server up gets its SG- receipt; with the server down, a filing with a phone
# number is told that the receipt number follows by message, an anonymous one gets a Q- code to
# quote, a status question is answered honestly (the office cannot be reached; exit 0), a
# question by the Q- code says the filing waits on this device, and a code said in part is asked
# again. The device's spool is the [database] local file of the settings. With the server back,
# `seodong spool forward` forwards each spooled filing, and a second forward nothing: every
# filing is in the shared database exactly once, no receipt number twice, the filing with a
# phone number has its "received" message queued, and the Q- code now tells its SG- receipt.
set -u
DB=${SEODONG_TEST_DB:?run through tests/with_pg.sh (ctest: postgres_spool)}
PGDIR=${SEODONG_TEST_PGDIR:?run on a cluster of its own (seodong_pg_test OWN_CLUSTER)}
SERVER=${SEODONG_SOURCE_DIR:?}/scripts/pg_test_server.sh
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
. "$SEODONG_SOURCE_DIR/tests/check.sh"
export SEODONG_NOW=2026-11-25T14:30
unset SEODONG_DB SEODONG_CONFIG
cd "$DIR" || exit 1
printf '[database]\nlocal = %s\n' "$DIR/device.db" >"$DIR/seodong.conf"
run() { seodong "$@" --db "$DB" --config "$DIR/seodong.conf"; }
q() { checked psql -X -q -At -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
chat() { printf '%s\n' "$@" | run chat 2>"$DIR/stderr"; }

# The server up: a receipt number, as always, and no word of trouble.
out=$(chat '청라동 공원 앞에 불법 주차 신고할게요' '흰색 차가 인도를 막고 있어요 010-1234-5678' '네')
expect online-files "$out" "접수번호는 SG-2026-000001입니다"
equal online-no-warning "$(cat "$DIR/stderr")" ""
equal local-file "$( [ -f "$DIR/device.db" ] && [ ! -e "$DIR/seodong-local.db" ] && echo named)" named

KEY=$(run staff apikey issue tester 2>/dev/null)
equal key-issued "$(grep -cE '^[0-9a-f]{64}$' <<<"$KEY")" 1

# The web front on this store (a seodong serve on a free port) and a client of it.
serve() {
    "$SEODONG_BIN" serve --listen 127.0.0.1:0 --db "$DB" --config "$DIR/seodong.conf" >"$DIR/out" 2>"$DIR/err" &
    PID=$!
    wait_for serving grep -qs serving "$DIR/out"
    BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out")
    O=$BASE/open311/v2
}
stop_serving() {
    kill -TERM "$PID"
    wait "$PID"
    exited serve-stops $? 0
}
http() { curl -s -w ' %{http_code}' "$@"; }
kakao() { # kakao USER UTTERANCE
    python3 -c 'import json,sys; print(json.dumps({"userRequest":{"utterance":sys.argv[2],
 "user":{"id":sys.argv[1],"type":"botUserKey"}}}, ensure_ascii=False))' "$1" "$2" |
        http -H 'Content-Type: application/json' --data-binary @- "$BASE/kakao/skill"
}
cookie_of() { sed -n "s/^Set-Cookie: $1=\([0-9a-f]*\);.*/\1/p" | tr -d '\r'; }
# A clerk signed in while the office's store answers.
run staff add kim --name 김환경 --dept environment --role officer >/dev/null
echo kim-password-1 | run staff passwd kim >/dev/null
serve
pre=$(curl -s -D - -o /dev/null "$BASE/staff" | cookie_of sd_signin)
SESSION=$(curl -s -D - -o /dev/null -H "Cookie: sd_signin=$pre" --data-urlencode "csrf=$pre" \
    --data-urlencode login=kim --data-urlencode password=kim-password-1 "$BASE/staff/signin" |
    cookie_of sd_session)
equal staff-online "$(http -o /dev/null -H "Cookie: sd_session=$SESSION" "$BASE/staff/list")" " 200"
stop_serving

checked bash "$SERVER" down "$PGDIR"

# With a phone number: kept here, the receipt number follows by message.
out=$(chat '가좌동 소음 신고할게요' '밤마다 공사 소음이 심해요 010-9876-4321' '네')
expect offline-warning "$(cat "$DIR/stderr")" "the shared database cannot be reached; filings are kept on this device"
expect phone-kept "$out" "이 기기에 안전하게 보관했고, 연결되는 대로 바로 접수할게요"
expect phone-by-message "$out" "접수번호는 끝자리 4321인 전화번호로 문자로 보내 드릴게요"
absent phone-no-receipt "$out" "접수번호는 SG-"
absent phone-no-code "$out" "Q-"

# Anonymous, in English: a code to quote, two groups of four digits.
out=$(chat 'I want to report a broken streetlight in Gajeong-dong' 'the light is out, anonymous' 'yes')
expect anonymous-kept "$out" "Your complaint is kept safely on this device and will be filed as soon as the connection is back"
code=$(grep -o 'Your code is Q-[0-9]\{5\}-[0-9]\{5\}\. Ask me' <<<"$out" | grep -o 'Q-[0-9-]*')
equal anonymous-code "$(grep -c '^Q-[0-9]\{5\}-[0-9]\{5\}$' <<<"$code")" 1

# Status questions while the office is away: honest, a number to call, no crash.
out=$(chat 'SG-2026-000001 어떻게 됐어요?')
expect status-offline "$out" "지금은 구청 시스템에 연결되지 않아 처리 상황을 확인할 수 없어요"
expect status-offline-phone "$out" "서구청 대표번호 032-560-4114로 전화해 주세요"
absent status-offline-not-missing "$out" "찾지 못했어요"
out=$(chat "What happened to ${code}?")
expect status-spooled "$out" "The complaint with code $code is kept safely on this device"
lower=$(tr 'Q-' 'q ' <<<"$code")
out=$(chat "${lower%????} 어떻게 됐어요?")
expect status-code-incomplete "$out" "Q로 시작하는 코드는 숫자 10자리예요"
absent status-code-no-guess "$out" "처리 상황이에요"
# The web front while the office is away: a clear 503, never a 500 or a crash; the KakaoTalk
# skill is the dialogue, so it says what the chat says; a clerk is told, not signed out.
serve
out=$(http -H "Cookie: sd_session=$SESSION" "$BASE/staff/list")
expect staff-offline "$out" "The office's database cannot be reached right now"
equal staff-offline-status "${out##* }" 503
out=$(http "$O/requests/SG-2026-000001.json")
equal api-get-offline "$out" '[{"code":503,"description":"the office'"'"'s database cannot be reached right now; try again in a few minutes"}] 503'
out=$(http --data-urlencode "api_key=$KEY" -d service_code=noise -d address_string=청라동 -d description=소음 "$O/requests.json")
expect api-post-offline "$out" '"code":503'
equal api-post-offline-status "${out##* }" 503
equal api-token-offline "${out##* }" "$(http "$O/tokens/$code.json" | sed 's/.* //')"
out=$(http "$BASE/track?receipt=SG-2026-000001&digits=5678")
expect track-offline "$out" "지금은 구청 시스템에 연결되지 않아 처리 상황을 확인할 수 없어요"
equal track-offline-status "${out##* }" 503
out=$(http "$BASE/track?receipt=$code&lang=en")
expect track-spooled "$out" "This complaint is kept safely here and will be filed as soon as"
equal track-spooled-status "${out##* }" 503
out=$(kakao user-a "SG-2026-000001 어떻게 됐어요?")
expect kakao-offline "$out" "지금은 구청 시스템에 연결되지 않아 처리 상황을 확인할 수 없어요"
equal kakao-offline-status "${out##* }" 200
stop_serving

equal spool-waiting "$(run spool)" "waiting 2"
out=$(exits=1 run spool forward 2>"$DIR/stderr")
equal forward-offline "$out" "forwarded 0, waiting 2"
expect forward-offline-says "$(cat "$DIR/stderr")" "cannot be reached; the filings stay on this device"

checked bash "$SERVER" up "$PGDIR"

# Back: each spooled filing arrives once, however often the spool is forwarded.
equal forward "$(run spool forward)" "forwarded 2, waiting 0"
equal forward-again "$(run spool forward)" "forwarded 0, waiting 0"
equal filings "$(q 'select count(*) from complaints')" 3
equal spool-forwarded "$(sqlite3 "$DIR/device.db" 'select count(*) from spool where forwarded_at is not null')" 2
while read -r spooled forwarded_as; do
    equal "arrived-once-$spooled" "$(q "select count(*) || ' ' || min(receipt) from complaints where spool_code = '$spooled'")" "1 $forwarded_as"
done < <(sqlite3 -separator ' ' "$DIR/device.db" 'select code, receipt from spool')
equal each-once "$(q "select count(*) from complaints where detail like '%소음%' or detail like '%light%'")" 2
equal receipts-unique "$(q 'select count(distinct receipt) from complaints')" 3
receipt=$(q "select receipt from complaints where spool_code = '$code'")
equal code-receipt-shape "$(grep -c '^SG-2026-[0-9]\{6\}$' <<<"$receipt")" 1
equal phone-message-queued "$(q "select count(*) from outbox o join complaints c on c.id = o.complaint_id
                                  where c.phone like '%4321'")" 1

# The Q- code now tells the receipt number and the parcel-style status.
out=$(chat "Q $(tr -d 'Q-' <<<"${code%-*}") ${code##*-} 처리 상황 알려 주세요")
expect code-tells-receipt "$out" "접수번호 $receipt, 가로등 고장 민원(가정동)의 처리 상황이에요"
equal online-again-no-warning "$(cat "$DIR/stderr")" ""

# On the web the code is an Open311 token now answered with its receipt, and tracks on /track.
serve
equal staff-back "$(http -o /dev/null -H "Cookie: sd_session=$SESSION" "$BASE/staff/list")" " 200"
equal api-token "$(http "$O/tokens/$code.json")" "[{\"service_request_id\":\"$receipt\",\"token\":\"$code\"}] 200"
out=$(http "$BASE/track?receipt=$code")
expect track-code "$out" "$receipt"
equal track-code-status "${out##* }" 200
stop_serving

checks_done test_pg_spool
