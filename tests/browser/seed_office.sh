#!/usr/bin/env bash
# seed_office.sh - an office with eight weeks of work, for the dashboard's browser test and for
# looking at the pages by hand: 24 complaints, three a week for the eight weeks up to
# 2026-11-25 (a Wednesday), each week one by text chat, one through the KakaoTalk skill and one
# through Open311, each filed on the clock of its own day (SEODONG_NOW); then most of the older
# ones worked through to approval by the staff of three departments, some late, and the rest
# left open, some past their deadline. Each member of staff signs in with LOGIN-password-1.
#
# Usage: SEODONG_BIN=build/seodong SEODONG_DB=FILE seed_office.sh
# Prints nothing on success; any step that fails stops it with a message and exit 1.
set -u
BIN=${SEODONG_BIN:?}
: "${SEODONG_DB:?}"
export SEODONG_DB
DIR=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$DIR"
}
trap cleanup EXIT
die() {
    echo "seed_office: $*" >&2
    [ -s "$DIR/err" ] && tail -5 "$DIR/err" >&2
    exit 1
}
run() { "$BIN" "$@" >"$DIR/last" 2>"$DIR/err" || die "seodong $* failed ($?): $(cat "$DIR/err")"; }

# the staff of three departments
run staff add kim --name 김환경 --dept environment --role officer
run staff add yoon --name 윤소음 --dept environment --role officer
run staff add lee --name 이과장 --dept environment --role head
run staff add park --name 박주차 --dept parking --role officer
run staff add choi --name 최과장 --dept parking --role head
run staff add jung --name 정자원 --dept waste --role officer
run staff add han --name 한과장 --dept waste --role head
for who in kim yoon lee park choi jung han; do
    echo "$who-password-1" | "$BIN" staff passwd "$who" >/dev/null 2>"$DIR/err" || die "passwd $who"
done
KEY=$(SEODONG_NOW=2026-10-01T09:00 "$BIN" staff apikey issue city-app 2>"$DIR/err") || die "apikey: $(cat "$DIR/err")"

kakao() { # kakao USER UTTERANCE: the skill's reply text
    local body
    body=$(printf '{"userRequest":{"timezone":"Asia/Seoul","utterance":"%s","lang":"kr","user":{"id":"%s","type":"botUserKey","properties":{}}},"bot":{"id":"b","name":"서동이"},"intent":{"id":"i","name":"블록"},"action":{"id":"a","name":"skill","params":{},"detailParams":{}}}' "$2" "$1")
    curl -s -f -H 'Content-Type: application/json' -d "$body" "$BASE/kakao/skill" || die "kakao: curl failed"
}

# file_week DATE N: three complaints on DATE (Korean time, 10:00 to 10:20)
file_week() {
    local day=$1 n=$2
    printf '청라동 공원 앞 공사 소음 신고할게요\n밤마다 공사 소음이 심해요 %d번째 010-1234-56%02d\n네\n' "$n" "$n" |
        SEODONG_NOW="${day}T10:00" "$BIN" chat >"$DIR/chat" 2>"$DIR/err" || die "chat on $day failed"
    grep -q 'SG-2026-' "$DIR/chat" || die "chat on $day filed nothing: $(tail -3 "$DIR/chat")"
    rm -f "$DIR/out" # never the address of last week's server
    SEODONG_NOW="${day}T10:10" "$BIN" serve --listen 127.0.0.1:0 >"$DIR/out" 2>"$DIR/err" &
    PID=$!
    for _ in $(seq 400); do grep -qs serving "$DIR/out" && break; sleep 0.05; done
    BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out")
    [ -n "$BASE" ] || die "serve did not start on $day"
    kakao "r$n" '가정동 골목에 쓰레기 무단 투기 신고할게요' >/dev/null
    kakao "r$n" "검은 봉투가 쌓여 있어요 $n번째 010-2222-33$(printf %02d "$n")" >/dev/null
    kakao "r$n" '네' | grep -q 'SG-2026-' || die "kakao on $day filed nothing"
    curl -s -f --data-urlencode "api_key=$KEY" -d service_code=illegal_parking \
        --data-urlencode "address_string=석남동 시장 입구" \
        --data-urlencode "description=소화전 앞 불법 주차 $n번째" -d phone=0103333440$((n % 10)) \
        "$BASE/open311/v2/requests.json" >/dev/null || die "open311 on $day failed"
    kill -TERM "$PID" && wait "$PID"
    PID=
}

# The Tuesday of each of the eight weeks, then the Monday of the present one.
n=0
for day in 2026-10-06 2026-10-13 2026-10-20 2026-10-27 2026-11-03 2026-11-10 2026-11-17 2026-11-23; do
    file_week "$day" $((n / 3 + 1))
    n=$((n + 3))
done
total=$(sqlite3 "$SEODONG_DB" 'select count(*) from complaints')
[ "$total" = 24 ] || die "24 complaints expected, $total filed"

# work_through RECEIPT OFFICER HEAD DAY APPROVED-DAY: the whole life, approved on APPROVED-DAY
work_through() {
    local r=$1 officer=$2 head=$3 day=$4 done=$5
    SEODONG_NOW="${day}T14:00" run staff assign "$r" --as "$head" --officer "$officer"
    SEODONG_NOW="${day}T15:00" run staff start "$r" --as "$officer"
    SEODONG_NOW="${done}T09:00" run staff answer "$r" --as "$officer" --text "현장을 확인하고 조치했습니다."
    SEODONG_NOW="${done}T10:00" run staff confirm "$r" --as "$officer"
    SEODONG_NOW="${done}T11:00" run staff approve "$r" --as "$head"
}

# receipts in filing order: per week text (environment), kakao (waste), open311 (parking)
mapfile -t R < <(sqlite3 "$SEODONG_DB" 'select receipt from complaints order by filed_at, id')
# Weeks 1-5: the first two of each week approved, in 2 or (late) 15 days; the third left open.
work_through "${R[0]}" kim lee 2026-10-06 2026-10-08
work_through "${R[1]}" jung han 2026-10-06 2026-10-21
work_through "${R[3]}" yoon lee 2026-10-13 2026-10-15
work_through "${R[4]}" jung han 2026-10-13 2026-10-16
work_through "${R[6]}" kim lee 2026-10-20 2026-11-04
work_through "${R[7]}" jung han 2026-10-20 2026-10-22
work_through "${R[9]}" yoon lee 2026-10-27 2026-10-29
work_through "${R[10]}" jung han 2026-10-27 2026-11-12
work_through "${R[12]}" kim lee 2026-11-03 2026-11-05
work_through "${R[13]}" jung han 2026-11-03 2026-11-05
# Weeks 6-8: some assigned and under way, one answered awaiting confirmation, the rest new.
SEODONG_NOW=2026-11-10T14:00 run staff assign "${R[15]}" --as lee --officer kim
SEODONG_NOW=2026-11-10T15:00 run staff start "${R[15]}" --as kim
SEODONG_NOW=2026-11-18T09:00 run staff assign "${R[18]}" --as lee --officer yoon
SEODONG_NOW=2026-11-18T10:00 run staff start "${R[18]}" --as yoon
SEODONG_NOW=2026-11-19T10:00 run staff answer "${R[18]}" --as yoon --text "소음 측정 결과를 알려 드립니다."
SEODONG_NOW=2026-11-17T14:00 run staff assign "${R[19]}" --as han --officer jung
SEODONG_NOW=2026-11-11T14:00 run staff assign "${R[2]}" --as choi --officer park
exit 0
