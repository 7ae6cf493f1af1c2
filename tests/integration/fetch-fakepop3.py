#!/usr/bin/python3
"""A small scripted POP3 server for the fetch tests: what Dovecot will not
do.  Serves the files of MAILDIR (one message each, sorted by name) to any
USER/PASS, plain text, on 127.0.0.1.

  fetch-fakepop3.py MAILDIR PORTFILE [--no-uidl] [--uids A,B,...]

--no-uidl     no UIDL in CAPA, and -ERR to UIDL
--uids LIST   the UIDs to give, in order (repeat one for duplicates)
--utf8        offer UTF8 (RFC 6856) in CAPA; like Courier, a session that
              did not send UTF8 before logging in gets a message with raw
              8-bit headers replaced by a "Cannot display Unicode" notice
--log FILE    append every command line received to FILE
--huge N:MB   N more messages of MB megabytes each, made as they are sent
              (never held in memory here), that LIST and STAT claim are
              10 bytes: a lying server.  UIDs huge-1..N; body lines are
              "huge I line K" padded to 76 characters, the last one
              "end of huge I".  DELE + QUIT removes them too.
Writes the chosen port to PORTFILE once listening.  DELE + QUIT removes the
files.  Runs until killed.
"""
import os
import socket
import socketserver
import sys


class Huge:
    """A large message made while it is sent; len() is the lie LIST tells."""

    def __init__(self, i, mb):
        self.i, self.mb = i, mb

    def __len__(self):
        return 10

    def write(self, out, headers_only):
        out.write(b"From: big@example.org\r\nTo: alice@example.org\r\n"
                  b"Subject: huge %d\r\nMessage-ID: <huge-%d@test>\r\n\r\n" % (self.i, self.i))
        if headers_only:
            return
        lines = self.mb * 1024 * 1024 // 78
        chunk = []
        for k in range(1, lines + 1):
            chunk.append(b"huge %d line %d" % (self.i, k))
            if len(chunk) == 8192 or k == lines:
                out.write(b"".join(l.ljust(76, b"x") + b"\r\n" for l in chunk))
                chunk = []
        out.write(b"end of huge %d\r\n" % self.i)


class Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        srv = self.server
        names = sorted(os.listdir(srv.maildir))
        msgs = []
        for n in names:
            with open(os.path.join(srv.maildir, n), "rb") as f:
                data = f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            msgs.append((n, data))
        for i in range(1, srv.huge_n + 1):
            if i not in srv.huge_gone:
                msgs.append(("huge-%d" % i, Huge(i, srv.huge_mb)))
        deleted = set()
        utf8 = logged_in = False
        self.send("+OK fake POP3 ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if srv.log:
                with open(srv.log, "ab") as f:
                    f.write(line.rstrip(b"\r\n") + b"\n")
            words = line.decode("ascii", "replace").strip().split()
            if not words:
                self.send("-ERR empty")
                continue
            cmd, args = words[0].upper(), words[1:]
            if cmd == "CAPA":
                self.send("+OK")
                for c in (["USER", "TOP", "PIPELINING"] + ([] if srv.no_uidl else ["UIDL"])
                          + (["UTF8"] if srv.utf8 else [])):
                    self.send(c)
                self.send(".")
            elif cmd == "UTF8" and srv.utf8 and not logged_in:
                utf8 = True
                self.send("+OK UTF8 enabled")
            elif cmd in ("USER", "PASS", "NOOP", "RSET"):
                logged_in = logged_in or cmd == "PASS"
                self.send("+OK")
            elif cmd == "STAT":
                live = [m for i, m in enumerate(msgs) if i not in deleted]
                self.send("+OK %d %d" % (len(live), sum(len(m[1]) for m in live)))
            elif cmd == "LIST":
                self.send("+OK")
                for i, m in enumerate(msgs):
                    if i not in deleted:
                        self.send("%d %d" % (i + 1, len(m[1])))
                self.send(".")
            elif cmd == "UIDL":
                if srv.no_uidl:
                    self.send("-ERR no UIDL here")
                    continue
                self.send("+OK")
                for i, m in enumerate(msgs):
                    if i not in deleted:
                        uid = srv.uids[i] if i < len(srv.uids) else "u-" + m[0]
                        self.send("%d %s" % (i + 1, uid))
                self.send(".")
            elif cmd in ("RETR", "TOP"):
                try:
                    i = int(args[0]) - 1
                    data = msgs[i][1]
                except (ValueError, IndexError):
                    self.send("-ERR no such message")
                    continue
                if isinstance(data, Huge):
                    self.send("+OK")
                    data.write(self.wfile, cmd == "TOP")
                    self.wfile.write(b".\r\n")
                    self.wfile.flush()
                    continue
                head = data.split(b"\r\n\r\n", 1)[0]
                if srv.utf8 and not utf8 and any(b >= 0x80 for b in head):
                    data = (b"From: MAILER-DAEMON\r\nSubject: Cannot display Unicode content\r\n"
                            b"\r\nThis message has Unicode content.\r\n")
                if cmd == "TOP":
                    data = data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                self.send("+OK")
                out = []
                for l in data.split(b"\r\n")[:-1] if data.endswith(b"\r\n") else data.split(b"\r\n"):
                    out.append((b"." + l) if l.startswith(b".") else l)
                self.wfile.write(b"\r\n".join(out) + b"\r\n.\r\n")
            elif cmd == "DELE":
                deleted.add(int(args[0]) - 1)
                self.send("+OK")
            elif cmd == "QUIT":
                for i in deleted:
                    if isinstance(msgs[i][1], Huge):
                        srv.huge_gone.add(msgs[i][1].i)
                    else:
                        os.unlink(os.path.join(srv.maildir, msgs[i][0]))
                self.send("+OK bye")
                return
            else:
                self.send("-ERR unknown")
            self.wfile.flush()


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    args = sys.argv[1:]
    maildir, portfile = args[0], args[1]
    srv = Server(("127.0.0.1", 0), Handler)
    srv.maildir = maildir
    srv.no_uidl = "--no-uidl" in args
    srv.uids = args[args.index("--uids") + 1].split(",") if "--uids" in args else []
    srv.utf8 = "--utf8" in args
    huge = args[args.index("--huge") + 1].split(":") if "--huge" in args else ["0", "0"]
    srv.huge_n, srv.huge_mb = int(huge[0]), int(huge[1])
    srv.huge_gone = set()
    srv.log = args[args.index("--log") + 1] if "--log" in args else None
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    main()
