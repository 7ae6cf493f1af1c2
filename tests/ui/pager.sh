#!/bin/sh
# The pager as mutt's: / and n search the text and mark the matches, h
# shows every header line, ? lists the pager's keys, d u s act and the
# pager stays (d moves on); and preview_mark_read marks a message read
# once the preview has shown it that long.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
{
    printf 'From x@example.org Mon Jan  1 00:00:00 2024\nFrom: Alice <alice@example.org>\nTo: me@example.org\nSubject: Long one\nDate: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <long@example.org>\nX-Custom: HIDDENHEADER\n\n'
    i=1
    while [ $i -le 80 ]; do
        case $i in
            50) echo "line $i: the kangaroo jumps" ;;
            70) echo "line $i: a second Kangaroo sleeps" ;;
            *) echo "line $i" ;;
        esac
        i=$((i + 1))
    done
    echo
    for n in 2 3; do
        printf 'From x@example.org Mon Jan  1 00:00:00 2024\nFrom: Bob <bob@example.org>\nTo: me@example.org\nSubject: Short %s\nDate: Tue, 0%s Jan 2024 10:00:00 +0000\nMessage-ID: <s%s@example.org>\n\nSHORTBODY%s\n\n' "$n" "$n" "$n" "$n"
    done
} > "$MAIL/Inbox"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
CFG

start_postie 100 30
wait_for 'postie: Inbox \[1/3'; ok $? "the Inbox opens"
keys Enter
wait_for '\-\- pager: #1 Long one'; ok $? "Enter opens the pager on message 1"

keys /
wait_for 'Search in the message:'; ok $? "/ asks what to look for in the message"
type_text 'kangaroo'
keys Enter
wait_for '^line 50: the kangaroo jumps'; ok $? "the view moves to the first match"
like "$(tm capture-pane -p -e -t t | grep 'line 50')" '\[[0-9;]*7m[^ ]*kangaroo' \
    "the match is marked in reverse video"
# Line 70 is on the page with line 50 already: the view leaving line 50
# is what shows that n was handled.
keys n
wait_not '^line 50: the kangaroo jumps' && wait_for '^line 70: a second Kangaroo sleeps'
ok $? "n: the next match, case ignored"

keys h
wait_for 'X-Custom: HIDDENHEADER'; ok $? "h shows every header line"
keys h
wait_not 'X-Custom: HIDDENHEADER'; ok $? "h again: the usual few"

keys '?'
wait_for 'Pager keys'; ok $? "? lists the pager's keys"
# (a top row: the rows under it may not be drawn yet)
wait_for 'toggle-headers'; ok $? "including h"
keys q
wait_for '\-\- pager: #1'; ok $? "q goes back to the pager"

keys d
wait_for '\-\- pager: #2 Short 2'; ok $? "d: the pager stays and moves on to the next message"
keys u
wait_for '\-\- pager: #3 Short 3'; ok $? "u: the pager stays and moves on"
keys s
wait_for 'Move to folder:'
type_text 'Archive'
keys Enter
wait_for 'Moved to Archive'; ok $? "s moves the message"
like "$(screen)" '\-\- pager: #3' "and the pager stays"
keys q
wait_for 'postie: Inbox'; ok $? "q leaves the pager"
like "$(screen)" '│D +1 ' "message 1 is marked deleted"
keys q
wait_for 'Purge 2 deleted messages\? \(\[y\]/n\)'; ok $? "q asks before purging the deleted and the moved message"
keys y
wait_for 'EXIT=0'; ok $? "q quits"
tm kill-server

# preview_mark_read: shown for a second in the preview, read.
cat > "$MAIL/Inbox" <<'MSG'
From x@example.org Mon Jan  1 00:00:00 2024
From: Carol <carol@example.org>
Subject: Preview me
Message-ID: <p1@example.org>

PREVIEWBODY

MSG
cat >> "$XDG_CONFIG_HOME/postie/config" <<CFG
preview_mark_read = 1
CFG
start_postie 100 30
wait_for 'PREVIEWBODY'; ok $? "the message shows in the preview"
# The status line is drawn after the preview: without it on the screen
# the wait_not below would pass at once.
wait_for 'postie: Inbox \[1/1' && wait_not 'Inbox \[1/1, 1 new'
ok $? "after a second in the preview it is read"
keys q
wait_for 'EXIT=0'
grep -q '^Status: RO' "$MAIL/Inbox"; ok $? "the folder has it read"
done_testing
