#!/bin/sh
# The screen and the attachment list: a message with a PDF and a
# winmail.dat shows every file it carries (the TNEF unpacked), and an
# inline forward (f) carries the original's attachments into the compose
# and the queued message, byte for byte; the pager f was pressed in is
# still there afterwards.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
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
printf 'FORWARD NOTE\n' >> "$1"
ED
chmod +x "$TEST_TMP/editor.sh"
mkdir -m 700 "$TEST_TMP/tmp"
UI_ENV="export VISUAL='$TEST_TMP/editor.sh' TMPDIR='$TEST_TMP/tmp'"

# tnef.eml: a text part and a winmail.dat with two files; the original
# also gets a plain PDF attachment.
{
    printf 'From user@corp.example.com Mon Mar  2 10:00:00 2026\n'
    sed -e 's/^--_tnef_--$/--_tnef_\
Content-Type: application\/pdf; name="plain.pdf"\
Content-Disposition: attachment; filename="plain.pdf"\
Content-Transfer-Encoding: base64\
\
JVBERi0xLjQKJWZha2UK\
--_tnef_--/' "$top_srcdir/tests/data/mime/tnef.eml"
    printf '\n'
} > "$MAIL/Inbox"

start_postie 120 40
wait_for 'postie: Inbox'; ok $? "the screen opens"
keys Enter
wait_for 'attachment 3: plain\.pdf'; ok $? "the message shows all its attachments"
like "$(screen)" 'attachment 1: Quartalsbericht März\.pdf' "the files inside winmail.dat are listed"
like "$(screen)" 'attachment 2: notes\.txt' "both of them"
keys f
wait_for '^To:'; ok $? "f forwards inline and asks for the recipient"
type_text 'zed@example.net'
keys Enter
wait_for 'FORWARD NOTE'; ok $? "\$VISUAL wrote the note"
wait_for ' 3 attachments --'; ok $? "the compose carries the original's three attachments"
# (the list is drawn under its heading)
wait_for 'postie-forward-.*/plain\.pdf'; ok $? "from a private directory"
keys w
wait_for 'Queued in the Outbox'; ok $? "w queues it"
att=$(/usr/bin/python3 - "$MAIL/Outbox" <<'PY'
import hashlib, mailbox, sys
for m in mailbox.mbox(sys.argv[1]):
    for part in m.walk():
        if part.get_filename():
            data = part.get_payload(decode=True)
            print(part.get_filename(), len(data), hashlib.sha256(data).hexdigest()[:12])
PY
)
want=$(/usr/bin/python3 - <<'PY'
import hashlib
pdf = b'%PDF-1.4 fake report\n' * 10
for name, data in (("Quartalsbericht März.pdf", pdf), ("notes.txt", b"plain notes\n"),
                   ("plain.pdf", b"%PDF-1.4\n%fake\n")):
    print(name, len(data), hashlib.sha256(data).hexdigest()[:12])
PY
)
is "$att" "$want" "the queued message has the three files, byte for byte"
is "$(ls "$TEST_TMP/tmp")" '' "the temporary copies are removed once the compose is over"
# As in mutt, f in the pager leaves the user in the pager, drawn.
wait_for '^-- pager: #1 '; ok $? "after the forward the pager is back on the screen"
unlike "$(screen)" '^-- postie: ' "and the list is not drawn over it"
keys q
wait_for '^-- postie: Inbox'; ok $? "q goes back to the list"
keys q
wait_for 'EXIT=0'; ok $? "a second q quits"
done_testing
