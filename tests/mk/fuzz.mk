# Fuzz targets: built only with configure --enable-fuzzing and clang
# (CC=clang); contrib/fuzz builds them in their own directory and runs
# each for a while over a seed corpus.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-view tests/fuzz/fuzz-uuencode tests/fuzz/fuzz-pgp-scan
noinst_PROGRAMS += tests/fuzz/fuzz-abook-key
tests_fuzz_fuzz_abook_key_SOURCES = tests/fuzz/fuzz-abook-key.c
tests_fuzz_fuzz_abook_key_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_abook_key_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_abook_key_LDADD = src/libpostie.a $(POSTIE_LIBS)
noinst_PROGRAMS += tests/fuzz/fuzz-pattern-lf
tests_fuzz_fuzz_pattern_lf_SOURCES = tests/fuzz/fuzz-pattern.c
tests_fuzz_fuzz_pattern_lf_CFLAGS = $(TEST_COMPILE_FLAGS) -DPOSTIE_LIBFUZZER -fsanitize=fuzzer
tests_fuzz_fuzz_pattern_lf_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pattern_lf_LDADD = src/libpostie.a $(POSTIE_LIBS)
tests_fuzz_fuzz_view_SOURCES = tests/fuzz/fuzz-view.c
tests_fuzz_fuzz_view_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_view_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_view_LDADD = src/libpostie.a $(POSTIE_LIBS)
tests_fuzz_fuzz_uuencode_SOURCES = tests/fuzz/fuzz-uuencode.c
tests_fuzz_fuzz_uuencode_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_uuencode_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_uuencode_LDADD = src/libpostie.a $(POSTIE_LIBS)
tests_fuzz_fuzz_pgp_scan_SOURCES = tests/fuzz/fuzz-pgp-scan.c
tests_fuzz_fuzz_pgp_scan_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_pgp_scan_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pgp_scan_LDADD = src/libpostie.a $(POSTIE_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-pattern.c tests/fuzz/fuzz-pgp-scan.c tests/fuzz/fuzz-abook-key.c tests/fuzz/fuzz-view.c tests/fuzz/fuzz-uuencode.c contrib/fuzz
