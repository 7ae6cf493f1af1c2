#!/bin/sh
# The first-run login test meets a certificate the system does not
# trust: the form shows the server's SHA-256 fingerprint (the one the
# server really has) and lets the user trust exactly that certificate
# (tls_fingerprint) or name a CA file (ca_file); the test then passes.
. "$top_srcdir/tests/ui/lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    skip_all "Dovecot is not installed (contrib/install-deps)"

SERVERS=$top_srcdir/tests/servers
CONFIG="$XDG_CONFIG_HOME/postie/config"
hold_closed_port
closed=$CLOSED_PORT
UI_ENV="export https_proxy=http://127.0.0.1:$closed no_proxy= NO_PROXY="

# run NAME CERT KEY...: the form against a Dovecot with certificate CERT,
# answering the certificate question with KEY...
run() {
    name=$1 cert=$2
    shift 2
    "$SERVERS/dovecot.sh" start "$TEST_TMP/$name" --cert "$cert" >/dev/null ||
        { echo "Bail out! cannot start Dovecot"; exit 1; }
    TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/$name\"; $TEST_CLEANUP"
    . "$TEST_TMP/$name/dovecot.env"
    rm -f "$CONFIG"
    start_postie 120 30
    for qa in "Your name=Pat" "E-mail address=pat@example.org" "POP3 server=$POP3_HOST" \
              "POP3 security=tls" "POP3 port=$POP3S_PORT" "User name=$POP3_USER" \
              "Password \\(=$POP3_PASSWORD" "Password command=" "Leave mail=yes" "Delete from=0" \
              "SMTP server=localhost" "SMTP security=starttls" "SMTP port=$closed"; do
        wait_for "^${qa%%=*}" || return 1
        tm send-keys -t t C-u
        [ -n "${qa#*=}" ] && type_text "${qa#*=}"
        keys Enter
    done
    wait_for 'w: write' || return 1
    keys w
    wait_for 'Test the POP3 and SMTP logins now' || return 1
    keys y
}

want_fp() {   # the SHA-256 fingerprint of a PEM file, as postie shows it
    openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//' | tr 'A-F' 'a-f'
}

# A self-signed certificate: trust exactly it.
run self selfsigned
wait_for 'Certificate of localhost, SHA-256 fingerprint:' 60; ok $? "the untrusted certificate's fingerprint is shown"
# (the fingerprint rows and the question under that line come after it)
wait_for '\(t\)rust this certificate'
fp=$(want_fp "$CERT_DIR/selfsigned.pem")
# (shown on two rows; joined here)
like "$(screen | tr -d '\n')" "fingerprint:$fp" "it is the server's real fingerprint"
like "$(screen | tail -1)" '\(t\)rust this certificate.*\(c\)A file' "trusting it or a CA file is offered"
keys t
wait_for 'POP3 login works' 60; ok $? "trusting the certificate makes the login work"
like "$(cat "$CONFIG")" "tls_fingerprint=$fp" "the fingerprint is in the configuration"
keys Enter
wait_for 'postie: Inbox'; keys q; wait_for 'EXIT=0'
tm kill-server

# A certificate from a CA the system does not know: name the CA file.
run ca good
wait_for 'Certificate of localhost, SHA-256 fingerprint:' 60; ok $? "a certificate from an unknown CA is asked about too"
keys c
wait_for 'CA file'; type_text "$CA_FILE"; keys Enter
wait_for 'POP3 login works' 60; ok $? "with the CA file the login works"
like "$(cat "$CONFIG")" "ca_file=$CA_FILE" "the CA file is in the configuration"
"$POSTIE" --config "$CONFIG" config check >/dev/null 2>&1; ok $? "the configuration passes config check"
keys Enter
wait_for 'postie: Inbox'; keys q; wait_for 'EXIT=0'; ok $? "the screen opens and quits"
tm kill-server

# The SMTP server's certificate is self-signed: asked about as well.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { done_testing; exit 0; }
SMTP_CERTS=$CERT_DIR
"$SERVERS/smtpd.sh" start "$TEST_TMP/smtp" --cert selfsigned --certs "$SMTP_CERTS" \
    --user "$POP3_USER" --password "$POP3_PASSWORD" >/dev/null ||
    { echo "Bail out! cannot start the SMTP server"; exit 1; }
TEST_CLEANUP="\"$SERVERS/smtpd.sh\" stop \"$TEST_TMP/smtp\"; $TEST_CLEANUP"
. "$TEST_TMP/smtp/smtpd.env"
closed=$SMTP_PORT
run both good
wait_for 'Certificate of localhost, SHA-256 fingerprint:' 60
keys c; wait_for 'CA file'; type_text "$CA_FILE"; keys Enter
wait_for 'Certificate of the SMTP server localhost, SHA-256 fingerprint:' 60
ok $? "the SMTP server's untrusted certificate is asked about"
wait_for '\(t\)rust this certificate'   # drawn after the fingerprint rows
like "$(screen | tr -d '\n')" "fingerprint:$(want_fp "$SMTP_CERTS/selfsigned.pem")" "with its real fingerprint"
keys t
wait_for 'SMTP login works' 60; ok $? "trusting it makes the SMTP login work"
like "$(screen)" 'POP3 login works' "and the POP3 login still works"
like "$(cat "$CONFIG")" "smtp_tls_fingerprint=$(want_fp "$SMTP_CERTS/selfsigned.pem")" \
    "the SMTP fingerprint is in the configuration"
keys Enter
wait_for 'postie: Inbox'; keys q; wait_for 'EXIT=0'
done_testing
