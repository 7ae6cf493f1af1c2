#!/bin/sh
# postie send against a real Postfix (tests/servers/postfix.sh), which
# offers PIPELINING, CHUNKING and SIZE: messages go as BDAT chunks over
# STARTTLS and port 465; a connection cut or stalled after an intermediate
# chunk's 250 (tests/servers/faultproxy.py) leaves the message in the
# Outbox; a message over the size limit is refused at MAIL FROM (SIZE=)
# without being uploaded.  Postfix runs only as root: skipped otherwise.
. "$top_srcdir/tests/integration/send-lib.sh"

PF="$TEST_TMP/pf"
PROXY_PIDS=""
TEST_CLEANUP="$TEST_CLEANUP; \"$SERVERS/postfix.sh\" stop \"$PF\"; for p in \$PROXY_PIDS; do kill \$p 2>/dev/null; done"
why=$("$SERVERS/postfix.sh" start "$PF" "$CERTS" 2>&1) || {
    rc=$?
    [ $rc -eq 77 ] && skip_all "${why#postfix.sh: }"
    echo "$why" >&2
    exit 1
}
. "$PF/postfix.env"

# delivered ID: copies of the message with this Message-ID at the server.
delivered() { grep -l "^Message-ID: <$1>" "$PF_OUT"/*.eml 2>/dev/null | wc -l; }
# Wait (bounded) until Postfix delivered N copies of ID or logged WHAT.
wait_delivered() {
    i=0
    while [ "$(delivered "$1")" -lt "$2" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
}
wait_log() {
    i=0
    while ! grep -q "$1" "$PF_LOG" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    grep -q "$1" "$PF_LOG"
}
big() {   # big ID KB
    printf 'From: alice@example.org\nTo: bob@example.net\nSubject: %s\nMessage-ID: <%s>\n\n' "$1" "$1"
    "$PY" -c 'import sys
for i in range(int(sys.argv[1]) * 16): print("line %06d of filler text, 64 bytes long ......" % i)' "$2"
}
pf_account() {   # pf_account PORT SECURITY [more lines]
    new_config
    port=$1 sec=$2; shift 2
    SMTP_PORT=$port account work alice@example.org "smtp_security = $sec" "smtp_auth = none" "$@"
    rm -f "$MAIL/Outbox" "$MAIL/Sent"
}
# start_proxy MODE REGEX: sets PROXY_PORT.  The final BDAT never reaches
# Postfix, so the fault always comes before the message is complete.
start_proxy() {
    "$PY" "$SERVERS/faultproxy.py" --target "127.0.0.1:$PF_PORT" --mode "$1" \
        --match "$2" --hold 'BDAT [0-9]+ LAST' --port-file "$TEST_TMP/proxy.port" > /dev/null 2>&1 &
    PROXY_PIDS="$PROXY_PIDS $!"
    i=0
    while [ ! -s "$TEST_TMP/proxy.port" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    PROXY_PORT=$(cat "$TEST_TMP/proxy.port")
    rm -f "$TEST_TMP/proxy.port"
}

# ---- STARTTLS and port 465: BDAT, delivered once --------------------------
pf_account "$PF_PORT" starttls
big pf-starttls@example.org 300 | "$POSTIE" send >/dev/null 2>&1
is "$?" 0 "STARTTLS: a 300 KB message is sent"
wait_delivered pf-starttls@example.org 1
is "$(delivered pf-starttls@example.org)" 1 "Postfix delivered it once"
wait_log 'bdat=[1-9]'; ok $? "Postfix received it as BDAT chunks"
is "$(count_in Sent)/$(count_in Outbox)" "1/0" "it moved to Sent"

pf_account "$PF_SMTPS_PORT" tls
big pf-smtps@example.org 300 | "$POSTIE" send >/dev/null 2>&1
is "$?" 0 "port 465: a 300 KB message is sent"
wait_delivered pf-smtps@example.org 1
is "$(delivered pf-smtps@example.org)" 1 "Postfix delivered it once"

# ---- cut after the 250 to an intermediate chunk -----------------------------
start_proxy drop-line '^250 2\.0\.0 Ok: [0-9]+ bytes'
pf_account "$PROXY_PORT" none
out=$(big pf-cut@example.org 300 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "a connection cut after an intermediate chunk exits EX_TEMPFAIL"
unlike "$out" "^work: sent" "it is not reported as sent"
is "$(count_in Outbox)/$(count_in Sent)" "1/0" "it stays in the Outbox"
wait_log 'lost connection after BDAT'; ok $? "Postfix lost the connection after BDAT"
is "$(delivered pf-cut@example.org)" 0 "and delivered nothing"

# ---- stalled after the 250 to an intermediate chunk -------------------------
start_proxy stall-line '^250 2\.0\.0 Ok: [0-9]+ bytes'
pf_account "$PROXY_PORT" none "timeout = 3"
out=$(big pf-stall@example.org 300 | timeout 60 "$POSTIE" send 2>&1); rc=$?
is "$rc" 75 "a stall after an intermediate chunk fails within the timeout"
like "$out" "did not answer within 3 seconds" "the reason is the timeout"
is "$(count_in Outbox)/$(count_in Sent)" "1/0" "it stays in the Outbox"

# ---- SIZE: refused before the upload ----------------------------------------
pf_account "$PF_SMALL_PORT" starttls
out=$(big pf-size@example.org 100 | "$POSTIE" send 2>&1); rc=$?
is "$rc" 69 "over Postfix's size limit: EX_UNAVAILABLE"
like "$out" "552" "Postfix's 552 is shown"
grep -q '^X-Postie-Send-Status: permanent' "$MAIL/Outbox"; ok $? "marked permanent"
wait_log 'disconnect from .* mail=0/1'; ok $? "refused at MAIL FROM (SIZE=), before any chunk"
grep 'disconnect from .* mail=0/1' "$PF_LOG" | grep -q 'bdat='; ok $((! $?)) "no BDAT was sent"

done_testing
