#!/bin/sh
# Fetching and sending from the screen, against a real Dovecot and a
# capturing SMTP server: progress in the status line, new mail in the
# list, compose with a scripted editor, send, check what the server got;
# reply; the attachments screen.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/ui/lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    skip_all "Dovecot is not installed (contrib/install-deps)"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || skip_all "python3-aiosmtpd is not installed"

SERVERS=$top_srcdir/tests/servers
"$SERVERS/dovecot.sh" start "$TEST_TMP/dc" >/dev/null || { echo "Bail out! cannot start Dovecot"; exit 1; }
TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; $TEST_CLEANUP"
. "$TEST_TMP/dc/dovecot.env"
"$SERVERS/smtpd.sh" start "$TEST_TMP/smtp" --certs "$CERT_DIR" --reject 'refused' >/dev/null || { echo "Bail out! cannot start the SMTP server"; exit 1; }
TEST_CLEANUP="\"$SERVERS/smtpd.sh\" stop \"$TEST_TMP/smtp\"; $TEST_CLEANUP"
. "$TEST_TMP/smtp/smtpd.env"
"$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" --generate 12 >/dev/null
# POP3 through the fault proxy's slow mode: each server reply waits a
# moment, so the progress of the fetch is on screen long enough to see.
SLOW_PORT=$(/usr/bin/python3 "$SERVERS/faultproxy.py" --daemon --pidfile "$TEST_TMP/proxy.pid" \
    --target "127.0.0.1:$POP3S_PORT" --mode slow --delay 0.3) ||
    { echo "Bail out! cannot start faultproxy.py --mode slow"; exit 1; }
TEST_CLEANUP="kill \$(cat '$TEST_TMP/proxy.pid' 2>/dev/null) 2>/dev/null; $TEST_CLEANUP"

MAIL="$TEST_TMP/mail"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
name = Alice Example
address = alice@example.org
pop3_host = $POP3_HOST
pop3_port = $SLOW_PORT
pop3_user = $POP3_USER
password = $POP3_PASSWORD
ca_file = $CA_FILE
smtp_host = $SMTP_HOST
smtp_port = $SMTP_PORT
smtp_security = starttls
smtp_user = $SMTP_USER
smtp_password = $SMTP_PASSWORD
smtp_ca_file = $SMTP_CA_FILE
timeout = 30
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

# The editor: writes a known body after whatever is there (a reply's quote).
cat > "$TEST_TMP/editor.sh" <<'ED'
#!/bin/sh
printf 'SCRIPTED BODY LINE\n' > "$1.new"
cat "$1" >> "$1.new"
mv "$1.new" "$1"
ED
chmod +x "$TEST_TMP/editor.sh"
UI_ENV="export EDITOR='$TEST_TMP/editor.sh'"

start_postie 100 30
wait_for 'postie: Inbox \[0/0'; ok $? "the screen opens on an empty Inbox"
keys G
wait_for 'Fetching home'; ok $? "fetching shows progress in the status line"
wait_for 'home: 12 new messages'; ok $? "the fetch reports the new mail"
wait_for 'Inbox \[[0-9]+/12'; ok $? "the fetched messages are in the list"

# Compose and send.
keys m
wait_for '^To:'; ok $? "m asks for the recipient"
type_text 'bob@example.net'
keys Enter
wait_for '^Subject:'; ok $? "then for the subject"
type_text 'Hello from the screen'
keys Enter
wait_for 'compose'; ok $? "after the editor the compose form shows"
like "$(screen)" 'SCRIPTED BODY LINE' "the body written by the editor is shown"
like "$(screen)" 'To: bob@example.net' "the recipient is in the form"
keys y
wait_for 'sent\.|Sent:' 60; ok $? "y sends and reports it"
n=0; while [ ! -f "$SMTP_OUTDIR/1.eml" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done
eml=$(cat "$SMTP_OUTDIR/1.eml" 2>/dev/null | tr -d '\r')
like "$eml" 'Subject: Hello from the screen' "the SMTP server got the subject"
like "$eml" 'SCRIPTED BODY LINE' "the SMTP server got the body"
like "$(cat "$SMTP_OUTDIR/1.json")" 'bob@example.net' "the recipient was bob"
wait_for_file() { n=0; while [ $n -lt 200 ]; do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; n=$((n+1)); done; return 1; }
wait_for_file "$MAIL/Sent" 'Hello from the screen'; ok $? "the message is in Sent"

# Reply to the selected message.
keys r
wait_for 'compose'; ok $? "r opens the compose form with the reply"
like "$(screen)" 'Subject: Re: ' "the reply's subject starts with Re:"
keys y
wait_for_file "$SMTP_OUTDIR/2.json" 'rcpt_tos'; ok $? "the reply was sent"
like "$(tr -d '\r' < "$SMTP_OUTDIR/2.eml")" 'In-Reply-To: <' "the reply carries In-Reply-To"

# Cancel with changes asks first.
keys m
wait_for '^To:'
type_text 'carol@example.net'
keys Enter
wait_for '^Subject:'
keys Enter
wait_for 'compose'
keys q
wait_for 'Discard this message'; ok $? "cancelling a changed message asks"
keys y
wait_for 'Message discarded'; ok $? "and discards on yes"

# A recipient the server refuses: the failure shows with the server's
# reply, the message stays in the Outbox and says why.
keys m
wait_for '^To:'
type_text 'refused@example.net'
keys Enter
wait_for '^Subject:'
type_text 'Will bounce'
keys Enter
wait_for 'compose'
keys y
wait_for 'Not sent \(permanent' 60; ok $? "a refused message is reported"
like "$(screen | tail -1)" '550' "the report carries the server's reply code"
wait_for 'Outbox: 1'; ok $? "the status line shows one message waiting in the Outbox"
keys c
type_text Outbox
keys Enter
wait_for 'Will bounce'; ok $? "the Outbox folder lists it"
wait_for 'Not sent \([0-9]+ attempts?\): '; ok $? "its preview shows why it was not sent"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
