#!/bin/sh
# Each window of a crash, made deterministic with the test build of the
# program, postie-crashable: POSTIE_TEST_CRASH_AT makes it exit 137 right
# after that step of the first batch, as if killed (crash-hook.c): after the in-flight record, after the append
# and fsync, after the record; and a copy cut off in the middle.  Each time
# the next fetch leaves every message exactly once.
. "$top_srcdir/tests/integration/fetch-lib.sh"
CRASHABLE=$top_builddir/tests/integration/postie-crashable
start_dovecot
files=
for i in 1 2 3 4 5 6 7 8 9 10; do
    BODY="body of h$i
END-OF-h$i" message "h$i" > "$TEST_TMP/m$i"
    files="$files $TEST_TMP/m$i"
done
add_mail $files
new_config
account a

check_once() {   # check_once WHAT
    is "$(local_ids Inbox | uniq | wc -l)" 10 "$1: all 10 messages here"
    is "$(local_ids Inbox | uniq -d | wc -l)" 0 "$1: none twice"
    is "$(grep -c '^END-OF-' "$MAIL/Inbox")" 10 "$1: every copy complete"
    unlike "$(records a)" "^[FC] " "$1: nothing left in flight"
}

# After the in-flight record, before the append.
POSTIE_TEST_CRASH_AT=in-flight "$CRASHABLE" fetch >/dev/null 2>&1
is "$?" 137 "crashed after the in-flight record"
like "$(records a)" "^F [0-9]+ [!-~]+ len=[0-9]+ part=0 sum=[0-9a-f]{64} folder=Inbox$" \
    "in-flight records name length, checksum and folder"
is "$(folder_count Inbox)" 0 "nothing appended yet"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 10 new" "the next fetch downloads them"
check_once "in-flight"

# After append + fsync, before the record: the copies are found, not
# downloaded again.
wipe_local
POSTIE_TEST_CRASH_AT=appended "$CRASHABLE" fetch >/dev/null 2>&1
is "$?" 137 "crashed after the append"
is "$(folder_count Inbox)" 10 "the messages are on disk"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new" "the next fetch recognises them"
check_once "appended"

# After the append, the user expunges one of the copies before the next
# fetch: it is not downloaded again.
wipe_local
POSTIE_TEST_CRASH_AT=appended "$CRASHABLE" fetch >/dev/null 2>&1
"$HELPER" expunge "$MAIL/Inbox" 4 >/dev/null
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new" "an in-flight copy expunged here is not downloaded again"
is "$(folder_count Inbox)" 9 "9 messages left here"
like "$(records a)" "^R " "its record says deleted here"

# A copy cut off by the crash: expunged and downloaded again.
wipe_local
POSTIE_TEST_CRASH_AT=appended "$CRASHABLE" fetch >/dev/null 2>&1
size=$(stat -c %s "$MAIL/Inbox")
truncate -s $((size - 20)) "$MAIL/Inbox"
unlike "$(tail -3 "$MAIL/Inbox")" "END-OF-h10" "the last copy is cut off"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 1 new" "only the cut-off message is downloaded again"
check_once "cut off"

# After the record, before DELE (leave_on_server = false).
wipe_local
new_config
account a leave_on_server=false
POSTIE_TEST_CRASH_AT=recorded "$CRASHABLE" fetch >/dev/null 2>&1
is "$?" 137 "crashed after the record"
is "$(server_count)" 10 "nothing deleted yet"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 0 left on server, 10 deleted on server" \
    "the next fetch only deletes"
check_once "recorded"

# A full download replacing a headers-only copy, crashed after the append:
# the partial copy goes, the full one stays.
add_mail "$TEST_TMP/m1"
wipe_local
new_config
account a headers_only=true
"$POSTIE" fetch >/dev/null 2>&1
is "$("$POSTIE" list --folder Inbox --format '%F')" "H" "one partial copy"
POSTIE_TEST_CRASH_AT=appended "$CRASHABLE" fetch --folder Inbox --download 1 >/dev/null 2>&1
is "$?" 137 "crashed after appending the full copy"
is "$(folder_count Inbox)" 2 "partial and full copy on disk"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new" "not downloaded again"
is "$("$POSTIE" list --folder Inbox --format '%F')" "-" "only the full copy is left"
is "$(grep -c '^END-OF-h1$' "$MAIL/Inbox")" 1 "with its body"

# The program itself has no crash hook.
wipe_local
new_config
account a
POSTIE_TEST_CRASH_AT=in-flight "$POSTIE" fetch >/dev/null 2>&1
is "$?" 0 "the program ignores POSTIE_TEST_CRASH_AT"
is "$(folder_count Inbox)" "$(server_count)" "and fetches everything"
done_testing
