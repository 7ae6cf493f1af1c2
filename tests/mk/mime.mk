# Tests for mime: the viewer corpus, the pieces, building and replying,
# safe names, and the show/attachments/save commands.
check_PROGRAMS += tests/unit/test-mime-view tests/unit/test-mime tests/unit/test-safename
check_PROGRAMS += tests/unit/test-mime-crypto tests/unit/test-abook-key
tests_unit_test_abook_key_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-abook-key
tests_unit_test_mime_crypto_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-mime-crypto
check_PROGRAMS += tests/unit/test-mime-fixes
tests_unit_test_mime_fixes_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_mime_view_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_mime_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_safename_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-mime-view tests/unit/test-mime tests/unit/test-safename
TESTS += tests/unit/test-mime-fixes
EXTRA_DIST += tests/data/mime tests/data/pgp
TESTS += tests/mime/commands.sh tests/mime/forward-ui.sh tests/mime/differential.sh \
	tests/mime/crypto.sh tests/ui/crypto.sh tests/ui/crypto-compose.sh tests/ui/crypto-pinentry.sh
EXTRA_DIST += tests/mime/commands.sh tests/mime/forward-ui.sh tests/mime/differential.sh \
	tests/mime/gen-corpus.py tests/mime/compare-readers.py \
	tests/mime/crypto.sh tests/ui/crypto.sh tests/ui/crypto-compose.sh tests/ui/crypto-pinentry.sh \
	tests/mime/checkcrypto.py tests/mime/mkcrypto.py tests/lib/gnupg.sh
