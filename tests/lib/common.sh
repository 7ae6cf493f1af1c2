# Common set-up for shell tests: a private HOME and XDG directories, so a
# test never touches the user's own mail or configuration.
. "$top_srcdir/tests/lib/tap.sh"

: "${POSTIE:?POSTIE must point at the built binary (run through make check)}"

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/postie-test.XXXXXX")
trap 'cleanup_test' EXIT
cleanup_test() {
    [ -n "${TEST_CLEANUP:-}" ] && eval "$TEST_CLEANUP"
    rm -rf "$TEST_TMP"
}
export HOME="$TEST_TMP/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_STATE_HOME="$HOME/.local/state"
export XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$XDG_CONFIG_HOME/postie" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
unset VISUAL EDITOR NO_COLOR

# A free TCP port on 127.0.0.1.
free_port() {
    "${PYTHON3:-/usr/bin/python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
