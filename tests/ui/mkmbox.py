#!/usr/bin/python3
"""Write an mbox of sample messages for the screen tests and benchmark.

usage: mkmbox.py FILE [COUNT]

Without COUNT: a small hand-made folder (a thread, UTF-8 with wide and
combining characters, a message full of escape sequences, an attachment).
With COUNT: that many generated messages (for the 100,000-message check).
"""
import sys

def msg(i, frm, subj, body, date, mid, irt=None, extra=""):
    h = [f"From {frm.split('<')[-1].rstrip('>')} Mon Jan  1 00:00:00 2024",
         f"From: {frm}", "To: Me <me@example.org>", f"Subject: {subj}",
         f"Date: {date}", f"Message-ID: <{mid}>"]
    if irt:
        h.append(f"In-Reply-To: <{irt}>")
        h.append(f"References: <{irt}>")
    h.append("MIME-Version: 1.0")
    if extra:
        h.append(extra.rstrip("\n"))
    else:
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: 8bit")
    return "\n".join(h) + "\n\n" + body + "\n\n"

def uu_block():
    import binascii
    data = b"UUNOTES decoded fine\n"
    return "begin 644 notes.txt\n" + binascii.b2a_uu(data).decode() + "`\nend\n"

def small(out):
    esc = "\x1b"
    parts = [
        msg(1, "Alice Example <alice@example.org>", "Lunch on Friday?",
            "Hi,\n\nlunch on Friday at noon?\n\nAlice", "Mon, 01 Jan 2024 10:00:00 +0000", "m1@example.org"),
        msg(2, "Bob Builder <bob@example.org>", "Re: Lunch on Friday?",
            "> lunch on Friday at noon?\n\nYes, BOBSBODYTEXT.\n", "Mon, 01 Jan 2024 11:00:00 +0000",
            "m2@example.org", irt="m1@example.org"),
        msg(3, "=?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>", "=?UTF-8?B?5pel5pys6Kqe44Gu5Lu25ZCN?= caf\u00e9",
            "WIDEBODY \u65e5\u672c\u8a9e\u306e\u672c\u6587 e\u0301t\u00e9 na\u0308ive\n",
            "Tue, 02 Jan 2024 09:00:00 +0900", "m3@example.jp"),
        msg(4, "Mallory <mallory@example.net>", f"Evil {esc}[31mRED{esc}[0m subject {esc}]0;pwned\x07",
            f"ESCBODY {esc}[2J{esc}[H cleared? {esc}]52;c;ZXZpbA==\x07 {esc}P1$qm{esc}\\ \x9b31m done\n",
            "Wed, 03 Jan 2024 12:00:00 +0000", "m4@example.net"),
        msg(5, "Carol <carol@example.org>", "Report attached",
            "", "Thu, 04 Jan 2024 08:00:00 +0000", "m5@example.org",
            extra="Content-Type: multipart/mixed; boundary=BB\n"),
    ]
    parts[4] = parts[4].replace("\n\n\n\n", "\n\n--BB\nContent-Type: text/plain\n\nThe report is attached, and the notes:\n\n" + uu_block() + "\n--BB\n"
                                "Content-Type: application/pdf; name=report.pdf\nContent-Disposition: attachment; filename=report.pdf\n"
                                "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--BB--\n\n")
    out.write("".join(parts))

def many(out, n):
    names = ["Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi"]
    for i in range(n):
        who = names[i % len(names)]
        irt = f"g{i-1}@example.org" if i % 5 else None
        day = 1 + (i * 7919) % 28
        out.write(msg(i, f"{who} {i} <{who.lower()}{i}@example.org>", f"Generated message number {i}",
                      f"Body of generated message {i}.", f"Mon, {day:02d} Jan 2024 {i % 24:02d}:{i % 60:02d}:00 +0000",
                      f"g{i}@example.org", irt=irt))

with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as f:
    if len(sys.argv) > 2:
        many(f, int(sys.argv[2]))
    else:
        small(f)
