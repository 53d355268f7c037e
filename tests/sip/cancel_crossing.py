#!/usr/bin/env python3
"""cancel_crossing.py - a caller that gives up at once: INVITE and, without waiting, CANCEL.

Seodong answers an INVITE at once (no ringing), so the CANCEL crosses its 200 OK: the CANCEL must
get 200 and change nothing, the INVITE 200 with an answer, and the caller ends the call it now
has with ACK and BYE, which must get 200 (RFC 3261 9.1, 15). Then a CANCEL of a transaction the
server never saw, which must get 481. (sipp cannot send two requests back to back without
taking the 200 OK that comes between them as unexpected, hence this script.)

Prints what each request got; exits 0 when all is as above, 1 otherwise.
Usage: cancel_crossing.py HOST:PORT
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from offer_storm import Caller  # noqa: E402

SDP = (b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       b"m=audio 4000 RTP/AVP 8\r\n")


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    caller = Caller(host, int(port), 10.0)
    call_id, branch = "cancel-%d@127.0.0.1" % os.getpid(), "z9hG4bK-cancel-%d" % os.getpid()
    caller.request("INVITE", call_id, branch, 1, "", SDP)
    caller.request("CANCEL", call_id, branch, 1, "")
    got = caller.final_answers(call_id, ["INVITE", "CANCEL"])
    invite, cancel = got.get("INVITE", (None, "")), got.get("CANCEL", (None, ""))
    print(f"INVITE: {invite[0]}, CANCEL: {cancel[0]}")
    ok = invite[0] == 200 and cancel[0] == 200
    if invite[0] == 200:
        caller.request("ACK", call_id, branch + "-ack", 1, invite[1])
        caller.request("BYE", call_id, branch + "-bye", 2, invite[1])
        bye = caller.final_answer(call_id, "BYE")[0]
        print(f"BYE: {bye}")
        ok = ok and bye == 200
    caller.request("CANCEL", call_id, "z9hG4bK-never-sent-%d" % os.getpid(), 9, "")
    stray = caller.final_answer(call_id, "CANCEL")[0]
    print(f"CANCEL of nothing: {stray}")
    sys.exit(0 if ok and stray == 481 else 1)


if __name__ == "__main__":
    main()
