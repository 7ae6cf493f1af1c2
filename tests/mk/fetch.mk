# Tests for fetch.
check_PROGRAMS += tests/unit/test-fetch
tests_unit_test_fetch_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_fetch_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-fetch
