#!/bin/sh
# Fetch benchmark: N realistic messages (a few KB, every tenth with an
# attachment) in a private Dovecot on loopback, fetched leaving them on the
# server, with fresh local state for every run, side by side:
#   floor     floor.py: pipelined RETR of every message, data thrown away
#   postie    postie fetch (every message fsynced before its UID is recorded)
#   mpop      mpop, delivering to an mbox, keeping mail on the server
#   fetchmail fetchmail --keep, delivering through an mda to an mbox
# All speak plain POP3 on 127.0.0.1 (no TLS), so what is measured is the
# clients, not the cipher.  Needs dovecot-pop3d, mpop and fetchmail
# (Debian packages); a missing client is skipped.
#
#   [CLIENTS="floor postie ..."] bench/fetch/run.sh [-n MESSAGES] [-r RUNS] [-R FETCHMAIL_RUNS] [-b BUILD_DIR]
#
# Prints one line per client: median wall time of RUNS (fetchmail, about
# 80 times slower, runs FETCHMAIL_RUNS times, default 1) and median CPU
# time (user + system of the client and its children, from the shell's
# `times`; the server's is not counted), each with its ratio to the
# floor's.  On a loaded machine the CPU figures are the ones to compare.
# Run from the top of the source tree after building.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=10000 runs=3 fruns=1 build=$top/_build
while [ $# -gt 0 ]; do
    case $1 in
        -n) n=$2; shift 2 ;;
        -r) runs=$2; shift 2 ;;
        -R) fruns=$2; shift 2 ;;
        -b) build=$2; shift 2 ;;
        *) echo "usage: $0 [-n MESSAGES] [-r RUNS] [-R FETCHMAIL_RUNS] [-b BUILD_DIR]" >&2; exit 2 ;;
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

fresh() { rm -rf "$work/state"; mkdir -p "$work/state"; }

# Each run_X does one fresh fetch and prints how many messages it stored.
run_floor() {
    "$PY" "$top/bench/fetch/floor.py" 127.0.0.1 "$POP3_PORT" "$POP3_USER" "$POP3_PASSWORD"
}

run_postie() {
    s=$work/state
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
        XDG_DATA_HOME=$s/data "$POSTIE" fetch --quiet
    grep -c '^X-Postie-UIDL: ' "$s/mail/Inbox"
}

run_mpop() {
    s=$work/state
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
    mpop --quiet -C "$s/mpoprc" bench
    grep -c '^Message-ID: ' "$s/mpop.mbox"
}

run_fetchmail() {
    s=$work/state
    cat > "$s/fetchmailrc" <<CONF
set no syslog
poll 127.0.0.1 port $POP3_PORT proto pop3 uidl
  user "$POP3_USER" password "$POP3_PASSWORD"
  keep fetchall no sslcertck
  mda "/bin/sh -c 'cat >> $s/fetchmail.mbox'"
CONF
    chmod 600 "$s/fetchmailrc"
    HOME=$s fetchmail -f "$s/fetchmailrc" -i "$s/fetchids" >"$s/fetchmail.log" 2>&1 || true
    grep -c '^Message-ID: ' "$s/fetchmail.mbox" 2>/dev/null ||
        { tail -5 "$s/fetchmail.log" >&2; echo 0; }
}

now() { date +%s.%N; }
# CPU seconds (user + system) used so far by this shell's finished
# children: `times` must run in this shell, not in a $(...) subshell, so
# it writes a file that cpu_seconds reads.
cpu_seconds() {
    awk 'END { for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
               printf "%.3f\n", t }' "$work/times"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "# $n messages, $bytes bytes in the server mbox, medians of $runs runs ($fruns for fetchmail)"
printf '%-10s %9s %7s %9s %7s\n' client wall/s xfloor cpu/s xfloor
floor= floor_cpu=
for client in ${CLIENTS:-floor postie mpop fetchmail}; do
    case $client in
        mpop) command -v mpop >/dev/null || { echo "mpop: not installed"; continue; } ;;
        fetchmail) command -v fetchmail >/dev/null || { echo "fetchmail: not installed"; continue; } ;;
    esac
    times= cpus=
    k=$runs
    [ "$client" != fetchmail ] || k=$fruns
    for r in $(seq "$k"); do
        fresh
        times > "$work/times"; c0=$(cpu_seconds)
        t0=$(now)
        got=$("run_$client" | tail -1)
        t1=$(now)
        times > "$work/times"; c1=$(cpu_seconds)
        [ "$got" -eq "$n" ] || { echo "$client: stored $got of $n messages" >&2; exit 1; }
        times="$times $(echo "$t1 - $t0" | bc -l | sed 's/^\./0./')"
        cpus="$cpus $(echo "$c1 - $c0" | bc -l | sed 's/^\./0./')"
    done
    t=$(echo $times | tr ' ' '\n' | median)
    c=$(echo $cpus | tr ' ' '\n' | median)
    [ -n "$floor" ] || { floor=$t; floor_cpu=$c; }
    printf '%-10s %9.3f %6.1fx %9.3f %6.1fx   (wall:%s; cpu:%s)\n' "$client" "$t" \
        "$(echo "$t / $floor" | bc -l)" "$c" "$(echo "$c / $floor_cpu" | bc -l)" \
        "$times" "$cpus"
done
