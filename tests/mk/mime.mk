# Tests for mime: the viewer corpus, the pieces, building and replying,
# safe names, and the show/attachments/save commands.
check_PROGRAMS += tests/unit/test-mime-view tests/unit/test-mime tests/unit/test-safename
check_PROGRAMS += tests/unit/test-mime-fixes
tests_unit_test_mime_fixes_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_mime_fixes_LDADD = $(TEST_LINK_LIBS)
tests_unit_test_mime_view_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_mime_view_LDADD = $(TEST_LINK_LIBS)
tests_unit_test_mime_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_mime_LDADD = $(TEST_LINK_LIBS)
tests_unit_test_safename_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_safename_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-mime-view tests/unit/test-mime tests/unit/test-safename
TESTS += tests/unit/test-mime-fixes
EXTRA_DIST += tests/data/mime
TESTS += tests/mime/commands.sh tests/mime/forward-ui.sh tests/mime/differential.sh
EXTRA_DIST += tests/mime/commands.sh tests/mime/forward-ui.sh tests/mime/differential.sh \
	tests/mime/gen-corpus.py tests/mime/compare-readers.py
