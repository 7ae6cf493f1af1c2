# Tests for fuzz.
