#!/bin/sh
# What the server refuses or what fails on the way: per-recipient results,
# 4xx on DATA, a connection dropped after DATA, a server that is down.
. "$top_srcdir/tests/integration/send-lib.sh"

msg() { printf 'From: alice@example.org\nTo: %s\nSubject: %s\n\nbody of %s\n' "$1" "$2" "$2"; }

# One recipient rejected (5xx): reported per recipient, never "sent".
start_smtp rej --reject '^nobody@'
new_config
account work alice@example.org
out=$(msg "bob@example.net, nobody@example.net" partial | "$POSTIE" send 2>&1); rc=$?
is "$rc" 67 "a rejected recipient exits EX_NOUSER"
like "$out" "refused nobody@example.net: 550" "the rejected recipient is reported with its code"
like "$out" "accepted bob@example.net: 250" "the accepted recipient is reported too"
unlike "$out" "^work: sent" "the message is not reported as sent"
is "$(captured)" 1 "the accepted recipient got it"
is "$(json "$SMTP_OUTDIR/1.json" 'j["rcpt_tos"]')" "['bob@example.net']" "only bob was an accepted recipient"
is "$(count_in Outbox)" 1 "the message stays in the Outbox"
grep -q '^X-Postie-Send-Status: permanent' "$MAIL/Outbox"; ok $? "marked permanent"
grep -q '^X-Postie-Delivered-To: bob@example.net' "$MAIL/Outbox"; ok $? "who has it is recorded"
out=$("$POSTIE" flush 2>&1); rc=$?
is "$rc" 0 "a later flush skips the refused message"
like "$out" "skipped" "and says so"
is "$(captured)" 1 "nothing sent again"
"$POSTIE" flush --retry-failed >/dev/null 2>&1; rc=$?
is "$rc" 69 "--retry-failed tries it again (refused again)"
is "$(all_lines | grep -c 'RCPT TO:<bob@')" 1 \
   "the retry does not go to bob again"
grep -q '^X-Postie-Send-Attempts: 2' "$MAIL/Outbox"; ok $? "attempts counted"
stop_smtp rej

# 4xx on DATA: stays, sent by the next flush.
start_smtp temp --tempfail-data 1
new_config
account work alice@example.org
rm -f "$MAIL/Outbox"
out=$(msg bob@example.net tempfail | "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "451 on DATA exits EX_TEMPFAIL"
like "$out" "451" "the server's reply is shown"
is "$(count_in Outbox)" 1 "the message stays in the Outbox"
grep -q '^X-Postie-Send-Error: .*451' "$MAIL/Outbox"; ok $? "the reply is recorded for the screen"
"$POSTIE" flush >/dev/null 2>&1; rc=$?
is "$rc" 0 "the next flush sends it"
is "$(count_in Outbox)" 0 "the Outbox is empty"
grep -q 'Subject: tempfail' "$MAIL/Sent"; ok $? "it is in Sent"
if grep -q '^X-Postie' "$MAIL/Sent"; then ok 1 "no X-Postie fields in Sent"; else ok 0 "no X-Postie fields in Sent"; fi
if grep -q '^X-Postie' "$SMTP_OUTDIR"/*.eml; then ok 1 "no X-Postie fields transmitted"; else ok 0 "no X-Postie fields transmitted"; fi
stop_smtp temp

# Connection dropped after DATA, before the final reply.
start_smtp drop --drop-after-data 1
new_config
account work alice@example.org
rm -f "$MAIL/Outbox" "$MAIL/Sent"
out=$(msg bob@example.net dropped | "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "dropped after DATA exits EX_TEMPFAIL"
is "$(count_in Outbox)" 1 "the message stays in the Outbox"
"$POSTIE" flush >/dev/null 2>&1; rc=$?
is "$rc" 0 "the next flush sends it"
is "$(count_in Outbox)" 0 "the Outbox is empty"
is "$(count_in Sent)" 1 "one copy in Sent"
n=$(captured); [ "$n" -ge 1 ] && [ "$n" -le 2 ]; ok $? "delivered at least once, at most twice ($n)"
stop_smtp drop

# Server down: queued, clear message, EX_TEMPFAIL.
new_config
hold_closed_port
SMTP_PORT=$CLOSED_PORT account work alice@example.org
rm -f "$MAIL/Outbox"
out=$(msg bob@example.net down | "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "server down exits EX_TEMPFAIL"
like "$out" "cannot connect to localhost" "says it cannot connect"
like "$out" "stays in the Outbox" "says the message is queued"
is "$(count_in Outbox)" 1 "queued in the Outbox"

# Unknown host.
new_config
account work alice@example.org
sed -i 's/^smtp_host = .*/smtp_host = no-such-host.invalid/' "$CONF"
out=$(msg bob@example.net nohost | "$POSTIE" send 2>&1); rc=$?
is "$rc" 68 "unknown host exits EX_NOHOST"
like "$out" "no-such-host.invalid" "the error names the host"
done_testing
