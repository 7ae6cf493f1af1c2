#!/usr/bin/python3
"""A small HTTPS file server for the autoconfig tests.

  httpsd.py --root DIR --cert PEM --key KEY --pidfile FILE [--port PORT]
            [--forward HOST=PORT]...

It listens as an HTTP proxy: the client (postie with
https_proxy=http://127.0.0.1:PORT) asks "CONNECT HOST:443", and inside
that tunnel the server speaks TLS with the certificate given (made by the
test CA for every name the test serves: the client still checks it).
A tunnel to a HOST given with --forward is not ended here: its bytes go
to and from 127.0.0.1:PORT (e.g. oauthmock.py --cert, standing in for an
authorization server).
Serves DIR/HOST/PATH for a request of PATH with "Host: HOST" (the port
left out), so one server stands in for several web sites.  A file DIR/HOST/REDIRECT makes every request
to HOST a 302 to the URL it holds.  Anything else is a 404.  Each request
is logged to DIR/requests.log as "HOST PATH STATUS".  Without --port
the server binds a free port itself (no other test can take it in
between).  The pid file is written once the server listens: "PID PORT".
"""
import argparse
import http.server
import os
import select
import socket
import ssl


class Handler(http.server.BaseHTTPRequestHandler):
    def do_CONNECT(self):
        """The proxy's tunnel, ended here: TLS as the site asked for."""
        port = self.server.forward.get(self.path.rsplit(":", 1)[0].lower())
        if port:
            return self.pipe(port)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            tls = self.server.ctx.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection = tls
        self.rfile = tls.makefile("rb", self.rbufsize)
        self.wfile = tls.makefile("wb", 0)
        self.close_connection = False

    def pipe(self, port):
        """A plain tunnel to 127.0.0.1:PORT until either side closes."""
        try:
            up = socket.create_connection(("127.0.0.1", port))
        except OSError:
            self.send_error(502)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        socks = [self.connection, up]
        with up:
            while True:
                r, _, _ = select.select(socks, [], [], 120)
                if not r:
                    return
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is self.connection else self.connection).sendall(data)

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        root = self.server.root
        status, body, extra = 404, b"not found\n", {}
        hostdir = os.path.join(root, host)
        if host and "/" not in host and os.path.isdir(hostdir):
            redirect = os.path.join(hostdir, "REDIRECT")
            path = os.path.normpath(self.path.split("?")[0]).lstrip("/")
            target = os.path.join(hostdir, path)
            if os.path.isfile(redirect):
                with open(redirect) as f:
                    status, body, extra = 302, b"", {"Location": f.read().strip()}
            elif not path.startswith("..") and os.path.isfile(target):
                with open(target, "rb") as f:
                    status, body = 200, f.read()
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with open(os.path.join(root, "requests.log"), "a") as log:
            log.write(f"{host} {self.path} {status}\n")

    def log_message(self, *args):
        pass

    def finish(self):
        super().finish()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--root", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--forward", action="append", default=[])
    opts = ap.parse_args()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", opts.port), Handler)
    httpd.daemon_threads = True
    httpd.root = opts.root
    httpd.forward = {h.lower(): int(p) for h, p in
                     (f.rsplit("=", 1) for f in opts.forward)}
    httpd.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    httpd.ctx.load_cert_chain(opts.cert, opts.key)
    with open(opts.pidfile + ".tmp", "w") as f:
        f.write(f"{os.getpid()} {httpd.server_address[1]}\n")
    os.rename(opts.pidfile + ".tmp", opts.pidfile)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
