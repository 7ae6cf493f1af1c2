#!/usr/bin/python3
"""Self-test of tests/servers/smtpd.sh and smtpd.py."""
import concurrent.futures
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from servers import Smtpd, Tap, _stop_all  # noqa: E402

t = Tap()
tmp = tempfile.mkdtemp(prefix="postie-smtpd-")
certs = os.path.join(tmp, "certs")
TIMEOUT = 20
MSG = ("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n"
       "Subject: caf\u00e9 test\r\nMIME-Version: 1.0\r\n"
       "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
       "Gr\u00fc\u00dfe, 8-bit text.\r\n.leading dot\r\n..two dots\r\nFrom here\r\n\r\nend\r\n"
       ).encode("utf-8")


def client(env, starttls=True, login=True, password=None):
    s = smtplib.SMTP(env["SMTP_HOST"], int(env["SMTP_PORT"]), timeout=TIMEOUT)
    s.ehlo("client.example")
    if starttls:
        s.starttls(context=ssl.create_default_context(cafile=env["SMTP_CA_FILE"]))
        s.ehlo("client.example")
    if login:
        s.login(env["SMTP_USER"], password or env["SMTP_PASSWORD"])
    return s


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


try:
    subprocess.run(["sh", os.path.join(HERE, "mkcerts.sh"), certs], check=True)
    srv = {
        "main": Smtpd(os.path.join(tmp, "main"), "--certs", certs, "--reject", "^reject"),
        "flaky": Smtpd(os.path.join(tmp, "flaky"), "--certs", certs,
                       "--tempfail-data", "1", "--drop-after-data", "1", "--no-8bitmime"),
        "plain": Smtpd(os.path.join(tmp, "plain"), "--certs", certs, "--no-starttls"),
        "smtps": Smtpd(os.path.join(tmp, "smtps"), "--certs", certs, "--smtps",
                       "--auth-required"),
        "wrong": Smtpd(os.path.join(tmp, "wrong"), "--certs", certs, "--cert", "wronghost"),
    }
    with concurrent.futures.ThreadPoolExecutor(5) as ex:
        list(ex.map(lambda s: s.start(), srv.values()))

    # STARTTLS + AUTH, byte-exact capture.
    main = srv["main"]
    env = main.env
    t.is_(env["SMTP_SECURITY"], "starttls", "smtpd.env says starttls")
    s = smtplib.SMTP("localhost", int(env["SMTP_PORT"]), timeout=TIMEOUT)
    code, ehlo = s.ehlo("client.example")
    t.ok(b"STARTTLS" in ehlo and b"8BITMIME" in ehlo and b"AUTH" in ehlo,
         "EHLO offers STARTTLS, 8BITMIME and AUTH", ehlo)
    s.quit()
    s = client(env)
    refused = s.sendmail("alice@example.org", ["bob@example.net", "reject-me@example.net"], MSG)
    s.quit()
    t.ok(list(refused) == ["reject-me@example.net"] and refused["reject-me@example.net"][0] == 550,
         "--reject: 550 for the matching recipient only", refused)
    msgs = main.messages()
    t.is_(len(msgs), 1, "one message captured")
    data, meta = msgs[0]
    t.is_(data, MSG, "N.eml holds the exact bytes sent (after dot-unstuffing)")
    t.is_((meta["mail_from"], meta["rcpt_tos"], meta["tls"]),
          ("alice@example.org", ["bob@example.net"], True), "N.json: envelope and TLS")
    t.is_(meta["auth"], {"login": "alice", "tls": True, "mechanism": "PLAIN"},
          "N.json: AUTH happened over TLS")
    cmds = main.commands()
    t.ok(not any(c.get("line", "").upper().startswith("AUTH") and not c["tls"] for c in cmds)
         and any(c.get("line", "").upper().startswith("AUTH") and c["tls"] for c in cmds),
         "commands.log: AUTH only under TLS")

    # A client that sends its password in plaintext is visible in the log.
    s = client(env, starttls=False)
    s.quit()
    cmds = main.commands()
    t.ok(any(c.get("line", "").upper().startswith("AUTH") and not c["tls"] for c in cmds)
         and any(c.get("event") == "auth-ok" and not c["tls"] for c in cmds),
         "commands.log: plaintext AUTH is recorded as such")

    # Wrong password: a 535, no hang.
    try:
        client(env, password="wrong").quit()
        t.ok(False, "wrong password is refused")
    except smtplib.SMTPAuthenticationError as e:
        t.is_(e.smtp_code, 535, "wrong password: 535")
    t.ok(any(c.get("event") == "auth-failed" for c in main.commands()), "auth-failed event logged")

    # LOGIN mechanism.
    s = client(env, login=False)
    s.user, s.password = env["SMTP_USER"], env["SMTP_PASSWORD"]
    code, _ = s.auth("LOGIN", s.auth_login)
    s.quit()
    t.is_(code, 235, "AUTH LOGIN")

    # 451 once, drop once, then accept.
    flaky = srv["flaky"]
    s = client(flaky.env)
    t.ok(b"8BITMIME" not in s.ehlo_resp, "--no-8bitmime: not advertised", s.ehlo_resp)
    try:
        s.sendmail("a@example.org", ["b@example.org"], MSG)
        t.ok(False, "--drop-after-data: connection dropped after the data")
    except smtplib.SMTPServerDisconnected:
        t.ok(True, "--drop-after-data: connection dropped after the data")
    s = client(flaky.env)
    try:
        s.sendmail("a@example.org", ["b@example.org"], MSG)
        t.ok(False, "--tempfail-data: 451")
    except smtplib.SMTPDataError as e:
        t.is_(e.smtp_code, 451, "--tempfail-data: 451")
    s.sendmail("a@example.org", ["b@example.org"], MSG)
    s.quit()
    msgs = flaky.messages()
    t.ok(len(msgs) == 1 and msgs[0][0] == MSG, "only the accepted message is captured")
    ev = [c.get("event") for c in flaky.commands() if c.get("event")]
    t.ok("dropped" in ev and "tempfail" in ev and "accepted" in ev, "events logged", ev)

    # No STARTTLS.
    s = smtplib.SMTP("localhost", int(srv["plain"].env["SMTP_PORT"]), timeout=TIMEOUT)
    s.ehlo("x")
    t.ok(b"STARTTLS" not in s.ehlo_resp and b"AUTH" in s.ehlo_resp,
         "--no-starttls: no STARTTLS offered, AUTH still offered", s.ehlo_resp)
    s.quit()
    t.is_(srv["plain"].env["SMTP_SECURITY"], "none", "smtpd.env says none")

    # SMTPS.
    e = srv["smtps"].env
    s = smtplib.SMTP_SSL("localhost", int(e["SMTP_PORT"]), timeout=TIMEOUT,
                         context=ssl.create_default_context(cafile=e["SMTP_CA_FILE"]))
    s.ehlo("x")
    try:
        s.sendmail("a@example.org", ["b@example.org"], MSG)
        t.ok(False, "--auth-required: 530 before AUTH")
    except smtplib.SMTPSenderRefused as err:
        t.is_(err.smtp_code, 530, "--auth-required: 530 before AUTH")
    s.login(e["SMTP_USER"], e["SMTP_PASSWORD"])
    s.sendmail("a@example.org", ["b@example.org"], MSG)
    s.quit()
    m = srv["smtps"].messages()
    t.ok(len(m) == 1 and m[0][1]["tls"] and m[0][1]["auth"]["tls"], "SMTPS: delivered over TLS")
    t.is_(e["SMTP_SECURITY"], "tls", "smtpd.env says tls")

    # Wrong host certificate is refused by a verifying client.
    try:
        client(srv["wrong"].env, login=False).quit()
        t.ok(False, "wrong-host certificate refused")
    except ssl.SSLCertVerificationError as err:
        t.ok("Hostname mismatch" in err.verify_message, "wrong-host certificate refused",
             err.verify_message)

    port = int(env["SMTP_PORT"])
    main.stop()
    t.ok(not port_open(port), "stop closes the port")
    main.stop()
    t.ok(True, "a second stop is harmless")
except Exception:   # noqa: BLE001
    import traceback
    t.ok(False, "unexpected error", traceback.format_exc())
finally:
    _stop_all()
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(t.done())
