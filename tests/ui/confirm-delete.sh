#!/bin/sh
# confirm_delete: d asks "Delete 1 message?" first; n leaves the message
# unmarked, y (or Enter) marks it; after ; the question counts the tagged
# messages.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
for i in 1 2 3; do
    printf 'From x@example.org Mon Jan  1 00:00:00 2024\nFrom: Sender %s <s%s@example.org>\nTo: me@example.org\nSubject: Note %s\nDate: Mon, 0%s Jan 2024 10:00:00 +0000\nMessage-ID: <m%s@example.org>\n\nBODY%s\n\n' \
        "$i" "$i" "$i" "$i" "$i" "$i"
done > "$MAIL/Inbox"
local_config 'editor = true' 'confirm_delete = true'

start_postie 120 30
wait_for 'postie: Inbox \[[0-9]/3, 3 new'; ok $? "the Inbox opens"
keys Home
wait_for '#1\b'
keys d
wait_for 'Delete 1 message\? \(\[y\]/n\)'; ok $? "d asks first"
keys n
wait_for 'Nothing deleted'; ok $? "n answers no"
unlike "$(screen)" 'deleted\]' "and no message is marked"
keys d
wait_for 'Delete 1 message\?'
keys y
wait_for ', 1 deleted\]'; ok $? "y marks it deleted"

keys T
type_text '~s note'
keys Enter
wait_for '3 tagged in all'
keys '\;' d
wait_for 'Delete 3 messages\?'; ok $? "after ; the question counts the tagged messages"
keys Enter
wait_for ', 3 deleted'; ok $? "Enter takes the default yes"
keys q
wait_for 'Purge 3 deleted messages'
keys n
wait_for 'EXIT=0'; ok $? "postie quits, n keeping the messages"
is "$(grep -c '^Subject: Note' "$MAIL/Inbox")" 3 "all three are still in the Inbox"
done_testing
