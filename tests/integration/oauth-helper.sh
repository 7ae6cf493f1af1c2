#!/bin/sh
# postie oauth login / token against a mock authorization server on
# 127.0.0.1 (tests/servers/oauthmock.py): device-code polling with
# authorization_pending and slow_down, expiry, refresh and rotation, a
# revoked refresh token, the browser flow with PKCE and a loopback
# redirect, HTTP errors, and hostile replies (huge, malformed, deep).
. "$top_srcdir/tests/lib/common.sh"

. "$top_srcdir/tests/integration/oauth-lib.sh"
PY=/usr/bin/python3
start_oauthmock
CONF="$XDG_CONFIG_HOME/postie/config"
STORE="$XDG_STATE_HOME/postie/oauth/work"

config() {
    {
        echo "[account work]"
        echo "address = alice@example.org"
        echo "smtp_host = localhost"
        oauth_keys
        echo "oauth_token_command = postie oauth token work"
        echo "timeout = 20"
        for l in "$@"; do echo "$l"; done
    } > "$CONF"
    chmod 600 "$CONF"
}
requests() { grep -c . "$MOCK/requests.log" 2>/dev/null || echo 0; }
# poll_gaps: seconds between the device-code polls, one per line.
poll_gaps() { "$PY" -c '
import json,sys
t=[json.loads(l)["t"] for l in open(sys.argv[1])
   if json.loads(l)["params"].get("grant_type","").endswith("device_code")]
for a,b in zip(t,t[1:]): print("%.2f" % (b-a))
' "$MOCK/requests.log"; }
ge() { "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$1" "$2"; }
store_key() { sed -n "s/^$1=//p" "$STORE"; }

config

# Device code: pending, slow_down, then approved.
scenario '{"polls": ["pending", "slow_down", "ok"], "interval": 1}'
out=$("$POSTIE" oauth login work 2>&1); rc=$?
is "$rc" 0 "device-code login succeeds after pending and slow_down"
like "$out" "https://login.example/device" "shows the verification address"
like "$out" "ABCD-1234" "shows the user code"
gaps=$(poll_gaps)
is "$(echo "$gaps" | wc -l)" 2 "polled three times"
ge "$(echo "$gaps" | sed -n 1p)" 0.9; ok $? "waited the server's interval between polls"
ge "$(echo "$gaps" | sed -n 2p)" 5.9; ok $? "slow_down made it wait 5 seconds longer"
is "$(stat -c %a "$STORE")" 600 "the token file is private (0600)"
is "$(stat -c %a "$(dirname "$STORE")")" 700 "its directory too (0700)"
is "$(store_key refresh_token)" rt-1 "the refresh token is kept"
grep -q "client_id.*test-client" "$MOCK/requests.log"; ok $? "the configured client id was sent"
grep -q 'POP.AccessAsUser.All https://outlook.office.com/SMTP.Send' "$MOCK/requests.log"
ok $? "the Microsoft preset asks for the POP and SMTP scopes"

# token: the cached access token, no request while it is valid.
n=$(requests)
is "$("$POSTIE" oauth token work)" at-1 "token prints the access token"
is "$(requests)" "$n" "no request while the token is valid"

# Expiry and refresh with rotation: a token within a minute of its end
# is refreshed; the rotated refresh token is kept and works next time.
scenario '{"expires_in": 30, "refresh": "rotate"}'
sed -i 's/^expires_at=.*/expires_at=1/' "$STORE"
t=$("$POSTIE" oauth token work); rc=$?
is "$rc" 0 "an expired token is refreshed"
is "$t" at-2 "and the new one printed"
is "$(store_key refresh_token)" rt-2 "the rotated refresh token replaced the old one"
t=$("$POSTIE" oauth token work)
is "$t" at-3 "a token short of its last minute is refreshed again, with the rotated one"
grep -q '"refresh_token": "rt-2"' "$MOCK/requests.log"; ok $? "the rotated refresh token was used"

# A revoked refresh token: a login failure naming the command that fixes it.
scenario '{"refresh": "revoked"}'
sed -i 's/^expires_at=.*/expires_at=1/' "$STORE"
out=$("$POSTIE" oauth token work 2>&1); rc=$?
is "$rc" 77 "a revoked refresh token exits EX_NOPERM"
like "$out" "invalid_grant" "says what the server said"
like "$out" "to log in again run: postie oauth login work" "names the command that fixes it"
unlike "$out" "$(printf '\033')" "no control characters from the server"

# Hostile and failing servers during refresh.
kept=$(store_key refresh_token)
for mode in huge:'larger than 64 KiB' malformed:'not JSON' nested:'nested too deeply' \
            http500:'HTTP 500' wrongtype:'wrong type' badchars:'characters a token cannot have'; do
    m=${mode%%:*} want=${mode#*:}
    scenario "{\"token\": \"$m\"}"
    out=$("$POSTIE" oauth token work 2>&1); rc=$?
    is "$rc" 76 "$m reply: EX_PROTOCOL"
    like "$out" "$want" "$m reply: says why"
done
is "$(store_key refresh_token)" "$kept" "bad replies left the stored login alone"

# Device code: the server says the code expired; the user refused; the
# code runs out while pending; the device endpoint fails.
for case in 'expired_token:expired_token' 'access_denied:access_denied'; do
    scenario "{\"polls\": [\"pending\", \"${case%%:*}\"], \"interval\": 1}"
    out=$("$POSTIE" oauth login work 2>&1); rc=$?
    is "$rc" 77 "device code ${case%%:*}: EX_NOPERM"
    like "$out" "${case#*:}" "device code ${case%%:*}: says so"
done
scenario '{"polls": ["pending"], "interval": 1, "device_expires_in": 2}'
out=$("$POSTIE" oauth login work 2>&1); rc=$?
is "$rc" 77 "a code that runs out while pending: EX_NOPERM"
like "$out" "the code expired" "says the code expired"
scenario '{"device": "http500"}'
out=$("$POSTIE" oauth login work 2>&1); rc=$?
is "$rc" 76 "the device endpoint fails with an HTML page: EX_PROTOCOL"
like "$out" "HTTP 500" "with the HTTP status"
scenario '{"device": "huge"}'
out=$("$POSTIE" oauth login work 2>&1); rc=$?
is "$rc" 76 "a huge device reply: EX_PROTOCOL"

# Browser flow: PKCE S256 and a loopback redirect; a request without our
# state is ignored.
scenario '{}'
"$POSTIE" oauth login work --browser >"$TEST_TMP/browser.out" 2>&1 &
login_pid=$!
i=0
while ! grep -q "^$URL/authorize" "$TEST_TMP/browser.out" && [ $i -lt 400 ]; do
    sleep 0.05; i=$((i + 1))
done
auth=$(grep "^$URL/authorize" "$TEST_TMP/browser.out")
like "$auth" "code_challenge_method=S256" "the authorize address uses PKCE S256"
like "$auth" "redirect_uri=http%3A%2F%2F127.0.0.1%3A" "with a loopback redirect"
loop=$(printf '%s' "$auth" | sed 's/.*redirect_uri=\([^&]*\).*/\1/' | "$PY" -c 'import sys,urllib.parse; print(urllib.parse.unquote(sys.stdin.read()))')
code=$(curl -s -o /dev/null -w '%{http_code}' "${loop}?code=evil&state=wrong")
is "$code" 404 "a redirect without our state is refused"
page=$(curl -s -L "$auth")
like "$page" "logged in" "the browser sees the login succeed"
wait $login_pid; rc=$?
is "$rc" 0 "browser login succeeds"
grep -q '"code_verifier"' "$MOCK/requests.log"; ok $? "the verifier went with the code (the mock checked it)"
is "$("$POSTIE" oauth token work)" "$(store_key access_token)" "token prints the new access token"

scenario '{"authorize": "deny"}'
"$POSTIE" oauth login work --browser >"$TEST_TMP/deny.out" 2>&1 &
login_pid=$!
i=0
while ! grep -q "^$URL/authorize" "$TEST_TMP/deny.out" && [ $i -lt 400 ]; do
    sleep 0.05; i=$((i + 1))
done
curl -s -L "$(grep "^$URL/authorize" "$TEST_TMP/deny.out")" >/dev/null
wait $login_pid; rc=$?
is "$rc" 77 "a refused browser login: EX_NOPERM"
like "$(cat "$TEST_TMP/deny.out")" "access_denied" "says the login was refused"

# The refresh token handed to the user's secret commands instead of the file.
config "oauth_refresh_token_store_command = sh -c 'cat > $TEST_TMP/secret'" \
       "oauth_refresh_token_command = cat $TEST_TMP/secret"
rm -f "$STORE"
scenario '{"polls": ["ok"], "interval": 1, "refresh": "ok"}'
"$POSTIE" oauth login work >/dev/null 2>&1; rc=$?
is "$rc" 0 "device login with a secret command"
like "$(cat "$TEST_TMP/secret")" "^rt-" "the store command got the refresh token"
is "$(store_key refresh_token)" "" "and the token file does not hold it"
mv "$TEST_TMP/secret" "$TEST_TMP/secret.away"
t=$("$POSTIE" oauth token work); rc=$?
is "$rc" 0 "a valid access token needs no secret command"
mv "$TEST_TMP/secret.away" "$TEST_TMP/secret"
sed -i 's/^expires_at=.*/expires_at=1/' "$STORE"
t=$("$POSTIE" oauth token work); rc=$?
is "$rc" 0 "refresh with the token from oauth_refresh_token_command"
like "$t" "^at-" "prints a new access token"

# A provider that sends no refresh token: the login works and says so.
config
scenario '{"polls": ["ok"], "interval": 1, "refresh_token": false}'
out=$("$POSTIE" oauth login work 2>&1); rc=$?
is "$rc" 0 "a login without a refresh token succeeds"
like "$out" "sent no refresh token" "and warns that it will not last"

# Nothing stored yet.
rm -f "$STORE" "$TEST_TMP/secret"
config
out=$("$POSTIE" oauth token work 2>&1); rc=$?
is "$rc" 77 "no login yet: EX_NOPERM"
like "$out" "postie oauth login work" "says how to log in"

done_testing
