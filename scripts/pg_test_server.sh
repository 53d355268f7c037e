#!/usr/bin/env bash
# pg_test_server.sh - a throw-away PostgreSQL server for the tests and benchmarks.
#
#   pg_test_server.sh start DIR          make a new cluster in DIR, start it; prints its URL
#   pg_test_server.sh stop DIR           stop it (fast shutdown) and remove DIR
#   pg_test_server.sh restart DIR        crash it (immediate shutdown) and start it again
#   pg_test_server.sh down DIR           stop it (fast shutdown), keeping DIR: the server is away
#   pg_test_server.sh crash DIR          crash it (immediate shutdown) and leave it down, DIR kept
#   pg_test_server.sh up DIR             start a cluster that is down or crashed again
#   pg_test_server.sh createdb DIR NAME  a fresh, empty database NAME (an old one is dropped); prints its URL
#
# How it works: initdb makes a cluster in DIR/data (trust authentication, UTF8, locale C, the
# superuser role "postgres"); the server listens on no TCP port at all, only on a Unix socket in
# DIR itself, so clusters of several test runs never meet, and pg_ctl starts it and waits until
# it accepts connections. fsync stays on: the benchmarks measure durable writes. The URL printed,
# postgresql:///postgres?host=DIR&user=postgres, is what libpq and psql take.
# PostgreSQL refuses to run as root; run as root, the server runs as the unprivileged user
# $SEODONG_PG_USER (default nobody, which every Debian system has), DIR belongs to it, and DIR's
# parents must let it through: keep DIR under /tmp. Run as anyone else, it runs as that user.
# The server's log is DIR/log. DIR must be new or empty; start writes a marker file into it, and
# stop and a later start remove only a DIR holding that marker (a cluster an interrupted run left
# behind is stopped and replaced by start). The server binaries are found with pg_config --bindir,
# else in the newest /usr/lib/postgresql/*/bin ($SEODONG_PG_BINDIR overrides both).
# Exit status: 0 done, 1 failure (with the reason on stderr), 2 wrong usage.
set -euo pipefail

PROG=${0##*/}
MARKER=.seodong-pg-test-cluster
ROLE=postgres
PORT=5432 # the socket's name, DIR/.s.PGSQL.5432; each cluster has a DIR of its own

die() { echo "$PROG: $*" >&2; exit 1; }
usage() {
    echo "usage: $PROG start DIR | stop DIR | restart DIR | down DIR | crash DIR | up DIR | createdb DIR NAME" >&2
    exit 2
}

find_bindir() { # the directory of initdb, pg_ctl, postgres and psql
    local dir candidates
    if [ -n "${SEODONG_PG_BINDIR:-}" ]; then
        [ -x "$SEODONG_PG_BINDIR/initdb" ] || die "SEODONG_PG_BINDIR=$SEODONG_PG_BINDIR has no initdb"
        echo "$SEODONG_PG_BINDIR"
        return
    fi
    # pg_config (libpq-dev) names the server's directory when client and server are one version.
    if dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return
    fi
    candidates=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$candidates" ] && [ -x "$candidates/initdb" ]; then
        echo "$candidates"
        return
    fi
    die "no PostgreSQL server found (no initdb in \`pg_config --bindir\` or /usr/lib/postgresql/*/bin).
Install it with scripts/deps.sh (Debian packages postgresql and libpq-dev), or set SEODONG_PG_BINDIR."
}

# The absolute path of DIR, refused when a socket in it would not fit in sun_path (107 bytes) or
# when it holds characters a URL would need to escape.
absolute_dir() {
    local dir
    dir=$(realpath -m -- "$1")
    case $dir in
    *[!A-Za-z0-9._/-]*) die "DIR '$dir' may hold only letters, digits and . _ - / (it goes into a URL)" ;;
    esac
    [ $((${#dir} + ${#PORT} + 10)) -le 107 ] || die "DIR '$dir' is too long for a Unix socket path (107 bytes): use a shorter one under /tmp"
    echo "$dir"
}

# Runs a server command as the cluster's owner: as root, as the unprivileged server user, from a
# folder it may enter; otherwise as ourselves.
as_server() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$SERVER_USER" -- "$@")
    else
        "$@"
    fi
}

# psql on the cluster as its superuser, whoever runs it, whatever PG* variables say.
sql() { # sql DIR DATABASE SQL
    env -u PGSERVICE -u PGPORT -u PGHOSTADDR -u PGPASSFILE PGOPTIONS='-c client_min_messages=warning' \
        "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -At "$(url "$1" "$2")" -c "$3"
}

url() { echo "postgresql:///$2?host=$1&user=$ROLE"; }

show_log() { # the end of the server's log, to say why it failed
    [ -f "$1/log" ] && { echo "--- the end of $1/log:"; tail -n 20 "$1/log"; } >&2
    return 0
}

server_user_setup() {
    SERVER_USER=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        SERVER_USER=${SEODONG_PG_USER:-nobody}
        id -u "$SERVER_USER" >/dev/null 2>&1 || die "user '$SERVER_USER' does not exist: PostgreSQL cannot run as root; set SEODONG_PG_USER to an unprivileged user"
        [ "$(id -u "$SERVER_USER")" -ne 0 ] || die "SEODONG_PG_USER=$SERVER_USER is root: PostgreSQL refuses to run as root"
        command -v runuser >/dev/null || die "runuser (util-linux) is missing: needed to run PostgreSQL as $SERVER_USER"
    fi
}

# The owner of an existing cluster: stop and restart act as whoever started it.
cluster_owner() {
    SERVER_USER=$(stat -c %U "$1/data")
    [ "$(id -u)" -eq 0 ] || [ "$SERVER_USER" = "$(id -un)" ] ||
        die "the cluster in $1 belongs to $SERVER_USER: stop it as $SERVER_USER or as root"
}

pg_ctl() { as_server "$BINDIR/pg_ctl" -D "$1/data" -s -t 300 "${@:2}"; }

alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# Stops the server, if its process is still there (after a reboot or a kill -9 there is only a
# stale PID file, which the next start ignores). pg_ctl stop returns once the server removed its
# PID file, a moment before the process is gone: wait for that too (a zombie counts as gone), so
# no process outlives stop and a restart's old server has left before the new one starts.
stop_server() { # stop_server DIR MODE
    local pid deadline=$((SECONDS + 300))
    pid=$(head -n 1 "$1/data/postmaster.pid")
    alive "$pid" || return 0
    pg_ctl "$1" -m "$2" -w stop || { show_log "$1"; die "the server in $1 did not stop"; }
    while alive "$pid"; do
        [ "$SECONDS" -lt "$deadline" ] || die "the server in $1 (process $pid) did not exit"
        sleep 0.05
    done
}

start() {
    local dir=$1
    server_user_setup
    if [ -e "$dir/$MARKER" ]; then
        echo "$PROG: $dir holds a cluster an earlier run left behind: stopping and removing it" >&2
        stop "$dir"
    fi
    if [ -d "$dir" ]; then
        [ -z "$(ls -A "$dir")" ] || die "$dir is not empty and is no test cluster of ours: give a new or empty directory"
    else
        mkdir -p "$dir" || die "cannot create $dir"
    fi
    touch "$dir/$MARKER"
    # A start that fails half-way leaves nothing behind: no server, no DIR.
    (make_cluster "$dir") || { stop "$dir"; exit 1; }
}

make_cluster() { # in a subshell: a die here ends only the subshell, and start cleans up
    local dir=$1
    if [ "$(id -u)" -eq 0 ]; then
        chown "$SERVER_USER": "$dir"
        chmod 700 "$dir"
        runuser -u "$SERVER_USER" -- test -w "$dir" -a -x "$dir" ||
            die "$SERVER_USER cannot reach $dir (one of its parent folders is closed to it): put DIR under /tmp"
    fi
    # --no-sync: the template files need no flush to disk; the running server flushes every commit.
    if ! as_server "$BINDIR/initdb" -D "$dir/data" -U "$ROLE" -A trust -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed in $dir/data (its output is above)"
    fi
    cat >>"$dir/data/postgresql.conf" <<EOF

# A throw-away test cluster (scripts/pg_test_server.sh): a Unix socket in its own folder only.
listen_addresses = ''
unix_socket_directories = '$dir'
port = $PORT
fsync = on
synchronous_commit = on
shared_buffers = 32MB
max_connections = 200
EOF
    pg_ctl "$dir" -l "$dir/log" -w start || { show_log "$dir"; die "the server in $dir did not start"; }
    url "$dir" postgres
}

stop() {
    local dir=$1
    [ -e "$dir" ] || return 0
    [ -e "$dir/$MARKER" ] || die "$dir is no test cluster of ours (no $MARKER): not removing it"
    if [ -f "$dir/data/postmaster.pid" ]; then
        cluster_owner "$dir"
        stop_server "$dir" fast
    fi
    rm -rf -- "$dir"
}

# The server away for a while (a test of what devices do without it), and back (up): DIR stays.
# halt DIR MODE: "fast" is a clean shutdown (down); "immediate" is a crash, with no checkpoint,
# so the next start recovers from the WAL (crash).
halt() {
    local dir=$1
    server_user_setup
    [ -e "$dir/$MARKER" ] || die "$dir is no test cluster of ours: start one with \`$PROG start $dir\`"
    cluster_owner "$dir"
    if [ -f "$dir/data/postmaster.pid" ]; then
        stop_server "$dir" "$2"
    fi
}

up() {
    local dir=$1
    server_user_setup
    [ -e "$dir/$MARKER" ] || die "$dir is no test cluster of ours: start one with \`$PROG start $dir\`"
    cluster_owner "$dir"
    pg_ctl "$dir" -l "$dir/log" -w start || { show_log "$dir"; die "the server in $dir did not start again"; }
}

createdb() {
    local dir=$1 name=$2
    [[ $name =~ ^[A-Za-z0-9_-]{1,63}$ ]] || die "database name '$name': use 1 to 63 letters, digits, _ or -"
    [ "$name" != postgres ] && [ "$name" != template0 ] && [ "$name" != template1 ] ||
        die "'$name' is one of the cluster's own databases: choose another name"
    [ -S "$dir/.s.PGSQL.$PORT" ] || die "no server is running in $dir: start one with \`$PROG start $dir\`"
    sql "$dir" postgres "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
    sql "$dir" postgres "CREATE DATABASE \"$name\"" >/dev/null
    url "$dir" "$name"
}

[ $# -ge 2 ] || usage
command=$1
DIR=$(absolute_dir "$2")
case $command in
start | stop | restart | down | crash | up) [ $# -eq 2 ] || usage ;;
createdb) [ $# -eq 3 ] || usage ;;
*) usage ;;
esac
BINDIR=$(find_bindir)
case $command in
start) start "$DIR" ;;
stop) stop "$DIR" ;;
restart) halt "$DIR" immediate && up "$DIR" ;;
down) halt "$DIR" fast ;;
crash) halt "$DIR" immediate ;;
up) up "$DIR" ;;
createdb) createdb "$DIR" "$3" ;;
esac
