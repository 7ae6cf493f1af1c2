#!/bin/sh
# Disk full while appending (a small tmpfs as the mail directory, root
# only): the fetch stops with a clear error, nothing is deleted on the
# server, no partial message is left; once there is room the next fetch
# brings every message exactly once.
. "$top_srcdir/tests/integration/fetch-lib.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to mount a small tmpfs"
FULL=$TEST_TMP/full
mkdir -p "$FULL"
mount -t tmpfs -o size=2m tmpfs "$FULL" 2>/dev/null || skip_all "cannot mount a tmpfs here"
TEST_CLEANUP="umount \"$FULL\"; ${TEST_CLEANUP:-}"
start_dovecot
add_mail --generate 200 --seed 11
cp "$POP3_MAILBOX" "$TEST_TMP/original"
new_config
printf '[general]\nmail_dir = %s\n\n' "$FULL" >> "$CONFIG"
account a leave_on_server=false
# Leave about 300 KB free: the 200 messages need about 900 KB.
head -c $((1700 * 1024)) /dev/zero > "$FULL/filler" 2>/dev/null
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 1 "disk full fails the fetch"
like "$out" "account a: .*(No space left on device|disk)" "saying the disk is full"
is "$(server_count)" 200 "nothing deleted on the server"
if [ -s "$FULL/Inbox" ]; then
    res=$("$PYTHON3" "$top_srcdir/tests/integration/fetch-compare.py" \
          "$TEST_TMP/original" "$FULL/Inbox" 2>&1)
    like "$res" "^ok [0-9]+$" "what is in the folder is whole"
else
    ok 0 "the folder was truncated back to empty"
fi
rm -f "$FULL/filler"
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "with room again the fetch works"
like "$out" "0 left on server, 200 deleted on server" "all 200 are deleted on the server now"
res=$("$PYTHON3" "$top_srcdir/tests/integration/fetch-compare.py" \
      "$TEST_TMP/original" "$FULL/Inbox" 2>&1)
is "$res" "ok 200" "every message here, whole, exactly once"
is "$(server_count)" 0 "the server is empty"
done_testing
