#!/bin/sh
# A lying server (scripted): LIST and STAT say 10 bytes for each of eight
# 30 MB messages.  The fetch must count what really arrives, stream the
# large messages to the folder (still in-flight record, append + fsync,
# record, then DELE) and stay under 100 MB of memory at its peak.
. "$top_srcdir/tests/integration/fetch-lib.sh"
# The crashes use the test build of the program (crash-hook.c).
CRASHABLE=$top_builddir/tests/integration/postie-crashable
SRV=$TEST_TMP/srv
mkdir -p "$SRV"
message small1 > "$SRV/1"
message small2 > "$SRV/2"
N=8 MB=30
# Under AddressSanitizer freed memory waits in a quarantine (up to 256 MB)
# that is not the program's doing: measure without it.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
export ASAN_OPTIONS

# fetch_peak: run "postie fetch", output to $TEST_TMP/out, peak RSS (kB)
# of the process to $TEST_TMP/peak.
fetch_peak() {
    "$PYTHON3" -c '
import resource, subprocess, sys
with open(sys.argv[2], "w") as out:
    rc = subprocess.run(sys.argv[3:], stdout=out, stderr=subprocess.STDOUT).returncode
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$TEST_TMP/peak" "$TEST_TMP/out" "$POSTIE" fetch
}

# check_huge: every large message is in the Inbox exactly once and whole.
check_huge() {
    "$PYTHON3" - "$MAIL/Inbox" "$N" "$MB" <<'PY'
import sys
path, n, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
want = mb * 1024 * 1024 // 78
seen, cur, count, bad = {}, None, 0, 0
def close():
    if cur is not None:
        seen[cur] = seen.get(cur, []) + [count]
with open(path, "rb") as f:
    for line in f:
        if line.startswith(b"Message-ID: <huge-"):
            close()
            cur, count = int(line[18:line.index(b"@")]), 0
        elif cur is not None and line.startswith(b"huge %d line " % cur):
            k = int(line.split()[3].rstrip(b"x"))
            count += 1
            if k != count or len(line) != 77:
                bad += 1
        elif cur is not None and line == b"end of huge %d\n" % cur:
            close()
            cur = None
close()
ok = bad == 0 and sorted(seen) == list(range(1, n + 1)) and \
    all(v == [want] for v in seen.values())
print("ok" if ok else "bad: %d bad lines, %r" % (bad, seen))
PY
}

start_fake --huge "$N:$MB"
fetch_peak; rc=$?
is "$rc" 0 "fetch from a lying server exits 0"
like "$(cat "$TEST_TMP/out")" "^a: $((N + 2)) new, 0 headers only, $((N + 2)) left" \
    "all $((N + 2)) messages fetched"
peak=$(cat "$TEST_TMP/peak")
test "$peak" -lt 102400
ok $? "peak memory under 100 MB although $((N * MB)) MB arrived in one batch (${peak} kB)"
is "$(check_huge)" ok "each large message is in the Inbox once, whole and in order"
is "$(local_ids Inbox | grep -c small)" 2 "and the small ones too"
like "$("$POSTIE" fetch 2>&1)" "^a: 0 new, 0 headers only, $((N + 2)) left" \
    "recorded: nothing is fetched again"

# Deleting them on the server comes only after they are recorded.
LEAVE=false start_fake --huge "$N:$MB"
like "$("$POSTIE" fetch 2>&1)" "^a: 0 new, 0 headers only, 0 left on server, $((N + 2)) deleted" \
    "already recorded messages are deleted on the server"
is "$(check_huge)" ok "the Inbox still holds each large message once"

# Downloaded and deleted in one fetch: a crash right after the append
# (before the record) leaves them for recovery, not lost and not deleted.
wipe_local
LEAVE=false start_fake --huge "2:$MB"
POSTIE_TEST_CRASH_AT=appended "$CRASHABLE" fetch >/dev/null 2>&1
is "$?" 137 "a crash after the first append (test hook)"
N=2
like "$("$POSTIE" fetch 2>&1)" "^a: [0-9]+ new, 0 headers only, 0 left on server, 2 deleted" \
    "the next fetch recovers, then deletes"
is "$(check_huge)" ok "each large message is in the Inbox once and whole"

# Recovery checks an in-flight copy in pieces too: a 120 MB one.
wipe_local
N=1 MB=120
LEAVE=false start_fake --huge "$N:$MB"
POSTIE_TEST_CRASH_AT=appended "$CRASHABLE" fetch >/dev/null 2>&1
is "$?" 137 "a crash right after appending a $MB MB message (test hook)"
fetch_peak
like "$(cat "$TEST_TMP/out")" "^a: 0 new, 0 headers only, 0 left on server, 1 deleted" \
    "the next fetch finds the copy complete and deletes the message"
peak=$(cat "$TEST_TMP/peak")
test "$peak" -lt 102400
ok $? "checking the $MB MB copy stays under 100 MB (${peak} kB)"
is "$(check_huge)" ok "the large message is in the Inbox once and whole"
done_testing
