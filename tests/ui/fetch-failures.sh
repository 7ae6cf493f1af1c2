#!/bin/sh
# A fetch that fails never looks like an empty mailbox: a wrong password
# and a server that is down each show the account and the server's own
# words, the status line marks the accounts until a fetch of them works,
# and "No new mail." is never shown for a fetch that failed.
. "$top_srcdir/tests/ui/lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    skip_all "Dovecot is not installed (contrib/install-deps)"

SERVERS=$top_srcdir/tests/servers
"$SERVERS/dovecot.sh" start "$TEST_TMP/dc" >/dev/null || { echo "Bail out! cannot start Dovecot"; exit 1; }
TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; $TEST_CLEANUP"
. "$TEST_TMP/dc/dovecot.env"
hold_closed_port
DOWN_PORT=$CLOSED_PORT

# The password comes from a file, so the test can correct it mid-session.
printf 'wrong-password\n' > "$TEST_TMP/pw"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $TEST_TMP/mail
check_interval = 0

[account home]
address = alice@example.org
pop3_host = $POP3_HOST
pop3_port = $POP3S_PORT
pop3_user = $POP3_USER
password_command = cat $TEST_TMP/pw
ca_file = $CA_FILE
smtp_host = localhost
timeout = 30

[account work]
address = alice@work.example
pop3_host = 127.0.0.1
pop3_port = $DOWN_PORT
pop3_security = none
password = x
allow_plaintext_password = true
smtp_host = localhost
timeout = 10
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys G
wait_for 'Fetch failed: home, work' 60; ok $? "the status line marks both accounts"
wait_not 'Fetching' 60; ok $? "the fetch ends"
# The message line is drawn after the status line above it (the log
# below, drawn whole before its status line, is the full proof).
wait_for 'home: fetch failed|work: fetch failed'
unlike "$(screen)" 'No new mail' "a failed fetch never says \"No new mail\""
like "$(screen | tail -1)" 'home: fetch failed|work: fetch failed' "the message line names a failed account"

# The message log holds both failures, with the server's words.
keys M
wait_for 'Messages' 10; ok $? "M shows the message log"
# (the title is the top row: wait for the log's status line under the text)
wait_for '^-- messages: ' 10
# (long lines wrap: join the rows)
like "$(screen | tr -d '\n')" 'home: fetch failed: .*login failed.*server said: Authentication failed' \
    "the log has the wrong password with the server's words"
like "$(screen | tr -d '\n')" 'work: fetch failed: cannot connect.*refused' "the log has the server that is down"
unlike "$(screen)" 'No new mail' "nor was \"No new mail\" ever shown"
keys q
wait_not 'Messages \(' 10

# A key press does not clear the mark; a working fetch of home does.
# j changes nothing to see in the empty Inbox: the unbound key after it
# does, so the screen is looked at once both are handled.
keys j Z
wait_for 'Key Z is not bound' && screen_has 'Fetch failed: home, work'
ok $? "the mark stays after a key"
printf '%s\n' "$POP3_PASSWORD" > "$TEST_TMP/pw"
keys G
wait_for 'Fetch failed: work( |$)' 60; ok $? "after a working fetch of home only work stays marked"
unlike "$(screen | grep -- '-- postie')" 'home' "home is no longer marked"
wait_not 'Fetching' 60
unlike "$(screen)" 'No new mail' "still no \"No new mail\" while work fails"
keys M
wait_for '^-- messages: ' 10
like "$(screen)" 'home: 0 new messages' "the log has the working fetch of home"
unlike "$(screen)" 'No new mail' "the log has no \"No new mail\" while work fails"
keys q
wait_not 'Messages \(' 10

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
