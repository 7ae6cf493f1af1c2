# Tests for store.
check_PROGRAMS += tests/unit/test-store-read
tests_unit_test_store_read_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_store_read_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-store-read
EXTRA_DIST += tests/data/mbox
