#!/usr/bin/env bash
# The staff dashboard's working pages over real HTTP (curl) on a pinned clock:
# - the steps each complaint page offers, for every state x viewer (the officer in charge,
#   another officer, the head), against the rules as the README states them; another
#   department's officer is refused the page;
# - names, not codes, where people read (history, facts, officer select);
# - the list: each filter, pagination, and bad dates refused with a message;
# - the CSV export of a filtered list read back with Python's csv module equals the list as the
#   page shows it (rows, cells, Korean text), starts with a BOM, quotes what needs quoting and
#   defuses spreadsheet formulas; `seodong staff export` with the same filters writes the same
#   bytes.
set -u
BIN=${SEODONG_BIN:?}
DIR=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$DIR"
}
trap cleanup EXIT
export SEODONG_DB="$DIR/seodong.db" SEODONG_NOW=2026-11-25T10:00
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"
q() { sqlite3 "$SEODONG_DB" "$1"; }
run() { # run ARGS...: seodong, which must succeed
    "$BIN" "$@" >"$DIR/run.out" 2>"$DIR/run.err"
    local rc=$?
    equal "seodong $*" "$rc" 0
    [ "$rc" -eq 0 ] || cat "$DIR/run.err" >&2
}

# ---- the office: environment's two officers and head, a parking officer, a quoting name ----
run staff add kim --name 김환경 --dept environment --role officer
run staff add yoon --name 윤소음 --dept environment --role officer
run staff add lee --name 이과장 --dept environment --role head
run staff add park --name 박주차 --dept parking --role officer
run staff add odd --name '=최"따옴표", 주무관' --dept parking --role officer
for who in kim yoon lee park; do run staff passwd "$who" <<<"$who-password-1"; done

# One noise complaint (environment) per state, each filed by chat on its own day.
file() { # file DAY TEXT: files a noise complaint by chat at DAY 10:00; prints its receipt
    printf '청라동 공원 앞 공사 소음 신고할게요\n%s 010-1234-5678\n네\n' "$2" |
        SEODONG_NOW="${1}T10:00" "$BIN" chat 2>/dev/null | grep -o 'SG-2026-[0-9]*' | head -1
}
as() { local who=$1 step=$2 r=$3; shift 3; run staff "$step" "$r" --as "$who" "$@"; }
declare -A R
R[received]=$(file 2026-11-16 "밤에 공사 소음")
for st in assigned in_progress answered confirmed approved rejected reopened; do
    R[$st]=$(file 2026-11-17 "$st 단계의 소음 민원")
    as lee assign "${R[$st]}" --officer kim
done
for st in in_progress answered confirmed approved rejected reopened; do as kim start "${R[$st]}"; done
for st in answered confirmed approved rejected; do as kim answer "${R[$st]}" --text "조치했습니다"; done
for st in confirmed approved; do as kim confirm "${R[$st]}"; done
as lee approve "${R[approved]}"
as lee reject "${R[rejected]}" --reason "사진을 붙여 주세요"
as kim answer "${R[reopened]}" --text "다시 조치"
as kim confirm "${R[reopened]}"
as lee approve "${R[reopened]}"
as lee reopen "${R[reopened]}" --reason "다시 민원이 들어왔어요"
# parking's complaint handed to environment
R[transferred]=$(printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 차가 인도를 막고 있어요\n네\n' |
    SEODONG_NOW=2026-11-18T10:00 "$BIN" chat 2>/dev/null | grep -o 'SG-2026-[0-9]*' | head -1)
as park transfer "${R[transferred]}" --dept environment
for st in "${!R[@]}"; do equal "state-$st" "$(q "select state from complaints where receipt='${R[$st]}'")" "$st"; done

cat >"$DIR/seodong.conf" <<EOF
[web]
filing_per_minute = 100
EOF
"$BIN" serve --listen 127.0.0.1:0 --config "$DIR/seodong.conf" >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 400); do grep -qs serving "$DIR/out" && break; sleep 0.05; done
BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out")
S=$BASE/staff
cookie_of() { sed -n "s/^Set-Cookie: $1=\([0-9a-f]*\);.*/\1/p" | tr -d '\r'; }
session_of() {
    local pre
    pre=$(curl -s -D - -o /dev/null "$S" | cookie_of sd_signin)
    curl -s -D - -o /dev/null -H "Cookie: sd_signin=$pre" --data-urlencode "csrf=$pre" \
        --data-urlencode "login=$1" --data-urlencode "password=$1-password-1" "$S/signin" | cookie_of sd_session
}
get() { curl -s -H "Cookie: sd_session=$1" "$S$2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sd_session=$1" "$S$2"; }
search() { curl -s -G -H "Cookie: sd_session=$1" --data-urlencode state= --data-urlencode "q=$2" "$S/list"; }
declare -A SESSION
for who in kim yoon lee park; do SESSION[$who]=$(session_of "$who"); done

# ---- the steps offered: every state x viewer, as the README's rules say ----
offered() { # offered WHO RECEIPT: the actions of the page's forms, space-separated
    get "${SESSION[$1]}" "/c/$2" | grep -o 'name="action" value="[a-z]*"' | sed 's/.*value="//; s/"//' | paste -sd' '
}
while read -r st in_charge other head; do
    for who in kim yoon lee; do
        case $who in kim) want=$in_charge ;; yoon) want=$other ;; lee) want=$head ;; esac
        want=${want//,/ }
        [ "$want" = - ] && want=
        equal "offered-$st-$who" "$(offered "$who" "${R[$st]}")" "$want"
    done
done <<'EOF'
received    assign,transfer                 assign,transfer  assign,transfer,extend
assigned    start,transfer,extend           assign,transfer  assign,start,transfer,extend
in_progress answer,transfer,extend          assign,transfer  assign,answer,transfer,extend
answered    confirm,extend                  -                reject,extend
confirmed   extend                          -                approve,reject,extend
approved    reopen                          reopen           reopen
rejected    start,answer,transfer,extend    assign,transfer  assign,start,answer,transfer,extend
reopened    start,transfer,extend           assign,transfer  assign,start,transfer,extend
transferred assign,transfer                 assign,transfer  assign,transfer,extend
EOF
for st in "${!R[@]}"; do equal "other-department-$st" "$(code "${SESSION[park]}" "/c/${R[$st]}")" 403; done

# an officer takes a complaint without choosing anyone; a head picks from the department by name
page=$(get "${SESSION[yoon]}" "/c/${R[received]}")
expect take-label "$page" 'aria-label="내가 맡기"'
expect take-self "$page" '<input type="hidden" name="officer" value="yoon">'
page=$(get "${SESSION[lee]}" "/c/${R[in_progress]}")
expect assign-select "$page" '<select id="assign-officer" name="officer" required="required"><option value="">담당자를 고르세요</option><option value="yoon">윤소음 (담당자)</option><option value="lee">이과장 (부서장)</option></select>'
absent assign-not-in-charge "$page" '<option value="kim">'
absent assign-not-other-dept "$page" '<option value="park">'
expect waits-for "$(get "${SESSION[lee]}" "/c/${R[answered]}")" "다른 분이 할 다음 처리: 담당자 확인 (김환경)"
expect no-steps "$(get "${SESSION[yoon]}" "/c/${R[answered]}")" "이 단계에서 하실 수 있는 처리가 없어요."
page=$(get "${SESSION[lee]}" "/c/${R[transferred]}")
expect names-history "$page" '<td data-label="처리자">박주차</td><td data-label="부서">환경보호과</td>'
expect names-resident "$page" '<td data-label="처리자">민원인 (문자 채팅)</td>'
expect names-channel "$page" '<dt>접수 경로</dt><dd>문자 채팅</dd>'
for code in '>environment<' '>parking<' '>park<' '>text<' '>transferred<'; do
    absent "no-code-$code" "$page" "$code"
done
expect names-officer "$(get "${SESSION[lee]}" "/c/${R[approved]}")" '<dt>담당자</dt><dd>김환경</dd>'

# ---- the list: filters, pagination ----
KEY=$("$BIN" staff apikey issue tester 2>/dev/null)
for i in $(seq 45); do # 45 parking complaints through Open311: 54 in all
    curl -s -f -o /dev/null --data-urlencode "api_key=$KEY" -d service_code=illegal_parking \
        --data-urlencode "address_string=석남동 $i번지" --data-urlencode "description=주차 $i" "$BASE/open311/v2/requests.json" ||
        equal "open311-$i" failed ok
done
equal complaints "$(q 'select count(*) from complaints')" 54
rows() { grep -o '<td><a href="/staff/c/SG-2026-[0-9]*">\|<td>SG-2026-[0-9]*</td>' | grep -o 'SG-2026-[0-9]*' | paste -sd' '; }
L=${SESSION[lee]}
all=$(get "$L" '/list?state=' | rows)
equal list-page-1 "$(wc -w <<<"$all")" 50
expect list-total "$(get "$L" '/list?state=')" "총 54건 중 1-50번째."
expect list-next "$(get "$L" '/list?state=')" '<a href="/staff/list?state=&amp;page=2" rel="next">다음 쪽 →</a>'
equal list-page-2 "$(get "$L" '/list?state=&page=2' | rows | wc -w)" 4
expect list-page-2-text "$(get "$L" '/list?state=&page=2')" "총 54건 중 51-54번째."
equal list-open-default "$(get "$L" '/list' | rows | wc -w)" 50
expect list-open-total "$(get "$L" '/list')" "총 53건"
equal filter-state "$(get "$L" '/list?state=approved' | rows)" "${R[approved]}"
equal filter-category "$(get "$L" '/list?state=&category=noise' | rows | wc -w)" 8
equal filter-channel "$(get "$L" '/list?state=&channel=open311' | rows | wc -w)" 45
equal filter-officer "$(get "$L" '/list?state=&officer=kim&sort=filed' | rows | wc -w)" 7
equal filter-unassigned "$(get "$L" '/list?state=&officer=-&dept=environment' | rows)" "${R[received]} ${R[transferred]}"
equal filter-dates "$(get "$L" '/list?state=&from=2026-11-16&to=2026-11-16' | rows)" "${R[received]}"
equal filter-text-receipt "$(get "$L" "/list?state=&q=${R[approved]:8}" | rows)" "${R[approved]}"
P=${SESSION[park]}
equal filter-text-place "$(search "$P" '석남동 7번지' | rows)" "$(q "select receipt from complaints where place='석남동 7번지'")"
equal filter-text-detail "$(search "$P" '주차 45' | rows)" "$(q "select receipt from complaints where detail='주차 45'")"
equal filter-text-other-dept "$(search "$L" '주차 45' | rows)" ""
equal filter-overdue "$(get "$L" '/list?overdue=1' | rows)" "${R[received]}"
bad=$(curl -s -w '\n%{http_code}' -H "Cookie: sd_session=$L" "$S/list?from=2026-02-31")
expect bad-date "$bad" "접수일은 2026-11-25처럼 연-월-일로 써 주세요."
expect bad-date-400 "$(tail -1 <<<"$bad")" 400
expect filters-in-words "$(get "$L" '/list?state=&dept=environment&overdue=1')" "(지금: 부서 환경보호과, 기한 지난 것만, 처리 기한 빠른 순)"
due=$(get "$L" '/list?state=&sort=due_desc' | rows | cut -d' ' -f1)
equal sort-due-desc "$due" "$(q "select receipt from complaints order by due_at desc, id limit 1")"

# ---- CSV: the filtered list read back equals the list ----
FILTER='state=&dept=environment&sort=filed'
get "$L" "/list?$FILTER" >"$DIR/list.html"
curl -s -D "$DIR/csv.head" -o "$DIR/list.csv" -H "Cookie: sd_session=$L" "$S/list.csv?$FILTER"
expect csv-type "$(cat "$DIR/csv.head")" "Content-Type: text/csv; charset=utf-8"
expect csv-link "$(cat "$DIR/list.html")" 'href="/staff/list.csv?state=&amp;dept=environment&amp;sort=filed"'
equal csv-bom "$(head -c 3 "$DIR/list.csv" | od -An -tx1 | tr -d ' ')" efbbbf
compare() { # compare HTML CSV: prints "same N" when the table's rows equal the CSV's
    python3 - "$1" "$2" <<'PY'
import csv, html.parser, sys
class Table(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.cell = None; self.in_list = False
    def handle_starttag(self, tag, attrs):
        if tag == 'div' and ('class', 'cards quiet') in attrs: self.in_list = True
        if self.in_list and tag == 'tr': self.rows.append([])
        if self.in_list and tag in ('td', 'th'): self.cell = ''
    def handle_endtag(self, tag):
        if self.in_list and tag in ('td', 'th'): self.rows[-1].append(self.cell); self.cell = None
        if tag == 'table': self.in_list = False
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
t = Table(); t.feed(open(sys.argv[1], encoding='utf-8').read())
with open(sys.argv[2], encoding='utf-8-sig', newline='') as f:
    rows = list(csv.reader(f, strict=True))
print('same', len(rows) - 1 if rows == t.rows else f'differ:\n{t.rows}\n{rows}')
PY
}
equal csv-round-trip "$(compare "$DIR/list.html" "$DIR/list.csv")" "same 9"
expect csv-korean "$(cat "$DIR/list.csv")" '"소음","완료","환경보호과","김환경","문자 채팅"'
expect csv-crlf "$(od -c "$DIR/list.csv" | head -20)" '\r  \n'
"$BIN" staff export --as lee --state= --dept environment --sort filed --out "$DIR/cli.csv" >"$DIR/cli.out"
equal cli-export-status $? 0
expect cli-export-count "$(cat "$DIR/cli.out")" "9 complaint(s) written to"
equal cli-export-same "$(cmp "$DIR/list.csv" "$DIR/cli.csv" && echo same)" same
"$BIN" staff export --from 2026-13-01 >/dev/null 2>"$DIR/cli.err"
equal cli-export-bad-date $? 2
expect cli-export-bad-date-why "$(cat "$DIR/cli.err")" "--from 2026-13-01: give a date as YYYY-MM-DD"
# quoting and formulas: an officer's name with quotes, a comma and a leading =
run staff assign "$(q "select receipt from complaints where channel='open311' order by id limit 1")" --as odd --officer odd
curl -s -o "$DIR/odd.csv" -H "Cookie: sd_session=$L" "$S/list.csv?state=&officer=odd"
odd=$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1],encoding="utf-8-sig",newline=""))); print(len(r), r[1][5])' "$DIR/odd.csv")
equal csv-quoted "$odd" "2 '=최\"따옴표\", 주무관"
expect csv-quoted-raw "$(cat "$DIR/odd.csv")" '"'"'"'=최""따옴표"", 주무관"'

# ---- sites: complaints filed at two speakers' boxes, the list and overview filtered by site ----
at_site() { # at_site SITE LINES: files by chat at a box whose [device] site is SITE; its receipt
    printf '[device]\nsite = %s\n' "$1" >"$DIR/site.conf"
    printf '%b' "$2" | SEODONG_CONFIG="$DIR/site.conf" "$BIN" chat 2>/dev/null | grep -o 'SG-2026-[0-9]*' | head -1
}
G=$(at_site '가정1동 행정복지센터' '여기 앞 가로등이 나갔어요\n네\n밤새 꺼져 있어요 익명\n네\n')
C=$(at_site '청라1동 행정복지센터' '청라동 공원 가로등이 나갔어요\n밤새 꺼져 있어요 익명\n네\n')
equal site-filed "$(q "select place || '|' || site from complaints where receipt='$G'")" '가정1동 행정복지센터 앞|가정1동 행정복지센터'
equal site-filed-other "$(q "select site from complaints where receipt='$C'")" '청라1동 행정복지센터'
sited() { curl -s -G -H "Cookie: sd_session=$L" --data-urlencode state= --data-urlencode "site=$1" "$S/list${2-}"; }
equal filter-site "$(sited '가정1동 행정복지센터' | rows)" "$G"
equal filter-site-other "$(sited '청라1동 행정복지센터' | rows)" "$C"
expect filter-site-none "$(sited -)" "총 54건"
expect filter-site-none-channel "$(sited - '?channel=open311')" "총 45건"
expect filter-site-channel-empty "$(sited '가정1동 행정복지센터' '?channel=open311')" "조건에 맞는 민원이 없어요 (0건)."
page=$(sited '가정1동 행정복지센터')
expect site-select "$page" '<select id="site" name="site"><option value="">전체</option><option value="-">접수처 없음 (구청 서버): 54건</option><option value="가정1동 행정복지센터" selected="selected">가정1동 행정복지센터: 1건</option><option value="청라1동 행정복지센터">청라1동 행정복지센터: 1건</option></select>'
expect site-in-words "$page" "(지금: 접수처 가정1동 행정복지센터, 처리 기한 빠른 순)"
expect site-cell "$page" '<td data-label="접수처">가정1동 행정복지센터</td>'
run staff add choi --name 최도로 --dept roads --role officer
run staff passwd choi <<<"choi-password-1"
expect site-fact "$(get "$(session_of choi)" "/c/$G")" '<dt>접수처</dt><dd>가정1동 행정복지센터</dd>'
curl -s -G -o "$DIR/site.csv" -H "Cookie: sd_session=$L" --data-urlencode state= --data-urlencode 'site=가정1동 행정복지센터' "$S/list.csv"
"$BIN" staff export --as lee --state= --site '가정1동 행정복지센터' --out "$DIR/site-cli.csv" >/dev/null
equal cli-export-site "$(cmp "$DIR/site.csv" "$DIR/site-cli.csv" && echo same)" same
expect csv-site "$(cat "$DIR/site.csv")" "\"$G\""
expect cli-list-site "$("$BIN" staff list --site '청라1동 행정복지센터')" "1 complaint(s)"
expect cli-list-site-none "$("$BIN" staff list --site - --channel open311)" "45 complaint(s)"
overview=$(curl -s -G -H "Cookie: sd_session=$L" --data-urlencode 'site=가정1동 행정복지센터' "$S")
expect overview-site "$overview" "조건에 맞는 민원 1건."
expect overview-site-link "$overview" 'href="/staff/list?overdue=1&amp;site=%EA%B0%80%EC%A0%951%EB%8F%99%20%ED%96%89%EC%A0%95%EB%B3%B5%EC%A7%80%EC%84%BC%ED%84%B0"'
expect overview-site-chosen "$overview" '<option value="가정1동 행정복지센터" selected="selected">'
expect overview-channel "$(get "$L" '?channel=open311')" "조건에 맞는 민원 45건."
expect overview-all "$(get "$L" '')" "모든 민원 56건."

kill -TERM "$PID"
wait "$PID"
equal serve-exit $? 0
PID=
checks_done test_staff_dashboard
