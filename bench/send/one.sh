#!/bin/sh
# One message per process: `postie send` against msmtp, as mutt, git
# send-email or cron call a sendmail; and `postie send --queue` alone.
#
#   bench/send/one.sh [POSTIE] [N] [OLD_POSTIE]
#
# POSTIE defaults to _build/src/postie, N to 20 rounds.  Each round sends
# the same 5 KB message once with postie and once with msmtp (alternating,
# so machine load hits both alike), each to its own instance of the test
# SMTP server (tests/servers/smtpd.py: STARTTLS with the test CA, AUTH),
# and queues it once with `postie send --queue`.  OLD_POSTIE, if given,
# is another postie binary run in the same rounds.  CPU time (user +
# system, perf stat's task-clock) and wall time of every run; medians
# and the ratios to msmtp are printed, and the fsyncs of one send and one
# queueing (strace).  "system CAs" is `postie send` with no smtp_ca_file
# (OpenSSL's default paths).  `postie --version` and `msmtp --version` show what
# starting each program alone costs (loading its shared libraries).
# bench/send/tls-setup (built here) shows what the TLS context alone
# costs (OpenSSL's configuration, SSL_CTX, the CA file): with postie's
# start, the floor of any send over TLS with OpenSSL, before it connects.
# Needs msmtp, perf, strace, openssl and python3-aiosmtpd.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
POSTIE=${1:-$top/_build/src/postie}
N=${2:-20}
OLD=${3:-}
case $POSTIE in /*) ;; *) POSTIE=$(pwd)/$POSTIE ;; esac
BUILD=$(cd "$(dirname "$POSTIE")/.." && pwd)
make -s -C "$BUILD" bench/send/tls-setup >&2
TLS_SETUP=$BUILD/bench/send/tls-setup
for c in msmtp perf strace; do
    command -v $c >/dev/null || { echo "one.sh: $c is not installed" >&2; exit 1; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/postie-bench-one.XXXXXX")
trap '"$top/tests/servers/smtpd.sh" stop "$W/smtp-postie" 2>/dev/null || true
      "$top/tests/servers/smtpd.sh" stop "$W/smtp-msmtp" 2>/dev/null || true
      rm -rf "$W"' EXIT
export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" \
       XDG_DATA_HOME="$W/home/.local/share" XDG_STATE_HOME="$W/home/.local/state"
mkdir -p "$XDG_CONFIG_HOME/postie"
"$top/tests/servers/mkcerts.sh" "$W/certs" >/dev/null
"$top/tests/servers/smtpd.sh" start "$W/smtp-postie" --certs "$W/certs" >/dev/null
"$top/tests/servers/smtpd.sh" start "$W/smtp-msmtp" --certs "$W/certs" >/dev/null
P1=$(sed -n "s/^SMTP_PORT='\(.*\)'/\1/p" "$W/smtp-postie/smtpd.env")
P2=$(sed -n "s/^SMTP_PORT='\(.*\)'/\1/p" "$W/smtp-msmtp/smtpd.env")

/usr/bin/python3 - "$W/m.eml" <<'PY'
import random, sys
rnd = random.Random(7)
words = "mail post letter stamp inbox outbox server queue session relay envelope".split()
body = "\n".join(" ".join(rnd.choice(words) for _ in range(12)) for _ in range(60))
open(sys.argv[1], "w").write(
    "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: one\n"
    "Message-ID: <one-1@example.org>\nDate: Sun, 22 Nov 2026 04:00:00 +0000\n\n"
    + body[:4800] + "\n")
PY
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[account bench]
address = alice@example.org
smtp_host = localhost
smtp_port = $P1
smtp_user = alice
smtp_password = smtp-pw-1
smtp_ca_file = $W/certs/ca.pem
timeout = 60
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"
# The same account with the system CAs (no smtp_ca_file), as most users
# have it: OpenSSL's default bundle and a hashed directory that also
# holds the test CA ($SSL_CERT_DIR).
grep -v '^smtp_ca_file' "$XDG_CONFIG_HOME/postie/config" > "$W/system.conf"
chmod 600 "$W/system.conf"
# (No other run reads it: the others name their CA file.)
mkdir "$W/cadir" && cp "$W/certs/ca.pem" "$W/cadir/" && openssl rehash "$W/cadir"
export SSL_CERT_DIR="$W/cadir"
cat > "$W/msmtprc" <<CFG
account bench
host localhost
port $P2
tls on
tls_starttls on
tls_trust_file $W/certs/ca.pem
auth on
user alice
password smtp-pw-1
from alice@example.org
account default : bench
CFG
chmod 600 "$W/msmtprc"

# run NAME CMD...: the CPU milliseconds of one run, to $W/NAME.cpu.
run() {
    name=$1; shift
    perf stat -x, -e task-clock -o "$W/stat" "$@" < "$W/m.eml" > /dev/null
    grep task-clock "$W/stat" | cut -d, -f1 >> "$W/$name.cpu"
}
# wall NAME CMD...: the wall milliseconds of another run, to $W/NAME.wall:
# perf stat's elapsed time, from the fork to the exit of CMD (timing with
# date(1) around it added the shell's forks, 1-2 ms, to every run).
wall() {
    name=$1; shift
    perf stat -e task-clock -o "$W/stat" "$@" < "$W/m.eml" > /dev/null
    awk '/seconds time elapsed/ { printf "%.3f\n", $1 * 1000 }' "$W/stat" >> "$W/$name.wall"
}
i=0
while [ "$i" -lt "$N" ]; do
    i=$((i + 1))
    run postie "$POSTIE" send
    run msmtp msmtp -C "$W/msmtprc" -t
    run queue "$POSTIE" send --queue
    run system "$POSTIE" --config "$W/system.conf" send
    [ -z "$OLD" ] || run oldsystem "$OLD" --config "$W/system.conf" send
    run start "$POSTIE" --version
    run mstart msmtp --version
    run tlsstart "$TLS_SETUP" start
    run tlsctx "$TLS_SETUP" ctx "$W/certs/ca.pem"
    [ -z "$OLD" ] || run old "$OLD" send
    [ -z "$OLD" ] || run oldqueue "$OLD" send --queue
    wall postie "$POSTIE" send
    wall msmtp msmtp -C "$W/msmtprc" -t
    wall queue "$POSTIE" send --queue
    wall system "$POSTIE" --config "$W/system.conf" send
    [ -z "$OLD" ] || wall oldsystem "$OLD" --config "$W/system.conf" send
    wall start "$POSTIE" --version
    wall mstart msmtp --version
    [ -z "$OLD" ] || wall old "$OLD" send
    [ -z "$OLD" ] || wall oldqueue "$OLD" send --queue
    "$POSTIE" flush -q          # what was queued goes, so the Outbox stays small
done
want=$((3 * N))
[ -z "$OLD" ] || want=$((5 * N))
got=$(ls "$W/smtp-postie/out" | grep -c '\.eml$' || true)
[ "$got" -ge "$want" ] || { echo "one.sh: postie delivered $got of $want" >&2; exit 1; }

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mc=$(median < "$W/msmtp.cpu"); mw=$(median < "$W/msmtp.wall")
printf '%-22s %10s %8s %10s %8s\n' client cpu/ms xmsmtp wall/ms xmsmtp
for name in msmtp postie old system oldsystem queue oldqueue mstart start; do
    [ -s "$W/$name.cpu" ] || continue
    c=$(median < "$W/$name.cpu"); w=$(median < "$W/$name.wall")
    case $name in
        postie) label="postie send" ;; old) label="old postie send" ;;
        queue) label="postie send --queue" ;; oldqueue) label="old send --queue" ;;
        mstart) label="msmtp --version" ;; start) label="postie --version" ;;
        system) label="send, system CAs" ;; oldsystem) label="old, system CAs" ;;
        *) label=$name ;;
    esac
    printf '%-22s %10.2f %7.2fx %10.2f %7.2fx\n' "$label" "$c" \
        "$(echo "$c / $mc" | bc -l)" "$w" "$(echo "$w / $mw" | bc -l)"
done
# The TLS context's cost, and with postie's start the floor of a send.
ts=$(median < "$W/tlsstart.cpu"); tc=$(median < "$W/tlsctx.cpu")
st=$(median < "$W/start.cpu")
printf '%-22s %10.2f %7.2fx\n' "TLS context set-up" "$(echo "$tc - $ts" | bc -l)" \
    "$(echo "($tc - $ts) / $mc" | bc -l)"
printf '%-22s %10.2f %7.2fx  (postie --version + TLS context)\n' "floor of a TLS send" \
    "$(echo "$st + $tc - $ts" | bc -l)" "$(echo "($st + $tc - $ts) / $mc" | bc -l)"
for mode in send "send --queue"; do
    # shellcheck disable=SC2086
    strace -f -c -o "$W/calls" "$POSTIE" $mode < "$W/m.eml" > /dev/null
    printf 'fsyncs of one postie %s: %s\n' "$mode" \
        "$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$W/calls")"
done
"$POSTIE" flush -q
echo "# $N rounds, medians; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
