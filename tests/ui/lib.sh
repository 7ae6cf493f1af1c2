# The one preamble of the screen tests: drive the real postie (or mutt) in
# a private tmux server.  Start a test with
#   . "$top_srcdir/tests/ui/lib.sh"
# (it sources tests/lib/common.sh).  Every wait polls the screen or a
# file with a bound; nothing sleeps a fixed time to let the program
# "settle".
#
# A wait proves only what it matched.  After keys, wait for something
# the keys' new state alone shows: text left over from an earlier step
# (the same message, an unchanged count, a row already visible) matches
# before the keys are handled.  curses draws a screen top to bottom, and
# a big redraw can reach tmux in more than one piece, so a match proves
# the rows above it are drawn, not the rows below: wait for the last row
# that changes (the status or message line) or for the very thing
# asserted.  An unlike proves nothing unless
# a wait before it shows the new screen is up.
. "$top_srcdir/tests/lib/common.sh"
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

# Each start_in_tmux gets a fresh server (socket tmuxN.sock): a server
# just told to quit may still hold the previous socket.
UI_RUN=0
UI_SOCK="$TEST_TMP/tmux0.sock"
tm() { tmux -S "$UI_SOCK" -f /dev/null "$@"; }
TEST_CLEANUP="${TEST_CLEANUP:+$TEST_CLEANUP; }for s in '$TEST_TMP'/tmux*.sock; do tmux -S \"\$s\" kill-server 2>/dev/null; done"

# start_in_tmux COLS ROWS COMMAND: run the shell command COMMAND in the
# pane "t" of a new private tmux server of that size.
start_in_tmux() {
    tm kill-server 2>/dev/null
    UI_RUN=$((UI_RUN + 1))
    UI_SOCK="$TEST_TMP/tmux$UI_RUN.sock"
    tm new-session -d -s t -x "$1" -y "$2" "$3"
}

# start_postie COLS ROWS [postie args...]: the pane runs postie, then
# prints EXIT=<status> and stays open so the last screen can be read.
# The pane's shell survives a ^C sent to the pane, as an interactive
# shell does (dash ends itself once its child is done if it saw one); a
# trapped signal is reset to the default for postie.
start_postie() {
    cols=$1 rows=$2
    shift 2
    printf '%s\n' "$@" > "$TEST_TMP/args"
    cat > "$TEST_TMP/run.sh" <<RUN
#!/bin/sh
export LC_ALL=C.UTF-8 TERM=tmux-256color HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME'
export XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME'
trap : INT
${UI_ENV:-}
"$POSTIE" "\$@"
echo "EXIT=\$?"
sleep 600
RUN
    chmod +x "$TEST_TMP/run.sh"
    start_in_tmux "$cols" "$rows" "$TEST_TMP/run.sh $*"
}

screen() { tm capture-pane -p -t t; }

screen_has() { screen | grep -qE -- "$1"; }
screen_lacks() { ! screen_has "$1"; }

# wait_for REGEX [SECONDS]: until the screen matches (grep -E; 30 s).
wait_for() {
    wait_until "${2:-30}" screen_has "$1" && return 0
    diag "timed out waiting for /$1/; the screen:"
    screen | sed 's/^/#   | /'
    return 1
}

# wait_not REGEX [SECONDS]: until the screen no longer matches.
wait_not() {
    wait_until "${2:-30}" screen_lacks "$1" && return 0
    diag "timed out waiting for /$1/ to go"
    return 1
}

# wait_rows N REGEX [N REGEX...]: until row N of the screen
# (1 is the top) matches REGEX, for every pair in one look (30 s).  After
# a resize tmux shows the old rows, cut off or pushed up, until the
# program draws again: two rows that the old picture cannot have together
# (the top row and the new last rows) prove the new drawing.
rows_match() {
    _rm_screen=$(screen)
    while [ $# -ge 2 ]; do
        printf '%s\n' "$_rm_screen" | sed -n "${1}p" | grep -qE -- "$2" || return 1
        shift 2
    done
}
wait_rows() {
    wait_until 30 rows_match "$@" && return 0
    diag "timed out waiting for rows: $*; the screen:"
    screen | sed 's/^/#   | /'
    return 1
}

# local_config [LINE]... [-- LINE...]: the config of a screen test that
# needs no server: mail in $MAIL, one account "home" that never fetches.
# LINEs ("key = value") go to [general]; those after -- to the account.
local_config() {
    {
        echo "[general]"
        echo "mail_dir = $MAIL"
        while [ $# -gt 0 ] && [ "$1" != -- ]; do echo "$1"; shift; done
        [ $# -gt 0 ] && shift
        echo
        echo "[account home]"
        echo "address = me@example.org"
        echo "smtp_host = localhost"
        echo "fetch = false"
        for line in "$@"; do echo "$line"; done
    } > "$XDG_CONFIG_HOME/postie/config"
    chmod 600 "$XDG_CONFIG_HOME/postie/config"
}

keys() { tm send-keys -t t "$@"; }
# Literal text (no key-name lookup).
type_text() { tm send-keys -t t -l "$1"; }

# ---- servers --------------------------------------------------------------

SERVERS=$top_srcdir/tests/servers

need_dovecot() {
    command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
        skip_all "Dovecot is not installed (contrib/install-deps)"
}
need_aiosmtpd() {
    /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
        skip_all "python3-aiosmtpd is not installed"
}

# start_dovecot [dovecot.sh start options]: a private Dovecot in
# $TEST_TMP/dc, stopped at the end; its dovecot.env is sourced.
start_dovecot() {
    need_dovecot
    "$SERVERS/dovecot.sh" start "$TEST_TMP/dc" "$@" >/dev/null ||
        { echo "Bail out! cannot start Dovecot"; exit 1; }
    TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; $TEST_CLEANUP"
    . "$TEST_TMP/dc/dovecot.env"
}

# start_smtpd [smtpd.sh start options]: a capturing SMTP server in
# $TEST_TMP/smtp, stopped at the end; its smtpd.env is sourced.
start_smtpd() {
    need_aiosmtpd
    "$SERVERS/smtpd.sh" start "$TEST_TMP/smtp" "$@" >/dev/null ||
        { echo "Bail out! cannot start the SMTP server"; exit 1; }
    TEST_CLEANUP="\"$SERVERS/smtpd.sh\" stop \"$TEST_TMP/smtp\"; $TEST_CLEANUP"
    . "$TEST_TMP/smtp/smtpd.env"
}
