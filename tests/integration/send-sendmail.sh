#!/bin/sh
# postie send as a sendmail: the options mutt, git send-email and cron use,
# recipients from the command line and -t, -f, exit codes.
. "$top_srcdir/tests/integration/send-lib.sh"

start_smtp s
new_config
account work alice@example.org "default = true"
msg='From: alice@example.org
To: bob@example.net
Cc: carol@example.net
Subject: compat

body
'
out=$(printf '%s' "$msg" | "$POSTIE" send -oi -oem -odb -f bounce@example.org dave@example.net 2>&1); rc=$?
is "$rc" 0 "-oi -oem -odb -f ADDR RCPT is accepted"
like "$out" "ignoring sendmail option -oem" "harmless sendmail options are ignored with a note"
is "$(json "$SMTP_OUTDIR/1.json" 'j["mail_from"]')" bounce@example.org "-f sets the envelope sender"
is "$(json "$SMTP_OUTDIR/1.json" 'j["rcpt_tos"]')" "['dave@example.net']" "command-line recipients only (sendmail semantics)"

printf '%s' "$msg" | "$POSTIE" send -i -t -fbounce2@example.org erin@example.net >/dev/null 2>&1
is "$?" 0 "-i -t -fADDR RCPT"
is "$(json "$SMTP_OUTDIR/2.json" 'sorted(j["rcpt_tos"])')" \
   "['bob@example.net', 'carol@example.net', 'erin@example.net']" "-t adds To and Cc to the command line"
is "$(json "$SMTP_OUTDIR/2.json" 'j["mail_from"]')" bounce2@example.org "-fADDR (attached) works"

printf '%s' "$msg" | "$POSTIE" send -t >/dev/null 2>&1
is "$(json "$SMTP_OUTDIR/3.json" 'sorted(j["rcpt_tos"])')" "['bob@example.net', 'carol@example.net']" \
   "-t alone: To and Cc"

printf '%s' "$msg" | "$POSTIE" send --queue >/dev/null 2>&1
is "$?" 0 "--queue exits 0"
is "$(captured)" 3 "--queue sends nothing"
is "$(count_in Outbox)" 1 "--queue leaves it in the Outbox"
"$POSTIE" flush -q >/dev/null 2>&1
is "$(captured)" 4 "flush sends it"

# Our own fields cannot be smuggled in from outside.
printf 'From: alice@example.org\nTo: bob@example.net\nX-Postie-Envelope-To: evil@example.net\nX-Postie-Account: nosuch\nSubject: s\n\nb\n' |
    "$POSTIE" send >/dev/null 2>&1
is "$?" 0 "a message with X-Postie fields from outside is sent"
is "$(json "$SMTP_OUTDIR/5.json" 'j["rcpt_tos"]')" "['bob@example.net']" "its X-Postie-Envelope-To is ignored"
if grep -q X-Postie "$SMTP_OUTDIR/5.eml"; then ok 1 "and not transmitted"; else ok 0 "and not transmitted"; fi

# Errors and their exit codes.
printf 'From: alice@example.org\nSubject: nobody\n\nb\n' | "$POSTIE" send >/dev/null 2>&1
is "$?" 65 "no recipients: EX_DATAERR"
printf 'this is not a message\n' | "$POSTIE" send bob@example.net >/dev/null 2>&1
is "$?" 65 "not a message: EX_DATAERR"
printf '%s' "$msg" | "$POSTIE" send 'bad address@example.net' >/dev/null 2>&1
is "$?" 65 "an address with a space: EX_DATAERR"
printf '%s' "$msg" | "$POSTIE" send 'bad>@example.net' >/dev/null 2>&1
is "$?" 65 "an address with '>': EX_DATAERR"
printf '%s' "$msg" | "$POSTIE" send --bogus >/dev/null 2>&1
is "$?" 64 "unknown option: EX_USAGE"
printf 'From: x@nowhere.example\nTo: b@example.net\n\nb\n' | "$POSTIE" send --account nosuch >/dev/null 2>&1
is "$?" 78 "unknown --account: EX_CONFIG"
is "$(captured)" 5 "none of the refused inputs was sent"
"$POSTIE" send --help | grep -q -- '--queue'; ok $? "--help lists the options"
done_testing
