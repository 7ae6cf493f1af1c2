#!/usr/bin/python3
"""A tiny hostile POP3 server for parser-robustness tests.

  fakepop3.py --mode MODE [--daemon --pidfile F] [--log F] [--port P]

Modes:
  garbage-greeting  greets with binary garbage (no +OK), then waits
  no-greeting       accepts the connection and says nothing
  endless-line      greets with "+OK " followed by endless bytes, no newline,
                    until the client closes (a client must stop at its limit)
  long-greeting     greets with a 1 MB line without newline, then closes
  unterminated      a normal server (any USER/PASS accepted, 3 messages)
                    whose multi-line replies (CAPA, UIDL, LIST, TOP, RETR)
                    never send the final "." line and then close
  bogus-listings    a normal server whose UIDL/LIST/STAT replies are
                    malformed: missing fields, non-numbers, negative and
                    huge numbers, duplicate message numbers, UIDs with
                    control bytes or longer than 70 characters
  bad-replies       a normal greeting, then every reply is something that
                    is neither +OK nor -ERR ("+O", "OK", "", "-ER", "+OKAY")
  sane              a well-behaved minimal server (3 messages), as a baseline
Every line received is logged ("conn N < LINE") to --log, so a test can
check which commands (e.g. PASS) a client sent.  The server offers no STLS.
"""
import argparse
import asyncio
import itertools
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon  # noqa: E402

MESSAGES = [
    b"From: a@example.org\r\nSubject: one\r\n\r\nfirst\r\n",
    b"From: b@example.org\r\nSubject: two\r\n\r\n.dotted line\r\nsecond\r\n",
    b"From: c@example.org\r\nSubject: three\r\n\r\nthird\r\n",
]
GARBAGE = b"\x00\xff\x1b]0;owned\x07\x1b[2J garbage \x80\r\n"

BOGUS_UIDL = [b"1", b"x abc", b"-1 neg", b"99999999999999999999999 huge",
              b"2 dup-a", b"2 dup-b", b"3 ctl\x01\x1b[31m", b"3 " + b"u" * 200,
              b"4 ok-but-no-message"]
BOGUS_LIST = [b"1 notanumber", b"2 -5", b"3 99999999999999999999999", b"x 10", b"", b"2"]


def stuff(msg):
    lines = msg.split(b"\r\n")
    return b"\r\n".join((b"." + l) if l.startswith(b".") else l for l in lines)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", required=True,
                    choices=["garbage-greeting", "no-greeting", "endless-line",
                             "long-greeting", "unterminated", "bogus-listings",
                             "bad-replies", "sane"])
    daemon.add_arguments(ap)
    opts = ap.parse_args(argv)
    log = daemon.Log(opts.log)
    counter = itertools.count(1)
    mode = opts.mode

    async def handle(reader, writer):
        num = next(counter)
        log("conn", num, "open")
        try:
            await serve(num, reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            log("conn", num, "closed")
            try:
                writer.close()
            except Exception:
                pass

    async def drain_until_eof(reader):
        while await reader.read(65536):
            pass

    async def serve(num, reader, writer):
        w = writer.write
        if mode == "garbage-greeting":
            w(GARBAGE)
            await writer.drain()
            return await drain_until_eof(reader)
        if mode == "no-greeting":
            return await drain_until_eof(reader)
        if mode == "endless-line":
            w(b"+OK ")
            chunk = b"y" * 65536
            while True:   # ends when the client closes (write fails)
                w(chunk)
                await writer.drain()
        if mode == "long-greeting":
            w(b"+OK " + b"z" * (1 << 20))
            await writer.drain()
            return
        w(b"+OK fake POP3 server ready\r\n")
        await writer.drain()
        while True:
            line = await reader.readline()
            if not line:
                return
            log("conn", num, "<", line.rstrip(b"\r\n").decode("latin-1"))
            words = line.strip().split()
            cmd = words[0].upper() if words else b""
            if mode == "bad-replies" and cmd != b"QUIT":
                w([b"+O\r\n", b"OK\r\n", b"\r\n", b"-ER\r\n", b"+OKAY\r\n"][len(cmd) % 5])
            elif cmd == b"QUIT":
                w(b"+OK bye\r\n")
                await writer.drain()
                return
            elif cmd in (b"USER", b"PASS", b"NOOP", b"RSET", b"DELE", b"APOP"):
                w(b"+OK\r\n")
            elif cmd == b"STAT":
                w(b"+OK 4294967296 -1\r\n" if mode == "bogus-listings"
                  else b"+OK %d %d\r\n" % (len(MESSAGES), sum(map(len, MESSAGES))))
            elif cmd in (b"CAPA", b"UIDL", b"LIST", b"TOP", b"RETR"):
                if mode == "bogus-listings" and cmd == b"UIDL" and len(words) == 1:
                    body = BOGUS_UIDL
                elif mode == "bogus-listings" and cmd == b"LIST" and len(words) == 1:
                    body = BOGUS_LIST
                elif cmd == b"CAPA":
                    body = [b"TOP", b"UIDL", b"USER", b"PIPELINING"]
                elif cmd == b"UIDL" and len(words) == 1:
                    body = [b"%d uid-%d" % (i + 1, i + 1) for i in range(len(MESSAGES))]
                elif cmd == b"LIST" and len(words) == 1:
                    body = [b"%d %d" % (i + 1, len(m)) for i, m in enumerate(MESSAGES)]
                elif cmd in (b"UIDL", b"LIST") and len(words) == 2:
                    w(b"+OK 1 x\r\n")   # single-line form
                    await writer.drain()
                    continue
                else:
                    try:
                        msg = MESSAGES[int(words[1]) - 1]
                    except (IndexError, ValueError):
                        w(b"-ERR no such message\r\n")
                        await writer.drain()
                        continue
                    if cmd == b"TOP":
                        msg = msg.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                    body = stuff(msg).rstrip(b"\r\n").split(b"\r\n")
                w(b"+OK\r\n" + b"".join(l + b"\r\n" for l in body))
                if mode == "unterminated":
                    await writer.drain()
                    return
                w(b".\r\n")
            else:
                w(b"-ERR unknown command\r\n")
            await writer.drain()

    daemon.run(opts, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
