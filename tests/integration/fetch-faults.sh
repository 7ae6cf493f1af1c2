#!/bin/sh
# Connections dropped in the middle of a message (a relay in front of
# Dovecot cuts each of the first connections after some bytes): no partial
# message in any folder, nothing deleted on the server that is not safely
# here, and the next fetch completes with every message exactly once.
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
add_mail --generate 100 --seed 5
cp "$POP3_MAILBOX" "$TEST_TMP/original"
"$PYTHON3" "$top_srcdir/tests/integration/fetch-faultproxy.py" "$POP3_PORT" \
    "$TEST_TMP/proxy-port" 20000,90000,150000 &
proxy=$!
TEST_CLEANUP="kill $proxy 2>/dev/null; ${TEST_CLEANUP:-}"
i=0
while [ ! -s "$TEST_TMP/proxy-port" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
new_config
POP3S_PORT=$(cat "$TEST_TMP/proxy-port") account a pop3_security=none \
    allow_plaintext_password=true leave_on_server=false

for cut in 1 2 3; do
    out=$("$POSTIE" fetch 2>&1); rc=$?
    is "$rc" 1 "connection $cut cut mid-transfer: the fetch fails"
    like "$out" "account a" "and names the account"
    res=$("$PYTHON3" "$top_srcdir/tests/integration/fetch-compare.py" \
          "$TEST_TMP/original" "$MAIL/Inbox" 2>&1)
    like "$res" "^ok [0-9]+$" "connection $cut: every copy here is whole and once"
    is "$(server_count)" 100 "connection $cut: nothing deleted on the server"
done
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "the next fetch works"
like "$out" "0 left on server, 100 deleted on server" "and deletes all 100"
res=$("$PYTHON3" "$top_srcdir/tests/integration/fetch-compare.py" \
      "$TEST_TMP/original" "$MAIL/Inbox" 2>&1)
is "$res" "ok 100" "all 100 messages here, whole, exactly once"
is "$(server_count)" 0 "the server is empty"
done_testing
