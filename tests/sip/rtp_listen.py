#!/usr/bin/env python3
"""rtp_listen.py - the audio side of a quiet caller: takes one RTP stream and keeps what it says.

Binds a UDP port on 127.0.0.1 (a free one, printed on the first line of stdout, for the caller's
SDP), writes the payload of every packet of the given payload type to OUT in the order they come
(on 127.0.0.1 the order they were sent), and answers each packet with 20 ms of silence from the
same port, as a phone whose user listens, so that the server does not take the caller for gone.
Ends when no packet has come for --idle seconds after the first (the call is over), or after
--limit seconds; exits 0 when packets came, 1 when none did.

Usage: rtp_listen.py OUT [--pt 0] [--idle 2] [--limit 120]
"""
import argparse
import socket
import struct
import sys
import time

SILENCE = {0: b"\xff" * 160, 8: b"\xd5" * 160}  # 20 ms of G.711 µ-law / A-law silence


def payload(packet):
    """The payload of an RTP packet (RFC 3550 5.1), or None when it is not one."""
    if len(packet) < 12 or packet[0] >> 6 != 2:
        return None
    start = 12 + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10:  # header extension
        if len(packet) < start + 4:
            return None
        start += 4 + 4 * struct.unpack("!H", packet[start + 2:start + 4])[0]
    end = len(packet) - (packet[-1] if packet[0] & 0x20 else 0)
    return packet[start:end] if start <= end else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--pt", type=int, default=0)
    ap.add_argument("--idle", type=float, default=2.0)
    ap.add_argument("--limit", type=float, default=120.0)
    args = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    started, last, got, seq = time.monotonic(), None, 0, 0
    ssrc = struct.pack("!I", 0x5E0D0)
    with open(args.out, "wb") as out:
        while True:
            now = time.monotonic()
            wait = started + args.limit - now
            if last is not None:
                wait = min(wait, last + args.idle - now)
            if wait <= 0:
                break
            sock.settimeout(wait)
            try:
                packet, sender = sock.recvfrom(2048)
            except socket.timeout:
                break
            body = payload(packet)
            if body is None or packet[1] & 0x7F != args.pt:
                continue
            last = time.monotonic()
            got += 1
            out.write(body)
            seq = (seq + 1) & 0xFFFF
            header = struct.pack("!BBHI", 0x80, args.pt, seq, seq * 160) + ssrc
            sock.sendto(header + SILENCE.get(args.pt, b"\xff" * 160), sender)
    print(f"{got} packets", file=sys.stderr)
    sys.exit(0 if got else 1)


if __name__ == "__main__":
    main()
