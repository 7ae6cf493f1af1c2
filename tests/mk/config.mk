# Tests for config.
check_PROGRAMS += tests/unit/test-config
tests_unit_test_config_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-config
