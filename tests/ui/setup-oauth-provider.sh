#!/bin/sh
# First run for providers whose autoconfig file says OAuth 2 only.
#
# oauth.test names Microsoft's issuer (<oAuth2><issuer>): the form maps
# it to the "microsoft" preset, asks for the client id and runs the
# device login against the preset's own endpoints, which the proxy
# (httpsd.py, every HTTPS request of postie goes through it) hands to the
# mock authorization server over TLS under the test CA.  The token it
# issues is what Dovecot takes, so the POP3 check then logs in with
# XOAUTH2.
#
# nopreset.test names an issuer postie has no preset for: the form says
# so, says what to do, and asks no password that cannot work.
. "$top_srcdir/tests/ui/lib.sh"
need_dovecot
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

CONFIG="$XDG_CONFIG_HOME/postie/config"
rm -f "$CONFIG"
CERTS="$TEST_TMP/certs"
"$SERVERS/mkcerts.sh" "$CERTS"
(cd "$CERTS" &&
 openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out web.key 2>/dev/null &&
 openssl req -new -key web.key -subj /CN=autoconfig.oauth.test -out web.csr 2>/dev/null &&
 printf 'subjectAltName=DNS:autoconfig.oauth.test,DNS:autoconfig.nopreset.test,DNS:login.microsoftonline.com\n' > web.ext &&
 openssl x509 -req -in web.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
     -extfile web.ext -out web.pem 2>/dev/null) || { echo "Bail out! cannot make the certificate"; exit 1; }

# Dovecot with a certificate from the same CA (POP3S on localhost).
"$SERVERS/dovecot.sh" start "$TEST_TMP/dc" --certs "$CERTS" >/dev/null ||
    { echo "Bail out! cannot start Dovecot"; exit 1; }
TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; $TEST_CLEANUP"
. "$TEST_TMP/dc/dovecot.env"
"$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" --generate 2 >/dev/null
hold_closed_port

# The authorization server, over TLS; the device code is pending until
# the test has seen it on the screen.
MOCK="$TEST_TMP/mock"
mkdir -p "$MOCK"
printf '{"polls": ["pending"], "interval": 1}\n' > "$MOCK/scenario.json"
"$PYTHON3" "$SERVERS/oauthmock.py" --dir "$MOCK" --cert "$CERTS/web.pem" \
    --key "$CERTS/web.key" </dev/null >"$MOCK/log" 2>&1 &
TEST_CLEANUP="kill $! 2>/dev/null; $TEST_CLEANUP"
wait_until 30 test -f "$MOCK/port" || { echo "Bail out! the mock authorization server did not start"; exit 1; }

WWW="$TEST_TMP/www"
xml() {   # xml DOMAIN ISSUER
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="$1">
    <domain>$1</domain>
    <displayName>Provider $1</displayName>
    <incomingServer type="pop3">
      <hostname>localhost</hostname><port>$POP3S_PORT</port><socketType>SSL</socketType>
      <username>$POP3_USER</username><authentication>OAuth2</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>localhost</hostname><port>$CLOSED_PORT</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username><authentication>OAuth2</authentication>
    </outgoingServer>
  </emailProvider>
  <oAuth2>
    <issuer>$2</issuer>
    <scope>mail</scope>
    <tokenURL>https://elsewhere.example/token</tokenURL>
  </oAuth2>
</clientConfig>
XML
}
mkdir -p "$WWW/autoconfig.oauth.test/mail" "$WWW/autoconfig.nopreset.test/mail"
xml oauth.test login.microsoftonline.com > "$WWW/autoconfig.oauth.test/mail/config-v1.1.xml"
xml nopreset.test login.example.net > "$WWW/autoconfig.nopreset.test/mail/config-v1.1.xml"
setsid "$PYTHON3" "$SERVERS/httpsd.py" --root "$WWW" \
    --cert "$CERTS/web.pem" --key "$CERTS/web.key" --pidfile "$TEST_TMP/httpsd.pid" \
    --forward "login.microsoftonline.com=$(cat "$MOCK/port")" \
    </dev/null >"$TEST_TMP/httpsd.log" 2>&1 &
TEST_CLEANUP="kill \$(cut -d' ' -f1 '$TEST_TMP/httpsd.pid' 2>/dev/null) 2>/dev/null; $TEST_CLEANUP"
wait_until 30 test -f "$TEST_TMP/httpsd.pid" || { cat "$TEST_TMP/httpsd.log"; echo "Bail out! httpsd did not start"; exit 1; }
read -r _ PORT < "$TEST_TMP/httpsd.pid"

UI_ENV="export https_proxy=http://127.0.0.1:$PORT no_proxy= NO_PROXY= SSL_CERT_FILE='$CERTS/ca.pem'"

enter_all() {   # keep every proposed answer from PROMPT-REGEX... on
    for q in "$@"; do
        wait_for "^$q" || return 1
        keys Enter
    done
}

# ---- a provider with an OAuth preset, end to end -------------------------
start_postie 120 30
wait_for '^Your name'; type_text 'Pat'; keys Enter
wait_for '^E-mail address'; type_text 'pat@oauth.test'; keys Enter
wait_for 'Use these settings\?' 30; ok $? "the provider's settings are offered"
like "$(screen)" 'Provider oauth\.test requires OAuth 2: postie sets up the login \(Outlook\.com' \
    "the form says the provider needs OAuth 2 and which login postie will use"
keys y
enter_all 'POP3 server' 'POP3 security' 'POP3 port' 'User name'
wait_for '^Password \(or leave empty\)'
like "$(screen)" 'OAuth 2 only: leave this empty; the OAuth login is set up after writing' \
    "the password prompt says a password is not needed"
keys Enter
enter_all 'Password command' 'Leave mail' 'Delete from' 'SMTP server' 'SMTP security' 'SMTP port'
wait_for 'w: write' && keys w
wait_for 'log in with OAuth 2 instead of a password\?'; ok $? "OAuth is offered"
keys y
wait_for '^OAuth client id'; type_text 'test-client'; keys Enter
wait_for 'Log in at the provider now\?' && keys y
wait_for 'enter the code ABCD-1234' 60; ok $? "the device login shows the provider's code"
grep -q '"url_path": "/consumers/oauth2/v2.0/devicecode".*"client_id": "test-client"' "$MOCK/requests.log"
ok $? "the login went to the preset's device endpoint with the client id"
# The user has entered the code: the next poll gets the tokens.
printf '{"polls": ["ok"], "interval": 1, "access_token": "%s"}\n' "$POP3_PASSWORD" > "$MOCK/scenario.json"
wait_for 'Test the POP3 and SMTP logins now\?' 60; ok $? "the login ends"
grep -q '"url_path": "/consumers/oauth2/v2.0/token".*device_code' "$MOCK/requests.log"
ok $? "the token came from the preset's token endpoint"
keys y
wait_for 'POP3 login works \(2 messages on the server\)' 60; ok $? "the POP3 check logs in with the token"
grep -q 'method=XOAUTH2' "$DOVECOT_LOG"; ok $? "Dovecot saw an XOAUTH2 login"
wait_for 'Press Enter to open your mail' && keys Enter
wait_for 'postie: Inbox'; ok $? "then the mail screen opens"
keys q
wait_for 'EXIT=0'
cfg=$(cat "$CONFIG")
like "$cfg" '^oauth_provider=microsoft$' "the preset is written"
like "$cfg" '^oauth_client_id=test-client$' "with the client id"
like "$cfg" '^oauth_token_command=.* oauth token oauth$' "and the token command"
unlike "$cfg" 'elsewhere\.example' "no endpoint is taken from the fetched file"
tm kill-server

# ---- OAuth 2 only, no preset: say so, ask no password in vain -----------
rm -f "$CONFIG"
start_postie 80 24
wait_for '^Your name'; type_text 'Pat'; keys Enter
wait_for '^E-mail address'; type_text 'pat@nopreset.test'; keys Enter
wait_for 'Use these settings\?' 30
like "$(screen)" 'nopreset\.test requires OAuth 2; postie has no OAuth settings for it' \
    "a provider without a preset: the form says postie cannot log in there yet"
like "$(screen)" 'See postie-oauth\(1\) to set them, then: postie oauth login nopreset' "and what to do"
keys y
enter_all 'POP3 server' 'POP3 security' 'POP3 port' 'User name'
wait_for '^Password \(or leave empty\)'
like "$(screen)" 'A password will not work here \(OAuth 2 only\): see postie-oauth\(1\)' \
    "the password prompt says a password will not do"
keys Enter
enter_all 'Password command' 'Leave mail' 'Delete from' 'SMTP server' 'SMTP security' 'SMTP port'
wait_for 'w: write' && keys w
wait_for 'The account needs OAuth 2 settings before it can log in'; ok $? "after writing it says the account needs OAuth settings"
like "$(screen)" 'postie oauth login nopreset' "with what to do still shown"
unlike "$(screen)" 'Test the POP3' "and offers no login test that can only fail"
keys Enter
wait_for 'postie: Inbox'; ok $? "then the mail screen opens"
keys q
wait_for 'EXIT=0'; ok $? "postie ends"
done_testing
