"""Shared start-up for the small asyncio test servers (faultproxy.py,
fakepop3.py): listen on 127.0.0.1 (a free port unless given), optionally
go to the background, then tell the caller the port.

--daemon: the parent prints the port on standard output and exits once
the child listens, so `port=$(... --daemon --pidfile F)` needs no polling;
stop with `kill $(cat F)`.  Without --daemon the port is printed (and
written to --port-file) once listening, and SIGTERM/SIGINT stop it.
--tls CERTDIR: clients speak TLS from the first byte (the server side of
POP3S), with a certificate made by mkcerts.sh.
"""
import asyncio
import os
import signal
import sys


def add_arguments(ap):
    ap.add_argument("--port", type=int, default=0, help="listen port (default: a free one)")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--pidfile", help="write our pid here")
    ap.add_argument("--daemon", action="store_true",
                    help="go to the background; print the port and exit")
    ap.add_argument("--log", help="append one line per event here")
    ap.add_argument("--tls", metavar="CERTDIR",
                    help="speak TLS from the first byte (like POP3S) with the "
                         "certificate CERTDIR/NAME.pem made by mkcerts.sh")
    ap.add_argument("--tls-cert", metavar="NAME", default="localhost",
                    help="localhost (default), wronghost, expired or selfsigned")


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1) if path else None

    def __call__(self, *words):
        if self.f:
            self.f.write(" ".join(str(w) for w in words) + "\n")


def _write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def run(opts, handle_client):
    """Serve HANDLE_CLIENT(reader, writer) on 127.0.0.1:opts.port."""
    ready_w = None
    if opts.daemon:
        r, ready_w = os.pipe()
        pid = os.fork()
        if pid > 0:
            os.close(ready_w)
            port = os.read(r, 64).decode().strip()
            if not port:
                sys.exit("server did not start")
            print(port)
            sys.stdout.flush()
            os._exit(0)
        os.close(r)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        # Nothing of the caller's may stay open: it waits for EOF.
        err = os.open(opts.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) \
            if opts.log else devnull
        os.dup2(err, 2)

    ctx = None
    if opts.tls:
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        base = os.path.join(opts.tls, opts.tls_cert)
        ctx.load_cert_chain(base + ".pem", base + ".key")
        ctx.num_tickets = 0

    async def main():
        server = await asyncio.start_server(handle_client, "127.0.0.1", opts.port,
                                            limit=1 << 24, ssl=ctx)
        port = server.sockets[0].getsockname()[1]
        if opts.pidfile:
            _write(opts.pidfile, "%d\n" % os.getpid())
        if opts.port_file:
            _write(opts.port_file, "%d\n" % port)
        if ready_w is not None:
            os.write(ready_w, b"%d\n" % port)
            os.close(ready_w)
        else:
            print(port)
            sys.stdout.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        async with server:
            await stop.wait()

    asyncio.run(main())
