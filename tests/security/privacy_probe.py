#!/usr/bin/env python3
"""privacy_probe.py - files personal numbers through every public door of a running
`seodong serve` and looks for them in every public answer.

    python3 privacy_probe.py BASE_URL API_KEY SEED

A seeded generator (its own, independent of pii.c) writes phone numbers in the ways people
write them (separators of every kind, full-width, circled and mathematical digits, Korean and
English number words, +82 and 0082, brackets, particles), e-mail addresses and resident
registration numbers, and files them:
  - through Open311 (POST requests.json), in description AND address_string, all public, half
    of them also by coordinates, some with a phone field (so that /track needs its digits);
  - through the KakaoTalk skill, in the detail and in a place given in the resident's words,
    then asking for the status.
Then every public answer is read: the Open311 listing and each request (JSON and XML), the
tracking page of each complaint, and every Kakao reply. A planted number must not be readable
in any of them, in any digit form (the oracle maps every Unicode digit, Korean and English
number word to ASCII and drops separators before looking); the numbers residents need
(receipt numbers, dates, house numbers) must still be there. Prints what failed; exits 1 then.
Also writes the planted secrets to planted.txt beside this run (argument 4, optional) so the
caller can look for them in logs.
"""
import html
import json
import random
import sys
import unicodedata
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

BASE, KEY, SEED = sys.argv[1], sys.argv[2], int(sys.argv[3])
PLANTED_FILE = sys.argv[4] if len(sys.argv) > 4 else None
rng = random.Random(SEED)
failures = []
checked = 0

HANGUL = {0: ["공", "영", "빵"], 1: ["일"], 2: ["이"], 3: ["삼"], 4: ["사"], 5: ["오"],
          6: ["육", "륙"], 7: ["칠"], 8: ["팔"], 9: ["구"]}
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SEPARATORS = ["-", " ", " - ", ".", "\u2013", "\u2014", "\u2012", "\u2015", "\u2212", "\uff0d",
              "\ufe63", "\u2010", "\u2011", "\u00b7", "\u318d", "/", "_", "~", "\u00a0",
              "\u3000", "\u200b", " . ", "  ", ""]


def write(digits, form):
    if form == "ascii":
        return digits
    if form == "full":
        return "".join(chr(0xFF10 + int(d)) for d in digits)
    if form == "circled":
        return "".join("\u24ea" if d == "0" else chr(0x2460 + int(d) - 1) for d in digits)
    if form == "math":
        return "".join(chr(0x1D7CE + 10 * rng.randrange(5) + int(d)) for d in digits)
    if form == "hangul":
        return "".join(rng.choice(HANGUL[int(d)]) for d in digits)
    return " ".join(WORDS[int(d)] for d in digits)


def phone():
    """(text as written, secret digits, national digits or None when the field would refuse)"""
    if rng.random() < 0.6:
        prefix = rng.choice(["010", "010", "010", "011", "016", "019"])
    else:
        prefix = rng.choice(["02", "031", "032", "041", "051", "062", "064", "070"])
    four = prefix in ("010", "070") or rng.random() < 0.5
    middle = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(3 if four else 2))
    last = "".join(str(rng.randrange(10)) for _ in range(4))
    forms = ["ascii", "full", "circled", "math", "hangul", "words"]
    form = rng.choice(forms)
    groups = [prefix, middle, last]
    group_forms = [form if rng.random() < 0.6 else rng.choice(forms) for _ in groups]
    intl = rng.randrange(6)
    sep = rng.choice(SEPARATORS)
    out = ""
    if intl == 0:
        out = rng.choice(["+82 ", "+82-", "\uff0b\uff18\uff12 "])
        groups[0] = groups[0][1:]
    elif intl == 1:
        out = "0082-"
        groups[0] = groups[0][1:]
    elif intl == 2:
        out = "82-"
        groups[0] = groups[0][1:]
    brackets = intl > 2 and rng.random() < 0.2
    for i, g in enumerate(groups):
        text = write(g, group_forms[i])
        out += "(" + text + ")" if i == 0 and brackets else text
        if i < 2:
            words = "words" in (group_forms[i], group_forms[i + 1])
            out += " " if sep == "" and words else sep
    return out, middle + last, prefix + middle + last if intl != 2 else None


def registration():
    front = "%02d%02d%02d" % (rng.randrange(100), rng.randrange(1, 13), rng.randrange(1, 29))
    back = str(rng.randrange(1, 5)) + "".join(str(rng.randrange(10)) for _ in range(6))
    join = rng.choice(["-", "", " ", " - ", "\u2013"])
    if rng.random() < 0.25:
        return front + join + back[0] + "******", front + back[0]
    return front + join + back, back


def email():
    local = rng.choice("abcdefghijklmnopqrstuvwxyz") + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789._") for _ in range(rng.randrange(3, 9))) \
        + rng.choice("abcdefghijklmnopqrstuvwxyz")
    at = rng.choice(["@", "@", " @ ", "\uff20", "(at)"])
    return local + at + rng.choice(["naver.com", "gmail.com", "daum.net", "korea.kr"]), local


def planted_item():
    """(text, secret): a secret of digits, or of letters for an e-mail's local part."""
    kind = rng.random()
    before = rng.choice(["", "연락처 ", "전화 ", "tel: ", "call ", "번호는 ", "메일 "])
    after = rng.choice(["", "로 연락 주세요", "이에요", "입니다", "번으로", " please", "이고요"])
    if kind < 0.6:
        text, secret, _ = phone()
    elif kind < 0.8:
        text, secret = registration()
    else:
        text, secret = email()
    return before + text + after, secret


KEEPERS = ["2026-11-25", "2026.11.25.", "14:30", "123-4", "가정동 123-45번지", "101동 1502호",
           "15,000원", "1588-1234", "120", "12가 3456", "공사 일이 끝나면", "이사 오는 날",
           "오일 교환소", "청라동 공원 앞", "the streetlight is out"]
PLACES = ["청라동", "가정동", "석남동", "검단동", "연희동", "신현동", "가좌동"]


def oracle(text):
    """Every digit form as ASCII, separators gone, letters folded."""
    out = []
    text = html.unescape(text)
    i = 0
    while i < len(text):
        word = next((w for w in WORDS if text[i:i + len(w)].lower() == w), None)
        if word:
            out.append(str(WORDS.index(word)))
            i += len(word)
            continue
        c = text[i]
        value = next((d for d, syl in HANGUL.items() if c in syl), None)
        if value is None:
            try:
                value = unicodedata.digit(c)
            except ValueError:
                value = None
        if value is not None:
            out.append(str(value))
        elif not (unicodedata.category(c) in ("Zs", "Pd", "Cf") or c in "-./()_~+\uff0b\u00b7\u318d\uff0e"):
            out.append(c.lower())
        i += 1
    return "".join(out)


def check_public(where, body, secrets):
    global checked
    readable = oracle(body)
    plain = html.unescape(body).lower()
    for secret in secrets:
        checked += 1
        if secret.isdigit() and secret in readable:
            failures.append("%s: %s readable" % (where, secret))
        elif not secret.isdigit() and secret.lower() in plain:
            failures.append("%s: %s shown" % (where, secret))


def request(method, path, data=None, headers=None):
    body = None
    if data is not None:
        body = data if isinstance(data, bytes) else urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def expect(where, got, want):
    global checked
    checked += 1
    if got != want:
        failures.append("%s: got %r, want %r" % (where, got, want))


# ---- Open311 ----
filed = []  # (receipt, secrets, keepers, digits for /track or "")
all_secrets = []
cases = [("연락처 010-9876-5432 청라동",
          "밤마다 소음 010 - 9876 - 5432, 010\u20139876\u20135432, \uff10\uff11\uff10\uff0d\uff19\uff18\uff17\uff16\uff0d\uff15\uff14\uff13\uff12",
          ["98765432"], [])]
for _ in range(60):
    items = [planted_item() for _ in range(rng.randrange(1, 3))]
    keepers = rng.sample(KEEPERS, 2)
    address_item = planted_item()
    address = rng.choice(PLACES) + " " + address_item[0]
    description = ", ".join([keepers[0]] + [t for t, _ in items] + [keepers[1]])
    cases.append((address, description, [s for _, s in items] + [address_item[1]], keepers))

for n, (address, description, secrets, keepers) in enumerate(cases):
    form = {"api_key": KEY, "service_code": rng.choice(["noise", "illegal_parking", "streetlight"]),
            "address_string": address, "description": description, "attribute[public]": "true"}
    if n % 2:
        form["lat"], form["long"] = "%.6f" % rng.uniform(37.47, 37.64), "%.6f" % rng.uniform(126.56, 126.72)
    digits = ""
    if n % 3 == 0:
        _, _, national = phone()
        while national is None:
            _, _, national = phone()
        form["phone"] = national
        digits = national[-4:]
        secrets = secrets + [national[-8:]]
    status, body = request("POST", "/open311/v2/requests.json", form)
    expect("file %d" % n, status, 201)
    if status != 201:
        continue
    receipt = json.loads(body)[0]["service_request_id"]
    filed.append((receipt, secrets, keepers, digits))
    all_secrets += secrets
    check_public("filing answer %d" % n, body, secrets)

status, listing = request("GET", "/open311/v2/requests.json")
expect("listing", status, 200)
status, listing_xml = request("GET", "/open311/v2/requests.xml")
expect("listing xml", status, 200)
check_public("listing json", listing, all_secrets)
check_public("listing xml", listing_xml, all_secrets)
listed = {r["service_request_id"]: r for r in json.loads(listing)} if status == 200 else {}
xml_listed = {e.findtext("service_request_id"): e for e in ET.fromstring(listing_xml)}
for receipt, secrets, keepers, digits in filed:
    expect("listed %s" % receipt, receipt in listed and receipt in xml_listed, True)
    for keeper in keepers:
        checked += 1
        if keeper not in listed.get(receipt, {}).get("description", ""):
            failures.append("%s: '%s' lost from the description" % (receipt, keeper))
    for fmt in ("json", "xml"):
        status, body = request("GET", "/open311/v2/requests/%s.%s" % (receipt, fmt))
        expect("%s.%s" % (receipt, fmt), status, 200)
        check_public("%s.%s" % (receipt, fmt), body, secrets)
    query = urllib.parse.urlencode({"receipt": receipt, "digits": digits})
    status, page = request("GET", "/track?" + query)
    expect("track %s" % receipt, status, 200)
    check_public("track %s" % receipt, page, secrets)
    checked += 1
    if receipt not in html.unescape(page):
        failures.append("track %s: the receipt is not on its page" % receipt)


# ---- KakaoTalk ----
def kakao(user, utterance):
    body = json.dumps({"userRequest": {"utterance": utterance, "user": {"id": user},
                                       "timezone": "Asia/Seoul", "lang": "kr"},
                       "bot": {"id": "bot"}, "action": {"params": {}}}, ensure_ascii=False)
    status, answer = request("POST", "/kakao/skill", body.encode(), {"Content-Type": "application/json"})
    expect("kakao %s" % user, status, 200)
    return json.loads(answer)["template"]["outputs"][0]["simpleText"]["text"] if status == 200 else ""


for n in range(12):
    user = "privacy-%d" % n
    detail_item, place_item = planted_item(), planted_item()
    secrets = [detail_item[1], place_item[1]]
    all_secrets += secrets
    replies = []
    if n % 2:  # the category first, then a place in the resident's own words
        replies.append(kakao(user, "민원 신고할게요"))
        replies.append(kakao(user, "소음"))
        replies.append(kakao(user, "아파트 " + place_item[0]))
    else:
        replies.append(kakao(user, "청라동 공원 앞에 불법 주차 신고할게요"))
    replies.append(kakao(user, "흰색 차가 인도를 막고 있어요 " + detail_item[0]))
    replies.append(kakao(user, "익명"))
    replies.append(kakao(user, "네"))
    receipt = next((r.split("접수번호는 ")[1][:14] for r in replies if "접수번호는 " in r), None)
    expect("kakao %s filed" % user, receipt is not None, True)
    if receipt:
        replies.append(kakao(user, receipt + " 어떻게 됐어요?"))
        status, page = request("GET", "/track?" + urllib.parse.urlencode({"receipt": receipt}))
        expect("kakao track %s" % receipt, status, 200)
        check_public("kakao track %s" % receipt, page, secrets)
    for k, reply in enumerate(replies):
        check_public("kakao %s reply %d" % (user, k), reply, secrets)

if PLANTED_FILE:
    with open(PLANTED_FILE, "w", encoding="utf-8") as f:
        f.write("\n".join(all_secrets) + "\n")
for failure in failures[:40]:
    print("FAIL " + failure, file=sys.stderr)
print("privacy probe: %d filings, %d checks, %d failed" % (len(filed), checked, len(failures)))
sys.exit(1 if failures else 0)
