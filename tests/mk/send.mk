# Tests for send: against the capturing SMTP server of tests/servers.
TESTS += \
	tests/integration/send-delivery.sh \
	tests/integration/send-security.sh \
	tests/integration/send-failures.sh \
	tests/integration/send-kill.sh \
	tests/integration/send-sessions.sh \
	tests/integration/send-sendmail.sh \
	tests/integration/send-tls-extra.py
EXTRA_DIST += tests/integration/send-lib.sh \
	tests/integration/send-delivery.sh \
	tests/integration/send-security.sh \
	tests/integration/send-failures.sh \
	tests/integration/send-kill.sh \
	tests/integration/send-sessions.sh \
	tests/integration/send-sendmail.sh \
	tests/integration/send-tls-extra.py
