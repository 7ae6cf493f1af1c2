#!/bin/sh
# Bad folders and failing disks: clear errors, and the folder stays as it
# was.  Disk-full and read-only-filesystem cases need root (a tiny tmpfs);
# as an ordinary user they are skipped, and permissions are used instead.
. "$top_srcdir/tests/lib/common.sh"

TOOL="$top_builddir/tests/store/store-tool"
D="$TEST_TMP/mail"
mkdir -p "$D"
export POSTIE_LOCK_TIMEOUT=10

msg() {   # msg N [FILLER-LINES]
    printf 'From: a@example.org\nSubject: msg %s\nMessage-ID: <%s@x>\n\nbody\n' "$1" "$1"
    i=0
    while [ $i -lt "${2:-0}" ]; do
        echo "filler line $i of a long message, long enough to fill the disk quickly"
        i=$((i + 1))
    done
}

# ---- bad input -------------------------------------------------------------
: > "$D/empty"
OUT=$("$POSTIE" list --folder "$D/empty" 2>&1); rc=$?
is "$rc:$OUT" "0:" "an empty file is a folder with no messages"

printf 'Subject: not an mbox\n\nbody\n' > "$D/plain"
OUT=$("$POSTIE" list --folder "$D/plain" 2>&1); rc=$?
is "$rc" 1 "a file not starting with From fails"
like "$OUT" "$D/plain is not an mbox folder" "and says which file and why"
ERR=$(msg 1 | "$TOOL" append "$D/plain" 2>&1)
like "$ERR" "not an mbox folder" "postie does not append to it either"
is "$(cat "$D/plain")" "Subject: not an mbox

body" "the file is untouched"

OUT=$("$POSTIE" list --folder "$D/missing" 2>&1); rc=$?
is "$rc" 1 "a missing folder fails"
like "$OUT" "no folder $D/missing" "naming it"

# Terminal escapes in a subject are shown, not sent.
printf 'From a@b Mon Jan  1 10:00:00 2024\nSubject: \033[31mred\033]0;title\007\n\nx\n' > "$D/escape"
OUT=$("$POSTIE" list --folder "$D/escape" --format '%S')
is "$OUT" '^[[31mred^[]0;title^G' "control characters are made visible"

# ---- permissions (ordinary user) ----------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
    msg 1 | "$TOOL" append "$D/secret"
    chmod 000 "$D/secret"
    OUT=$("$POSTIE" list --folder "$D/secret" 2>&1); rc=$?
    is "$rc" 1 "an unreadable folder fails"
    like "$OUT" "secret" "naming it"
    chmod 600 "$D/secret"

    mkdir "$D/ro"
    msg 1 | "$TOOL" append "$D/ro/box"
    msg 2 | "$TOOL" append "$D/ro/box"
    cp "$D/ro/box" "$TEST_TMP/ro.orig"
    chmod 444 "$D/ro/box"; chmod 555 "$D/ro"
    ERR=$(msg 3 | "$TOOL" append "$D/ro/box" 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "appending to a read-only folder fails"
    like "$ERR" "$D/ro/box" "naming it"
    ERR=$("$TOOL" flag "$D/ro/box" 1 R 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "saving flags in a read-only folder fails"
    cmp -s "$D/ro/box" "$TEST_TMP/ro.orig"; ok $? "the read-only folder is unchanged"
    is "$("$POSTIE" list --folder "$D/ro/box" --format '%S' | tr '\n' ' ')" "msg 1 msg 2 " \
        "and can still be read"
    chmod 755 "$D/ro"
else
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n # SKIP permission checks do not apply to root"
fi

# ---- disk full and read-only filesystem (root: a tiny tmpfs) -----------------
M="$TEST_TMP/tiny"
mkdir -p "$M"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k,mode=0700 tmpfs "$M" 2>/dev/null; then
    TEST_CLEANUP="umount $M 2>/dev/null; $TEST_CLEANUP"
    F="$M/box"
    for n in 1 2 3; do msg $n 60 | "$TOOL" append "$F" || exit 1; done
    cp "$F" "$TEST_TMP/box.orig"
    # About 18 KB used of 64 KB: a 70 KB message cannot fit.
    ERR=$(msg 4 1000 | "$TOOL" append "$F" 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "append on a full disk fails"
    like "$ERR" "box" "the error names the folder"
    cmp -s "$F" "$TEST_TMP/box.orig"; ok $? "the folder is exactly as before (truncated back)"
    is "$("$TOOL" count "$F")" 3 "all three messages are still there"

    # Fill the disk so a rewrite (a second copy) cannot fit.
    msg 5 20 | "$TOOL" append "$F"
    msg 6 20 | "$TOOL" append "$F"
    cp "$F" "$TEST_TMP/box.orig"
    dd if=/dev/zero of="$M/filler" bs=1k count=64 2>/dev/null
    rm -f "$M/filler"
    dd if=/dev/zero of="$M/filler" bs=1k count=$(( $(df -k "$M" | awk 'NR==2{print $4}') - 8 )) 2>/dev/null
    ERR=$("$TOOL" flag "$F" 1 RF 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "a rewrite on a full disk fails"
    like "$ERR" "(No space|space)" "saying the disk is full"
    cmp -s "$F" "$TEST_TMP/box.orig"; ok $? "the folder is exactly as before"
    ls -a "$M" | grep -q 'postie-tmp'; [ $? -ne 0 ]; ok $? "no temporary file is left behind"
    ERR=$("$TOOL" expunge "$F" 2 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "an expunge on a full disk fails"
    cmp -s "$F" "$TEST_TMP/box.orig"; ok $? "the folder is still exactly as before"
    rm -f "$M/filler"
    "$TOOL" flag "$F" 1 RF; ok $? "with room again the rewrite works"
    is "$("$POSTIE" list --folder "$F" --format '%F' | head -1)" "RF" "and the flags are saved"

    # Read-only filesystem.
    cp "$F" "$TEST_TMP/box.orig"
    mount -o remount,ro "$M"
    ERR=$(msg 7 | "$TOOL" append "$F" 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "append on a read-only filesystem fails"
    like "$ERR" "box" "naming the folder"
    ERR=$("$TOOL" flag "$F" 2 R 2>&1); rc=$?
    [ $rc -ne 0 ]; ok $? "saving flags on a read-only filesystem fails"
    cmp -s "$F" "$TEST_TMP/box.orig"; ok $? "the folder is unchanged"
    mount -o remount,rw "$M"
    umount "$M"
else
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n # SKIP disk-full and read-only filesystem checks need root (tmpfs)"
fi

done_testing
