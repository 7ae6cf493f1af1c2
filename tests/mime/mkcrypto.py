#!/usr/bin/env python3
"""Build signed and encrypted test messages the way other mail programs do:
the Python email package for the MIME structure, the gpg command line (in
$GNUPGHOME) for the OpenPGP parts.  Writes an mbox with one message per
case, in the order of CASES, to the path given as argument 1.

  mkcrypto.py OUT.mbox OTHER_GNUPGHOME

OTHER_GNUPGHOME holds a key ("mallory") whose public half is not in
$GNUPGHOME, for the "no public key" case."""
import os
import subprocess
import sys
from email import policy
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

CRLF = policy.SMTP  # RFC 3156: what is signed is the CRLF canonical form


def gpg(args, data, home=None):
    env = dict(os.environ)
    if home:
        env["GNUPGHOME"] = home
    r = subprocess.run(["gpg", "--batch", "--yes", "--quiet", "--no-tty",
                        "--pinentry-mode", "loopback", "--passphrase", "",
                        "--trust-model", "always", "--armor"] + args,
                       input=data, capture_output=True, env=env, check=True)
    return r.stdout


def gpgsm(args, data):
    r = subprocess.run(["gpgsm", "--batch", "--no-tty", "--pinentry-mode", "loopback",
                        "--base64"] + args, input=data, capture_output=True, check=True)
    return r.stdout


def smime_signed(inner, signer):
    data = inner.as_bytes(policy=CRLF)
    sig = gpgsm(["--detach-sign", "-u", signer], data)
    outer = MIMEMultipart("signed", micalg="sha-256",
                          protocol="application/pkcs7-signature")
    outer.attach(inner)
    sp = MIMEBase("application", "pkcs7-signature", name="smime.p7s")
    sp.set_payload(sig.decode())
    sp["Content-Transfer-Encoding"] = "base64"
    sp.add_header("Content-Disposition", "attachment", filename="smime.p7s")
    outer.attach(sp)
    return outer


def smime_mime(inner, args, smime_type):
    blob = gpgsm(args, inner.as_bytes(policy=CRLF))
    part = MIMEBase("application", "pkcs7-mime", smime_type=smime_type, name="smime.p7m")
    part.set_payload(blob.decode())
    part["Content-Transfer-Encoding"] = "base64"
    part.add_header("Content-Disposition", "attachment", filename="smime.p7m")
    return part


def text(body, subtype="plain"):
    part = MIMEText(body, subtype, "utf-8")
    return part


def signed(inner, signer, home=None, tamper=False):
    data = inner.as_bytes(policy=CRLF)
    sig = gpg(["--detach-sign", "--digest-algo", "SHA256", "-u", signer], data, home)
    if tamper:
        inner = text("signed hello, changed on the way\n")
    outer = MIMEMultipart("signed", micalg="pgp-sha256",
                          protocol="application/pgp-signature")
    outer.attach(inner)
    sp = MIMEApplication(sig, "pgp-signature", _encoder=lambda p: None)
    sp.set_payload(sig.decode())
    sp.add_header("Content-Description", "OpenPGP digital signature")
    outer.attach(sp)
    return outer


def encrypted(inner, recipients, sign_with=None):
    data = inner if isinstance(inner, bytes) else inner.as_bytes(policy=CRLF)
    args = ["--encrypt"]
    for r in recipients:
        args += ["-r", r]
    if sign_with:
        args += ["--sign", "-u", sign_with]
    ct = gpg(args, data)
    outer = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    ver = MIMEBase("application", "pgp-encrypted")
    ver.set_payload("Version: 1\n")
    outer.attach(ver)
    body = MIMEBase("application", "octet-stream", name="encrypted.asc")
    body.set_payload(ct.decode())
    outer.attach(body)
    return outer


def message(part, subject, frm="Alice Test <alice@example.org>"):
    part["From"] = frm
    part["To"] = "Me Reader <me@example.org>"
    part["Subject"] = subject
    part["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    part["Message-ID"] = "<%s@example.org>" % subject.replace(" ", "-")
    return part


def cases(other_home):
    c = []
    c.append(message(signed(text("signed hello\n"), "alice@example.org"), "signed good"))
    c.append(message(signed(text("signed hello\n"), "alice@example.org", tamper=True),
                     "signed bad"))
    c.append(message(signed(text("signed hello\n"), "alice@example.org"), "signed mismatch",
                     frm="Eve <eve@example.org>"))
    c.append(message(signed(text("signed by a stranger\n"), "mallory@example.org",
                            home=other_home), "signed nokey",
                     frm="Mallory <mallory@example.org>"))
    mixed = MIMEMultipart("mixed")
    mixed.attach(text("unsigned intro\n"))
    mixed.attach(signed(text("the signed bit\n"), "alice@example.org"))
    c.append(message(mixed, "partly signed"))

    # Encrypted with protected headers: the real Subject inside.
    inner = MIMEMultipart("mixed", protected_headers="v1")
    inner["Subject"] = "the real subject"
    inner.attach(text("secret body text\n"))
    att = MIMEApplication(b"attached secret\n", "octet-stream")
    att.add_header("Content-Disposition", "attachment", filename="secret.txt")
    inner.attach(att)
    c.append(message(encrypted(inner, ["me@example.org"]), "..."))

    # Signed, then encrypted (RFC 3156 6.1), and one-pass (6.2).
    c.append(message(encrypted(signed(text("signed and sealed\n"), "alice@example.org"),
                               ["me@example.org"]), "nested signed encrypted"))
    c.append(message(encrypted(text("one pass sealed\n"), ["me@example.org"],
                               sign_with="alice@example.org"), "onepass signed encrypted"))
    # For someone else only: we have no secret key.
    c.append(message(encrypted(text("plaintext for bob\n"), ["bob@example.org"]), "not for me"))

    clear = gpg(["--clearsign", "-u", "alice@example.org"],
                b"inline signed text\n- dash line\n").decode()
    c.append(message(text("unsigned preface\n\n" + clear + "\nunsigned footer\n"),
                     "inline signed"))
    armored = gpg(["--encrypt", "-r", "me@example.org"], b"inline secret text\n").decode()
    c.append(message(text(armored), "inline encrypted"))

    # Decrypted HTML: never handed to an outside converter (EFAIL).
    html = text('<p>html secret</p><img src="http://127.0.0.1:9/efail">', "html")
    c.append(message(encrypted(html, ["me@example.org"]), "encrypted html"))

    # S/MIME (gpgsm): detached, enveloped, opaque signed.
    c.append(message(smime_signed(text("smime signed text\n"), "alice@example.org"),
                     "smime signed"))
    c.append(message(smime_mime(text("smime secret text\n"), ["--encrypt", "-r", "me@example.org"],
                                "enveloped-data"), "smime encrypted"))
    c.append(message(smime_mime(text("smime opaque text\n"), ["--sign", "-u", "alice@example.org"],
                                "signed-data"), "smime opaque"))

    # Decrypted content gets the GMime 3.2.13 fixes too (gmime-fixes.c):
    # an attachment name in adjacent base64 encoded words (GMime #133).
    # Written by hand: the email package would re-encode the name.
    inner = (b"Content-Type: multipart/mixed; boundary=in\r\n\r\n"
             b"--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee the slides\r\n"
             b"--in\r\nContent-Type: application/octet-stream\r\n"
             b"Content-Disposition: attachment; filename=\"=?UTF-8?B?UHLDpHNlbnRhdGlvbg==?= "
             b"=?UTF-8?B?LnBwdHg=?=\"\r\n\r\nslides\r\n--in--\r\n")
    c.append(message(encrypted(inner, ["me@example.org"]), "encrypted split name"))
    return c


def main():
    out, other_home = sys.argv[1], sys.argv[2]
    with open(out, "wb") as f:
        for m in cases(other_home):
            f.write(b"From sender@example.org Mon Mar  2 10:00:00 2026\n")
            raw = m.as_bytes(policy=policy.default.clone(linesep="\n"))
            f.write(raw.replace(b"\nFrom ", b"\n>From "))
            if not raw.endswith(b"\n"):
                f.write(b"\n")
            f.write(b"\n")


if __name__ == "__main__":
    main()
