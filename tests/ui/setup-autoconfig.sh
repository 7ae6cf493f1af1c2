#!/bin/sh
# Provider settings in the first-run form, found as Thunderbird finds
# them: the provider's config-v1.1.xml over HTTPS at autoconfig.DOMAIN,
# then at DOMAIN/.well-known/autoconfig/, then the built-in entries.  A
# local HTTPS server (test CA) stands in for the web sites; what is found
# is shown and used only when the user says yes; a redirect to plain HTTP
# is never followed.
. "$top_srcdir/tests/ui/lib.sh"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

CONFIG="$XDG_CONFIG_HOME/postie/config"
rm -f "$CONFIG"
CERTS="$TEST_TMP/certs"
"$top_srcdir/tests/servers/mkcerts.sh" "$CERTS"
# One certificate for every name the test serves.
(cd "$CERTS" &&
 openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out web.key 2>/dev/null &&
 openssl req -new -key web.key -subj /CN=autoconfig.example.test -out web.csr 2>/dev/null &&
 printf 'subjectAltName=DNS:autoconfig.example.test,DNS:other.test,DNS:autoconfig.other.test,DNS:redirect.test,DNS:autoconfig.redirect.test,DNS:autoconfig.gmail.com,DNS:gmail.com\n' > web.ext &&
 openssl x509 -req -in web.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
     -extfile web.ext -out web.pem 2>/dev/null) || { echo "Bail out! cannot make the certificate"; exit 1; }

WWW="$TEST_TMP/www"
xml() {   # xml POP3HOST PORT SOCKET SMTPHOST PORT SOCKET USER
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="$1">
    <domain>$1</domain>
    <displayName>Provider $1</displayName>
    <incomingServer type="imap"><hostname>imap.$1</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
    <incomingServer type="pop3">
      <hostname>$2</hostname><port>$3</port><socketType>$4</socketType>
      <username>$8</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>$5</hostname><port>$6</port><socketType>$7</socketType>
      <username>$8</username><authentication>password-cleartext</authentication>
    </outgoingServer>
    <documentation url="https://$1/help"><descr lang="en">Use your web mail password</descr></documentation>
  </emailProvider>
</clientConfig>
XML
}
mkdir -p "$WWW/autoconfig.example.test/mail" "$WWW/other.test/.well-known/autoconfig/mail" \
         "$WWW/autoconfig.redirect.test" "$WWW/redirect.test"
xml example.test pop.example.test 995 SSL smtp.example.test 587 STARTTLS '%EMAILLOCALPART%' \
    > "$WWW/autoconfig.example.test/mail/config-v1.1.xml"
xml other.test pop3.other.test 110 STARTTLS mail.other.test 465 SSL '%EMAILADDRESS%' \
    > "$WWW/other.test/.well-known/autoconfig/mail/config-v1.1.xml"
echo 'http://127.0.0.1:1/mail/config-v1.1.xml' > "$WWW/autoconfig.redirect.test/REDIRECT"
echo 'http://127.0.0.1:1/config.xml' > "$WWW/redirect.test/REDIRECT"

setsid "$PYTHON3" "$top_srcdir/tests/servers/httpsd.py" --root "$WWW" \
    --cert "$CERTS/web.pem" --key "$CERTS/web.key" --pidfile "$TEST_TMP/httpsd.pid" \
    </dev/null >"$TEST_TMP/httpsd.log" 2>&1 &
TEST_CLEANUP="kill \$(cut -d' ' -f1 '$TEST_TMP/httpsd.pid' 2>/dev/null) 2>/dev/null; $TEST_CLEANUP"
n=0; while [ ! -f "$TEST_TMP/httpsd.pid" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n+1)); done
[ -f "$TEST_TMP/httpsd.pid" ] || { cat "$TEST_TMP/httpsd.log"; echo "Bail out! httpsd did not start"; exit 1; }
read -r _ PORT < "$TEST_TMP/httpsd.pid"

# The server is the proxy of every HTTPS download (a CONNECT tunnel):
# the certificate is checked against the test CA.
UI_ENV="export https_proxy=http://127.0.0.1:$PORT no_proxy= NO_PROXY= SSL_CERT_FILE='$CERTS/ca.pem'"
field() { screen | grep -E "^ *$1 " ; }

start_postie 120 30
wait_for '^Your name'; type_text 'Pat'; keys Enter
wait_for '^E-mail address'; type_text 'pat@example.test'; keys Enter
wait_for 'Use these settings\?' 30; ok $? "settings found for example.test are offered"
like "$(screen)" 'Settings for Provider example\.test from https://autoconfig\.example\.test/mail/config-v1\.1\.xml\?emailaddress=pat%' \
    "the form says where they came from (autoconfig.DOMAIN over https)"
like "$(screen)" 'POP3 pop\.example\.test port 995 tls, SMTP smtp\.example\.test port 587 starttls, user pat' \
    "and shows them before they are used"
like "$(screen)" 'Use your web mail password' "with the provider's note"
like "$(screen)" 'See https://example\.test/help' "and page"
keys y
wait_for '^POP3 server: pop\.example\.test$'; ok $? "yes: the POP3 server comes from the file"
keys Enter
wait_for '^POP3 security.*: tls$'; ok $? "so does the security"
keys Enter
wait_for '^POP3 port: 995$'; ok $? "and the port"
keys Enter
wait_for '^User name: pat$'; ok $? "and the user name (%EMAILLOCALPART%)"
for q in 'User name' 'Password \(' 'Password command' 'Leave mail' 'Delete from' 'SMTP server' 'SMTP security' 'SMTP port'; do
    wait_for "^$q" && keys Enter
done
# "w: write" is on the form's status line all along: the last question
# going is what shows the answers are in.
wait_not '^SMTP port' && wait_for 'w: write'
like "$(field 11)" 'smtp\.example\.test' "the SMTP server comes from the file"
like "$(field 13)" 'starttls' "with its security"
like "$(field 12)" '587' "and port"

# The well-known place, when autoconfig.DOMAIN has nothing.
keys 2; wait_for '^E-mail address'; tm send-keys -t t C-u; type_text 'pat@other.test'; keys Enter
wait_for 'from https://other\.test/\.well-known/autoconfig/mail/config-v1\.1\.xml' 30
ok $? "without autoconfig.DOMAIN the well-known place is used"
keys y
wait_for '^ *3 POP3 server +pop3\.other\.test'; ok $? "its POP3 server is taken"
# (the rows under field 3 may not be drawn yet: wait for field 13, the
# last one y changes, starttls before)
wait_for '^ *13 SMTP security .* tls$'
like "$(field 4)" ' 110$' "its port"
like "$(field 6)" 'pat@other\.test' "and %EMAILADDRESS% as the user"

# No is no: the usual names.
keys 2; wait_for '^E-mail address'; tm send-keys -t t C-u; type_text 'pat@example.test'; keys Enter
wait_for 'Use these settings\?' 30
# The form under the offer shows the usual names already: the offer
# going is what shows that n was answered.
keys n
wait_not 'Settings for Provider' && wait_for '^ *3 POP3 server +pop\.example\.test'
ok $? "after no, the usual names are used"
unlike "$(screen)" 'Settings for Provider' "and the found settings are no longer shown"

# A redirect to plain http is not followed; nothing found.
keys 2; wait_for '^E-mail address'; tm send-keys -t t C-u; type_text 'pat@redirect.test'; keys Enter
wait_for 'No settings published for redirect\.test' 30; ok $? "a redirect to http is not followed"
grep -q '^autoconfig.redirect.test /mail/config-v1.1.xml?emailaddress=pat%40redirect.test 302' "$WWW/requests.log"
ok $? "the server was asked and answered with the redirect"

# Built-in: the provider publishes nothing (404 here), Gmail is known.
keys 2; wait_for '^E-mail address'; tm send-keys -t t C-u; type_text 'pat@gmail.com'; keys Enter
wait_for 'Settings for Gmail from built-in settings' 30; ok $? "Gmail comes from the built-in entries"
# (the note and the page are drawn under the first line of the offer)
wait_for 'Use these settings\?'
like "$(screen)" 'Gmail needs OAuth 2 or an app password' "with the note about the app password"
like "$(screen)" 'See https://support\.google\.com/accounts/answer/185833' "and Google's page"
# The form under the offer shows pop.gmail.com already: the SMTP port
# (587 before, 465 built in) is what shows that y was answered.
keys y
wait_for '^ *12 SMTP port +465$' && wait_for '^ *3 POP3 server +pop\.gmail\.com'
ok $? "pop.gmail.com is taken"

keys q; wait_for 'Quit without writing'; keys y
wait_for 'EXIT=0'; ok $? "the form ends"
tm kill-server

# At 80x24 the whole offer fits, the provider's page included.
start_postie 80 24
wait_for '^Your name'; type_text 'Pat'; keys Enter
wait_for '^E-mail address'; type_text 'pat@gmail.com'; keys Enter
wait_for 'Use these settings\?' 30
like "$(screen)" 'See https://support\.google\.com/accounts/answer/185833' "at 80x24 the page is shown"
like "$(screen)" 'POP3 pop\.gmail\.com port 995 tls' "and the servers"
keys n
keys Escape; wait_for 'Quit the setup without writing'; keys y
wait_for 'EXIT=0'; ok $? "Esc, yes: the form ends"
done_testing
