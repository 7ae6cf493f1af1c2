# Tests for cli.
TESTS += tests/cli.sh
EXTRA_DIST += tests/cli.sh
TESTS += tests/doc.sh
EXTRA_DIST += tests/doc.sh
