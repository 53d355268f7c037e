#!/usr/bin/env bash
# Staff dashboard sessions live in the store: two `seodong serve` processes on one store share
# them, and a web server that is killed and started again keeps them. Over real HTTP with curl:
# signed in on server A, the cookie works on server B; signed out on B, it no longer works on A;
# A killed (SIGKILL, as a crash) and started again still takes a live cookie; the store holds
# only the SHA-256 of a session id; a new password signs the login out on every server. On
# PostgreSQL the servers also bring a database of schema 1 (before sessions) up to date.
# ctest runs it on a SQLite file (test_staff_sessions) and on PostgreSQL (staff_sessions_pg,
# registered with seodong_pg_test, which sets SEODONG_TEST_DB).
set -u
BIN=${SEODONG_BIN:?}
DIR=$(mktemp -d)
declare -A PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$DIR"
}
trap cleanup EXIT
export SEODONG_NOW=2026-11-25T10:00
if [ -n "${SEODONG_TEST_DB:-}" ]; then
    export SEODONG_DB=$SEODONG_TEST_DB
    q() { psql -X -q -At -v ON_ERROR_STOP=1 "$SEODONG_DB" -c "$1"; }
else
    export SEODONG_DB=$DIR/seodong.db
    q() { sqlite3 "$SEODONG_DB" "$1"; }
fi
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"
# Each process of a shared store keeps its device's own file in its working directory.
mkdir -p "$DIR/a" "$DIR/b" "$DIR/cli"
cd "$DIR/cli" || exit 1

seodong staff add kim --name 김환경 --dept environment --role officer >/dev/null
echo kim-password-1 | seodong staff passwd kim >/dev/null

if [ -n "${SEODONG_TEST_DB:-}" ]; then # a server of schema 1, before sessions: upgraded at start
    q "drop table staff_sessions; update seodong_meta set value = '1' where key = 'schema_version'"
fi

declare -A BASE=()
start() { # start NAME: `seodong serve` on a free port, in its own folder
    (cd "$DIR/$1" && exec "$BIN" serve --listen 127.0.0.1:0 >"$DIR/$1.out" 2>"$DIR/$1.err") &
    PIDS[$1]=$!
    wait_for "serving-$1" grep -qs serving "$DIR/$1.out"
    BASE[$1]=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/$1.out")
}
stop() { # stop NAME SIGNAL STATUS: the server ends with exactly STATUS
    kill "-$2" "${PIDS[$1]}"
    wait "${PIDS[$1]}"
    exited "stop-$1-$2" $? "$3"
    unset "PIDS[$1]"
    : >"$DIR/$1.out"
}
cookie_of() { sed -n "s/^Set-Cookie: $1=\([0-9a-f]*\);.*/\1/p" | tr -d '\r'; }
signin() { # signin SERVER LOGIN PASSWORD: the new session's id, "" when refused
    local pre
    pre=$(curl -s -D - -o /dev/null "${BASE[$1]}/staff" | cookie_of sd_signin)
    curl -s -D - -o /dev/null -H "Cookie: sd_signin=$pre" --data-urlencode "csrf=$pre" \
        --data-urlencode "login=$2" --data-urlencode "password=$3" "${BASE[$1]}/staff/signin" |
        cookie_of sd_session
}
code() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sd_session=$2" "${BASE[$1]}/staff/list"; }
page() { curl -s -H "Cookie: sd_session=$2" "${BASE[$1]}/staff/list"; }
csrf_of() { page "$1" "$2" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
signout() { # signout SERVER SESSION CSRF: the HTTP status
    curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sd_session=$2" --data-urlencode "csrf=$3" \
        "${BASE[$1]}/staff/signout"
}

start a
start b
if [ -n "${SEODONG_TEST_DB:-}" ]; then
    equal pg-schema-upgraded "$(q "select value from seodong_meta where key = 'schema_version'")" 3
fi
# ---- signed in on A, the cookie works on B, with the same CSRF token ----
S1=$(signin a kim kim-password-1)
equal session-made "${#S1}" 64
equal a-signed-in "$(code a "$S1")" 200
equal b-signed-in "$(code b "$S1")" 200
expect b-knows-who "$(page b "$S1")" 김환경
T1=$(csrf_of a "$S1")
equal csrf-shared "$(csrf_of b "$S1")" "$T1"
equal csrf-length "${#T1}" 64
equal unknown-refused "$(code b "$(printf '%064d' 7)")" 303

# ---- the store keeps a hash of the id, never the id ----
equal one-row "$(q "select count(*) from staff_sessions where login = 'kim'")" 1
equal stored-hash "$(q "select id_hash from staff_sessions where login = 'kim'")" \
    "$(printf %s "$S1" | sha256sum | cut -d' ' -f1)"
equal id-not-stored "$(q "select count(*) from staff_sessions where id_hash = '$S1'")" 0

# ---- signed out on B: the cookie no longer works on A ----
S2=$(signin b kim kim-password-1)
equal second-session "$(code a "$S2")" 200
equal signout-wrong-csrf "$(signout b "$S1" "$(printf '%064d' 1)")" 403
equal still-signed-in "$(code a "$S1")" 200
equal signout-b "$(signout b "$S1" "$T1")" 303
equal a-signed-out "$(code a "$S1")" 303
equal b-signed-out "$(code b "$S1")" 303
equal other-session-lives "$(code a "$S2")" 200
equal row-gone "$(q "select count(*) from staff_sessions where login = 'kim'")" 1

# ---- A killed and started again: the cookie still works there ----
stop a KILL 137
equal b-while-a-down "$(code b "$S2")" 200
start a
equal a-after-restart "$(code a "$S2")" 200
equal b-after-restart "$(code b "$S2")" 200
absent no-store-errors "$(cat "$DIR/a.err" "$DIR/b.err")" "error"

# ---- a new password signs the login out on every server ----
echo kim-password-2 | seodong staff passwd kim >/dev/null
equal new-password-a "$(code a "$S2")" 303
equal new-password-b "$(code b "$S2")" 303
equal no-rows-left "$(q "select count(*) from staff_sessions")" 0
S3=$(signin b kim kim-password-2)
equal signin-new-password "$(code a "$S3")" 200

stop a TERM 0
stop b TERM 0
checks_done test_staff_sessions
