# Tests for fetch.
check_PROGRAMS += tests/unit/test-fetch
tests_unit_test_fetch_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_fetch_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-fetch

# Against a real Dovecot (tests/servers) with the real program.
check_PROGRAMS += tests/integration/fetch-helper
tests_integration_fetch_helper_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_integration_fetch_helper_LDADD = $(TEST_LINK_LIBS)
FETCH_SH_TESTS = \
	tests/integration/fetch-options.sh
TESTS += $(FETCH_SH_TESTS)
EXTRA_DIST += $(FETCH_SH_TESTS) tests/integration/fetch-lib.sh
