#!/usr/bin/env bash
# The full lifecycle through the real command line: a resident files by text, the office moves
# the complaint along with `seodong staff`, and after every step the resident's own view in
# `seodong chat` shows it and the sender delivers the resident's message to a real HTTP gateway
# (tests/mock/fake_gateway.py on 127.0.0.1); illegal steps are refused with a reason and change
# nothing; the overdue list and the 30-day interim notice follow the clock.
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
GW_PID=
trap '[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null; rm -rf "$DIR"' EXIT
export SEODONG_DB="$DIR/seodong.db" SEODONG_NOW=2026-11-25T10:00 SEODONG_CONFIG="$DIR/seodong.conf"
. "$SRC/tests/check.sh"
python3 "$SRC/tests/mock/fake_gateway.py" "$DIR" --appkey office --secret s3cret &
GW_PID=$!
wait_for gateway-listens test -f "$DIR/port"
printf '[gateway]\nurl = http://127.0.0.1:%s/\nappkey = office\nsender_key = 0123456789abcdef0123456789abcdef01234567\ntimeout_ms = 2000\n[web]\nbase_url = https://minwon.seo.example\n' \
    "$(cat "$DIR/port")" >"$SEODONG_CONFIG"
touch "$DIR/accepted.jsonl"
refused() { # refused NAME NEEDLE COMMAND...: exit 1, the reason on stderr, the timeline unchanged
    local name=$1 needle=$2 before after out
    shift 2
    before=$(sqlite3 "$SEODONG_DB" 'select count(*) from timeline')
    out=$(exits=1 seodong staff "$@" 2>&1)
    after=$(sqlite3 "$SEODONG_DB" 'select count(*) from timeline')
    expect "$name" "$out" "$needle"
    equal "$name-unchanged" "$after" "$before"
}
resident_sees() { # resident_sees NAME NEEDLE: the resident's timeline in chat
    expect "$1" "$(printf 'SG-2026-000001 어떻게 됐어요?\n5678\n' | seodong chat)" "$2"
}
gateway_got() { # gateway_got NAME TEMPLATE...: after one sender pass, the templates delivered so far
    SEODONG_GATEWAY_SECRET=s3cret seodong notify --once >/dev/null 2>&1
    equal "$1" "$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["templateCode"] for l in open(sys.argv[1])))' "$DIR/accepted.jsonl")" "$2"
}

printf '청라동 공원 앞에 불법 주차 신고할게요\n흰색 차가 인도를 막고 있어요 010-1234-5678\n네\n' |
    seodong chat >/dev/null
seodong staff add kim --name 김주차 --dept parking --role officer >/dev/null
seodong staff add lee --name 이과장 --dept parking --role head >/dev/null
seodong staff add park --name 박도로 --dept roads --role officer >/dev/null
out=$(exits=1 seodong staff add bad --name X --dept nowhere --role officer 2>&1)
expect add-unknown-dept "$out" "department must exist"

resident_sees received "▶ 접수: 11월 25일 수요일 오전 10시 (현재 단계)"
gateway_got notified-received "SD_RECEIVED"
resident_sees received-next "○ 담당자 배정: 예정"
expect list "$(seodong staff list --dept parking)" "SG-2026-000001   received"

export SEODONG_NOW=2026-11-25T11:00
refused approve-too-early "approve follows: confirmed" approve SG-2026-000001 --as lee
refused other-department "belongs to department parking" assign SG-2026-000001 --as park --officer park
refused nobody "not on the staff list" assign SG-2026-000001 --as ghost --officer kim
out=$(exits=2 seodong staff start SG-2026-000001 2>&1)
expect needs-identity "$out" "--as LOGIN"

seodong staff assign SG-2026-000001 --as lee --officer kim >/dev/null
resident_sees assigned "▶ 담당자 배정: 11월 25일 수요일 오전 11시 (현재 단계)"
gateway_got notified-assigned "SD_RECEIVED SD_ASSIGNED"
export SEODONG_NOW=2026-11-25T13:00
seodong staff start SG-2026-000001 --as kim >/dev/null
resident_sees started "▶ 처리 중: 11월 25일 수요일 오후 1시"
seodong staff answer SG-2026-000001 --as kim --text "현장에 나가 견인 조치했습니다." >/dev/null
resident_sees answered "▶ 답변 작성"
resident_sees answer-not-yet-shown "○ 완료: 예정"
refused officer-approves "only the head of the department may approve" approve SG-2026-000001 --as kim
refused head-confirms "only the officer in charge (kim) may confirm" confirm SG-2026-000001 --as lee
seodong staff confirm SG-2026-000001 --as kim >/dev/null
resident_sees confirmed "▶ 담당자 확인"
gateway_got review-steps-not-announced "SD_RECEIVED SD_ASSIGNED SD_IN_PROGRESS"
seodong staff extend SG-2026-000001 --as kim --days 3 --reason "현장 재확인 필요" >/dev/null
resident_sees extended "처리 기한을 12월 8일 화요일까지로 연장했어요. 사유: 현장 재확인 필요"
resident_sees new-due "처리 기한: 12월 8일 화요일 오후 6시"
refused second-extension "consent" extend SG-2026-000001 --as kim --days 2 --reason 지연

export SEODONG_NOW=2026-11-26T09:30
seodong staff approve SG-2026-000001 --as lee >/dev/null
resident_sees approved "▶ 완료: 11월 26일 목요일 오전 9시 30분 (현재 단계)"
resident_sees answer-shown "답변: 현장에 나가 견인 조치했습니다."
gateway_got notified-approved "SD_RECEIVED SD_ASSIGNED SD_IN_PROGRESS SD_EXTENDED SD_APPROVED"
approved=$(grep SD_APPROVED "$DIR/accepted.jsonl")
expect approved-to-the-filer "$approved" '"recipientNo": "01012345678"'
expect approved-carries-answer "$approved" "현장에 나가 견인 조치했습니다."
expect approved-links-tracking "$approved" '"link": "https://minwon.seo.example/track?receipt=SG-2026-000001"'
out=$(printf 'status of SG-2026-000001\n5678\n' | seodong chat)
expect english-timeline "$out" "▶ Completed:"
refused approve-twice "cannot approve a complaint that is 'approved'" approve SG-2026-000001 --as lee

show=$(seodong staff show SG-2026-000001)
expect show-masks-phone "$show" "phone ***-****-5678"
absent show-no-phone "$show" "01012345678"
absent show-no-phone-dashed "$show" "1234-5678"
expect show-timeline "$show" "approved     lee"
equal outbox-queued "$(sqlite3 "$SEODONG_DB" "select group_concat(template, ' ') from outbox")" \
    "SD_RECEIVED SD_ASSIGNED SD_IN_PROGRESS SD_EXTENDED SD_APPROVED"

# A second complaint that nobody handles: overdue after its deadline, an interim notice at 30 days.
export SEODONG_NOW=2026-11-26T10:00
printf '가좌동 도로가 파였어요 신고할게요\n큰 구멍이 있어요 010-2222-3333\n네\n' | seodong chat >/dev/null
export SEODONG_NOW=2026-12-07T10:00
overdue=$(seodong staff list --overdue)
expect overdue "$overdue" "SG-2026-000002   received     roads"
equal overdue-only-open "$(tail -1 <<<"$overdue")" "1 complaint(s)"
export SEODONG_NOW=2026-12-04T09:00
expect due-today "$(seodong staff list --due-today)" "SG-2026-000002"
export SEODONG_NOW=2026-12-26T09:00
equal sweep-early "$(seodong staff sweep)" "0 interim notice(s) queued"
# The running sender queues the notice by itself and delivers it.
export SEODONG_NOW=2026-12-26T11:00
SEODONG_GATEWAY_SECRET=s3cret "$BIN" notify >/dev/null 2>&1 &
NOTIFY_PID=$!
wait_for interim-sent grep -q SD_INTERIM "$DIR/accepted.jsonl"
# The sender has no SIGTERM handler: it dies of it (128 + 15), and test_notify shows that a
# sender stopped mid-send loses nothing.
kill "$NOTIFY_PID"
wait "$NOTIFY_PID"
exited notify-stopped "$?" 143
expect interim-delivered "$(grep SD_INTERIM "$DIR/accepted.jsonl")" '"recipientNo": "01022223333"'
equal sweep-once "$(seodong staff sweep)" "0 interim notice(s) queued"
resident_sees_2() { expect "$1" "$(printf 'SG-2026-000002 어떻게 됐어요?\n3333\n' | seodong chat)" "$2"; }
resident_sees_2 interim-in-timeline "▶ 중간 안내"

seodong staff route road --dept parking >/dev/null
printf '석남동 도로 파손 신고할게요\n금이 갔어요\n익명으로 할게요\n네\n' | seodong chat >/dev/null
equal routed "$(sqlite3 "$SEODONG_DB" "select department from complaints where receipt='SG-2026-000003'")" "parking"

out=$(exits=2 seodong staff fly SG-2026-000001 2>&1)
expect unknown-verb "$out" "no such command"

checks_done test_staff
