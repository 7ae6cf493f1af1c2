# Tests for abook.
