#!/bin/sh
# Delivery byte for byte: a multipart message with an attachment and 8-bit
# text, with and without 8BITMIME on the server; Bcc is not transmitted but
# kept in Sent; Date, Message-ID and MIME-Version are added.
. "$top_srcdir/tests/integration/send-lib.sh"

start_smtp s8
new_config
account work alice@example.org "default = true"

msg="$TEST_TMP/m1.eml"
cat > "$msg" <<'MSG'
From: Alice <alice@example.org>
To: Bob <bob@example.net>
Cc: carol@example.net
Bcc: dave@example.net
Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln — 8-bit text.
.a line that starts with a dot
..two dots
.
From the start of a line
--b1
Content-Type: application/octet-stream; name="data.bin"
Content-Disposition: attachment; filename="data.bin"
Content-Transfer-Encoding: base64

AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4
OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx
--b1--
MSG

out=$("$POSTIE" send -v < "$msg" 2>&1); rc=$?
is "$rc" 0 "postie send exits 0 when the server took the message"
like "$out" 'sent' "it says the message was sent"
is "$(captured)" 1 "the server captured one message"
eml="$SMTP_OUTDIR/1.eml"
is "$(json "$SMTP_OUTDIR/1.json" 'sorted(j["rcpt_tos"])')" \
   "['bob@example.net', 'carol@example.net', 'dave@example.net']" \
   "envelope recipients are To, Cc and Bcc"
is "$(json "$SMTP_OUTDIR/1.json" 'j["mail_from"]')" "alice@example.org" "envelope sender is the identity"
like "$(json "$SMTP_OUTDIR/1.json" 'j["mail_options"]')" "BODY=8BITMIME" \
     "8-bit body declared with BODY=8BITMIME to a server offering it"
if grep -qi '^Bcc:' "$eml"; then ok 1 "Bcc absent from the transmitted bytes"; else ok 0 "Bcc absent from the transmitted bytes"; fi
if grep -q 'dave@example.net' "$eml"; then ok 1 "the Bcc address appears nowhere in what was transmitted"; else ok 0 "the Bcc address appears nowhere in what was transmitted"; fi
grep -qi '^Bcc: dave@example.net' "$MAIL/Sent"; ok $? "Bcc kept in the Sent copy"
grep -q '^Date: ' "$eml"; ok $? "Date added"
grep -q '^Message-ID: <[^@]*@example.org>' "$eml"; ok $? "Message-ID added in the sender's domain"
grep -q '^MIME-Version: 1.0' "$eml"; ok $? "MIME-Version added"
is "$(count_in Outbox)" 0 "the Outbox is empty afterwards"
is "$(count_in Sent)" 1 "the message is in Sent"

# Byte for byte: what arrived (CRLF -> LF, dots already unstuffed by the
# server) equals the input plus the added fields, minus Bcc.
"$PY" - "$msg" "$eml" "$MAIL/Sent" <<'PY'
import sys
inp = open(sys.argv[1], 'rb').read()
got = open(sys.argv[2], 'rb').read()
assert b'\r\n' in got, "CRLF on the wire"
got = got.replace(b'\r\n', b'\n')
hin, _, bin_ = inp.partition(b'\n\n')
hgot, _, bgot = got.partition(b'\n\n')
ok = True
if bgot != bin_:
    print("# body differs"); ok = False
want = [l for l in hin.split(b'\n') if not l.lower().startswith(b'bcc:')]
have = hgot.split(b'\n')
if have[:len(want)] != want:
    print("# header fields differ:", have[:len(want)], want); ok = False
added = sorted(l.split(b':')[0] for l in have[len(want):])
if added != [b'Date', b'MIME-Version', b'Message-ID']:
    print("# added fields:", added); ok = False
sys.exit(0 if ok else 1)
PY
ok $? "transmitted bytes equal the queued message (8BITMIME)"

# The same message to a server without 8BITMIME: re-encoded to 7 bit.
stop_smtp s8
start_smtp s7 --no-8bitmime
new_config
account work alice@example.org "default = true"
"$POSTIE" send < "$msg" >/dev/null 2>&1; rc=$?
is "$rc" 0 "sent to a server without 8BITMIME"
eml="$SMTP_OUTDIR/1.eml"
"$PY" -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(0 if max(d) < 128 else 1)' "$eml"
ok $? "only 7-bit bytes were transmitted"
unlike "$(json "$SMTP_OUTDIR/1.json" 'j["mail_options"]')" "8BITMIME" "no BODY=8BITMIME declared"
"$PY" - "$msg" "$eml" <<'PY'
import sys, email
from email import policy
a = email.message_from_bytes(open(sys.argv[1],'rb').read(), policy=policy.default)
b = email.message_from_bytes(open(sys.argv[2],'rb').read().replace(b'\r\n', b'\n'), policy=policy.default)
pa = [p for p in a.walk() if not p.is_multipart()]
pb = [p for p in b.walk() if not p.is_multipart()]
assert len(pa) == len(pb), (len(pa), len(pb))
for x, y in zip(pa, pb):
    assert x.get_content_type() == y.get_content_type()
    assert x.get_payload(decode=True) == y.get_payload(decode=True), (x.get_payload(decode=True), y.get_payload(decode=True))
assert b.get("Bcc") is None
PY
ok $? "the 7-bit version decodes to the same text and attachment"
grep -q 'Grüße aus Köln' "$MAIL/Sent"; ok $? "the Sent copy keeps the 8-bit text as written"

# A plain message without MIME fields and with CRLF input.
printf 'To: bob@example.net\r\nSubject: plain\r\n\r\nline one\r\n.\r\nline three\r\n' |
    "$POSTIE" send >/dev/null 2>&1
ok $? "CRLF input is accepted"
"$PY" - "$SMTP_OUTDIR/2.eml" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
assert d.endswith(b'\r\n\r\nline one\r\n.\r\nline three\r\n'), d
assert b'\nFrom: alice@example.org\r\n' in d or d.startswith(b'From: alice@example.org'), d
PY
ok $? "a lone dot line survives; From added from the account"

# Raw UTF-8 in header fields: RFC 2047 on the wire, as written in Sent.
printf 'From: Jörg <alice@example.org>\nTo: bob@example.net\nSubject: Grüße aus Köln\n\nplain body\n' |
    "$POSTIE" send >/dev/null 2>&1
ok $? "a message with raw 8-bit header fields is sent"
eml=$(ls -t "$SMTP_OUTDIR"/*.eml | head -1)
"$PY" - "$eml" <<'PY'
import sys, email
from email import policy
raw = open(sys.argv[1], 'rb').read()
assert max(raw) < 128, "8-bit bytes on the wire"
m = email.message_from_bytes(raw.replace(b'\r\n', b'\n'), policy=policy.default)
assert str(m["Subject"]) == "Grüße aus Köln", m["Subject"]
assert m["From"].addresses[0].display_name == "Jörg", m["From"]
assert m["From"].addresses[0].addr_spec == "alice@example.org"
PY
ok $? "the header fields went RFC 2047 encoded and decode to what was written"
grep -q '^Subject: Grüße aus Köln' "$MAIL/Sent"; ok $? "Sent keeps them as written"
done_testing
