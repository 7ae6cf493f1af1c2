#!/bin/sh
# With no editor configured and none installed, composing says what to set
# instead of failing obscurely; the screen stays usable.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"$PYTHON3" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account a]
address = a@example.org
smtp_host = localhost
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

# A PATH with nothing but an empty directory: no sensible-editor, editor,
# nano or vi can be found.
mkdir -p "$TEST_TMP/emptybin"
UI_ENV="unset VISUAL EDITOR; sleep() { /bin/sleep \"\$@\"; }; export PATH='$TEST_TMP/emptybin'"
start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys m
wait_for '^To:'; ok $? "m asks for the recipient"
type_text 'bob@example.net'
keys Enter
wait_for '^Subject:'; ok $? "then for the subject"
type_text 'No editor here'
keys Enter
wait_for 'no editor found'; ok $? "it says no editor was found"
like "$(screen)" 'set editor in the \[general\] group' "and what to set"
like "$(screen)" 'To: bob@example.net' "the compose form stays open with what was typed"
keys q
wait_for 'Discard this message'; ok $? "cancelling asks before discarding"
keys y
wait_for 'postie: Inbox'; ok $? "back to the message list"
keys q
wait_for 'EXIT=0'; ok $? "postie still quits normally"

done_testing
