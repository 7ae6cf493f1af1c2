#!/bin/sh
# Every fetch error names its account exactly once, in any language: an
# error from the POP3 login (which names the account itself) and one from
# the fetch engine (which gets the prefix added), in English and with a
# catalogue that translates the prefix.
. "$top_srcdir/tests/lib/common.sh"
command -v msgfmt >/dev/null 2>&1 || skip_all "msgfmt (gettext) is not installed"

hold_closed_port
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $TEST_TMP/mail

[account home]
address = alice@example.org
pop3_host = 127.0.0.1
pop3_port = $CLOSED_PORT
pop3_security = none
pop3_user = alice
password = secret
allow_plaintext_password = true
timeout = 10
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"

# A catalogue with only the prefix translated.
mkdir -p "$TEST_TMP/locale/de/LC_MESSAGES"
cat > "$TEST_TMP/prefix.po" <<'PO'
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\n"

msgid "account %s: "
msgstr "Konto %s: "
PO
msgfmt -o "$TEST_TMP/locale/de/LC_MESSAGES/postie.mo" "$TEST_TMP/prefix.po" ||
    { echo "Bail out! msgfmt failed"; exit 1; }

count() { printf '%s\n' "$1" | grep -o "$2" | wc -l | tr -d ' '; }

out=$("$POSTIE" fetch 2>&1)
is "$(count "$out" 'account home: ')" 1 "a login error names the account once"
out=$(LANGUAGE=de POSTIE_LOCALEDIR="$TEST_TMP/locale" "$POSTIE" fetch 2>&1)
is "$(count "$out" 'Konto home: ')" 1 "translated, it names the account once"
unlike "$out" 'account home' "and only in the translation"

# An error of the engine itself: the records file is damaged.
mkdir -p "$XDG_STATE_HOME/postie/uidls"
printf 'not a records file\n' > "$XDG_STATE_HOME/postie/uidls/home"
out=$("$POSTIE" fetch 2>&1)
is "$(count "$out" 'account home: ')" 1 "an engine error names the account once"
like "$out" 'uidls/home' "and the damaged file"
out=$(LANGUAGE=de POSTIE_LOCALEDIR="$TEST_TMP/locale" "$POSTIE" fetch 2>&1)
is "$(count "$out" 'Konto home: ')" 1 "translated, too"

done_testing
