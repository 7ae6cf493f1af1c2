# Tests for fetch.
check_PROGRAMS += tests/unit/test-fetch
tests_unit_test_fetch_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-fetch

# The program with a crash hook for the fetch crash tests (crash-hook.c);
# the same objects as src/postie otherwise.
check_PROGRAMS += tests/integration/postie-crashable
tests_integration_postie_crashable_SOURCES = $(src_postie_SOURCES) \
	tests/integration/crash-hook.c
tests_integration_postie_crashable_LDADD = $(src_postie_LDADD)

# Against a real Dovecot (tests/servers) with the real program.
check_PROGRAMS += tests/integration/fetch-helper
tests_integration_fetch_helper_CFLAGS = $(TEST_COMPILE_FLAGS)
FETCH_SH_TESTS = \
	tests/integration/fetch-options.sh \
	tests/integration/fetch-headers.sh \
	tests/integration/fetch-filters.sh \
	tests/integration/fetch-locks.sh \
	tests/integration/fetch-crash.sh \
	tests/integration/fetch-recover.sh \
	tests/integration/fetch-faults.sh \
	tests/integration/fetch-uidl.sh \
	tests/integration/fetch-diskfull.sh \
	tests/integration/fetch-dupuid.sh \
	tests/integration/fetch-errors.sh \
	tests/integration/fetch-secrets.sh \
	tests/integration/fetch-memory.sh
TESTS += $(FETCH_SH_TESTS)
EXTRA_DIST += $(FETCH_SH_TESTS) tests/integration/fetch-lib.sh \
	tests/integration/fetch-fakepop3.py tests/integration/fetch-faultproxy.py \
	tests/integration/fetch-compare.py

# libFuzzer target (configure --enable-fuzzing CC=clang).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-fetch
tests_fuzz_fuzz_fetch_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_fetch_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
EXTRA_DIST += tests/fuzz/fuzz-fetch.c
