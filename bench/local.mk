# Benchmarks: not run by make check; see doc/benchmarks.md.
EXTRA_DIST += bench/send/run.sh doc/benchmarks.md \
	bench/fetch/run.sh bench/fetch/many.sh bench/fetch/floor.py
