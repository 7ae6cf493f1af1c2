# Tests for send: against the capturing SMTP server of tests/servers.
TESTS += \
	tests/integration/send-delivery.sh \
	tests/integration/send-security.sh
EXTRA_DIST += tests/integration/send-lib.sh \
	tests/integration/send-delivery.sh \
	tests/integration/send-security.sh
