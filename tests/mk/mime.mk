# Tests for mime.
