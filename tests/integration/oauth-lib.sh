# The mock authorization server (tests/servers/oauthmock.py) for tests of
# "postie oauth".  Source after tests/lib/common.sh.  start_oauthmock sets
# MOCK (its directory) and URL (http://127.0.0.1:PORT); scenario JSON
# writes its behaviour; oauth_keys prints config lines pointing at it.
start_oauthmock() {
    MOCK="$TEST_TMP/mock"
    mkdir -p "$MOCK"
    /usr/bin/python3 "$top_srcdir/tests/servers/oauthmock.py" --dir "$MOCK" \
        </dev/null >"$MOCK/log" 2>&1 &
    _mock_pid=$!
    TEST_CLEANUP="kill $_mock_pid 2>/dev/null; ${TEST_CLEANUP:-}"
    _i=0
    while [ ! -f "$MOCK/port" ] && [ $_i -lt 600 ]; do sleep 0.05; _i=$((_i + 1)); done
    [ -f "$MOCK/port" ] || { echo "Bail out! the mock authorization server did not start"; exit 1; }
    URL="http://127.0.0.1:$(cat "$MOCK/port")"
}

scenario() { printf '%s\n' "$1" > "$MOCK/scenario.json"; }

oauth_keys() {
    echo "oauth_provider = microsoft"
    echo "oauth_client_id = test-client"
    echo "oauth_device_url = $URL/device"
    echo "oauth_authorize_url = $URL/authorize"
    echo "oauth_token_url = $URL/token"
}
