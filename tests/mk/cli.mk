# Tests for cli.
TESTS += tests/cli.sh
EXTRA_DIST += tests/cli.sh
