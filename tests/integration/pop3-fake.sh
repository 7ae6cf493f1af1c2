#!/bin/sh
# The POP3 client against scripted misbehaving servers (see
# test-pop3-fake.c); this wrapper only makes the test certificates.
. "$top_srcdir/tests/lib/common.sh"
CERT_DIR=$TEST_TMP/certs
if sh "$top_srcdir/tests/servers/mkcerts.sh" "$CERT_DIR" >/dev/null 2>&1; then
    export CERT_DIR
fi
"$top_builddir/tests/integration/test-pop3-fake"
