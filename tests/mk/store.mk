# Tests for store.
check_PROGRAMS += tests/unit/test-store-read
tests_unit_test_store_read_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_store_read_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-store-read
EXTRA_DIST += tests/data/mbox
check_PROGRAMS += tests/unit/test-store-write
tests_unit_test_store_write_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_store_write_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-store-write
check_PROGRAMS += tests/store/store-tool
tests_store_store_tool_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_store_store_tool_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/store/cli.sh tests/store/mutt-interop.sh tests/store/faults.sh tests/store/crash.sh
EXTRA_DIST += tests/store/cli.sh tests/store/mutt-interop.sh tests/store/faults.sh tests/store/crash.sh
