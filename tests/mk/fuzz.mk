# Fuzz targets: built only with configure --enable-fuzzing and clang
# (CC=clang); contrib/fuzz builds them in their own directory and runs
# each for a while over a seed corpus.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-view tests/fuzz/fuzz-uuencode
noinst_PROGRAMS += tests/fuzz/fuzz-autoconfig
tests_fuzz_fuzz_autoconfig_SOURCES = tests/fuzz/fuzz-autoconfig.c
tests_fuzz_fuzz_autoconfig_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_autoconfig_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_autoconfig_LDADD = src/libpostie.a $(POSTIE_LIBS)
tests_fuzz_fuzz_view_SOURCES = tests/fuzz/fuzz-view.c
tests_fuzz_fuzz_view_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_view_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_view_LDADD = src/libpostie.a $(POSTIE_LIBS)
tests_fuzz_fuzz_uuencode_SOURCES = tests/fuzz/fuzz-uuencode.c
tests_fuzz_fuzz_uuencode_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_uuencode_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_uuencode_LDADD = src/libpostie.a $(POSTIE_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-view.c tests/fuzz/fuzz-uuencode.c contrib/fuzz
EXTRA_DIST += tests/fuzz/fuzz-autoconfig.c
