#!/usr/bin/env bash
# with_pg.sh - runs one test against a real PostgreSQL (CMake's seodong_pg_test registers it so).
#
#   with_pg.sh NAME COMMAND [ARGS...]                 on the run's shared cluster
#   with_pg.sh --own-cluster NAME COMMAND [ARGS...]   on a cluster of the test's own
#
# The test gets a fresh, empty database NAME (an old one of that name is dropped first) and its
# URL in SEODONG_TEST_DB (postgresql:///NAME?host=SOCKETDIR&user=postgres, for libpq and psql).
# The shared cluster is the one ctest's fixture "postgres" started (postgres_start, stopped by
# postgres_stop) in $SEODONG_PG_CLUSTER; tests on it run side by side, so none of them may stop
# or restart it, and they are not told where it is. A test that crashes or restarts the server
# asks for its own cluster: it is started in $SEODONG_PG_CLUSTER-NAME (under /tmp, one per test
# and build directory, so a run that was killed leaves at most that one, which the next start
# replaces), named in SEODONG_TEST_PGDIR for `scripts/pg_test_server.sh restart
# "$SEODONG_TEST_PGDIR"`, and stopped and removed when the test ends. The test's exit status is
# kept; a cluster that will not stop afterwards fails the test.
set -euo pipefail

SERVER="$(cd "$(dirname "$0")/.." && pwd)/scripts/pg_test_server.sh"
usage() {
    echo "usage: ${0##*/} [--own-cluster] NAME COMMAND [ARGS...]" >&2
    exit 2
}
own=
if [ "${1:-}" = --own-cluster ]; then
    own=1
    shift
fi
[ $# -ge 2 ] || usage
name=$1
shift
cluster=${SEODONG_PG_CLUSTER:?SEODONG_PG_CLUSTER is not set: run this test through ctest (seodong_pg_test in CMakeLists.txt)}
unset SEODONG_TEST_PGDIR

if [ -z "$own" ]; then
    SEODONG_TEST_DB=$(bash "$SERVER" createdb "$cluster" "$name")
    export SEODONG_TEST_DB
    exec "$@"
fi

dir=$cluster-$name
trap 'bash "$SERVER" stop "$dir"; exit 1' INT TERM HUP
bash "$SERVER" start "$dir" >/dev/null
SEODONG_TEST_DB=$(bash "$SERVER" createdb "$dir" "$name") || {
    bash "$SERVER" stop "$dir"
    exit 1
}
export SEODONG_TEST_DB SEODONG_TEST_PGDIR=$dir
status=0
"$@" || status=$?
bash "$SERVER" stop "$dir" || { echo "${0##*/}: the cluster in $dir did not stop" >&2; status=1; }
exit "$status"
