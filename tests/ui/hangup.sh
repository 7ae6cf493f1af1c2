#!/bin/sh
# When the terminal goes away (ssh dropped, terminal closed) postie ends,
# also when SIGHUP does not reach it (started under nohup, or detached
# from the terminal's session by the program that started it): a
# hung-up terminal reads as end of file, and postie used to wait for a
# key there forever, at full CPU.  From the index, from a prompt (a
# loop of its own), from the compose form, where what was written is
# kept in Drafts, and from the first-run form, which writes nothing.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"${PYTHON3:-/usr/bin/python3}" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox"
local_config "check_interval = 0"
cat > "$TEST_TMP/editor.sh" <<'ED'
#!/bin/sh
printf 'WRITTEN BEFORE THE HANG-UP\n' >> "$1"
ED
chmod +x "$TEST_TMP/editor.sh"

# postie in a session of its own with SIGHUP ignored: no signal from the
# terminal reaches it, only the hang-up of the terminal it reads.  (In
# the pane's own session the kernel's SIGCONT to the old foreground
# group, sent when the pane's shell ends, can land while the leak
# checker of a sanitizer build stops postie at exit, and hang both.)
# The wrapper stays postie's parent: it notes the pid, reaps postie and
# writes down how it ended.
cat > "$TEST_TMP/nohup-postie" <<RUN
#!/bin/sh
trap '' HUP
# \$CASE names the files, so a late word from one case cannot be taken
# for the next one's.
setsid sh -c 'echo \$\$ > "\$0"; exec "\$@"' "$TEST_TMP/pid.\$CASE" '$POSTIE' "\$@"
echo \$? > "$TEST_TMP/status.\$CASE.tmp"
mv "$TEST_TMP/status.\$CASE.tmp" "$TEST_TMP/status.\$CASE"
RUN
chmod +x "$TEST_TMP/nohup-postie"
REAL_POSTIE=$POSTIE

for where in index prompt compose setup; do
    UI_ENV="export VISUAL='$TEST_TMP/editor.sh' CASE=$where"
    POSTIE=$TEST_TMP/nohup-postie
    if [ $where = setup ]; then
        start_postie 100 30 --config "$TEST_TMP/new-config"
        wait_for '^Your name'; ok $? "setup: the first-run form asks"
    else
        start_postie 100 30
        wait_for 'postie: Inbox \[1/'; ok $? "$where: the Inbox opens"
    fi
    POSTIE=$REAL_POSTIE
    case $where in
    prompt)
        keys /
        wait_for '^Search for:'; ok $? "prompt: the search prompt is open"
        ;;
    compose)
        keys m
        wait_for '^To:'
        type_text 'bob@example.net'
        keys Enter
        wait_for '^Subject:'
        type_text 'Cut off'
        keys Enter
        wait_for 'WRITTEN BEFORE THE HANG-UP'; ok $? "compose: the body is written"
        ;;
    esac
    wait_until 10 test -s "$TEST_TMP/pid.$where"
    pid=$(cat "$TEST_TMP/pid.$where")
    ok $([ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo 0 || echo 1) "$where: postie runs (pid $pid)"
    # The terminal goes away: the tmux server and its pane end.
    tm kill-server
    wait_until 60 test -e "$TEST_TMP/status.$where"; r=$?
    ok $r "$where: postie ends when its terminal goes away"
    if [ $r = 0 ]; then
        is "$(cat "$TEST_TMP/status.$where")" 0 "$where: postie ends as on quit (status 0)"
    else
        diag "$(ps -L -o pid,lwp,stat,time,wchan:30,cmd -p "$pid" 2>&1)"
        kill -9 "$pid" 2>/dev/null
    fi
done

like "$(cat "$MAIL/Drafts" 2>&1)" 'WRITTEN BEFORE THE HANG-UP' \
    "compose: what was written is kept in Drafts"
like "$(cat "$MAIL/Drafts" 2>&1)" 'Subject: Cut off' "compose: with its subject"
ok $([ ! -e "$TEST_TMP/new-config" ] && echo 0 || echo 1) "setup: no configuration is written"

done_testing
