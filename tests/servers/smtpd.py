#!/usr/bin/python3
"""A capturing SMTP server for tests, on aiosmtpd.

  smtpd.py [--port P] --outdir DIR [options]

Without --port (or with --port 0) the server binds a free port itself
and writes it to --port-file, so no other program can take it between
choosing and binding.

Options:
  --cert FILE --key FILE   TLS certificate: STARTTLS is offered with it
  --smtps                  implicit TLS (SMTPS) instead of STARTTLS
  --no-starttls            do not offer STARTTLS (even with --cert)
  --user U --password P    offer AUTH PLAIN and LOGIN, accept only U/P
  --auth-required          530 for MAIL/RCPT/DATA before AUTH
  --auth-require-tls       offer AUTH only after STARTTLS (default: AUTH is
                           offered in plaintext too, so tests can see a
                           client that would send its password in clear)
  --reject REGEX           550 for recipients matching REGEX (search, no case)
  --tempfail-data N        451 after DATA for the first N messages
  --drop-after-data N      close the connection after the data of the first
                           N messages, before the final reply
  --no-8bitmime            do not advertise 8BITMIME
  --oauth-token T          also offer XOAUTH2 and OAUTHBEARER; accept only
                           the exact client strings for --user and token T
                           (OAUTHBEARER with host=localhost and our port).
                           Anything else gets the 334 error challenge (a
                           JSON error), and after the client's answer 535.
  --oauth-only             offer no other mechanism (no PLAIN, LOGIN)
  --cram-md5               also offer CRAM-MD5 (RFC 2195) for --user and
                           --password; logged as an "auth-ok" /
                           "auth-failed" event like PLAIN and LOGIN
  --no-login               do not offer LOGIN (so the list reads
                           OAUTHBEARER PLAIN XOAUTH2)
  --pidfile FILE           write our pid there once listening
  --port-file FILE         write the port there once listening (before the
                           pid file)

Each accepted message is written to DIR as N.eml (the exact bytes after
dot-unstuffing, CRLF as received) and then N.json:
  {"n", "mail_from", "rcpt_tos", "mail_options", "rcpt_options", "tls",
   "auth": null or {"login", "tls", "mechanism"}, "size"}
N counts from 1.  N.json appears after N.eml is complete, so wait for it.
OAuth logins add {"conn", "tls", "event": "oauth", "mechanism", "ok",
"response"} and, after an error challenge, {"event": "oauth-error-answer",
"answer"} (the client's decoded answer, or null after "*").
DIR/commands.log gets one JSON object per line received from a client,
except message data: {"conn", "tls", "line"} (AUTH continuation lines
included, so "no password in plaintext" can be checked), plus
{"conn", "tls", "event"} records: connect, starttls, data-begin,
data-end (with "bytes"), tempfail, dropped, accepted.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import os
import re
import signal
import socket
import ssl
import sys
import threading
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword

_conn_ids = itertools.count(1)
_log_lock = threading.Lock()


class Recorder:
    """Writes captured messages and the command log."""

    def __init__(self, outdir):
        self.outdir = outdir
        os.makedirs(outdir, exist_ok=True)
        self.count = 0
        self.ready = False
        self.log = open(os.path.join(outdir, "commands.log"), "a", buffering=1)

    def event(self, rec):
        if not self.ready:   # the start-up self-check connection
            return
        with _log_lock:
            self.log.write(json.dumps(rec) + "\n")
            self.log.flush()

    def save(self, data, meta):
        self.count += 1
        n = self.count
        meta["n"] = n
        meta["size"] = len(data)
        for name, payload in (("%d.eml" % n, data),
                              ("%d.json" % n, json.dumps(meta, indent=1).encode() + b"\n")):
            tmp = os.path.join(self.outdir, "." + name + ".tmp")
            with open(tmp, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, os.path.join(self.outdir, name))
        return n


def is_tls(server):
    t = server.transport
    return bool(t is not None and t.get_extra_info("ssl_object") is not None)


class LoggingReader:
    """Wraps the connection's StreamReader: logs each line a client sends
    outside message data."""

    _own = ("_r", "_server")

    def __init__(self, reader, server):
        object.__setattr__(self, "_r", reader)
        object.__setattr__(self, "_server", server)

    def _note(self, line):
        s = self._server
        if not getattr(s, "in_data", False) and line:
            s.recorder.event({"conn": s.conn_id, "tls": is_tls(s),
                              "line": line.decode("utf-8", "replace").rstrip("\r\n")})
        return line

    async def readuntil(self, *a, **k):
        return self._note(await self._r.readuntil(*a, **k))

    async def readline(self):
        return self._note(await self._r.readline())

    async def read(self, *a, **k):
        return await self._r.read(*a, **k)

    def __getattr__(self, name):
        return getattr(self._r, name)

    def __setattr__(self, name, value):
        setattr(self._r, name, value)


class TestSMTP(SMTP):
    def __init__(self, handler, recorder, **kw):
        if handler.opts.oauth_token:
            # A long token's response comes on a line of its own after
            # the 334 (real servers take ~2000-byte tokens there).
            self.line_length_limit = 8192
        super().__init__(handler, **kw)
        self.recorder = recorder
        self.conn_id = next(_conn_ids)
        self.in_data = False
        self.auth_info = None

    def _client_connected_cb(self, reader, writer):
        super()._client_connected_cb(LoggingReader(reader, self), writer)

    def connection_made(self, transport):
        starttls = self._original_transport is not None
        super().connection_made(transport)
        self.recorder.event({"conn": self.conn_id, "tls": is_tls(self),
                             "event": "starttls" if starttls else "connect"})

    async def smtp_DATA(self, arg):
        self.in_data = True
        try:
            await super().smtp_DATA(arg)
        finally:
            self.in_data = False


class Handler:
    def __init__(self, opts, recorder):
        if opts.oauth_token:
            m = OAuthMechanisms(opts)
            self.auth_XOAUTH2 = m.auth_XOAUTH2
            self.auth_OAUTHBEARER = m.auth_OAUTHBEARER
        if opts.cram_md5:
            # aiosmtpd names the mechanism after the method: "__" is "-".
            self.auth_CRAM__MD5 = CramMD5(opts).auth
        self.opts = opts
        self.recorder = recorder
        self.reject = re.compile(opts.reject, re.I) if opts.reject else None
        self.tempfail_left = opts.tempfail_data
        self.drop_left = opts.drop_after_data

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.opts.no_8bitmime:
            responses = [r for r in responses if "8BITMIME" not in r]
        if not self.opts.user:
            responses = [r for r in responses if not r[4:].startswith("AUTH")]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject.search(address):
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.append(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content
        ev = {"conn": server.conn_id, "tls": is_tls(server)}
        self.recorder.event(dict(ev, event="data-end", bytes=len(data)))
        if self.drop_left > 0:
            self.drop_left -= 1
            self.recorder.event(dict(ev, event="dropped"))
            server.transport.abort()
            return "421 4.4.2 dropped"   # never reaches the client
        if self.tempfail_left > 0:
            self.tempfail_left -= 1
            self.recorder.event(dict(ev, event="tempfail"))
            return "451 4.3.0 Temporary failure, try again later"
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "rcpt_options": [list(o) for o in envelope.rcpt_options],
            "tls": is_tls(server),
            "auth": server.auth_info,
        }
        n = self.recorder.save(data, meta)
        self.recorder.event(dict(ev, event="accepted", n=n))
        return "250 2.0.0 OK: queued as %d" % n


class OAuthMechanisms:
    """XOAUTH2 and OAUTHBEARER as aiosmtpd handler hooks (auth_NAME)."""

    ERROR = json.dumps({"status": "invalid_token", "schemes": "bearer",
                        "scope": "https://mail.example/"})

    def __init__(self, opts):
        self.opts = opts

    def expected(self, mechanism):
        o = self.opts
        if mechanism == "XOAUTH2":
            s = "user=%s\x01auth=Bearer %s\x01\x01" % (o.user, o.oauth_token)
        else:
            user = o.user.replace("=", "=3D").replace(",", "=2C")
            s = ("n,a=%s,\x01host=localhost\x01port=%d\x01auth=Bearer %s\x01\x01"
                 % (user, o.port, o.oauth_token))
        return s.encode()

    async def login(self, server, args, mechanism):
        if len(args) == 1:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = base64.b64decode(args[1].encode(), validate=True)
            except Exception:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        ok = blob == self.expected(mechanism)
        ev = {"conn": server.conn_id, "tls": is_tls(server)}
        server.recorder.event(dict(ev, event="oauth", mechanism=mechanism, ok=ok,
                                   response=blob.decode("latin-1")))
        if ok:
            server.auth_info = {"login": self.opts.user, "tls": is_tls(server),
                                "mechanism": mechanism}
            return AuthResult(success=True)
        # RFC 7628 / Google's XOAUTH2: the error as a 334 challenge, the
        # client answers (empty line, or %x01 for OAUTHBEARER), then 535.
        answer = await server.challenge_auth(self.ERROR)
        server.recorder.event(dict(ev, event="oauth-error-answer",
                                   answer=None if answer is MISSING
                                   else answer.decode("latin-1")))
        if answer is MISSING:
            return AuthResult(success=False, handled=True)
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Username and Password not accepted")

    async def auth_XOAUTH2(self, server, args):
        return await self.login(server, args, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server, args):
        return await self.login(server, args, "OAUTHBEARER")


class CramMD5:
    """CRAM-MD5 (RFC 2195): the client proves it knows the password."""

    def __init__(self, opts):
        self.opts = opts
        self.n = itertools.count(1)

    async def auth(self, server, args):
        challenge = "<%d.%d@localhost>" % (os.getpid(), next(self.n))
        answer = await server.challenge_auth(challenge)
        if answer is MISSING:
            return AuthResult(success=False, handled=True)
        want = "%s %s" % (self.opts.user, hmac.new(
            self.opts.password.encode(), challenge.encode(), hashlib.md5).hexdigest())
        ok = answer == want.encode()
        server.recorder.event({"conn": server.conn_id, "tls": is_tls(server),
                               "event": "auth-ok" if ok else "auth-failed",
                               "mechanism": "CRAM-MD5"})
        if not ok:
            return AuthResult(success=False, handled=False)
        server.auth_info = {"login": self.opts.user, "tls": is_tls(server),
                            "mechanism": "CRAM-MD5"}
        return AuthResult(success=True)


def make_authenticator(opts):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == opts.user.encode()
              and auth_data.password == opts.password.encode())
        server.recorder.event({"conn": server.conn_id, "tls": is_tls(server),
                               "event": "auth-ok" if ok else "auth-failed",
                               "mechanism": mechanism})
        if not ok:
            # handled=False: aiosmtpd answers 535 itself (else it hangs).
            return AuthResult(success=False, handled=False)
        server.auth_info = {"login": opts.user, "tls": is_tls(server),
                            "mechanism": mechanism}
        return AuthResult(success=True)
    return authenticator


class TestController(Controller):
    def __init__(self, handler, recorder, **kw):
        self.recorder = recorder
        super().__init__(handler, **kw)
        # Bind here, before start(): port 0 becomes a free port that is
        # ours from this moment on, and the readiness check and the
        # caller learn the real one.
        self.sock = socket.socket()
        # A restart on the same port must not wait for TIME_WAIT.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.hostname, self.port))
        self.port = self.sock.getsockname()[1]

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock,
                                       ssl=self.ssl_context)

    def factory(self):
        return TestSMTP(self.handler, self.recorder, **self.SMTP_kwargs)


def main(argv):
    ap = argparse.ArgumentParser(description="capturing SMTP server for tests")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--smtps", action="store_true")
    ap.add_argument("--no-starttls", action="store_true")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--auth-required", action="store_true")
    ap.add_argument("--auth-require-tls", action="store_true")
    ap.add_argument("--reject")
    ap.add_argument("--tempfail-data", type=int, default=0)
    ap.add_argument("--drop-after-data", type=int, default=0)
    ap.add_argument("--no-8bitmime", action="store_true")
    ap.add_argument("--pidfile")
    ap.add_argument("--oauth-token")
    ap.add_argument("--oauth-only", action="store_true")
    ap.add_argument("--no-login", action="store_true")
    ap.add_argument("--cram-md5", action="store_true")
    opts = ap.parse_args(argv)

    recorder = Recorder(opts.outdir)
    ctx = None
    if opts.cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(opts.cert, opts.key or opts.cert)
        ctx.num_tickets = 0     # libesmtp 1.1.0 stalls on TLS 1.3 tickets
    elif opts.smtps:
        ap.error("--smtps needs --cert")

    kw = dict(hostname="127.0.0.1", port=opts.port, server_hostname="localhost",
              ready_timeout=30)
    if opts.smtps:
        kw["ssl_context"] = ctx
    elif ctx is not None and not opts.no_starttls:
        kw["tls_context"] = ctx
    if opts.user:
        kw["authenticator"] = make_authenticator(opts)
        kw["auth_require_tls"] = opts.auth_require_tls
        kw["auth_required"] = opts.auth_required
        if opts.oauth_only:
            kw["auth_exclude_mechanism"] = ["PLAIN", "LOGIN"]
        elif opts.no_login:
            kw["auth_exclude_mechanism"] = ["LOGIN"]

    controller = TestController(Handler(opts, recorder), recorder, **kw)
    # --port 0: the port bound is the one OAUTHBEARER clients must name.
    opts.port = controller.port
    controller.start()
    global _conn_ids
    _conn_ids = itertools.count(1)
    recorder.ready = True
    if opts.port_file:
        with open(opts.port_file + ".tmp", "w") as f:
            f.write("%d\n" % controller.port)
        os.rename(opts.port_file + ".tmp", opts.port_file)
    if opts.pidfile:
        with open(opts.pidfile + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(opts.pidfile + ".tmp", opts.pidfile)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(3600):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
