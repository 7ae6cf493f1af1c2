#!/bin/sh
# Signing and encrypting from compose: the security key (p), the
# account's crypt_sign default, PGP/MIME and S/MIME output that gpg and
# gpgsm verify and decrypt (tests/mime/checkcrypto.py), a recipient
# without a key (asked, never silently unencrypted), Bcc keys used but not
# listed, the protected Subject, drafts stored encrypted to the sender
# alone, and replies to encrypted mail encrypted by default.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/gnupg.sh"
. "$top_srcdir/tests/ui/lib.sh"
command -v gpgsm > /dev/null 2>&1 || skip_all "gpgsm is not installed (contrib/install-deps)"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0

[account home]
name = Alice Test
address = alice@example.org
pop3_host = localhost
smtp_host = localhost
crypt_sign = yes
CFG
chmod 600 "$XDG_CONFIG_HOME/postie/config"
cat > "$TEST_TMP/editor.sh" <<'ED'
#!/bin/sh
grep -q 'BODY-TEXT' "$1" || printf 'BODY-TEXT gr\303\274\303\237e\nFrom the start\n' >> "$1"
ED
chmod +x "$TEST_TMP/editor.sh"

GNUPGHOME="$TEST_TMP/g"; export GNUPGHOME
gnupg_home "$GNUPGHOME"
gnupg_key "$GNUPGHOME" 'Alice Test <alice@example.org>' &&
    gnupg_key "$GNUPGHOME" 'Bob <bob@example.org>' &&
    gnupg_key "$GNUPGHOME" 'Dave <dave@example.org>' &&
    gnupg_smime_ca "$GNUPGHOME" &&
    gnupg_smime_key "$GNUPGHOME" "Alice Test" alice@example.org &&
    gnupg_smime_key "$GNUPGHOME" "Bob" bob@example.org
ok $? "test keys made"
subkey() {   # the encryption subkey id of $1
    gpg --with-colons --list-keys "$1" | awk -F: '$1 == "sub" { print $5; exit }'
}
ALICE_E=$(subkey alice@example.org); BOB_E=$(subkey bob@example.org); DAVE_E=$(subkey dave@example.org)
recipients() {   # key ids an OpenPGP message in $1 is encrypted to
    "${PYTHON3:-python3}" - "$1" "$2" <<'PY' | gpg --batch --list-packets 2>/dev/null | sed -n 's/^:pubkey enc packet:.*keyid \([0-9A-F]*\).*/\1/p' | sort | tr '\n' ' '
import mailbox, sys
box = mailbox.mbox(sys.argv[1])
m = box[box.keys()[int(sys.argv[2]) - 1]]
sys.stdout.buffer.write(m.get_payload()[1].get_payload(decode=True))
PY
}
check() { "${PYTHON3:-python3}" "$top_srcdir/tests/mime/checkcrypto.py" "$@"; }

# Erin's key is not in the keyring, only in her address-book card.
ERIN_HOME="$TEST_TMP/erin"
gnupg_home "$ERIN_HOME"
gnupg_key "$ERIN_HOME" 'Erin <erin@example.org>'
mkdir -p "$XDG_DATA_HOME/postie"
{
    printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Erin\r\nEMAIL:erin@example.org\r\n'
    printf 'KEY:data:application/pgp-keys;base64,%s\r\n' \
        "$(gpg --homedir "$ERIN_HOME" --export erin@example.org | base64 -w0)"
    printf 'END:VCARD\r\n'
} > "$XDG_DATA_HOME/postie/contacts.vcf"

# An encrypted message to Alice in the Inbox, to reply to.
printf 'Content-Type: text/plain\n\nthe original secret\n' |
    gpg --batch --trust-model always --armor --encrypt -r alice@example.org > "$TEST_TMP/orig.asc"
"${PYTHON3:-python3}" - "$TEST_TMP/orig.asc" > "$MAIL/Inbox" <<'PY'
import sys
ct = open(sys.argv[1]).read()
print("From bob@example.org Mon Mar  2 10:00:00 2026")
print("From: Bob <bob@example.org>\nTo: Alice Test <alice@example.org>\nSubject: ...")
print("Date: Mon, 02 Mar 2026 10:00:00 +0000\nMessage-ID: <orig@example.org>\nMIME-Version: 1.0")
print('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\n')
print("--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b")
print("Content-Type: application/octet-stream\n\n" + ct + "\n--b--\n")
PY

UI_ENV="export VISUAL='$TEST_TMP/editor.sh' GNUPGHOME='$GNUPGHOME'"
start_postie 120 30
wait_for 'postie: Inbox'; ok $? "the screen opens"

# compose TO SUBJECT [BCC]: up to the compose form.
compose() {
    keys m
    wait_for '^To:'
    type_text "$1"
    keys Enter
    wait_for '^Subject:'
    type_text "$2"
    keys Enter
    wait_for 'BODY-TEXT'
    if [ -n "${3:-}" ]; then
        keys b
        wait_for 'Bcc'
        type_text "$3"
        keys Enter
    fi
}

# 1: sign and encrypt, OpenPGP (one pass).
compose 'Bob <bob@example.org>' 'pgp both'
wait_for 'Security: sign \(OpenPGP\)'; ok $? "crypt_sign = yes: signing is the default"
keys p
wait_for 'Security: \(s\)ign'; ok $? "p asks what to do"
keys b
wait_for 'Security: sign, encrypt \(OpenPGP\)'; ok $? "b: sign and encrypt"
keys w
wait_for 'Queued in the Outbox'; ok $? "queued"
out=$(check "$MAIL/Outbox" 1)
like "$out" "^decrypt-ok signed: gpg: Good signature from \"Alice Test <alice@example.org>\"" \
    "gpg decrypts it and verifies the signature"
like "$out" "BODY-TEXT" "the text is inside"
like "$out" "^Subject: pgp both" "the real Subject is inside (protected headers)"
like "$out" "protected-headers=\"?v1" "marked protected-headers=v1"
subj=$("${PYTHON3:-python3}" -c 'import mailbox,sys; b=mailbox.mbox(sys.argv[1]); print(b[b.keys()[0]]["Subject"])' "$MAIL/Outbox")
is "$subj" "..." "the outer Subject is ..."
unlike "$(cat "$MAIL/Outbox")" "BODY-TEXT|pgp both" "nothing of it in clear in the Outbox"
is "$(recipients "$MAIL/Outbox" 1)" "$(printf '%s\n%s\n' "$ALICE_E" "$BOB_E" | sort | tr '\n' ' ')" \
    "encrypted to the recipient and the sender"

# 2: sign only.
compose 'bob@example.org' 'pgp signed'
keys p; wait_for 'Security: \(s\)ign'; keys s
wait_for 'Security: sign \(OpenPGP\)'
keys w
wait_for 'Queued in the Outbox: 2|Outbox: 2'
out=$(check "$MAIL/Outbox" 2)
like "$out" "^micalg=pgp-sha(256|512)" "micalg names the digest"
like "$out" "^7bit-ok" "the signed content is 7-bit"
like "$out" "^verify-ok gpg: Good signature from \"Alice Test <alice@example.org>\"" \
    "gpg verifies the PGP/MIME signature"

# 3: S/MIME, signed and encrypted.
compose 'bob@example.org' 'smime both'
keys p; wait_for 'Security: \(s\)ign'; keys m
wait_for 'Security: sign \(S/MIME\)'; ok $? "m switches to S/MIME"
keys p; wait_for 'Security: \(s\)ign'; keys b
wait_for 'Security: sign, encrypt \(S/MIME\)'
keys w
wait_for 'Outbox: 3'
out=$(check "$MAIL/Outbox" 3)
like "$out" "^decrypt-ok" "gpgsm decrypts the S/MIME message"
like "$out" "^verify-ok gpgsm: Good signature from \"/CN=Alice Test\"" "gpgsm verifies its signature"
like "$out" "^micalg=sha-256" "S/MIME micalg as RFC 8551 spells it"
like "$out" "BODY-TEXT" "S/MIME: the text is inside"

# 4: a recipient without a key: asked, never silently unencrypted.
compose 'carol@example.org' 'no key'
keys p; wait_for 'Security: \(s\)ign'; keys e
wait_for 'Security: encrypt \(OpenPGP\)'
keys w
wait_for 'No usable OpenPGP key for carol@example.org. Send unencrypted'; ok $? "names the recipient without a key"
keys n
wait_for 'Not sent'; ok $? "n: not sent, back in compose"
like "$(screen)" 'Security: encrypt' "still in compose with encryption on"
keys w
wait_for 'Send unencrypted'
keys y
wait_for 'Outbox: 4'; ok $? "y: sent unencrypted"
m4=$("${PYTHON3:-python3}" -c 'import mailbox,sys; b=mailbox.mbox(sys.argv[1]); m=b[b.keys()[3]]; print(m["Subject"], m.get_content_type())' "$MAIL/Outbox")
is "$m4" "no key text/plain" "sent unencrypted, as answered"

# 5: Bcc: the key is used, the address not listed inside.
compose 'bob@example.org' 'with bcc' 'dave@example.org'
keys p; wait_for 'Security: \(s\)ign'; keys e
wait_for 'Security: encrypt \(OpenPGP\)'
keys w
wait_for 'Outbox: 5'
is "$(recipients "$MAIL/Outbox" 5)" "0000000000000000 0000000000000000 0000000000000000 " \
    "with a Bcc: three recipients, no key IDs named"
# Dave alone (a home with only his secret key) can decrypt it.
DAVE_HOME="$TEST_TMP/dave"
gnupg_home "$DAVE_HOME"
gpg --batch --pinentry-mode loopback --passphrase '' --export-secret-keys dave@example.org |
    gpg --homedir "$DAVE_HOME" --batch --import 2> /dev/null
out=$(GNUPGHOME="$DAVE_HOME" check "$MAIL/Outbox" 5)
like "$out" "^decrypt-ok" "the Bcc recipient's key is used: Dave decrypts it"
like "$out" "BODY-TEXT" "Dave reads the text"
unlike "$out" "dave" "the Bcc address is not inside"
like "$("$POSTIE" show --folder "$MAIL/Outbox" 5)" "BODY-TEXT" "the sender's copy decrypts in postie too"

# 6: a draft of an encrypted message is stored encrypted to the sender.
compose 'bob@example.org' 'secret draft'
keys p; wait_for 'Security: \(s\)ign'; keys e
wait_for 'Security: encrypt \(OpenPGP\)'
keys P
wait_for 'Saved in Drafts'; ok $? "draft saved"
unlike "$(cat "$MAIL/Drafts")" "BODY-TEXT|secret draft" "nothing of the draft in clear"
is "$(recipients "$MAIL/Drafts" 1)" "$ALICE_E " "the draft is encrypted to the sender alone"
keys c; type_text Drafts; keys Enter
wait_for 'To bob@example.org'
keys m
wait_for 'Resume the selected draft'; keys y
wait_for '^Security: '; ok $? "the draft is resumed in compose"
# (the text under the Security row is drawn after it: wait for the
# form's status line, drawn last)
wait_for '^-- compose'
like "$(screen)" '^ Subject: secret draft' "resumed draft: the real Subject"
like "$(screen)" 'BODY-TEXT' "resumed draft: the text"
like "$(screen)" 'Security: sign, encrypt \(OpenPGP\)' "resumed draft: still to be encrypted"
unlike "$(screen)" 'Encrypted message' "resumed draft: no status lines in the text"
keys q
wait_for 'discarded'

# 7: a reply to encrypted mail is encrypted by default.
keys c; type_text Inbox; keys Enter
wait_for 'Bob'
keys r
wait_for 'BODY-TEXT' && wait_for '^-- compose'
like "$(screen)" 'Security: sign, encrypt \(OpenPGP\)' "reply to encrypted mail: encrypted by default"
like "$(screen)" '> the original secret' "the decrypted original is quoted"
unlike "$(screen)" '> \[-- ' "without the status lines"
keys q; wait_for 'Discard'; keys y
wait_for 'discarded'

# 8: a key from the address book (vCard KEY) is used for a recipient the
# keyring does not know.
compose 'erin@example.org' 'to erin'
keys p; wait_for 'Security: \(s\)ign'; keys e
wait_for 'Security: encrypt \(OpenPGP\)'
keys w
wait_for 'Outbox: 6'; ok $? "queued without asking: the card had the key"
out=$(GNUPGHOME="$ERIN_HOME" check "$MAIL/Outbox" 6)
like "$out" "^decrypt-ok" "Erin decrypts it with her key"
like "$out" "BODY-TEXT" "Erin reads the text"
gpg --with-colons --list-keys erin@example.org > /dev/null 2>&1
ok $? "the card's key was added to the keyring"

# No plaintext of any of it under HOME or in the mail folders.
if grep -rqs -e "the original secret" "$HOME" "$MAIL"; then r=1; else r=0; fi
ok $r "no decrypted text written to disk"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
