#!/bin/sh
# Locks: a second fetch of the same account is refused at once; a folder
# locked by another program stops the fetch with nothing deleted on the
# server, and the next fetch completes with every message exactly once;
# damaged records stop the account with FILE:LINE and nothing is fetched
# or deleted.
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
add_mail --generate 20
new_config
account a leave_on_server=false

# --- the account's fetch lock ----------------------------------------------
mkdir -p "$RECORDS"
"$PYTHON3" -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(600)' "$RECORDS/a.lock" "$TEST_TMP/locked" >/dev/null 2>&1 &
holder=$!
TEST_CLEANUP="kill $holder 2>/dev/null; ${TEST_CLEANUP:-}"
i=0
while [ ! -e "$TEST_TMP/locked" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "a second fetch of the same account fails"
like "$out" "a fetch for a is already running" "and says why"
is "$(server_count)" 20 "nothing deleted on the server"
kill $holder; wait $holder 2>/dev/null

# --- a locked folder ---------------------------------------------------------
mkdir -p "$MAIL"
: > "$MAIL/Inbox"
echo $$ > "$MAIL/Inbox.lock"      # a live process holds the dotlock
out=$(POSTIE_LOCK_TIMEOUT=1 "$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "a locked folder fails the fetch"
like "$out" "account a: .*Inbox" "naming the account and the folder"
is "$(server_count)" 20 "nothing deleted on the server"
is "$(folder_count Inbox)" 0 "nothing appended"
rm -f "$MAIL/Inbox.lock"
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "once unlocked the fetch works"
like "$out" "^a: 20 new, 0 headers only, 0 left on server, 20 deleted on server" "all of it"
is "$(folder_count Inbox)" 20 "20 messages here"
is "$(local_ids Inbox | uniq -d | wc -l)" 0 "each once"

# --- damaged records ----------------------------------------------------------
new_config
account a
add_mail --generate 5 --seed 3
printf 'postie-uidls 1\nserver alice@localhost:1\nD 1 ok\nD zz broken\n' > "$RECORDS/a"
cp "$RECORDS/a" "$TEST_TMP/damaged"
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "damaged records fail the account"
like "$out" "$RECORDS/a:4: bad first-seen time" "naming file and line"
is "$(folder_count Inbox)" 20 "nothing downloaded"
is "$(server_count)" 5 "nothing deleted"
cmp -s "$RECORDS/a" "$TEST_TMP/damaged"; ok $? "the damaged file is left as it was"
done_testing
