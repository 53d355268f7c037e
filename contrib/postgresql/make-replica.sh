#!/bin/sh
# make-replica.sh - make this host a streaming replica of the Seodong store's primary, with
# pg_basebackup -R (PostgreSQL 15). Run it on the replica host as the postgres system user,
# with the local server stopped:
#
#   sudo systemctl stop postgresql@15-main
#   sudo -u postgres contrib/postgresql/make-replica.sh 10.0.4.11 replica1
#   sudo systemctl start postgresql@15-main
#
# Arguments: PRIMARY (host name, address, or socket directory of the primary) and SLOT (the
# replication slot's name, also the replica's application_name: replica1, replica2).
# Environment: PGDATA (default Debian's /var/lib/postgresql/15/main), PGPORT (the primary's
# port, default 5432), PGUSER (default replicator; its password from ~postgres/.pgpass,
# "10.0.4.11:5432:replication:replicator:PASSWORD", which the replica keeps using to stream).
#
# What it does: moves the old data folder aside (never deletes it), copies the primary's data
# with the WAL streamed alongside (-X stream) through a new replication slot on the primary
# (-C -S SLOT: the primary keeps the WAL until this replica has it), and writes
# standby.signal and primary_conninfo (-R), so the server starts as a replica. The same
# settings (contrib/postgresql/seodong.conf) serve both roles. Also the way to turn a failed
# primary into the new primary's replica after a fail-over (contrib/postgresql/README.md).
set -eu

PRIMARY=${1:?usage: make-replica.sh PRIMARY [SLOT]}
SLOT=${2:-replica1}
PGDATA=${PGDATA:-/var/lib/postgresql/15/main}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-replicator}
BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

if [ -f "$PGDATA/postmaster.pid" ]; then
    echo "make-replica.sh: a server is running on $PGDATA: stop it first" \
        "(systemctl stop postgresql@15-main)" >&2
    exit 2
fi
if [ -d "$PGDATA" ] && [ -n "$(ls -A "$PGDATA")" ]; then
    old="$PGDATA.old-$(date +%Y%m%d-%H%M%S)"
    mv "$PGDATA" "$old"
    echo "make-replica.sh: the old data folder is now $old (remove it once the replica runs)"
fi
mkdir -p "$PGDATA"
chmod 700 "$PGDATA"

# A slot of that name left on the primary by an earlier copy would make -C fail: drop it
# first if this replica is made again (SELECT pg_drop_replication_slot('replica1') on the
# primary).
"$BIN/pg_basebackup" \
    --dbname="host=$PRIMARY port=$PGPORT user=$PGUSER application_name=$SLOT" \
    --pgdata="$PGDATA" --wal-method=stream --create-slot --slot="$SLOT" \
    --write-recovery-conf --checkpoint=fast --progress

echo "make-replica.sh: $PGDATA is a replica of $PRIMARY through slot $SLOT; start it" \
    "(systemctl start postgresql@15-main) and check on the primary:" \
    "SELECT application_name, state, replay_lag FROM pg_stat_replication;"
