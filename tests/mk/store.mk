# Tests for store.
