# Tests for config.
check_PROGRAMS += tests/unit/test-config
tests_unit_test_config_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-config
check_PROGRAMS += tests/unit/test-autoconfig
tests_unit_test_autoconfig_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_autoconfig_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-autoconfig
