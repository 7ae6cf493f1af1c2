#!/usr/bin/python3
"""A mock OAuth 2 authorization server for the tests of "postie oauth".

  oauthmock.py --dir DIR [--cert PEM --key KEY]

Listens on 127.0.0.1 (a free port), plain HTTP (HTTPS with --cert and
--key), and writes DIR/port once it accepts connections.  Its behaviour comes from DIR/scenario.json, read
again for every request (missing keys take the defaults shown):

  {"device": "ok",        ok | error | huge | malformed | http500
   "interval": 1, "device_expires_in": 600,
   "polls": ["ok"],       device-code polls in order (the last repeats):
                          pending | slow_down | ok | expired_token |
                          access_denied
   "token": "normal",     every token reply: normal | huge | malformed |
                          nested | http500 | wrongtype | badchars
   "refresh": "ok",       ok | rotate (a new refresh token) | revoked
   "authorize": "ok",     ok | deny
   "expires_in": 3600,    of the access tokens it issues
   "refresh_token": true, whether token replies carry a refresh token
   "access_token": null}  a fixed access token instead of "at-N" (for a
                          real server that checks it, e.g. Dovecot)

Endpoints: POST /device (RFC 8628), GET /authorize (redirects to the
client's redirect_uri with code and state), POST /token (device_code,
authorization_code with PKCE S256 checked, refresh_token).  Access tokens
are "at-N", refresh tokens "rt-N"; Microsoft's paths
(/consumers/oauth2/v2.0/devicecode, .../token, .../authorize) are the
same endpoints, for the presets' own URLs reached through a proxy; only the newest refresh token is valid.
DIR/requests.log gets one JSON object per request: {"t" (monotonic),
"method", "path", "url_path" (as asked, before the mapping above),
"params"}.
"""
import argparse
import base64
import hashlib
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"n": 0, "refresh": None, "codes": {}, "polls": 0}


def scenario(d):
    try:
        with open(os.path.join(d, "scenario.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def endpoint(path):
    """Microsoft's endpoint paths as the mock's own."""
    base, _, query = path.partition("?")
    if base.startswith("/consumers/oauth2/v2.0/") or \
            base.startswith("/organizations/oauth2/v2.0/"):
        last = base.rsplit("/", 1)[1]
        base = "/" + {"devicecode": "device"}.get(last, last)
    return base + ("?" + query if query else "")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def note(self, params):
        with lock, open(os.path.join(self.server.dir, "requests.log"), "a") as f:
            f.write(json.dumps({"t": time.monotonic(), "method": self.command,
                                "path": self.path.split("?")[0],
                                "url_path": getattr(self, "raw_path", self.path).split("?")[0],
                                "params": params}) + "\n")

    def send(self, code, body, ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def hostile(self, mode):
        """Replies for the hostile modes; True when one was sent."""
        if mode == "huge":
            # 8 MiB of valid JSON: the client must stop reading early.
            self.send(200, '{"access_token": "' + "A" * (8 << 20) + '"}')
        elif mode == "malformed":
            self.send(200, '{"access_token": "at-x", "expires_in": 36')
        elif mode == "nested":
            self.send(200, "[" * 30000 + "]" * 30000)   # under 64 KiB
        elif mode == "http500":
            self.send(500, "<html>Internal error</html>", "text/html")
        elif mode == "wrongtype":
            self.send(200, {"access_token": ["at-x"], "expires_in": "soon"})
        elif mode == "badchars":
            self.send(200, {"access_token": "at-\x1b[31m-x", "token_type": "Bearer"})
        else:
            return False
        return True

    def tokens(self, sc):
        with lock:
            state["n"] += 1
            n = state["n"]
            reply = {"access_token": sc.get("access_token") or "at-%d" % n,
                     "token_type": "Bearer",
                     "expires_in": sc.get("expires_in", 3600)}
            if sc.get("refresh_token", True):
                state["refresh"] = "rt-%d" % n
                reply["refresh_token"] = state["refresh"]
        return reply

    def error(self, code, err, desc=None):
        body = {"error": err}
        if desc:
            body["error_description"] = desc
        self.send(code, body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(u.query))
        self.note(params)
        sc = scenario(self.server.dir)
        if u.path != "/authorize":
            return self.send(404, {"error": "not_found"})
        redirect = params.get("redirect_uri", "")
        if sc.get("authorize", "ok") == "deny":
            q = {"error": "access_denied", "error_description": "the user said no",
                 "state": params.get("state", "")}
        else:
            code = "code-%d" % time.monotonic_ns()
            with lock:
                state["codes"][code] = (params.get("code_challenge"), redirect)
            q = {"code": code, "state": params.get("state", "")}
        self.send(302, "", "text/plain",
                  [("Location", redirect + "?" + urllib.parse.urlencode(q))])

    def do_POST(self):
        self.raw_path = self.path
        self.path = endpoint(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        params = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
        self.note(params)
        sc = scenario(self.server.dir)
        if self.path == "/device":
            mode = sc.get("device", "ok")
            if mode == "error":
                return self.error(400, "invalid_client", "unknown client")
            if self.hostile(mode):
                return
            with lock:
                state["polls"] = 0
            return self.send(200, {
                "device_code": "dev-code-1", "user_code": "ABCD-1234",
                "verification_uri": "https://login.example/device",
                "expires_in": sc.get("device_expires_in", 600),
                "interval": sc.get("interval", 1)})
        if self.path != "/token":
            return self.send(404, {"error": "not_found"})
        if self.hostile(sc.get("token", "normal")):
            return
        grant = params.get("grant_type")
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            polls = sc.get("polls", ["ok"])
            with lock:
                i = min(state["polls"], len(polls) - 1)
                state["polls"] += 1
            what = polls[i]
            if params.get("device_code") != "dev-code-1":
                return self.error(400, "invalid_grant")
            if what == "pending":
                return self.error(400, "authorization_pending")
            if what in ("slow_down", "expired_token", "access_denied"):
                return self.error(400, what)
            return self.send(200, self.tokens(sc))
        if grant == "authorization_code":
            with lock:
                c = state["codes"].pop(params.get("code"), None)
            verifier = params.get("code_verifier", "")
            s256 = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if not c or c[0] != s256 or c[1] != params.get("redirect_uri"):
                return self.error(400, "invalid_grant", "bad code or verifier")
            return self.send(200, self.tokens(sc))
        if grant == "refresh_token":
            mode = sc.get("refresh", "ok")
            with lock:
                valid = state["refresh"] is not None and \
                    params.get("refresh_token") == state["refresh"]
            if mode == "revoked" or not valid:
                return self.error(400, "invalid_grant",
                                  "AADSTS70000: the refresh token was revoked")
            with lock:
                state["n"] += 1
                reply = {"access_token": sc.get("access_token") or "at-%d" % state["n"],
                         "token_type": "Bearer",
                         "expires_in": sc.get("expires_in", 3600)}
                if mode == "rotate":
                    state["refresh"] = "rt-%d" % state["n"]
                    reply["refresh_token"] = state["refresh"]
            return self.send(200, reply)
        return self.error(400, "unsupported_grant_type")


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    opts = ap.parse_args(argv)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if opts.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts.cert, opts.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    srv.dir = opts.dir
    tmp = os.path.join(opts.dir, ".port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, os.path.join(opts.dir, "port"))
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
