#!/usr/bin/env bash
# test_pg_server.sh - scripts/pg_test_server.sh on its own, without ctest's shared cluster: start
# prints the URL and nothing else, and the server answers there; stop leaves no directory and no
# process behind; a cluster an interrupted run left is replaced by the next start; a failed start
# leaves nothing; a directory that is not one of its clusters is neither used nor removed; wrong
# usage exits 2.
set -u
SERVER=${SEODONG_SOURCE_DIR:?}/scripts/pg_test_server.sh
DIR=$(mktemp -d)
PG=$(mktemp -d /tmp/seodong-pgtest.XXXXXX) # under /tmp: as root the server runs as nobody
trap 'bash "$SERVER" stop "$PG" 2>/dev/null; rm -rf "$DIR" "$PG"' EXIT
. "$SEODONG_SOURCE_DIR/tests/check.sh"

alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; }
processes() { # the server's processes, one a line: the postmaster and its children
    local pid
    pid=$(head -n 1 "$PG/data/postmaster.pid")
    echo "$pid"
    ps -o pid= --ppid "$pid" | tr -d " "
}
none_alive() { # none_alive NAME PID...: every one of them has exited
    local pid
    checks=$((checks + 1))
    for pid in "${@:2}"; do
        if alive "$pid"; then
            echo "FAIL $1: process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline")) is still there" >&2
            fails=$((fails + 1))
            return
        fi
    done
}
gone() { # gone NAME PATH
    checks=$((checks + 1))
    [ ! -e "$2" ] || { echo "FAIL $1: $2 is still there" >&2; fails=$((fails + 1)); }
}

url=$(checked bash "$SERVER" start "$PG")
equal start-url "$url" "postgresql:///postgres?host=$PG&user=postgres"
equal answers "$(checked psql -X -At "$url" -c 'select 6 * 7')" 42
mapfile -t first < <(processes)
checks=$((checks + 1))
[ ${#first[@]} -ge 4 ] || { echo "FAIL processes: only ${first[*]}" >&2; fails=$((fails + 1)); }

# A cluster left running (a ctest run that was interrupted) is stopped and replaced by start.
checked bash "$SERVER" start "$PG" >"$DIR/url" 2>"$DIR/err"
equal restart-url "$(cat "$DIR/url")" "$url"
expect left-behind-said "$(cat "$DIR/err")" "left behind"
none_alive left-behind-stopped "${first[@]}"
mapfile -t second < <(processes)
equal answers-again "$(checked psql -X -At "$url" -c 'select 1')" 1

checked bash "$SERVER" stop "$PG"
gone stop-removes "$PG"
none_alive stop-ends "${second[@]}"
checked bash "$SERVER" stop "$PG" # stopping what is already gone is no error

# Not ours: a directory with other files is neither used nor removed.
mkdir -p "$DIR/foreign"
echo keep >"$DIR/foreign/file"
exits=1 checked bash "$SERVER" start "$DIR/foreign" 2>"$DIR/err"
expect foreign-start-said "$(cat "$DIR/err")" "is not empty"
exits=1 checked bash "$SERVER" stop "$DIR/foreign" 2>"$DIR/err"
expect foreign-stop-said "$(cat "$DIR/err")" "not removing it"
equal foreign-kept "$(cat "$DIR/foreign/file")" keep

# A start that fails (here initdb) says why and leaves no directory.
mkdir "$DIR/bin"
printf '#!/bin/sh\necho "initdb: error: the disk is full" >&2\nexit 1\n' >"$DIR/bin/initdb"
chmod 755 "$DIR" "$DIR/bin" "$DIR/bin/initdb" # as root, nobody runs it
SEODONG_PG_BINDIR=$DIR/bin exits=1 checked bash "$SERVER" start "$PG" >"$DIR/url" 2>"$DIR/err"
expect failed-start-said "$(cat "$DIR/err")" "the disk is full"
equal failed-start-no-url "$(cat "$DIR/url")" ""
gone failed-start-cleans "$PG"

exits=2 checked bash "$SERVER" start 2>/dev/null
exits=2 checked bash "$SERVER" createdb "$PG" 2>/dev/null
exits=2 checked bash "$SERVER" launch "$PG" 2>/dev/null
exits=1 checked bash "$SERVER" createdb "$PG" some_db 2>"$DIR/err"
expect createdb-no-server "$(cat "$DIR/err")" "no server is running"

checks_done test_pg_server
