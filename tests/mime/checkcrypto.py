#!/usr/bin/env python3
"""Check a signed or encrypted message the way another mail program would:
split it with the Python email package (and, for multipart/signed, by its
boundary in the raw bytes, RFC 3156 section 5), then verify or decrypt
with the gpg / gpgsm command line in $GNUPGHOME.

  checkcrypto.py MBOX N      (N: 1-based message number)

Prints "verify-ok SIGNER-LINE" / "verify-bad", "decrypt-ok" followed by
the decrypted entity, recursing into what decryption yields; "micalg=..."
and "7bit-ok" / "7bit-bad" for signed content.  Exit status 0 unless
something could not be checked at all."""
import base64
import mailbox
import re
import subprocess
import sys
import tempfile
from email import message_from_bytes, policy


def run(args, data=None):
    return subprocess.run(args, input=data, capture_output=True)


def crlf(b):
    return re.sub(rb"\r?\n", b"\r\n", b)


def signed_content(raw, boundary):
    """The first body part of a multipart/signed exactly as sent."""
    delim = b"--" + boundary.encode()
    lines = crlf(raw).split(b"\r\n")
    start = None
    for i, line in enumerate(lines):
        if line.rstrip() == delim:
            if start is None:
                start = i + 1
            else:
                return b"\r\n".join(lines[start:i])
    raise SystemExit("no second boundary")


def body_bytes(raw):
    """RAW without its header block."""
    raw = crlf(raw)
    return raw.split(b"\r\n\r\n", 1)[1]


def check(raw, depth=0):
    msg = message_from_bytes(raw, policy=policy.compat32)
    ctype = msg.get_content_type()
    if ctype == "multipart/signed":
        proto = msg.get_param("protocol")
        print("micalg=%s" % msg.get_param("micalg"))
        content = signed_content(body_bytes(raw), msg.get_boundary())
        print("7bit-ok" if all(b < 128 for b in content) else "7bit-bad")
        sig = msg.get_payload()[1].get_payload(decode=True)
        with tempfile.NamedTemporaryFile() as s, tempfile.NamedTemporaryFile() as c:
            s.write(sig); s.flush()
            c.write(content); c.flush()
            tool = "gpgsm" if "pkcs7" in proto else "gpg"
            r = run([tool, "--batch", "--verify", s.name, c.name])
        err = r.stderr.decode(errors="replace")
        good = [l for l in err.splitlines() if "Good signature" in l]
        print(("verify-ok " + good[0]) if r.returncode == 0 and good else "verify-bad " + err.replace("\n", " | "))
        check(content, depth + 1)
    elif ctype == "multipart/encrypted":
        ct = msg.get_payload()[1].get_payload(decode=True)
        r = run(["gpg", "--batch", "--status-fd", "2", "--decrypt"], ct)
        # With hidden key IDs gpg tries every secret key and exits 2
        # after the wrong ones even when one worked: trust the status.
        if b"[GNUPG:] DECRYPTION_OKAY" not in r.stderr:
            print("decrypt-bad " + r.stderr.decode(errors="replace").replace("\n", " | "))
            return
        err = r.stderr.decode(errors="replace")
        print("decrypt-ok" + (" signed: " + [l for l in err.splitlines() if "Good signature" in l][0]
                              if "Good signature" in err else ""))
        sys.stdout.flush()
        sys.stdout.buffer.write(r.stdout + b"\n")
        check(r.stdout, depth + 1)
    elif ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
        der = msg.get_payload(decode=True)
        r = run(["gpgsm", "--batch", "--decrypt"], der)
        if r.returncode != 0:
            print("decrypt-bad " + r.stderr.decode(errors="replace").replace("\n", " | "))
            return
        print("decrypt-ok")
        sys.stdout.flush()
        sys.stdout.buffer.write(r.stdout + b"\n")
        check(r.stdout, depth + 1)


def main():
    box = mailbox.mbox(sys.argv[1])
    raw = box.get_bytes(box.keys()[int(sys.argv[2]) - 1])
    check(raw)


if __name__ == "__main__":
    main()
