# Tests for store.
check_PROGRAMS += tests/unit/test-store-read
tests_unit_test_store_read_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-store-read
EXTRA_DIST += tests/data/mbox
check_PROGRAMS += tests/unit/test-store-write
tests_unit_test_store_write_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-store-write
check_PROGRAMS += tests/unit/test-store-split
tests_unit_test_store_split_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-store-split
check_PROGRAMS += tests/store/store-tool
tests_store_store_tool_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/store/cli.sh tests/store/mutt-interop.sh tests/store/faults.sh tests/store/crash.sh
EXTRA_DIST += tests/store/cli.sh tests/store/mutt-interop.sh tests/store/faults.sh tests/store/crash.sh
# The scanner's fuzz target; under make check it runs seeded mutations.
check_PROGRAMS += tests/fuzz/fuzz-store-scan
tests_fuzz_fuzz_store_scan_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/fuzz/fuzz-store-scan
# The same file as a libFuzzer target for contrib/fuzz.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-mbox
tests_fuzz_fuzz_mbox_SOURCES = tests/fuzz/fuzz-store-scan.c
tests_fuzz_fuzz_mbox_CFLAGS = $(FUZZ_COMPILE_FLAGS) -DPOSTIE_LIBFUZZER
tests_fuzz_fuzz_mbox_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
# The pattern language and the folder text scan (src/search).
check_PROGRAMS += tests/unit/test-pattern
tests_unit_test_pattern_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-pattern
EXTRA_DIST += tests/data/search/patterns.mbox
check_PROGRAMS += tests/fuzz/fuzz-pattern
tests_fuzz_fuzz_pattern_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/fuzz/fuzz-pattern
