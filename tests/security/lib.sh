# lib.sh - what the security suite's shell tests share, sourced by them.
#
# Assertions compare exactly unless their name says otherwise; each counts a check and a failure
# prints what was expected. Every run of the seodong binary goes through `sd` (or `serve`),
# which checks its exit status exactly and keeps its stderr, and at the end `suite_done` fails
# the test when any stderr holds a sanitizer's report. Checks and failures are counted in files,
# so that a check inside a pipeline or $( ) counts too. Waiting is by polling a condition with a
# deadline, never a fixed sleep; ports are the OS's free ones (127.0.0.1:0).
set -u
BIN=${SEODONG_BIN:?}
SRC=${SEODONG_SOURCE_DIR:?}
DIR=$(mktemp -d)
PIDS=()
: >"$DIR/.checks"
: >"$DIR/.fails"
export SEODONG_DB="$DIR/seodong.db"

suite_cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do { kill -9 "$pid" && wait "$pid"; } 2>/dev/null; done
    rm -rf "$DIR"
}
trap suite_cleanup EXIT

fail() { # fail NAME WHY
    echo "FAIL $1: $2" >&2
    echo "$1" >>"$DIR/.fails"
}

counted() { echo >>"$DIR/.checks"; }

is() { # is NAME GOT WANT: equal, exactly
    counted
    [ "$2" = "$3" ] || fail "$1" "got '${2:0:400}', want '$3'"
}

contains() { # contains NAME HAYSTACK NEEDLE: the needle is a part of the haystack
    counted
    case "$2" in *"$3"*) ;; *) fail "$1" "no '$3' in: ${2:0:600}" ;; esac
}

lacks() { # lacks NAME HAYSTACK NEEDLE: the needle is nowhere in the haystack
    counted
    case "$2" in *"$3"*) fail "$1" "'$3' should not be in: ${2:0:600}" ;; esac
}

ok() { # ok NAME COMMAND...: the command succeeds
    counted
    "${@:2}" || fail "$1" "'${*:2}' failed"
}

# sd WANT_STATUS ARGS...: runs seodong with ARGS (stdin as given), stdout to stdout; stderr is
# kept in a file $DIR/stderr.* for the sanitizer check, named in $SD_ERR (when not in a subshell).
SD_ERR=
sd() {
    local want=$1 rc
    shift
    SD_ERR=$(mktemp "$DIR/stderr.XXXXXX")
    "$BIN" "$@" 2>"$SD_ERR"
    rc=$?
    counted
    [ "$rc" = "$want" ] || fail "seodong $*" "exit status $rc, want $want: $(head -c 400 "$SD_ERR")"
    return 0
}

wait_until() { # wait_until SECONDS COMMAND...: polls the command until it succeeds
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.05
    done
}

lines_at_least() { # lines_at_least N FILE: the file exists and has N lines or more
    [ -f "$2" ] && [ "$(wc -l <"$2")" -ge "$1" ]
}

# serve NAME CONFIG: starts `seodong serve` on a free port with that settings file; BASE gets
# its address and SERVE_PID its process. Its stderr goes to $DIR/NAME.err.
serve() {
    local name=$1 config=$2
    "$BIN" serve --listen 127.0.0.1:0 --config "$config" >"$DIR/$name.out" 2>"$DIR/$name.err" &
    SERVE_PID=$!
    PIDS+=("$SERVE_PID")
    if ! wait_until 30 grep -q '^serving ' "$DIR/$name.out"; then
        fail "$name-start" "the server did not start: $(head -c 400 "$DIR/$name.err")"
        BASE=http://127.0.0.1:1
        return 1
    fi
    BASE=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$DIR/$name.out")
}

stop_server() { # stop_server NAME: SIGTERM, and the server must exit 0
    local rc
    kill -TERM "$SERVE_PID"
    wait "$SERVE_PID"
    rc=$?
    is "$1-exit" "$rc" 0
}

http_status() { # http_status URL CURL-ARGS...: the status code only
    local url=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' "$@" "$url"
}

suite_done() { # suite_done NAME: no sanitizer report in any stderr kept, then the counts
    local f
    for f in "$DIR"/*.err "$DIR"/stderr.*; do
        [ -f "$f" ] || continue
        counted
        if grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|UndefinedBehaviorSanitizer' "$f"; then
            fail "sanitizer" "report in $(basename "$f"): $(grep -m1 -E 'Sanitizer|runtime error' "$f")"
        fi
    done
    local checks fails
    checks=$(wc -l <"$DIR/.checks")
    fails=$(wc -l <"$DIR/.fails")
    echo "$1: $checks checks, $fails failed"
    [ "$fails" -eq 0 ]
}
