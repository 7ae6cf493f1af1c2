#!/bin/sh
# Fetching and sending from the screen, against a real Dovecot and a
# capturing SMTP server: progress in the status line, new mail in the
# list, compose with a scripted editor, send, check what the server got;
# reply; the attachments screen.
. "$top_srcdir/tests/ui/lib.sh"
need_aiosmtpd
start_dovecot
start_smtpd --certs "$CERT_DIR" --reject 'refused'
"$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" --generate 12 >/dev/null
# POP3 goes through the fault proxy in slow mode, so the fetch is still
# running when the test looks for its progress; the test then lets it
# finish at full speed by creating the release file.
RELEASE="$TEST_TMP/release-fetch"
PROXY_PORT=$("$PYTHON3" "$SERVERS/faultproxy.py" --daemon --pidfile "$TEST_TMP/proxy.pid" \
    --target "127.0.0.1:$POP3S_PORT" --mode slow --release "$RELEASE") ||
    { echo "Bail out! cannot start the fault proxy"; exit 1; }
TEST_CLEANUP="kill \$(cat '$TEST_TMP/proxy.pid') 2>/dev/null; $TEST_CLEANUP"

MAIL="$TEST_TMP/mail"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
name = Alice Example
address = alice@example.org
pop3_host = $POP3_HOST
pop3_port = $PROXY_PORT
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
# ^C while the fetch runs is the screen's: the fetch goes on.
keys C-c
wait_for 'Quit postie\? '; ok $? "^C during the fetch asks whether to quit"
keys n
wait_not 'Quit postie\? '
touch "$RELEASE"
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
# N.json appears once N.eml is complete.
wait_until 30 test -f "$SMTP_OUTDIR/1.json"
eml=$(cat "$SMTP_OUTDIR/1.eml" 2>/dev/null | tr -d '\r')
like "$eml" 'Subject: Hello from the screen' "the SMTP server got the subject"
like "$eml" 'SCRIPTED BODY LINE' "the SMTP server got the body"
like "$(cat "$SMTP_OUTDIR/1.json")" 'bob@example.net' "the recipient was bob"
wait_for_file "$MAIL/Sent" 'Hello from the screen'; ok $? "the message is in Sent"

# A reply put in Drafts is no answer yet: the original is marked
# replied only once the reply goes out.
keys r
wait_for 'compose'
keys P
wait_for 'Saved in Drafts'; ok $? "a reply can be put in Drafts"
like "$(screen | grep 'Folder backup report deadline #0' | head -1)" '│N  ' \
    "the original is not marked replied by a draft"

# Reply to the selected message.
keys r
wait_for 'compose'; ok $? "r opens the compose form with the reply"
like "$(screen)" 'Subject: Re: ' "the reply's subject starts with Re:"
keys y
wait_for_file "$SMTP_OUTDIR/2.json" 'rcpt_tos'; ok $? "the reply was sent"
like "$(tr -d '\r' < "$SMTP_OUTDIR/2.eml")" 'In-Reply-To: <' "the reply carries In-Reply-To"
wait_for '│Nr +1 Nov 2023'; ok $? "the original is marked replied once the reply is sent"

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
# (the message line may still name "Will bounce": look right of the
# folder list's border)
wait_for '│.*Will bounce'; ok $? "the Outbox folder lists it"
wait_for 'Not sent \([0-9]+ attempts?\): '; ok $? "its preview shows why it was not sent"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
