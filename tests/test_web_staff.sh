#!/usr/bin/env bash
# The staff dashboard (/staff) of `seodong serve` over real HTTP with curl, and its security
# edges: cookie flags, sign-in CSRF, session fixation, XSS payloads shown escaped, CSRF on
# actions (missing or wrong token: 403 and nothing changed), SQL metacharacters in filters and
# search, an officer trying a head's action, another department's complaint and recording,
# lock-out after repeated bad passwords (per login and per address), sign-out. Also the whole
# lifecycle through the forms, the resident's page showing the answer, and a knowledge-base edit.
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
state() { q "select state from complaints where receipt='$1'"; }

# ---- the office: staff, passwords, complaints (one with a script in it), a recording ----
seodong staff add kim --name 김환경 --dept environment --role officer >/dev/null
seodong staff add lee --name '이과장<b>' --dept environment --role head >/dev/null
seodong staff add park --name 박주차 --dept parking --role officer >/dev/null
for who in kim lee park; do echo "$who-password-1" | seodong staff passwd "$who" >/dev/null; done
expect passwd-short "$(echo short | exits=1 seodong staff passwd kim 2>&1)" "at least 10 characters"
expect passwd-unknown "$(echo long-enough-1 | exits=1 seodong staff passwd nobody 2>&1)" "not on the staff list"
expect hash-argon2id "$(q "select hash from staff_auth where login='kim'")" '$argon2id$'
absent hash-not-plain "$(q "select hash from staff_auth")" "kim-password-1"
XSS='<script>alert(1)</script><img src=x onerror=alert(2)>'
printf '청라동 공원 앞 소음 신고할게요\n공사 소음이 심해요 %s 010-1234-5678\n네\n' "$XSS" | seodong chat >/dev/null 2>&1
printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 차가 인도를 막고 있어요 010-2222-3333\n네\n' | seodong chat >/dev/null 2>&1
equal filed "$(q "select receipt || ':' || department from complaints order by id")" \
    "SG-2026-000001:environment
SG-2026-000002:parking"
mkdir -p "$SEODONG_DB.recordings"
printf 'RIFF....WAVEfmt recording-of-000001' >"$SEODONG_DB.recordings/SG-2026-000001.wav"

cat >"$DIR/seodong.conf" <<EOF
[web]
secure_cookies = 1
signin_failures = 8
EOF
"$BIN" serve --listen 127.0.0.1:0 --config "$DIR/seodong.conf" >"$DIR/out" 2>"$DIR/err" &
PID=$!
wait_for serving grep -qs serving "$DIR/out"
BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/out")
S=$BASE/staff

# Cookies are sent by hand (-H Cookie), as a browser would over TLS: they are marked Secure.
cookie_of() { sed -n "s/^Set-Cookie: $1=\([0-9a-f]*\);.*/\1/p" | tr -d '\r'; }
# signin LOGIN PASSWORD [COOKIE-HEADER-EXTRA]: prints the response headers
signin() {
    local pre
    pre=$(curl -s -D - -o /dev/null "$S" | cookie_of sd_signin)
    curl -s -D - -o /dev/null -H "Cookie: sd_signin=$pre${3:+; $3}" --data-urlencode "csrf=$pre" \
        --data-urlencode "login=$1" --data-urlencode "password=$2" "$S/signin"
}
session_of() { signin "$@" | cookie_of sd_session; }
signin_code() { signin "$@" | awk 'NR == 1 { print $2 }'; } # the HTTP status only
# A list page's count of the complaints its filters match: "총 N건 중 …", or "(0건)" when none.
shown() { grep -oE '(총 |\()[0-9]+건' | head -1 | grep -oE '[0-9]+건'; }
get() { curl -s -H "Cookie: sd_session=$1" "$S$2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sd_session=$1" "$S$2"; }
csrf_of() { get "$1" "" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
post() { # post SESSION PATH FIELDS...: status code
    local sess=$1 path=$2
    shift 2
    local args=()
    for f in "$@"; do args+=(--data-urlencode "$f"); done
    curl -s -o "$DIR/last" -w '%{http_code}' -H "Cookie: sd_session=$sess" "${args[@]}" "$S$path"
}

# ---- the door ----
page=$(curl -s -i "$S")
expect signin-form "$page" '<label for="password">비밀번호</label>'
expect signin-csp "$page" "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'"
expect signin-cookie "$page" "Path=/staff; HttpOnly; SameSite=Strict; Secure"
equal anonymous-list "$(code "" /list)" 303
equal anonymous-post "$(curl -s -o /dev/null -w '%{http_code}' -d action=start "$S/c/SG-2026-000001")" 403
equal signin-no-token "$(curl -s -o /dev/null -w '%{http_code}' -d 'login=kim&password=kim-password-1' "$S/signin")" 403
equal signin-wrong-method "$(curl -s -o /dev/null -w '%{http_code}' "$S/signin")" 405
hdr=$(signin kim kim-password-1)
expect signin-303 "$hdr" "HTTP/1.1 303"
expect session-flags "$hdr" "Path=/staff; HttpOnly; SameSite=Strict; Secure"
KIM=$(cookie_of sd_session <<<"$hdr")
equal session-id "${#KIM}" 64
expect signed-in "$(get "$KIM" "")" "김환경 (담당자)"
equal bad-password "$(signin_code kim wrong-password)" 403

# ---- session fixation: a cookie from before sign-in never becomes a session ----
FIXED=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
NEW=$(session_of kim kim-password-1 "sd_session=$FIXED")
absent fixation-new-id "$NEW" "$FIXED"
equal fixation-refused "$(code "$FIXED" /list)" 303
equal fixation-new-works "$(code "$NEW" /list)" 200
AGAIN=$(session_of kim kim-password-1 "sd_session=$NEW")
equal resignin-old-ended "$(code "$NEW" /list)" 303
equal resignin-new-works "$(code "$AGAIN" /list)" 200

# ---- XSS: everything residents and clerks wrote is text ----
for path in /c/SG-2026-000001 /list ""; do
    out=$(get "$KIM" "$path")
    absent "xss-no-script$path" "$out" "<script>"
    absent "xss-no-img$path" "$out" "<img"
done
expect xss-escaped "$(get "$KIM" /c/SG-2026-000001)" "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
LEE=$(session_of lee lee-password-1)
expect xss-staff-name "$(get "$LEE" "")" "이과장&lt;b&gt; (부서장)"

# ---- CSRF: no token, a wrong token, another session's token: 403 and nothing changed ----
KT=$(csrf_of "$KIM")
LT=$(csrf_of "$LEE")
equal csrf-none "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim)" 403
equal csrf-wrong "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim csrf=0000)" 403
equal csrf-other-session "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim "csrf=$LT")" 403
equal csrf-nothing-changed "$(state SG-2026-000001)" received
equal csrf-signout "$(post "$KIM" /signout x=1)" 403
equal csrf-kb "$(post "$KIM" /kb key=x lang=ko topic=general department=civil title=t answer=a)" 403
equal csrf-kb-unchanged "$(q "select count(*) from kb where key='x'")" 0

# ---- an officer trying a head's action; another department ----
equal officer-assign "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim "csrf=$KT")" 303
equal officer-approve "$(post "$KIM" /c/SG-2026-000001 action=approve "csrf=$KT")" 403
expect officer-approve-why "$(cat "$DIR/last")" "approve refused: only the head of the department may approve"
equal officer-approve-unchanged "$(state SG-2026-000001)" assigned
PARK=$(session_of park park-password-1)
PT=$(csrf_of "$PARK")
equal other-dept-page "$(code "$PARK" /c/SG-2026-000001)" 403
absent other-dept-hidden "$(get "$PARK" /c/SG-2026-000001)" "공사 소음"
equal other-dept-action "$(post "$PARK" /c/SG-2026-000001 action=start "csrf=$PT")" 403
equal other-dept-unchanged "$(state SG-2026-000001)" assigned
equal other-dept-audio "$(code "$PARK" /audio/SG-2026-000001)" 403
expect list-no-link "$(get "$PARK" /list)" "<td>SG-2026-000001</td>"
equal unknown-complaint "$(code "$KIM" /c/SG-2099-000001)" 404
equal traversal "$(code "$KIM" /audio/..%2F..%2Fetc%2Fpasswd)" 404

# ---- the recording ----
expect audio-tag "$(get "$KIM" /c/SG-2026-000001)" '<audio controls="controls" preload="none" src="/staff/audio/SG-2026-000001"'
expect audio-body "$(get "$KIM" /audio/SG-2026-000001)" "recording-of-000001"
expect audio-type "$(curl -s -D - -o /dev/null -H "Cookie: sd_session=$KIM" "$S/audio/SG-2026-000001")" "Content-Type: audio/wav"
equal audio-anonymous "$(code "" /audio/SG-2026-000001)" 303

# ---- SQL metacharacters in filters and search: bound as text ----
SQLI="' OR 1=1; DROP TABLE complaints; --"
out=$(curl -s -G -H "Cookie: sd_session=$KIM" --data-urlencode "state=$SQLI" --data-urlencode "dept=x\" OR \"1\"=\"1" "$S/list")
equal sql-filter-empty "$(shown <<<"$out")" "0건"
expect sql-filter-kept "$out" "<option value=\"\">전체</option>"
equal sql-search "$(curl -s -G -o /dev/null -w '%{http_code}' -H "Cookie: sd_session=$KIM" --data-urlencode "q=$SQLI" "$S/kb")" 200
equal sql-intact "$(q 'select count(*) from complaints')" 2
expect filter-state "$(get "$KIM" '/list?state=assigned')" "SG-2026-000001"
absent filter-state-out "$(get "$KIM" '/list?state=assigned')" "SG-2026-000002"
expect filter-dept "$(get "$KIM" '/list?dept=parking')" "SG-2026-000002"
equal filter-overdue "$(get "$KIM" '/list?overdue=1' | shown)" "0건"
equal filter-today "$(get "$KIM" '/list?due_today=1' | shown)" "0건"

# ---- the whole life through the forms; the resident sees the answer ----
ANSWER='야간 공사를 중지시켰습니다 <b>확인</b>'
equal start "$(post "$KIM" /c/SG-2026-000001 action=start "csrf=$KT")" 303
equal answer "$(post "$KIM" /c/SG-2026-000001 action=answer "text=$ANSWER" "csrf=$KT")" 303
equal confirm "$(post "$KIM" /c/SG-2026-000001 action=confirm "csrf=$KT")" 303
equal approve-by-head "$(post "$LEE" /c/SG-2026-000001 action=approve "csrf=$LT")" 303
equal approved "$(state SG-2026-000001)" approved
equal timeline-actor "$(q "select group_concat(actor) from (select actor from timeline t join complaints c on c.id = t.complaint_id where c.receipt='SG-2026-000001' order by t.id)")" \
    "text,kim,kim,kim,kim,lee"
equal reopen-no-reason "$(post "$LEE" /c/SG-2026-000001 action=reopen text= "csrf=$LT")" 400
expect reopen-why "$(cat "$DIR/last")" "reopen refused:"
equal reopen-unchanged "$(state SG-2026-000001)" approved
equal unknown-action "$(post "$LEE" /c/SG-2026-000001 action=interim "csrf=$LT")" 400
track=$(curl -s "$BASE/track?receipt=SG-2026-000001&digits=5678")
expect track-answer "$track" "야간 공사를 중지시켰습니다 &lt;b&gt;확인&lt;/b&gt;"
expect overview-counts "$(get "$KIM" "")" '<th scope="row">완료</th><td>1</td>'
expect overview-svg "$(get "$KIM" "")" '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180" role="img"'

# ---- the knowledge base: search, one entry edited, a bad one refused ----
expect kb-search "$(curl -s -G -H "Cookie: sd_session=$KIM" --data-urlencode "q=운영 시간" "$S/kb")" "/staff/kb?key=office-hours&amp;lang=ko"
# libxml2 writes non-ASCII attribute values as character references: read them as a browser does
unescape() { python3 -c 'import html, sys; print(html.unescape(sys.stdin.read()))'; }
expect kb-edit-form "$(get "$KIM" '/kb?key=office-hours&lang=ko' | unescape)" 'name="title" value="구청 민원실 운영 시간"'
rows=$(q 'select count(*) from kb')
equal kb-save "$(post "$KIM" /kb "csrf=$KT" key=office-hours lang=ko topic=general department=civil \
    'title=구청 민원실 운영 시간' 'questions=민원실 몇 시까지 해요?' 'answer=평일 9시부터 18시까지, 목요일은 20시까지 엽니다.' 'keywords=운영 시간')" 200
expect kb-saved "$(q "select answer from kb where key='office-hours' and lang='ko'")" "목요일은 20시까지"
equal kb-same-rows "$(q 'select count(*) from kb')" "$rows"
equal kb-bad "$(post "$KIM" /kb "csrf=$KT" key=x lang=ko topic=astrology department=civil title=t answer=a)" 400
expect kb-bad-why "$(cat "$DIR/last")" "topic 'astrology' is not one of"
expect kb-chat "$(echo '민원실 몇 시까지 해요?' | seodong chat 2>/dev/null)" "목요일은 20시까지"

# ---- lock-out: 5 bad passwords lock the login (answered as any failure); then the address ----
for _ in 1 2 3 4 5; do signin lee not-the-password >/dev/null; done
equal login-locked "$(signin_code lee lee-password-1)" 403
equal login-locked-db "$(q "select locked_until > 0 from staff_auth where login='lee'")" 1
equal other-login-ok "$(signin_code kim kim-password-1)" 303
# 5 failures of lee and 1 of kim so far; signin_failures = 8 a minute per address
for who in nobody nobody2; do signin "$who" whatever >/dev/null; done
equal address-locked "$(signin_code kim kim-password-1)" 403

# ---- sign-out ends the session ----
hdr=$(curl -s -D - -o /dev/null -H "Cookie: sd_session=$KIM" -d "csrf=$KT" "$S/signout")
expect signout-303 "$hdr" "HTTP/1.1 303"
expect signout-clears "$hdr" "sd_session=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0"
equal signout-dead "$(code "$KIM" /list)" 303
equal signout-post-dead "$(post "$KIM" /c/SG-2026-000001 action=reopen text=x "csrf=$KT")" 403
equal others-still-in "$(code "$PARK" /list)" 200
expect css "$(curl -s -i "$BASE/staff.css")" "Content-Type: text/css"
equal wrong-method "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$S/list")" 405

kill -TERM "$PID"
wait "$PID"
exited stop-exit "$?" 0
PID=
checks_done test_web_staff
