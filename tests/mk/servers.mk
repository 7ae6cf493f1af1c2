# Tests for servers: the test servers in tests/servers/ (used by the
# fetch, send and screen tests and by contrib/demo).
EXTRA_DIST += tests/servers/README tests/servers/mkcerts.sh \
	tests/servers/dovecot.sh tests/servers/smtpd.sh tests/servers/smtpd.py \
	tests/servers/mboxadd.py tests/servers/netutil.py \
	tests/servers/serverenv.py
