# Shared set-up for the fetch tests: a private Dovecot, a config for one
# or more accounts on it, and counting helpers.  Source after setting
# nothing; it sources tests/lib/common.sh itself.
. "$top_srcdir/tests/lib/common.sh"

SERVERS=$top_srcdir/tests/servers
MAIL=$XDG_DATA_HOME/postie/mail
RECORDS=$XDG_STATE_HOME/postie/uidls
# records ACCOUNT: the records file and its journal (saves during a fetch
# go to the journal; a finished fetch folds it into the file).
records() { cat "$RECORDS/$1" "$RECORDS/$1.journal" 2>/dev/null; }
CONFIG=$XDG_CONFIG_HOME/postie/config
HELPER=$top_builddir/tests/integration/fetch-helper
export POSTIE_LOCK_TIMEOUT=${POSTIE_LOCK_TIMEOUT:-2}

command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    skip_all "Dovecot is not installed (contrib/install-deps)"

start_dovecot() {
    "$SERVERS/dovecot.sh" start "$TEST_TMP/dc" "$@" >/dev/null ||
        { echo "Bail out! cannot start Dovecot"; exit 1; }
    . "$TEST_TMP/dc/dovecot.env"
    TEST_CLEANUP="\"$SERVERS/dovecot.sh\" stop \"$TEST_TMP/dc\"; ${TEST_CLEANUP:-}"
}

# add_mail [dovecot.sh add-mail options]: messages for the first user.
add_mail() {
    "$SERVERS/dovecot.sh" add-mail "$TEST_TMP/dc" "$@" >/dev/null
}

# account NAME [KEY=VALUE]...: an [account NAME] group for alice over
# POP3S with the test CA; extra keys are added (POP3_HOST, POP3S_PORT,
# CA_FILE (empty: none), ACCOUNT_USER and ACCOUNT_PASSWORD override).
account() {
    name=$1; shift
    {
        echo "[account $name]"
        echo "address = alice@example.org"
        echo "pop3_host = $POP3_HOST"
        echo "pop3_port = $POP3S_PORT"
        echo "pop3_user = ${ACCOUNT_USER:-$POP3_USER}"
        echo "password = ${ACCOUNT_PASSWORD:-$POP3_PASSWORD}"
        [ -z "$CA_FILE" ] || echo "ca_file = $CA_FILE"
        echo "timeout = 30"
        for kv in "$@"; do
            echo "${kv%%=*} = ${kv#*=}"
        done
        echo
    } >> "$CONFIG"
    chmod 600 "$CONFIG"
}

new_config() { : > "$CONFIG"; chmod 600 "$CONFIG"; }

# Messages in the server mailbox, in a local folder.
# (Dovecot may keep a "FOLDER INTERNAL DATA" pseudo message: not counted.)
server_count() { grep -c '^From ' "$POP3_MAILBOX" | { read n; echo $((n - $(grep -c '^Subject: DON.T DELETE THIS MESSAGE' "$POP3_MAILBOX"))); }; }
folder_count() {
    if [ -f "$MAIL/$1" ]; then grep -c '^From ' "$MAIL/$1" || true; else echo 0; fi
}
# Message-IDs of the server mailbox / of local folders, sorted.
server_ids() {
    "$PYTHON3" -c 'import mailbox, sys
for m in mailbox.mbox(sys.argv[1]):
    if not str(m.get("Subject", "")).startswith("DON\x27T DELETE") and m.get("Message-ID"):
        print("Message-ID: " + m["Message-ID"])' "$POP3_MAILBOX" | sort
}
local_ids() {
    for f in "$@"; do [ -f "$MAIL/$f" ] && grep -i '^Message-ID:' "$MAIL/$f"; done |
        tr -d '\r' | sort
}

# A small message with a Message-ID.
message() {   # message ID [HEADER: VALUE]... ; body from $BODY
    id=$1; shift
    printf 'From: Sender <sender@example.net>\nTo: alice@example.org\n'
    printf 'Subject: message %s\nMessage-ID: <%s@test>\n' "$id" "$id"
    for h in "$@"; do printf '%s\n' "$h"; done
    printf '\n%s\n' "${BODY:-Body of message $id.}"
}

wipe_local() { rm -rf "$MAIL" "$RECORDS" "$XDG_STATE_HOME/postie/index"; }

# start_fake [fetch-fakepop3.py options]: (re)start the scripted server on
# the files of $SRV and write a config with account "a" on it (plain
# text; LEAVE=false for leave_on_server = false; PASSWORD_COMMAND for a
# password_command instead of the password).
start_fake() {
    [ -n "${fake:-}" ] && { kill "$fake"; wait "$fake" 2>/dev/null; }
    rm -f "$TEST_TMP/port"
    "$PYTHON3" "$top_srcdir/tests/integration/fetch-fakepop3.py" "$SRV" \
        "$TEST_TMP/port" "$@" &
    fake=$!
    TEST_CLEANUP="kill $fake 2>/dev/null; ${TEST_CLEANUP:-}"
    i=0
    while [ ! -s "$TEST_TMP/port" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    new_config
    POP3_HOST=127.0.0.1 POP3S_PORT=$(cat "$TEST_TMP/port") POP3_USER=u \
        POP3_PASSWORD=p CA_FILE= account a pop3_security=none \
        allow_plaintext_password=true ${LEAVE:+leave_on_server=$LEAVE} \
        ${PASSWORD_COMMAND:+password_command=$PASSWORD_COMMAND}
}
