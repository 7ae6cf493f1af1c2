# src/store: mbox folders: index, cache, locking, append, flags, expunge.
src_libpostie_a_SOURCES += \
	src/store/store.h \
	src/store/private.h \
	src/store/scan.c \
	src/store/decode.c \
	src/store/folder.c \
	src/store/cache.c \
	src/store/lock.c \
	src/store/append.c \
	src/store/sync.c \
	src/store/dir.c
dist_man_MANS += doc/postie-list.1 doc/postie-folders.1

# The store benchmark (bench/store/run.sh builds it on demand; not part of
# make or make check).
EXTRA_PROGRAMS = bench/store/bench-open
bench_store_bench_open_SOURCES = bench/store/bench-open.c
bench_store_bench_open_LDADD = src/libpostie.a $(POSTIE_LIBS)
CLEANFILES += bench/store/bench-open
EXTRA_DIST += bench/store/run.sh bench/store/gen-mbox.py
# The floor of a cold open, for bench/store/cold.sh.
EXTRA_PROGRAMS += bench/store/bare-scan
bench_store_bare_scan_SOURCES = bench/store/bare-scan.c
bench_store_bare_scan_LDADD = $(GLIB_LIBS)
CLEANFILES += bench/store/bare-scan
EXTRA_DIST += bench/store/cold.sh
