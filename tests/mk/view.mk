# Tests for view: the screen's logic without a screen.
check_PROGRAMS += tests/unit/test-view
tests_unit_test_view_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-view
