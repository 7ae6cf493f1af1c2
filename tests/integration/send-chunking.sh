#!/bin/sh
# A server that offers CHUNKING (BDAT) and PIPELINING like Postfix and Exim
# (tests/servers/chunkd.py), misbehaving on purpose: only the reply to the
# last chunk accepts a message; a cut or stalled transfer, a man in the
# middle injecting replies with the 220 to STARTTLS, a refused chunk, SIZE,
# and the AUTH mechanism smtp_auth names.
. "$top_srcdir/tests/integration/send-lib.sh"

CHUNKD_PIDS=""
TEST_CLEANUP="$TEST_CLEANUP; for p in \$CHUNKD_PIDS; do kill \$p 2>/dev/null; done"

# start_chunkd NAME [chunkd.py options]: sets SMTP_PORT and SMTP_OUTDIR.
start_chunkd() {
    name=$1; shift
    d="$TEST_TMP/$name"
    mkdir -p "$d"
    "$PY" "$SERVERS/chunkd.py" --outdir "$d/out" --port-file "$d/port" \
        --cert "$CERTS/localhost.pem" --key "$CERTS/localhost.key" "$@" \
        > "$d/log" 2>&1 &
    CHUNKD_PIDS="$CHUNKD_PIDS $!"
    i=0
    while [ ! -s "$d/port" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    SMTP_PORT=$(cat "$d/port")
    SMTP_OUTDIR="$d/out"
}

eml_count() { ls "$SMTP_OUTDIR" 2>/dev/null | grep -c '\.eml$' || true; }
cmd_lines() { "$PY" -c '
import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["line"])
' "$SMTP_OUTDIR/commands.log" 2>/dev/null; }

msg() { printf 'From: alice@example.org\nTo: bob@example.net\nSubject: %s\n\nbody of %s\n' "$1" "$1"; }
# A message of about N KB (several chunks of libesmtp's transfer).
big() {
    msg "$1" | head -c -1
    "$PY" -c 'import sys
for i in range(int(sys.argv[1]) * 16): print("line %06d of filler text, 64 bytes long ......" % i)' "$2"
}
fresh() { new_config; account work alice@example.org "$@"; rm -f "$MAIL/Outbox" "$MAIL/Sent"; }

# ---- the normal case: delivered once, byte for byte ------------------------
start_chunkd ok --size 50000000
fresh "smtp_security = starttls"
out=$(big normal 200 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 0 "a 200 KB message over BDAT is sent"
is "$(eml_count)" 1 "the server got it once"
cmd_lines | grep -q '^BDAT [0-9]* LAST$'; ok $? "it went as BDAT chunks ending with LAST"
cmd_lines | grep -q '^MAIL FROM:<alice@example.org> SIZE=[0-9]'; ok $? "MAIL FROM declares SIZE="
is "$(count_in Sent)" 1 "it is in Sent"

# ---- cut after an intermediate chunk's 250 (8 MB: libesmtp is still writing
# when the reset comes, and used to take that 250 as the final answer) ------
start_chunkd cut --fault cut:2
fresh "smtp_security = starttls"
out=$(big cut 8000 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "a transfer cut after an intermediate 250 exits EX_TEMPFAIL"
unlike "$out" "^work: sent" "it is not reported as sent"
is "$(eml_count)" 0 "the server delivered nothing"
is "$(count_in Outbox)" 1 "the message stays in the Outbox"
is "$(count_in Sent)" 0 "nothing in Sent"
grep -q '^X-Postie-Send-Status: temporary' "$MAIL/Outbox"; ok $? "marked temporary"

# The same over implicit TLS (port 465).
start_chunkd cut465 --smtps --fault cut:2
fresh "smtp_security = tls"
out=$(big cut465 8000 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "port 465: a cut transfer exits EX_TEMPFAIL"
is "$(count_in Outbox)/$(count_in Sent)/$(eml_count)" "1/0/0" "port 465: Outbox 1, Sent 0, delivered 0"

# ---- stalled after a chunk: every wait honours timeout ---------------------
start_chunkd stall --fault stall:2
fresh "smtp_security = none" "smtp_auth = none" "timeout = 3"
out=$(big stall 200 | timeout 60 "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "a stalled server fails the send (timeout = 3, not minutes)"
like "$out" "did not answer within 3 seconds" "the reason is the timeout"
is "$(count_in Outbox)/$(count_in Sent)" "1/0" "the message stays in the Outbox"

# ---- a refused chunk (552): permanent, and the rest is not uploaded -------
start_chunkd refuse --fault refuse:2
fresh "smtp_security = starttls"
out=$(big refused 3000 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 69 "552 to a chunk exits EX_UNAVAILABLE"
like "$out" "552" "the server's reply is shown"
grep -q '^X-Postie-Send-Status: permanent' "$MAIL/Outbox"; ok $? "marked permanent"
late=$(cat "$SMTP_OUTDIR/late-chunks" 2>/dev/null || echo 0)
total=$(( 3000 / 64 ))
[ "$late" -lt "$total" ]; ok $? "the rest of the message was not uploaded ($late chunks after the refusal)"
cmd_lines | grep -q '^RSET\|^QUIT'; ok $? "the session ended cleanly"
out=$("$POSTIE" flush 2>&1)
like "$out" "skipped" "a later flush does not upload it again"

# ---- SIZE: refused at MAIL FROM, nothing uploaded --------------------------
start_chunkd size --size 10000
fresh "smtp_security = starttls"
out=$(big toobig 100 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 69 "a message over the declared SIZE limit exits EX_UNAVAILABLE"
like "$out" "552" "the 552 is shown"
cmd_lines | grep -q '^BDAT'; ok $((! $?)) "no byte of it was uploaded"

# ---- STARTTLS response injection -------------------------------------------
start_chunkd inject --inject
fresh "smtp_security = starttls"
out=$(msg injected | "$POSTIE" send 2>&1); rc=$?
[ "$rc" -ne 0 ]; ok $? "replies injected with the 220 to STARTTLS fail the send"
like "$out" "after its reply to STARTTLS" "the reason is named"
unlike "$out" "^work: sent" "nothing is reported as sent"
is "$(count_in Outbox)/$(count_in Sent)" "1/0" "the message stays in the Outbox"
is "$(cmd_lines | grep -c '^MAIL')" 0 "no MAIL FROM was ever written"

# ---- AUTH: smtp_auth picks the mechanism -----------------------------------
start_chunkd auth --auth "LOGIN PLAIN"
fresh "smtp_security = starttls" "smtp_auth = plain"
"$POSTIE" send >/dev/null 2>&1 <<EOF2
$(msg plain)
EOF2
ok $? "smtp_auth = plain against AUTH LOGIN PLAIN sends"
[ -f "$SMTP_OUTDIR/auth-PLAIN" ] && [ ! -f "$SMTP_OUTDIR/auth-LOGIN" ]
ok $? "PLAIN was used, LOGIN never tried"
start_chunkd auth2 --auth "PLAIN LOGIN"
fresh "smtp_security = starttls" "smtp_auth = login"
msg login | "$POSTIE" send >/dev/null 2>&1
ok $? "smtp_auth = login against AUTH PLAIN LOGIN sends"
[ -f "$SMTP_OUTDIR/auth-LOGIN" ] && [ ! -f "$SMTP_OUTDIR/auth-PLAIN" ]
ok $? "LOGIN was used, PLAIN never tried"
start_chunkd auth3 --auth "PLAIN"
fresh "smtp_security = starttls" "smtp_auth = login"
out=$(msg nologin | "$POSTIE" send 2>&1); rc=$?
[ "$rc" -ne 0 ]; ok $? "smtp_auth = login against a server without LOGIN fails"
like "$out" "does not offer the login method LOGIN that account work asks for .it offers: PLAIN." "and says why"
is "$(cmd_lines | grep -c '^AUTH\|^MAIL')" 0 "no login and no MAIL was attempted"

# ---- libesmtp's client certificate file: never a crash ---------------------
mkdir -p "$HOME/.config/libesmtp/private"
: > "$HOME/.config/libesmtp/private/localhost.pem"
chmod 640 "$HOME/.config/libesmtp/private/localhost.pem"
start_chunkd clientcert
fresh "smtp_security = starttls"
out=$(msg clientcert | "$POSTIE" send 2>&1); rc=$?
is "$rc" 0 "an unusable ~/.config/libesmtp/private/HOST.pem does not crash send"
is "$(eml_count)" 1 "the message went"
rm -rf "$HOME/.config/libesmtp"

done_testing
