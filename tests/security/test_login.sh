#!/usr/bin/env bash
# Staff sign-in tells nothing about which logins exist. The issue's reproduction: after six
# wrong passwords a real login answered 429 "locked" and an unknown one 403, and an unknown
# login was answered at once while a real one ran Argon2id (~0.14 s here). Now an unknown
# login, a wrong password and a locked login (even with its right password) get the same
# status and the same page, and take as long: rounds of the three are interleaved and each
# median must lie within a factor of 1.5 of the others (the old code missed by about 100).
. "${SEODONG_SOURCE_DIR:?}/tests/security/lib.sh"
export SEODONG_NOW=2026-11-25T10:00
ROUNDS=7

printf '[web]\nthreads = 2\nsignin_failures = 1000\n' >"$DIR/seodong.conf"
sd 0 staff add lee --name 이과장 --dept parking --role head >/dev/null
echo 'lee-password-1' | sd 0 staff passwd lee >/dev/null
for n in $(seq "$ROUNDS"); do # each wrong password on a login of its own: none gets locked
    sd 0 staff add "w$n" --name "직원$n" --dept parking --role officer >/dev/null
    echo "w$n-password-1" | sd 0 staff passwd "w$n" >/dev/null
done
serve web "$DIR/seodong.conf" || { suite_done security_login; exit 1; }
S=$BASE/staff

PRE=$(curl -s -D - -o /dev/null "$S" | sed -n 's/^Set-Cookie: sd_signin=\([0-9a-f]*\);.*/\1/p')
is presession "${#PRE}" 64
attempt() { # attempt NAME LOGIN PASSWORD: writes the page to $DIR/NAME, prints "STATUS SECONDS"
    curl -s -o "$DIR/$1" -w '%{http_code} %{time_total}' -H "Cookie: sd_signin=$PRE" \
        --data-urlencode "csrf=$PRE" --data-urlencode "login=$2" --data-urlencode "password=$3" \
        "$S/signin"
}

for _ in 1 2 3 4 5; do attempt lock lee wrong-password >/dev/null; done
is locked-in-store "$(sqlite3 "$SEODONG_DB" "select locked_until > 0 from staff_auth where login = 'lee'")" 1

: >"$DIR/times.unknown" >"$DIR/times.wrong" >"$DIR/times.locked"
for n in $(seq "$ROUNDS"); do
    read -r s_unknown t <<<"$(attempt unknown "ghost$n" "w$n-password-1")"
    echo "$t" >>"$DIR/times.unknown"
    read -r s_wrong t <<<"$(attempt wrong "w$n" not-the-password)"
    echo "$t" >>"$DIR/times.wrong"
    read -r s_locked t <<<"$(attempt locked lee lee-password-1)"
    echo "$t" >>"$DIR/times.locked"
    is "round-$n-unknown" "$s_unknown" 403
    is "round-$n-wrong" "$s_wrong" 403
    is "round-$n-locked" "$s_locked" 403
    ok "round-$n-same-page-unknown" cmp -s "$DIR/unknown" "$DIR/wrong"
    ok "round-$n-same-page-locked" cmp -s "$DIR/locked" "$DIR/wrong"
done
contains page-says "$(cat "$DIR/wrong")" "아이디 또는 비밀번호가 맞지 않아요."

median() { sort -g "$1" | sed -n "$(((ROUNDS + 1) / 2))p"; }
unknown=$(median "$DIR/times.unknown") wrong=$(median "$DIR/times.wrong") locked=$(median "$DIR/times.locked")
echo "median seconds: unknown $unknown, wrong $wrong, locked $locked"
within() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= 1.5 * b && b <= 1.5 * a) }'; }
ok time-unknown-like-wrong within "$unknown" "$wrong"
ok time-locked-like-wrong within "$locked" "$wrong"

# The lock still holds, and every failure was counted alike; a good sign-in still works.
is failures-counted "$(sqlite3 "$SEODONG_DB" 'select failures from signin_stats')" $((5 + 3 * ROUNDS))
is lee-still-locked "$(attempt after lee lee-password-1 | cut -d' ' -f1)" 403
is good-signin "$(attempt good w1 w1-password-1 | cut -d' ' -f1)" 303
stop_server web

suite_done security_login
