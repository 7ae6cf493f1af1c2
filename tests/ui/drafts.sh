#!/bin/sh
# Drafts: save a message as a draft, resume it from the Drafts folder,
# queue it; the draft is gone and the Outbox holds the message.
. "$top_srcdir/tests/lib/common.sh"
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
UI_ENV="export VISUAL='$TEST_TMP/editor.sh'"

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
wait_for 'Subject: Unfinished thoughts'; ok $? "the resumed draft has its subject"
like "$(screen)" 'To: Dora Explorer <dora@example.net>' "and its recipient"
like "$(screen)" 'DRAFT BODY' "and its text"
keys w
wait_for 'Queued in the Outbox'; ok $? "w queues it"
wait_for 'no messages'; ok $? "the draft is removed from Drafts"
like "$(screen)" 'Outbox: 1' "the Outbox holds it"
like "$(cat "$MAIL/Outbox")" 'Subject: Unfinished thoughts' "the Outbox file has the message"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
