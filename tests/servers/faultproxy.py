#!/usr/bin/python3
"""A fault-injecting TCP proxy for tests: listens on 127.0.0.1 and forwards
each connection to --target, breaking it as the mode says.

  faultproxy.py --target HOST:PORT --mode MODE [--n N] [--faulty K] [--daemon ...]

Modes (server means the target; "line" means a line the server sends):
  pass          forward unchanged
  drop-bytes    close both sides after N bytes from the server
  drop-retr     after the client's Nth RETR command (counted over the
                connection), forward --after bytes (default 100) of the
                server's reply, then close both sides: a message cut short
  garbage       before the server's Nth line, send the client a garbage
                line (control bytes, NUL, invalid UTF-8, no +OK/-ERR)
  longline      before the server's Nth line, send the client 1 MB (--size)
                without a newline, then stall (the client must give up on
                its own line limit; --then close closes instead)
  stall         after N bytes from the server, forward nothing more in
                either direction but keep the connection open
  slow          forward the server's bytes --chunk (default 64) at a time,
                one piece every --delay milliseconds (default 200), so that
                a test can see work in progress; --release FILE: once FILE
                exists, forward at full speed (the test decides when the
                work may finish, instead of guessing how long it takes)
  drop-line     after forwarding the server's Nth line matching --match
                (a regular expression), close both sides
  stall-line    after forwarding that line, forward nothing more but keep
                the connection open
--hold REGEX: in any mode, client bytes from the first match of REGEX on
are never forwarded (e.g. the final "BDAT 0 LAST", so that the server
cannot complete the message before the fault).
--n defaults to 1.  --faulty K: only the first K connections get the fault,
later ones pass unchanged (a retry then succeeds); default: all of them.
Shared options: --port --port-file --pidfile --daemon --log (see daemon.py).
The log has one line per connection event: "conn N open", "conn N retr K",
"conn N fault MODE", "conn N closed".
"""
import argparse
import asyncio
import itertools
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon  # noqa: E402

RETR_RE = re.compile(rb"^\s*RETR\b", re.I)
GARBAGE = b"\x00\x01\x1b[31m\xff\xfe garbage \x80\x81 not a reply \x07\r\n"


class Conn:
    def __init__(self, opts, log, num, faulty):
        self.opts, self.log, self.num, self.faulty = opts, log, num, faulty
        self.retr_seen = 0
        self.server_bytes = 0
        self.server_lines = 0
        self.at_line_start = True
        self.cut_budget = None      # bytes still allowed before a drop
        self.partial = b""          # server line so far (the -line modes)
        self.matched = 0
        self.held = False           # --hold matched: nothing more goes
        self.stalled = asyncio.Event()
        self.done = asyncio.Event()

    def fault(self, what):
        self.log("conn", self.num, "fault", what)

    async def client_to_server(self, reader, writer):
        buf = b""
        while not self.done.is_set():
            data = await reader.read(65536)
            if not data:
                break
            if self.stalled.is_set() or self.held:
                continue
            if self.faulty and self.opts.hold:
                m = re.search(self.opts.hold.encode(), data)
                if m:
                    self.held = True
                    self.fault("hold")
                    data = data[:m.start()]
            if self.faulty and self.opts.mode == "drop-retr":
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if RETR_RE.match(line):
                        self.retr_seen += 1
                        self.log("conn", self.num, "retr", self.retr_seen)
                        if self.retr_seen == self.opts.n and self.cut_budget is None:
                            self.cut_budget = self.opts.after
                buf = buf[-1024:]
            writer.write(data)
            await writer.drain()

    async def server_to_client(self, reader, writer):
        o = self.opts
        while not self.done.is_set():
            data = await reader.read(65536)
            if not data:
                break
            if self.stalled.is_set():
                continue
            if not self.faulty or o.mode == "pass":
                writer.write(data)
            elif o.mode == "drop-bytes" or (o.mode == "drop-retr" and self.cut_budget is not None):
                budget = (o.n - self.server_bytes) if o.mode == "drop-bytes" else self.cut_budget
                part = data[:max(0, budget)]
                writer.write(part)
                self.server_bytes += len(part)
                if o.mode == "drop-retr":
                    self.cut_budget -= len(part)
                if len(part) < len(data) or budget - len(part) <= 0:
                    await writer.drain()
                    self.fault("drop")
                    return
            elif o.mode == "stall":
                part = data[:max(0, o.n - self.server_bytes)]
                writer.write(part)
                self.server_bytes += len(part)
                if len(part) < len(data) or self.server_bytes >= o.n:
                    await writer.drain()
                    self.fault("stall")
                    self.stalled.set()
            elif o.mode == "slow":
                await self.trickle(data, writer)
            elif o.mode in ("drop-line", "stall-line"):
                out = bytearray()
                hit = False
                for piece in data.splitlines(keepends=True):
                    out += piece
                    self.partial += piece
                    if piece.endswith(b"\n"):
                        line, self.partial = self.partial, b""
                        if re.search(o.match.encode(), line):
                            self.matched += 1
                            if self.matched == o.n:
                                hit = True
                                break
                writer.write(bytes(out))
                if hit:
                    await writer.drain()
                    if o.mode == "drop-line":
                        self.fault("drop")
                        return
                    self.fault("stall")
                    self.stalled.set()
            elif o.mode in ("garbage", "longline"):
                if await self.inject_lines(data, writer):
                    return
            else:
                writer.write(data)
            await writer.drain()

    def released(self):
        return self.opts.release is not None and os.path.exists(self.opts.release)

    async def trickle(self, data, writer):
        """Forward DATA a chunk per delay until the release file appears."""
        o = self.opts
        while data:
            if self.released():
                writer.write(data)
                return
            writer.write(data[:o.chunk])
            await writer.drain()
            data = data[o.chunk:]
            await asyncio.sleep(o.delay / 1000.0)

    async def inject_lines(self, data, writer):
        """Forward DATA, injecting before the server's Nth line.  True when
        the connection is to be closed."""
        o = self.opts
        out = bytearray()
        for piece in data.splitlines(keepends=True):
            if self.at_line_start:
                self.server_lines += 1
                if self.server_lines == o.n:
                    if o.mode == "garbage":
                        self.fault("garbage")
                        out += GARBAGE
                    else:
                        self.fault("longline")
                        writer.write(bytes(out))
                        writer.write(b"+OK " + b"x" * (o.size - 4))
                        await writer.drain()
                        if o.then == "close":
                            return True
                        self.stalled.set()
                        return False
            out += piece
            self.at_line_start = piece.endswith(b"\n")
        writer.write(bytes(out))
        return False


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", required=True, help="HOST:PORT to forward to")
    ap.add_argument("--mode", default="pass",
                    choices=["pass", "drop-bytes", "drop-retr", "garbage", "longline", "stall",
                             "slow", "drop-line", "stall-line"])
    ap.add_argument("--match", default="^", help="regular expression for the -line modes")
    ap.add_argument("--hold", help="never forward client bytes from this regular expression on")
    ap.add_argument("--n", type=int, default=1)
    ap.add_argument("--after", type=int, default=100)
    ap.add_argument("--size", type=int, default=1 << 20)
    ap.add_argument("--then", choices=["stall", "close"], default="stall")
    ap.add_argument("--faulty", type=int, default=-1)
    ap.add_argument("--chunk", type=int, default=64)
    ap.add_argument("--delay", type=int, default=200)
    ap.add_argument("--release")
    daemon.add_arguments(ap)
    opts = ap.parse_args(argv)
    host, _, port = opts.target.rpartition(":")
    log = daemon.Log(opts.log)
    counter = itertools.count(1)

    async def handle(creader, cwriter):
        num = next(counter)
        faulty = opts.faulty < 0 or num <= opts.faulty
        log("conn", num, "open")
        try:
            sreader, swriter = await asyncio.open_connection(host, int(port), limit=1 << 24)
        except OSError as e:
            log("conn", num, "connect-failed", e)
            cwriter.close()
            return
        c = Conn(opts, log, num, faulty)
        tasks = [asyncio.ensure_future(c.client_to_server(creader, swriter)),
                 asyncio.ensure_future(c.server_to_client(sreader, cwriter))]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if c.stalled.is_set() and not tasks[0].done():
                # Keep both sides open until the client gives up.
                await asyncio.wait([tasks[0]])
        except (ConnectionError, OSError):
            pass
        finally:
            c.done.set()
            for t in tasks:
                t.cancel()
            for w in (cwriter, swriter):
                try:
                    w.close()
                except Exception:
                    pass
            log("conn", num, "closed")

    daemon.run(opts, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
