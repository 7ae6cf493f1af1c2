#!/bin/sh
# The Outbox from the screen: a message that cannot go (the SMTP server is
# down) stays, the hint names the key that sends it now, the status line
# counts it and shows the backoff growing with each failure; when a
# fetch reaches its server again (the network is back) the Outbox goes by
# itself, and the count drops to nothing, also with the Outbox open.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/ui/lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    skip_all "Dovecot is not installed (contrib/install-deps)"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || skip_all "python3-aiosmtpd is not installed"

SERVERS=$top_srcdir/tests/servers
"$SERVERS/dovecot.sh" start "$TEST_TMP/dc" >/dev/null || { echo "Bail out! cannot start Dovecot"; exit 1; }
TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; $TEST_CLEANUP"
. "$TEST_TMP/dc/dovecot.env"
"$SERVERS/smtpd.sh" start "$TEST_TMP/smtp" --certs "$CERT_DIR" >/dev/null || { echo "Bail out! cannot start the SMTP server"; exit 1; }
TEST_CLEANUP="\"$SERVERS/smtpd.sh\" stop \"$TEST_TMP/smtp\"; $TEST_CLEANUP"
. "$TEST_TMP/smtp/smtpd.env"
# Down for now; started again on the same port later.
"$SERVERS/smtpd.sh" stop "$TEST_TMP/smtp"

MAIL="$TEST_TMP/mail"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
address = alice@example.org
pop3_host = $POP3_HOST
pop3_port = $POP3S_PORT
pop3_user = $POP3_USER
password = $POP3_PASSWORD
ca_file = $CA_FILE
smtp_host = $SMTP_HOST
smtp_port = $SMTP_PORT
smtp_security = starttls
smtp_user = $SMTP_USER
smtp_password = $SMTP_PASSWORD
smtp_ca_file = $SMTP_CA_FILE
timeout = 10
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"
printf '#!/bin/sh\nprintf "Body.\\n" >> "$1"\n' > "$TEST_TMP/editor.sh"
chmod +x "$TEST_TMP/editor.sh"
UI_ENV="export EDITOR='$TEST_TMP/editor.sh'"

start_postie 120 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys m; wait_for '^To:'; type_text 'bob@example.net'; keys Enter
wait_for '^Subject:'; type_text 'Waiting mail'; keys Enter
wait_for 'compose'
keys y
wait_for 'Sending from home failed|Not sent \(press' 60; ok $? "the failure is reported"
like "$(screen | tail -1)" 'press S to send now' "the hint names the key"
wait_for 'Outbox: 1 \(retry in 1 min\)' 30; ok $? "the status line counts it and shows the first retry"

# Each failure doubles the wait.
keys S
wait_for 'Outbox: 1 \(retry in 2 min\)' 60; ok $? "after a second failure: 2 minutes"
keys S
wait_for 'Outbox: 1 \(retry in 4 min\)' 60; ok $? "after a third: 4 minutes"

# The network is back: a fetch reaches its server, the Outbox goes.
"$SERVERS/smtpd.sh" start "$TEST_TMP/smtp" --certs "$CERT_DIR" --port "$SMTP_PORT" >/dev/null ||
    { echo "Bail out! cannot restart the SMTP server"; exit 1; }
keys c; wait_for 'Open folder'; type_text Outbox; keys Enter
wait_for 'postie: Outbox \[1/1'; ok $? "the Outbox is open, with the message"
keys G
n=0; while [ ! -f "$SMTP_OUTDIR/1.eml" ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n+1)); done
like "$(tr -d '\r' < "$SMTP_OUTDIR/1.eml" 2>/dev/null)" 'Subject: Waiting mail' \
    "after a working fetch the Outbox was sent by itself"
wait_not 'Outbox: [0-9]' 30; ok $? "the status line no longer counts it"
wait_for 'postie: Outbox \[0/0' 30; ok $? "the open Outbox shows it gone"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
