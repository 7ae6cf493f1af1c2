#!/bin/sh
# "Remove from the server when deleted here" from the screen: with
# delete_when_deleted, a message deleted (d) and expunged ($) here is
# deleted on the server by the next fetch; one moved to another folder
# (s) still exists here, so it stays on the server, also when the move
# and the expunge happen in different sessions.  Without the option the
# server keeps everything (leave_on_server).
. "$top_srcdir/tests/ui/lib.sh"
need_dovecot

# run NAME DELETE_WHEN_DELETED [restart]: fetch three, move one, (quit
# and start again,) delete one, expunge, fetch again; the server mailbox
# is left in $TEST_TMP/NAME/dc.
run() {
    name=$1 dwd=$2 restart=${3:-}
    dir="$TEST_TMP/$name"
    mkdir -p "$dir"
    "$SERVERS/dovecot.sh" start "$dir/dc" >/dev/null || { echo "Bail out! cannot start Dovecot"; exit 1; }
    TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$dir/dc\"; $TEST_CLEANUP"
    . "$dir/dc/dovecot.env"
    for i in 1 2 3; do
        case $i in 1) s='Keep me' ;; 2) s='Move me' ;; 3) s='Delete me' ;; esac
        printf 'From: Pat <pat@example.net>\nTo: alice@example.org\nSubject: %s\nMessage-ID: <m%s@test>\nDate: Mon, 0%s Jan 2024 10:00:00 +0000\n\nBody %s.\n' \
            "$s" "$i" "$i" "$i" > "$dir/m$i"
    done
    "$SERVERS/dovecot.sh" add-mail "$dir/dc" "$dir/m1" "$dir/m2" "$dir/m3" >/dev/null
    cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $dir/mail
check_interval = 0
# Expunged here means gone here (the Trash is tests/ui/deleting.sh).
trash = none
delete = no

[account $name]
address = alice@example.org
pop3_host = $POP3_HOST
pop3_port = $POP3S_PORT
pop3_user = $POP3_USER
password = $POP3_PASSWORD
ca_file = $CA_FILE
smtp_host = localhost
leave_on_server = true
delete_when_deleted = $dwd
timeout = 30
CFG
    chmod 600 "$XDG_CONFIG_HOME/postie/config"

    start_postie 100 30
    wait_for 'postie: Inbox'; ok $? "$name: the screen opens"
    keys G
    wait_for "$name: 3 new messages" 60; ok $? "$name: three messages fetched"
    wait_for 'Inbox \[[0-9]+/3'   # the list has them: search only then
    keys /; wait_for 'Search for:'; type_text 'Move me'; keys Enter
    keys s; wait_for 'Move to folder:'; type_text 'Archive'; keys Enter
    wait_for 'Moved to Archive'; ok $? "$name: s moves a message to Archive"
    if [ -n "$restart" ]; then
        keys q
        wait_for 'EXIT=0'
        tm kill-server
        start_postie 100 30
        wait_for 'postie: Inbox'; ok $? "$name: the screen opens again"
    fi
    keys /; wait_for 'Search for:'; type_text 'Delete me'; keys Enter
    keys d '$'
    wait_for 'Folder written; 2 messages expunged'; ok $? "$name: \$ expunges the moved and the deleted message"
    keys G
    if [ "$dwd" = true ]; then
        wait_for "$name: 0 new messages, 1 deleted on the server, 2 left" 60
        ok $? "$name: the second fetch deletes one message on the server"
    else
        wait_for 'No new mail' 60; ok $? "$name: the second fetch ran"
    fi
    keys q
    wait_for 'EXIT=0'; ok $? "$name: q quits"
    tm kill-server
    grep -q 'Move me' "$dir/mail/Archive"; ok $? "$name: the moved message is in Archive"
}

# The server's messages, one Subject per line.
server_subjects() { grep '^Subject:' "$1" | sort | tr '\n' ' '; }

run on true
. "$TEST_TMP/on/dc/dovecot.env"
is "$(server_subjects "$POP3_MAILBOX")" "Subject: Keep me Subject: Move me " \
   "delete_when_deleted: the deleted message went from the server, the moved one stayed"

run later true restart
. "$TEST_TMP/later/dc/dovecot.env"
is "$(server_subjects "$POP3_MAILBOX")" "Subject: Keep me Subject: Move me " \
   "moved in one session, expunged in the next: still only the deleted one went"

run off false
. "$TEST_TMP/off/dc/dovecot.env"
is "$(server_subjects "$POP3_MAILBOX")" "Subject: Delete me Subject: Keep me Subject: Move me " \
   "without delete_when_deleted the server keeps all three"
done_testing
