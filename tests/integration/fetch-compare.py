#!/usr/bin/python3
"""Compare fetched copies with the originals, by Message-ID.

  fetch-compare.py ORIGINAL-MBOX LOCAL-MBOX...

Prints "ok N" when every message of the local folders has a Message-ID of
the original mailbox, appears once, and its body is byte for byte the
original's; else prints what differs and exits 1.
"""
import mailbox
import sys


def body(msg):
    raw = msg.as_bytes()
    return raw.split(b"\n\n", 1)[1] if b"\n\n" in raw else b""


def main():
    orig = {}
    for m in mailbox.mbox(sys.argv[1]):
        mid = m.get("Message-ID")
        if mid:
            orig[mid] = body(m)
    seen = {}
    bad = 0
    for path in sys.argv[2:]:
        for m in mailbox.mbox(path):
            mid = m.get("Message-ID")
            seen[mid] = seen.get(mid, 0) + 1
            if mid not in orig:
                print("unknown message", mid)
                bad += 1
            elif body(m).rstrip(b"\n") != orig[mid].rstrip(b"\n"):
                print("body differs:", mid)
                bad += 1
    for mid, n in seen.items():
        if n > 1:
            print("twice:", mid)
            bad += 1
    if bad:
        sys.exit(1)
    print("ok", len(seen))


main()
