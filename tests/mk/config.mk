# Tests for config.
