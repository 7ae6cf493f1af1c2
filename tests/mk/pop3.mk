# Tests for pop3.
