#!/bin/sh
# Deleting as mutt and Outlook Express users expect: d marks; $, leaving
# the folder and quitting ask "Purge N deleted messages?"; purged
# messages move to the Trash (inside the Trash they go for good); when
# the Trash cannot be written nothing is expunged; X (delete on the
# server) asks, shows X, is undone by X until the next fetch, and the
# next fetch deletes it on a real Dovecot.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/ui/lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    skip_all "Dovecot is not installed (contrib/install-deps)"

SERVERS=$top_srcdir/tests/servers
"$SERVERS/dovecot.sh" start "$TEST_TMP/dc" >/dev/null || { echo "Bail out! cannot start Dovecot"; exit 1; }
TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; $TEST_CLEANUP"
. "$TEST_TMP/dc/dovecot.env"
for i in 1 2 3 4; do
    printf 'From: Pat Sender <pat@example.net>\nTo: alice@example.org\nSubject: Message %s\nMessage-ID: <m%s@test>\nDate: Mon, 0%s Jan 2024 10:00:00 +0000\n\nBody %s.\n' \
        "$i" "$i" "$i" "$i" > "$TEST_TMP/m$i"
done
"$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" "$TEST_TMP/m1" "$TEST_TMP/m2" "$TEST_TMP/m3" "$TEST_TMP/m4" >/dev/null

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
leave_on_server = true
timeout = 30
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

find_msg() { keys /; wait_for 'Search for:'; type_text "$1"; keys Enter; }
count() { grep -c "^Subject: $2\$" "$MAIL/$1" 2>/dev/null; }

start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys G
wait_for 'home: 4 new messages' 60; ok $? "four messages fetched"
# The list shows them once the folder is read again: search only then.
wait_for 'Inbox \[[0-9]+/4'

# d, then $: asked, moved to the Trash.
find_msg 'Message 1'
keys d
wait_for 'D .*Message 1'; ok $? "d marks the message"
keys '$'
wait_for 'Purge 1 deleted message\? \(\[y\]/n\)'; ok $? "\$ asks before purging"
keys y
wait_for 'Folder written; 1 message moved to Trash'; ok $? "y moves it to the Trash"
is "$(count Trash 'Message 1')" 1 "the message is in the Trash"
is "$(count Inbox 'Message 1')" 0 "and no longer in the Inbox"

# n keeps the mark; Esc at quitting stays; n at quitting keeps the mark.
find_msg 'Message 2'
keys d '$'
wait_for 'Purge 1 deleted message'
keys n
wait_for 'deleted messages kept'; ok $? "n keeps the deleted message"
keys q
wait_for 'Purge 1 deleted message'; ok $? "quitting with a deleted message asks"
keys Escape
wait_not 'Purge' 10
like "$(screen)" 'postie: Inbox' "Esc stays in the screen"

# The Trash cannot be written: nothing is expunged.
mv "$MAIL/Trash" "$MAIL/Trash.real"
mkdir "$MAIL/Trash"
keys '$'
wait_for 'Purge 1 deleted message'
keys y
wait_for 'Nothing expunged: the copy to Trash failed'; ok $? "a Trash that cannot be written stops the expunge"
is "$(count Inbox 'Message 2')" 1 "the message is still in the Inbox"
rmdir "$MAIL/Trash"
mv "$MAIL/Trash.real" "$MAIL/Trash"

# Leaving the folder purges to the Trash; in the Trash, deleting is for good.
keys c
wait_for 'Open folder'
type_text Trash
keys Enter
wait_for 'Purge 1 deleted message'; ok $? "leaving a folder with a deleted message asks"
keys y
wait_for 'postie: Trash \[[0-9]+/2'; ok $? "the Trash holds both messages"
is "$(count Inbox 'Message 2')" 0 "the second message left the Inbox"
find_msg 'Message 1'
keys d '$'
wait_for 'Purge 1 deleted message'
keys y
wait_for 'Folder written; 1 message expunged'; ok $? "deleting in the Trash expunges"
is "$(count Trash 'Message 1')" 0 "the message is gone for good"
is "$(count Trash 'Message 2')" 1 "the other stays in the Trash"

# X: asks, marks, undone by X, then done by the next fetch.
keys c
wait_for 'Open folder'
type_text Inbox
keys Enter
wait_for 'postie: Inbox'
find_msg 'Message 3'
keys X
wait_for 'Delete this message on the server'; ok $? "X asks"
keys y
wait_for 'X .*Message 3'; ok $? "the row shows X"
keys X
wait_for 'stays on the server'; ok $? "X again undoes it"
wait_not 'X .*Message 3' 10; ok $? "the X is gone from the row"
find_msg 'Message 4'
keys X
wait_for 'Delete this message on the server'
keys y
wait_for 'X .*Message 4'
keys G
wait_for 'home: 0 new messages, 1 deleted on the server' 60; ok $? "the next fetch deletes it on the server"
server=$(grep '^Subject:' "$POP3_MAILBOX" | sort | tr '\n' ' ')
is "$server" "Subject: Message 1 Subject: Message 2 Subject: Message 3 " "only Message 4 left the server"

keys q
wait_for 'EXIT=0'; ok $? "q quits (nothing marked deleted: no question)"
done_testing
