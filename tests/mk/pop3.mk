# Tests for pop3 and net.
check_PROGRAMS += tests/unit/test-pop3-parse
tests_unit_test_pop3_parse_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_pop3_parse_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-pop3-parse
