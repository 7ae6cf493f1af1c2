#!/bin/sh
# postie fetch against a real Dovecot: leave on server, not leaving,
# delete after N days, delete when deleted here; records file mode.
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
add_mail --generate 30

# --- leave_on_server (default): each message once, ever -----------------
new_config
account a
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "fetch exits 0"
like "$out" "^a: 30 new, 0 headers only, 30 left on server, 0 deleted on server" "summary line"
is "$(folder_count Inbox)" 30 "30 messages in Inbox"
is "$(server_count)" 30 "all 30 still on the server"
is "$(stat -c %a "$RECORDS/a")" 600 "records file is mode 0600"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new" "second fetch finds nothing new"
is "$(folder_count Inbox)" 30 "still 30 messages in Inbox"
is "$(local_ids Inbox | uniq -d | wc -l)" 0 "no Message-ID twice"
is "$(local_ids Inbox)" "$(server_ids)" "the local Message-IDs are the server's"
first=$(grep -m1 '^X-Postie-UIDL:' "$MAIL/Inbox")
like "$first" '^X-Postie-UIDL: a [!-~]+$' "every message carries X-Postie-UIDL: ACCOUNT UID"

# New mail arrives: only it is fetched.
add_mail --generate 5 --seed 7
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 5 new, 0 headers only, 35 left" "only the 5 new messages are fetched"
is "$(folder_count Inbox)" 35 "35 messages in Inbox"

# --- delete_after_days: age some records by editing first-seen ------------
# The records file format is documented in postie-fetch(1); tests age
# messages by rewriting the first-seen time of 10 of them.
new_config
account a delete_after_days=7
old=$(( $(date +%s) - 8 * 86400 ))
awk -v old="$old" 'BEGIN{n=0} /^D /{ if (n < 10) { $2 = old; n++ } } {print}' \
    "$RECORDS/a" > "$TEST_TMP/rec" && cat "$TEST_TMP/rec" > "$RECORDS/a"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 25 left on server, 10 deleted on server" \
    "messages first seen 8 days ago are deleted after 7 days"
is "$(server_count)" 25 "25 left on the server"
is "$(folder_count Inbox)" 35 "nothing lost locally"
is "$(grep -c '^D ' "$RECORDS/a")" 25 "records of deleted messages are dropped"

# --- delete_when_deleted: expunge here, DELE there -------------------------
new_config
account a delete_when_deleted=true
# (the newest messages: the oldest ones are already gone from the server)
gone=$("$HELPER" expunge "$MAIL/Inbox" 33 34 35)
is "$(echo "$gone" | wc -l)" 3 "three messages expunged here"
is "$(folder_count Inbox)" 32 "32 left in Inbox"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 22 left on server, 3 deleted on server" \
    "messages deleted here are deleted on the server"
uid=$(echo "$gone" | head -1 | cut -d' ' -f2)
unlike "$(cat "$RECORDS/a")" " $uid\$" "their records are gone"

# Without delete_when_deleted an expunge only changes the record.
new_config
account a
gone=$("$HELPER" expunge "$MAIL/Inbox" 31)
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 22 left on server, 0 deleted" \
    "without delete_when_deleted nothing is deleted on the server"
uid=$(echo "$gone" | cut -d' ' -f2)
like "$(cat "$RECORDS/a")" "^R [0-9]+ $uid\$" "the record says deleted here"
like "$("$POSTIE" fetch 2>&1)" "^a: 0 new" "and it is not downloaded again"

# --- leave_on_server = false: download, then delete -------------------------
new_config
account a leave_on_server=false
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "fetch without leave_on_server exits 0"
like "$out" "^a: 0 new, 0 headers only, 0 left on server, 22 deleted on server" \
    "already fetched messages are deleted"
is "$(server_count)" 0 "the server is empty"
add_mail --generate 4 --seed 9
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 4 new, 0 headers only, 0 left on server, 4 deleted on server" \
    "new messages are downloaded and then deleted"
is "$(server_count)" 0 "the server is empty again"
is "$(folder_count Inbox)" 35 "31 + 4 messages here"
is "$(local_ids Inbox | uniq -d | wc -l)" 0 "no Message-ID twice"

# --- cancelled from the screen's worker thread --------------------------------
wipe_local
new_config
account a
add_mail --generate 40 --seed 12
res=$("$HELPER" cancel-after 10 a 2>&1)
like "$res" "^cancelled$" "a fetch in a worker thread stops when cancelled"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: [0-9]+ new" "the next fetch continues"
local_ids Inbox > "$TEST_TMP/got"; server_ids > "$TEST_TMP/want"
diff "$TEST_TMP/got" "$TEST_TMP/want" | sed 's/^/# /'
cmp -s "$TEST_TMP/got" "$TEST_TMP/want"; ok $? "every message exactly once after a cancel"

# --- errors: wrong password, account named in the message, exit 1 ----------
new_config
ACCOUNT_PASSWORD=wrong account bad
account a
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "a failed account makes the exit status 1"
like "$out" "account bad" "the failure names the account"
like "$out" "fetching failed for: bad$" "the last line lists the failed accounts"
like "$out" "^a: 0 new" "the other account is still fetched"
out=$("$POSTIE" fetch --account nosuch 2>&1); rc=$?
is "$rc" 2 "an unknown --account is a usage error"

done_testing
