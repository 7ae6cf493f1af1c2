# Tests for abook.
check_PROGRAMS += tests/unit/test-abook
tests_unit_test_abook_CFLAGS = $(TEST_COMPILE_FLAGS)
tests_unit_test_abook_LDADD = $(TEST_LINK_LIBS)
TESTS += tests/unit/test-abook tests/abook/abook-cmd.sh
EXTRA_DIST += tests/abook/abook-cmd.sh \
	tests/data/abook/contacts-40.vcf tests/data/abook/contacts-30.vcf \
	tests/data/abook/contacts-21.vcf tests/data/abook/broken.vcf \
	tests/data/abook/aliases.mutt tests/data/abook/thunderbird.csv \
	tests/data/abook/outlook.csv tests/data/abook/google.csv \
	tests/data/abook/unterminated.csv tests/data/abook/cp1252.csv \
	tests/data/abook/thunderbird.ldif tests/data/abook/dup-a.vcf \
	tests/data/abook/dup-b.csv
