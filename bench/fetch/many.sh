#!/bin/sh
# Many messages left on the server: N messages (default 100,000; a few KB
# each, as in run.sh) in a private Dovecot on loopback, kept on the server.
# Side by side in one run, each client with fresh local state:
#   first     the first fetch of all N (floor: floor.py, pipelined RETR)
#   check     the fetch right after, which finds nothing new (floor:
#             floor.py --check, log in + STAT + UIDL + QUIT)
# for the floor, postie and mpop (skipped when not installed), and with
# -B OLD_POSTIE also an older postie binary, to compare two builds.
# Each line gives the median wall time and CPU time (user + system of the
# client, from the shell's `times`) of RUNS runs with their ratios to the
# floor's, and the peak RSS of the last run (/usr/bin/time).  On a loaded
# machine the CPU figures are the ones to compare.  The UID records staying
# linear shows as the CPU per 1,000 messages of the first fetch at 10,000
# and at 100,000 (run it with -n 10000 and -n 100000).
#
#   bench/fetch/many.sh [-n MESSAGES] [-r RUNS] [-b BUILD_DIR] [-B OLD_POSTIE]
#
# Needs dovecot-pop3d, python3, bc and /usr/bin/time (package time).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=100000 runs=3 build=$top/_build old=
while [ $# -gt 0 ]; do
    case $1 in
        -n) n=$2; shift 2 ;;
        -r) runs=$2; shift 2 ;;
        -b) build=$2; shift 2 ;;
        -B) old=$2; shift 2 ;;
        *) echo "usage: $0 [-n MESSAGES] [-r RUNS] [-b BUILD_DIR] [-B OLD_POSTIE]" >&2; exit 2 ;;
    esac
done
POSTIE=$build/src/postie
PY=/usr/bin/python3
[ -x "$POSTIE" ] || { echo "build postie first ($POSTIE)" >&2; exit 1; }

work=$(mktemp -d /tmp/postie-bench.XXXXXX)
chmod 755 "$work"
trap '"$top/tests/servers/dovecot.sh" stop "$work/dc" >/dev/null 2>&1; rm -rf "$work"' EXIT
"$top/tests/servers/dovecot.sh" start "$work/dc" >/dev/null
. "$work/dc/dovecot.env"
"$top/tests/servers/dovecot.sh" add-mail "$work/dc" --generate "$n" --seed 42 >/dev/null
bytes=$(stat -c %s "$POP3_MAILBOX")

# One fetch by CLIENT (floor, postie, old, mpop) into state directory $s,
# under /usr/bin/time (peak RSS into $work/rss); prints the number of
# messages it has stored (or, for the floor, seen).
fetch_once() {
    client=$1 mode=$2
    case $client in
        floor)
            flag=
            [ "$mode" = first ] || flag=--check
            /usr/bin/time -o "$work/rss" -f %M \
                "$PY" "$top/bench/fetch/floor.py" $flag 127.0.0.1 "$POP3_PORT" \
                "$POP3_USER" "$POP3_PASSWORD" ;;
        postie|old)
            bin=$POSTIE
            [ "$client" = postie ] || bin=$old
            mkdir -p "$s/config/postie"
            cat > "$s/config/postie/config" <<CONF
[general]
mail_dir = $s/mail

[account bench]
address = alice@example.org
pop3_host = 127.0.0.1
pop3_port = $POP3_PORT
pop3_security = none
allow_plaintext_password = true
pop3_user = $POP3_USER
password = $POP3_PASSWORD
CONF
            chmod 600 "$s/config/postie/config"
            HOME=$s XDG_CONFIG_HOME=$s/config XDG_STATE_HOME=$s/xstate \
                XDG_DATA_HOME=$s/data /usr/bin/time -o "$work/rss" -f %M \
                "$bin" fetch --quiet
            grep -c '^X-Postie-UIDL: ' "$s/mail/Inbox" ;;
        mpop)
            cat > "$s/mpoprc" <<CONF
account bench
host 127.0.0.1
port $POP3_PORT
tls off
auth user
user $POP3_USER
password $POP3_PASSWORD
keep on
only_new on
uidls_file $s/mpop-uidls
delivery mbox $s/mpop.mbox
CONF
            chmod 600 "$s/mpoprc"
            /usr/bin/time -o "$work/rss" -f %M mpop --quiet -C "$s/mpoprc" bench
            grep -c '^Message-ID: ' "$s/mpop.mbox" ;;
    esac
}

now() { date +%s.%N; }
# CPU seconds of this shell's finished children: `times` must run in this
# shell, not in a $(...) subshell, so it writes a file read here.
cpu_seconds() {
    awk 'END { for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
               printf "%.3f\n", t }' "$work/times"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

clients="floor postie"
[ -z "$old" ] || clients="$clients old"
if command -v mpop >/dev/null; then clients="$clients mpop"; else echo "# mpop: not installed"; fi

echo "# $n messages, $bytes bytes in the server mbox, left on the server; medians of $runs runs"
printf '%-7s %-6s %9s %7s %9s %7s %10s %8s\n' mode client wall/s xfloor cpu/s xfloor cpu/1000msg peakMB
for mode in first check; do
    floor= floor_cpu=
    for client in $clients; do
        walls= cpus=
        for r in $(seq "$runs"); do
            s=$work/state-$client
            if [ "$mode" = first ]; then rm -rf "$s"; mkdir -p "$s"; fi
            times > "$work/times"; c0=$(cpu_seconds)
            t0=$(now)
            got=$(fetch_once "$client" "$mode" | tail -1)
            t1=$(now)
            times > "$work/times"; c1=$(cpu_seconds)
            [ "$got" -eq "$n" ] || { echo "$client ($mode): $got of $n messages" >&2; exit 1; }
            walls="$walls $(echo "$t1 - $t0" | bc -l | sed 's/^\./0./')"
            cpus="$cpus $(echo "$c1 - $c0" | bc -l | sed 's/^\./0./')"
        done
        t=$(echo $walls | tr ' ' '\n' | median)
        c=$(echo $cpus | tr ' ' '\n' | median)
        [ -n "$floor" ] || { floor=$t; floor_cpu=$c; }
        printf '%-7s %-6s %9.3f %6.2fx %9.3f %6.2fx %10.4f %8.1f\n' "$mode" "$client" \
            "$t" "$(echo "$t / $floor" | bc -l)" "$c" "$(echo "$c / $floor_cpu" | bc -l)" \
            "$(echo "$c * 1000 / $n" | bc -l)" "$(echo "$(tail -1 "$work/rss") / 1024" | bc -l)"
    done
done
