#!/usr/bin/python3
"""Self-test of tests/servers/faultproxy.py and fakepop3.py."""
import os
import poplib
import shutil
import socket
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from servers import Dovecot, FakePop3, FaultProxy, Tap, _stop_all  # noqa: E402

t = Tap()
tmp = tempfile.mkdtemp(prefix="postie-faults-")
TIMEOUT = 20


def session(port, retrs=3, timeout=TIMEOUT):
    """Log in through PORT and RETR messages 1..RETRS.  Returns (sizes of
    the messages read, the exception that ended it or None)."""
    got = []
    try:
        p = poplib.POP3("localhost", port, timeout=timeout)
        p.user("alice")
        p.pass_("alice-pw-1")
        for i in range(1, retrs + 1):
            got.append(len(b"\n".join(p.retr(i)[1])))
        p.quit()
        return got, None
    except Exception as e:   # noqa: BLE001
        return got, e


def raw(port, send=b"", timeout=5, limit=4 << 20):
    """Bytes the server sends (after SEND) until it closes, LIMIT is
    reached or TIMEOUT passes; and why it stopped."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if send:
        s.sendall(send)
    buf = b""
    why = "eof"
    try:
        while len(buf) < limit:
            d = s.recv(65536)
            if not d:
                break
            buf += d
        else:
            why = "limit"
    except socket.timeout:
        why = "timeout"
    s.close()
    return buf, why


try:
    dv = Dovecot(os.path.join(tmp, "dv")).start()
    dv.add_mail(generate=5)
    port = int(dv.env["POP3_PORT"])
    log = os.path.join(tmp, "proxy.log")

    with FaultProxy(port, "pass") as fp:
        got, err = session(fp.port, 5)
        t.ok(err is None and len(got) == 5, "pass: a whole session goes through", err)

    with FaultProxy(port, "drop-retr", n=3, log=log) as fp:
        got, err = session(fp.port, 5)
        t.ok(len(got) == 2 and err is not None, "drop-retr 3: two messages, then the third is cut",
             (got, err))
        got, err = session(fp.port, 5)
        t.ok(len(got) == 2, "drop-retr: every connection is cut (no --faulty)")
    t.ok("retr 3" in open(log).read() and "fault drop" in open(log).read(), "drop-retr is logged")

    with FaultProxy(port, "drop-retr", n=1, extra=["--faulty", "1"]) as fp:
        got1, err1 = session(fp.port, 3)
        got2, err2 = session(fp.port, 3)
        t.ok(len(got1) == 0 and err1 is not None and len(got2) == 3 and err2 is None,
             "--faulty 1: only the first connection is cut", (got1, err1, got2, err2))

    # TLS on the client side (POP3S), plain to Dovecot: RETRs are visible.
    certs = os.path.join(tmp, "dv", "certs")
    with FaultProxy(port, "drop-retr", n=2, extra=["--tls", certs]) as fp:
        import ssl
        ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
        got = []
        try:
            p = poplib.POP3_SSL("localhost", fp.port, timeout=TIMEOUT, context=ctx)
            p.user("alice")
            p.pass_("alice-pw-1")
            for i in (1, 2, 3):
                got.append(p.retr(i))
            err = None
        except Exception as e:   # noqa: BLE001
            err = e
        t.ok(len(got) == 1 and err is not None and not isinstance(err, ssl.SSLCertVerificationError),
             "--tls: a verified POP3S client, cut in its second RETR", (len(got), err))

    with FaultProxy(port, "drop-bytes", n=10) as fp:
        data, why = raw(fp.port)
        t.ok(len(data) == 10 and why == "eof", "drop-bytes 10: exactly 10 bytes, then closed",
             (data, why))

    with FaultProxy(port, "garbage", n=2) as fp:
        data, why = raw(fp.port, b"CAPA\r\nQUIT\r\n")
        lines = data.split(b"\r\n")
        t.ok(lines[0].startswith(b"+OK") and lines[1].startswith(b"\x00") and
             lines[2].startswith(b"+OK"),
             "garbage 2: a garbage line before the server's second line", lines[:3])

    with FaultProxy(port, "longline", n=1) as fp:
        data, why = raw(fp.port, timeout=3)
        t.ok(len(data) == 1 << 20 and b"\n" not in data and why == "timeout",
             "longline: 1 MB without newline, then a stall", (len(data), why))

    with FaultProxy(port, "stall", n=5) as fp:
        data, why = raw(fp.port, timeout=2)
        t.ok(data == b"+OK D" and why == "timeout", "stall 5: 5 bytes, then silence", (data, why))

    # The hostile fake server.
    flog = os.path.join(tmp, "fake.log")
    with FakePop3("garbage-greeting") as f:
        data, why = raw(f.port, timeout=2)
        t.ok(data.startswith(b"\x00") and not data.startswith(b"+OK"), "garbage-greeting")
    with FakePop3("no-greeting") as f:
        data, why = raw(f.port, timeout=1)
        t.ok(data == b"" and why == "timeout", "no-greeting: silence")
    with FakePop3("endless-line") as f:
        data, why = raw(f.port, limit=3 << 20)
        t.ok(why == "limit" and data.startswith(b"+OK ") and b"\n" not in data,
             "endless-line: megabytes without a newline", (len(data), why))
    with FakePop3("long-greeting") as f:
        data, why = raw(f.port)
        t.ok(len(data) == 4 + (1 << 20) and b"\n" not in data and why == "eof",
             "long-greeting: 1 MB line, then closed")
    with FakePop3("unterminated", log=flog) as f:
        data, why = raw(f.port, b"USER u\r\nPASS secret\r\nUIDL\r\n")
        t.ok(data.endswith(b"3 uid-3\r\n") and why == "eof",
             "unterminated: UIDL without the final dot, then closed", data[-40:])
    t.ok("< PASS secret" in open(flog).read(), "the fake server logs what it received")
    with FakePop3("bogus-listings") as f:
        data, why = raw(f.port, b"STAT\r\nUIDL\r\nQUIT\r\n")
        t.ok(b"+OK 4294967296 -1" in data and b"2 dup-b" in data and b"\x1b[31m" in data,
             "bogus-listings: huge STAT, duplicate and control-byte UIDs")
    with FakePop3("bad-replies") as f:
        data, why = raw(f.port, b"STAT\r\nQUIT\r\n")
        t.ok(data.split(b"\r\n")[1] in (b"+O", b"OK", b"", b"-ER", b"+OKAY"),
             "bad-replies: neither +OK nor -ERR", data)
    with FakePop3("sane") as f:
        p = poplib.POP3("localhost", f.port, timeout=TIMEOUT)
        p.user("u")
        p.pass_("p")
        lines = p.retr(2)[1]
        p.quit()
        t.ok(b".dotted line" in lines, "sane: a working baseline with dot-stuffing")
except Exception:   # noqa: BLE001
    import traceback
    t.ok(False, "unexpected error", traceback.format_exc())
finally:
    _stop_all()
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(t.done())
