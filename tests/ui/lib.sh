# Drive the real postie in a private tmux server.  Source after
# tests/lib/common.sh.  Every wait polls the screen; nothing sleeps a
# fixed time to let the program "settle".
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

UI_SOCK="$TEST_TMP/tmux.sock"
tm() { tmux -S "$UI_SOCK" -f /dev/null "$@"; }
TEST_CLEANUP="${TEST_CLEANUP:+$TEST_CLEANUP; }tmux -S '$UI_SOCK' kill-server 2>/dev/null"

# start_postie COLS ROWS [postie args...]: the pane runs postie, then
# prints EXIT=<status> and stays open so the last screen can be read.
start_postie() {
    cols=$1 rows=$2
    shift 2
    printf '%s\n' "$@" > "$TEST_TMP/args"
    cat > "$TEST_TMP/run.sh" <<RUN
#!/bin/sh
export LC_ALL=C.UTF-8 TERM=tmux-256color HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME'
export XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME'
${UI_ENV:-}
"$POSTIE" "\$@"
echo "EXIT=\$?"
sleep 600
RUN
    chmod +x "$TEST_TMP/run.sh"
    tm new-session -d -s t -x "$cols" -y "$rows" "$TEST_TMP/run.sh $*"
}

screen() { tm capture-pane -p -t t; }

# wait_for REGEX [SECONDS]: until the screen matches (grep -E).
wait_for() {
    _limit=$(( ${2:-30} * 10 ))
    _i=0
    while [ $_i -lt $_limit ]; do
        screen | grep -qE -- "$1" && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    diag "timed out waiting for /$1/; the screen:"
    screen | sed 's/^/#   | /'
    return 1
}

# wait_not REGEX [SECONDS]: until the screen no longer matches.
wait_not() {
    _limit=$(( ${2:-30} * 10 ))
    _i=0
    while [ $_i -lt $_limit ]; do
        screen | grep -qE -- "$1" || return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    diag "timed out waiting for /$1/ to go"
    return 1
}

keys() { tm send-keys -t t "$@"; }
# Literal text (no key-name lookup).
type_text() { tm send-keys -t t -l "$1"; }
