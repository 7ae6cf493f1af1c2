#!/bin/sh
# The address book view (A): the list, search as you type, add, edit,
# delete, merge duplicates, all saved where `postie abook list` sees them;
# then mail to a group from the view, which reaches the capturing SMTP
# server as the group's members.
. "$top_srcdir/tests/ui/lib.sh"
start_smtpd

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"$PYTHON3" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
name = Alice Example
address = alice@example.org
smtp_host = $SMTP_HOST
smtp_port = $SMTP_PORT
smtp_security = starttls
smtp_user = $SMTP_USER
smtp_password = $SMTP_PASSWORD
smtp_ca_file = $SMTP_CA_FILE
timeout = 30
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

mkdir -p "$XDG_DATA_HOME/postie"
printf '%s\r\n' \
    BEGIN:VCARD VERSION:4.0 'FN:Jane Doe' 'N:Doe;Jane;;;' NICKNAME:jd EMAIL:jane@example.org END:VCARD \
    BEGIN:VCARD VERSION:4.0 'FN:José Álvarez' EMAIL:jose@example.com END:VCARD \
    BEGIN:VCARD VERSION:4.0 'FN:Bob Builder' EMAIL:bob@example.net END:VCARD \
    BEGIN:VCARD VERSION:4.0 'FN:Carol King' EMAIL:carol@one.example END:VCARD \
    BEGIN:VCARD VERSION:4.0 'FN:Carol King' EMAIL:carol@two.example END:VCARD \
    BEGIN:VCARD VERSION:4.0 KIND:group FN:Team MEMBER:mailto:jane@example.org \
        MEMBER:mailto:bob@example.net END:VCARD \
    > "$XDG_DATA_HOME/postie/contacts.vcf"

cat > "$TEST_TMP/editor.sh" <<'ED'
#!/bin/sh
printf 'To the whole team\n' > "$1"
ED
chmod +x "$TEST_TMP/editor.sh"
UI_ENV="export EDITOR='$TEST_TMP/editor.sh'"

list() { "$POSTIE" abook list; }

start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys A
wait_for 'address book: 6 shown of 6'; ok $? "A opens the address book with every contact"
s=$(screen)
like "$s" 'Jane Doe +jane@example.org +jd' "a contact shows name, address and nickname"
like "$s" 'G Team +\(group: 2 members\)' "a group is marked and counts its members"
like "$s" 'José Álvarez +jose@example.com' "accented names are drawn whole"

# Search as you type: the list narrows with each key.
keys /
wait_for '^Search:'; ok $? "/ starts the search"
type_text j
wait_for 'address book: 2 shown of 6'; ok $? "j: Jane and José (accents ignored)"
like "$(screen)" 'José Álvarez' "José is listed for j"
type_text a
wait_for 'address book: 1 shown of 6'; ok $? "ja: only Jane"
unlike "$(screen)" 'José' "José is gone for ja"
keys BSpace
wait_for 'address book: 2 shown of 6'; ok $? "Backspace widens the list again"
keys Escape
wait_for 'address book: 6 shown of 6'; ok $? "Esc drops the search"

# Add.
keys a
wait_for '^Name:'; ok $? "a asks for the name"
type_text 'Zed Zebra'; keys Enter
wait_for '^Addresses'; ok $? "then for the addresses"
type_text 'zed@zoo.example'; keys Enter
wait_for '^Nicknames'; ok $? "then for the nicknames"
type_text 'zz'; keys Enter
wait_for 'Added Zed Zebra'; ok $? "the contact is added"
like "$(screen)" 'Zed Zebra +zed@zoo.example +zz' "and listed"
like "$(list)" 'Zed Zebra <zed@zoo.example> \(zz\)' "postie abook list has the new contact"

# A bad address changes nothing.
keys a
wait_for '^Name:'
type_text 'Nobody'; keys Enter
wait_for '^Addresses'
type_text 'not an address'; keys Enter
wait_for '^Nicknames'; keys Enter
wait_for 'is not a mail address; nothing was changed'; ok $? "a bad address is refused on the message line"
unlike "$(list)" 'Nobody' "and nothing was added"

# Edit the selected contact (found by a search).
keys /
type_text zebra
wait_for 'address book: 1 shown of 7'; ok $? "the search finds the new contact"
keys Enter
keys e
wait_for '^Name: Zed Zebra'; ok $? "e offers the current name"
keys C-u; type_text 'Zed Zebrano'; keys Enter
wait_for '^Addresses.*zed@zoo.example'; ok $? "and the current addresses"
keys C-u; type_text 'zed@zoo.example, z2@zoo.example'; keys Enter
wait_for '^Nicknames.*zz'; keys Enter
wait_for 'Saved Zed Zebrano'; ok $? "the edit is saved"
like "$(screen)" 'Zed Zebrano +zed@zoo.example \(\+1\)' "the list shows the second address"
like "$(list)" 'Zed Zebrano <zed@zoo.example>, <z2@zoo.example> \(zz\)' "postie abook list has the edit"

# Delete asks first.
keys d
wait_for 'Delete Zed Zebrano\?'; ok $? "d asks before deleting"
keys n
wait_not 'Delete Zed'
like "$(list)" 'Zed Zebrano' "n keeps the contact"
keys d
wait_for 'Delete Zed Zebrano\?'
keys y
wait_for 'Deleted Zed Zebrano'; ok $? "y deletes it"
unlike "$(list)" 'Zed' "postie abook list no longer has it"

# Merge duplicates.
keys /
keys Escape
wait_for 'address book: 6 shown of 6'
keys M
wait_for 'Merged 1 duplicate contact'; ok $? "M merges the two Carols and says how many"
wait_for 'address book: 5 shown of 5'; ok $? "one Carol is left"
like "$(list)" 'Carol King <carol@one.example>, <carol@two.example>' "with both addresses"
is "$(list | grep -c 'Carol King')" 1 "postie abook list has one Carol"

# Mail to the group from the view: it goes to the members.
keys /
type_text team
wait_for 'address book: 1 shown of 5'
keys Enter
keys m
wait_for '^Subject:'; ok $? "m on the group starts a message"
type_text 'Group test'; keys Enter
wait_for 'compose'; ok $? "the compose form shows"
like "$(screen)" 'To: Team' "the form keeps the group name"
keys y
wait_for_file "$SMTP_OUTDIR/1.json" 'rcpt_tos'; ok $? "the message reached the SMTP server"
rcpt=$(cat "$SMTP_OUTDIR/1.json")
like "$rcpt" 'jane@example.org' "Jane, a member, is a recipient"
like "$rcpt" 'bob@example.net' "Bob, a member, is a recipient"
eml=$(tr -d '\r' < "$SMTP_OUTDIR/1.eml")
like "$eml" 'To: .*jane@example.org' "the To header names Jane"
like "$eml" 'To: .*bob@example.net' "and Bob"
unlike "$(printf '%s\n' "$eml" | grep '^To:')" 'Team' "the group name itself is not an address"
used=$(cat "$XDG_STATE_HOME/postie/abook-used" 2>/dev/null)
like "$used" "1	jane@example.org" "sending counted a use of Jane"
like "$used" "1	group:team" "and of the group"

# Rename the group: the view and the file follow.
keys e
wait_for '^Name: Team'; ok $? "e on a group asks for its name"
keys C-u; type_text 'Crew'; keys Enter
wait_for 'Saved the group Crew'; ok $? "the group is renamed"
like "$(list)" 'Crew \(group\): Jane Doe <jane@example.org>, Bob Builder <bob@example.net>' \
    "postie abook list has the renamed group with its members"

keys q
wait_for 'postie: Inbox'; ok $? "q leaves the address book"

# A group typed in To, next to a quoted name holding a comma.
keys m
wait_for '^To:'
type_text 'crew, "Roe, Ann" <ann@example.com>'; keys Enter
wait_for '^Subject:'
type_text 'Typed group'; keys Enter
wait_for 'compose'
keys y
wait_for_file "$SMTP_OUTDIR/2.json" 'rcpt_tos'; ok $? "the second message reached the server"
rcpt=$(cat "$SMTP_OUTDIR/2.json")
like "$rcpt" 'jane@example.org' "the typed group name (any case) brought Jane"
like "$rcpt" 'bob@example.net' "and Bob"
like "$rcpt" 'ann@example.com' "the quoted name with a comma stays one recipient"
like "$(tr -d '\r' < "$SMTP_OUTDIR/2.eml")" 'Roe, Ann' "its name is kept"
keys '?'
wait_for 'Key bindings'
# (the title is the top row: the rows under it may not be drawn yet)
wait_for 'A +address-book'; ok $? "help lists A for the address book"
wait_for 'a +add-sender'; ok $? "and a for adding the sender"
keys q
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
