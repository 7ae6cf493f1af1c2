#!/bin/sh
# Tags and the tag prefix: t, T and ^T by pattern, ;d ;u ;N ;s ;| on every
# tagged message; | pipes without a shell unless "sh -c" is written;
# Tab goes to the next unread message and ^R marks the folder read.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
for i in 1 2 3 4 5; do
    case $i in 2|4) subj="Report $i" ;; *) subj="Note $i" ;; esac
    printf 'From x@example.org Mon Jan  1 00:00:00 2024\nFrom: Sender %s <s%s@example.org>\nTo: me@example.org\nSubject: %s\nDate: Mon, 0%s Jan 2024 10:00:00 +0000\nMessage-ID: <m%s@example.org>\n%s\nBODY%s\n\n' \
        "$i" "$i" "$subj" "$i" "$i" "$( [ $i = 1 ] && echo 'Status: RO' )" "$i"
done > "$MAIL/Inbox"
local_config 'editor = true'

start_postie 120 30
wait_for 'postie: Inbox \[[0-9]/5, 4 new'; ok $? "the Inbox opens with 4 new"

# Tab: the next unread message
keys Home
wait_for '#1\b'
keys Tab
wait_for '#2\b'; ok $? "Tab goes from the read message 1 to the unread 2"

keys T
type_text '~s report'
keys Enter
wait_for '2 messages tagged; 2 tagged in all'; ok $? "T ~s report tags two"
like "$(screen)" ' \*2 Jan 2024' "the row of message 2 shows the tag"
like "$(screen)" ', 2 tagged\]' "the status line counts the tags"
keys Home t
wait_for '3 tagged\]'; ok $? "t tags the selected message as well"
keys C-t
type_text '~s note'
keys Enter
wait_for '1 message untagged; 2 tagged in all'; ok $? "^T ~s note untags it"

keys '\;' d
wait_for ', 2 deleted'; ok $? ";d marks both tagged messages deleted"
keys '\;' u
wait_not 'deleted'; ok $? ";u undeletes them"
# ;d and ;u left "Done on 2 tagged messages" on screen: wait for the counts
keys '\;' N
wait_for '/5, 2 new, 2 tagged\]'; ok $? ";N marks them read"
# (; changes the message line too, drawn after the status line above it)
wait_for 'Done on 2 tagged messages'; ok $? "and says it was done on the tagged two"

# | without a shell: the redirection is an argument, not a file
keys Home
wait_for '#1\b'
keys '|'
wait_for 'Pipe to command:'
type_text "echo PIPED > $TEST_TMP/nofile"
keys Enter
wait_for 'Press any key'; ok $? "the command runs with the terminal"
like "$(screen)" "PIPED > $TEST_TMP/nofile" "echo printed the '>' as an argument: no shell"
ok $([ ! -e "$TEST_TMP/nofile" ] && echo 0 || echo 1) "no file was made by a redirection"
keys Enter
wait_for 'Piped 1 message'; ok $? "a key brings the screen back"

keys '|'
wait_for 'Pipe to command:'
keys C-u
type_text "sh -c 'cat > $TEST_TMP/one'"
keys Enter
wait_for 'Press any key'
keys Enter
wait_for 'Piped 1 message'
like "$(cat "$TEST_TMP/one")" 'Subject: Note 1' "sh -c written out: the message reached the file"

keys '\;' '|'
wait_for 'Pipe the tagged messages to:'
keys C-u
type_text "sh -c 'cat > $TEST_TMP/both'"
keys Enter
wait_for 'Press any key'
keys Enter
wait_for 'Piped 2 messages'; ok $? ";| pipes the tagged messages"
is "$(grep -c '^Subject: Report' "$TEST_TMP/both")" 2 "both tagged messages were piped"

keys '|'
wait_for 'Pipe to command:'
keys C-u
type_text 'false'
keys Enter
wait_for 'Press any key'
keys Enter
wait_for '"false" failed \(exit status 1\)'; ok $? "a failing command is reported"

# ;f forwards the tagged messages as attachments, one message/rfc822 each
keys '\;' f
wait_for '^To:$'; ok $? ";f asks for the recipients"
type_text 'zed@example.net'
keys Enter
wait_for 'y:Send .*w:Queue +P:Draft'; ok $? "the compose form opens"
# (the key line is the top row: the Subject under it may not be drawn yet)
wait_for 'Fwd: Report 2'; ok $? "the subject is the first tagged message's"
keys P
wait_for 'Saved in Drafts'; ok $? "saved as a draft"
is "$(grep -c '^Content-Type: message/rfc822' "$MAIL/Drafts")" 2 \
    "the draft holds both tagged messages as message/rfc822 parts"

# ;s moves the tagged messages; the new folder shows in the pane at once
keys '\;' s
wait_for 'Move the tagged messages to folder:'
type_text 'Reports'
keys Enter
wait_for 'Moved 2 messages to Reports'; ok $? ";s moves both tagged messages"
wait_for '^ Reports +0/2'; ok $? "the new folder shows in the pane with 0 unread of 2"

# ^R: everything read
keys C-r
wait_for '[0-9]+ messages? marked read'; ok $? "^R marks the folder read"
unlike "$(screen)" 'new\]' "no new messages are left"
keys Tab
wait_for 'No unread messages'; ok $? "Tab says when nothing is unread"

keys q
wait_for 'Purge 2 deleted messages\? \(\[y\]/n\)'; ok $? "q asks before purging the two moved messages"
keys y
wait_for 'EXIT=0'; ok $? "q quits"
is "$("$POSTIE" list --folder Reports | wc -l)" 2 "Reports holds the two moved messages"
done_testing
