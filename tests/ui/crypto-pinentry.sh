#!/bin/sh
# A passphrase asked on the terminal: the screen gives the terminal to
# gpg-agent's pinentry-curses while it decrypts, the passphrase typed
# there unlocks the key, and the screen comes back with the decrypted
# message.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/gnupg.sh"
. "$top_srcdir/tests/ui/lib.sh"
[ -x /usr/bin/pinentry-curses ] || skip_all "pinentry-curses is not installed (contrib/install-deps)"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
printf '[general]\nmail_dir = %s\ncheck_interval = 0\n' "$MAIL" > "$XDG_CONFIG_HOME/postie/config"

GNUPGHOME="$TEST_TMP/g"; export GNUPGHOME
gnupg_home "$GNUPGHOME"
printf 'pinentry-program /usr/bin/pinentry-curses\n' >> "$GNUPGHOME/gpg-agent.conf"
gpg --batch --quiet --pinentry-mode loopback --passphrase 'hunter2' \
    --quick-gen-key 'Me Reader <me@example.org>' future-default default never 2> /dev/null
ok $? "a key with a passphrase"
printf 'Content-Type: text/plain\n\npinned secret\n' |
    gpg --batch --trust-model always --armor --encrypt -r me@example.org > "$TEST_TMP/ct.asc"
# The agent forgets nothing it was never told: stop it so the key is locked.
gpgconf --homedir "$GNUPGHOME" --kill gpg-agent
"${PYTHON3:-python3}" - "$TEST_TMP/ct.asc" > "$MAIL/Inbox" <<'PY'
import sys
ct = open(sys.argv[1]).read()
print("From bob@example.org Mon Mar  2 10:00:00 2026")
print("From: Bob <bob@example.org>\nTo: Me Reader <me@example.org>\nSubject: locked")
print("Date: Mon, 02 Mar 2026 10:00:00 +0000\nMIME-Version: 1.0")
print('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\n')
print("--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b")
print("Content-Type: application/octet-stream\n\n" + ct + "\n--b--\n")
PY

UI_ENV="export GNUPGHOME='$GNUPGHOME'"
start_postie 100 30
wait_for 'Passphrase:'; ok $? "pinentry asks on the terminal"
like "$(screen)" 'me@example.org' "for the right key"
unlike "$(screen)" 'postie: Inbox' "the screen has given the terminal up"
type_text hunter2
keys Enter
wait_for 'pinned secret'; ok $? "the message is decrypted with the passphrase typed"
# (the screen is drawn whole again, top to bottom: the status line last)
wait_for 'postie: Inbox'; ok $? "the screen is back"
like "$(screen)" 'Encrypted message \(OpenPGP\), decrypted' "and says it was decrypted"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
