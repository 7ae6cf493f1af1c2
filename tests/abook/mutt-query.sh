#!/bin/sh
# The real mutt uses "postie abook query" as its query_command: driven in a
# private tmux server, its query menu must list what postie found.
. "$top_srcdir/tests/ui/lib.sh"
command -v mutt >/dev/null 2>&1 || skip_all "mutt is not installed"

D="$top_srcdir/tests/data/abook"
"$POSTIE" abook import "$D/contacts-40.vcf" >/dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }
"$POSTIE" abook import "$D/thunderbird.csv" >/dev/null 2>&1

: > "$TEST_TMP/mbox"
cat > "$TEST_TMP/muttrc" <<EOF
set query_command="'$POSTIE' abook query %s"
set mbox_type=mbox
set spoolfile="$TEST_TMP/mbox"
set folder="$TEST_TMP"
set header_cache=""
unset help
EOF

start_in_tmux 120 30 \
    "env HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
     LC_ALL=C.UTF-8 TERM=xterm-256color mutt -n -F '$TEST_TMP/muttrc' -f '$TEST_TMP/mbox'; \
     echo EXIT=\$?; sleep 60"

plan 5
wait_for 'Mutt'
ok $? "mutt started"

keys Q
wait_for 'Query'
keys 'smith' Enter
wait_for 'anna@example.org +Anna Smith'
ok $? "query menu lists a contact found by postie"
# (the menu is drawn top to bottom: a later row may not be drawn yet)
wait_for 'sarah@example.com +Sarah Smith'; ok $? "and one imported from CSV"
keys q
wait_for 'postie: [0-9]+ address|Mutt'

keys Q
wait_for 'Query'
keys 'book club' Enter
wait_for 'Book Club'
ok $? "a group is offered as one entry"

keys q
keys Q
wait_for 'Query'
keys 'nobody-matches-this' Enter
wait_for 'No matches'
ok $? "mutt shows postie's message when nothing matches"
keys q
