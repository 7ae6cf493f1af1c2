#!/bin/sh
# Benchmark (not a test): the screen on a 100,000-message folder.
# Generates the folder, starts postie in a private tmux, and times how long
# the screen takes to show the list (first open without the index cache,
# then with it), to jump to the end, to re-sort by sender and subject, to
# turn threads on, and to answer a search (senders and subjects, then
# the decoded bodies with ~b).
#
#   usage: bench/ui/bigfolder.sh [POSTIE] [COUNT]
set -eu
POSTIE=${1:-${POSTIE:-_build/src/postie}}
COUNT=${2:-100000}
POSTIE=$(cd "$(dirname "$POSTIE")" && pwd)/$(basename "$POSTIE")
here=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/postie-bench.XXXXXX")
trap 'tmux -S "$dir/t.sock" kill-server 2>/dev/null; rm -rf "$dir"' EXIT
mkdir -p "$dir/mail" "$dir/cfg/postie" "$dir/state"
/usr/bin/python3 "$here/tests/ui/mkmbox.py" "$dir/mail/Inbox" "$COUNT"
printf '[general]\nmail_dir = %s\n' "$dir/mail" > "$dir/cfg/postie/config"
T="tmux -S $dir/t.sock -f /dev/null"

now() { date +%s.%N; }
wait_for() {
    while ! $T capture-pane -p -t t | grep -qE -- "$1"; do sleep 0.01; done
}
run() {
    $T new-session -d -s t -x 160 -y 50 \
        "env LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=$dir/cfg XDG_STATE_HOME=$dir/state $POSTIE; sleep 60"
}
step() {   # step LABEL REGEX KEYS...
    label=$1 re=$2
    shift 2
    t0=$(now)
    [ $# -gt 0 ] && $T send-keys -t t "$@"
    wait_for "$re"
    printf '%-34s %6.3f s\n' "$label" "$(echo "$(now) - $t0" | bc)"
}

size=$(du -h "$dir/mail/Inbox" | cut -f1)
echo "folder: $COUNT messages, $size"
t0=$(now); run; wait_for "Inbox \\[[0-9]+/$COUNT"
printf '%-34s %6.3f s\n' "open (no index cache)" "$(echo "$(now) - $t0" | bc)"
step "jump to the last message" "Inbox \\[$COUNT/$COUNT" End
step "jump to the first message" "Inbox \\[1/$COUNT" Home
step "page down x20" "Inbox \\[[0-9]+/$COUNT" PageDown PageDown PageDown PageDown PageDown \
    PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown \
    PageDown PageDown PageDown PageDown PageDown PageDown
step "sort by sender" "\\(sender\\)" o s
step "sort by subject" "\\(subject\\)" o b
step "threads on" "threads\\)" V
# Wait for the status line's #N of the found message (the typed text is
# on the screen before the search runs).
last=$((COUNT - 1))
$T send-keys -t t /; $T send-keys -t t -l "number $last"
step "search (over all messages)" "\\] #$COUNT " Enter
$T send-keys -t t /; $T send-keys -t t -l "~b \"message $((last - 1)).\""
step "body search (~b, all messages)" "\\] #$last " Enter
$T send-keys -t t q; sleep 0.5; $T kill-server
t0=$(now); run; wait_for "Inbox \\[[0-9]+/$COUNT"
printf '%-34s %6.3f s\n' "open again (index cache)" "$(echo "$(now) - $t0" | bc)"
