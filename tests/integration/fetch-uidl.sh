#!/bin/sh
# Servers that do not give usable UIDs (a scripted server): no UIDL at all,
# a UID given to two messages, every UID changed.  Warnings say so, no mail
# is lost or skipped, nothing is stored twice, and messages that cannot be
# told apart are never deleted.
. "$top_srcdir/tests/integration/fetch-lib.sh"
SRV=$TEST_TMP/srv
mkdir -p "$SRV"
for i in 1 2 3 4 5; do message "n$i" > "$SRV/$i"; done

start_fake() {   # start_fake [fetch-fakepop3.py options]
    [ -n "${fake:-}" ] && { kill "$fake"; wait "$fake" 2>/dev/null; }
    rm -f "$TEST_TMP/port"
    "$PYTHON3" "$top_srcdir/tests/integration/fetch-fakepop3.py" "$SRV" \
        "$TEST_TMP/port" "$@" &
    fake=$!
    TEST_CLEANUP="kill $fake 2>/dev/null; ${TEST_CLEANUP:-}"
    i=0
    while [ ! -s "$TEST_TMP/port" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    new_config
    POP3_HOST=127.0.0.1 POP3S_PORT=$(cat "$TEST_TMP/port") POP3_USER=u \
        POP3_PASSWORD=p CA_FILE= account a pop3_security=none \
        allow_plaintext_password=true ${LEAVE:+leave_on_server=$LEAVE}
}

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
start_fake --uids new1,new2
out=$("$POSTIE" fetch 2>&1)
like "$out" "seems to have changed every UID" "a changed UID set is warned about"
like "$out" "^a: 2 new, 0 headers only, 2 left on server, 0 deleted" \
    "nothing is skipped and nothing deleted"
done_testing
