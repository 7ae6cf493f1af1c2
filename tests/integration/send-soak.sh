#!/bin/sh
# Soak: many messages through a real Postfix with CHUNKING and PIPELINING
# (tests/servers/postfix.sh), over STARTTLS and over port 465, each checked
# at the server to have arrived exactly once; then kill -9 at random moments
# of a flush, after which every message is in exactly one of Outbox or Sent
# and at most one extra copy per kill reached the server.
#
# Sizes (environment): SOAK_SINGLE messages each sent by its own
# `postie send` (half over STARTTLS, half over 465; default 2000: every
# send fsyncs the Outbox, its index, the journal and Sent; SOAK_SINGLE=4000,
# 2,000 per transport, took 4.6 minutes in all on a 2-core machine),
# SOAK_FLUSH messages per flush (one over STARTTLS, one over 465; default
# 2000), SOAK_KILLS kills (default 50) during flushes of SOAK_KILL_MSGS
# messages (default 1000).
# The random seed is printed; SOAK_SEED=N repeats a run.  Postfix runs
# only as root: skipped otherwise.
. "$top_srcdir/tests/integration/send-lib.sh"

SINGLE=${SOAK_SINGLE:-2000}
FLUSH=${SOAK_FLUSH:-2000}
KILLS=${SOAK_KILLS:-50}
KILL_MSGS=${SOAK_KILL_MSGS:-1000}
SEED=${SOAK_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
diag "random seed $SEED (rerun with SOAK_SEED=$SEED)"

PF="$TEST_TMP/pf"
TEST_CLEANUP="$TEST_CLEANUP; \"$SERVERS/postfix.sh\" stop \"$PF\""
why=$("$SERVERS/postfix.sh" start "$PF" "$CERTS" 2>&1) || {
    rc=$?
    [ $rc -eq 77 ] && skip_all "${why#postfix.sh: }"
    echo "$why" >&2
    exit 1
}
. "$PF/postfix.env"

pf_account() {   # pf_account PORT SECURITY
    new_config
    SMTP_PORT=$1 account work alice@example.org "smtp_security = $2" "smtp_auth = none"
}

# Copies at the server of each Message-ID with PREFIX, once Postfix has
# delivered everything it accepted: "ID COUNT" lines.
server_counts() {
    i=0
    while [ $i -lt 1200 ]; do
        postqueue -c "$PF/etc" -p 2>/dev/null | grep -q 'Mail queue is empty' && break
        sleep 0.1; i=$((i + 1))
    done
    [ $i -lt 1200 ] || diag "Postfix's queue was not empty after 120 s: $(postqueue -c "$PF/etc" -p 2>&1 | tail -1)"
    find "$PF_OUT" -name '*.eml' -exec grep -h "^Message-ID: <$1" {} + |
        sort | uniq -c | awk '{print $3, $1}'
}

# check PREFIX N: every message PREFIX-1..N arrived exactly once.
exactly_once() {
    server_counts "$1" | "$PY" -c '
import sys
prefix, n = sys.argv[1], int(sys.argv[2])
got = {}
for l in sys.stdin:
    i, c = l.split()
    got[i] = int(c)
want = ["<%s-%d@example.org>" % (prefix, k) for k in range(1, n + 1)]
missing = [w for w in want if w not in got]
twice = [w for w in want if got.get(w, 0) > 1]
print("# %s: %d distinct at the server, missing %d, more than once %d"
      % (prefix, len(got), len(missing), len(twice)))
sys.exit(0 if not missing and not twice and len(got) == n else 1)
' "$1" "$2"
}

# fill_outbox PREFIX N: N messages in the Outbox, each a copy of one that
# `postie send --queue` wrote (only Message-ID and Subject differ), written
# at once (queueing 2,000 one by one would be 2,000 fsyncs).
fill_outbox() {
    rm -f "$MAIL/Outbox"
    printf 'From: alice@example.org\nTo: bob@example.net\nSubject: template\n\n%s\n' \
        "$(seq 1 30 | sed 's/^/soak body line /')" | "$POSTIE" send --queue >/dev/null
    "$PY" - "$MAIL/Outbox" "$1" "$2" <<'PY'
import os, re, sys
path, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = open(path, "rb").read()
out = []
for k in range(1, n + 1):
    m = re.sub(rb"(?m)^Message-ID: .*$", b"Message-ID: <%s-%d@example.org>" % (prefix.encode(), k), t, 1)
    out.append(re.sub(rb"(?m)^Subject: .*$", b"Subject: %s %d" % (prefix.encode(), k), m, 1))
with open(path, "wb") as f:
    f.write(b"".join(out))
    f.flush()
    os.fsync(f.fileno())
PY
}

# ---- one `postie send` per message ------------------------------------------
half=$((SINGLE / 2))
for mode in starttls tls; do
    [ $mode = starttls ] && port=$PF_PORT || port=$PF_SMTPS_PORT
    pf_account "$port" $mode
    rm -f "$MAIL/Outbox" "$MAIL/Sent"
    bad=0 k=1
    while [ $k -le $half ]; do
        printf 'From: alice@example.org\nTo: bob@example.net\nSubject: single %d\nMessage-ID: <single-%s-%d@example.org>\n\nbody %d\n' \
            $k $mode $k $k | "$POSTIE" send >/dev/null 2>&1 || bad=$((bad + 1))
        k=$((k + 1))
    done
    is "$bad" 0 "$mode: $half messages, each by its own postie send, all sent"
    exactly_once "single-$mode" $half; ok $? "$mode: each arrived exactly once"
    is "$(count_in Sent)/$(count_in Outbox)" "$half/0" "$mode: all in Sent, none in the Outbox"
done

# ---- one flush --------------------------------------------------------------
for mode in starttls tls; do
    [ $mode = starttls ] && port=$PF_PORT || port=$PF_SMTPS_PORT
    pf_account "$port" $mode
    rm -f "$MAIL/Sent"
    fill_outbox "flush-$mode" "$FLUSH"
    is "$(count_in Outbox)" "$FLUSH" "$mode: $FLUSH messages queued"
    "$POSTIE" flush -q >/dev/null 2>&1
    is "$?" 0 "$mode: one flush sends them"
    exactly_once "flush-$mode" "$FLUSH"; ok $? "$mode: each arrived exactly once"
    is "$(count_in Sent)/$(count_in Outbox)" "$FLUSH/0" "$mode: all in Sent, none in the Outbox"
done

# ---- kill -9 during flushes -------------------------------------------------
pf_account "$PF_PORT" starttls
rm -f "$MAIL/Sent"
fill_outbox kill "$KILL_MSGS"
# Messages Postfix has begun to take in (its cleanup logs each one).
received_now() { grep -c 'message-id=<kill-' "$PF_LOG" 2>/dev/null || true; }
"$PY" -c 'import random, sys
r = random.Random(int(sys.argv[1]))
print(" ".join(str(r.randint(1, 15)) for _ in range(int(sys.argv[2]))))' "$SEED" "$KILLS" > "$TEST_TMP/steps"
kills=0
lost=0
for step in $(cat "$TEST_TMP/steps"); do
    [ "$(count_in Outbox)" -gt 0 ] || break
    base=$(received_now)
    "$POSTIE" flush -q >/dev/null 2>&1 &
    pid=$!
    # Kill once the server has taken STEP more (or the flush ended).
    i=0
    while [ "$(received_now)" -lt $((base + step)) ] && kill -0 $pid 2>/dev/null &&
          [ $i -lt 3000 ]; do
        sleep 0.01; i=$((i + 1))
    done
    kill -9 $pid 2>/dev/null && kills=$((kills + 1))
    wait $pid 2>/dev/null
    # After each kill: every message in exactly one of Outbox or Sent.
    "$PY" - "$MAIL/Outbox" "$MAIL/Sent" "$KILL_MSGS" <<'PY' || lost=$((lost + 1))
import re, sys
ids = []
for f in sys.argv[1:3]:
    try:
        ids += re.findall(rb"(?m)^Message-ID: <(kill-\d+)@", open(f, "rb").read())
    except FileNotFoundError:
        pass
n = int(sys.argv[3])
sys.exit(0 if sorted(ids) == sorted(b"kill-%d" % k for k in range(1, n + 1)) else 1)
PY
done
diag "$kills flushes killed with kill -9"
is "$lost" 0 "after every kill each message was in exactly one of Outbox or Sent"
"$POSTIE" flush -q >/dev/null 2>&1
is "$?" 0 "a last flush sends the rest"
is "$(count_in Sent)/$(count_in Outbox)" "$KILL_MSGS/0" "all in Sent, each once"
server_counts kill | "$PY" -c '
import sys
n, kills = int(sys.argv[1]), int(sys.argv[2])
got = {}
for l in sys.stdin:
    i, c = l.split()
    got[i] = int(c)
extra = sum(c - 1 for c in got.values())
print("# kill: %d distinct at the server, %d extra copies for %d kills" % (len(got), extra, kills))
sys.exit(0 if len(got) == n and extra <= kills else 1)
' "$KILL_MSGS" "$kills"
ok $? "every message reached the server, at most one extra copy per kill"

done_testing
