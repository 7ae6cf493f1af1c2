#!/usr/bin/python3
"""TLS details a real server cannot easily report, with a small SMTP server
written here:
  - SNI and TLS 1.3 on STARTTLS: postie makes the connection and does
    TLS itself (libesmtp talks to postie's relay), so no libesmtp TLS bug
    applies (no SNI, stall after TLS 1.3 session tickets).
  - The loopback relay: it listens only between the greeting and
    libesmtp's connection (postie holds no listening port while it waits
    for the server), the server never sees the relay's token, and another
    process that connects later is refused.
Prints TAP."""
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

top = os.environ["top_srcdir"]
postie = os.environ["POSTIE"]
n = 0
failed = 0


def ok(cond, desc):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, desc), flush=True)
    if not cond:
        failed += 1


tmp = tempfile.mkdtemp(prefix="postie-send-tls-")
certs = os.path.join(tmp, "certs")
subprocess.run([os.path.join(top, "tests/servers/mkcerts.sh"), certs], check=True)
env = dict(os.environ)
home = os.path.join(tmp, "home")
env.update(HOME=home, XDG_CONFIG_HOME=home + "/.config",
           XDG_DATA_HOME=home + "/.local/share", XDG_STATE_HOME=home + "/.local/state")
os.makedirs(home + "/.config/postie")


def server_ctx(seen, tickets=0):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certs, "localhost.pem"), os.path.join(certs, "localhost.key"))
    ctx.num_tickets = tickets

    def sni(sock, name, c):
        seen.append(name)
    ctx.sni_callback = sni
    return ctx


def listener():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(5)
    s.settimeout(60)
    return s


def smtp_dialogue(f, w, log, starttls=None, greet=None, on_ehlo=None):
    """Serve one session on file F / writer W; STARTTLS calls starttls()."""
    def say(t):
        w(t.encode() + b"\r\n")
    if greet:
        greet()
    say("220 fake ESMTP")
    while True:
        line = f.readline()
        if not line:
            return
        cmd = line.decode(errors="replace").rstrip("\r\n")
        log.append(cmd)
        up = cmd.upper()
        if up.startswith("EHLO"):
            if on_ehlo:
                on_ehlo()
                on_ehlo = None
            caps = ["250-fake", "250-8BITMIME"]
            if starttls:
                caps.append("250-STARTTLS")
            say("\r\n".join(caps + ["250 HELP"]))
        elif up == "STARTTLS" and starttls:
            say("220 go ahead")
            f, w = starttls()
            starttls = None
        elif up.startswith("MAIL") or up.startswith("RCPT") or up.startswith("RSET"):
            say("250 ok")
        elif up == "DATA":
            say("354 go")
            while True:
                l = f.readline()
                if not l or l in (b".\r\n", b".\n"):
                    break
            say("250 queued")
        elif up == "QUIT":
            say("221 bye")
            return
        else:
            say("502 no")


def write_config(port, security):
    with open(home + "/.config/postie/config", "w") as c:
        c.write(f"""[account t]
address = alice@example.org
smtp_host = localhost
smtp_port = {port}
smtp_security = {security}
smtp_auth = none
smtp_ca_file = {certs}/ca.pem
timeout = 20
""")
    os.chmod(home + "/.config/postie/config", 0o600)


MSG = b"From: alice@example.org\nTo: bob@example.net\nSubject: t\n\nbody\n"

# ---- SNI over STARTTLS (libesmtp) ----------------------------------------
seen = []
log = []
lst = listener()
port = lst.getsockname()[1]
ctx = server_ctx(seen)


def serve_starttls():
    conn, _ = lst.accept()
    conn.settimeout(60)
    state = {"sock": conn}
    f = conn.makefile("rb")

    def starttls():
        t = ctx.wrap_socket(state["sock"], server_side=True)
        state["sock"] = t
        versions.append(t.version())
        return t.makefile("rb"), t.sendall
    try:
        smtp_dialogue(f, conn.sendall, log, starttls)
    except (OSError, ssl.SSLError) as e:
        log.append("error %s" % e)
    finally:
        state["sock"].close()


versions = []
th = threading.Thread(target=serve_starttls, daemon=True)
th.start()
write_config(port, "starttls")
r = subprocess.run([postie, "send"], input=MSG, env=env, capture_output=True, timeout=120)
th.join(60)
ok(r.returncode == 0, "STARTTLS session to the fake server succeeds (rc %d %s)" % (r.returncode, r.stderr[-200:]))
ok(seen == ["localhost"], "the server saw SNI 'localhost' through libesmtp (saw %r)" % seen)
ok(versions == ["TLSv1.3"], "STARTTLS is done by postie with TLS 1.3 (saw %r)" % versions)
ehlos = [l for l in log if l.upper().startswith("EHLO")]
ok(len(ehlos) == 2 and all(l == "EHLO " + socket.gethostname() for l in ehlos),
   "EHLO before and after TLS with the host name, never the relay token (saw %r)" % ehlos)

# A server that sends session tickets (which stall libesmtp under TLS 1.3):
# every session completes.
ctx = server_ctx(seen, tickets=2)
runs = 10
good = 0
for i in range(runs):
    th = threading.Thread(target=serve_starttls, daemon=True)
    th.start()
    r = subprocess.run([postie, "send"], input=MSG, env=env, capture_output=True, timeout=120)
    th.join(60)
    good += r.returncode == 0
ok(good == runs, "%d of %d sessions with session tickets on completed" % (good, runs))
lst.close()

# ---- implicit TLS relay refuses other processes ---------------------------
seen = []
log = []
probe = {}
lst = listener()
port = lst.getsockname()[1]
ctx = server_ctx(seen)
proc = None


def relay_ports(pid):
    """Loopback LISTEN ports of the sockets process PID holds."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            t = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", t)
        if m:
            inodes.add(m.group(1))
    ports = []
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        p = line.split()
        if p[3] == "0A" and p[9] in inodes and p[1].startswith("0100007F:"):
            ports.append(int(p[1].split(":")[1], 16))
    return ports


def serve_smtps():
    conn, _ = lst.accept()
    conn.settimeout(60)
    t = ctx.wrap_socket(conn, server_side=True)

    def greet():
        # postie waits for the greeting: no relay port is open yet.
        probe["before"] = relay_ports(proc.pid)

    def on_ehlo():
        # libesmtp got in through the relay (with its token): the relay
        # listens no more, so any other local connection is refused.
        probe["after"] = relay_ports(proc.pid)
    try:
        smtp_dialogue(t.makefile("rb"), t.sendall, log, greet=greet, on_ehlo=on_ehlo)
    except (OSError, ssl.SSLError) as e:
        log.append("error %s" % e)
    finally:
        t.close()


write_config(port, "tls")
th = threading.Thread(target=serve_smtps, daemon=True)
proc = subprocess.Popen([postie, "send"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, env=env)
th.start()
out, err = proc.communicate(MSG, timeout=120)
th.join(60)
ok(proc.returncode == 0, "implicit TLS session through the relay succeeds (rc %d %s)"
   % (proc.returncode, err[-200:]))
ok(probe.get("before") == [], "no loopback port is open while postie waits for the server")
ok(probe.get("after") == [], "none once libesmtp is connected (saw %r)" % probe.get("after"))
ok(any(l.upper().startswith("MAIL FROM") for l in log), "the real session went on")
ok(seen == ["localhost"], "SNI on the implicit TLS connection (saw %r)" % seen)
ok(not any("postie-" in l for l in log), "the server never saw the relay token")

shutil.rmtree(tmp, ignore_errors=True)
print("1..%d" % n)
sys.exit(1 if failed else 0)
