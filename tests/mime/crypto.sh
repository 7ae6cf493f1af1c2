#!/bin/sh
# Signed and encrypted mail made by gpg and the Python email package, read
# by "postie show": PGP/MIME signatures (good, bad, unknown key, signer not
# the sender, partly signed), PGP/MIME decryption (protected Subject,
# attachments inside, nested and one-pass signatures, no secret key),
# inline PGP, S/MIME (a test CA), and nothing
# decrypted in the index cache.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/gnupg.sh"

MAIL="$XDG_DATA_HOME/postie/mail"
MAILCAPS="$TEST_TMP/none"; export MAILCAPS
mkdir -p "$MAIL"

GNUPGHOME="$TEST_TMP/g"; export GNUPGHOME
OTHER="$TEST_TMP/o"
gnupg_home "$GNUPGHOME"
gnupg_home "$OTHER"
gnupg_key "$GNUPGHOME" 'Alice Test <alice@example.org>'
gnupg_key "$GNUPGHOME" 'Me Reader <me@example.org>'
gnupg_key "$GNUPGHOME" 'Bob <bob@example.org>'
gnupg_key "$OTHER" 'Mallory <mallory@example.org>'
ok $? "test keys made"
gnupg_smime_ca "$GNUPGHOME" && gnupg_smime_key "$GNUPGHOME" "Alice Test" alice@example.org &&
    gnupg_smime_key "$GNUPGHOME" "Me Reader" me@example.org
ok $? "test CA and S/MIME certificates made (gpgsm, openssl)"
gpg --check-trustdb > /dev/null 2>&1
ALICE=$(gpg --with-colons --list-keys alice@example.org | awk -F: '/^fpr/ { print $10; exit }')
BOB=$(gpg --with-colons --list-keys bob@example.org | awk -F: '/^fpr/ { print $10; exit }')

"${PYTHON3:-python3}" "$top_srcdir/tests/mime/mkcrypto.py" "$MAIL/Inbox" "$OTHER"
ok $? "messages made by gpg and the email package"
# Bob's secret key goes: mail to him only cannot be decrypted here.
gpg --batch --yes --delete-secret-keys "$BOB" 2> /dev/null
ok $? "bob's secret key removed"

show() { "$POSTIE" show "$1" > "$TEST_TMP/show$1" 2> "$TEST_TMP/err$1"; }

show 1
ok $? "show 1 (signed) exits 0"
out=$(cat "$TEST_TMP/show1")
like "$out" "\[-- Good signature from Alice Test <alice@example.org> \(key $ALICE\), validity: ultimate --\]" \
    "good signature: name, address, fingerprint, validity"
like "$out" "signed hello" "the signed text is shown"
like "$out" "\[-- End of signed part --\]" "end of the signed part"
unlike "$out" "signature.asc|pgp-signature" "the signature is not listed as an attachment"

show 2
like "$(cat "$TEST_TMP/show2")" "\[-- BAD signature from Alice Test <alice@example.org>" "tampered: BAD signature"

show 3
out=$(cat "$TEST_TMP/show3")
like "$out" "Good signature from Alice Test" "mismatch: the signature itself is good"
like "$out" "\[-- Warning: the signer <alice@example.org> is not the sender <eve@example.org> \(From\) --\]" \
    "signer not the From address: said"

show 4
like "$(cat "$TEST_TMP/show4")" "\[-- Could not verify the signature: no public key [0-9A-F]+ in the keyring --\]" \
    "unknown key: says it cannot verify and which key"

show 5
out=$(cat "$TEST_TMP/show5")
like "$out" "\[-- The following part is not covered by a signature --\]
unsigned intro" "partly signed: the unsigned part is marked"
like "$out" "Good signature from Alice Test.*
the signed bit" "partly signed: the signed part verified"

show 6
ok $? "show 6 (encrypted) exits 0"
out=$(cat "$TEST_TMP/show6")
like "$out" "\[-- Encrypted message \(OpenPGP\), decrypted --\]" "PGP/MIME decrypted"
like "$out" "secret body text" "decrypted text shown"
like "$out" "^Subject: the real subject$" "protected Subject shown from inside"
like "$out" "\[1\] secret.txt \(application/octet-stream" "attachment inside the encryption listed"
"$POSTIE" attachments 6 > "$TEST_TMP/att6"
like "$(cat "$TEST_TMP/att6")" "secret.txt" "postie attachments sees it too"

show 7
out=$(cat "$TEST_TMP/show7")
like "$out" "decrypted --\]
\[-- This part is signed and encrypted --\]
\[-- Good signature from Alice Test" "nested: signed and encrypted"
like "$out" "signed and sealed" "nested: text shown"

show 8
out=$(cat "$TEST_TMP/show8")
like "$out" "\[-- This part is signed and encrypted --\]
\[-- Good signature from Alice Test <alice@example.org> \(key $ALICE\)" "one-pass signed and encrypted"
like "$out" "one pass sealed" "one-pass: text shown"

show 9
out=$(cat "$TEST_TMP/show9")
BOB_E=$(gpg --with-colons --list-keys bob@example.org | awk -F: '$1 == "sub" { print $5; exit }')
like "$out" "\[-- Encrypted message \(OpenPGP\): could not decrypt: .*(secret key|No secret).* \(encrypted to key $BOB_E\) --\]" \
    "no secret key: says why and which key"
unlike "$out" "plaintext for bob" "nothing shown as plaintext"

show 10
out=$(cat "$TEST_TMP/show10")
like "$out" "\[-- The following text is not covered by a signature --\]
unsigned preface" "inline: text before the block not covered"
like "$out" "Good signature from Alice Test.*
inline signed text
- dash line
\[-- End of signed part --\]" "inline signed: verified, dash-escaping undone"
like "$out" "not covered by a signature --\]
unsigned footer" "inline: text after the block not covered"
unlike "$out" "BEGIN PGP" "no armor shown"

show 11
out=$(cat "$TEST_TMP/show11")
like "$out" "\[-- Encrypted message \(inline PGP\), decrypted --\]
inline secret text" "inline encrypted: decrypted"

# (That no outside converter runs for decrypted HTML is checked in the
# screen, tests/ui/crypto.sh, where the configuration is read.)
show 12
out=$(cat "$TEST_TMP/show12")
like "$out" "html secret" "decrypted HTML shown"
show 13
out=$(cat "$TEST_TMP/show13")
like "$out" "\[-- Good signature from Alice Test <alice@example.org> \(key [0-9A-F]{40}\), validity: (full|ultimate) --\]
+smime signed text" "S/MIME multipart/signed verified (test CA)"
unlike "$out" "smime.p7s" "the S/MIME signature is not listed as an attachment"

show 14
out=$(cat "$TEST_TMP/show14")
like "$out" "\[-- Encrypted message \(S/MIME\), decrypted --\]
+smime secret text" "S/MIME enveloped-data decrypted"
unlike "$out" "smime.p7m" "no opaque smime.p7m attachment"

show 15
like "$(cat "$TEST_TMP/show15")" "Good signature from Alice Test.*
+smime opaque text" "S/MIME signed-data verified, content shown"

show 16
out=$(cat "$TEST_TMP/show16")
like "$out" "see the slides" "encrypted, split encoded-word name: decrypted"
like "$out" "\[1\] Präsentation.pptx \(application/octet-stream" \
    "the attachment name inside the encryption is whole (GMime #133 fixed there too)"

# A signature part that holds no signature (mail from a broken signer):
# said so, not GMime's "Could not verify signature: No data".
cat > "$TEST_TMP/nosig.mbox" <<'MBOX'
From a@example.org Sat Dec  5 00:00:00 2026
From: Alice Test <alice@example.org>
Subject: not really signed
MIME-Version: 1.0
Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="S"

--S
Content-Type: text/plain

the text is still shown
--S
Content-Type: application/pgp-signature

9825cba003a7ac85b9a3f3dc9f8423fd
--S--

MBOX
out=$("$POSTIE" show -f "$TEST_TMP/nosig.mbox" 1 2>&1)
like "$out" "\[-- Could not verify the signature: malformed: the signature part holds no signature --\]" \
    "a signature part without a signature: said plainly"
like "$out" "the text is still shown" "its text is shown"

# Decrypted text is never in the index cache (or anywhere on disk).
if grep -rqs -e "secret body text" -e "the real subject" -e "inline secret" -e "smime secret" "$HOME"; then r=1; else r=0; fi
ok $r "no decrypted text under HOME (index cache included)"

done_testing
