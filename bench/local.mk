# Benchmarks: not run by make check; see doc/benchmarks.md.
EXTRA_DIST += bench/send/run.sh doc/benchmarks.md
