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

# The default mode runs $POSTIE --config FILE with the XDG directories in
# the demo's directory, passes its exit status on, then cleans up.  A
# stand-in program records what it got (the real screen is tested by
# the screen tests).
cat > "$TEST_TMP/fake-postie" <<'FAKE'
#!/bin/sh
{
    echo "args: $*"
    echo "xdg: $XDG_CONFIG_HOME $XDG_DATA_HOME $XDG_STATE_HOME"
    echo "mode: $(stat -c %a "$2")"
    cat "$2"
} > "$FAKE_OUT"
exit 3
FAKE
chmod +x "$TEST_TMP/fake-postie"
FAKE_OUT=$TEST_TMP/fake.out POSTIE=$TEST_TMP/fake-postie DEMO_DIR_FILE=$dirfile \
    "$top_srcdir/contrib/demo" </dev/null >"$TEST_TMP/ui.out" 2>&1
is "$?" 3 "the demo passes postie's exit status on"
dir=$(cat "$dirfile")
got=$(cat "$TEST_TMP/fake.out")
like "$got" "^args: --config $dir/postie.conf\$" "postie gets --config with the demo config"
like "$got" "^xdg: $dir/xdg/config $dir/xdg/data $dir/xdg/state\$" "XDG dirs point into the demo dir"
like "$got" "^mode: 600\$" "the config is mode 0600"
like "$got" "^pop3_security = starttls\$" "POP3 with STLS"
like "$got" "^ca_file = $dir/certs/ca.pem\$" "POP3 trusts the demo CA"
like "$got" "^smtp_security = starttls\$" "SMTP with STARTTLS"
like "$got" "^smtp_ca_file = $dir/certs/ca.pem\$" "SMTP trusts the demo CA"
like "$got" "^leave_on_server = true\$" "mail stays on the server"
like "$got" "^mail_dir = $dir/mail\$" "mail_dir in the demo dir"
like "$got" "^password = [0-9a-f]{24}\$" "a random password"
like "$(cat "$TEST_TMP/ui.out")" "POP3 on localhost:[0-9]+ and SMTP on localhost:[0-9]+, [0-9]+ messages waiting" \
    "the demo says where its servers are"
[ -n "$dir" ] && [ ! -e "$dir" ] && [ -z "$(demo_left "$dir")" ]
ok $? "no demo server or directory left after postie exits"

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
