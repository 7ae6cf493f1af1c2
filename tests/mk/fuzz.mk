# Fuzz targets: built only with configure --enable-fuzzing and clang
# (CC=clang); contrib/fuzz builds them in their own directory and runs
# each for a while over a seed corpus.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-view tests/fuzz/fuzz-uuencode tests/fuzz/fuzz-pgp-scan
noinst_PROGRAMS += tests/fuzz/fuzz-abook-key
tests_fuzz_fuzz_abook_key_SOURCES = tests/fuzz/fuzz-abook-key.c
tests_fuzz_fuzz_abook_key_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_abook_key_LDFLAGS = $(FUZZ_LINK_FLAGS)
noinst_PROGRAMS += tests/fuzz/fuzz-pattern-lf
tests_fuzz_fuzz_pattern_lf_SOURCES = tests/fuzz/fuzz-pattern.c
tests_fuzz_fuzz_pattern_lf_CFLAGS = $(FUZZ_COMPILE_FLAGS) -DPOSTIE_LIBFUZZER
tests_fuzz_fuzz_pattern_lf_LDFLAGS = $(FUZZ_LINK_FLAGS)
noinst_PROGRAMS += tests/fuzz/fuzz-autoconfig
tests_fuzz_fuzz_autoconfig_SOURCES = tests/fuzz/fuzz-autoconfig.c
tests_fuzz_fuzz_autoconfig_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_autoconfig_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_view_SOURCES = tests/fuzz/fuzz-view.c
tests_fuzz_fuzz_view_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_view_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_uuencode_SOURCES = tests/fuzz/fuzz-uuencode.c
tests_fuzz_fuzz_uuencode_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_uuencode_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_pgp_scan_SOURCES = tests/fuzz/fuzz-pgp-scan.c
tests_fuzz_fuzz_pgp_scan_CFLAGS = $(FUZZ_COMPILE_FLAGS)
tests_fuzz_fuzz_pgp_scan_LDFLAGS = $(FUZZ_LINK_FLAGS)
endif
EXTRA_DIST += tests/fuzz/fuzz-pattern.c tests/fuzz/fuzz-pgp-scan.c tests/fuzz/fuzz-abook-key.c tests/fuzz/fuzz-view.c tests/fuzz/fuzz-uuencode.c contrib/fuzz
EXTRA_DIST += tests/fuzz/fuzz-autoconfig.c
