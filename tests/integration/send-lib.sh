# Shared set-up for the send tests: a private HOME (common.sh), the
# capturing SMTP server from tests/servers, and a configuration for it.
. "$top_srcdir/tests/lib/common.sh"

PY=/usr/bin/python3
SERVERS="$top_srcdir/tests/servers"
CERTS="$TEST_TMP/certs"
"$SERVERS/mkcerts.sh" "$CERTS"
MAIL="$XDG_DATA_HOME/postie/mail"
CONF="$XDG_CONFIG_HOME/postie/config"
_started=""
TEST_CLEANUP='for d in $_started; do "$SERVERS/smtpd.sh" stop "$d"; done'

# start_smtp NAME [smtpd.sh options]: start a server in $TEST_TMP/NAME and
# load its env (SMTP_PORT, SMTP_OUTDIR, SMTP_COMMANDS, ...).
start_smtp() {
    name=$1; shift
    "$SERVERS/smtpd.sh" start "$TEST_TMP/$name" --certs "$CERTS" "$@" >/dev/null
    _started="$_started $TEST_TMP/$name"
    . "$TEST_TMP/$name/smtpd.env"
}

stop_smtp() { "$SERVERS/smtpd.sh" stop "$TEST_TMP/$1"; }

# account NAME ADDRESS [extra "key = value" lines...]: one [account] group
# for the server started last.
account() {
    n=$1 addr=$2; shift 2
    {
        echo "[account $n]"
        echo "address = $addr"
        echo "smtp_host = localhost"
        echo "smtp_port = $SMTP_PORT"
        echo "smtp_user = ${SMTP_USER:-alice}"
        echo "smtp_password = ${SMTP_PASSWORD:-smtp-pw-1}"
        echo "smtp_ca_file = $CERTS/ca.pem"
        case " $* " in *" timeout = "*) ;; *) echo "timeout = 20" ;; esac
        for l in "$@"; do echo "$l"; done
        echo
    } >> "$CONF"
    chmod 600 "$CONF"
}

new_config() { : > "$CONF"; chmod 600 "$CONF"; }

# Number of messages the server accepted.
captured() { ls "$SMTP_OUTDIR" 2>/dev/null | grep -c '\.eml$' || true; }

# Messages in an mbox folder of ours (counted by Message-ID lines).
count_in() { grep -ci '^Message-ID:' "$MAIL/$1" 2>/dev/null || true; }

# json FILE EXPR: evaluate a Python expression on the parsed JSON (as j).
json() { "$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# Lines of the server's command log that the client sent without TLS.
plain_lines() { "$PY" -c '
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if not e.get("tls") and "line" in e: print(e["line"])
' "$SMTP_COMMANDS"; }

all_lines() { "$PY" -c '
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    print(e.get("line") or ("EVENT " + e.get("event","")))
' "$SMTP_COMMANDS"; }

# events KIND: the server's records of that kind (auth-ok, oauth, ...),
# one JSON object per line.
events() { "$PY" -c '
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("event")==sys.argv[2]: print(json.dumps(e, sort_keys=True))
' "$SMTP_COMMANDS" "$1"; }
