# Tests for oauth: the replies, PKCE, presets (unit); the flows against a
# mock authorization server (tests/servers/oauthmock.py).
check_PROGRAMS += tests/unit/test-oauth
tests_unit_test_oauth_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-oauth tests/integration/oauth-helper.sh \
	tests/integration/fetch-oauth.sh
EXTRA_DIST += tests/integration/oauth-helper.sh tests/integration/oauth-lib.sh \
	tests/integration/fetch-oauth.sh tests/servers/oauthmock.py

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-oauth
tests_fuzz_fuzz_oauth_SOURCES = tests/fuzz/fuzz-oauth.c
tests_fuzz_fuzz_oauth_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_oauth_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
EXTRA_DIST += tests/fuzz/fuzz-oauth.c
