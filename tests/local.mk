# Every area keeps its tests in its own fragment under tests/mk/.
include tests/mk/util.mk
include tests/mk/config.mk
include tests/mk/cli.mk
include tests/mk/store.mk
include tests/mk/mime.mk
include tests/mk/servers.mk
include tests/mk/pop3.mk
include tests/mk/fetch.mk
include tests/mk/send.mk
include tests/mk/oauth.mk
include tests/mk/abook.mk
include tests/mk/view.mk
include tests/mk/ui.mk
include tests/mk/fuzz.mk

EXTRA_DIST += tests/lib/tap.sh tests/lib/common.sh
