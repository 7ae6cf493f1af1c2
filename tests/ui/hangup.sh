#!/bin/sh
# When the terminal goes away (ssh dropped, terminal closed) postie ends,
# also when SIGHUP does not reach it (started under nohup, or from a
# program that ignores the signal): a hung-up terminal reads as end of
# file, and postie used to wait for a key there forever, at full CPU.
# Once from the index, once from a prompt (a loop of its own).
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"${PYTHON3:-/usr/bin/python3}" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
local_config "check_interval = 0"

# postie with SIGHUP ignored (as under nohup), its pid written down.
cat > "$TEST_TMP/nohup-postie" <<RUN
#!/bin/sh
trap '' HUP
echo \$\$ > '$TEST_TMP/pid'
exec '$POSTIE' "\$@"
RUN
chmod +x "$TEST_TMP/nohup-postie"
REAL_POSTIE=$POSTIE

gone() { ! kill -0 "$(cat "$TEST_TMP/pid")" 2>/dev/null; }

for where in index prompt; do
    rm -f "$TEST_TMP/pid"
    POSTIE=$TEST_TMP/nohup-postie
    start_postie 100 30
    POSTIE=$REAL_POSTIE
    wait_for 'postie: Inbox \[1/'; ok $? "$where: the Inbox opens"
    if [ "$where" = prompt ]; then
        keys /
        wait_for '^Search for:'; ok $? "prompt: the search prompt is open"
    fi
    wait_until 10 test -s "$TEST_TMP/pid"
    pid=$(cat "$TEST_TMP/pid")
    ok $([ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo 0 || echo 1) "$where: postie runs (pid $pid)"
    # The terminal goes away: the tmux server and its pane end.
    tm kill-server
    wait_until 30 gone; r=$?
    ok $r "$where: postie ends when its terminal goes away"
    [ $r = 0 ] || { kill -9 "$pid" 2>/dev/null; diag "$(ps -o pid,stat,time,cmd -p "$pid" 2>&1)"; }
done

done_testing
