#!/bin/sh
# First run without a configuration file: the setup form writes a working
# configuration (mode 0600, passes "postie config check"), offers the POP3
# and SMTP login tests, then the mail screen opens.  The SMTP test logs in
# to a real server: the right password works, a wrong one is reported.
. "$top_srcdir/tests/ui/lib.sh"

CONFIG="$XDG_CONFIG_HOME/postie/config"
rm -f "$CONFIG"
hold_closed_port
closed=$CLOSED_PORT
# Provider lookups (autoconfig over HTTPS) go through a proxy on the closed
# port: refused
# at once, whatever the network (tests/ui/setup-autoconfig.sh has them).
NO_HTTPS="export https_proxy=http://127.0.0.1:$closed no_proxy= NO_PROXY="
UI_ENV=$NO_HTTPS

answer() {   # answer PROMPT-REGEX TEXT
    wait_for "^$1" || return 1
    tm send-keys -t t C-u
    [ -n "$2" ] && type_text "$2"
    keys Enter
}

start_postie 100 30
wait_for 'Welcome to postie'; ok $? "with no configuration the setup form opens"
answer 'Your name' 'Test Person'
answer 'E-mail address' 'test@example.org'
answer 'POP3 server' 'localhost'
ok $? "the POP3 server is asked for"
answer 'POP3 security' 'tls'
answer 'POP3 port' "$closed"
answer 'User name' 'tester'
answer 'Password' 's3cret-pw'
wait_for '\*\*\*\*\*\*\*\*'; ok $? "the password is not shown"
unlike "$(screen)" 's3cret-pw' "the password text is not on the screen"
answer 'Password command' ''
answer 'Leave mail on the server' 'yes'
answer 'Delete from the server after days' '14'
answer 'SMTP server' 'localhost'
answer 'SMTP security' 'starttls'
answer 'SMTP port' '2525'
ok $? "every question was answered"
# "w: write" is on the form's status line all along: the last question
# going is what shows the answers are in.
wait_not '^SMTP port' && wait_for 'w: write'; ok $? "the form shows the answers and how to write them"
keys w
wait_for 'Test the POP3 and SMTP logins now'; ok $? "after writing, the login tests are offered"
is "$(stat -c %a "$CONFIG")" 600 "the configuration file has mode 0600"
out=$("$POSTIE" --config "$CONFIG" config check 2>&1); rc=$?
is "$rc" 0 "postie config check passes on the written file"
[ "$rc" -eq 0 ] || diag "$out"
cfg=$(cat "$CONFIG")
like "$cfg" '^pop3_port=' "the POP3 port is written"
like "$cfg" '^delete_after_days=14' "delete after N days is written"
like "$cfg" '^password=s3cret-pw' "the password is written (only in the 0600 file)"
keys y
wait_for 'POP3 test failed' 60; ok $? "the POP3 test runs and reports the failure (nothing listens there)"
wait_for 'SMTP test failed' 60; ok $? "the SMTP test runs and reports its failure too"
keys Enter
wait_for 'postie: Inbox'; ok $? "then the mail screen opens"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
tm kill-server

# The SMTP test against a real server (STARTTLS, AUTH), trusting the test
# CA through OpenSSL's SSL_CERT_FILE since the form asks for no CA file.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { done_testing; exit 0; }
start_smtpd
UI_ENV="$NO_HTTPS; export SSL_CERT_FILE='$SMTP_CA_FILE'"

smtp_setup() {   # smtp_setup PASSWORD: the form, written and tested
    rm -f "$CONFIG"
    start_postie 100 30
    wait_for 'Welcome to postie' || return 1
    answer 'Your name' 'Test Person'
    answer 'E-mail address' 'test@example.org'
    answer 'POP3 server' 'localhost'
    answer 'POP3 security' 'tls'
    answer 'POP3 port' "$closed"
    answer 'User name' "$SMTP_USER"
    answer 'Password' "$1"
    answer 'Password command' ''
    answer 'Leave mail on the server' 'yes'
    answer 'Delete from the server after days' '0'
    answer 'SMTP server' "$SMTP_HOST"
    answer 'SMTP security' 'starttls'
    answer 'SMTP port' "$SMTP_PORT"
    wait_for 'w: write' || return 1
    keys w
    wait_for 'Test the POP3 and SMTP logins now' || return 1
    keys y
}
smtp_verbs() {   # the command verbs of the last connection, in order
    /usr/bin/python3 - "$SMTP_OUTDIR/commands.log" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
last = max(r["conn"] for r in recs)
# Commands only: AUTH continuation lines (base64) are left out.
verbs = {"HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
         "RSET", "NOOP", "QUIT"}
words = [r["line"].split(" ")[0].upper() for r in recs
         if r["conn"] == last and "line" in r]
print(" ".join(w for w in words if w in verbs))
PY
}
smtp_setup "$SMTP_PASSWORD"
wait_for 'SMTP login works' 60; ok $? "with the right password the SMTP login test passes"
like "$(screen)" 'POP3 test failed' "each server's result is shown on its own line"
grep -q '"auth-ok"' "$SMTP_OUTDIR/commands.log"; ok $? "the server saw a successful AUTH"
unlike "$(cat "$SMTP_OUTDIR/commands.log")" 'MAIL FROM' "the test sends no mail"
# The whole dialogue: logged in, then QUIT (answered 221 before the
# result is shown), and nothing else.
is "$(smtp_verbs)" 'EHLO STARTTLS EHLO AUTH QUIT' \
   "the SMTP test says EHLO, STARTTLS, EHLO, AUTH, then QUIT"
keys Enter
wait_for 'postie: Inbox'; ok $? "then the mail screen opens"
keys q
wait_for 'EXIT=0'
tm kill-server

smtp_setup 'not-the-password'
wait_for 'SMTP test failed: localhost: login failed — the server said: 535' 60
ok $? "a wrong password is reported by the SMTP test as a failed login"
like "$(screen)" 'server said: 535 5.7.8 Authentication credentials' \
     "with the server's own words"
is "$(smtp_verbs)" 'EHLO STARTTLS EHLO AUTH QUIT' "and the session still ends with QUIT"
keys Enter
keys q
wait_for 'EXIT=0'
tm kill-server
done_testing
