#!/bin/sh
# Drafts: save a message with an attachment as a draft, resume it from
# the Drafts folder (the attachment comes back, from a private temporary
# directory), queue it; the draft is gone and the Outbox holds the
# message with its attachment.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
name = Alice Example
address = alice@example.org
pop3_host = localhost
smtp_host = localhost
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"
cat > "$TEST_TMP/editor.sh" <<'ED'
#!/bin/sh
grep -q 'DRAFT BODY' "$1" || printf 'DRAFT BODY\n' >> "$1"
ED
chmod +x "$TEST_TMP/editor.sh"
mkdir -m 700 "$TEST_TMP/tmp"
UI_ENV="export VISUAL='$TEST_TMP/editor.sh' TMPDIR='$TEST_TMP/tmp'"
printf 'ATTACHED-CONTENT-42\n' > "$TEST_TMP/notes.txt"

# An address book with one contact, for completion.
mkdir -p "$XDG_DATA_HOME/postie"
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dora Explorer\r\nEMAIL:dora@example.net\r\nEND:VCARD\r\n' \
    > "$XDG_DATA_HOME/postie/contacts.vcf"

start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys m
wait_for '^To:'
type_text 'Dor'
keys Tab
wait_for '^To: Dora Explorer <dora@example.net>'; ok $? "Tab completes the address from the address book"
keys Enter
wait_for '^Subject:'
type_text 'Unfinished thoughts'
keys Enter
wait_for 'DRAFT BODY'; ok $? "\$VISUAL wrote the body"
keys a
wait_for 'Attach file'
type_text "$TEST_TMP/notes.txt"
keys Enter
wait_for '1 attachment'; ok $? "a attaches a file"
keys P
wait_for 'Saved in Drafts'; ok $? "P saves a draft"
like "$(cat "$MAIL/Drafts")" 'Subject: Unfinished thoughts' "the draft is in the Drafts folder"
keys c
type_text Drafts
keys Enter
wait_for 'To Dora Explorer'; ok $? "the Drafts folder lists the draft by its recipient"
keys m
wait_for 'Resume the selected draft'; ok $? "m in Drafts offers to resume"
keys y
wait_for '^ Subject: Unfinished thoughts'; ok $? "the resumed draft has its subject (on the compose form, not the preview)"
# (the text and the attachments are drawn under the Subject row: wait for
# the form's status line, drawn last)
wait_for '^-- compose'
like "$(screen)" 'To: Dora Explorer <dora@example.net>' "and its recipient"
like "$(screen)" 'DRAFT BODY' "and its text"
like "$(screen)" '1 attachment' "and its attachment"
like "$(screen)" 'postie-draft-.*/notes\.txt' "extracted under its own name"
d=$(ls -d "$TEST_TMP"/tmp/postie-draft-* 2>/dev/null)
is "$(stat -c %a "$d" 2>/dev/null)" 700 "into a private directory (mode 0700)"
is "$(cat "$d/notes.txt" 2>/dev/null)" 'ATTACHED-CONTENT-42' "with the attachment's content"
keys w
wait_for 'Queued in the Outbox'; ok $? "w queues it"
wait_for 'no messages'; ok $? "the draft is removed from Drafts"
like "$(screen)" 'Outbox: 1' "the Outbox holds it"
like "$(cat "$MAIL/Outbox")" 'Subject: Unfinished thoughts' "the Outbox file has the message"
att=$(/usr/bin/python3 - "$MAIL/Outbox" <<'PY'
import mailbox, sys
for m in mailbox.mbox(sys.argv[1]):
    for part in m.walk():
        if part.get_filename():
            print(part.get_filename(), part.get_payload(decode=True).decode().strip())
PY
)
is "$att" 'notes.txt ATTACHED-CONTENT-42' "the queued message carries the draft's attachment"
is "$(ls "$TEST_TMP/tmp")" '' "the temporary copy is removed once the compose is over"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
