# Tests for mime: the viewer corpus, the pieces, building and replying,
# safe names, and the show/attachments/save commands.
check_PROGRAMS += tests/unit/test-mime-view tests/unit/test-mime tests/unit/test-safename
tests_unit_test_mime_view_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_mime_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_safename_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-mime-view tests/unit/test-mime tests/unit/test-safename
EXTRA_DIST += tests/data/mime
TESTS += tests/mime/commands.sh
EXTRA_DIST += tests/mime/commands.sh
