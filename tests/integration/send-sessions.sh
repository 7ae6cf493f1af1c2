#!/bin/sh
# libesmtp 1.1.0 workarounds that need more than one session: a flush of
# two STARTTLS accounts in one process (its own SSL_CTX would be freed
# while cached: a crash on the second session), many messages over ONE
# session, and the account chosen by From.
. "$top_srcdir/tests/integration/send-lib.sh"

start_smtp one
P1=$SMTP_PORT OUT1=$SMTP_OUTDIR LOG1=$SMTP_COMMANDS
new_config
account first alice@example.org "default = true"
start_smtp two --user bob --password bob-pw
P2=$SMTP_PORT OUT2=$SMTP_OUTDIR LOG2=$SMTP_COMMANDS
SMTP_USER=bob SMTP_PASSWORD=bob-pw account second bob@example.com

for n in 1 2 3; do
    printf 'From: alice@example.org\nTo: x%d@example.net\nSubject: a%d\n\nA\n' $n $n | "$POSTIE" send --queue
    printf 'From: Bob <bob@example.com>\nTo: y%d@example.net\nSubject: b%d\n\nB\n' $n $n | "$POSTIE" send --queue
done
is "$(grep -c '^X-Postie-Account: second' "$MAIL/Outbox")" 3 "From picks the account"
out=$("$POSTIE" flush 2>&1); rc=$?
is "$rc" 0 "a flush of two STARTTLS accounts in one process works"
like "$out" "6 sent" "all six were sent"
is "$(ls "$OUT1" | grep -c eml)" 3 "three went to the first server"
is "$(ls "$OUT2" | grep -c eml)" 3 "three went to the second server"
is "$(grep -c '"event": "connect"' "$LOG1")" 1 "one session for the first account"
is "$(grep -c '"event": "connect"' "$LOG2")" 1 "one session for the second account"
is "$(grep -c '"event": "starttls"' "$LOG2")" 1 "the second session used STARTTLS too"

# --account for a From that belongs to no account.
printf 'From: someone@else.example\nTo: z@example.net\nSubject: c\n\nC\n' | "$POSTIE" send --account second >/dev/null 2>&1
is "$?" 0 "--account is used when From matches no account"
is "$(ls "$OUT2" | grep -c eml)" 4 "it went through the second account"
printf 'From: someone@else.example\nTo: z@example.net\nSubject: d\n\nD\n' | "$POSTIE" send >/dev/null 2>&1
is "$(ls "$OUT1" | grep -c eml)" 4 "else the default account"
done_testing
