#!/usr/bin/python3
"""Self-test of tests/servers: the test CA and the Dovecot POP3 server."""
import base64
import hashlib
import hmac
import os
import poplib
import pwd
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from servers import Dovecot, Tap, _run  # noqa: E402

t = Tap()
tmp = tempfile.mkdtemp(prefix="postie-servers-")
certs = os.path.join(tmp, "certs")
TIMEOUT = 20


def ctx_for(cafile):
    c = ssl.create_default_context(cafile=cafile)
    return c


def tls_error(fn):
    """The SSL verification message FN raised, or None."""
    try:
        fn()
    except ssl.SSLCertVerificationError as e:
        return e.verify_message
    except Exception as e:   # noqa: BLE001
        return "other: %r" % e
    return None


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


try:
    # 1. The CA.
    r = subprocess.run(["sh", os.path.join(HERE, "mkcerts.sh"), certs],
                       capture_output=True)
    t.ok(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
         "mkcerts.sh succeeds silently", r.stderr)
    names = ["ca", "localhost", "wronghost", "expired", "selfsigned"]
    t.ok(all(os.path.exists(os.path.join(certs, n + ext)) for n in names for ext in (".pem", ".key")),
         "mkcerts.sh writes every certificate and key")
    t.is_(oct(os.stat(os.path.join(certs, "localhost.key")).st_mode & 0o777), "0o600",
          "keys are private")

    # 2. Dovecot with the good certificate.
    maildir = os.path.join(tmp, "msgs")
    os.makedirs(maildir)
    exact = (b"From: Tester <tester@example.org>\r\nTo: alice@example.org\r\n"
             b"Subject: exact\r\n\r\nFrom the start of a line\r\n.a dot line\r\n"
             b">From quoted\r\n\r\nend\r\n")
    with open(os.path.join(maildir, "exact.eml"), "wb") as f:
        f.write(exact)
    dv = Dovecot(os.path.join(tmp, "dv"), "--certs", certs).start()
    env = dv.env
    port, sport = int(env["POP3_PORT"]), int(env["POP3S_PORT"])
    ca = env["CA_FILE"]
    t.ok(port > 1024 and sport > 1024 and port != sport, "two high ports in dovecot.env")
    t.is_((env["POP3_USER"], env["POP3_PASSWORD"]), ("alice", "alice-pw-1"), "default user in env")
    conf = open(env["DOVECOT_CONF"]).read()
    t.ok(":110" not in conf and "port = 995" not in conf, "no default POP3 ports in the config")

    p = poplib.POP3("localhost", port, timeout=TIMEOUT)
    capa = p.capa()
    t.ok("STLS" in capa and "PIPELINING" in capa and "UIDL" in capa, "plain listener offers STLS",
         capa)
    t.ok(b"<" in p.getwelcome(), "greeting carries an APOP timestamp")
    p.user("alice")
    p.pass_("alice-pw-1")
    t.is_(p.stat()[0], 0, "USER/PASS in plain, empty mailbox")
    p.quit()

    dv.add_mail(files=[os.path.join(maildir, "exact.eml")], generate=200)
    p = poplib.POP3("localhost", port, timeout=TIMEOUT)
    p.stls(ctx_for(ca))
    p.user("alice")
    p.pass_("alice-pw-1")
    t.is_(p.stat()[0], 201, "STLS verified with the CA; add-mail added 201 messages")
    got = b"\r\n".join(p.retr(1)[1]) + b"\r\n"
    t.is_(got, exact, "RETR gives back the added message byte for byte")
    p.quit()

    p = poplib.POP3_SSL("localhost", sport, timeout=TIMEOUT, context=ctx_for(ca))
    p.apop("alice", "alice-pw-1")
    t.is_(p.stat()[0], 201, "POP3S verified with the CA, APOP login")
    p.quit()

    def sasl(mech, first, answer=None):
        p = poplib.POP3_SSL("localhost", sport, timeout=TIMEOUT, context=ctx_for(ca))
        try:
            r = p._shortcmd("AUTH %s%s" % (mech, " " + first if first else ""))
            if answer:
                r = p._shortcmd(answer(base64.b64decode(r[2:])))
            return r.startswith(b"+OK")
        except poplib.error_proto:
            return False
        finally:
            try:
                p.quit()
            except Exception:
                pass

    def cram(pw):
        return lambda ch: base64.b64encode(
            b"alice " + hmac.new(pw, ch, hashlib.md5).hexdigest().encode()).decode()

    t.ok(sasl("CRAM-MD5", "", cram(b"alice-pw-1")), "AUTH CRAM-MD5")
    t.ok(not sasl("CRAM-MD5", "", cram(b"wrong")), "AUTH CRAM-MD5 with a wrong password fails")
    t.ok(sasl("PLAIN", base64.b64encode(b"\0alice\0alice-pw-1").decode()), "AUTH PLAIN")
    t.ok(sasl("XOAUTH2", base64.b64encode(b"user=alice\1auth=Bearer alice-pw-1\1\1").decode()),
         "AUTH XOAUTH2 with the password as token")
    t.ok(sasl("OAUTHBEARER", base64.b64encode(b"n,a=alice,\1auth=Bearer alice-pw-1\1\1").decode()),
         "AUTH OAUTHBEARER with the password as token")
    t.ok("Login: user=<alice>" in dv.log(), "logins show in DOVECOT_LOG")

    # Restart: same ports, mail kept.
    dv.stop()
    t.ok(not port_open(port) and not port_open(sport), "stop closes both ports")
    dv.start()
    t.is_((int(dv.env["POP3_PORT"]), int(dv.env["POP3S_PORT"])), (port, sport),
          "restart in the same directory keeps the ports")
    p = poplib.POP3_SSL("localhost", sport, timeout=TIMEOUT, context=ctx_for(ca))
    p.user("bob")
    p.pass_("bob-pw-2")
    t.is_(p.stat()[0], 0, "second user bob has his own mailbox")
    p.quit()
    dv.add_mail(generate=3, user="bob")
    dv.stop()

    # 3. Bad certificates are refused by a verifying client.
    # (started side by side: each start and stop takes a moment on a busy machine)
    import concurrent.futures
    bad = {c: Dovecot(os.path.join(tmp, "dv-" + c), "--certs", certs, "--cert", c)
           for c in ("wronghost", "expired", "selfsigned")}
    bad["nostls"] = Dovecot(os.path.join(tmp, "dv-nostls"), "--no-stls")
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        list(ex.map(lambda d: d.start(), bad.values()))
    for cert, want in (("wronghost", "Hostname mismatch"), ("expired", "expired"),
                       ("selfsigned", "self-signed")):
        d = bad[cert]
        e = d.env
        err = tls_error(lambda: poplib.POP3_SSL("localhost", int(e["POP3S_PORT"]),
                                                timeout=TIMEOUT, context=ctx_for(ca)).quit())
        t.ok(err is not None and want in err, "POP3S with the %s certificate is refused" % cert, err)

        def stls():
            p = poplib.POP3("localhost", int(e["POP3_PORT"]), timeout=TIMEOUT)
            p.stls(ctx_for(ca))
            p.quit()
        err = tls_error(stls)
        t.ok(err is not None and want in err, "STLS with the %s certificate is refused" % cert, err)

    # 4. An instance without STLS.
    d = bad["nostls"]
    p = poplib.POP3("localhost", int(d.env["POP3_PORT"]), timeout=TIMEOUT)
    capa = p.capa()
    t.ok("STLS" not in capa and "USER" in capa, "--no-stls: no STLS in CAPA", capa)
    p.quit()
    t.is_(d.env["POP3S_PORT"], "", "--no-stls: no POP3S port")
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        list(ex.map(lambda d: d.stop(), bad.values()))

    # 5. As an ordinary user (CI runs as root; the demo and tests must not need it).
    if os.geteuid() == 0 and shutil.which("runuser"):
        nobody = pwd.getpwnam("nobody")
        udir = tempfile.mkdtemp(prefix="postie-servers-user-")
        os.chmod(udir, 0o755)
        os.chown(udir, nobody.pw_uid, nobody.pw_gid)
        ud = os.path.join(udir, "dv")

        def as_nobody(*argv):
            return _run(["runuser", "-u", "nobody", "--", "env", "HOME=" + udir,
                         "TMPDIR=" + udir] + list(argv))
        try:
            as_nobody("sh", os.path.join(HERE, "dovecot.sh"), "start", ud)
            as_nobody("sh", os.path.join(HERE, "dovecot.sh"), "add-mail", ud, "--generate", "5")
            import serverenv
            ue = serverenv.load(os.path.join(ud, "dovecot.env"))
            p = poplib.POP3("localhost", int(ue["POP3_PORT"]), timeout=TIMEOUT)
            p.stls(ctx_for(ue["CA_FILE"]))
            p.user("alice")
            p.pass_("alice-pw-1")
            n = p.stat()[0]
            p.quit()
            out = subprocess.run(["ps", "-o", "user=", "--ppid",
                                  open(os.path.join(ud, "run/master.pid")).read().strip()],
                                 capture_output=True, text=True).stdout.split()
            t.ok(n == 5 and out and set(out) == {"nobody"},
                 "runs as an ordinary user (nobody): STLS login, 5 messages, no root children",
                 (n, out))
        except Exception as e:   # noqa: BLE001
            t.ok(False, "runs as an ordinary user (nobody)", e)
        finally:
            subprocess.run(["runuser", "-u", "nobody", "--", "sh",
                            os.path.join(HERE, "dovecot.sh"), "stop", ud])
            shutil.rmtree(udir, ignore_errors=True)
    else:
        t.ok(True, "# SKIP not root: this whole test ran as an ordinary user")
except Exception as e:   # noqa: BLE001
    import traceback
    t.ok(False, "unexpected error", traceback.format_exc())
finally:
    from servers import _stop_all
    _stop_all()
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(t.done())
