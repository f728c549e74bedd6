#!/usr/bin/env python3
"""An independent TWC Gen 2 master, written from docs/protocol.md and sharing no code with the package.

It drives whatever slaves answer on a tty (our twc-sim in the tests) and prints a JSON report of what
they said, so that the TypeScript tests can judge the simulator by a second implementation.
Standard library only: raw termios, its own SLIP framing, checksum and resync.
"""
import argparse
import json
import os
import select
import sys
import termios
import time
import tty

MASTER_ID = (0x77, 0x77)
SIGN = 0x77


def checksum(body):
    return sum(body[1:]) & 0xFF


def frame(body):
    out = bytearray([0xC0])
    for b in bytes(body) + bytes([checksum(body)]):
        if b == 0xC0:
            out += b"\xDB\xDC"
        elif b == 0xDB:
            out += b"\xDB\xDD"
        else:
            out.append(b)
    out.append(0xC0)
    return bytes(out)


class Receiver:
    """Every C0 ends a candidate; accept only clean unescaping, lengths 14/16/20 and a good checksum."""

    def __init__(self):
        self.buf, self.open, self.esc, self.bad = bytearray(), False, False, False
        self.checksum_errors = 0
        self.garbage = 0

    def feed(self, data):
        out = []
        for b in data:
            if b == 0xC0:
                if self.open and (self.buf or self.bad):
                    msg = bytes(self.buf)
                    if self.bad or self.esc or len(msg) not in (14, 16, 20):
                        self.garbage += len(msg)
                    elif checksum(msg[:-1]) != msg[-1]:
                        self.checksum_errors += 1
                    else:
                        out.append(msg)
                self.buf, self.open, self.esc, self.bad = bytearray(), True, False, False
                continue
            if not self.open:
                self.garbage += 1
                continue
            if self.esc:
                self.esc = False
                if b == 0xDC:
                    self.buf.append(0xC0)
                elif b == 0xDD:
                    self.buf.append(0xDB)
                else:
                    self.bad = True
            elif b == 0xDB:
                self.esc = True
            else:
                self.buf.append(b)
            if len(self.buf) > 24:
                self.bad = True
        return out


def linkready(kind):
    cls, fn = (0xFC, 0xE1) if kind == 1 else (0xFB, 0xE2)
    return frame([cls, fn, *MASTER_ID, SIGN] + [0] * 8)


def heartbeat(slave_id, version, amps):
    cents = int(round(amps * 100))
    cmd = 0x05 if version == 1 else 0x09
    data = [cmd, cents >> 8, cents & 0xFF] + [0] * (4 if version == 1 else 6)
    return frame([0xFB, 0xE0, *MASTER_ID, *slave_id] + data)


def open_tty(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[2] = (attrs[2] & ~(termios.PARENB | termios.CSTOPB | termios.CSIZE)) | termios.CS8 | termios.CLOCAL | termios.CREAD
    attrs[4] = attrs[5] = termios.B9600
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    return fd


def self_test():
    """The framing against test vectors of docs/protocol.md §8.1."""
    vectors = {
        "TV1": (linkready(1), "C0 FC E1 77 77 77 00 00 00 00 00 00 00 00 46 C0"),
        "TV2": (linkready(2), "C0 FB E2 77 77 77 00 00 00 00 00 00 00 00 47 C0"),
        "TV5": (heartbeat((0x41, 0x42), 2, 32), "C0 FB E0 77 77 41 42 09 0C 80 00 00 00 00 00 00 E6 C0"),
        "TV4": (heartbeat((0x41, 0x42), 1, 32), "C0 FB E0 77 77 41 42 05 0C 80 00 00 00 00 E2 C0"),
        "TV7": (heartbeat((0xDB, 0x01), 2, 48), "C0 FB E0 77 77 DB DD 01 09 12 DB DC 00 00 00 00 00 00 85 C0"),
    }
    failures = 0
    for name, (got, want) in vectors.items():
        if got.hex(" ").upper() != want:
            print(f"{name}: got {got.hex(' ').upper()} want {want}")
            failures += 1
    received = {
        "TV3": ("C0 FD E2 41 42 2A 1F 40 00 00 00 00 00 00 00 00 EE C0", 1),
        "TV6": ("C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38 C0", 1),
        "TV15": ("C0 FD E0 41 42 77 77 01 0C 80 0B F2 00 00 00 00 DB DD C0", 1),
        "TV16": ("C0 FD E0 41 42 77 77 01 0C 80 0B D7 00 00 00 00 DB DC C0", 1),
        "bad checksum": ("C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 39 C0", 0),
    }
    for name, (wire, count) in received.items():
        if len(Receiver().feed(bytes.fromhex(wire))) != count:
            print(f"{name}: wrong number of messages")
            failures += 1
    print("self-test", "failed" if failures else "passed")
    return 1 if failures else 0


def run(args):
    offers = [float(x) for x in args.offers.split(",")]
    fd = open_tty(args.device)
    rx = Receiver()
    slaves = {}  # hex id -> dict
    pending = {}  # hex id -> offer carried by the heartbeat awaiting its reply

    def send(data):
        os.write(fd, data)

    def read(timeout):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                return
            try:
                data = os.read(fd, 256)
            except BlockingIOError:
                continue
            for msg in rx.feed(data):
                handle(msg)

    def handle(msg):
        if msg[0] == 0xFD and msg[1] == 0xE2:
            sid = msg[2:4].hex().upper()
            if sid not in slaves:
                slaves[sid] = {
                    "id": sid,
                    "bytes": list(msg[2:4]),
                    "maxAmps": ((msg[5] << 8) | msg[6]) / 100,
                    "version": 1 if len(msg) == 14 else 2,
                    "heartbeats": 0,
                    "replies": [],
                    "unanswered": 0,
                }
        elif msg[0] == 0xFD and msg[1] == 0xE0 and tuple(msg[4:6]) == MASTER_ID:
            sid = msg[2:4].hex().upper()
            if sid in slaves and sid in pending:
                slaves[sid]["replies"].append(
                    {
                        "offer": pending.pop(sid),
                        "state": msg[6],
                        "limit": ((msg[7] << 8) | msg[8]) / 100,
                        "actual": ((msg[9] << 8) | msg[10]) / 100,
                        "bytes": len(msg),
                    }
                )

    for kind in (1, 1, 1, 1, 1, 2, 2, 2, 2, 2):
        send(linkready(kind))
        read(0.1)
    start = time.monotonic()
    rounds = 0
    while time.monotonic() - start < args.duration:
        offer = offers[min(rounds // args.offer_every, len(offers) - 1)]
        for sid, s in list(slaves.items()):
            if sid in pending:
                s["unanswered"] += 1
            pending[sid] = offer
            s["heartbeats"] += 1
            send(heartbeat(s["bytes"], s["version"], offer))
            read(0.25)
        rounds += 1
        read(max(0.0, 1.0 - 0.25 * max(1, len(slaves))))
    read(0.3)
    os.close(fd)
    report = {
        "slaves": list(slaves.values()),
        "checksumErrors": rx.checksum_errors,
        "garbageBytes": rx.garbage,
        "inFlightAtEnd": sorted(pending),
    }
    print(json.dumps(report))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--device")
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--offers", default="32")
    p.add_argument("--offer-every", type=int, default=3)
    p.add_argument("--self-test", action="store_true")
    args = p.parse_args()
    if args.self_test:
        return self_test()
    if not args.device:
        p.error("--device is required")
    try:
        return run(args)
    except OSError as e:
        print(f"independent_master: {args.device}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
