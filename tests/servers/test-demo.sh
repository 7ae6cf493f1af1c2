#!/bin/sh
# contrib/demo: --check brings up the servers with the sample mail and a
# working configuration; every mode removes its directory and leaves no
# server running.
. "$top_srcdir/tests/lib/common.sh"

command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || skip_all "no dovecot"

demo_left() {   # processes still running from demo directory $1
    ps -eo args | grep -F -- "$1" | grep -v grep
}

export POSTIE
dirfile=$TEST_TMP/demo-dir
out=$(DEMO_DIR_FILE=$dirfile "$top_srcdir/contrib/demo" --check 2>&1)
ok $? "contrib/demo --check succeeds"
like "$out" "ok: postie accepts the demo configuration" "postie accepts the demo config"
like "$out" "ok: POP3 login over STLS sees [0-9]+ messages" "sample mail is on the POP3 server"
like "$out" "ok: configuration is mode 0600" "the config is private"
dir=$(cat "$dirfile")
[ -n "$dir" ] && [ ! -e "$dir" ]
ok $? "the demo directory is removed"
is "$(demo_left "$dir")" "" "no demo server left running"

# The default mode: postie runs (without a screen it says so and exits);
# then everything is cleaned up and postie's exit status is passed on.
out=$(DEMO_DIR_FILE=$dirfile "$top_srcdir/contrib/demo" </dev/null 2>&1)
rc=$?
dir=$(cat "$dirfile")
like "$out" "POP3 on localhost:[0-9]+ and SMTP on localhost:[0-9]+, [0-9]+ messages waiting" \
    "the demo starts postie on its servers"
[ -n "$dir" ] && [ ! -e "$dir" ] && [ -z "$(demo_left "$dir")" ]
ok $? "no demo server or directory left after postie exits (rc $rc)"

# --no-ui stops cleanly on a signal.
DEMO_DIR_FILE=$dirfile "$top_srcdir/contrib/demo" --no-ui >"$TEST_TMP/noui.out" 2>&1 &
pid=$!
i=0
while ! grep -q "press Ctrl-C" "$TEST_TMP/noui.out" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
dir=$(sed -n 's/^  directory   //p' "$TEST_TMP/noui.out")
[ -n "$dir" ] && [ -d "$dir" ] && [ "$dir" = "$(cat "$dirfile")" ]
ok $? "--no-ui prints its directory and keeps running"
TEST_CLEANUP="kill $pid 2>/dev/null"
kill -TERM $pid
wait $pid
[ ! -e "$dir" ] && [ -z "$(demo_left "$dir")" ]
ok $? "--no-ui: SIGTERM stops the servers and removes the directory"

done_testing
