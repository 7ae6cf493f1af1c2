#!/bin/sh
# Send benchmark: deliver N queued messages with one "postie flush" (one
# SMTP session, pipelined) against N invocations of msmtp (one session
# each), to the same local capturing SMTP server (tests/servers/smtpd.py:
# STARTTLS with the test CA, AUTH LOGIN/PLAIN), in the same run.
#
#   bench/send/run.sh [POSTIE] [N]
#
# POSTIE defaults to _build/src/postie, N to 500.  Needs msmtp (Debian
# package msmtp) and python3-aiosmtpd.  Prints the times and the ratio.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
POSTIE=${1:-$top/_build/src/postie}
N=${2:-500}
case $POSTIE in /*) ;; *) POSTIE=$(pwd)/$POSTIE ;; esac
command -v msmtp >/dev/null || { echo "run.sh: msmtp is not installed (apt-get install msmtp)" >&2; exit 1; }
[ -x "$POSTIE" ] || { echo "run.sh: no postie at $POSTIE" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/postie-bench-send.XXXXXX")
trap '"$top/tests/servers/smtpd.sh" stop "$W/smtp-postie" 2>/dev/null || true
      "$top/tests/servers/smtpd.sh" stop "$W/smtp-msmtp" 2>/dev/null || true
      rm -rf "$W"' EXIT
export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" \
       XDG_DATA_HOME="$W/home/.local/share" XDG_STATE_HOME="$W/home/.local/state"
mkdir -p "$XDG_CONFIG_HOME/postie" "$W/msgs"
"$top/tests/servers/mkcerts.sh" "$W/certs"
# Two instances of the same server so each client's captures are counted
# apart; same program, same options.
"$top/tests/servers/smtpd.sh" start "$W/smtp-postie" --certs "$W/certs" >/dev/null
"$top/tests/servers/smtpd.sh" start "$W/smtp-msmtp" --certs "$W/certs" >/dev/null
P1=$(sed -n "s/^SMTP_PORT='\(.*\)'/\1/p" "$W/smtp-postie/smtpd.env")
P2=$(sed -n "s/^SMTP_PORT='\(.*\)'/\1/p" "$W/smtp-msmtp/smtpd.env")

# N realistic messages of a few KB (every tenth with a small attachment).
/usr/bin/python3 - "$W/msgs" "$N" <<'PY'
import os, sys, base64, random
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
words = "mail post letter stamp inbox outbox server queue session relay envelope".split()
for i in range(1, n + 1):
    body = "\n".join(" ".join(rnd.choice(words) for _ in range(12)) for _ in range(40))
    hdr = (f"From: Alice <alice@example.org>\nTo: bob{i % 7}@example.net\n"
           f"Subject: benchmark message {i}\nMessage-ID: <bench-{i}@example.org>\n"
           f"Date: Sun, 22 Nov 2026 04:00:00 +0000\n")
    if i % 10 == 0:
        att = base64.encodebytes(rnd.randbytes(3000)).decode()
        msg = (hdr + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
               f"--b\nContent-Type: text/plain\n\n{body}\n--b\n"
               'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n'
               f"{att}--b--\n")
    else:
        msg = hdr + "\n" + body + "\n"
    open(os.path.join(d, f"{i}.eml"), "w").write(msg)
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

now() { date +%s.%N; }
i=1
t0=$(now)
while [ $i -le "$N" ]; do "$POSTIE" send --queue < "$W/msgs/$i.eml"; i=$((i + 1)); done
t1=$(now)
"$POSTIE" flush -q
t2=$(now)
i=1
while [ $i -le "$N" ]; do msmtp -C "$W/msmtprc" -t < "$W/msgs/$i.eml"; i=$((i + 1)); done
t3=$(now)

got1=$(ls "$W/smtp-postie/out" | grep -c '\.eml$' || true)
got2=$(ls "$W/smtp-msmtp/out" | grep -c '\.eml$' || true)
[ "$got1" -eq "$N" ] || { echo "run.sh: postie delivered $got1 of $N" >&2; exit 1; }
[ "$got2" -eq "$N" ] || { echo "run.sh: msmtp delivered $got2 of $N" >&2; exit 1; }
/usr/bin/python3 - "$N" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
n = int(sys.argv[1]); t0, t1, t2, t3 = map(float, sys.argv[2:])
q, f, m = t1 - t0, t2 - t1, t3 - t2
print(f"messages:                 {n}")
print(f"postie send --queue x{n}: {q:8.2f} s  (queueing, not part of the comparison)")
print(f"postie flush (1 session): {f:8.2f} s  ({n / f:.0f} msg/s)")
print(f"msmtp x{n} (1 session each): {m:8.2f} s  ({n / m:.0f} msg/s)")
print(f"postie / msmtp:           {f / m:8.3f}  (target <= 0.25)")
sys.exit(0 if f / m <= 0.25 else 2)
PY
