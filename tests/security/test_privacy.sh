#!/usr/bin/env bash
# No phone number, e-mail address or registration number in any public answer: personal numbers
# in every written form are filed through Open311 (description and address_string) and the
# KakaoTalk skill, then looked for in the Open311 listing and each request (JSON and XML), the
# tracking pages and the Kakao replies (privacy_probe.py, seeded), in the server's log, and in
# what `seodong chat` repeats. The issue's own case comes first: `연락처 010-9876-5432 청라동` in
# address_string came back as it was, and `010 - 9876 - 5432`, an en dash and full-width digits
# in the description were not masked. The office keeps what was written, for its staff.
. "${SEODONG_SOURCE_DIR:?}/tests/security/lib.sh"
export SEODONG_NOW=2026-11-25T10:00

cat >"$DIR/seodong.conf" <<'EOF'
[web]
threads = 2
track_per_minute = 100000
filing_per_minute = 100000
kakao_per_minute = 100000
EOF
KEY=$(sd 0 staff apikey issue privacy-probe)
serve web "$DIR/seodong.conf" || { suite_done security_privacy; exit 1; }

python3 "$SRC/tests/security/privacy_probe.py" "$BASE" "$KEY" 16 "$DIR/planted.txt"
is probe-passes "$?" 0

# The issue's case, read back as a client would.
first=$(curl -s "$BASE/open311/v2/requests/SG-2026-000001.json")
contains issue-address-masked "$first" '"address":"연락처 ***-****-**** 청라동"'
lacks issue-address "$first" "9876-5432"
contains issue-description-masked "$first" '"description":"밤마다 소음 ***-****-****, ***-****-****, ***-****-****"'
is office-keeps-text "$(sqlite3 "$SEODONG_DB" "select place from complaints where receipt = 'SG-2026-000001'")" \
    "연락처 010-9876-5432 청라동"

# Nothing planted reaches the server's log either.
stop_server web
leaked=0
while read -r secret; do
    [ -n "$secret" ] && grep -qF -- "$secret" "$DIR/web.err" && leaked=$((leaked + 1))
done <"$DIR/planted.txt"
is log-clean "$leaked" 0

# The chat repeats a detail back before filing: not its numbers.
reply=$(printf '%s\n' "청라동 공원 앞에 불법 주차 신고할게요" \
    "흰색 차가 인도를 막고 있어요 공일공 구팔칠육 오사삼이 hong.gd@naver.com 900101-1234567" |
    sd 0 chat)
contains chat-summary "$reply" "이대로 접수할까요?"
lacks chat-no-phone "$reply" "구팔칠육"
lacks chat-no-email "$reply" "hong.gd"
lacks chat-no-rrn "$reply" "1234567"
contains chat-masked "$reply" "***@***"

suite_done security_privacy
