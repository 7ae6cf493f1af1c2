"""Python side of tests/servers: start and stop the test servers from a
Python test, and print TAP.

    import os, sys
    sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests/servers"))
    from servers import Dovecot, Smtpd, FaultProxy, FakePop3, Tap

    with Dovecot(workdir) as dv:          # dv.env: the dovecot.env dict
        dv.add_mail(files=[...], generate=10)
        port = int(dv.env["POP3_PORT"])
        with FaultProxy(port, "drop-retr", n=3) as fp:
            ... connect to fp.port ...

Every server is stopped on leaving the "with" block, and also at exit
(atexit) and on SIGTERM, so an aborted test leaves nothing running.
"""
import atexit
import os
import signal
import subprocess
import sys

import serverenv

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
_running = []


def _stop_all(*_):
    for s in list(reversed(_running)):
        try:
            s.stop()
        except Exception:
            pass
    if _:
        sys.exit(1)


atexit.register(_stop_all)
signal.signal(signal.SIGTERM, _stop_all)


def _run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), r.returncode, r.stderr.strip()))
    return r.stdout


class _Server:
    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()

    def _started(self):
        if self not in _running:
            _running.append(self)

    def _stopped(self):
        if self in _running:
            _running.remove(self)


class Dovecot(_Server):
    """tests/servers/dovecot.sh in DIR; ARGS as for `dovecot.sh start`."""

    def __init__(self, dir, *args):
        self.dir, self.args, self.env = dir, list(args), {}

    def start(self):
        self._started()   # a half-done start is still stopped at exit
        _run(["sh", os.path.join(HERE, "dovecot.sh"), "start", self.dir] + self.args)
        self.env = serverenv.load(os.path.join(self.dir, "dovecot.env"))
        return self

    def stop(self):
        _run(["sh", os.path.join(HERE, "dovecot.sh"), "stop", self.dir])
        self._stopped()

    def add_mail(self, files=(), generate=0, user=None, seed=1):
        argv = ["sh", os.path.join(HERE, "dovecot.sh"), "add-mail", self.dir]
        if user:
            argv += ["--user", user]
        argv += list(files)
        if generate:
            argv += ["--generate", str(generate), "--seed", str(seed)]
        _run(argv)

    def log(self):
        with open(os.path.join(self.dir, "dovecot.log"), errors="replace") as f:
            return f.read()


class Smtpd(_Server):
    """tests/servers/smtpd.sh in DIR; ARGS as for `smtpd.sh start`."""

    def __init__(self, dir, *args):
        self.dir, self.args, self.env = dir, list(args), {}

    def start(self):
        self._started()   # a half-done start is still stopped at exit
        _run(["sh", os.path.join(HERE, "smtpd.sh"), "start", self.dir] + self.args)
        self.env = serverenv.load(os.path.join(self.dir, "smtpd.env"))
        return self

    def stop(self):
        _run(["sh", os.path.join(HERE, "smtpd.sh"), "stop", self.dir])
        self._stopped()

    def messages(self):
        """[(bytes, meta dict)] of the accepted messages, in order."""
        import json
        out, n = [], 1
        d = self.env["SMTP_OUTDIR"]
        while os.path.exists(os.path.join(d, "%d.json" % n)):
            with open(os.path.join(d, "%d.eml" % n), "rb") as f:
                data = f.read()
            with open(os.path.join(d, "%d.json" % n)) as f:
                out.append((data, json.load(f)))
            n += 1
        return out

    def commands(self):
        import json
        try:
            with open(self.env["SMTP_COMMANDS"]) as f:
                return [json.loads(l) for l in f if l.strip()]
        except FileNotFoundError:
            return []


class _Daemon(_Server):
    script = None

    def __init__(self, args, log=None):
        self.args, self.log_path = list(args), log
        self.pid, self.port = None, None

    def start(self):
        import tempfile
        fd, pidfile = tempfile.mkstemp(prefix="postie-srv-", suffix=".pid")
        os.close(fd)
        argv = [PY, os.path.join(HERE, self.script), "--daemon", "--pidfile", pidfile] + self.args
        if self.log_path:
            argv += ["--log", self.log_path]
        self.port = int(_run(argv).strip())
        with open(pidfile) as f:
            self.pid = int(f.read())
        os.unlink(pidfile)
        self._started()
        return self

    def stop(self):
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.pid = None
        self._stopped()


class FaultProxy(_Daemon):
    """faultproxy.py in front of 127.0.0.1:TARGET_PORT."""
    script = "faultproxy.py"

    def __init__(self, target_port, mode, n=1, log=None, extra=()):
        super().__init__(["--target", "127.0.0.1:%d" % target_port, "--mode", mode,
                          "--n", str(n)] + list(extra), log)


class FakePop3(_Daemon):
    script = "fakepop3.py"

    def __init__(self, mode, log=None):
        super().__init__(["--mode", mode], log)


class Tap:
    """Minimal TAP: ok(cond, name), is_(got, want, name), done()."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, name))
        if not cond:
            self.failed += 1
            if diag:
                for line in str(diag).splitlines()[:30]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def is_(self, got, want, name):
        return self.ok(got == want, name, "got:      %r\nexpected: %r" % (got, want))

    def diag(self, text):
        for line in str(text).splitlines():
            print("# " + line)

    def done(self):
        print("1..%d" % self.n)
        sys.stdout.flush()
        return 1 if self.failed else 0
