#!/usr/bin/env bash
# Input no one should send, to the text commands and the web (in the ASan build, under ASan and
# UBSan): a 5 MB line, bytes that are not UTF-8, a UTF-8 sequence cut short. Each is refused
# with a clear message, the next line is answered, the process ends with status 0, and no
# sanitizer speaks.
. "${SEODONG_SOURCE_DIR:?}/tests/security/lib.sh"
export SEODONG_NOW=2026-11-25T10:00

{
    head -c 5000000 /dev/zero | tr '\0' a
    printf '\n\xff\xfe broken\n\xea\xb0\n지금 몇 시예요?\n'
} >"$DIR/bad.in"

sd 0 chat <"$DIR/bad.in" >"$DIR/chat.out"
chat=$(cat "$DIR/chat.out")
contains chat-too-long "$chat" "메시지가 너무 길어요. 4,000자 이내로 나눠서 보내 주세요."
is chat-not-utf8 "$(grep -c '입력에 읽을 수 없는 글자가 섞여 있어요(UTF-8이 아닌 바이트)' "$DIR/chat.out")" 2
contains chat-goes-on "$chat" "지금은 오전 10시"

sd 0 understand <"$DIR/bad.in" >"$DIR/understand.out"
is understand-lines "$(wc -l <"$DIR/understand.out")" 4
is understand-too-long "$(sed -n 1p "$DIR/understand.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"])')" \
    "input is too long"
is understand-not-utf8 "$(sed -n 2p "$DIR/understand.out")" '{"text":null,"error":"text is not valid UTF-8"}'
is understand-cut-short "$(sed -n 3p "$DIR/understand.out")" '{"text":null,"error":"text is not valid UTF-8"}'
contains understand-goes-on "$(sed -n 4p "$DIR/understand.out")" '"intent":"time"'

# The web: the same through the Kakao skill and Open311.
printf '[web]\nthreads = 2\n' >"$DIR/seodong.conf"
KEY=$(sd 0 staff apikey issue inputs)
serve web "$DIR/seodong.conf" || { suite_done security_inputs; exit 1; }
kakao() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$1" "$BASE/kakao/skill"; }
{
    printf '{"userRequest":{"user":{"id":"u"},"utterance":"'
    head -c 5000000 /dev/zero | tr '\0' a
    printf '"}}'
} >"$DIR/huge.json"
is kakao-5mb "$(kakao "$DIR/huge.json")" 413
printf '{"userRequest":{"user":{"id":"u"},"utterance":"\xff\xfe"}}' >"$DIR/broken.json"
is kakao-not-utf8 "$(kakao "$DIR/broken.json")" 400
printf '{"userRequest":{"user":{"id":"u"},"utterance":"\xea\xb0"}}' >"$DIR/cut.json"
is kakao-cut-short "$(kakao "$DIR/cut.json")" 400
printf '{"userRequest":{"user":{"id":"u"},"utterance":"%s"}}' "$(head -c 60000 /dev/zero | tr '\0' a)" >"$DIR/long.json"
is kakao-long-line "$(kakao "$DIR/long.json")" 200
is open311-not-utf8 "$(http_status "$BASE/open311/v2/requests.json" --data-binary "api_key=$KEY&service_code=noise&address_string=%EA%B0&description=x")" 400
printf '{"userRequest":{"user":{"id":"u"},"utterance":"지금 몇 시예요?"}}' >"$DIR/ok.json"
contains kakao-goes-on "$(curl -s -H 'Content-Type: application/json' --data-binary @"$DIR/ok.json" "$BASE/kakao/skill")" "지금은 오전 10시"
stop_server web

suite_done security_inputs
