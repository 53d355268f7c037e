#!/usr/bin/env bash
# The attacks that held when the web front was probed, kept so that none comes back: oversized
# bodies and headers, slow headers (slow-loris), path traversal, SQL and HTML injection, CSRF,
# session fixation, roles and departments. Each asks what the attacker would see and what
# changed in the store.
. "${SEODONG_SOURCE_DIR:?}/tests/security/lib.sh"
export SEODONG_NOW=2026-11-25T10:00
q() { sqlite3 "$SEODONG_DB" "$1"; }
state() { q "select state from complaints where receipt = '$1'"; }

sd 0 staff add kim --name 김환경 --dept environment --role officer >/dev/null
sd 0 staff add lee --name 이과장 --dept environment --role head >/dev/null
sd 0 staff add park --name 박주차 --dept parking --role officer >/dev/null
for who in kim lee park; do echo "$who-password-1" | sd 0 staff passwd "$who" >/dev/null; done
printf '청라동 공원 앞 소음 신고할게요\n공사 소음이 심해요 010-1234-5678\n네\n' >"$DIR/chat.in"
sd 0 chat <"$DIR/chat.in" >/dev/null
KEY=$(sd 0 staff apikey issue probes)
cat >"$DIR/seodong.conf" <<'EOF'
[web]
threads = 2
idle_timeout_s = 2
signin_failures = 1000
track_per_minute = 100000
filing_per_minute = 100000
EOF
serve web "$DIR/seodong.conf" || { suite_done security_probes; exit 1; }
O=$BASE/open311/v2 S=$BASE/staff
complaints() { q 'select count(*) from complaints'; }

# ---- sizes ----
before=$(complaints)
head -c 70000 /dev/zero | tr '\0' a >"$DIR/big"
is body-announced "$(http_status "$O/requests.json" --data-binary @"$DIR/big")" 413
is body-chunked "$(http_status "$O/requests.json" -H 'Transfer-Encoding: chunked' --data-binary @"$DIR/big")" 413
is body-kakao "$(http_status "$BASE/kakao/skill" -H 'Transfer-Encoding: chunked' --data-binary @"$DIR/big")" 413
is header-big "$(http_status "$BASE/track" -H "X-Filler: $(head -c 40000 /dev/zero | tr '\0' b)")" 431
is sizes-nothing-stored "$(complaints)" "$before"

# ---- slow headers: 30 clients that never finish their headers hold no one up, and are dropped ----
python3 - "${BASE#http://}" <<'EOF' >"$DIR/slow.out"
import socket, sys, time, urllib.request
host, port = sys.argv[1].split(":")
slow = []
for _ in range(30):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /track HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    slow.append(s)
start = time.monotonic()
with urllib.request.urlopen("http://%s:%s/track" % (host, port), timeout=10) as r:
    print("served", r.status, "%.1f" % (time.monotonic() - start))
dropped = 0
deadline = time.monotonic() + 20
for s in slow:
    s.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        while s.recv(4096):
            pass  # whatever the server says before it closes
        dropped += 1
    except ConnectionResetError:
        dropped += 1
    except socket.timeout:
        pass
    s.close()
print("dropped", dropped, "within", "%.0f" % (time.monotonic() - start))
EOF
cat "$DIR/slow.out"
read -r _ status took <<<"$(sed -n 1p "$DIR/slow.out")"
is slow-others-served "$status" 200
ok slow-others-fast awk -v t="$took" 'BEGIN { exit !(t < 5) }'
read -r _ dropped _ within <<<"$(sed -n 2p "$DIR/slow.out")"
is slow-dropped "$dropped" 30

# ---- path traversal: nothing outside what is served ----
for path in /track/../../../../etc/passwd /open311/v2/requests/..%2F..%2F..%2Fetc%2Fpasswd.json \
    /%2e%2e/%2e%2e/etc/passwd /track.css/../seodong.db /open311/v2/../../../etc/passwd.json \
    /staff.css/..%2F..%2Fseodong.db; do
    out=$(curl -s --path-as-is "$BASE$path")
    lacks "traversal-passwd $path" "$out" "root:"
    lacks "traversal-db $path" "$out" "SQLite format"
done

# ---- SQL metacharacters are text ----
SQLI="' OR '1'='1' --"
is sql-open311-code "$(curl -s -G --data-urlencode "service_code=$SQLI" "$O/requests.json")" "[]"
is sql-open311-ids "$(curl -s -G --data-urlencode "service_request_id=x$SQLI" "$O/requests.json")" "[]"
is sql-track "$(http_status "$BASE/track" -G --data-urlencode "receipt=$SQLI" --data-urlencode "digits=1' OR '1")" 404
out=$(curl -s --data-urlencode "api_key=$KEY" -d service_code=noise -d address_string=x \
    --data-urlencode "description=$SQLI; DROP TABLE complaints; --" "$O/requests.json")
contains sql-filed "$out" '"service_request_id":"SG-2026-000002"'
is sql-kept "$(q "select detail from complaints where receipt = 'SG-2026-000002'")" "$SQLI; DROP TABLE complaints; --"
is sql-key "$(http_status "$O/requests.json" --data-urlencode "api_key=$SQLI" -d service_code=noise -d address_string=x -d description=y)" 403

# ---- HTML and XML injection are text ----
XSS='<script>alert(1)</script><img src=x onerror=alert(2)>]]><x/>'
out=$(curl -s --data-urlencode "api_key=$KEY" -d service_code=noise -d address_string=x \
    --data-urlencode "description=$XSS" -d 'attribute[public]=true' "$O/requests.json")
contains xss-filed "$out" '"service_request_id":"SG-2026-000003"'
page=$(curl -s "$BASE/track?receipt=SG-2026-000003")
contains xss-track-escaped "$page" "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
lacks xss-track-script "$page" "<script"
lacks xss-track-img "$page" "<img"
xml=$(curl -s "$O/requests/SG-2026-000003.xml")
ok xss-xml-well-formed python3 -c 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.argv[1].encode())' "$xml"
contains xss-xml-text "$xml" "&lt;script&gt;"

# ---- staff: CSRF, session fixation, roles and departments ----
cookie_of() { sed -n "s/^Set-Cookie: $1=\([0-9a-f]*\);.*/\1/p" | tr -d '\r'; }
signin() { # signin LOGIN PASSWORD [EXTRA-COOKIE]: the response headers
    local pre
    pre=$(curl -s -D - -o /dev/null "$S" | cookie_of sd_signin)
    curl -s -D - -o /dev/null -H "Cookie: sd_signin=$pre${3:+; $3}" --data-urlencode "csrf=$pre" \
        --data-urlencode "login=$1" --data-urlencode "password=$2" "$S/signin"
}
code() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sd_session=$1" "$S$2"; }
csrf_of() { curl -s -H "Cookie: sd_session=$1" "$S" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
post() { # post SESSION PATH FIELDS...: status code
    local sess=$1 path=$2 f args=()
    shift 2
    for f in "$@"; do args+=(--data-urlencode "$f"); done
    curl -s -o "$DIR/last" -w '%{http_code}' -H "Cookie: sd_session=$sess" "${args[@]}" "$S$path"
}

is csrf-signin-no-token "$(http_status "$S/signin" -d 'login=kim&password=kim-password-1')" 403
FIXED=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
KIM=$(signin kim kim-password-1 "sd_session=$FIXED" | cookie_of sd_session)
is fixation-fresh-id "${#KIM}" 64
ok fixation-not-adopted test "$KIM" != "$FIXED"
is fixation-refused "$(code "$FIXED" /list)" 303
is fixation-new-works "$(code "$KIM" /list)" 200
LEE=$(signin lee lee-password-1 | cookie_of sd_session)
PARK=$(signin park park-password-1 | cookie_of sd_session)
KT=$(csrf_of "$KIM") LT=$(csrf_of "$LEE") PT=$(csrf_of "$PARK")
is csrf-none "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim)" 403
is csrf-wrong "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim csrf=0000)" 403
is csrf-other-session "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim "csrf=$LT")" 403
is csrf-unchanged "$(state SG-2026-000001)" received
is role-officer-assigns-self "$(post "$KIM" /c/SG-2026-000001 action=assign officer=kim "csrf=$KT")" 303
is role-officer-approve "$(post "$KIM" /c/SG-2026-000001 action=approve "csrf=$KT")" 403
contains role-why "$(cat "$DIR/last")" "only the head of the department may approve"
is role-unchanged "$(state SG-2026-000001)" assigned
is dept-page "$(code "$PARK" /c/SG-2026-000001)" 403
is dept-action "$(post "$PARK" /c/SG-2026-000001 action=start "csrf=$PT")" 403
is dept-unchanged "$(state SG-2026-000001)" assigned
is traversal-audio "$(code "$KIM" /audio/..%2F..%2F..%2Fetc%2Fpasswd)" 404
stop_server web

suite_done security_probes
