#!/bin/sh
# The compose form: Esc at the Subject prompt cancels the message (the
# editor never opens); a contact with two addresses offers each in
# completion (Tab steps through them); the attachment list shows type and
# size; a signature file with its own "-- " line gets no second one;
# counts are in the grammar of the number; at 80x24 the key line keeps
# every key.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
printf -- '-- \nAlice, at home\n' > "$TEST_TMP/sig"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
name = Alice Example
address = alice@example.org
smtp_host = localhost
signature = $TEST_TMP/sig
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"
mkdir -p "$XDG_DATA_HOME/postie"
printf '%s\r\n' \
    BEGIN:VCARD VERSION:4.0 'FN:Robert Twoaddr' EMAIL:rob@home.example EMAIL:rob@work.example END:VCARD \
    > "$XDG_DATA_HOME/postie/contacts.vcf"
printf 'twelve bytes' > "$TEST_TMP/notes.txt"

# The editor leaves a mark, so the test can tell whether it ran.
cat > "$TEST_TMP/editor.sh" <<ED
#!/bin/sh
touch '$TEST_TMP/editor-ran'
printf 'Hello.\n' | cat - "\$1" > "\$1.new" && mv "\$1.new" "\$1"
ED
chmod +x "$TEST_TMP/editor.sh"
UI_ENV="export EDITOR='$TEST_TMP/editor.sh'"

start_postie 80 24
wait_for 'postie: Inbox'; ok $? "the screen opens"

# Esc at Subject.
keys m; wait_for '^To:'; type_text 'bob@example.net'; keys Enter
wait_for '^Subject:'
keys Escape
wait_for 'Message not written'; ok $? "Esc at Subject cancels the message"
ok "$([ ! -e "$TEST_TMP/editor-ran" ]; echo $?)" "the editor did not open"

# Completion: both addresses of one contact.
keys m; wait_for '^To:'; type_text 'Rob'; keys Tab
wait_for '^To: Robert Twoaddr <rob@$'; ok $? "Tab completes what the addresses share"
like "$(screen)" 'Robert Twoaddr <rob@home\.example>  Robert Twoaddr <rob@work\.example>' \
    "and lists both addresses"
keys Tab
wait_for '^To: Robert Twoaddr <rob@(home|work)\.example>$'; ok $? "Tab again takes one address"
first=$(screen | grep '^To:')
keys Tab
wait_not "^$first\$" 10
second=$(screen | grep '^To:')
like "$first$second" 'rob@home\.example>To: .*rob@work\.example>|rob@work\.example>To: .*rob@home\.example>' \
    "and Tab once more the contact's other address"
keys Enter
wait_for '^Subject:'; type_text 'Signed'; keys Enter
wait_for 'compose'; ok $? "the compose form shows after the editor"

# One signature separator.
is "$(screen | grep -c '^-- *$')" 1 "the signature has one separator"
like "$(screen)" 'Alice, at home' "the signature is in the body"

# The key line fits at 80 columns: every key is there.
for k in y:Send q:Cancel e:Body t:To s:Subject a:Attach w:Queue P:Draft c:Cc b:Bcc D:Detach i:Identity; do
    like "$(screen | head -2)" "$k" "the key line shows $k at 80x24"
done

# Attachment type and size; the count's grammar.
keys a; wait_for 'Attach file'; type_text "$TEST_TMP/notes.txt"; keys Enter
wait_for '-- 1 attachment --'; ok $? "one attachment is \"1 attachment\""
# (the list is drawn under its heading)
wait_for 'notes\.txt  \(text/plain, 12 bytes\)'; ok $? "the list shows type and size"
keys a; wait_for 'Attach file'; type_text "$TEST_TMP/sig"; keys Enter
wait_for '-- 2 attachments --'; ok $? "two are \"2 attachments\""

keys q; wait_for 'Discard this message'; keys y
wait_for 'Message discarded'; ok $? "q discards after asking"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
