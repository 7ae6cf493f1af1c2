#!/bin/sh
# SMTP login with an OAuth token: postie's relay does XOAUTH2 and
# OAUTHBEARER itself, before libesmtp gets the session, so a token of any
# length goes (Microsoft 365's run to 3 KB; libesmtp 1.1 stopped at 1533
# bytes).  The server checks the exact client strings and answers a wrong
# token with RFC 7628's JSON error challenge.
. "$top_srcdir/tests/integration/send-lib.sh"

TOKEN="ya29.a0-test_TOKEN.1234567890"
printf '%s\n' "$TOKEN" > "$TEST_TMP/token"

# oauth_account NAME [extra lines]: an account with a token, no password.
oauth_account() {
    n=$1; shift
    {
        echo "[account $n]"
        echo "address = alice@example.org"
        echo "smtp_host = localhost"
        echo "smtp_port = $SMTP_PORT"
        echo "smtp_user = alice"
        echo "smtp_ca_file = $CERTS/ca.pem"
        echo "oauth_token_command = cat $TEST_TMP/token"
        echo "timeout = 20"
        for l in "$@"; do echo "$l"; done
    } >> "$CONF"
    chmod 600 "$CONF"
}

msg() { printf 'From: alice@example.org\nTo: bob@example.net\nSubject: %s\n\nbody\n' "$1"; }


b64() { printf "$1" | base64 -w0; }



# XOAUTH2 with the exact client string.
start_smtp x --oauth-token "$TOKEN" --oauth-only --auth-required
new_config
oauth_account work "smtp_auth = xoauth2"
msg one | "$POSTIE" send >"$TEST_TMP/out" 2>&1; rc=$?
is "$rc" 0 "sent with XOAUTH2"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" XOAUTH2 "the server saw XOAUTH2"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["tls"]')" True "inside TLS"
want=$(b64 "user=alice\001auth=Bearer $TOKEN\001\001")
is "$(all_lines | grep '^AUTH XOAUTH2')" "AUTH XOAUTH2 $want" "the exact XOAUTH2 initial response"
# The server lists OAUTHBEARER first; the relay shows libesmtp only
# XOAUTH2 (smtp_auth), so the other one is never tried.
is "$(all_lines | grep -c '^AUTH OAUTHBEARER')" 0 \
   "the mechanism not chosen was never tried"
is "$(all_lines | grep -c '^AUTH')" 1 "one login"
is "$(plain_lines | grep -c '^AUTH')" 0 "no AUTH before STARTTLS"
stop_smtp x

# A token too long for the 512-octet AUTH line (Microsoft 365 tokens run
# to 2000 bytes): "AUTH XOAUTH2" alone, the response after the empty 334.
LONG=$("$PY" -c 'print("eyJ" + "x" * 900)')
start_smtp long --oauth-token "$LONG" --oauth-only --auth-required
new_config
oauth_account work "smtp_auth = xoauth2"
printf '%s\n' "$LONG" > "$TEST_TMP/token"
msg long | "$POSTIE" send >"$TEST_TMP/out" 2>&1; rc=$?
is "$rc" 0 "a 900-byte token is sent"
want=$(b64 "user=alice\001auth=Bearer $LONG\001\001")
is "$(all_lines | grep -A1 '^AUTH XOAUTH2' | tr '\n' ' ')" "AUTH XOAUTH2 $want " \
   "after AUTH XOAUTH2 alone, on its own line"
stop_smtp long

# A 3,000-byte token (a Microsoft 365 JWT), by XOAUTH2 and by OAUTHBEARER:
# "AUTH MECH" alone, the response after the empty 334, and delivered.
HUGE=$("$PY" -c 'print("eyJ0eXAiOiJKV1QifQ." + "x" * 2980)')
printf '%s\n' "$HUGE" > "$TEST_TMP/token"
for mech in xoauth2 oauthbearer; do
    MECH=$(echo $mech | tr a-z A-Z)
    start_smtp "huge-$mech" --oauth-token "$HUGE" --oauth-only --auth-required
    new_config
    oauth_account work "smtp_auth = $mech"
    out=$(msg "huge $mech" | "$POSTIE" send 2>&1); rc=$?
    is "$rc" 0 "$mech: a 3,000-byte token is sent"
    [ "$rc" -eq 0 ] || diag "$out"
    is "$(captured)" 1 "$mech: the message was delivered"
    is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" "$MECH" "$mech: logged in by $MECH"
    if [ $mech = xoauth2 ]; then
        want=$(b64 "user=alice\001auth=Bearer $HUGE\001\001")
    else
        want=$(b64 "n,a=alice,\001host=localhost\001port=$SMTP_PORT\001auth=Bearer $HUGE\001\001")
    fi
    is "$(all_lines | grep -A1 "^AUTH $MECH" | tr '\n' ' ')" "AUTH $MECH $want " \
       "$mech: the whole response, on its own line after AUTH $MECH"
    is "$(events oauth | grep -c '"ok": true')" 1 "$mech: the server checked the token"
    stop_smtp "huge-$mech"
done

# A wrong long token: the server's words and its JSON status, nothing sent.
start_smtp hugebad --oauth-token "other-token" --oauth-only --auth-required
new_config
oauth_account work "smtp_auth = xoauth2"
out=$(msg hugebad | "$POSTIE" send 2>&1); rc=$?
is "$rc" 77 "a refused 3,000-byte token exits EX_NOPERM"
like "$out" "localhost: login with the OAuth token failed .* — the server said: 535 5.7.8 Username and Password not accepted [(]OAuth status: invalid_token[)]" \
     "says where, the server's reply and the JSON status"
is "$(captured)" 0 "nothing was accepted"
is "$(count_in Outbox)" 1 "the message stays in the Outbox"
grep -q '^X-Postie-Send-Error: .*535 5.7.8' "$MAIL/Outbox"; ok $? "with the reason recorded"
stop_smtp hugebad
printf '%s\n' "$TOKEN" > "$TEST_TMP/token"

# OAUTHBEARER with the exact client string (RFC 7628).
start_smtp ob --oauth-token "$TOKEN" --oauth-only --auth-required
new_config
oauth_account work "smtp_auth = oauthbearer"
msg two | "$POSTIE" send >"$TEST_TMP/out" 2>&1; rc=$?
is "$rc" 0 "sent with OAUTHBEARER"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" OAUTHBEARER "the server saw OAUTHBEARER"
want=$(b64 "n,a=alice,\001host=localhost\001port=$SMTP_PORT\001auth=Bearer $TOKEN\001\001")
is "$(all_lines | grep '^AUTH')" "AUTH OAUTHBEARER $want" "the exact OAUTHBEARER initial response"
stop_smtp ob

# auto with oauth_token_command: the token, never a password mechanism,
# even when the server lists LOGIN and PLAIN first.
start_smtp auto --oauth-token "$TOKEN" --auth-required
new_config
oauth_account work
msg three | "$POSTIE" send >"$TEST_TMP/out" 2>&1; rc=$?
is "$rc" 0 "auto picks OAuth when oauth_token_command is set"
mech=$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')
case $mech in XOAUTH2|OAUTHBEARER) r=0 ;; *) r=1 ;; esac
ok $r "the login used a token mechanism ($mech)"
is "$(events oauth | grep -c '"ok": true')" 1 "one token login, accepted"
is "$(all_lines | grep -c '^AUTH PLAIN\|^AUTH LOGIN [^ ]')" 0 "no password was offered"
stop_smtp auto

# auto with a token, and the server offers only password mechanisms:
# postie says which it wanted and tries none.
start_smtp nooauth --auth-required
new_config
oauth_account work
out=$(msg nooauth | "$POSTIE" send 2>&1); rc=$?
is "$rc" 69 "no token mechanism offered: EX_UNAVAILABLE"
like "$out" "does not offer the login method XOAUTH2 / OAUTHBEARER" "says which login it wanted"
is "$(all_lines | grep -c '^AUTH')" 0 "no password mechanism was tried"
is "$(captured)" 0 "nothing was sent"
stop_smtp nooauth

# A password account and a server that lists OAUTHBEARER first: the
# password goes by PLAIN, once, and no token mechanism is started.
start_smtp pw --oauth-token "$TOKEN" --no-login --auth-required
new_config
account work alice@example.org
msg pw | "$POSTIE" send >"$TEST_TMP/out" 2>&1; rc=$?
is "$rc" 0 "a password account logs in with the password"
is "$(json "$SMTP_OUTDIR/1.json" 'j["auth"]["mechanism"]')" PLAIN "by PLAIN"
is "$(all_lines | grep -c '^AUTH')" 1 "one AUTH"
is "$(all_lines | grep -c '^AUTH OAUTHBEARER')" 0 "OAUTHBEARER, listed first, was not started"
is "$(events oauth | grep -c .)" 0 "no token login was attempted"
stop_smtp pw

# A refused token: the 334 error challenge, the right answer, then a login
# failure that says how to log in again; nothing sent.
for mech in xoauth2 oauthbearer; do
    start_smtp "bad-$mech" --oauth-token "other-token" --oauth-only --auth-required
    new_config
    oauth_account work "smtp_auth = $mech"
    out=$(msg four | "$POSTIE" send 2>&1); rc=$?
    is "$rc" 77 "$mech: a refused token exits EX_NOPERM"
    like "$out" "localhost: login with the OAuth token failed" "$mech: reported as a login failure"
    like "$out" "the server said: 535 5.7.8 Username and Password not accepted [(]OAuth status: invalid_token[)]" \
         "$mech: with the server's reply and the status of its JSON error"
    like "$out" "postie oauth login work" "$mech: names the command that fixes it"
    if [ $mech = xoauth2 ]; then want='""'; else want='"\u0001"'; fi
    is "$(events oauth-error-answer | "$PY" -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())["answer"]))')" \
       "$want" "$mech: the error challenge was answered as the mechanism says"
    is "$(all_lines | grep -c '^MAIL')" 0 "$mech: no MAIL FROM after the refused token"
    is "$(all_lines | grep -ic "^AUTH $mech")" 1 "$mech: one login attempt"
    is "$(all_lines | grep -c '^AUTH')" 1 "$mech: no other mechanism tried after it"
    is "$(captured)" 0 "$mech: nothing was accepted"
    stop_smtp "bad-$mech"
done

# The setup's SMTP check (send_test_account) logs in with the token as a
# send would, then QUITs: no MAIL.  A refused token is a failed login
# with the server's words, and the session still ends with QUIT.
PROBE=$top_builddir/tests/integration/send-probe-helper
verbs() { all_lines | grep -oE '^(EHLO|STARTTLS|AUTH [A-Z0-9]+|MAIL|RCPT|DATA|QUIT)' | tr '\n' ' '; }
for mech in xoauth2 oauthbearer; do
    MECH=$(echo $mech | tr a-z A-Z)
    start_smtp "probe-$mech" --oauth-token "$TOKEN" --oauth-only --auth-required
    new_config
    oauth_account work "smtp_auth = $mech"
    out=$("$PROBE" work 2>&1); rc=$?
    is "$rc" 0 "check $mech: the SMTP check passes"
    [ "$rc" -eq 0 ] || diag "$out"
    is "$(verbs)" "EHLO STARTTLS EHLO AUTH $MECH QUIT " \
       "check $mech: EHLO, STARTTLS, EHLO, AUTH $MECH, QUIT and no MAIL"
    like "$(events oauth)" '"ok": true' "check $mech: the server accepted the token"
    stop_smtp "probe-$mech"

    start_smtp "probe-bad-$mech" --oauth-token "other-token" --oauth-only --auth-required
    new_config
    oauth_account work "smtp_auth = $mech"
    out=$("$PROBE" work 2>&1); rc=$?
    is "$rc" 1 "check $mech: a refused token fails the check"
    like "$out" "localhost: login with the OAuth token failed .*postie oauth login work.* — the server said: 535 " \
         "check $mech: a failed login, how to fix it, and the server's words"
    if [ $mech = xoauth2 ]; then want='""'; else want='"\u0001"'; fi
    is "$(events oauth-error-answer | "$PY" -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())["answer"]))')" \
       "$want" "check $mech: the error challenge was answered as the mechanism says"
    is "$(verbs)" "EHLO STARTTLS EHLO AUTH $MECH QUIT " "check $mech: then QUIT"
    stop_smtp "probe-bad-$mech"
done

# The check with a 3,000-byte token: the same login as a send.
printf '%s\n' "$HUGE" > "$TEST_TMP/token"
for mech in xoauth2 oauthbearer; do
    MECH=$(echo $mech | tr a-z A-Z)
    start_smtp "probe-huge-$mech" --oauth-token "$HUGE" --oauth-only --auth-required
    new_config
    oauth_account work "smtp_auth = $mech"
    out=$("$PROBE" work 2>&1); rc=$?
    is "$rc" 0 "check $mech: passes with a 3,000-byte token"
    [ "$rc" -eq 0 ] || diag "$out"
    is "$(verbs)" "EHLO STARTTLS EHLO AUTH $MECH QUIT " "check $mech: long token, then QUIT"
    like "$(events oauth)" '"ok": true' "check $mech: the server accepted the long token"
    stop_smtp "probe-huge-$mech"
done
printf '%s\n' "$TOKEN" > "$TEST_TMP/token"

# The token command fails (e.g. a revoked grant): a login failure too.
start_smtp cmdfail --oauth-token "$TOKEN" --oauth-only --auth-required
new_config
oauth_account work "smtp_auth = xoauth2"
sed -i "s|^oauth_token_command = .*|oauth_token_command = sh -c 'echo revoked >\&2; exit 1'|" "$CONF"
out=$(msg five | "$POSTIE" send 2>&1); rc=$?
is "$rc" 77 "a failing token command exits EX_NOPERM"
like "$out" "postie oauth login work" "and names the command that fixes it"

stop_smtp cmdfail
done_testing
