#!/bin/sh
# Signed and encrypted mail in the screen: the preview says what "postie
# show" says, a BAD signature is drawn in the error colour, a decrypted
# message shows its protected Subject and attachments, and decrypted HTML
# never goes to the configured outside converter (EFAIL).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/gnupg.sh"
. "$top_srcdir/tests/ui/lib.sh"
command -v gpgsm > /dev/null 2>&1 || skip_all "gpgsm is not installed (contrib/install-deps)"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0
html_converter = touch $TEST_TMP/converter-ran
CFG

GNUPGHOME="$TEST_TMP/g"; export GNUPGHOME
gnupg_home "$GNUPGHOME"
gnupg_home "$TEST_TMP/o"
gnupg_key "$GNUPGHOME" 'Alice Test <alice@example.org>' &&
    gnupg_key "$GNUPGHOME" 'Me Reader <me@example.org>' &&
    gnupg_key "$GNUPGHOME" 'Bob <bob@example.org>' &&
    gnupg_key "$TEST_TMP/o" 'Mallory <mallory@example.org>' &&
    gnupg_smime_ca "$GNUPGHOME" &&
    gnupg_smime_key "$GNUPGHOME" "Alice Test" alice@example.org &&
    gnupg_smime_key "$GNUPGHOME" "Me Reader" me@example.org
ok $? "test keys made"
"${PYTHON3:-python3}" "$top_srcdir/tests/mime/mkcrypto.py" "$MAIL/Inbox" "$TEST_TMP/o"
ok $? "test messages made"

UI_ENV="export GNUPGHOME='$GNUPGHOME'"
start_postie 140 40
wait_for 'signed good'; ok $? "the screen opens on the Inbox"
# (the rows under that one are drawn by the time the status line is)
wait_for '^-- postie: Inbox'
# The list's third flag column, as mutt: s signed, P encrypted.
like "$(screen)" '│..s .*signed good' "list: signed message flagged s"
like "$(screen)" '│..P .*encrypted html' "list: PGP/MIME encrypted message flagged P"
like "$(screen)" '│..P.*smime encrypted' "list: S/MIME encrypted message flagged P"
like "$(screen)" '│..s.*smime opaque' "list: S/MIME signed-data flagged s"
unlike "$(screen)" '│..[sP].*inline signed' "list: inline PGP is not seen without reading the body"

# Select a message by searching for its subject.
select_msg() {
    keys /
    type_text "$1"
    keys Enter
}

select_msg 'signed bad'
wait_for 'BAD signature from Alice Test'; ok $? "preview: BAD signature"
raw=$(tm capture-pane -p -e -t t | grep 'BAD signature')
like "$raw" "$(printf '\033')\\[[0-9;]*(31|91)m" "BAD signature drawn in the error colour"
select_msg 'signed good'
wait_for 'Good signature from Alice Test <alice@example.org>'; ok $? "preview: good signature"
raw=$(tm capture-pane -p -e -t t | grep 'Good signature')
unlike "$raw" "$(printf '\033')\\[[0-9;]*(31|91)m" "a good signature is not in the error colour"

select_msg 'partly signed'
wait_for 'not covered by a signature'; ok $? "preview: unsigned part marked"

# Message 6 (outer Subject "...") follows "partly signed".
keys Down
wait_for 'Encrypted message \(OpenPGP\), decrypted'; ok $? "preview: PGP/MIME decrypted"
# (the preview rows under that line may not be drawn yet)
wait_for 'Subject: the real subject'; ok $? "protected Subject shown"
wait_for 'secret body text'; ok $? "decrypted text shown"
wait_for '\[1\] secret.txt'; ok $? "attachment inside listed"

select_msg 'encrypted html'
wait_for 'html secret'; ok $? "decrypted HTML shown"
test ! -e "$TEST_TMP/converter-ran"
ok $? "decrypted HTML not handed to the configured converter"

select_msg 'smime encrypted'
wait_for 'Encrypted message \(S/MIME\), decrypted'; ok $? "preview: S/MIME decrypted"
wait_for 'smime secret text'; ok $? "S/MIME text shown"

# The pager shows the same.
select_msg 'inline signed'
wait_for 'inline signed text'; ok $? "inline signed message selected"
keys Enter
wait_for 'pager: (#[0-9]+ )?inline signed'; ok $? "pager opens"
like "$(screen)" 'Good signature from Alice Test' "pager: signature line"
keys q
wait_not 'pager: (#[0-9]+ )?inline signed'; ok $? "back from the pager"

# Decrypted text is never in the index cache (or anywhere on disk).
if grep -rqs -e "secret body text" -e "the real subject" -e "smime secret" "$HOME" "$MAIL"; then
    r=1
else
    r=0
fi
ok $r "no decrypted text on disk (index cache included)"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
