#!/bin/sh
# A redraw reaches the terminal in one piece, not one write per row: the
# ncurses of Debian 12 flushes after every cursor move until the program
# has once come back from endwin() (src/ui/terminal.c).  Counted with
# strace: five help screens and five returns to the index, each a full
# redraw of 40 rows, are ten writes or so; without the workaround they
# were over 300.
. "$top_srcdir/tests/ui/lib.sh"
command -v strace >/dev/null 2>&1 || skip_all "strace is not installed (contrib/install-deps)"
strace -o /dev/null -e trace=write true 2>/dev/null ||
    skip_all "strace cannot trace here (ptrace not allowed)"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"${PYTHON3:-/usr/bin/python3}" "$top_srcdir/tests/ui/mkmbox.py" "$MAIL/Inbox" 60
local_config

# postie under strace: every write(2) to the terminal, with its bytes.
# LeakSanitizer cannot stop a traced process's threads to scan them, so
# it would report what only they hold: leaks are left to the other tests.
cat > "$TEST_TMP/traced-postie" <<RUN
#!/bin/sh
export ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0"
exec strace -o '$TEST_TMP/writes' -s 65536 -e trace=write -e signal=none '$POSTIE' "\$@"
RUN
chmod +x "$TEST_TMP/traced-postie"
REAL_POSTIE=$POSTIE
POSTIE=$TEST_TMP/traced-postie
start_postie 120 40
POSTIE=$REAL_POSTIE

wait_for 'postie: Inbox \[1/'; ok $? "the Inbox opens"
screen_writes() { grep -c '^write(1,' "$TEST_TMP/writes"; }
before=$(screen_writes)
ok $([ "$before" -le 6 ] && echo 0 || echo 1) "the first screen came in $before writes (at most 6)"

for round in 1 2 3 4 5; do
    keys '?'
    wait_for '^Key bindings'
    keys q
    wait_not '^Key bindings'
    wait_for 'postie: Inbox \[1/'
done
after=$(screen_writes)
n=$((after - before))
diag "ten full redraws took $n writes"
ok $([ "$n" -le 20 ] && echo 0 || echo 1) "ten full redraws took at most 20 writes"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
