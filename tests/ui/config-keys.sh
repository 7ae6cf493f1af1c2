#!/bin/sh
# "postie config check" also checks the screen's sections: [keys] (action
# names and key specs) and [colors] (element names and colours), each
# problem as FILE:LINE: key: message, with no terminal needed.
. "$top_srcdir/tests/lib/common.sh"

CFG="$TEST_TMP/config"
cat > "$CFG" <<C
[general]
mail_dir = $TEST_TMP/mail

[account home]
address = alice@example.org
pop3_host = localhost
smtp_host = localhost

[keys]
quit = Q
frobnicate = x
compose = <NoSuchKey>

[colors]
status = white blue
sparkle = red
deleted = purple pink
C
chmod 600 "$CFG"

out=$("$POSTIE" --config "$CFG" config check 2>&1 </dev/null); rc=$?
is "$rc" 1 "config check fails on bad [keys] and [colors]"
like "$out" "^$CFG:11: frobnicate: unknown action \"frobnicate\"" "an unknown action is reported at its line"
like "$out" "^$CFG:12: compose: \"<NoSuchKey>\" is not a key" "a bad key spec is reported at its line"
like "$out" "^$CFG:16: sparkle: unknown screen element \"sparkle\"" "an unknown screen element is reported at its line"
like "$out" "^$CFG:17: deleted: \"purple pink\" is not" "a bad colour is reported at its line"
unlike "$out" ": quit:|: status:" "valid bindings and colours are not reported"
is "$(printf '%s\n' "$out" | wc -l)" 4 "exactly the four problems"

sed -i -e '/^frobnicate/d' -e '/^compose/d' -e '/^sparkle/d' -e '/^deleted/d' "$CFG"
out=$("$POSTIE" --config "$CFG" config check 2>&1 </dev/null); rc=$?
is "$rc" 0 "with valid [keys] and [colors] config check passes"
like "$out" "no problems found" "and says so"
done_testing
