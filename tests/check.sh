# check.sh - the assertions the shell tests share, sourced by them (the twin of check.h).
# Each call counts a check; a failure prints what was looked for and where, and counts too.
# The test ends with: checks_done NAME, which prints the counts and fails when any check did.
#
# Exact where exactness is meant: `equal` for counts, ids, HTTP codes and whole values,
# `exited` for an exit status. `expect` and `absent` look for a piece of prose in a longer text
# (a reply, a page, a log): a substring is what they are for, never a number.
#
# Every run of our programs goes through `seodong ARGS...` (or `checked PROGRAM ARGS...` for
# another of our binaries). Its exit status must be exactly $exits, 0 unless the call says
#   exits=1 seodong kb import bad.json
# and each run is a check of its own, counted even from inside a pipeline or $(...). A process
# the test starts in the background is started from the binary itself ("$SEODONG_BIN" ... &,
# so that $! is its PID and signals reach it), and its status is checked after `wait`.
#
# Sanitizers (the ASan + UBSan build): a report makes the process exit 86, a status no check
# wants, so even a report after the expected output, with stderr thrown away, fails the test.
# AddressSanitizer and LeakSanitizer reports are also written into the test's folder and
# printed by checks_done; UBSan writes its report to stderr whatever log_path says.
# Sourced after the test's DIR (its temporary folder) exists, when it has one.
fails=0 checks=0
if [ -n "${DIR:-}" ] && [ -d "$DIR" ]; then
    CHECK_DIR=$DIR/.check CHECK_OWN_DIR=
    mkdir -p "$CHECK_DIR"
else
    CHECK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/seodong-check.XXXXXX") CHECK_OWN_DIR=1
fi
: >"$CHECK_DIR/runs"
SANITIZER_EXIT=86
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$CHECK_DIR/sanitizer:exitcode=$SANITIZER_EXIT"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:exitcode=$SANITIZER_EXIT"
# Failures of runs are told on the test's own stderr, not into a $(...) capturing the run.
exec {CHECK_STDERR}>&2

status_words() { # status_words STATUS: the status, and what it means when it is not ours
    if [ "$1" = "$SANITIZER_EXIT" ]; then
        echo "$1 (a sanitizer report)"
    elif [ "$1" -gt 128 ] 2>/dev/null; then
        echo "$1 (killed by SIG$(kill -l $(($1 - 128)) 2>/dev/null || echo "nal $(($1 - 128))"))"
    else
        echo "$1"
    fi
}

expect() { # expect NAME HAYSTACK NEEDLE: the needle is in the haystack
    checks=$((checks + 1))
    if ! grep -qF -- "$3" <<<"$2"; then echo "FAIL $1: no '$3' in: ${2:0:600}" >&2; fails=$((fails + 1)); fi
}

absent() { # absent NAME HAYSTACK NEEDLE: the needle is not in the haystack
    checks=$((checks + 1))
    if grep -qF -- "$3" <<<"$2"; then echo "FAIL $1: '$3' should not be in: ${2:0:600}" >&2; fails=$((fails + 1)); fi
}

equal() { # equal NAME GOT WANT: the whole value
    checks=$((checks + 1))
    if [ "$2" != "$3" ]; then echo "FAIL $1: got '${2:0:600}', want '$3'" >&2; fails=$((fails + 1)); fi
}

exited() { # exited NAME GOT WANT: an exit status, exactly
    checks=$((checks + 1))
    if [ "$2" != "$3" ]; then echo "FAIL $1: exit status $(status_words "$2"), want $3" >&2; fails=$((fails + 1)); fi
}

checked() { # checked PROGRAM ARGS...: runs it; its exit status must be exactly ${exits:-0}
    local want=${exits:-0} rc
    "$@"
    rc=$?
    if [ "$rc" = "$want" ]; then
        echo pass >>"$CHECK_DIR/runs"
    else
        echo fail >>"$CHECK_DIR/runs"
        local words="${1##*/} ${*:2}"
        echo "FAIL exit status of '${words:0:300}': $(status_words "$rc"), want $want" >&"$CHECK_STDERR"
    fi
    return "$rc"
}

seodong() { checked "${SEODONG_BIN:?}" "$@"; }

wait_for() { # wait_for NAME COMMAND...: until COMMAND succeeds; after 60 s it is a failure
    local deadline=$((SECONDS + 60))
    checks=$((checks + 1))
    until "${@:2}"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "FAIL $1: still not so after 60 s: ${*:2}" >&2
            fails=$((fails + 1))
            return 1
        fi
        sleep 0.05
    done
}

checks_done() { # checks_done NAME: the counts, and the test's exit status
    local runs failed report
    runs=$(grep -c . "$CHECK_DIR/runs")
    failed=$(grep -c '^fail' "$CHECK_DIR/runs")
    checks=$((checks + runs + 1)) fails=$((fails + failed))
    for report in "$CHECK_DIR"/sanitizer.*; do
        [ -e "$report" ] || continue
        echo "FAIL sanitizer report ($report):" >&2
        cat "$report" >&2
        fails=$((fails + 1))
    done
    [ -n "$CHECK_OWN_DIR" ] && rm -rf "$CHECK_DIR"
    echo "$1: $checks checks ($runs exit statuses of runs), $fails failed"
    [ "$fails" -eq 0 ]
}
