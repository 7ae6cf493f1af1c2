#!/bin/sh
# Logging in and TLS: AUTH (done by postie, before libesmtp) works with
# LOGIN, PLAIN and CRAM-MD5; a wrong password is reported with the
# server's words and nothing goes unauthenticated; STARTTLS required but
# not offered sends no password; a certificate for another host is
# refused; security none never sends the password; without smtp_ca_file
# the system CAs (hashed directory, then bundle) decide.  The setup's SMTP check
# (send-probe-helper) follows the same rules.
. "$top_srcdir/tests/integration/send-lib.sh"

msg() { printf 'From: alice@example.org\nTo: bob@example.net\nSubject: %s\n\nbody\n' "$1"; }

# AUTH success.
start_smtp ok --auth-required
new_config
account work alice@example.org
msg one | "$POSTIE" send >/dev/null 2>&1
is "$?" 0 "sent with AUTH"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["login"]')" alice "the server saw the login"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["tls"]')" True "the login happened inside TLS"
is "$(plain_lines | grep -c '^AUTH')" 0 "no AUTH line before STARTTLS"
# aiosmtpd lists "AUTH LOGIN PLAIN": auto takes the first of the two.
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" LOGIN "auto: LOGIN, listed first"
is "$(all_lines | grep -c '^AUTH')" 1 "one login for the session"
is "$(all_lines | grep -c '^EHLO')" 2 "postie's EHLO before and after STARTTLS, no third from libesmtp"
stop_smtp ok

# smtp_auth = plain: PLAIN, with the credentials the server checks.
start_smtp plainauth --auth-required
new_config
account work alice@example.org "smtp_auth = plain"
msg plain | "$POSTIE" send >/dev/null 2>&1
is "$?" 0 "sent with smtp_auth = plain"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" PLAIN "the server saw PLAIN"
is "$(events auth-ok | grep -c PLAIN)" 1 "the server checked the credentials"
stop_smtp plainauth

# Wrong password: no unauthenticated fallback.
start_smtp badpw --auth-required
new_config
SMTP_PASSWORD=wrong-password account work alice@example.org
out=$(msg two | "$POSTIE" send 2>&1); rc=$?
is "$rc" 77 "wrong password exits EX_NOPERM"
like "$out" "localhost: login failed — the server said: 535 5.7.8 Authentication credentials invalid" \
     "says where the login failed, in the server's words"
is "$(captured)" 0 "nothing was accepted"
is "$(all_lines | grep -c '^MAIL')" 0 "no MAIL FROM after the failed login"
is "$(all_lines | grep -c '^AUTH')" 1 "only one login attempt (no second mechanism)"
is "$(count_in Outbox)" 1 "the message stays in the Outbox"
grep -q '^X-Postie-Send-Error: .*login failed — the server said: 535' "$MAIL/Outbox"; ok $? "the reason is recorded in the Outbox copy"
grep -q '^X-Postie-Send-Status: temporary' "$MAIL/Outbox"; ok $? "and the message is kept for a retry"
is "$(all_lines | grep -c '^QUIT')" 1 "the session ends with QUIT after the refused login"
stop_smtp badpw

# Wrong password against a server that would take mail without login.
start_smtp open
new_config
SMTP_PASSWORD=wrong-password account work alice@example.org
msg three | "$POSTIE" send >/dev/null 2>&1; rc=$?
is "$rc" 77 "wrong password, open server: still EX_NOPERM"
is "$(captured)" 0 "nothing was sent unauthenticated"
stop_smtp open

# STARTTLS required but not offered.
start_smtp nostarttls --no-starttls
new_config
account work alice@example.org
rm -f "$MAIL/Outbox"
out=$(msg four | "$POSTIE" send 2>&1); rc=$?
is "$rc" 69 "no STARTTLS exits EX_UNAVAILABLE"
like "$out" "does not offer STARTTLS" "says STARTTLS is missing"
is "$(all_lines | grep -c '^AUTH')" 0 "no AUTH command at all: no password sent"
is "$(all_lines | grep -c '^MAIL')" 0 "no MAIL FROM"
is "$(count_in Outbox)" 1 "the message is still queued"
stop_smtp nostarttls

# A certificate for another host name.
start_smtp wrong --cert wronghost
new_config
account work alice@example.org
rm -f "$MAIL/Outbox"
out=$(msg five | "$POSTIE" send 2>&1); rc=$?
is "$rc" 76 "wrong-host certificate exits EX_PROTOCOL"
like "$out" "localhost" "the error names the host"
is "$(all_lines | grep -c '^AUTH')" 0 "no password sent to the wrong host"
is "$(captured)" 0 "nothing sent"
stop_smtp wrong

# A pinned certificate is accepted even for another host name.
start_smtp pinned --cert wronghost
fp=$(openssl x509 -in "$CERTS/wronghost.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
new_config
account work alice@example.org "smtp_tls_fingerprint = $fp"
rm -f "$MAIL/Outbox"
msg six | "$POSTIE" send >/dev/null 2>&1
is "$?" 0 "a pinned certificate is accepted"
stop_smtp pinned

# CRAM-MD5: postie answers the challenge itself (libesmtp's plugin never
# loaded on Debian); the password never goes over the wire.
start_smtp cram --cram-md5 --auth-required
new_config
account work alice@example.org "smtp_auth = cram-md5"
rm -f "$MAIL/Outbox"
out=$(msg seven | "$POSTIE" send 2>&1); rc=$?
is "$rc" 0 "smtp_auth = cram-md5 sends"
[ "$rc" -eq 0 ] || diag "$out"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" CRAM-MD5 "the server saw CRAM-MD5"
if all_lines | grep -q 'smtp-pw-1\|c210cC0x'; then r=1; else r=0; fi
ok $r "the password itself was never sent"
stop_smtp cram
start_smtp crambad --cram-md5 --auth-required
new_config
SMTP_PASSWORD=wrong-password account work alice@example.org "smtp_auth = cram-md5"
rm -f "$MAIL/Outbox"
out=$(msg seven | "$POSTIE" send 2>&1); rc=$?
is "$rc" 77 "cram-md5 with a wrong password: EX_NOPERM"
like "$out" "login failed — the server said: 535" "with the server's words"
is "$(captured)" 0 "nothing was accepted"
stop_smtp crambad

# security none without allow_plaintext_password: no password goes.
start_smtp plain --no-tls
new_config
account work alice@example.org "smtp_security = none"
rm -f "$MAIL/Outbox"
out=$(msg eight | "$POSTIE" send 2>&1); rc=$?
is "$rc" 77 "security none with a password: EX_NOPERM"
like "$out" "allow_plaintext_password" "points to allow_plaintext_password"
is "$(all_lines | grep -c '^AUTH')" 0 "no AUTH over plain text"
stop_smtp plain

# ... unless the account says so explicitly.
start_smtp plainok --no-tls --auth-required
new_config
account work alice@example.org "smtp_security = none" "allow_plaintext_password = true"
rm -f "$MAIL/Outbox"
out=$(msg plainok | "$POSTIE" send 2>&1); rc=$?
is "$rc" 0 "security none with allow_plaintext_password: logs in and sends"
[ "$rc" -eq 0 ] || diag "$out"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["tls"]')" False "the login went in plain text, as allowed"
stop_smtp plainok

# Implicit TLS (port 465 style) through the in-process relay.
start_smtp smtps --smtps --auth-required
new_config
account work alice@example.org "smtp_security = tls"
rm -f "$MAIL/Outbox"
out=$(msg nine | "$POSTIE" send -v 2>&1); rc=$?
is "$rc" 0 "implicit TLS works"
is "$(json "$SMTP_OUTDIR/1.json" 'j["tls"]')" True "the server saw TLS"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["login"]')" alice "and the login"
stop_smtp smtps

start_smtp smtpswrong --smtps --cert wronghost
new_config
account work alice@example.org "smtp_security = tls"
rm -f "$MAIL/Outbox"
out=$(msg ten | "$POSTIE" send 2>&1); rc=$?
is "$rc" 76 "implicit TLS with a wrong-host certificate: EX_PROTOCOL"
is "$(captured)" 0 "nothing sent"
stop_smtp smtpswrong
# No smtp_ca_file: the system CAs, read lazily (net/tls_cas.c).  The
# hashed directory alone verifies; a CA only in the bundle file still
# verifies (the second look); a CA in neither is refused, and so is an
# expired certificate from a CA in the directory.
HASHED="$TEST_TMP/hashed" EMPTY="$TEST_TMP/empty"
mkdir -p "$HASHED" "$EMPTY"
cp "$CERTS/ca.pem" "$HASHED/" && openssl rehash "$HASHED"
start_smtp syscas
new_config
account work alice@example.org
sed -i '/^smtp_ca_file/d' "$CONF"
rm -f "$MAIL/Outbox"
out=$(msg dir | SSL_CERT_DIR="$HASHED" SSL_CERT_FILE="$EMPTY/none.pem" "$POSTIE" send 2>&1); rc=$?
is "$rc" 0 "system CAs: a CA in the hashed directory verifies"
[ "$rc" -eq 0 ] || diag "$out"
out=$(msg bundle | SSL_CERT_DIR="$EMPTY" SSL_CERT_FILE="$CERTS/ca.pem" "$POSTIE" send 2>&1); rc=$?
is "$rc" 0 "system CAs: a CA only in the bundle file verifies"
[ "$rc" -eq 0 ] || diag "$out"
is "$(captured)" 2 "both were delivered"
out=$(msg neither | SSL_CERT_DIR="$EMPTY" SSL_CERT_FILE="$EMPTY/none.pem" "$POSTIE" send 2>&1); rc=$?
is "$rc" 76 "system CAs: a CA in neither is refused"
like "$out" "issued by an unknown authority" "with the reason"
is "$(all_lines | grep -c "^AUTH")" 2 "no password sent after the refusal (two logins, for the two sends above)"
stop_smtp syscas
start_smtp syscasexpired --cert expired
new_config
account work alice@example.org
sed -i '/^smtp_ca_file/d' "$CONF"
rm -f "$MAIL/Outbox"
out=$(msg expired | SSL_CERT_DIR="$HASHED" SSL_CERT_FILE="$CERTS/ca.pem" "$POSTIE" send 2>&1); rc=$?
is "$rc" 76 "system CAs: an expired certificate is refused"
like "$out" "the certificate has expired" "with the reason"
is "$(captured)" 0 "nothing sent"
stop_smtp syscasexpired

# The setup's SMTP check: the same connection and login rules, then QUIT.
PROBE=$top_builddir/tests/integration/send-probe-helper
verbs() { all_lines | grep -oE '^(EHLO|STARTTLS|AUTH [A-Z0-9-]+|MAIL|RCPT|DATA|QUIT)' | tr '\n' ' '; }
start_smtp probetls --smtps --auth-required
new_config
account work alice@example.org "smtp_security = tls" "smtp_auth = plain"
out=$("$PROBE" work 2>&1); rc=$?
is "$rc" 0 "check, implicit TLS and smtp_auth = plain: passes"
[ "$rc" -eq 0 ] || diag "$out"
is "$(verbs)" "EHLO AUTH PLAIN QUIT " "check: EHLO, AUTH PLAIN, QUIT, no MAIL"
stop_smtp probetls

start_smtp probenostarttls --no-starttls
new_config
account work alice@example.org
out=$("$PROBE" work 2>&1); rc=$?
is "$rc" 1 "check, STARTTLS required but not offered: fails"
like "$out" "does not offer STARTTLS" "check: says STARTTLS is missing"
is "$(all_lines | grep -c '^AUTH')" 0 "check: no password sent"
stop_smtp probenostarttls

start_smtp probeplain --no-tls
new_config
account work alice@example.org "smtp_security = none"
out=$("$PROBE" work 2>&1); rc=$?
is "$rc" 1 "check, security none: refused"
like "$out" "allow_plaintext_password" "check: points to allow_plaintext_password"
is "$(all_lines | grep -c '^AUTH')" 0 "check: no AUTH in plain text"
stop_smtp probeplain
done_testing
