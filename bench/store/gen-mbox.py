#!/usr/bin/python3
"""Generate a realistic mbox for the store benchmark.

Usage: gen-mbox.py OUTPUT [COUNT]   (default 100000 messages)

Deterministic (fixed seed): plain text mail and multipart/mixed mail with
base64 attachments, Received chains, DKIM signatures, RFC 2047 names and
subjects, replies with References, list mail, some flags, and body lines
starting with "From " (quoted as mboxrd does).
"""
import base64
import random
import sys
import time

out_path = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
rnd = random.Random(20261122)

first = ["Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi", "Ivan",
         "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent",
         "Victor", "Walter", "Zoë", "José", "Jürgen", "Åsa", "Łukasz", "Renée"]
last = ["Smith", "Jones", "Müller", "García", "Nowak", "Rossi", "Dubois", "Kim",
        "Tanaka", "Olsen", "O'Brien", "Novák", "Silva", "Ivanov", "Chen"]
domains = ["example.org", "example.com", "mail.example.net", "lists.example.org",
           "corp.example", "uni.example.edu"]
words = ("the of and to in is you that it he was for on are as with his they I at be "
         "this have from or one had by word but not what all were we when your can said "
         "there use an each which she do how their if will up other about out many then "
         "them these so some her would make like him into time has look two more write go "
         "see number no way could people my than first water been call who oil its now "
         "find long down day did get come made may part meeting report budget release "
         "server patch review schedule invoice holiday project deadline").split()
wdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def enc_word(s):
    if all(ord(c) < 128 for c in s):
        return s
    return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="


def person():
    f, l = rnd.choice(first), rnd.choice(last)
    addr = "%s.%s@%s" % (f.lower().encode("ascii", "ignore").decode() or "x",
                         l.lower().replace("'", "").encode("ascii", "ignore").decode() or "y",
                         rnd.choice(domains))
    name = "%s %s" % (f, l)
    if rnd.random() < 0.15:
        return addr, addr
    if all(ord(c) < 128 for c in name) and "'" not in name:
        return '"%s" <%s>' % (name, addr) if rnd.random() < 0.3 else "%s <%s>" % (name, addr), addr
    return "%s <%s>" % (enc_word(name), addr), addr


def sentence(n):
    return " ".join(rnd.choice(words) for _ in range(n))


def paragraph():
    lines, line = [], []
    for _ in range(rnd.randint(20, 90)):
        line.append(rnd.choice(words))
        if len(" ".join(line)) > 66:
            lines.append(" ".join(line))
            line = []
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines)


def date_tuple(i):
    t = 1600000000 + i * 600 + rnd.randint(0, 599)
    return time.gmtime(t)


def rfc_date(tm):
    return "%s, %d %s %d %02d:%02d:%02d +0000" % (wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon - 1],
                                                tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec)


def ctime_date(tm):
    return "%s %s %2d %02d:%02d:%02d %d" % (wdays[tm.tm_wday], months[tm.tm_mon - 1], tm.tm_mday,
                                             tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year)


def quote_from(body):
    out = []
    for l in body.split("\n"):
        s = l.lstrip(">")
        out.append(">" + l if s.startswith("From ") else l)
    return "\n".join(out)


def message(i, ids):
    tm = date_tuple(i)
    frm, faddr = person()
    to, _ = person()
    h = ["Return-Path: <%s>" % faddr]
    for hop in range(rnd.randint(2, 5)):
        h.append("Received: from mx%d.%s (mx%d.%s [192.0.2.%d])\n\tby mail.example.org (Postfix) with ESMTPS id %X\n\tfor <me@example.org>; %s"
                 % (hop, rnd.choice(domains), hop, rnd.choice(domains), rnd.randint(1, 254), rnd.getrandbits(40), rfc_date(tm)))
    if rnd.random() < 0.6:
        sig = base64.b64encode(rnd.randbytes(180)).decode()
        h.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=sel1;\n\th=from:to:subject:date:message-id;\n\tbh=%s;\n\tb=%s\n\t %s"
                 % (rnd.choice(domains), base64.b64encode(rnd.randbytes(32)).decode(), sig[:70], sig[70:]))
    h.append("From: " + frm)
    h.append("To: " + to)
    if rnd.random() < 0.3:
        h.append("Cc: " + ", ".join(person()[0] for _ in range(rnd.randint(1, 4))))
    subj = sentence(rnd.randint(2, 9)).capitalize()
    if rnd.random() < 0.1:
        subj = enc_word(subj + " — " + rnd.choice(first))
    reply = ids and rnd.random() < 0.35
    if reply:
        subj = "Re: " + subj
    h.append("Subject: " + subj)
    h.append("Date: " + rfc_date(tm))
    mid = "<%d.%x@%s>" % (i, rnd.getrandbits(32), rnd.choice(domains))
    h.append("Message-ID: " + mid)
    if reply:
        parent = rnd.choice(ids[-200:])
        h.append("In-Reply-To: " + parent)
        h.append("References: " + parent)
    if rnd.random() < 0.2:
        h.append("List-Id: Project discussion <project.lists.example.org>")
    h.append("MIME-Version: 1.0")
    h.append("X-Mailer: Example Mail %d.%d" % (rnd.randint(1, 9), rnd.randint(0, 20)))
    r = rnd.random()
    if r < 0.5:
        h.append("Status: RO")
    elif r < 0.6:
        h.append("Status: O")
    if rnd.random() < 0.05:
        h.append("X-Status: AF")
    body = "\n\n".join(paragraph() for _ in range(rnd.randint(1, 5)))
    if rnd.random() < 0.05:
        body += "\n\nFrom the archives: an old line that mbox must quote.\n"
    if rnd.random() < 0.25:
        b = "b%x" % rnd.getrandbits(48)
        h.append('Content-Type: multipart/mixed; boundary="%s"' % b)
        att = base64.encodebytes(rnd.randbytes(rnd.randint(1000, 9000))).decode()
        body = ("This is a multi-part message in MIME format.\n\n--%s\nContent-Type: text/plain; charset=utf-8\n"
                "Content-Transfer-Encoding: 8bit\n\n%s\n\n--%s\nContent-Type: application/octet-stream; name=\"data%d.bin\"\n"
                "Content-Disposition: attachment; filename=\"data%d.bin\"\nContent-Transfer-Encoding: base64\n\n%s\n--%s--\n"
                % (b, body, b, i, i, att, b))
    else:
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: 8bit")
        body += "\n"
    ids.append(mid)
    return "From %s %s\n%s\n\n%s\n" % (faddr, ctime_date(tm), "\n".join(h), quote_from(body))


ids = []
with open(out_path, "w", encoding="utf-8") as f:
    for i in range(count):
        f.write(message(i, ids))
