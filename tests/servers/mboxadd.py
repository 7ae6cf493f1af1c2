#!/usr/bin/python3
"""Append messages to an mbox file the way a local delivery agent does.

  mboxadd.py MBOX [FILE|-]... [--generate N] [--seed S] [--owner-of PATH]

Each FILE (or '-' for standard input) holds one RFC 5322 message; CRLF
line ends become LF.  --generate N appends N generated messages of a few
KB each, every tenth with a base64 attachment (deterministic for a seed),
after the files.  The mbox is locked the way Dovecot expects while it is
written (MBOX.lock dotlock plus an fcntl write lock), so this is safe
while Dovecot runs; everything is written with one write and fsynced.
Bodies are not quoted; a Content-Length header (which Dovecot uses to
find the next message and hides, like Status, X-Status, X-UID, X-IMAP,
X-IMAPbase and X-Keywords) keeps "From " lines in them safe, so RETR
gives back each message byte for byte (with CRLF line ends).  --owner-of PATH gives
a newly created mbox the owner and group of PATH (for root-run tests whose
mail user is not root).
"""
import base64
import fcntl
import os
import random
import re
import sys
import time


WORDS = (b"mail server fetch message folder account queue report meeting "
         b"invoice schedule budget release draft review update backup network "
         b"project weekly status please thanks attached question answer team "
         b"lunch coffee friday monday deadline ticket customer order delivery").split()
NAMES = [(b"Alice Example", b"alice@example.org"), (b"Bob Builder", b"bob@example.net"),
         (b"Carol Jones", b"carol@example.com"), (b"Dave Smith", b"dave@example.org"),
         (b"Eve Miller", b"eve@lists.example.com"), (b"Frank Ocean", b"frank@example.net")]


def mbox_entry(msg):
    msg = msg.replace(b"\r\n", b"\n")
    if not msg.endswith(b"\n"):
        msg += b"\n"
    sender = b"MAILER-DAEMON"
    m = re.search(rb"^Return-Path:\s*<?([^>\s]+)>?", msg, re.M | re.I) or \
        re.search(rb"^From:.*?<?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)>?", msg, re.M | re.I)
    if m:
        sender = m.group(1)
    date = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime()).encode()
    if msg.startswith(b"\n"):
        body = msg[1:]
    else:
        end = msg.find(b"\n\n")
        body = msg[end + 2:] if end >= 0 else b""
    # Content-Length instead of ">From " quoting: Dovecot finds the next
    # message by it, hides the header and never unquotes, so this is the
    # way to get every message back byte for byte.
    return (b"From " + sender + b" " + date + b"\n" +
            b"Content-Length: %d\n" % len(body) + msg + b"\n")


def sentence(rng, n):
    return b" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + b"."


def generate(i, rng):
    name, addr = NAMES[i % len(NAMES)]
    subj = sentence(rng, rng.randint(3, 8))[:-1]
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000",
                         time.gmtime(1700000000 + i * 137)).encode()
    paras = []
    for _ in range(rng.randint(2, 12)):
        words = b" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 70)))
        # wrap at about 72 columns
        line, lines = b"", []
        for w in words.split():
            if len(line) + len(w) > 70:
                lines.append(line)
                line = b""
            line = (line + b" " + w) if line else w
        lines.append(line)
        paras.append(b"\n".join(lines))
    text = b"\n\n".join(paras) + b"\n"
    head = (b"Return-Path: <" + addr + b">\n"
            b"From: " + name + b" <" + addr + b">\n"
            b"To: Test User <test@example.org>\n"
            b"Subject: " + subj + b" #" + str(i).encode() + b"\n"
            b"Date: " + date + b"\n"
            b"Message-ID: <gen-" + str(i).encode() + b"-" + str(rng.getrandbits(32)).encode()
            + b"@example.org>\n"
            b"MIME-Version: 1.0\n")
    if i % 10 != 9:
        return head + b"Content-Type: text/plain; charset=us-ascii\n\n" + text
    blob = base64.encodebytes(rng.randbytes(rng.randint(2000, 20000)))
    b = b"=-=-gen-" + str(i).encode()
    return (head + b"Content-Type: multipart/mixed; boundary=\"" + b + b"\"\n\n"
            b"--" + b + b"\nContent-Type: text/plain; charset=us-ascii\n\n" + text +
            b"\n--" + b + b"\nContent-Type: application/octet-stream\n"
            b"Content-Disposition: attachment; filename=\"data-" + str(i).encode() + b".bin\"\n"
            b"Content-Transfer-Encoding: base64\n\n" + blob +
            b"\n--" + b + b"--\n")


def dotlock(path, timeout=120):
    lock = path + ".lock"
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            return lock
        except FileExistsError:
            try:  # a lock older than Dovecot's own stale limit is left over
                if time.time() - os.stat(lock).st_mtime > 300:
                    os.unlink(lock)
                    continue
            except FileNotFoundError:
                continue
            if time.monotonic() > deadline:
                sys.exit("mboxadd: %s stays locked" % lock)
            time.sleep(0.05)


def lock_holders(fd):
    """Who holds fcntl locks on FD's file, from /proc/locks: for the
    message when a lock never comes free."""
    st = os.fstat(fd)
    want = "%02x:%02x:%d" % (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)
    out = []
    try:
        with open("/proc/locks") as f:
            for line in f:
                w = line.split()
                if "->" in w:
                    w.remove("->")
                if len(w) > 5 and w[5] == want:
                    pid = w[4]
                    info = " ".join(w[1:4])
                    for name, fmt in (("cmdline", "%s"), ("wchan", "wchan %s")):
                        try:
                            with open("/proc/%s/%s" % (pid, name), "rb") as p:
                                v = p.read().replace(b"\0", b" ").decode(errors="replace")
                            info += " " + fmt % v.strip()
                        except OSError:
                            pass
                    out.append("pid %s: %s" % (pid, info))
    except OSError:
        return ""
    return "; held by " + "; ".join(out) if out else "; no holder in /proc/locks"


def lock_both(path, fd, timeout=120):
    """The dotlock, then the fcntl write lock.  When the fcntl lock is
    held (a Dovecot session's read lock), let go of the dotlock before
    waiting: a Dovecot that wants to write (after a client vanished, to
    sync) takes the dotlock first, and would wait for us while we wait
    for it.  Returns the dotlock's path."""
    deadline = time.monotonic() + timeout
    while True:
        lock = dotlock(path, max(1, deadline - time.monotonic()))
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except (BlockingIOError, PermissionError):
            os.unlink(lock)
            if time.monotonic() > deadline:
                sys.exit("mboxadd: %s stays locked (fcntl)%s" % (path, lock_holders(fd)))
            time.sleep(0.05)


def main(argv):
    args, files, gen, seed, owner_of = list(argv), [], 0, 1, None
    if not args or args[0].startswith("--"):
        print(__doc__, file=sys.stderr)
        return 2
    mbox = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--generate":
            gen = int(args.pop(0))
        elif a == "--seed":
            seed = int(args.pop(0))
        elif a == "--owner-of":
            owner_of = args.pop(0)
        else:
            files.append(a)
    out = []
    for f in files:
        if f == "-":
            out.append(mbox_entry(sys.stdin.buffer.read()))
        else:
            with open(f, "rb") as fh:
                out.append(mbox_entry(fh.read()))
    rng = random.Random(seed)
    for i in range(gen):
        out.append(mbox_entry(generate(i, rng)))
    data = b"".join(out)

    created = not os.path.exists(mbox)
    fd = os.open(mbox, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        lock = lock_both(mbox, fd)
        try:
            if created and owner_of:
                st = os.stat(owner_of)
                os.fchown(fd, st.st_uid, st.st_gid)
            # An mbox must end with a blank line before the next From_ line.
            size = os.fstat(fd).st_size
            if size > 0:
                with open(mbox, "rb") as fh:
                    fh.seek(max(0, size - 2))
                    tail = fh.read()
                if not tail.endswith(b"\n\n"):
                    data = (b"\n" if tail.endswith(b"\n") else b"\n\n") + data
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.unlink(lock)
    finally:
        os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
