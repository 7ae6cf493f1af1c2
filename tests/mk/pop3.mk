# Tests for pop3 and net.
check_PROGRAMS += tests/unit/test-pop3-parse
tests_unit_test_pop3_parse_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-pop3-parse

# Against scripted misbehaving servers (no external server needed).
check_PROGRAMS += tests/integration/test-pop3-fake
tests_integration_test_pop3_fake_SOURCES = tests/integration/test-pop3-fake.c \
	tests/integration/fakepop3.c tests/integration/fakepop3.h
tests_integration_test_pop3_fake_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/integration/pop3-fake.sh

# Against real Dovecot instances started by the wrapper.
check_PROGRAMS += tests/integration/test-pop3-dovecot
tests_integration_test_pop3_dovecot_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/integration/pop3-dovecot.sh
EXTRA_DIST += tests/integration/pop3-fake.sh tests/integration/pop3-dovecot.sh

# libFuzzer target for the parsers (configure --enable-fuzzing CC=clang).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-pop3
tests_fuzz_fuzz_pop3_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_pop3_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
EXTRA_DIST += tests/fuzz/fuzz-pop3.c
