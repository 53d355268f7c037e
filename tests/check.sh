# check.sh - the assertions the shell tests share, sourced by them (the twin of check.h).
# Each call counts a check; a failure prints what was looked for and where, and counts too.
# The test ends with: checks_done NAME, which prints the counts and fails when any check did.
fails=0 checks=0

expect() { # expect NAME HAYSTACK NEEDLE: the needle is in the haystack
    checks=$((checks + 1))
    if ! grep -qF -- "$3" <<<"$2"; then echo "FAIL $1: no '$3' in: ${2:0:600}" >&2; fails=$((fails + 1)); fi
}

absent() { # absent NAME HAYSTACK NEEDLE: the needle is not in the haystack
    checks=$((checks + 1))
    if grep -qF -- "$3" <<<"$2"; then echo "FAIL $1: '$3' should not be in: ${2:0:600}" >&2; fails=$((fails + 1)); fi
}

equal() { # equal NAME GOT WANT
    checks=$((checks + 1))
    if [ "$2" != "$3" ]; then echo "FAIL $1: got '$2', want '$3'" >&2; fails=$((fails + 1)); fi
}

checks_done() { # checks_done NAME: the counts, and the test's exit status
    echo "$1: $checks checks, $fails failed"
    [ "$fails" -eq 0 ]
}
