# Tests for ui: the real program driven in tmux (tests/ui/lib.sh).
TESTS += tests/ui/screen.sh tests/ui/mail.sh tests/ui/setup.sh tests/ui/keys.sh
EXTRA_DIST += tests/ui/lib.sh tests/ui/mkmbox.py tests/ui/screen.sh tests/ui/mail.sh \
	tests/ui/setup.sh tests/ui/keys.sh
