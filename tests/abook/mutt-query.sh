#!/bin/sh
# The real mutt uses "postie abook query" as its query_command: driven in a
# private tmux server, its query menu must list what postie found.
. "$top_srcdir/tests/lib/common.sh"

command -v mutt >/dev/null 2>&1 || skip_all "mutt is not installed"
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

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

T="tmux -S $TEST_TMP/tmux.sock -f /dev/null"
TEST_CLEANUP="$T kill-server 2>/dev/null"
$T new-session -d -s t -x 120 -y 30 \
    "env HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
     LC_ALL=C.UTF-8 TERM=xterm-256color mutt -n -F '$TEST_TMP/muttrc' -f '$TEST_TMP/mbox'; \
     echo EXIT=\$?; sleep 60"

screen() { $T capture-pane -p -t t; }
# Poll the screen for a pattern (up to 20 s; no fixed sleeps).
wait_for() {
    i=0
    while [ $i -lt 400 ]; do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

plan 5
wait_for 'Mutt'
ok $? "mutt started"

$T send-keys -t t Q
wait_for 'Query'
$T send-keys -t t 'smith' Enter
wait_for 'anna@example.org +Anna Smith'
ok $? "query menu lists a contact found by postie"
like "$(screen)" 'sarah@example.com +Sarah Smith' "and one imported from CSV"
$T send-keys -t t q
wait_for 'postie: [0-9]+ address|Mutt'

$T send-keys -t t Q
wait_for 'Query'
$T send-keys -t t 'book club' Enter
wait_for 'Book Club'
ok $? "a group is offered as one entry"

$T send-keys -t t q
$T send-keys -t t Q
wait_for 'Query'
$T send-keys -t t 'nobody-matches-this' Enter
wait_for 'No matches'
ok $? "mutt shows postie's message when nothing matches"
$T send-keys -t t q
