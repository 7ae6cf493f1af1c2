#!/bin/sh
# Headers first: headers_only, --headers-only, size_limit, then fetching
# the rest or deleting on the server from the command line.
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
for i in 1 2 3 4 5; do
    message "h$i" > "$TEST_TMP/m$i"
done
add_mail "$TEST_TMP"/m1 "$TEST_TMP"/m2 "$TEST_TMP"/m3 "$TEST_TMP"/m4 "$TEST_TMP"/m5

new_config
account a headers_only=true
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 5 headers only, 5 left on server, 0 deleted" "headers only: 5 partial messages"
is "$("$POSTIE" list --folder Inbox --format '%F' | sort -u)" "H" "all marked partial (H, as on the screen)"
unlike "$(cat "$MAIL/Inbox")" "Body of message" "no body was downloaded"
like "$(cat "$MAIL/Inbox")" "Subject: message h3" "the headers are here"
out=$("$POSTIE" show --folder Inbox 1)
like "$out" "^\[-- Only the headers of this message are here; the body is still on the server\. Run \"postie fetch --download 1 --folder Inbox\" to download it\. --\]$" \
    "show says the body is on the server and which command fetches it"
like "$("$POSTIE" fetch 2>&1)" "^a: 0 new, 0 headers only" "a partial message is not fetched again"
list=$("$POSTIE" fetch --list-headers-only)
is "$(echo "$list" | wc -l)" 5 "--list-headers-only lists all 5"
like "$list" "^a	[!-~]+	Inbox	headers only$" "with account, UID, folder and state"

# The rest of message 2, by folder and number (as postie list shows it).
n2=$("$POSTIE" list --folder Inbox --format '%n %S' | awk '/message h2$/ {print $1}')
out=$("$POSTIE" fetch --folder Inbox --download "$n2" 2>&1); rc=$?
is "$rc" 0 "--download exits 0"
like "$out" "^a: 1 new, 0 headers only, 5 left" "one message downloaded in full"
is "$(folder_count Inbox)" 5 "the full copy replaced the partial one"
like "$(cat "$MAIL/Inbox")" "Body of message h2" "its body is here now"
is "$("$POSTIE" list --folder Inbox --format '%F %S' | grep -c '^H ')" 4 "4 still partial"
is "$("$POSTIE" list --folder Inbox --format '%F %S' | grep 'message h2$' | cut -c1)" "-" \
    "the h2 copy is complete"
is "$("$POSTIE" fetch --list-headers-only | wc -l)" 4 "4 listed as headers only"

# Delete message 3 on the server, by UID.
uid3=$("$POSTIE" list --folder Inbox --format '%u|%S' | awk -F'|' '/message h3$/ {sub(/^a /, "", $1); print $1}')
out=$("$POSTIE" fetch --account a --delete-on-server "$uid3" 2>&1)
like "$out" "^a: 0 new, 0 headers only, 4 left on server, 1 deleted on server" \
    "--delete-on-server deletes it on the server"
is "$(server_count)" 4 "4 on the server"
unlike "$(server_ids)" "h3@test" "h3 is gone from the server"

# Usage errors.
"$POSTIE" fetch --download x >/dev/null 2>&1
is "$?" 2 "UIDs without --account is a usage error"
"$POSTIE" fetch --folder Inbox --download 99 >/dev/null 2>&1
is "$?" 1 "a message number that does not exist fails"

# --- size_limit and --headers-only on an ordinary account --------------------
wipe_local
BODY=$(head -c 30000 /dev/zero | tr '\0' 'x' | fold -w 70) message big > "$TEST_TMP/big"
add_mail "$TEST_TMP/big"
new_config
account a size_limit=10k
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 4 new, 1 headers only, 5 left" "the message over size_limit comes as headers only"
is "$("$POSTIE" list --folder Inbox --format '%F %S' | grep '^H' | cut -d' ' -f2-)" \
    "message big" "it is the big one"

wipe_local
new_config
account a
out=$("$POSTIE" fetch --headers-only 2>&1)
like "$out" "^a: 0 new, 5 headers only" "--headers-only fetches only headers this time"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only" "and later fetches leave them partial"

# Downloading in full with leave_on_server = false deletes it afterwards.
new_config
account a leave_on_server=false
nb=$("$POSTIE" list --folder Inbox --format '%n %S' | awk '/message big$/ {print $1}')
out=$("$POSTIE" fetch --folder Inbox --download "$nb" 2>&1)
like "$out" "^a: 1 new, 0 headers only, 4 left on server, 1 deleted on server" \
    "a requested download is deleted after, without leave_on_server"
like "$(cat "$MAIL/Inbox")" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "its body is here"
is "$(server_count)" 4 "partial messages stay on the server"
done_testing
