#!/bin/sh
# Make a throw-away test CA and server certificates in DIR.
#
#   tests/servers/mkcerts.sh DIR
#
# Writes (all PEM; keys unencrypted, mode 0600):
#   ca.pem ca.key                      the test CA
#   localhost.pem localhost.key        DNS:localhost, IP:127.0.0.1, by the CA
#   wronghost.pem wronghost.key        DNS:wrong.example, by the CA
#   expired.pem expired.key            DNS:localhost, IP:127.0.0.1, by the CA,
#                                      valid 2001-2002 only
#   selfsigned.pem selfsigned.key      DNS:localhost, IP:127.0.0.1, self-signed
# Prints nothing on success.  Existing files in DIR are replaced.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
mkdir -p "$dir"
umask 077
cd "$dir"

log=mkcerts.log
: > "$log"
run() { "$@" >>"$log" 2>&1 || { cat "$log" >&2; echo "$0: failed: $*" >&2; exit 1; }; }

# EC keys: fast to make, accepted by OpenSSL, Python and Dovecot alike.
newkey() { run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

newkey ca.key
run openssl req -x509 -new -key ca.key -sha256 -days 3650 -out ca.pem \
    -subj "/O=postie tests/CN=postie test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"

# A minimal CA configuration so that `openssl ca` can set explicit dates.
mkdir -p ca.db
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ca.db
database = ca.db/index.txt
serial = ca.db/serial
new_certs_dir = ca.db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ any ]
commonName = supplied
organizationName = optional
[ server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \$ENV::SAN
CNF

# sign NAME CN SAN [START END]
sign() {
    newkey "$1.key"
    run openssl req -new -key "$1.key" -out "$1.csr" -subj "/O=postie tests/CN=$2"
    if [ $# -ge 5 ]; then dates="-startdate $4 -enddate $5"; else dates="-days 3650"; fi
    # shellcheck disable=SC2086
    SAN=$3 run openssl ca -batch -notext -config ca.cnf -extensions server \
        $dates -in "$1.csr" -out "$1.pem"
    rm -f "$1.csr"
}

sign localhost localhost "DNS:localhost,IP:127.0.0.1"
sign wronghost wrong.example "DNS:wrong.example"
sign expired localhost "DNS:localhost,IP:127.0.0.1" 20010101000000Z 20020101000000Z

newkey selfsigned.key
run openssl req -x509 -new -key selfsigned.key -sha256 -days 3650 -out selfsigned.pem \
    -subj "/O=postie tests/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"

rm -rf ca.db ca.cnf "$log"
chmod 0644 ./*.pem
