# Benchmarks: not run by make check; see doc/benchmarks.md.
