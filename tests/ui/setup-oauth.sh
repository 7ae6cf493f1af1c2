#!/bin/sh
# First run for an Outlook.com address: the form proposes Microsoft's
# servers, and after writing it offers OAuth 2 instead of a password,
# asks for the client id and writes the OAuth settings (the login itself
# is "postie oauth login", tested in tests/integration/oauth-helper.sh).
. "$top_srcdir/tests/ui/lib.sh"

CONFIG="$XDG_CONFIG_HOME/postie/config"
rm -f "$CONFIG"
# Provider lookups over HTTPS go through a proxy on a closed port (refused
# at once): the built-in entry for Outlook.com is what the form offers.
hold_closed_port
UI_ENV="export https_proxy=http://127.0.0.1:$CLOSED_PORT no_proxy= NO_PROXY="

answer() {   # answer PROMPT-REGEX TEXT (empty: keep the proposed value)
    wait_for "^$1" || return 1
    [ -n "$2" ] && { tm send-keys -t t C-u; type_text "$2"; }
    keys Enter
}

start_postie 120 30
wait_for 'Welcome to postie'; ok $? "the setup form opens"
answer 'Your name' 'Alice'
answer 'E-mail address' 'alice@outlook.com'
wait_for 'Use these settings\?'; ok $? "the built-in Outlook.com settings are offered"
keys y
wait_for '^POP3 server: outlook.office365.com'; ok $? "Microsoft's POP3 server is proposed"
answer 'POP3 server' ''
answer 'POP3 security' ''
answer 'POP3 port' ''
answer 'User name' ''
answer 'Password' 'app-password'
answer 'Password command' ''
answer 'Leave mail on the server' ''
answer 'Delete from the server after days' ''
wait_for '^SMTP server: smtp-mail.outlook.com'; ok $? "and its SMTP server"
answer 'SMTP server' ''
answer 'SMTP security' ''
answer 'SMTP port' ''
wait_for 'w: write' && keys w
wait_for 'log in with OAuth 2 instead of a password'; ok $? "OAuth is offered for Outlook.com"
keys y
answer 'OAuth client id' 'test-client-id'
wait_for 'Log in at the provider now'; ok $? "the login is offered"
keys n
wait_for 'Test the POP3 and SMTP logins now'
keys n
wait_for 'postie: Inbox'; ok $? "then the mail screen opens"
keys q
wait_for 'EXIT=0'
cfg=$(cat "$CONFIG")
like "$cfg" '^oauth_provider=microsoft$' "the provider is written"
like "$cfg" '^oauth_client_id=test-client-id$' "the client id is written"
like "$cfg" '^oauth_token_command=.*postie.* oauth token outlook$' "the token command is postie oauth token"
unlike "$cfg" '^password' "no password is kept"
is "$(stat -c %a "$CONFIG")" 600 "the file is still private"
out=$("$POSTIE" config check 2>&1); rc=$?
is "$rc" 0 "postie config check passes"
[ "$rc" -eq 0 ] || diag "$out"
done_testing
