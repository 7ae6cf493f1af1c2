# Benchmarks: not run by make check; see doc/benchmarks.md.
EXTRA_DIST += bench/send/run.sh doc/benchmarks.md \
	bench/fetch/run.sh bench/fetch/many.sh bench/fetch/floor.py \
	bench/send/one.sh

# The body search benchmark (bench/search/run.sh builds it on demand).
EXTRA_PROGRAMS += bench/search/bench-search
bench_search_bench_search_SOURCES = bench/search/bench-search.c
bench_search_bench_search_LDADD = src/libpostie.a $(POSTIE_LIBS)
CLEANFILES += bench/search/bench-search
EXTRA_DIST += bench/search/run.sh

# The fixed cost of a TLS context (bench/send/one.sh builds it on demand).
EXTRA_PROGRAMS += bench/send/tls-setup
bench_send_tls_setup_SOURCES = bench/send/tls-setup.c
bench_send_tls_setup_LDADD = src/libpostie.a $(POSTIE_LIBS)
CLEANFILES += bench/send/tls-setup
