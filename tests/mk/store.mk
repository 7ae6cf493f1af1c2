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
# The scanner's fuzz target; under make check it runs seeded mutations.
check_PROGRAMS += tests/fuzz/fuzz-store-scan
tests_fuzz_fuzz_store_scan_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_fuzz_fuzz_store_scan_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/fuzz/fuzz-store-scan
# The pattern language and the folder text scan (src/search).
check_PROGRAMS += tests/unit/test-pattern
tests_unit_test_pattern_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_pattern_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-pattern
EXTRA_DIST += tests/data/search/patterns.mbox
check_PROGRAMS += tests/fuzz/fuzz-pattern
tests_fuzz_fuzz_pattern_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_fuzz_fuzz_pattern_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/fuzz/fuzz-pattern
