#!/usr/bin/env bash
# test_pg_harness.sh - the harness that gives tests a real PostgreSQL (tests/with_pg.sh,
# scripts/pg_test_server.sh) does what the store's tests rely on. Through psql on the socket in
# SEODONG_TEST_DB: the database is the fresh one named for the test, reached over the Unix socket
# only, with fsync on; the server runs as an unprivileged user; a row one session commits is seen
# by another, and not before the commit.
# ctest runs it twice: postgres_harness on the run's shared cluster (which a test must not
# restart, so it is not told where it is), and postgres_harness_crash (--crash) on a cluster of
# its own, which it crashes (`pg_test_server.sh restart`) in the middle of a transaction: the
# committed row is there afterwards, the one in flight is not, the server is a new process that
# recovered from its WAL; and creating the database again empties it even while a session is
# still connected to it.
set -u
MODE=${1:-shared}
DB=${SEODONG_TEST_DB:?run through tests/with_pg.sh (ctest: postgres_harness)}
SERVER=${SEODONG_SOURCE_DIR:?}/scripts/pg_test_server.sh
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
. "$SEODONG_SOURCE_DIR/tests/check.sh"

q() { checked psql -X -q -At -v ON_ERROR_STOP=1 "${URL:-$DB}" -c "$1"; } # a session of its own
session() { checked psql -X -q -At -v ON_ERROR_STOP=1 "$DB" -f -; }      # one session, SQL on stdin
postmaster() { head -n 1 "$(q 'show data_directory')/postmaster.pid"; }
alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; }

name=${DB#postgresql:///}
name=${name%%\?*}
equal fresh-name "$(q 'select current_database()')" "$name"
equal fresh-empty "$(q "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = 'public'")" 0
equal unix-socket "$(q "select coalesce(host(inet_server_addr()), 'unix socket')")" "unix socket"
equal no-tcp "$(q 'show listen_addresses')" ""
equal fsync-on "$(q 'show fsync')" on

# The server's user: never root; as root, the unprivileged user pg_test_server.sh runs it as.
pid=$(postmaster)
server_uid=$(stat -c %u "/proc/$pid")
if [ "$(id -u)" -eq 0 ]; then
    equal server-user "$(id -un "$server_uid")" "${SEODONG_PG_USER:-nobody}"
else
    equal server-user "$server_uid" "$(id -u)"
fi
checks=$((checks + 1))
[ "$server_uid" -ne 0 ] || { echo "FAIL server-not-root: the server runs as root" >&2; fails=$((fails + 1)); }

# Two sessions: the second sees the first's row once it is committed, not before.
q "create table harness (id int primary key, what text not null)" >/dev/null
session <<EOF
BEGIN;
INSERT INTO harness VALUES (1, 'committed in session one');
\! psql -X -At "\$SEODONG_TEST_DB" -c 'select count(*) from harness' >$DIR/before-commit 2>&1
COMMIT;
\! psql -X -At "\$SEODONG_TEST_DB" -c 'select what from harness' >$DIR/after-commit 2>&1
EOF
equal uncommitted-unseen "$(cat "$DIR/before-commit")" 0
equal committed-seen "$(cat "$DIR/after-commit")" "committed in session one"

if [ "$MODE" = --crash ]; then
    PGDIR=${SEODONG_TEST_PGDIR:?postgres_harness_crash needs a cluster of its own (seodong_pg_test OWN_CLUSTER)}
    recoveries=$(grep -c 'automatic recovery in progress' "$PGDIR/log")
    # The crash comes in the middle of a transaction, from inside the session that holds it.
    session <<EOF
INSERT INTO harness VALUES (2, 'committed before the crash');
BEGIN;
INSERT INTO harness VALUES (3, 'in flight at the crash');
\! bash "$SERVER" restart "$PGDIR" >$DIR/restart 2>&1; echo \$? >$DIR/restart-status
EOF
    equal restart-status "$(cat "$DIR/restart-status")" 0
    equal restart-quiet "$(cat "$DIR/restart")" ""
    checks=$((checks + 1))
    ! alive "$pid" || { echo "FAIL crash: the old server (process $pid) is still running" >&2; fails=$((fails + 1)); }
    new_pid=$(postmaster)
    checks=$((checks + 1))
    [ "$new_pid" != "$pid" ] || { echo "FAIL crash: the server is still process $pid" >&2; fails=$((fails + 1)); }
    equal recovered "$(grep -c 'automatic recovery in progress' "$PGDIR/log")" $((recoveries + 1))
    equal rows-after-crash "$(q 'select id, what from harness order by id')" \
        "1|committed in session one
2|committed before the crash"

    # createdb again: the old database goes, even with a session still connected to it.
    URL=$(checked bash "$SERVER" createdb "$PGDIR" harness_again)
    q "create table leftover (x int)" >/dev/null
    checked psql -X -q -At "$URL" -f - <<EOF
\! bash "$SERVER" createdb "$PGDIR" harness_again >$DIR/again 2>&1; echo \$? >$DIR/again-status
EOF
    equal again-status "$(cat "$DIR/again-status")" 0
    equal again-url "$(cat "$DIR/again")" "$URL"
    equal again-empty "$(q "select count(*) from pg_tables where tablename = 'leftover'")" 0
else
    equal shared-not-told "${SEODONG_TEST_PGDIR-unset}" unset
fi

checks_done "postgres harness ($MODE)"
