#!/bin/sh
# Signals on the screen.  ^C is a key, as in mutt: the index asks whether
# to quit, a prompt is cancelled, and a ^C typed while the editor has the
# terminal is the editor's.  (ncurses' own handler, which postie had,
# ended the program on the spot: flag changes and the message being
# written were lost.)  SIGTERM and SIGHUP close the screen as quitting
# does: a flag set is written to the folder, the message being composed
# is kept in Drafts, and postie exits 0.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"${PYTHON3:-/usr/bin/python3}" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
local_config "check_interval = 0"

# The editor survives ^C (as vim and nano read it as a key), notes that
# it came (the whole foreground group gets it at once, postie too), and
# writes the body once the test lets it go on.
cat > "$TEST_TMP/editor.sh" <<ED
#!/bin/sh
trap 'echo > "$TEST_TMP/editor-got-int"' INT
echo EDITOR IS RUNNING
while [ ! -e '$TEST_TMP/editor-go' ]; do sleep 0.1; done
rm -f '$TEST_TMP/editor-go'
printf 'KEPT THROUGH THE SIGNAL\\n' >> "\$1"
ED
chmod +x "$TEST_TMP/editor.sh"
UI_ENV="export VISUAL='$TEST_TMP/editor.sh'"

# postie with its pid written down, for the signals sent by hand.
cat > "$TEST_TMP/pid-postie" <<RUN
#!/bin/sh
echo \$\$ > '$TEST_TMP/pid'
exec '$POSTIE' "\$@"
RUN
chmod +x "$TEST_TMP/pid-postie"
REAL_POSTIE=$POSTIE

start() {
    rm -f "$TEST_TMP/pid"
    POSTIE=$TEST_TMP/pid-postie
    start_postie 100 30
    POSTIE=$REAL_POSTIE
    wait_for 'postie: Inbox \[1/'
    wait_until 10 test -s "$TEST_TMP/pid"
    pid=$(cat "$TEST_TMP/pid")
}

compose_until_editor() {
    keys m
    wait_for '^To:'
    type_text 'bob@example.net'
    keys Enter
    wait_for '^Subject:'
    type_text "$1"
    keys Enter
    wait_for 'EDITOR IS RUNNING'
}

# ---- ^C ------------------------------------------------------------------
start
keys C-c
wait_for 'Quit postie\? \(\[y\]/n\)'; ok $? "^C in the index asks whether to quit"
keys n
wait_not 'Quit postie\?'; ok $? "n answers no"
keys /
wait_for '^Search for:'
keys C-c
wait_not '^Search for:'; ok $? "^C cancels a prompt"
screen_lacks 'Quit postie\?'; ok $? "and does not ask to quit"

compose_until_editor 'Interrupted editor'
keys C-c
wait_until 30 test -e "$TEST_TMP/editor-got-int"; ok $? "the editor got the ^C"
touch "$TEST_TMP/editor-go"
wait_for 'KEPT THROUGH THE SIGNAL'; ok $? "^C in the editor is the editor's: the compose form comes back"
screen_lacks 'Quit postie\?'; ok $? "no question to quit after the editor"
screen_lacks 'EXIT='; ok $? "postie still runs"
keys P
wait_for 'Saved in Drafts'
keys C-c
wait_for 'Quit postie\?'
keys y
wait_for 'EXIT=0'; ok $? "y quits (status 0)"

# ---- SIGTERM -------------------------------------------------------------
start
keys F
wait_for '│N!'; ok $? "F flags the first message"
compose_until_editor 'Terminated'
kill -TERM "$pid"
touch "$TEST_TMP/editor-go"
wait_for 'EXIT=0'; ok $? "SIGTERM during the editor: postie closes the screen and exits 0"
like "$(cat "$MAIL/Drafts")" 'Subject: Terminated' "the message being written is in Drafts"
like "$(cat "$MAIL/Drafts")" 'KEPT THROUGH THE SIGNAL' "with its body"
like "$(sed -n '1,/^$/p' "$MAIL/Inbox")" 'X-Status: F' "the flag set before is written to the folder"

# ---- SIGHUP --------------------------------------------------------------
start
keys m
wait_for '^To:'
type_text 'carol@example.net'
keys Enter
wait_for '^Subject:'
type_text 'Hung up in the form'
keys Enter
wait_for 'EDITOR IS RUNNING'
touch "$TEST_TMP/editor-go"
wait_for 'KEPT THROUGH THE SIGNAL'
kill -HUP "$pid"
wait_for 'EXIT=0'; ok $? "SIGHUP in the compose form: postie exits 0"
like "$(cat "$MAIL/Drafts")" 'Subject: Hung up in the form' "the message is in Drafts"

done_testing
