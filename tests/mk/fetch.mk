# Tests for fetch.
