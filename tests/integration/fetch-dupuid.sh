#!/bin/sh
# A real Dovecot that hands out the same UID twice (pop3_reuse_xuidl takes
# UIDs from X-UIDL headers, as after a migration): both messages are
# fetched, neither is stored twice later, neither is deleted on the server.
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
"$SERVERS/dovecot.sh" stop "$DOVECOT_DIR" >/dev/null
echo "pop3_reuse_xuidl = yes" >> "$DOVECOT_CONF"
"${DOVECOT:-dovecot}" -c "$DOVECOT_CONF" || { echo "Bail out! cannot restart Dovecot"; exit 1; }
message x1 "X-UIDL: same" > "$TEST_TMP/1"
message x2 "X-UIDL: same" > "$TEST_TMP/2"
message x3 "X-UIDL: other" > "$TEST_TMP/3"
add_mail "$TEST_TMP/1" "$TEST_TMP/2" "$TEST_TMP/3"

new_config
account a leave_on_server=false
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "fetch works"
like "$out" "gives UID same to more than one message" "the duplicate UID is reported"
like "$out" "^a: 3 new, 0 headers only, 2 left on server, 1 deleted on server" \
    "all three fetched; only the one with its own UID deleted"
is "$(local_ids Inbox | tr '\n' ' ')" \
    "Message-ID: <x1@test> Message-ID: <x2@test> Message-ID: <x3@test> " "each here once"
out=$("$POSTIE" fetch 2>&1)
like "$out" "^a: 0 new, 0 headers only, 2 left on server, 0 deleted" "not stored twice later"
is "$(folder_count Inbox)" 3 "still 3 here"
done_testing
