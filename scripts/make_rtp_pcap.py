#!/usr/bin/env python3
"""Writes a recording as the RTP stream of a G.711 A-law phone call, in a pcap file that sipp's
play_pcap_audio sends (scripts/bench_ivr.sh: a caller asking one question in a 20 s call).

usage: make_rtp_pcap.py IN.raw OUT.pcap

IN.raw is headerless 16-bit little-endian mono audio at 8000 Hz (sox makes it). Each 20 ms (160
samples) becomes one RTP packet (payload type 8, PCMA) in an Ethernet/IPv4/UDP frame, 20 ms apart;
sipp reads the RTP payloads and their times and sends them to the called party's media port."""
import struct
import sys

RATE = 8000
FRAME = 160  # 20 ms


def alaw(sample):
    """One 16-bit linear sample to G.711 A-law (ITU-T G.711, as sox and the phone line decode)."""
    sign = 0x80 if sample >= 0 else 0
    if sample < 0:
        sample = -sample - 1
    sample >>= 3  # A-law works on 13 bits
    if sample < 32:
        code = sample >> 1
    else:
        exponent = 1
        while sample >= 64 and exponent < 7:
            sample >>= 1
            exponent += 1
        code = (exponent << 4) | ((sample >> 1) & 0x0F)
    return (code | sign) ^ 0x55


def packet(seq, timestamp, payload):
    rtp = struct.pack("!BBHII", 0x80, 8, seq & 0xFFFF, timestamp & 0xFFFFFFFF, 0x5E0D0001) + payload
    udp = struct.pack("!HHHH", 40000, 40002, 8 + len(rtp), 0) + rtp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq & 0xFFFF, 0, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
    return b"\x00" * 12 + b"\x08\x00" + ip


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    with open(sys.argv[1], "rb") as f:
        pcm = f.read()
    samples = struct.unpack("<%dh" % (len(pcm) // 2), pcm[: len(pcm) // 2 * 2])
    with open(sys.argv[2], "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))  # Ethernet
        for seq, at in enumerate(range(0, len(samples) - FRAME + 1, FRAME)):
            frame = packet(seq, at, bytes(alaw(s) for s in samples[at:at + FRAME]))
            usec = seq * 20000
            out.write(struct.pack("<IIII", usec // 1000000, usec % 1000000, len(frame), len(frame)))
            out.write(frame)


if __name__ == "__main__":
    main()
