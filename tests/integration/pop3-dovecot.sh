#!/bin/sh
# The POP3 client against real Dovecot instances on 127.0.0.1 high ports
# (tests/servers/dovecot.sh): a good certificate, a wrong-host one, an
# expired one, and one without STLS.  The checks are in
# test-pop3-dovecot.c; this wrapper starts the servers, adds the messages
# and passes ports and paths in the environment.
. "$top_srcdir/tests/lib/common.sh"
S=$top_srcdir/tests/servers
PY=${PYTHON3:-/usr/bin/python3}

if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
    echo "1..0 # SKIP dovecot is not installed"
    exit 0
fi

CERT_DIR=$TEST_TMP/certs
sh "$S/mkcerts.sh" "$CERT_DIR" || { echo "Bail out! mkcerts failed"; exit 1; }

GOOD=$TEST_TMP/good WRONG=$TEST_TMP/wrong EXPIRED=$TEST_TMP/expired NOSTLS=$TEST_TMP/nostls
TEST_CLEANUP='for d in "$GOOD" "$WRONG" "$EXPIRED" "$NOSTLS"; do sh "$S/dovecot.sh" stop "$d" >/dev/null 2>&1; done'

start() {
    sh "$S/dovecot.sh" start "$@" --certs "$CERT_DIR" >/dev/null ||
        { echo "Bail out! cannot start dovecot $*"; exit 1; }
}
start "$GOOD"
start "$WRONG" --cert wronghost
start "$EXPIRED" --cert expired
start "$NOSTLS" --no-stls

# Messages with what makes POP3 transfers tricky: lines that are or
# start with dots, blank lines, long lines, 8-bit text, attachments.
MSG_DIR=$TEST_TMP/msgs
N_MESSAGES=300
"$PY" - "$MSG_DIR" "$N_MESSAGES" <<'PYEOF'
import base64, os, random, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
rnd = random.Random(5)
words = "alpha beta gamma delta . .. ... .hidden caf\u00e9 \u65e5\u672c mail pop3".split()
for i in range(1, n + 1):
    lines = ["Return-Path: <sender%d@example.org>" % i,
             "From: Sender %d <sender%d@example.org>" % (i, i),
             "To: alice@example.org",
             "Subject: message %d" % i,
             "Message-ID: <m%d@example.org>" % i,
             "Date: Sun, 22 Nov 2026 04:00:%02d +0000" % (i % 60),
             "MIME-Version: 1.0",
             "Content-Type: text/plain; charset=utf-8",
             ""]
    for k in range(rnd.randint(1, 60)):
        r = rnd.random()
        if r < 0.08:
            lines.append(".")
        elif r < 0.16:
            lines.append("." + " ".join(rnd.choice(words) for _ in range(5)))
        elif r < 0.2:
            lines.append("")
        elif r < 0.22:
            lines.append("x" * rnd.randint(998, 5000))
        else:
            lines.append(" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 14))))
    if i % 10 == 0:
        blob = base64.encodebytes(os.urandom(rnd.randint(100, 30000))).decode()
        lines += [blob.rstrip("\n")]
    with open(os.path.join(d, "%05d.eml" % i), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
PYEOF
sh "$S/dovecot.sh" add-mail "$GOOD" "$MSG_DIR"/*.eml >/dev/null ||
    { echo "Bail out! add-mail failed"; exit 1; }
sh "$S/dovecot.sh" add-mail "$GOOD" --user bob --generate 20 >/dev/null ||
    { echo "Bail out! add-mail bob failed"; exit 1; }

port() { sed -n "s/^$1='\(.*\)'/\1/p" "$2/dovecot.env"; }
POP3_PORT=$(port POP3_PORT "$GOOD")
POP3S_PORT=$(port POP3S_PORT "$GOOD")
CA_FILE=$(port CA_FILE "$GOOD")
WRONG_POP3_PORT=$(port POP3_PORT "$WRONG")
WRONG_POP3S_PORT=$(port POP3S_PORT "$WRONG")
EXPIRED_POP3_PORT=$(port POP3_PORT "$EXPIRED")
EXPIRED_POP3S_PORT=$(port POP3S_PORT "$EXPIRED")
NOSTLS_POP3_PORT=$(port POP3_PORT "$NOSTLS")
WRONG_LOG=$WRONG/dovecot.log EXPIRED_LOG=$EXPIRED/dovecot.log
NOSTLS_LOG=$NOSTLS/dovecot.log GOOD_LOG=$GOOD/dovecot.log
export POP3_PORT POP3S_PORT CA_FILE WRONG_POP3_PORT WRONG_POP3S_PORT \
    EXPIRED_POP3_PORT EXPIRED_POP3S_PORT NOSTLS_POP3_PORT WRONG_LOG \
    EXPIRED_LOG NOSTLS_LOG GOOD_LOG MSG_DIR N_MESSAGES CERT_DIR

# POP3_TEST_WRAPPER: e.g. "valgrind -q" or "gdb -batch -ex run -ex bt --args"
${POP3_TEST_WRAPPER:-} "$top_builddir/tests/integration/test-pop3-dovecot" "$@"
