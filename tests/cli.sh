#!/bin/sh
# The command line: help, version, usage errors, config check, translations.
. "$top_srcdir/tests/lib/common.sh"

out=$("$POSTIE" --help); rc=$?
is "$rc" 0 "--help exits 0"
like "$out" '^Usage: postie' "--help prints usage"
like "$out" 'fetch +fetch new mail' "--help lists the commands"

out=$("$POSTIE" --version); rc=$?
is "$rc" 0 "--version exits 0"
like "$out" '^postie [0-9]+\.[0-9]+' "--version prints the version"

out=$("$POSTIE" frobnicate 2>&1); rc=$?
is "$rc" 2 "unknown command exits 2"
like "$out" "unknown command 'frobnicate'" "unknown command is named"
like "$out" "Try 'postie --help'" "unknown command points to --help"

out=$("$POSTIE" --frobnicate 2>&1); rc=$?
is "$rc" 2 "unknown option exits 2"
like "$out" "unknown option '--frobnicate'" "unknown option is named"

out=$("$POSTIE" --config 2>&1); rc=$?
is "$rc" 2 "--config without a file exits 2"

out=$("$POSTIE" config check --frobnicate 2>&1); rc=$?
is "$rc" 2 "unknown option of a command exits 2"
like "$out" "Try 'postie config --help'" "command usage error points to its --help"

out=$("$POSTIE" config 2>&1); rc=$?
is "$rc" 2 "config without subcommand exits 2"

out=$("$POSTIE" config --help); rc=$?
is "$rc" 0 "config --help exits 0"

# Commands with subcommands: usage errors exit 2 (postie-abook(1), postie-oauth(1)).
for c in abook oauth; do
    "$POSTIE" $c >/dev/null 2>&1; rc=$?
    is "$rc" 2 "$c without subcommand exits 2"
    out=$("$POSTIE" $c frobnicate 2>&1); rc=$?
    is "$rc" 2 "$c with an unknown subcommand exits 2"
    like "$out" "postie $c: unknown subcommand 'frobnicate'" "$c names the unknown subcommand"
    "$POSTIE" $c --help >/dev/null; rc=$?
    is "$rc" 0 "$c --help exits 0"
done
"$POSTIE" oauth login --frobnicate x >/dev/null 2>&1; rc=$?
is "$rc" 2 "oauth login with an unknown option exits 2"
"$POSTIE" oauth token >/dev/null 2>&1; rc=$?
is "$rc" 2 "oauth token without an account exits 2"

# config check: missing, good, bad.
out=$("$POSTIE" config check 2>&1); rc=$?
is "$rc" 1 "config check without a file fails"
like "$out" "$XDG_CONFIG_HOME/postie/config" "config check names the default file"

cfg="$TEST_TMP/good.conf"
cat > "$cfg" <<'EOC'
[account home]
address = alice@example.org
pop3_host = pop.example.org
smtp_host = smtp.example.org
password_command = echo secret
EOC
out=$("$POSTIE" --config "$cfg" config check 2>&1); rc=$?
is "$rc" 0 "config check of a good file exits 0"
like "$out" "no problems found \\(1 account\\)" "config check says so"
out=$("$POSTIE" --config="$cfg" config check 2>&1); rc=$?
is "$rc" 0 "--config=FILE works too"

cp "$cfg" "$XDG_CONFIG_HOME/postie/config"
out=$("$POSTIE" config check 2>&1); rc=$?
is "$rc" 0 "config check reads the default location"

bad="$TEST_TMP/bad.conf"
cat > "$bad" <<'EOC'
[account home]
address = alice@example.org
pop3_host = pop.example.org
pop3_port = 0
pop3_security = tls13
colour = blue
EOC
out=$("$POSTIE" --config "$bad" config check 2>&1); rc=$?
is "$rc" 1 "config check of a bad file exits 1"
like "$out" "^$bad:4: pop3_port: \"0\" is not a whole number from 1 to 65535\$" "bad port at its line"
like "$out" "^$bad:5: pop3_security: \"tls13\" is not one of tls, starttls, none\$" "bad security at its line"
like "$out" "^$bad:6: colour: warning: unknown setting; ignored\$" "unknown key warned at its line"

warn="$TEST_TMP/warn.conf"
printf '[account a]\naddress = a@b.example\npop3_host = h\ncolour = blue\n' > "$warn"
out=$("$POSTIE" --config "$warn" config check 2>&1); rc=$?
is "$rc" 1 "config check exits non-zero on warnings too"

pw="$TEST_TMP/pw.conf"
printf '[account a]\naddress = a@b.example\npop3_host = h\npassword = hunter2\n' > "$pw"
chmod 644 "$pw"
out=$("$POSTIE" --config "$pw" config check 2>&1); rc=$?
is "$rc" 1 "a readable password file is refused"
like "$out" "chmod 600 $pw" "the refusal says how to fix it"
chmod 600 "$pw"
out=$("$POSTIE" --config "$pw" config check 2>&1); rc=$?
is "$rc" 0 "the same file with mode 0600 is accepted"

# Commands that need a configuration refuse a broken one, naming the line.
out=$("$POSTIE" --config "$bad" fetch 2>&1); rc=$?
ok $([ "$rc" -ne 0 ] && echo 0 || echo 1) "fetch refuses a broken configuration"
like "$out" "$bad:4: pop3_port" "fetch prints the problem at its line"
out=$("$POSTIE" --config "$TEST_TMP/none.conf" flush 2>&1); rc=$?
ok $([ "$rc" -ne 0 ] && echo 0 || echo 1) "flush without a configuration fails"
like "$out" "none.conf" "flush names the missing file"

# Translations: the German catalogue from the build tree.
gmo=
for d in "$top_builddir/po" "$top_srcdir/po"; do
    [ -f "$d/de.gmo" ] && gmo="$d/de.gmo" && break
done
if [ -n "$gmo" ]; then
    mkdir -p "$TEST_TMP/locale/de/LC_MESSAGES"
    cp "$gmo" "$TEST_TMP/locale/de/LC_MESSAGES/postie.mo"
    out=$(LANGUAGE=de POSTIE_LOCALEDIR="$TEST_TMP/locale" "$POSTIE" frobnicate 2>&1)
    like "$out" "unbekannter Befehl" "messages are translated (German)"
else
    ok 1 "po/de.gmo was built"
fi

done_testing
