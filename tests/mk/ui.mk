# Tests for ui.
