#!/bin/sh
# The main screen: list, preview that follows the message, pager, sort,
# threads, new mail, resize, wide characters and hostile escape sequences.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"$PYTHON3" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
CFG

start_postie 100 30
wait_for 'postie: Inbox \[1/5'; ok $? "the Inbox opens with its 5 messages"
like "$(screen)" 'Alice Example' "the list shows senders"
like "$(screen)" 'lunch on Friday at noon' "the preview shows the first unread message"

keys j
wait_for 'BOBSBODYTEXT'; ok $? "moving down: the preview follows the selection"
# (the status line is drawn after the preview above it)
wait_for 'Inbox \[2/5'; ok $? "the status line shows the position"

# Sorting by sender reorders rows but keeps the same message shown.
keys o s
wait_for '\(sender\)'; ok $? "sort by sender"
like "$(screen)" 'BOBSBODYTEXT' "after the sort the preview still shows the same message"

# New mail arriving (appended by another program) keeps the preview.
cat >> "$MAIL/Inbox" <<MSG
From zed@example.org Mon Jan  1 00:00:00 2024
From: Aaron Early <aaron@example.org>
Subject: Arrived later
Date: Fri, 05 Jan 2024 08:00:00 +0000
Message-ID: <late@example.org>

A late message.

MSG
wait_for 'Arrived later'; ok $? "mail appended by another program shows up"
# The new row is drawn before the status line below it: wait for the count.
wait_for '/6'; ok $? "the count includes the new message"
like "$(screen)" 'BOBSBODYTEXT' "new mail above the selection does not swap the preview"

# Threads: the reply sits under its parent.
keys o d V
wait_for 'Threads on'; ok $? "threads toggled on"
like "$(screen)" '└─>Re: Lunch on Friday' "the reply is drawn under its parent"

# The pager.
keys Enter
wait_for '\-\- pager:'; ok $? "Enter opens the pager"
like "$(screen)" 'BOBSBODYTEXT' "the pager shows the selected message"
keys q
wait_for 'postie: Inbox'; ok $? "q leaves the pager"

# A message full of escape sequences: drawn in caret notation, nothing
# reaches the terminal.
keys /
type_text Mallory
keys Enter
wait_for 'ESCBODY'; ok $? "search finds the message by sender"
like "$(screen)" 'ESCBODY \^\[\[2J\^\[\[H' "escape sequences in the body are shown in caret notation"
like "$(screen)" 'Evil \^\[\[31mRED' "escape sequences in the subject are shown in caret notation"
raw=$(tm capture-pane -p -e -t t)
unlike "$raw" "$(printf '\033')\\]" "no OSC sequence reached the terminal"
unlike "$raw" "$(printf '\033')\\[2J" "no clear-screen sequence reached the terminal"
title=$(tm display-message -p -t t '#{pane_title}')
unlike "$title" 'pwned' "the window title was not changed by the message"

# Wide and combining characters: every list row fills exactly the width.
keys /
type_text 'taro'
keys Enter
wait_for 'WIDEBODY'; ok $? "the message with wide characters is selected"
like "$(screen)" '日本語の件名 café' "wide characters in the subject are drawn"
widths() {
    screen | "$PYTHON3" -c '
import re, sys, unicodedata
for line in sys.stdin:
    line = line.rstrip("\n")
    if "Date:" in line or not re.search(r" ([A-Z][a-z][a-z] 20[0-9][0-9]|[A-Z][a-z][a-z] [0-9][0-9]|[0-9][0-9]:[0-9][0-9]) ", line):
        continue
    w = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    print(w)' | sort -u
}
is "$(widths)" "100" "list rows with wide characters are exactly as wide as the screen"

# Attachments: a MIME part and an inline uuencode block; save one.
keys /
type_text 'Report attached'
keys Enter
wait_for 'report.pdf'; ok $? "the preview lists the attachment"
keys v
wait_for '-- attachments --'; ok $? "v opens the attachments"
like "$(screen)" "\\[1\\] notes.txt.*uuencoded" "the inline uuencode block is among them (first: it stands in the text)"
keys s
wait_for '^Save into directory:'; ok $? "s asks for a directory"
mkdir -p "$TEST_TMP/saved"
tm send-keys -t t C-u
type_text "$TEST_TMP/saved/"
keys Enter
wait_for 'Saved '; ok $? "the attachment is saved"
is "$(cat "$TEST_TMP/saved/notes.txt" 2>/dev/null)" "UUNOTES decoded fine" "the uuencoded data is decoded into the file"
keys q
wait_for 'postie: Inbox'; ok $? "q leaves the attachments"
keys /
type_text 'taro'
keys Enter
wait_for 'WIDEBODY'

# Resize: smaller, then very wide.  Until postie draws again tmux shows
# the old rows pushed up (the old status line lands on row 23) or cut
# off at the bottom: only the new drawing has the key hint on row 1 and
# the status line on row 23 at once.
tm resize-window -t t -x 80 -y 24
wait_rows 1 '^q:Quit' 23 '^-- postie: Inbox'; ok $? "after shrinking to 80x24 the status line is drawn"
last=$(screen | sed -n 23p)
like "$last" '^-- postie: Inbox' "the status line moved to row 23 of 24"
is "$(widths)" "80" "list rows fit 80 columns"
tm resize-window -t t -x 250 -y 50
wait_for_rows() { _i=0; while [ $_i -lt 300 ]; do [ "$(widths)" = "$1" ] && return 0; sleep 0.1; _i=$((_i+1)); done; return 1; }
wait_for_rows 250; ok $? "list rows fill 250 columns after growing"
# (the list rows are drawn before the status line below them)
wait_rows 49 '^-- postie: Inbox'; ok $? "the status line is on row 49 of 50"

# Preview beside the list.  The preview below showed WIDEBODY already:
# its "-- preview" bar going is what shows that P was handled.
keys P
wait_not '│-- preview' && wait_for 'WIDEBODY'; ok $? "preview beside the list still shows the message"

# Help shows bindings.
keys '?'
wait_for 'Key bindings'; ok $? "? shows the key bindings"
# (the title is the top row: the rows under it may not be drawn yet)
wait_for 'j, <Down> +down'; ok $? "the help lists keys with their action"
keys q
wait_for 'postie: Inbox'; ok $? "q leaves the help screen"

# Delete, sync (expunge) and quit.
keys d
wait_for 'deleted\]'; ok $? "d marks the message deleted"
keys '$'
wait_for 'Purge 1 deleted message'; ok $? "\$ asks before purging"
keys y
wait_for 'moved to Trash'; ok $? "\$ expunges into the Trash"
like "$(screen)" '/5' "one message fewer after the expunge"
keys q
wait_for 'EXIT=0'; ok $? "q quits with status 0"
count=$(grep -c '^From ' "$MAIL/Inbox")
is "$count" "5" "the folder on disk holds the 5 remaining messages"

done_testing
