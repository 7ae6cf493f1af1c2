# Tests for ui: the real program driven in tmux (tests/ui/lib.sh).
UI_SH_TESTS = \
	tests/ui/screen.sh \
	tests/ui/keys.sh \
	tests/ui/setup.sh \
	tests/ui/setup-oauth.sh \
	tests/ui/drafts.sh \
	tests/ui/mail.sh \
	tests/ui/partial.sh \
	tests/ui/abook.sh \
	tests/ui/no-editor.sh \
	tests/ui/deleted-here.sh \
	tests/ui/config-keys.sh \
	tests/ui/fetch-failures.sh \
	tests/ui/deleting.sh \
	tests/ui/outbox.sh \
	tests/ui/compose.sh \
	tests/ui/narrow.sh \
	tests/ui/setup-form.sh \
	tests/ui/setup-autoconfig.sh \
	tests/ui/setup-cert.sh \
	tests/ui/setup-oauth-provider.sh \
	tests/ui/search.sh \
	tests/ui/tags.sh \
	tests/ui/confirm-delete.sh \
	tests/ui/folders.sh \
	tests/ui/pager.sh \
	tests/ui/terminal-writes.sh \
	tests/ui/hangup.sh \
	tests/ui/signals.sh
TESTS += $(UI_SH_TESTS)
EXTRA_DIST += $(UI_SH_TESTS) tests/ui/lib.sh tests/ui/mkmbox.py
