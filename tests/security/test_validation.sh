#!/usr/bin/env bash
# What the web edge refuses, each in the issue's reproduction first: lat=nan&long=nan was filed
# with the place "nan,nan"; description=before%00after was cut at the NUL and filed (201);
# GET requests never returned lat/long; the discovery url was relative without base_url;
# phone=-99999999999 was taken; start_date took 31 February and a +99:99 offset; a Korean
# description of more than about 50 characters was refused as "not a form". Refusals are
# Open311's error list (or plain 400 elsewhere) and store nothing; the coordinates are stored in
# their own columns, also after the upgrade of a schema-2 database (and the site column after
# that of a schema-3 one).
. "${SEODONG_SOURCE_DIR:?}/tests/security/lib.sh"
export SEODONG_NOW=2026-11-25T10:00

cat >"$DIR/seodong.conf" <<'EOF'
[web]
threads = 2
base_url = https://seodong.example.kr/
track_per_minute = 100000
filing_per_minute = 100000
EOF
KEY=$(sd 0 staff apikey issue validation)
serve web "$DIR/seodong.conf" || { suite_done security_validation; exit 1; }
O=$BASE/open311/v2
complaints() { sqlite3 "$SEODONG_DB" 'select count(*) from complaints'; }
file() { # file FIELDS...: POST requests.json with the key and a noise complaint; "BODY STATUS"
    local args=(--data-urlencode "api_key=$KEY" -d service_code=noise)
    local f
    for f in "$@"; do args+=(--data-urlencode "$f"); done
    curl -s -w ' %{http_code}' "${args[@]}" "$O/requests.json"
}
file_raw() { # file_raw BODY-SUFFIX: POST with a body written as is (percent escapes kept)
    curl -s -w ' %{http_code}' --data-binary "api_key=$KEY&service_code=noise&$1" "$O/requests.json"
}
error() { printf '[{"code":%s,"description":"%s"}] %s' "$1" "$2" "$1"; }

# ---- coordinates ----
before=$(complaints)
bad_degrees=$(error 400 "lat and long must be decimal degrees (WGS84)")
for pair in "nan nan" "inf 126.6" "37.5 -inf" "1e400 126.6" "0x25p0 126.6" "' 37.5' 126.6" \
    "37.5abc 126.6" "37.5 126,6"; do
    eval "set -- $pair"
    is "coords-$1-$2" "$(file "lat=$1" "long=$2" description=x)" "$bad_degrees"
done
outside=$(error 400 "lat and long must lie in Incheon Seo-gu (37.44-37.68 N, 126.50-126.78 E)")
is coords-south "$(file lat=37.40 long=126.65 description=x)" "$outside"      # Songdo
is coords-east "$(file lat=37.55 long=127.00 description=x)" "$outside"       # Seoul
is coords-zero "$(file lat=0 long=0 description=x)" "$outside"
is coords-antipode "$(file lat=-37.5 long=-53.3 description=x)" "$outside"
is coords-alone "$(file lat=37.5 description=x)" "$(error 400 "lat and long go together")"
is coords-nothing-stored "$(complaints)" "$before"
is coords-nan-never "$(sqlite3 "$SEODONG_DB" "select count(*) from complaints where place like '%nan%'")" 0

out=$(file lat=37.5453 long=126.6761 'description=가로등이 꺼졌어요' 'attribute[public]=true')
is coords-filed "${out##* }" 201
id=$(sed -n 's/.*"service_request_id":"\([^"]*\)".*/\1/p' <<<"$out")
is coords-stored "$(sqlite3 "$SEODONG_DB" "select lat, lon from complaints where receipt = '$id'")" \
    "37.5453|126.6761"
contains coords-json "$(curl -s "$O/requests/$id.json")" '"zipcode":"","lat":37.5453,"long":126.6761,"media_url":""'
contains coords-xml "$(curl -s "$O/requests/$id.xml")" "<lat>37.5453</lat><long>126.6761</long>"
contains coords-listing "$(curl -s "$O/requests.json")" '"lat":37.5453,"long":126.6761'
out=$(file 'address_string=청라동 123-4' 'description=x' 'attribute[public]=true')
id2=$(sed -n 's/.*"service_request_id":"\([^"]*\)".*/\1/p' <<<"$out")
lacks coords-none-without "$(curl -s "$O/requests/$id2.json")" '"lat"'
long_address=$(printf '청라동%.0s' $(seq 50))
is address-too-long "$(file "address_string=$long_address" description=x)" \
    "$(error 400 "address_string is longer than 127 bytes")"

# A long Korean description (477 bytes, under the 500 allowed) reaches the store whole: its
# form value arrives in pieces cut inside characters, which used to fail the whole form.
korean=$(printf '가로등%.0s' $(seq 53))
out=$(file address_string=x "description=$korean")
is long-korean-filed "${out##* }" 201
id5=$(sed -n 's/.*"service_request_id":"\([^"]*\)".*/\1/p' <<<"$out")
is long-korean-kept "$(sqlite3 "$SEODONG_DB" "select detail from complaints where receipt = '$id5'")" "$korean"
is not-utf8 "$(file_raw 'address_string=x&description=a%FFb')" \
    "$(error 400 "the body must be a form (application/x-www-form-urlencoded)")"

# ---- control characters ----
before=$(complaints)
is nul-description "$(file_raw 'address_string=x&description=before%00after')" \
    "$(error 400 "description holds a control character")"
is esc-address "$(file_raw 'address_string=x%1B%5B2J&description=y')" \
    "$(error 400 "address_string holds a control character")"
is del-description "$(file_raw 'address_string=x&description=a%7Fb')" \
    "$(error 400 "description holds a control character")"
is c1-description "$(file_raw 'address_string=x&description=a%C2%85b')" \
    "$(error 400 "description holds a control character")"
is nul-xml "$(curl -s -w ' %{http_code}' --data-binary "api_key=$KEY&service_code=noise&address_string=x&description=a%00" "$O/requests.xml")" \
    '<?xml version="1.0" encoding="UTF-8"?>
<errors><error><code>400</code><description>description holds a control character</description></error></errors>
 400'
is nul-query "$(curl -s -w ' %{http_code}' "$O/requests.json?service_code=noise%00x")" \
    "$(error 400 "service_code holds a control character")"
is control-nothing-stored "$(complaints)" "$before"
out=$(file_raw 'address_string=x&description=line%0Aand%09tab')
is lines-and-tabs-are-text "${out##* }" 201
is nul-track "$(http_status "$BASE/track?receipt=SG-2026-000001%00&digits=1234")" 400
is nul-staff "$(http_status "$BASE/staff/signin" --data-binary 'login=kim%00&password=x&csrf=y')" 400
kakao_answer=$(curl -s -w ' %{http_code}' -H 'Content-Type: application/json' \
    -d '{"userRequest":{"utterance":"a\u001b[2Jb","user":{"id":"u1"}}}' "$BASE/kakao/skill")
is control-kakao "$kakao_answer" \
    '{"error":"bad_request","message":"userRequest.utterance and userRequest.user.id hold no control characters"} 400'
is nul-kakao "$(http_status "$BASE/kakao/skill" -H 'Content-Type: application/json' \
    -d '{"userRequest":{"utterance":"a\u0000b","user":{"id":"u1"}}}')" 400

# ---- dates ----
bad_start=$(error 400 "start_date must be a W3C datetime")
for date in 2026-02-31 2026-02-29 2027-02-29 2026-04-31 2026-13-01 2026-00-10 2026-11-00 \
    '2026-11-25T00:00:00+99:99' '2026-11-25T00:00:00+14:30' '2026-11-25T00:00:00-14:01' \
    '2026-11-25T00:00:00+05:60' '2026-11-25T24:00' '2026-11-25T10:61' ' 2026-11-25' \
    '+2026-11-25' 2026-1-25 '2026-11-25T10:00:00.Z' '2026-11-25+09:00' 2026-11-25x; do
    is "date-$date" "$(curl -s -w ' %{http_code}' -G --data-urlencode "start_date=$date" "$O/requests.json")" "$bad_start"
done
for date in 2028-02-29 2000-02-29 2026-11-25T00:00:00+14:00 2026-11-25T00:00:00-12:00 \
    2026-11-25T00:00:00.250Z 2026-11-25T09:30 2026-12-31T23:59:59Z; do
    is "date-ok-$date" "$(http_status "$O/requests.json" -G --data-urlencode "start_date=$date")" 200
done
is date-end "$(curl -s -w ' %{http_code}' "$O/requests.xml?end_date=2026-02-30")" \
    '<?xml version="1.0" encoding="UTF-8"?>
<errors><error><code>400</code><description>end_date must be a W3C datetime</description></error></errors>
 400'
contains date-window "$(curl -s -G --data-urlencode 'start_date=2026-11-25T00:00:00+09:00' \
    --data-urlencode 'end_date=2026-11-26' "$O/requests.json")" "\"service_request_id\":\"$id\""

# ---- phone numbers by shape ----
bad_phone=$(error 400 "phone must be a Korean phone number (010-1234-5678)")
for phone in -99999999999 99999999999 010-1234-567 0101234567890 '+1 212 555 1234' call-me \
    1588-1234 '010-1234-5678-' '++82 10 1234 5678'; do
    is "phone-$phone" "$(file address_string=x description=y "phone=$phone")" "$bad_phone"
done
out=$(file address_string=x description=y 'phone=+82 10-2468-1357')
id3=$(sed -n 's/.*"service_request_id":"\([^"]*\)".*/\1/p' <<<"$out")
is phone-intl-stored "$(sqlite3 "$SEODONG_DB" "select phone from complaints where receipt = '$id3'")" 01024681357
out=$(file address_string=x description=y 'phone=(02) 123-4567')
id4=$(sed -n 's/.*"service_request_id":"\([^"]*\)".*/\1/p' <<<"$out")
is phone-seoul-stored "$(sqlite3 "$SEODONG_DB" "select phone from complaints where receipt = '$id4'")" 021234567

# ---- the discovery url is absolute ----
contains discovery-base "$(curl -s "$O/discovery.json")" '"url":"https://seodong.example.kr/open311/v2"'
stop_server web
printf '[web]\nthreads = 1\n' >"$DIR/plain.conf"
serve plain "$DIR/plain.conf" || { suite_done security_validation; exit 1; }
O=$BASE/open311/v2
contains discovery-host "$(curl -s -H 'Host: seodong.local:8080' "$O/discovery.json")" \
    '"url":"http://seodong.local:8080/open311/v2"'
contains discovery-xml "$(curl -s -H 'Host: seodong.local' "$O/discovery.xml")" \
    '<url>http://seodong.local/open311/v2</url>'
contains discovery-bad-host "$(curl -s -H 'Host: evil.example/x?' "$O/discovery.json")" \
    "\"url\":\"$BASE/open311/v2\""
contains discovery-no-host "$(curl -s -0 -H 'Host:' "$O/discovery.json")" "\"url\":\"$BASE/open311/v2\""
stop_server plain

# ---- a schema-2 database gets the coordinate columns ----
old="$DIR/v2.db"
sd 0 kb stats --db "$old" >/dev/null
sqlite3 "$old" 'ALTER TABLE complaints DROP COLUMN lat; ALTER TABLE complaints DROP COLUMN lon;
    ALTER TABLE complaints DROP COLUMN site; PRAGMA user_version = 2;'
is v2-made "$(sqlite3 "$old" "select count(*) from pragma_table_info('complaints') where name in ('lat', 'lon')")" 0
sd 0 kb stats --db "$old" >/dev/null
is v2-upgraded "$(sqlite3 "$old" "select count(*) from pragma_table_info('complaints') where name in ('lat', 'lon')")" 2
is v2-version "$(sqlite3 "$old" 'PRAGMA user_version')" 5

# ---- a schema-3 database gets the site column, its complaints filed at none ----
old="$DIR/v3.db"
sd 0 kb stats --db "$old" >/dev/null
sqlite3 "$old" 'ALTER TABLE complaints DROP COLUMN site; PRAGMA user_version = 3;'
is v3-made "$(sqlite3 "$old" "select count(*) from pragma_table_info('complaints') where name = 'site'")" 0
sd 0 kb stats --db "$old" >/dev/null
is v3-upgraded "$(sqlite3 "$old" "select count(*) from pragma_table_info('complaints') where name = 'site'")" 1
is v3-version "$(sqlite3 "$old" 'PRAGMA user_version')" 5

# ---- a schema-4 database gets the staff sessions' table ----
old="$DIR/v4.db"
sd 0 kb stats --db "$old" >/dev/null
sqlite3 "$old" 'DROP TABLE staff_sessions; PRAGMA user_version = 4;'
sd 0 kb stats --db "$old" >/dev/null
is v4-upgraded "$(sqlite3 "$old" "select count(*) from sqlite_master where name = 'staff_sessions'")" 1
is v4-version "$(sqlite3 "$old" 'PRAGMA user_version')" 5

suite_done security_validation
