# Tests for cli.
