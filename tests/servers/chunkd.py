#!/usr/bin/python3
"""A small SMTP server for the send tests that aiosmtpd cannot play: it
offers PIPELINING, CHUNKING (BDAT) and SIZE like Postfix and Exim, and can
misbehave on purpose.

  chunkd.py --outdir DIR --port-file F [--cert PEM --key KEY] [--smtps]
            [--fault cut:N | stall:N | refuse:N] [--size N]
            [--auth "PLAIN LOGIN"] [--user U --password P]
            [--inject] [--no-chunking] [--pidfile F]

--fault cut:N    after answering 250 to the Nth BDAT chunk of a message,
                 reset the connection (nothing is delivered)
--fault stall:N  after answering the Nth chunk, read nothing more and never
                 answer again (the connection stays open)
--fault refuse:N answer the Nth chunk "552 5.3.4 Chunk exceeds message size
                 limit" (the message is refused; later chunks are counted in
                 DIR/late-chunks)
--size N         offer SIZE N; MAIL with SIZE= over N gets 552
--inject         a man in the middle: the 220 to STARTTLS comes in one
                 packet with forged replies (250, 250, 354, 250 queued);
                 after the handshake every command is refused
Accepted messages land in DIR/N.eml with DIR/N.json (mail_from, rcpts,
mail_params); every command line goes to DIR/commands.log (one JSON object
a line: line, tls).  The port is written to --port-file once listening.
"""
import argparse
import base64
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import threading

opts = None
lock = threading.Lock()
counter = [0]


def log_line(line, tls):
    with lock:
        with open(os.path.join(opts.outdir, "commands.log"), "a") as f:
            f.write(json.dumps({"line": line, "tls": tls}) + "\n")


def bump(name):
    with lock:
        p = os.path.join(opts.outdir, name)
        n = int(open(p).read()) if os.path.exists(p) else 0
        with open(p, "w") as f:
            f.write(str(n + 1))


def save(data, meta):
    with lock:
        counter[0] += 1
        base = os.path.join(opts.outdir, str(counter[0]))
    with open(base + ".tmp", "wb") as f:
        f.write(data)
    with open(base + ".json", "w") as f:
        json.dump(meta, f)
    os.rename(base + ".tmp", base + ".eml")


class Session(socketserver.StreamRequestHandler):
    def setup(self):
        self.sock = self.request
        self.tls = False
        if opts.smtps:
            self.sock = self.ctx().wrap_socket(self.sock, server_side=True)
            self.tls = True
        self.rfile = self.sock.makefile("rb")

    def ctx(self):
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        c.load_cert_chain(opts.cert, opts.key)
        c.num_tickets = 0
        return c

    def say(self, *lines):
        self.sock.sendall(b"".join(l.encode() + b"\r\n" for l in lines))

    def caps(self):
        c = ["250-localhost", "250-PIPELINING", "250-8BITMIME",
             "250-ENHANCEDSTATUSCODES"]
        if not opts.no_chunking:
            c.append("250-CHUNKING")
        if opts.size:
            c.append("250-SIZE %d" % opts.size)
        if opts.cert and not self.tls and not opts.smtps:
            c.append("250-STARTTLS")
        if opts.auth:
            c.append("250-AUTH " + opts.auth)
        return c + ["250 HELP"]

    def reset(self):
        self.mail_from = None
        self.params = ""
        self.rcpts = []
        self.chunks = []
        self.nchunk = 0
        self.refused = False

    def deliver(self, data):
        save(data, {"mail_from": self.mail_from, "rcpts": self.rcpts,
                    "mail_params": self.params})

    def handle(self):
        self.reset()
        self.say("220 localhost ESMTP chunkd")
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            log_line(line, self.tls)
            up = line.upper()
            if opts.inject and self.tls:
                self.say("554 5.7.1 the real server refuses everything")
                continue
            if up.startswith("EHLO"):
                self.say(*self.caps())
            elif up.startswith("HELO"):
                self.say("250 localhost")
            elif up == "STARTTLS" and opts.cert and not self.tls:
                if opts.inject:
                    self.sock.sendall(b"220 ready\r\n250 localhost\r\n235 ok\r\n"
                                      b"250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n")
                else:
                    self.say("220 ready")
                self.sock = self.ctx().wrap_socket(self.sock, server_side=True)
                self.rfile = self.sock.makefile("rb")
                self.tls = True
                self.reset()
            elif up.startswith("AUTH"):
                self.auth(line)
            elif up.startswith("MAIL FROM:"):
                self.reset()
                rest = line[10:]
                self.mail_from = rest.split(">")[0].lstrip(" <")
                self.params = rest.split(">", 1)[1].strip() if ">" in rest else ""
                size = [p for p in self.params.split() if p.upper().startswith("SIZE=")]
                if opts.size and size and int(size[0][5:]) > opts.size:
                    self.say("552 5.3.4 Message size exceeds fixed limit")
                    self.reset()
                else:
                    self.say("250 2.1.0 Ok")
            elif up.startswith("RCPT TO:"):
                self.rcpts.append(line[8:].split(">")[0].lstrip(" <"))
                self.say("250 2.1.5 Ok")
            elif up == "DATA":
                self.say("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while True:
                    l = self.rfile.readline(1 << 20)
                    if not l or l == b".\r\n":
                        break
                    body.append(l[1:] if l.startswith(b".") else l)
                if not l:
                    return
                self.deliver(b"".join(body))
                self.say("250 2.0.0 Ok: queued")
                self.reset()
            elif up.startswith("BDAT"):
                if not self.bdat(line):
                    return
            elif up == "RSET":
                self.reset()
                self.say("250 2.0.0 Ok")
            elif up == "QUIT":
                self.say("221 2.0.0 Bye")
                return
            else:
                self.say("502 5.5.2 Error: command not recognized")

    def bdat(self, line):
        p = line.split()
        size = int(p[1])
        last = len(p) > 2 and p[2].upper() == "LAST"
        data = self.rfile.read(size) if size else b""
        if len(data) < size:
            return False
        if self.refused:
            bump("late-chunks")
            self.say("554 5.5.1 Error: no valid transaction")
            return True
        self.nchunk += 1
        self.chunks.append(data)
        kind, _, n = (opts.fault or "none:0").partition(":")
        if kind == "refuse" and self.nchunk == int(n):
            self.refused = True
            self.say("552 5.3.4 Chunk exceeds message size limit")
            return True
        if last:
            self.deliver(b"".join(self.chunks))
            self.say("250 2.0.0 Ok: queued")
            self.reset()
            return True
        self.say("250 2.0.0 Ok: %d bytes" % size)
        if self.nchunk == int(n or 0) and kind == "cut":
            # Reset, not a clean close: the client's next write fails.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return False
        if self.nchunk == int(n or 0) and kind == "stall":
            threading.Event().wait(3600)
            return False
        return True

    def auth(self, line):
        p = line.split()
        mech = p[1].upper()
        bump("auth-" + mech)
        if mech == "PLAIN":
            resp = p[2] if len(p) > 2 else None
            if resp is None:
                self.say("334 ")
                resp = self.rfile.readline().decode().strip()
            parts = base64.b64decode(resp).split(b"\0")
            user, pw = parts[1].decode(), parts[2].decode()
        elif mech == "LOGIN":
            if len(p) > 2:
                user = base64.b64decode(p[2]).decode()
            else:
                self.say("334 VXNlcm5hbWU6")
                user = base64.b64decode(self.rfile.readline().strip()).decode()
            self.say("334 UGFzc3dvcmQ6")
            pw = base64.b64decode(self.rfile.readline().strip()).decode()
        else:
            self.say("504 5.5.4 unknown mechanism")
            return
        if user == opts.user and pw == opts.password:
            self.say("235 2.7.0 Authentication successful")
        else:
            self.say("535 5.7.8 Authentication failed")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global opts
    ap = argparse.ArgumentParser()
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--pidfile")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--smtps", action="store_true")
    ap.add_argument("--fault")
    ap.add_argument("--size", type=int, default=0)
    ap.add_argument("--auth", default="PLAIN LOGIN")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="smtp-pw-1")
    ap.add_argument("--inject", action="store_true")
    ap.add_argument("--no-chunking", action="store_true")
    opts = ap.parse_args()
    os.makedirs(opts.outdir, exist_ok=True)
    srv = Server(("127.0.0.1", 0), Session)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    if opts.pidfile:
        with open(opts.pidfile, "w") as f:
            f.write(str(os.getpid()))
    with open(opts.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(opts.port_file + ".tmp", opts.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
