#!/bin/sh
# kill -9 during folder rewrites: a program saving flags on a big folder
# over and over is killed at random moments, again and again; every time
# the folder must still hold every message exactly once, intact, and the
# next writer must get the lock (the dead writer's dotlock is stale).
. "$top_srcdir/tests/lib/common.sh"

TOOL="$top_builddir/tests/store/store-tool"
F="$TEST_TMP/Inbox"
ROUNDS=${CRASH_ROUNDS:-12}
test_seed
export POSTIE_LOCK_TIMEOUT=60

# About 8 MB: a rewrite takes long enough to be hit in the middle.
"$TOOL" generate "$F" 4000 2000 || exit 1
"$POSTIE" list --folder "$F" --format '%i %z' > "$TEST_TMP/before"
is "$(wc -l < "$TEST_TMP/before" | tr -d ' ')" 4000 "4000 messages to start with"
"$TOOL" read "$F" 1234 > "$TEST_TMP/m1234.before"

r=0
while [ $r -lt $ROUNDS ]; do
    r=$((r + 1))
    "$TOOL" rewrite-loop "$F" > "$TEST_TMP/loop.out" 2>"$TEST_TMP/loop.err" &
    pid=$!
    # Wait until it has finished one rewrite, then let it run a random
    # while (0-0.5 s) into the next ones before killing it.
    i=0
    while [ $i -lt 600 ] && ! grep -q ready "$TEST_TMP/loop.out" 2>/dev/null; do
        sleep 0.1; i=$((i + 1))
    done
    delay=$(rand_delay 500 "$r")
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null

    "$POSTIE" list --folder "$F" --format '%i %z' > "$TEST_TMP/after" 2>"$TEST_TMP/list.err"
    # Sizes change with the Status headers; the set of messages must not.
    cut -d' ' -f1 "$TEST_TMP/before" > "$TEST_TMP/ids.before"
    cut -d' ' -f1 "$TEST_TMP/after" > "$TEST_TMP/ids.after"
    if ! cmp -s "$TEST_TMP/ids.before" "$TEST_TMP/ids.after"; then
        ok 1 "round $r (killed after ${delay}s): every message exactly once"
        diff "$TEST_TMP/ids.before" "$TEST_TMP/ids.after" | head -5 | sed 's/^/#   /'
        cat "$TEST_TMP/list.err" "$TEST_TMP/loop.err" | sed 's/^/#   /'
        continue
    fi
    ok 0 "round $r (killed after ${delay}s): every message exactly once"
done

# A body is byte-for-byte what it was (flag headers aside).
"$TOOL" read "$F" 1234 | grep -v -e '^Status: ' -e '^X-Status: ' > "$TEST_TMP/m1234.after"
cmp -s "$TEST_TMP/m1234.before" "$TEST_TMP/m1234.after"
ok $? "message 1234 is intact"
# The killed writer's lock does not block the next one.
"$TOOL" flag "$F" 1 A
ok $? "the next writer gets the lock"
is "$("$POSTIE" list --folder "$F" --format '%F' | head -1)" "A" "and its change is saved"
ls -a "$TEST_TMP" | grep -q 'postie-tmp'; [ $? -ne 0 ]
ok $? "temporary files of killed rewrites are cleaned up"
[ ! -e "$F.lock" ]; ok $? "no lock file is left"

done_testing
