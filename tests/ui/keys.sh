#!/bin/sh
# [keys] rebinding takes effect and shows in the help; mistakes in [keys]
# and [colors] are reported as FILE:LINE; NO_COLOR leaves colours off.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"$PYTHON3" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
CONFIG="$XDG_CONFIG_HOME/postie/config"
cat > "$CONFIG" <<CFG
[general]
mail_dir = $MAIL

[keys]
quit = x
down = J <Down>
frobnicate = z

[colors]
indicator = brightwhite red
CFG

start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens with a [keys] group"
# (the message line is drawn after the status line above it)
wait_for "config:7: frobnicate: unknown action"; ok $? "an unknown action is reported with FILE:LINE"
like "$(screen)" '^x:Quit' "the key hint shows the rebound quit key"
keys J
wait_for 'Inbox \[2/5'; ok $? "the rebound key J moves down"
keys j
wait_for 'Key j is not bound'; ok $? "j no longer moves (the default was replaced)"
keys '?'
wait_for 'Key bindings'; ok $? "? shows the bindings"
# (the title is the top row: the rows under it may not be drawn yet)
wait_for '^x +quit'; ok $? "help lists x for quit"
wait_for '^J, <Down> +down'; ok $? "help lists J and <Down> for down"
keys x
wait_for 'postie: Inbox'; ok $? "x (quit) leaves the help"
raw=$(tm capture-pane -p -e -t t)
like "$raw" "$(printf '\033')\\[[0-9;]*(3[0-9]|4[0-9]|9[0-9])" "colours are used by default"
keys x
wait_for 'EXIT=0'; ok $? "x quits"
tm kill-server

# A bad key spec is reported too.
cat >> "$CONFIG" <<CFG
[keys]
CFG
sed -i 's/^down = J <Down>$/down = <Nonsense>/' "$CONFIG"
UI_ENV="export NO_COLOR=1"
start_postie 100 30
wait_for 'postie: Inbox'; ok $? "the screen opens"
# (the message line, drawn last, holds the report: the screen is whole)
wait_for 'config:[0-9]+: (down|frobnicate): '; ok $? "bad [keys] entries are reported with their line"
raw=$(tm capture-pane -p -e -t t)
unlike "$raw" "$(printf '\033')\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7])m" "NO_COLOR: no colour sequences"
keys x
wait_for 'EXIT=0'; ok $? "x quits"
done_testing
