# Tests for servers.
