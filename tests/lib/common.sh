# Common set-up for shell tests: a private HOME and XDG directories, so a
# test never touches the user's own mail or configuration; waiting helpers.
# Sourcing it again (e.g. through tests/ui/lib.sh) does nothing.
[ -z "${POSTIE_COMMON_SH:-}" ] || return 0
POSTIE_COMMON_SH=1
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

# wait_until SECONDS COMMAND [ARG...]: run COMMAND every 0.1 s until it
# succeeds; fails once SECONDS have passed.  Tests wait for what they
# assert with this (or the screen's wait_for), never with a fixed sleep.
wait_until() {
    _wu_limit=$(( $1 * 10 ))
    shift
    _wu_i=0
    until "$@"; do
        [ $_wu_i -lt $_wu_limit ] || return 1
        sleep 0.1
        _wu_i=$((_wu_i + 1))
    done
}

# file_has FILE REGEX: FILE exists and a line matches (grep -E).
file_has() { grep -qE -- "$2" "$1" 2>/dev/null; }
# wait_for_file FILE REGEX [SECONDS]: until a line of FILE matches (30 s).
wait_for_file() { wait_until "${3:-30}" file_has "$1" "$2"; }

# hold_closed_port: CLOSED_PORT is a port on 127.0.0.1 where every
# connection is refused until the test ends: a socket bound to it, never
# listening, is held by a helper, so no other test can open a server there.
hold_closed_port() {
    "${PYTHON3:-/usr/bin/python3}" -c '
import os, signal, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
signal.pause()' "$TEST_TMP/closed-port" </dev/null >/dev/null 2>&1 &
    TEST_CLEANUP="kill $! 2>/dev/null; ${TEST_CLEANUP:-}"
    _i=0
    while [ ! -s "$TEST_TMP/closed-port" ] && [ $_i -lt 600 ]; do
        sleep 0.05; _i=$((_i + 1))
    done
    CLOSED_PORT=$(cat "$TEST_TMP/closed-port") ||
        { echo "Bail out! cannot hold a closed port"; exit 1; }
}

# Tests that kill at random moments draw them from one seed and log it,
# so a failing run can be repeated exactly:
#   POSTIE_TEST_SEED=N make check TESTS=tests/store/crash.sh
test_seed() {
    TEST_SEED=${POSTIE_TEST_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
    case $TEST_SEED in ''|*[!0-9]*) echo "Bail out! POSTIE_TEST_SEED must be a number"; exit 1 ;; esac
    diag "random seed $TEST_SEED (rerun with POSTIE_TEST_SEED=$TEST_SEED)"
}

# rand_delay MAX_MS N: the Nth delay of the seeded sequence, 0 to MAX_MS
# milliseconds, printed in seconds for sleep (e.g. 0.123).
rand_delay() {
    awk -v s="$TEST_SEED" -v n="$2" -v m="$1" \
        'BEGIN { srand(s % 2147483647); for (i = 0; i < n; i++) r = rand()
                 printf "%.3f", int(r * m) / 1000 }'
}
