#!/bin/sh
# kill -9 at random moments during fetches of many messages, then a clean
# fetch: every message is in the folders exactly once (compared by
# Message-ID).  First with leave_on_server (the window between the fsync
# of the folder and the records write), then without (kills around DELE).
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
new_config
account a
cat >> "$CONFIG" <<'CONF'
[filter reports]
header = Subject
contains = report
folder = Reports
CONF

test_seed
crash_round() {   # crash_round SEED COUNT
    add_mail --generate "$2" --seed "$1"
    server_ids >> "$TEST_TMP/all-ids"
    "$POSTIE" fetch --quiet >/dev/null 2>&1 &
    pid=$!
    sleep "$(rand_delay 150 "$1")"   # 0 to 0.15 s into the fetch
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null
    # the killed fetch's session may keep the mbox locked (tests/servers/README)
    "$SERVERS/dovecot.sh" kick "$TEST_TMP/dc"
}

: > "$TEST_TMP/all-ids"
killed=0
add_mail --generate 300 --seed 100
server_ids > "$TEST_TMP/all-ids"
for round in 1 2 3 4 5 6 7 8 9 10 11 12; do
    crash_round "$round" 40
done
diag "killed $killed of 12 fetches while they ran"
out=$("$POSTIE" fetch 2>&1); rc=$?
[ "$rc" = 0 ] || diag "$out"
is "$rc" 0 "a clean fetch after the kills works"
sort -u "$TEST_TMP/all-ids" > "$TEST_TMP/want"
is "$(wc -l < "$TEST_TMP/want")" 780 "780 messages were put on the server"
local_ids Inbox Reports > "$TEST_TMP/got"
is "$(uniq -d "$TEST_TMP/got" | wc -l)" 0 "no message twice (leave_on_server)"
cmp -s "$TEST_TMP/got" "$TEST_TMP/want"; ok $? "every message exactly once (leave_on_server)"
is "$(server_count)" 780 "all still on the server"
unlike "$(records a)" "^F " "no record left in flight"

# Without leave_on_server: kills also fall between the records and DELE.
new_config
account a leave_on_server=false
cat >> "$CONFIG" <<'CONF'
[filter reports]
header = Subject
contains = report
folder = Reports
CONF
killed=0
for round in 21 22 23 24 25 26 27 28 29 30 31 32; do
    crash_round "$round" 40
done
diag "killed $killed of 12 fetches while they ran"
diag "$(grep -c 'Killed with signal' "$DOVECOT_LOG") server sessions outlived their killed client (ended by kick)"
out=$("$POSTIE" fetch 2>&1); rc=$?
[ "$rc" = 0 ] || diag "$out"
is "$rc" 0 "a clean fetch after the kills works"
sort -u "$TEST_TMP/all-ids" > "$TEST_TMP/want"
is "$(wc -l < "$TEST_TMP/want")" 1260 "1260 messages were put on the server"
local_ids Inbox Reports > "$TEST_TMP/got"
is "$(uniq -d "$TEST_TMP/got" | wc -l)" 0 "no message twice (deleting)"
cmp -s "$TEST_TMP/got" "$TEST_TMP/want"; ok $? "every message exactly once (deleting)"
is "$(server_count)" 0 "the server is empty"
done_testing
