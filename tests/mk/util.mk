# Tests for util.
check_PROGRAMS += tests/unit/test-util
tests_unit_test_util_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-util
