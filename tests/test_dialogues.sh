#!/usr/bin/env bash
# The conversations residents have, as data: every tests/dialogues/*.txt (or the files named on
# the command line) is played through the real `seodong chat` on a fresh database of its own,
# and each reply is held to what the transcript says it must contain. The format is in
# tests/dialogues/README.md:
#   > what the resident types          < a piece the reply contains (several: in this order)
#   ! a piece the reply must not hold  = the whole reply (several = lines: its lines)
#   > ^D  the resident closes the chat  --- a new conversation on the same database
#   lang: ko|en|auto, now: 2026-11-25T14:30, site: and site_en: (the box's [device] site, in a
#   settings file of the transcript's own)  before a conversation's first line
# A mismatch prints the file and line, the conversation and turn, what was said, what came back
# and what was wanted. Run alone from the checkout:
#   SEODONG_BIN=build/seodong SEODONG_SOURCE_DIR=. bash tests/test_dialogues.sh [FILE...]
set -u
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
. "${SEODONG_SOURCE_DIR:?}/tests/check.sh"
# Only the transcript decides: no settings file, database, clock or secrets of the caller's.
unset SEODONG_CONFIG SEODONG_DB SEODONG_NOW SEODONG_GATEWAY_SECRET SEODONG_WEATHER_KEY
DEFAULT_NOW=2026-11-25T14:30 # a Wednesday afternoon, as in the C tests

fail() { # fail MESSAGE...: one failed check of this transcript, told on stderr
    fails=$((fails + 1)) file_failed=1
    printf '%s\n' "$@" >&2
}

malformed() { # malformed MESSAGE: the transcript cannot be read; a failed check too
    checks=$((checks + 1))
    fail "$@"
}

indented() { sed '2,$s/^/          /' <<<"$1"; } # a multi-line reply under its label

# The conversation being read: the lines said, and the expectations on their replies.
reset_conversation() {
    said=() kind=() text=() of_turn=() at_line=() closes=0
}

mismatch() { # mismatch TURN LINE GOT WANTED
    local what="said:   ${said[$1]}"
    [ "${said[$1]}" = "^D" ] && what="said:   (nothing more: the chat was closed)"
    fail "FAIL $name:$2, conversation $conversation, turn $(($1 + 1))" \
        "  $what" \
        "  got:    $(indented "${3:-(no reply)}")" \
        "  wanted: $4"
}

# Plays the conversation read so far (if it has lines) and holds every reply to the transcript.
play() {
    [ "${#said[@]}" -gt 0 ] || return 0
    conversation=$((conversation + 1))
    local args=(chat --db "$DB") typed=$((${#said[@]} - closes)) out rc i
    [ -n "$lang" ] && args+=(--lang "$lang")
    if [ -n "$site$site_en" ]; then
        printf '[device]\nsite = %s\nsite_en = %s\n' "$site" "$site_en" >"$DIR/settings.conf"
        args+=(--config "$DIR/settings.conf")
    fi
    out=$(for ((i = 0; i < typed; i++)); do printf '%b\n' "${said[i]}"; done |
        SEODONG_NOW=$now seodong "${args[@]}")
    rc=$? # a status other than 0 is counted and told by check.sh; say where it was
    if [ "$rc" != 0 ]; then
        echo "  (in $name, conversation $conversation)" >&2
        file_failed=1
    fi
    # The replies: blocks of lines, each ended by an empty line.
    local replies=() block="" line
    while IFS= read -r line || [ -n "$line" ]; do
        if [ -z "$line" ]; then
            replies+=("$block") block=""
        else
            block+=${block:+$'\n'}$line
        fi
    done < <([ -n "$out" ] && printf '%s\n' "$out")
    [ -n "$block" ] && replies+=("$block")
    # One reply per line typed, and one more at most when the transcript closes the chat.
    checks=$((checks + 1))
    if [ "${#replies[@]}" -lt "$typed" ] || [ "${#replies[@]}" -gt $((typed + 1)) ]; then
        fail "FAIL $name, conversation $conversation: ${#replies[@]} replies to $typed lines" \
            "  got:    $(indented "$out")"
        return
    fi
    if [ "${#replies[@]}" -gt "$typed" ] && [ "$closes" = 0 ]; then
        fail "FAIL $name, conversation $conversation: a reply when the chat closed, which the transcript does not expect (add '> ^D' and what it must say)" \
            "  got:    $(indented "${replies[typed]}")"
    fi
    local t k reply rest after exact exact_line
    for ((t = 0; t < ${#said[@]}; t++)); do
        reply=${replies[t]-} rest=${replies[t]-} after="" exact="" exact_line=""
        for ((k = 0; k < ${#kind[@]}; k++)); do
            [ "${of_turn[k]}" = "$t" ] || continue
            case ${kind[k]} in
            '<') # in the reply, after the piece before it
                checks=$((checks + 1))
                if [[ "$rest" == *"${text[k]}"* ]]; then
                    rest=${rest#*"${text[k]}"} after=${text[k]}
                elif [[ "$reply" == *"${text[k]}"* ]]; then
                    mismatch "$t" "${at_line[k]}" "$reply" "\"${text[k]}\" after \"$after\", not before it"
                else
                    mismatch "$t" "${at_line[k]}" "$reply" "\"${text[k]}\" in it"
                fi
                ;;
            '!')
                checks=$((checks + 1))
                [[ "$reply" != *"${text[k]}"* ]] ||
                    mismatch "$t" "${at_line[k]}" "$reply" "no \"${text[k]}\" in it"
                ;;
            '=')
                exact+=${exact_line:+$'\n'}${text[k]} exact_line=${exact_line:-${at_line[k]}}
                ;;
            esac
        done
        if [ -n "$exact_line" ]; then
            checks=$((checks + 1))
            [ "$reply" = "$exact" ] ||
                mismatch "$t" "$exact_line" "$reply" "exactly: $(indented "$exact")"
        fi
    done
}

# Reads one transcript and plays its conversations.
run_transcript() {
    local path=$1 n=0 line key value
    name=${path##*/} conversation=0 file_failed=0 lang="" now=$DEFAULT_NOW site="" site_en=""
    DB=$DIR/${name%.txt}.db
    reset_conversation
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        case $line in
        '' | '#'*) ;;
        '---'*)
            play
            reset_conversation
            ;;
        '>' | '> '*)
            if [ "$closes" = 1 ]; then
                malformed "FAIL $name:$n: a line after '> ^D'; start a new conversation with '---'"
                return
            fi
            said+=("${line:2}")
            [ "${line:2}" = "^D" ] && closes=1
            ;;
        '< '* | '! '* | '= '*)
            if [ "${#said[@]}" = 0 ]; then
                malformed "FAIL $name:$n: '${line:0:1}' before the conversation's first '>'"
                return
            fi
            kind+=("${line:0:1}") text+=("${line:2}") of_turn+=($((${#said[@]} - 1))) at_line+=("$n")
            ;;
        *:*)
            key=${line%%:*} value=${line#*:} value=${value# }
            if [ "${#said[@]}" -gt 0 ]; then
                malformed "FAIL $name:$n: '$key:' after the conversation began; settings come first"
                return
            fi
            case $key in
            lang) lang=$value ;;
            now) now=$value ;;
            site) site=$value ;;
            site_en) site_en=$value ;;
            *)
                malformed "FAIL $name:$n: no setting '$key' (lang, now, site, site_en)"
                return
                ;;
            esac
            ;;
        *)
            malformed "FAIL $name:$n: not a transcript line (> said, < contains, ! lacks, = is, ---, lang:, now:, site:, site_en:, #): $line"
            return
            ;;
        esac
    done <"$path"
    play
    if [ "$conversation" = 0 ]; then
        malformed "FAIL $name: no conversation ('> ' lines) in it"
    elif [ "$file_failed" = 0 ]; then
        echo "ok $name ($conversation conversation(s))"
    fi
}

transcripts=("$@")
[ "$#" -gt 0 ] || transcripts=("$SEODONG_SOURCE_DIR"/tests/dialogues/*.txt)
for path in "${transcripts[@]}"; do
    if [ ! -f "$path" ]; then
        malformed "FAIL $path: no such transcript"
        continue
    fi
    run_transcript "$path"
done
checks_done test_dialogues
