# Tests for send.
