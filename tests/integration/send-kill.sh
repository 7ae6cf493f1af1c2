#!/bin/sh
# kill -9 in the middle of a flush of many messages loses none: each one
# is in the Outbox or in Sent at every moment, and the next flush sends
# the rest (a message may go twice, never zero times).
. "$top_srcdir/tests/integration/send-lib.sh"

N=150
start_smtp kill
new_config
account work alice@example.org
i=1
while [ $i -le $N ]; do
    printf 'From: alice@example.org\nTo: bob@example.net\nMessage-ID: <kill-%d@example.org>\nSubject: number %d\n\n%s\n' \
        $i $i "$(printf 'line %d\n' $(seq 1 40))" | "$POSTIE" send --queue || break
    i=$((i + 1))
done
is "$(count_in Outbox)" $N "$N messages queued"

"$POSTIE" flush -q >/dev/null 2>&1 &
pid=$!
# Wait until the server has taken a few, then kill postie without warning.
k=0
while [ "$(captured)" -lt 10 ] && [ $k -lt 1200 ] && kill -0 $pid 2>/dev/null; do
    sleep 0.05; k=$((k + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
diag "killed after $(captured) messages reached the server"

# Every message is somewhere.
"$PY" - "$MAIL/Outbox" "$MAIL/Sent" $N <<'PY'
import re, sys
ids = set()
for f in sys.argv[1:3]:
    try:
        ids |= set(re.findall(rb'^Message-ID: <(kill-\d+)@', open(f, 'rb').read(), re.M))
    except FileNotFoundError:
        pass
missing = [i for i in range(1, int(sys.argv[3]) + 1) if b'kill-%d' % i not in ids]
print("# missing after the kill:", missing[:10])
sys.exit(1 if missing else 0)
PY
ok $? "after kill -9 every message is in the Outbox or in Sent"

"$POSTIE" flush -q >/dev/null 2>&1
is "$?" 0 "the next flush succeeds"
is "$(count_in Outbox)" 0 "the Outbox is empty"
"$PY" - "$SMTP_OUTDIR" "$MAIL/Sent" $N <<'PY'
import glob, re, sys
got = set()
for f in glob.glob(sys.argv[1] + '/*.eml'):
    m = re.search(rb'^Message-ID: <(kill-\d+)@', open(f, 'rb').read(), re.M)
    if m: got.add(m.group(1))
sent = set(re.findall(rb'^Message-ID: <(kill-\d+)@', open(sys.argv[2], 'rb').read(), re.M))
n = int(sys.argv[3])
want = {b'kill-%d' % i for i in range(1, n + 1)}
print("# delivered:", len(got), "in Sent:", len(sent))
sys.exit(0 if got == want and sent == want else 1)
PY
ok $? "every message reached the server and is in Sent"
# The next flush filed what the server had accepted before the kill (the
# send journal) instead of sending it again: one copy at most goes twice.
extra=$(( $(captured) - N ))
[ "$extra" -le 1 ]; ok $? "at most one message reached the server twice ($extra)"
grep -c '^Message-ID:' "$MAIL/Sent" | grep -qx "$N"; ok $? "Sent holds each message once"
done_testing
