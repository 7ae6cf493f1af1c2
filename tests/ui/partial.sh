#!/bin/sh
# Headers-only fetching from the screen: the message is marked H in the
# list; D asks for the body, the next fetch brings it, and the preview
# shows the whole message.
. "$top_srcdir/tests/ui/lib.sh"
start_dovecot
printf 'From: Pat <pat@example.net>\nTo: alice@example.org\nSubject: Big report\nMessage-ID: <big@test>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nPARTIALBODY the whole text.\n' > "$TEST_TMP/m1"
"$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" "$TEST_TMP/m1" >/dev/null

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
smtp_host = localhost
headers_only = true
timeout = 30
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

start_postie 160 40
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys G
wait_for '1 headers only'; ok $? "the fetch reports a headers-only message"
wait_for '^ Inbox .*│N +H +.*Big report'; ok $? "the list marks it H"
wait_for 'the body is still on the server\. Press D to download'; ok $? "the preview says so, and which key"
# (only now is the preview under the list row drawn)
unlike "$(screen)" 'PARTIALBODY' "its body is not here yet"
keys D
wait_for 'downloaded at the next fetch'; ok $? "D marks it for download"
keys G
wait_for 'PARTIALBODY' 60; ok $? "after the next fetch the preview shows the whole message"
unlike "$(screen)" '│N +H ' "no message is marked H any more"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
tm kill-server

# With automatic checks on, the screen fetches at start-up.
printf 'From: Quinn <q@example.net>\nTo: alice@example.org\nSubject: At start-up\nMessage-ID: <start@test>\n\nSTARTUPBODY\n' > "$TEST_TMP/m2"
"$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" "$TEST_TMP/m2" >/dev/null
sed -i 's/^check_interval = 0$/check_interval = 5/' "$XDG_CONFIG_HOME/postie/config"
start_postie 100 30
wait_for 'At start-up' 60; ok $? "check_interval: new mail is fetched at start-up without a key"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
