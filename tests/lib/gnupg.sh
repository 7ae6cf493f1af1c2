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
