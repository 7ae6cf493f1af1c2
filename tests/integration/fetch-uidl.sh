#!/bin/sh
# Servers that do not give usable UIDs (a scripted server): no UIDL at all,
# a UID given to two messages, every UID changed.  Warnings say so, no mail
# is lost or skipped, nothing is stored twice, and messages that cannot be
# told apart are never deleted.
. "$top_srcdir/tests/integration/fetch-lib.sh"
SRV=$TEST_TMP/srv
mkdir -p "$SRV"
for i in 1 2 3 4 5; do message "n$i" > "$SRV/$i"; done

# --- no UIDL, leave on server: recognised by content ----------------------
start_fake --no-uidl
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "a server without UIDL still works"
like "$out" "warning: account a: the server does not support UIDL" "with a clear warning"
like "$out" "^a: 5 new, 0 headers only, 5 left" "5 new messages"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 5 left" "fetched again, none stored twice"
is "$(folder_count Inbox)" 5 "5 messages here"
message n6 > "$SRV/6"
like "$("$POSTIE" fetch 2>&1)" "^a: 1 new" "a new message is recognised as new"

# --- no UIDL, not leaving: deleted once safely here --------------------------
LEAVE=false start_fake --no-uidl
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 0 left on server, 6 deleted on server" \
    "already-here messages are deleted"
is "$(ls "$SRV" | wc -l)" 0 "the server is empty"
is "$(folder_count Inbox)" 6 "6 messages here, once each"

# --- a UID given to two messages ---------------------------------------------
wipe_local
for i in 1 2 3; do message "d$i" > "$SRV/$i"; done
start_fake --uids same,same,uniq
out=$("$POSTIE" fetch 2>&1)
like "$out" "the server gives UID same to more than one message" "duplicate UID warned about"
like "$out" "^a: 3 new" "both messages with the same UID are fetched"
like "$("$POSTIE" fetch 2>&1)" "^a: 0 new" "and not stored twice later"
LEAVE=false start_fake --uids same,same,uniq
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 2 left on server, 1 deleted on server" \
    "only the message with its own UID is deleted"
is "$(ls "$SRV" | wc -l)" 2 "the two that share a UID stay on the server"
is "$(local_ids Inbox | uniq | wc -l)" 3 "3 messages here"

# --- every UID changed -------------------------------------------------------------
# (from records kept by UID: records by content say nothing of UIDs)
wipe_local
start_fake --uids old1,old2
like "$("$POSTIE" fetch 2>&1)" "^a: 2 new" "two messages recorded by UID"
start_fake --uids new1,new2
out=$("$POSTIE" fetch 2>&1)
like "$out" "seems to have changed every UID" "a changed UID set is warned about"
like "$out" "^a: 2 new, 0 headers only, 2 left on server, 0 deleted" \
    "nothing is skipped and nothing deleted"

# --- only messages sharing one UID (popa3d hashes headers) ------------------------
wipe_local
rm -f "$SRV"/*
message p1 > "$SRV/1"; message p2 > "$SRV/2"
start_fake --uids same,same
like "$("$POSTIE" fetch 2>&1)" "^a: 2 new" "both messages sharing a UID are fetched"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 2 left" "the next fetch stores nothing twice"
unlike "$out" "changed every UID" "and does not think every UID changed"
unlike "$("$POSTIE" fetch 2>&1)" "changed every UID" "nor on the fetch after"

# --- two byte-identical messages are two messages ----------------------------------
for opt in --no-uidl "--uids same,same"; do
    wipe_local
    rm -f "$SRV"/*
    message twin > "$SRV/1"; cp "$SRV/1" "$SRV/2"
    start_fake $opt
    like "$("$POSTIE" fetch 2>&1)" "^a: 2 new" "$opt: two identical messages, two new"
    is "$(folder_count Inbox)" 2 "$opt: both stored"
    like "$("$POSTIE" fetch 2>&1)" "^a: 0 new, 0 headers only, 2 left" "$opt: and not again"
    is "$(folder_count Inbox)" 2 "$opt: still two here"
done
LEAVE=false start_fake --no-uidl
like "$("$POSTIE" fetch 2>&1)" "^a: 0 new, 0 headers only, 0 left on server, 2 deleted" \
    "both identical messages deleted once safely here"
is "$(folder_count Inbox)" 2 "two copies here, as there were two on the server"

# --- UTF8 (RFC 6856) asked for before login ---------------------------------------
wipe_local
rm -f "$SRV"/*
printf 'From: J\303\274rgen <j@example.org>\nSubject: Gr\303\274\303\237e\n\nHallo\n' > "$SRV/1"
start_fake --utf8 --log "$TEST_TMP/cmds"
like "$("$POSTIE" fetch 2>&1)" "^a: 1 new" "fetch from a server offering UTF8"
grep -q "^Subject: Gr$(printf '\303\274\303\237')e\$" "$MAIL/Inbox"
ok $? "the raw UTF-8 header arrived as sent"
unlike "$(cat "$MAIL/Inbox")" "Cannot display Unicode" "not replaced by the server's notice"
is "$(grep -n -e '^UTF8$' -e '^USER ' "$TEST_TMP/cmds" | cut -d: -f2 | cut -c1-4 | tr '\n' ' ')" \
    "UTF8 USER " "UTF8 was sent before USER"
done_testing
