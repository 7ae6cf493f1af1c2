# Private GnuPG homes for crypto tests: keys made here without passphrase,
# no keyserver, no network.  Each home's gpg-agent is stopped at the end
# (only that home's: gpgconf --homedir).  Source after common.sh.
#
#   gnupg_home DIR        make DIR an empty GnuPG home
#   gnupg_key DIR UID     a new sign+encrypt key (ed25519/cv25519) for UID
command -v gpg > /dev/null 2>&1 || skip_all "gpg is not installed (contrib/install-deps)"

GNUPG_HOMES=
gnupg_stop_all() {
    for h in $GNUPG_HOMES; do
        gpgconf --homedir "$h" --kill all > /dev/null 2>&1
    done
}
TEST_CLEANUP="gnupg_stop_all${TEST_CLEANUP:+; $TEST_CLEANUP}"

gnupg_home() {
    mkdir -p "$1" && chmod 700 "$1"
    # The agent's socket must fit in sun_path: a long test path makes
    # gpg put it under /run/user or fail, so keep it short if needed.
    printf 'allow-loopback-pinentry\n' > "$1/gpg-agent.conf"
    printf 'no-auto-key-retrieve\nkeyserver hkp://127.0.0.1:9\n' > "$1/gpg.conf"
    GNUPG_HOMES="$GNUPG_HOMES $1"
}

gnupg_key() {
    gpg --homedir "$1" --batch --quiet --pinentry-mode loopback --passphrase '' \
        --quick-gen-key "$2" future-default default never 2> "$1/keygen.log"
}

# S/MIME: a test CA made with openssl, trusted in DIR's gpgsm (trustlist),
# no CRL checks (there is no CRL server).  Keys are made by gpgsm itself
# (no passphrase), their requests signed by the CA and the certificates
# imported.
#
#   gnupg_smime_ca DIR              the CA (files in DIR/ca)
#   gnupg_smime_key DIR "CN" ADDR   a sign+encrypt certificate for ADDR
gnupg_smime_ca() {
    mkdir -p "$1/ca"
    printf 'disable-crl-checks\n' >> "$1/gpgsm.conf"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca/ca.key" -out "$1/ca/ca.crt" \
        -days 3650 -subj "/CN=Postie Test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2> "$1/ca/openssl.log" || return 1
    gpgsm --homedir "$1" --batch --import "$1/ca/ca.crt" 2>> "$1/ca/gpgsm.log" || return 1
    fpr=$(gpgsm --homedir "$1" --with-colons --list-keys "Postie Test CA" |
          awk -F: '/^fpr/ { print $10; exit }')
    printf '%s S relax\n' "$fpr" > "$1/trustlist.txt"
}

gnupg_smime_key() {
    d="$1/ca"
    printf 'Key-Type: RSA\nKey-Length: 2048\nKey-Usage: sign, encrypt\nName-DN: CN=%s\nName-Email: %s\n%%no-protection\n' \
        "$2" "$3" > "$d/$3.params"
    # gpgsm 2.2 exits 2 after "ignoring gpg-agent inquiry NEW_PASSPHRASE"
    # though the request is made: judge by the request.
    gpgsm --homedir "$1" --batch --armor --pinentry-mode loopback --gen-key "$d/$3.params" \
        > "$d/$3.csr" 2>> "$d/gpgsm.log"
    grep -q "BEGIN CERTIFICATE REQUEST" "$d/$3.csr" || return 1
    printf 'subjectAltName=email:%s\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nbasicConstraints=CA:FALSE\n' \
        "$3" > "$d/$3.ext"
    openssl x509 -req -in "$d/$3.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
        -out "$d/$3.crt" -days 3650 -extfile "$d/$3.ext" 2>> "$d/openssl.log" || return 1
    gpgsm --homedir "$1" --batch --import "$d/$3.crt" 2>> "$d/gpgsm.log"
}
