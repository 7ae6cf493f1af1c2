# Tests for servers: the test servers in tests/servers/ (used by the
# fetch, send and screen tests and by contrib/demo).  See
# tests/servers/README.
servers_scripts = tests/servers/mkcerts.sh tests/servers/dovecot.sh \
	tests/servers/smtpd.sh tests/servers/smtpd.py tests/servers/chunkd.py tests/servers/postfix.sh tests/servers/mboxadd.py \
	tests/servers/netutil.py tests/servers/serverenv.py \
	tests/servers/servers.py tests/servers/daemon.py \
	tests/servers/faultproxy.py tests/servers/fakepop3.py \
	tests/servers/httpsd.py
servers_tests = tests/servers/test-dovecot.py tests/servers/test-smtpd.py \
	tests/servers/test-demo.sh \
	tests/servers/test-faults.py
TESTS += $(servers_tests)
EXTRA_DIST += tests/servers/README $(servers_scripts) $(servers_tests) \
	contrib/demo-mail.py
