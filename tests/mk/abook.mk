# Tests for abook.
check_PROGRAMS += tests/unit/test-abook
tests_unit_test_abook_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-abook tests/abook/abook-cmd.sh tests/abook/mutt-query.sh \
	tests/abook/hostile-vcard.sh
EXTRA_DIST += tests/abook/abook-cmd.sh tests/abook/mutt-query.sh \
	tests/abook/hostile-vcard.sh \
	tests/data/abook/contacts-40.vcf tests/data/abook/contacts-30.vcf \
	tests/data/abook/contacts-21.vcf tests/data/abook/broken.vcf \
	tests/data/abook/aliases.mutt tests/data/abook/thunderbird.csv \
	tests/data/abook/outlook.csv tests/data/abook/google.csv \
	tests/data/abook/unterminated.csv tests/data/abook/cp1252.csv \
	tests/data/abook/thunderbird.ldif tests/data/abook/dup-a.vcf \
	tests/data/abook/dup-b.csv tests/data/abook/fuzz-long-name.vcf \
	tests/data/abook/fuzz-empty-qp.vcf

# Damaged copies of the data files through every reader (no crash, and
# what is written reads back); the same check is the libFuzzer target.
check_PROGRAMS += tests/unit/test-abook-mutate
tests_unit_test_abook_mutate_CFLAGS = $(TEST_COMPILE_FLAGS)
TESTS += tests/unit/test-abook-mutate
EXTRA_DIST += tests/fuzz/abook-check.h

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-abook
tests_fuzz_fuzz_abook_SOURCES = tests/fuzz/fuzz-abook.c tests/fuzz/abook-check.h
tests_fuzz_fuzz_abook_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_abook_LDFLAGS = $(FUZZ_LINK_FLAGS)
else
EXTRA_DIST += tests/fuzz/fuzz-abook.c
endif
