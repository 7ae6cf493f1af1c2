#!/bin/sh
# Secrets in a real fetch (scripted server): password_command starts with
# SIGPIPE at its default, the process holding the password makes no core
# dump and cannot be inspected by others, and a password from the file is
# read when it is needed.
. "$top_srcdir/tests/integration/fetch-lib.sh"
SRV=$TEST_TMP/srv
mkdir -p "$SRV"
message s1 > "$SRV/1"

# The helper looks at itself and at postie (its parent) while it runs.
cat > "$TEST_TMP/pw.sh" <<'SH'
#!/bin/sh
{
    sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status
    sed -n 's/^Max core file size[[:space:]]*//p' /proc/$PPID/limits
    stat -c %u /proc/$PPID/status
} > "${0%/*}/seen"
echo from-command
SH
chmod +x "$TEST_TMP/pw.sh"

PASSWORD_COMMAND=$TEST_TMP/pw.sh start_fake --log "$TEST_TMP/cmds"
like "$("$POSTIE" fetch 2>&1)" "^a: 1 new" "fetch with password_command works"
grep -qx "PASS from-command" "$TEST_TMP/cmds"
ok $? "the password came from password_command"
ign=$(sed -n 1p "$TEST_TMP/seen")
is "$(( 0x$ign & 0x1000 ))" 0 "password_command runs with SIGPIPE not ignored (SigIgn $ign)"
like "$(sed -n 2p "$TEST_TMP/seen")" "^0 +0 +bytes" "postie runs with a core file size limit of 0"
if [ "$(id -u)" -ne 0 ]; then
    is "$(sed -n 3p "$TEST_TMP/seen")" 0 \
        "postie is not dumpable (its /proc entries belong to root)"
else
    ok 0 "postie is not dumpable # SKIP as root /proc ownership shows nothing"
fi

# The password from the file, read when logging in.
rm -f "$TEST_TMP/cmds"
message s2 > "$SRV/2"
start_fake --log "$TEST_TMP/cmds"
like "$("$POSTIE" fetch 2>&1)" "^a: 1 new" "fetch with the password from the file works"
grep -qx "PASS p" "$TEST_TMP/cmds"
ok $? "the password from the file was sent"
done_testing
