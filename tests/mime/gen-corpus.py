#!/usr/bin/python3
"""Write the differential-test corpus: messages in the styles of today's
mailers, built with Python's email package (plus hand-written broken ones).

usage: gen-corpus.py DIR

Writes DIR/NNN.eml (one message each, LF line ends), DIR/corpus.mbox (all
of them, in order) and DIR/truth.json: for messages whose content the
second reader cannot know (the files inside winmail.dat), what the
generator packed.  Deterministic: the same files every run.
"""
import base64
import binascii
import email.header
import email.policy
import email.utils
import json
import os
import random
import struct
import sys
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

POLICY = email.policy.default.clone(linesep="\n", max_line_length=76)
rnd = random.Random(20261204)

NAMES = ["Alice Example", "Jürgen Müller", "山田 太郎", "Zoë O'Brien", "Иван Петров",
         "Łukasz Żółć", "Søren Kierkegaard", "José Álvarez", "李小龙", "Ana María"]
FILES = ["report.pdf", "Präsentation.pptx", "日本語の資料.docx", "résumé final v2.doc",
         "photo 2026-03-01.jpg", "Quartalsbericht März 2026 (endgültig).xlsx",
         "notes.txt", "😀 smile.png", "a" * 80 + ".bin", "data.csv"]
SUBJECTS = ["Meeting tomorrow", "Re: Angebot für das Projekt – Rückfrage zur Lieferung",
            "会議の議事録を送ります（第3回）", "Fwd: Заявка на обучение", "Quick question",
            "Ünïcödé everywhere: ÄÖÜ äöü ß €", "Very long subject " + "word " * 20,
            "Emoji 🎉 party on Friday 🍕", "[list] Weekly digest #42", "Résumé attached"]
TEXTS = ["Hello,\n\nplease find the details below.\n\nBest regards\n",
         "Grüße aus München!\nDie Lieferung kommt am Dienstag.\n",
         "こんにちは。\n資料を添付します。\nよろしくお願いします。\n",
         "Привет!\nКак дела?\n",
         "Line one.\nLine two with a longer sentence that goes on and on to make it wrap "
         "beyond the usual seventy-six characters of a line.\nLast line.\n",
         "> quoted text\n> more quote\n\nMy answer.\n"]


def addr(i):
    name = NAMES[i % len(NAMES)]
    return name, f"user{i}@example.org"


def data_for(i, size=None):
    size = size if size is not None else rnd.choice([0, 1, 2, 3, 57, 1000, 1001, 4096, 30000])
    return bytes(rnd.getrandbits(8) for _ in range(size))


def b64_words(text, charset="UTF-8", chunk=None):
    """Adjacent base64 encoded words, splitting the bytes anywhere (also
    inside a character), as Outlook and Gmail fold long subjects."""
    raw = text.encode(charset)
    chunk = chunk or rnd.choice([5, 9, 12, 30])
    words = [raw[k:k + chunk] for k in range(0, len(raw), chunk)] or [b""]
    return "\n ".join(f"=?{charset}?B?{base64.b64encode(w).decode()}?=" for w in words)


def base(i, subject=None):
    m = EmailMessage(policy=POLICY)
    name, address = addr(i)
    m["From"] = f"{name} <{address}>"
    m["To"] = "Bob <bob@example.net>"
    m["Date"] = "Mon, 02 Mar 2026 10:%02d:00 +0100" % (i % 60)
    m["Message-ID"] = f"<corpus-{i}@example.org>"
    m["Subject"] = subject if subject is not None else SUBJECTS[i % len(SUBJECTS)]
    return m


def text(i):
    return TEXTS[i % len(TEXTS)]


def html_of(t):
    paras = "".join(f"<p>{line}</p>" for line in t.strip().split("\n") if line)
    return f"<html><head><title>Mail</title></head><body>{paras}</body></html>\n"


# ---- styles ---------------------------------------------------------------

def gmail(i):
    m = base(i)
    m.set_content(text(i), cte=rnd.choice(["base64", "quoted-printable"]))
    m.add_alternative(html_of(text(i)), subtype="html")
    if i % 2:
        f = FILES[i % len(FILES)]
        m.add_attachment(data_for(i), maintype="application", subtype="octet-stream",
                         filename=f)
    return m.as_bytes()


def outlook(i):
    # Windows-1252 text labelled ISO-8859-1, QP, RFC 2047 names in quotes.
    name, address = addr(i)
    body = "\u201cAngebot\u201d \u2013 1.250 \u20ac\nMit freundlichen Gr\u00fc\u00dfen\n"
    enc = body.encode("cp1252")
    qp = binascii.b2a_qp(enc).decode()
    f = FILES[i % len(FILES)]
    encname = b64_words(f)
    data = data_for(i)
    subj = b64_words(SUBJECTS[(i + 1) % len(SUBJECTS)])
    return (f"""From: =?UTF-8?B?{base64.b64encode(name.encode()).decode()}?= <{address}>
To: bob@example.net
Subject: {subj}
Date: Mon, 02 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_002_outlook{i}_"

--_002_outlook{i}_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

{qp}
--_002_outlook{i}_
Content-Type: application/octet-stream; name="{encname}"
Content-Description: {encname}
Content-Disposition: attachment; filename="{encname}"; size={len(data)}
Content-Transfer-Encoding: base64

{base64.encodebytes(data).decode()}
--_002_outlook{i}_--
""").encode()


def tnef_attr(level, atype, aid, data):
    return (struct.pack("<BII", level, (atype << 16) | aid, len(data)) + data +
            struct.pack("<H", sum(data) & 0xFFFF))


def make_tnef(files):
    out = struct.pack("<IH", 0x223E9F78, 1)
    out += tnef_attr(1, 0x0009, 0x9006, struct.pack("<I", 0x00010000))
    out += tnef_attr(1, 0x0006, 0x9007, struct.pack("<II", 1252, 0))
    for short, data, long_name in files:
        out += tnef_attr(2, 0x0006, 0x9002, b"\0" * 14)
        out += tnef_attr(2, 0x0001, 0x8010, short.encode("cp1252", "replace") + b"\0")
        out += tnef_attr(2, 0x0006, 0x800F, data)
        if long_name:
            u = long_name.encode("utf-16-le") + b"\0\0"
            props = struct.pack("<I", 1) + struct.pack("<HHII", 0x1F, 0x3707, 1, len(u))
            props += u + b"\0" * ((4 - len(u) % 4) % 4)
            out += tnef_attr(2, 0x0006, 0x9005, props)
    return out


TRUTH = {}


def exchange_tnef(i, n):
    files = []
    for k in range(1 + i % 3):
        long_name = FILES[(i + k) % len(FILES)] if k % 2 == 0 else None
        short = (long_name or f"FILE{k}.DAT")[:8].upper().replace(" ", "_") + ".DAT" \
            if long_name else f"file{k}.dat"
        files.append((short, data_for(i + k), long_name))
    t = make_tnef(files)
    TRUTH[str(n)] = [{"name": ln or sh, "size": len(d),
                      "sha256": __import__("hashlib").sha256(d).hexdigest()}
                     for sh, d, ln in files]
    return (f"""From: "Exchange User" <ex{i}@corp.example.com>
To: bob@example.net
Subject: =?us-ascii?Q?Status_report_{i}?=
Date: Mon, 02 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_tnef{i}_"

--_tnef{i}_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

See the attached files.

--_tnef{i}_
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

{base64.encodebytes(t).decode()}
--_tnef{i}_--
""").encode()


def calendar_invite(i):
    m = base(i, subject=f"Invitation: planning {i} @ Tue 10:00")
    m.set_content("Planning meeting.\nJoin at 10:00.\n")
    m.add_alternative(html_of("Planning meeting.\nJoin at 10:00."), subtype="html")
    ics = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:planning\r\n"
           "END:VEVENT\r\nEND:VCALENDAR\r\n")
    m.add_alternative(ics, subtype="calendar", params={"method": "REQUEST"})
    return m.as_bytes()


def apple(i):
    # RFC 2231 names, format=flowed, inline named parts.
    m = base(i)
    flowed = "This is a long paragraph that Apple Mail sends as flowed \ntext over " \
             "several lines \nof the body.\n\nSecond paragraph.\n"
    m.set_content(flowed, params={"format": "flowed", "delsp": "no"}, cte="7bit"
                  if flowed.isascii() else "8bit")
    f = FILES[(i + 3) % len(FILES)]
    m.add_attachment(data_for(i), maintype="image", subtype="jpeg", filename=f,
                     disposition="inline")
    if i % 2:
        m.add_attachment("inline notes\nsecond line\n", filename="notes.txt",
                         disposition="inline")
    return m.as_bytes()


def thunderbird(i):
    m = base(i)
    m.set_content(text(i), charset="utf-8")
    for k in range(1 + i % 3):
        f = FILES[(i + k) % len(FILES)]
        m.add_attachment(data_for(i + k), maintype="application", subtype="pdf",
                         filename=f)
    return m.as_bytes()


def mailing_list(i):
    # A footer appended as a second base64 chunk to a base64 body.
    body = text(i).encode()
    footer = b"--\nlist mailing list\nhttps://lists.example.org/list\n"
    return (f"""From: {addr(i)[1]}
To: list@lists.example.org
Subject: [list] {SUBJECTS[i % len(SUBJECTS)]}
List-Id: <list.lists.example.org>
Date: Mon, 02 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{base64.encodebytes(body).decode()}{base64.encodebytes(footer).decode()}""").encode()


def legacy_charset(i):
    cs, t = [("iso-2022-jp", "こんにちは、山田です。\n会議は明日です。\n"),
             ("gbk", "你好，这是一封测试邮件。\n谢谢！\n"),
             ("koi8-r", "Привет, это тестовое письмо.\nСпасибо!\n"),
             ("shift_jis", "お世話になっております。\n資料を送ります。\n"),
             ("euc-kr", "안녕하세요.\n감사합니다.\n"),
             ("big5", "你好，這是測試。\n謝謝！\n"),
             ("windows-1251", "Добрый день.\nС уважением.\n")][i % 7]
    m = EmailMessage(policy=POLICY)
    name, address = addr(i)
    m["From"] = f"{name} <{address}>"
    m["To"] = "bob@example.net"
    m["Subject"] = SUBJECTS[i % len(SUBJECTS)]
    m["Date"] = "Mon, 02 Mar 2026 10:00:00 +0100"
    m.set_content(t.encode(cs), maintype="text", subtype="plain",
                  cte="base64" if i % 2 else "8bit", params={"charset": cs})
    return m.as_bytes()


def mislabelled(i):
    kind = i % 3
    if kind == 0:      # UTF-8 labelled us-ascii
        label, body = "us-ascii", "Caf\u00e9 na\u00efve \u2013 r\u00e9sum\u00e9\n".encode()
    elif kind == 1:    # Windows-1252 labelled utf-8
        label, body = "utf-8", "Caf\u00e9 \u201cquoted\u201d\n".encode("cp1252")
    else:              # Windows-1252 labelled iso-8859-1
        label, body = "iso-8859-1", "Price: 10 \u20ac \u2013 \u201cspecial\u201d\n".encode("cp1252")
    return (f"From: {addr(i)[1]}\nTo: bob@example.net\nSubject: mislabelled {i}\n"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset={label}\n"
            f"Content-Transfer-Encoding: 8bit\n\n").encode() + body


def signed(i):
    smime = i % 2 == 0
    inner = MIMEText(text(i), "plain", "utf-8")
    outer = MIMEMultipart("signed", protocol="application/pkcs7-signature" if smime
                          else "application/pgp-signature",
                          micalg="sha-256" if smime else "pgp-sha256")
    outer.attach(inner)
    if smime:
        sig = MIMEApplication(data_for(i, 1500), "pkcs7-signature", name="smime.p7s")
        sig.add_header("Content-Disposition", "attachment", filename="smime.p7s")
    else:
        sig = MIMEApplication(b"-----BEGIN PGP SIGNATURE-----\n\niQEz\n=abcd\n"
                              b"-----END PGP SIGNATURE-----\n", "pgp-signature",
                              _encoder=lambda p: None, name="signature.asc")
        sig.add_header("Content-Disposition", "attachment", filename="signature.asc")
    outer.attach(sig)
    name, address = addr(i)
    outer["From"] = email.utils.formataddr((name, address), charset="utf-8")
    outer["To"] = "bob@example.net"
    outer["Subject"] = email.header.Header(SUBJECTS[i % len(SUBJECTS)], "utf-8").encode()
    outer["Date"] = "Mon, 02 Mar 2026 10:00:00 +0100"
    return outer.as_bytes()


def html_only(i):
    m = base(i)
    m.set_content(html_of(text(i)), subtype="html")
    return m.as_bytes()


def bounce(i):
    orig = base(i + 1000, subject="the original message")
    orig.set_content("Original text.\n")
    return (f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
Date: Mon, 02 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B{i}"

--B{i}
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

<nobody@example.com>: User unknown

--B{i}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; nobody@example.com
Action: failed
Status: 5.1.1

--B{i}
Content-Type: message/rfc822

""").encode() + orig.as_bytes() + f"\n--B{i}--\n".encode()


def encoded_words(i):
    # Long subjects and names as adjacent base64 words, split mid-character.
    s = SUBJECTS[(i * 3) % len(SUBJECTS)]
    name = NAMES[(i * 7) % len(NAMES)]
    f = FILES[(i * 5) % len(FILES)]
    data = data_for(i)
    return (f"""From: {b64_words(name)} <w{i}@example.org>
To: bob@example.net
Subject: {b64_words(s)}
Date: Mon, 02 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ew{i}"

--ew{i}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{text(i)}
--ew{i}
Content-Type: application/octet-stream; name="{b64_words(f)}"
Content-Disposition: attachment; filename="{b64_words(f)}"
Content-Transfer-Encoding: base64

{base64.encodebytes(data).decode()}
--ew{i}--
""").encode()


def unpadded_base64(i):
    data = data_for(i, 1001 + i % 2)
    b = base64.encodebytes(data).decode().replace("=", "")
    return (f"""From: {addr(i)[1]}
To: bob@example.net
Subject: unpadded {i}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="up{i}"

--up{i}
Content-Type: text/plain

The attachment's encoder left off the padding.

--up{i}
Content-Type: application/pdf; name="scan{i}.pdf"
Content-Disposition: attachment; filename="scan{i}.pdf"
Content-Transfer-Encoding: base64

{b}
--up{i}--
""").encode()


def qp_soft_space(i):
    return (f"From: {addr(i)[1]}\nTo: bob@example.net\nSubject: qp {i}\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=iso-8859-1\n"
            "Content-Transfer-Encoding: quoted-printable\n\n"
            "A line broken by the sender with a soft br=  \neak and caf=E9 here.=\t\n"
            "\nLast line of the text.\n").encode()


def uuencode_inline(i):
    data = data_for(i, 100 + i)
    lines = ["begin 644 file%d.bin" % i]
    for k in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[k:k + 45]).decode().rstrip("\n"))
    lines += ["`", "end"]
    return (f"From: {addr(i)[1]}\nTo: bob@example.net\nSubject: uu {i}\n\n"
            "Here is the file.\n\n" + "\n".join(lines) + "\n\nBye now.\n").encode()


def nested_related(i):
    # multipart/related > alternative > (plain, mixed > (html, attachment)).
    f = FILES[(i + 2) % len(FILES)]
    data = data_for(i)
    return (f"""From: {addr(i)[1]}
To: bob@example.net
Subject: nested {i}
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel{i}"

--rel{i}
Content-Type: multipart/alternative; boundary="alt{i}"

--alt{i}
Content-Type: text/plain; charset=utf-8

The plain text of {i}.

--alt{i}
Content-Type: multipart/mixed; boundary="mix{i}"

--mix{i}
Content-Type: text/html; charset=utf-8

<p>The rich text of {i}.</p>

--mix{i}
Content-Type: application/octet-stream; name="{f}"
Content-Disposition: attachment; filename*=UTF-8''{__import__('urllib.parse').parse.quote(f)}
Content-Transfer-Encoding: base64

{base64.encodebytes(data).decode()}
--mix{i}--

--alt{i}--

--rel{i}--
""").encode()


def forwarded_rfc822(i):
    inner = base(i + 2000, subject=f"inner message {i}")
    inner.set_content("The forwarded text.\nIts last line.\n")
    m = base(i, subject=f"Fwd: inner message {i}")
    m.set_content("See the forwarded message.\n")
    m.add_attachment(inner)
    return m.as_bytes()


def broken(i):
    k = i % 4
    if k == 0:
        return (f"From: MAILER-DAEMON@mx.example.net\nTo: s@example.org\nSubject: bounce {i}\n"
                "MIME-Version: 1.0\nContent-Type: multipart/report; boundary=\"never{i}\"\n\n"
                "This is the mail system.\n\nYour message could not be delivered.\n").encode()
    if k == 1:
        return (f"From: old@example.org\nTo: bob@example.net\nSubject: text only {i}\n"
                "MIME-Version: 1.0\nContent-Type: text\n\nJust text, no subtype.\n").encode()
    if k == 2:
        return (f"From: cron@example.org\nTo: root@example.org\nSubject: cron {i}\n"
                "Backup finished.\nAll volumes copied.\n").encode()
    return f"A message without any header {i}.\nSecond line.\n".encode()


STYLES = [gmail, outlook, exchange_tnef, calendar_invite, apple, thunderbird, mailing_list,
          legacy_charset, mislabelled, signed, html_only, bounce, encoded_words,
          unpadded_base64, qp_soft_space, uuencode_inline, nested_related, forwarded_rfc822,
          broken]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    styles = {}
    with open(os.path.join(out, "corpus.mbox"), "wb") as mbox:
        for rep in range(9):
            for style in STYLES:
                n += 1
                styles[str(n)] = style.__name__
                i = rep * len(STYLES) + STYLES.index(style)
                raw = style(i, n) if style is exchange_tnef else style(i)
                raw = raw.replace(b"\r\n", b"\n")
                # mbox: a body line starting with "From " would end the message.
                raw = b"\n".join(b">" + l if l.startswith(b"From ") and k else l
                                 for k, l in enumerate(raw.split(b"\n")))
                with open(os.path.join(out, "%03d.eml" % n), "wb") as f:
                    f.write(raw)
                mbox.write(b"From corpus@example.org Mon Mar  2 10:00:00 2026\n")
                mbox.write(raw if raw.endswith(b"\n") else raw + b"\n")
                mbox.write(b"\n")
    with open(os.path.join(out, "styles.json"), "w") as f:
        json.dump(styles, f, indent=1, sort_keys=True)
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(TRUTH, f, indent=1, sort_keys=True)
    print(n)


if __name__ == "__main__":
    main()
