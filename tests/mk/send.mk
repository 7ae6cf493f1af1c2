# Tests for send: unit tests of the header handling, and the real postie
# against the capturing SMTP server of tests/servers.
check_PROGRAMS += tests/unit/test-send
tests_unit_test_send_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-send
# The setup's SMTP check (send_test_account), for send-oauth.sh.
check_PROGRAMS += tests/integration/send-probe-helper
tests_integration_send_probe_helper_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_integration_send_probe_helper_LDADD = $(TEST_LINK_LIBS)
TESTS += \
	tests/integration/send-delivery.sh \
	tests/integration/send-security.sh \
	tests/integration/send-failures.sh \
	tests/integration/send-kill.sh \
	tests/integration/send-sessions.sh \
	tests/integration/send-sendmail.sh \
	tests/integration/send-tls-extra.py \
	tests/integration/send-chunking.sh \
	tests/integration/send-postfix.sh \
	tests/integration/send-soak.sh \
	tests/integration/send-oauth.sh
EXTRA_DIST += tests/integration/send-lib.sh \
	tests/integration/send-delivery.sh \
	tests/integration/send-security.sh \
	tests/integration/send-failures.sh \
	tests/integration/send-kill.sh \
	tests/integration/send-sessions.sh \
	tests/integration/send-sendmail.sh \
	tests/integration/send-tls-extra.py \
	tests/integration/send-chunking.sh \
	tests/integration/send-postfix.sh \
	tests/integration/send-soak.sh \
	tests/integration/send-oauth.sh

# libFuzzer target for the message handling (configure --enable-fuzzing CC=clang).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-send
tests_fuzz_fuzz_send_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_send_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
EXTRA_DIST += tests/fuzz/fuzz-send.c
# Seeds for fuzz-send's reply parsing (contrib/fuzz).
EXTRA_DIST += tests/data/smtp/ehlo.txt tests/data/smtp/oauth-error.txt
