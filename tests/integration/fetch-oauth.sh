#!/bin/sh
# Fetching from a real Dovecot with an OAuth token end to end: postie
# oauth login against the mock authorization server, then postie fetch
# with oauth_token_command = postie oauth token (Dovecot 2.3 takes the
# token as the password, see tests/servers/README).  An expired or revoked
# login and a refused token are login failures that name the command that
# fixes them, on the command line and on the screen.
. "$top_srcdir/tests/integration/fetch-lib.sh"
. "$top_srcdir/tests/integration/oauth-lib.sh"
. "$top_srcdir/tests/ui/lib.sh"

start_dovecot
add_mail --generate 3
start_oauthmock
STORE="$XDG_STATE_HOME/postie/oauth/work"

new_config
account work "oauth_token_command=$POSTIE oauth token work"
oauth_keys >> "$CONFIG"

scenario "{\"polls\": [\"ok\"], \"interval\": 1, \"access_token\": \"$POP3_PASSWORD\"}"
"$POSTIE" oauth login work >/dev/null 2>&1; rc=$?
is "$rc" 0 "oauth login against the mock server"
# The password in the config must not be what logs in: make it wrong.
sed -i 's/^password = .*/password = not-the-password/' "$CONFIG"
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "fetch logs in with the token (pop3_auth = auto)"
is "$(folder_count Inbox)" 3 "and gets the mail"
grep -q 'method=XOAUTH2' "$DOVECOT_LOG"; ok $? "Dovecot saw an XOAUTH2 login"

# The refresh token was revoked: a login failure naming the fix.
sed -i 's/^expires_at=.*/expires_at=1/' "$STORE"
scenario '{"refresh": "revoked"}'
add_mail --generate 1
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "fetch with a revoked login fails"
like "$out" "cannot log in \\(to log in again run: postie oauth login work\\)" \
     "and names the command that fixes it"
is "$(folder_count Inbox)" 3 "nothing new was fetched"

# The server refuses the (expired) access token itself.
sed -i -e 's/^access_token=.*/access_token=expired-token/' \
       -e "s/^expires_at=.*/expires_at=$(( $(date +%s) + 3600 ))/" "$STORE"
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "fetch with a refused token fails"
like "$out" "the OAuth token was refused \\(to log in again run: postie oauth login work\\)" \
     "and says so with the command that fixes it"

# The same on the screen.
start_postie 200 30
wait_for 'Inbox'; ok $? "the screen starts"
keys G
wait_for 'work: fetch failed: .*postie oauth login work'
ok $? "the screen shows the refused token as a login failure with the fix"
keys q
wait_for 'EXIT=0'; ok $? "the screen quits"

# After a new login, fetching works again.
scenario "{\"polls\": [\"ok\"], \"interval\": 1, \"access_token\": \"$POP3_PASSWORD\"}"
"$POSTIE" oauth login work >/dev/null 2>&1; rc=$?
is "$rc" 0 "log in again"
"$POSTIE" fetch >/dev/null 2>&1; rc=$?
is "$rc" 0 "fetch works again"
is "$(folder_count Inbox)" 4 "and gets the new message"

done_testing
