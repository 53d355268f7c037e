#!/usr/bin/env python3
"""kma_server.py - a stand-in for the KMA forecast service, for tests: serves recorded answers
on 127.0.0.1 and writes down every request.

    kma_server.py STATE_DIR FIXTURE_DIR

It listens on a free port and writes the number to STATE_DIR/port once it accepts requests.
Each request GET .../OPERATION?query is appended as one line "OPERATION?query" to
STATE_DIR/requests.log, then answered as the file STATE_DIR/OPERATION says, read at that moment
so a test can change the answer between requests:

    FIXTURE [STATUS]   serve FIXTURE_DIR/FIXTURE with HTTP STATUS (default 200)
    hang               answer nothing for 30 seconds (the client must time out)

With no such file the answer is 404 "Not Found" in plain text. Stop it with SIGTERM.
"""
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE, FIXTURES = sys.argv[1], sys.argv[2]
TYPES = {".json": "application/json;charset=UTF-8", ".xml": "text/xml;charset=UTF-8"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path, _, query = self.path.partition("?")
        operation = path.rstrip("/").rsplit("/", 1)[-1]
        with open(os.path.join(STATE, "requests.log"), "a", encoding="utf-8") as log:
            log.write("%s?%s\n" % (operation, query))
        try:
            with open(os.path.join(STATE, os.path.basename(operation)), encoding="utf-8") as f:
                plan = f.read().split()
        except OSError:
            plan = []
        if plan == ["hang"]:
            time.sleep(30)
            return
        if not plan:
            self.reply(404, b"Not Found", "text/plain")
            return
        with open(os.path.join(FIXTURES, plan[0]), "rb") as f:
            body = f.read()
        status = int(plan[1]) if len(plan) > 1 else 200
        self.reply(status, body, TYPES.get(os.path.splitext(plan[0])[1], "text/plain"))

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # requests.log is the record; stderr stays quiet


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = os.path.join(STATE, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, os.path.join(STATE, "port"))  # the test never reads half a number
    server.serve_forever()


if __name__ == "__main__":
    main()
