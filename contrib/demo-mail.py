#!/usr/bin/python3
"""Write the demo's sample mail: one RFC 5322 message per file.

  contrib/demo-mail.py OUTDIR [--to ADDRESS]

Writes OUTDIR/NN.eml (LF line ends), about 40 messages: plain text,
attachments (a PDF, a PNG image), an inline uuencoded file, RFC 2047
subjects and senders in UTF-8, ISO-8859-1, ISO-2022-JP and KOI8-R, an
HTML-only message, a multipart/alternative one, a thread of five, a
message full of terminal escape sequences, and a long one.  Dates run up
to now, newest last.
"""
import base64
import binascii
import os
import struct
import sys
import time
import zlib
from email.header import Header
from email.utils import formatdate

TO = "Demo User <demo@example.org>"
NOW = time.time()
_count = [0]


def enc(text, charset):
    """RFC 2047 encoded word(s) for TEXT in CHARSET."""
    return Header(text, charset).encode()


def addr(name, address, charset=None):
    if charset:
        return "%s <%s>" % (enc(name, charset), address)
    return "%s <%s>" % (name, address)


def msgid(tag):
    return "<%s.demo@example.org>" % tag


def message(frm, subject, body, headers=(), ctype="text/plain; charset=us-ascii",
            cte="7bit", age_hours=None, mid=None):
    """One message as bytes.  SUBJECT and FROM are used as given (already
    encoded where needed); BODY is str or bytes."""
    _count[0] += 1
    n = _count[0]
    if age_hours is None:
        age_hours = (60 - n) * 7
    lines = [
        "From: " + frm,
        "To: " + TO,
        "Subject: " + subject,
        "Date: " + formatdate(NOW - age_hours * 3600, localtime=False),
        "Message-ID: " + (mid or msgid("m%02d" % n)),
    ]
    lines += list(headers)
    lines += ["MIME-Version: 1.0", "Content-Type: " + ctype,
              "Content-Transfer-Encoding: " + cte]
    head = ("\n".join(lines) + "\n\n").encode("ascii", "surrogateescape")
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body.endswith(b"\n"):
        body += b"\n"
    return head + body


def b64(data):
    return base64.encodebytes(data).decode("ascii")


def tiny_png():
    """A valid 16x16 PNG: a blue square with a yellow diagonal."""
    rows = b""
    for y in range(16):
        rows += b"\0" + b"".join(b"\xff\xd0\x00" if x == y else b"\x20\x50\xc0" for x in range(16))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def tiny_pdf():
    body = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R"
            b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
            b"4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 20 40 Td (Invoice 2026-117) Tj ET\n"
            b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return body


def uuencode(data, name):
    out = ["begin 644 " + name]
    for i in range(0, len(data), 45):
        out.append(binascii.b2a_uu(data[i:i + 45]).decode("ascii").rstrip("\n"))
    out += ["`", "end"]
    return "\n".join(out)


def multipart(subtype, parts, boundary):
    out = ["This is a multi-part message in MIME format.", ""]
    for headers, body in parts:
        out.append("--" + boundary)
        out += headers
        out.append("")
        out.append(body.rstrip("\n"))
    out.append("--" + boundary + "--")
    return "\n".join(out) + "\n", 'multipart/%s; boundary="%s"' % (subtype, boundary)


def build():
    msgs = []
    add = msgs.append
    lorem = ("Thanks for the update. I went through the notes from Tuesday and\n"
             "everything looks fine to me. Let's keep the release on Friday and\n"
             "move the remaining items to next week.\n")

    add(message(addr("postie", "postie@example.org"), "Welcome to the postie demo",
                "Hello!\n\nThis mailbox lives on a private POP3 server (Dovecot) on\n"
                "127.0.0.1, started just for this demo.  Fetch it, read it, reply:\n"
                "what you send goes to a private SMTP server that keeps it.\n\n"
                "Quitting postie stops both servers and removes everything.\n"))
    plain = [
        ("Bob Builder", "bob@example.net", "Lunch on Thursday?",
         "Hi,\n\nare you free for lunch on Thursday? The new place near the station\n"
         "has a lunch menu now.\n\nBob\n"),
        ("Carol Jones", "carol@example.com", "Minutes of the weekly meeting", lorem * 3),
        ("Dave Smith", "dave@example.org", "Re: server migration",
         "> When do we switch the DNS?\n\nSunday night, 22:00. I'll be online.\n\n-- \nDave\n"),
        ("Mailing list", "announce@lists.example.com", "[announce] Version 2.4 released",
         "Version 2.4 is out.\n\n * faster start-up\n * fewer bugs\n * new icons\n\n"
         "Download: https://example.com/download\n"),
        ("Eve Miller", "eve@example.org", "Quick question",
         "Do you still have the slides from the workshop?\n\nEve\n"),
        ("Frank Ocean", "frank@example.net", "Photos from the trip",
         "I uploaded the photos. The password is in the usual place.\n"),
        ("Grace Hopper", "grace@example.com", "A bug in the build",
         "The nightly build fails at the test step again:\n\n"
         "    FAIL: tests/integration/fetch.sh 7 - resume after drop\n\n"
         "Can you take a look?\n"),
        ("Heidi Klum", "heidi@example.org", "Dinner", "Saturday at 8 works for us. Heidi\n"),
    ]
    for name, a, subj, body in plain:
        add(message(addr(name, a), subj, body))

    # Non-ASCII subjects and senders, several charsets.
    add(message(addr("Jürgen Müller", "juergen@example.de", "iso-8859-1"),
                enc("Grüße aus München - Bitte um Rückruf", "iso-8859-1"),
                "Hallo,\n\nkönnen Sie mich bitte zurückrufen? Schöne Grüße\nJürgen\n".encode("iso-8859-1"),
                ctype="text/plain; charset=iso-8859-1", cte="8bit"))
    add(message(addr("Zoë Ångström", "zoe@example.se", "utf-8"),
                enc("Café ☕ and crème brûlée — Ünïcödé test 🎉", "utf-8"),
                "Emoji and accents in the body too: café, naïve, 日本語, 🎉.\n",
                ctype="text/plain; charset=utf-8", cte="8bit"))
    add(message(addr("山田太郎", "yamada@example.jp", "iso-2022-jp"),
                enc("会議の予定について", "iso-2022-jp"),
                "山田です。\n来週の会議は水曜日の午後三時からです。\nよろしくお願いします。\n"
                .encode("iso-2022-jp"),
                ctype="text/plain; charset=iso-2022-jp", cte="7bit"))
    add(message(addr("Иван Петров", "ivan@example.ru", "koi8-r"),
                enc("Привет из Москвы", "koi8-r"),
                "Привет!\n\nКак дела? Пиши, когда будет время.\n\nИван\n".encode("koi8-r"),
                ctype="text/plain; charset=koi8-r", cte="8bit"))
    add(message(addr("François Dupont", "francois@example.fr", "utf-8"),
                "=?UTF-8?Q?R=C3=A9union_=C3=A0_15h?= =?ISO-8859-1?Q?_=E0_Paris?=",
                "Mixed encoded words in one subject (UTF-8 and ISO-8859-1).\n"))

    # Attachments.
    text = "Hello,\n\nplease find the invoice and the logo attached.\n\nRegards,\nAccounts\n"
    body, ctype = multipart("mixed", [
        (["Content-Type: text/plain; charset=us-ascii"], text),
        (['Content-Type: application/pdf; name="invoice-2026-117.pdf"',
          "Content-Transfer-Encoding: base64",
          'Content-Disposition: attachment; filename="invoice-2026-117.pdf"'], b64(tiny_pdf())),
        (['Content-Type: image/png; name="logo.png"', "Content-Transfer-Encoding: base64",
          'Content-Disposition: attachment; filename="logo.png"'], b64(tiny_png())),
    ], "=-=-demo-attach-1")
    add(message(addr("Accounts", "accounts@example.com"), "Invoice 2026-117 (PDF attached)", body,
                ctype=ctype))
    body, ctype = multipart("mixed", [
        (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"],
         "The report, with a non-ASCII file name.\n"),
        (["Content-Type: application/octet-stream",
          "Content-Transfer-Encoding: base64",
          "Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.txt"],
         b64("Résumé — 日本\n".encode("utf-8"))),
    ], "=-=-demo-attach-2")
    add(message(addr("Zoë Ångström", "zoe@example.se", "utf-8"), "Report with an accented file name",
                body, ctype=ctype))

    # Inline uuencode inside text/plain.
    uu = uuencode(b"#!/bin/sh\necho 'hello from a uuencoded script'\n" + bytes(range(256)), "hello.sh")
    add(message(addr("Old Timer", "oldtimer@example.net"), "The script you asked for (uuencoded)",
                "Here it is, the old-fashioned way:\n\n" + uu + "\n\nCheers\n"))

    # HTML only, and multipart/alternative.
    add(message(addr("Newsletter", "news@shop.example.com"), "This week's offers",
                "<html><body><h1>Offers</h1><p>Everything <b>20% off</b> until Sunday.</p>"
                "<ul><li>Tea</li><li>Coffee</li></ul><p><a href=\"https://shop.example.com\">"
                "Visit the shop</a></p></body></html>\n",
                ctype="text/html; charset=us-ascii"))
    body, ctype = multipart("alternative", [
        (["Content-Type: text/plain; charset=us-ascii"],
         "The event starts at 18:00 in room 4.\n\nSee you there!\n"),
        (["Content-Type: text/html; charset=us-ascii"],
         "<html><body><p>The event starts at <b>18:00</b> in room 4.</p>"
         "<p>See you there!</p></body></html>\n"),
    ], "=-=-demo-alt-1")
    add(message(addr("Events", "events@example.org"), "Invitation: summer party", body, ctype=ctype))

    # A thread of five.
    root = msgid("thread-1")
    refs = []
    people = [("Alice Example", "alice@example.org"), ("Bob Builder", "bob@example.net"),
              ("Carol Jones", "carol@example.com"), ("Alice Example", "alice@example.org"),
              ("Dave Smith", "dave@example.org")]
    texts = ["Shall we move the backup to the new disk this weekend?",
             "Fine with me. Saturday morning?",
             "Saturday works. I will bring the cables.",
             "Great, Saturday 10:00 then.",
             "Count me in, I will check the restore afterwards."]
    for i, ((name, a), txt) in enumerate(zip(people, texts)):
        mid = msgid("thread-%d" % (i + 1))
        headers = []
        if refs:
            headers = ["In-Reply-To: " + refs[-1], "References: " + " ".join(refs)]
        add(message(addr(name, a), ("Re: " if i else "") + "Moving the backup disk",
                    txt + "\n", headers=headers, mid=mid, age_hours=30 - i * 3))
        refs.append(mid)
    assert refs[0] == root

    # Terminal escape sequences: raw in the subject and body, and hidden
    # in an encoded word.
    esc = "\x1b"
    add(message(addr("Mallory " + esc + "[31mEvil" + esc + "[0m", "mallory@example.net"),
                "Harmless? " + esc + "[2J" + esc + "]0;pwned title\x07" + esc + "[1;31mRED" + esc + "[0m",
                "This body tries to clear the screen: " + esc + "[2J" + esc + "[H\n"
                "change the title: " + esc + "]0;owned\x07\n"
                "move the cursor: " + esc + "[10;10HX\n"
                "and ring the bell: \x07\x07\n"
                "a carriage return hides this\rOVERWRITTEN\n"
                "A C1 control: \u009b31m (CSI in UTF-8)\n",
                ctype="text/plain; charset=utf-8", cte="8bit"))
    add(message(addr("=?UTF-8?Q?Eve_=1B[5mBlink?=", "eve2@example.net"),
                "=?UTF-8?Q?Encoded_=1B]0;title=07_and_=1B[2J_clear?=",
                "The escapes here only appear after RFC 2047 decoding.\n"))

    # A long one.
    long_body = "\n".join("%4d  %s" % (i, "The quick brown fox jumps over the lazy dog.")
                          for i in range(1, 3001))
    add(message(addr("Log Robot", "robot@example.org"), "Nightly log (3000 lines)", long_body))

    # More plain mail to fill the list.
    fillers = ["Coffee machine is fixed", "Parking on Monday", "Holiday plans",
               "Re: Quick question", "Printer on the 2nd floor", "Your order has shipped",
               "Reminder: dentist", "Book club: next title", "Password expiry notice (not phishing)",
               "Weekend hike?"]
    for i, subj in enumerate(fillers):
        name, a = people[i % len(people)]
        add(message(addr(name, a), subj, "Short note number %d.\n\n%s" % (i + 1, lorem)))
    return msgs


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[0]
    global TO
    if len(argv) >= 3 and argv[1] == "--to":
        TO = argv[2]
    os.makedirs(out, exist_ok=True)
    msgs = build()
    # Oldest first, so the mailbox reads in date order.
    for i, m in enumerate(msgs, 1):
        with open(os.path.join(out, "%02d.eml" % i), "wb") as f:
            f.write(m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
