#!/bin/sh
# Folders on the screen: postie -f with a name or an mbox path, c with a
# path, the account's inbox as the first folder, unread/total counts in the
# folder list kept up to date, new folders listed at once, the new-mail
# mark, and opening a folder with the cursor in the folder list.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
onemsg() {   # onemsg SUBJECT [STATUS]
    printf 'From x@example.org Mon Jan  1 00:00:00 2024\nFrom: Someone <s@example.org>\nTo: me@example.org\nSubject: %s\nDate: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <%s@example.org>\n%s\nbody\n\n' \
        "$1" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' .)" "${2:-}"
}
{ onemsg "Inbox one" "Status: RO"; onemsg "Inbox two"; } > "$MAIL/Inbox"
{ onemsg "List one"; onemsg "List two"; onemsg "List three" "Status: RO"; } > "$MAIL/Lists"
onemsg "Outside mbox" > "$TEST_TMP/x.mbox"
local_config -- 'inbox = Lists'

# The account's inbox setting is the folder the screen opens.
start_postie 120 30
wait_for 'postie: Lists \['; ok $? "the screen opens the account's inbox (Lists)"
like "$(screen)" '^ Inbox +1/2' "the folder list shows Inbox: 1 unread of 2"
like "$(screen)" '^ Lists +2/3' "and Lists: 2 unread of 3"

# Counts follow reading, and mail arriving elsewhere marks the folder.
keys Home Enter
wait_for '\-\- pager:'
keys q
wait_for '^ Lists +1/3'; ok $? "reading a message updates the count"
onemsg "Late arrival" >> "$MAIL/Inbox"
wait_for '^\*Inbox +2/3'; ok $? "new mail in Inbox: marked with * and counted"

# New folders show at once.
"$POSTIE" folders create Projects >/dev/null
wait_for '^ Projects +0/0'; ok $? "a folder made by postie folders create shows at once"

# The cursor in the folder list.
keys Left
wait_for 'Folders: Up/Down choose'; ok $? "<Left> moves the cursor into the folder list"
keys Home Enter
wait_for 'postie: Inbox \['; ok $? "Enter opens the folder under the cursor"
wait_not '^\*Inbox'; ok $? "opening it clears the new-mail mark"

# c with a path
keys c
wait_for 'Open folder'
type_text "$TEST_TMP/x.mbox"
keys Enter
wait_for 'Outside mbox'; ok $? "c opens an mbox by its path"
# (the status line is drawn after the list row above it)
wait_for "postie: $TEST_TMP/x.mbox"; ok $? "the status line names the file"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
tm kill-server

# -f with a path, and with a folder name
start_postie 120 30 -f "$TEST_TMP/x.mbox"
wait_for 'Outside mbox'; ok $? "postie -f FILE opens the file"
keys q
wait_for 'EXIT=0'
tm kill-server
start_postie 120 30 --folder Projects
wait_for 'postie: Projects \['; ok $? "postie --folder NAME opens that folder"
keys q
wait_for 'EXIT=0'
tm kill-server
start_postie 120 30 -f "$TEST_TMP/missing.mbox"
wait_for 'EXIT=1'; ok $? "-f with a missing file fails"
like "$(screen)" 'missing.mbox' "and names the file"
"$POSTIE" -f Inbox list > "$TEST_TMP/err" 2>&1
is "$?" 2 "-f with a command is a usage error"
done_testing
