#!/usr/bin/env python3
"""fake_gateway.py - an AlimTalk-style gateway (NHN Cloud v2.3 shape) on 127.0.0.1 for tests.

    python3 fake_gateway.py DIR [--appkey K] [--secret S]

Listens on a free port and writes it to DIR/port. Every accepted message is appended to
DIR/accepted.jsonl ({"key", "templateCode", "recipientNo", "templateParameter"}); every POST,
whatever its fate, to DIR/requests.jsonl ({"key", "mode", "result"}).

  POST /alimtalk/v2.3/appkeys/K/messages   send; X-Secret-Key must be S. A repeated
                                           X-NC-API-IDEMPOTENCY-KEY fails (the first stands).
  GET  /alimtalk/v2.3/appkeys/K/messages?recipientGroupingKey=KEY   accepted messages of KEY
  POST /control/mode  (body: a mode)       how sends are answered from now on

Modes: ok; fail500; garbage (200, not JSON); bad-json (200, JSON of another shape); unsuccessful
(200, header.isSuccessful false); recipient-fail (200, the recipient's resultCode -1); hang
(answers nothing for 30 s); accept-then-close (accepts, then drops the connection unanswered);
slow (accepts, waits 0.5 s, answers ok); flaky (half the sends fail, in turn: 500, then accepted
after 0.2 s, then accepted with the connection dropped unanswered, then accepted after 0.2 s);
hold-after-N (answers the next N acceptances ok, then accepts each message and holds its answer
for 30 s). Lookups answer normally except in fail500, garbage and hang."""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    def __init__(self, folder, appkey, secret):
        self.folder = folder
        self.path = "/alimtalk/v2.3/appkeys/%s/messages" % appkey
        self.secret = secret
        self.mode = "ok"
        self.sends = 0  # POSTs of messages so far, for flaky
        self.answered = 0  # acceptances answered since the mode was set (hold-after-N)
        self.accepted = {}  # idempotency key -> message
        self.lock = threading.Lock()

    def log(self, name, record):
        with open(os.path.join(self.folder, name), "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()


def header(ok, code=0, message="success"):
    return {"resultCode": code, "resultMessage": message, "isSuccessful": ok}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        gw = self.server.gateway
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/control/mode":
            gw.mode = body.decode().strip()
            gw.answered = 0
            return self.answer(200, {"mode": gw.mode})
        if self.path != gw.path:
            return self.answer(404, {"header": header(False, -404, "no such path")})
        if self.headers.get("X-Secret-Key") != gw.secret:
            return self.answer(401, {"header": header(False, -401, "bad secret key")})
        key = self.headers.get("X-NC-API-IDEMPOTENCY-KEY", "")
        mode = gw.mode
        if mode == "flaky":
            with gw.lock:
                turn = gw.sends % 4
                gw.sends += 1
            mode = ("fail500", "slow-flaky", "accept-then-close", "slow-flaky")[turn]
        result = self.send_message(gw, mode, key, body)
        gw.log("requests.jsonl", {"key": key, "mode": mode, "result": result})

    def send_message(self, gw, mode, key, body):
        if mode == "hang":
            time.sleep(30)
            return "hung"
        if mode == "fail500":
            self.answer(500, b"internal error")
            return "500"
        if mode == "garbage":
            self.answer(200, b"<html>\x00\xff not json")
            return "garbage"
        if mode == "bad-json":
            self.answer(200, {"status": "maybe"})
            return "bad-json"
        if mode == "unsuccessful":
            self.answer(200, {"header": header(False, -9, "system error")})
            return "unsuccessful"
        try:
            req = json.loads(body)
            r = req["recipientList"][0]
            msg = {"key": key, "templateCode": req["templateCode"], "recipientNo": r["recipientNo"],
                   "templateParameter": r["templateParameter"]}
            assert r["recipientGroupingKey"] == key and req["senderKey"]
        except (ValueError, KeyError, IndexError, TypeError, AssertionError):
            self.answer(400, {"header": header(False, -400, "malformed request")})
            return "400"
        if mode == "recipient-fail":
            self.answer(200, {"header": header(True), "message": {"sendResults": [
                {"recipientSeq": 1, "resultCode": -1, "resultMessage": "invalid recipient"}]}})
            return "recipient-fail"
        with gw.lock:
            if key in gw.accepted:
                duplicate = True
            else:
                duplicate = False
                gw.accepted[key] = msg
                gw.log("accepted.jsonl", msg)
        if duplicate:
            self.answer(200, {"header": header(False, -2, "duplicate idempotency key")})
            return "duplicate"
        if mode == "accept-then-close":
            self.close_connection = True
            return "accepted, closed"
        if mode == "slow":
            time.sleep(0.5)
        if mode == "slow-flaky":
            time.sleep(0.2)
        if mode.startswith("hold-after-"):
            with gw.lock:
                hold = gw.answered >= int(mode[len("hold-after-"):])
                gw.answered += not hold
            if hold:
                time.sleep(30)
                return "accepted, held"
        self.answer(200, {"header": header(True), "message": {
            "requestId": "req-" + key, "sendResults": [
                {"recipientSeq": 1, "recipientNo": msg["recipientNo"], "resultCode": 0,
                 "resultMessage": "success", "recipientGroupingKey": key}]}})
        return "accepted"

    def do_GET(self):
        gw = self.server.gateway
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path != gw.path or self.headers.get("X-Secret-Key") != gw.secret:
            return self.answer(404, {"header": header(False, -404, "no such path")})
        if gw.mode == "hang":
            time.sleep(30)
            return None
        if gw.mode == "fail500":
            return self.answer(500, b"internal error")
        if gw.mode == "garbage":
            return self.answer(200, b"garbage")
        key = query.get("recipientGroupingKey", [""])[0]
        found = [{"recipientGroupingKey": key, "messageStatus": "COMPLETED"}] \
            if key in gw.accepted else []
        gw.log("requests.jsonl", {"key": key, "mode": gw.mode, "result": "lookup %d" % len(found)})
        return self.answer(200, {"header": header(True), "messageSearchResultResponse": {
            "messages": found, "totalCount": len(found)}})


def main():
    folder = sys.argv[1]
    args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.gateway = Gateway(folder, args.get("--appkey", "testapp"), args.get("--secret", "s3cret"))
    tmp = os.path.join(folder, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, os.path.join(folder, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
