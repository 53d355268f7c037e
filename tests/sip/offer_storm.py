#!/usr/bin/env python3
"""offer_storm.py - sends N INVITEs with random SDP offers to a running `seodong ivr` over UDP.

The offers are mutations of the fuzz target's seeds (tests/fuzz/corpus/sdp_offer, and any
folder of inputs a fuzzing run grew, such as build-fuzz/corpus/sdp_offer), mutated the way
libFuzzer does (bytes flipped, inserted, erased, copied; SDP tokens from a dictionary) and, line
by line, with m=, a=rtpmap, a=fmtp, c= and direction lines of random payload types, encodings and
clock rates. Each INVITE is sent alone: an answered call (2xx) is ACKed and hung up at once, a
refused one ACKed, so the line is never full. Every INVITE must get a final answer within the
time-out; an offer without one is written to --keep (if given) to reproduce it, and after three
in a row the storm stops (the server is gone).

Prints one line of counts: offers sent, answered (200), refused (488), other answers, unanswered.
Exits 0 when every offer got a final answer, 1 otherwise.

Usage: offer_storm.py HOST:PORT N CORPUS_DIR... [--seed S] [--keep DIR] [--timeout SECONDS]
"""
import argparse
import os
import random
import socket
import sys
import time

TOKENS = [
    b"m=audio ", b"m=video ", b"RTP/AVP", b"RTP/SAVP", b"a=rtpmap:", b"a=fmtp:", b"a=ptime:20",
    b"PCMU/8000", b"PCMA/8000", b"G722/8000", b"G722/16000", b"telephone-event/8000",
    b"telephone-event/16000", b"opus/48000/2", b"G729/8000", b"0-15", b"0-16", b"c=IN IP4 ",
    b"c=IN IP6 ::1", b"0.0.0.0", b"127.0.0.1", b"a=sendonly", b"a=recvonly", b"a=inactive",
    b"a=sendrecv", b"\r\n", b"\n", b" ", b"/", b":", b"0", b"8", b"9", b"96", b"101", b"127",
    b"128", b"255", b"-1", b"4294967296",
]
PAYLOAD_TYPES = ["0", "8", "9", "3", "4", "13", "18", "96", "97", "101", "102", "111", "127",
                 "128", "200", "-1", "00", "96x", "", "x"]
ENCODINGS = ["PCMU", "PCMA", "G722", "pcmu", "telephone-event", "TELEPHONE-EVENT", "opus",
             "G729", "GSM", "CN", "", "PCMU\x00", "L16"]
RATES = ["8000", "16000", "48000", "0", "99999999999", "", "8000/1", "8000/2", "x"]


def random_line(rnd):
    """One SDP line of the kinds that decide the codec."""
    kind = rnd.randrange(6)
    pts = " ".join(rnd.choice(PAYLOAD_TYPES) for _ in range(rnd.randrange(0, 6)))
    if kind == 0:
        media = rnd.choice(["audio", "audio", "audio", "video", "text", "application"])
        proto = rnd.choice(["RTP/AVP", "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", "RTP"])
        port = rnd.choice(["4000", "0", "65535", "65536", "9"])
        return f"m={media} {port} {proto} {pts}"
    if kind == 1:
        return (f"a=rtpmap:{rnd.choice(PAYLOAD_TYPES)} {rnd.choice(ENCODINGS)}/"
                f"{rnd.choice(RATES)}")
    if kind == 2:
        return f"a=fmtp:{rnd.choice(PAYLOAD_TYPES)} {rnd.choice(['0-15', '0-16', 'mode=30', ''])}"
    if kind == 3:
        return rnd.choice(["c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0", "c=IN IP6 ::1",
                           "c=IN IP4 999.1.1.1", "c=IN"])
    if kind == 4:
        return rnd.choice(["a=sendonly", "a=recvonly", "a=inactive", "a=sendrecv", "a=ptime:20"])
    return rnd.choice(["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "b=AS:64"])


def mutate_lines(rnd, body):
    lines = body.split(b"\r\n")
    op = rnd.randrange(4)
    at = rnd.randrange(len(lines) + 1)
    if op == 0:
        lines.insert(at, random_line(rnd).encode("utf-8", "surrogateescape"))
    elif op == 1 and lines:
        del lines[min(at, len(lines) - 1)]
    elif op == 2 and lines:
        lines.insert(at, lines[rnd.randrange(len(lines))])
    elif lines:
        i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\r\n".join(lines)


def mutate_bytes(rnd, body):
    data = bytearray(body)
    op = rnd.randrange(5)
    at = rnd.randrange(len(data) + 1)
    if op == 0 and data:
        data[min(at, len(data) - 1)] ^= 1 << rnd.randrange(8)
    elif op == 1:
        data[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 8)))
    elif op == 2 and data:
        del data[at:at + rnd.randrange(1, 16)]
    elif op == 3 and data:
        start = rnd.randrange(len(data))
        data[at:at] = data[start:start + rnd.randrange(1, 32)]
    else:
        data[at:at] = rnd.choice(TOKENS)
    return bytes(data)


def offer(rnd, seeds):
    body = rnd.choice(seeds)
    for _ in range(rnd.randrange(1, 5)):
        body = mutate_lines(rnd, body) if rnd.random() < 0.5 else mutate_bytes(rnd, body)
    return body[:4000]


class Caller:
    """One UDP socket that places calls one after another."""

    def __init__(self, host, port, timeout):
        self.server = (host, port)
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.local = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.uri = "sip:seodong@%s:%d" % self.server

    def request(self, method, call_id, branch, cseq, to_tag, body=b""):
        to = "<%s>" % self.uri + (";tag=" + to_tag if to_tag else "")
        head = (f"{method} {self.uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {self.local};branch={branch};rport\r\n"
                f"Max-Forwards: 70\r\n"
                f"From: <sip:01055501234@{self.local}>;tag=storm-{call_id}\r\n"
                f"To: {to}\r\n"
                f"Call-ID: {call_id}\r\n"
                f"CSeq: {cseq} {method}\r\n"
                f"Contact: <sip:storm@{self.local}>\r\n")
        if body:
            head += "Content-Type: application/sdp\r\n"
        head += f"Content-Length: {len(body)}\r\n\r\n"
        self.sock.sendto(head.encode() + body, self.server)

    def final_answers(self, call_id, methods):
        """{method: (status, To tag)} of the final answers to methods (CSeq methods) in call
        call_id; a method without one within the time-out is left out."""
        got = {}
        deadline = time.monotonic() + self.timeout
        while len(got) < len(methods):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                break
            head = data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace").split("\r\n")
            fields = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
            method = fields.get("cseq", " ").split()[-1]
            if (not head[0].startswith("SIP/2.0 ") or fields.get("call-id") != call_id
                    or method not in methods or method in got):
                continue  # a retransmission, an earlier call's answer, or a request
            status = int(head[0].split()[1])
            if status >= 200:
                to = fields.get("to", "")
                got[method] = (status, to.split(";tag=", 1)[1].split(";")[0]
                               if ";tag=" in to else "")
        return got

    def final_answer(self, call_id, method):
        """The status and To tag of the final answer to method in call call_id, or (None, '')."""
        return self.final_answers(call_id, [method]).get(method, (None, ""))

    def call(self, n, body):
        call_id = "storm-%d-%08x" % (n, random.getrandbits(32))
        branch = "z9hG4bK-%s" % call_id
        self.request("INVITE", call_id, branch, 1, "", body)
        status, tag = self.final_answer(call_id, "INVITE")
        if status is None:
            return None
        if status < 300:
            self.request("ACK", call_id, branch + "-ack", 1, tag)
            self.request("BYE", call_id, branch + "-bye", 2, tag)
            if self.final_answer(call_id, "BYE")[0] != 200:
                return None
        else:
            self.request("ACK", call_id, branch, 1, tag)
        return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("server")
    ap.add_argument("count", type=int)
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep")
    ap.add_argument("--timeout", type=float, default=5.0)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    rnd = random.Random(seed)
    seeds = []
    for folder in args.corpus:
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    seeds.append(f.read())
    if not seeds:
        sys.exit("offer_storm: no seeds in " + " ".join(args.corpus))
    host, port = args.server.rsplit(":", 1)
    caller = Caller(host, int(port), args.timeout)
    counts = {"answered": 0, "refused": 0, "other": 0, "unanswered": 0}
    started = time.monotonic()
    sent = silent = 0
    for n in range(args.count):
        if silent == 3:
            print(f"offer_storm: stopped after offer {n - 1}: the last 3 got no answer",
                  file=sys.stderr)
            break
        sent += 1
        body = offer(rnd, seeds)
        status = caller.call(n, body)
        key = ("unanswered" if status is None else "answered" if status == 200 else
               "refused" if status == 488 else "other")
        counts[key] += 1
        if key == "other":
            print(f"offer {n}: answered {status}", file=sys.stderr)
        silent = silent + 1 if status is None else 0
        if status is None:
            print(f"offer {n}: no final answer within {args.timeout} s", file=sys.stderr)
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                with open(os.path.join(args.keep, f"unanswered-{n}.sdp"), "wb") as f:
                    f.write(body)
    took = time.monotonic() - started
    print(f"offer_storm: {sent} offers (seed {seed}, {len(seeds)} seeds) in {took:.1f} s: "
          f"{counts['answered']} answered 200, {counts['refused']} refused 488, "
          f"{counts['other']} other, {counts['unanswered']} unanswered")
    sys.exit(0 if counts["unanswered"] == 0 and counts["other"] == 0 else 1)


if __name__ == "__main__":
    main()
