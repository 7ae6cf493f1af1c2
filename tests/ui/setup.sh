#!/bin/sh
# First run without a configuration file: the setup form writes a working
# configuration (mode 0600, passes "postie config check"), offers the POP3
# test, then the mail screen opens.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/ui/lib.sh"

CONFIG="$XDG_CONFIG_HOME/postie/config"
rm -f "$CONFIG"
closed=$(free_port)

answer() {   # answer PROMPT-REGEX TEXT
    wait_for "^$1" || return 1
    tm send-keys -t t C-u
    [ -n "$2" ] && type_text "$2"
    keys Enter
}

start_postie 100 30
wait_for 'Welcome to postie'; ok $? "with no configuration the setup form opens"
answer 'Your name' 'Test Person'
answer 'E-mail address' 'test@example.org'
answer 'POP3 server' 'localhost'
ok $? "the POP3 server is asked for"
answer 'POP3 security' 'tls'
answer 'POP3 port' "$closed"
answer 'User name' 'tester'
answer 'Password' 's3cret-pw'
like "$(screen)" '\*\*\*\*\*\*\*\*' "the password is not shown"
unlike "$(screen)" 's3cret-pw' "the password text is not on the screen"
answer 'Password command' ''
answer 'Leave mail on the server' 'yes'
answer 'Delete from the server after days' '14'
answer 'SMTP server' 'localhost'
answer 'SMTP security' 'starttls'
answer 'SMTP port' '2525'
ok $? "every question was answered"
wait_for 'w: write'; ok $? "the form shows the answers and how to write them"
keys w
wait_for 'Test the POP3 login now'; ok $? "after writing, the POP3 test is offered"
is "$(stat -c %a "$CONFIG")" 600 "the configuration file has mode 0600"
out=$("$POSTIE" --config "$CONFIG" config check 2>&1); rc=$?
is "$rc" 0 "postie config check passes on the written file"
[ "$rc" -eq 0 ] || diag "$out"
cfg=$(cat "$CONFIG")
like "$cfg" '^pop3_port=' "the POP3 port is written"
like "$cfg" '^delete_after_days=14' "delete after N days is written"
like "$cfg" '^password=s3cret-pw' "the password is written (only in the 0600 file)"
keys y
wait_for 'POP3 test failed' 60; ok $? "the POP3 test runs and reports the failure (nothing listens there)"
keys Enter
wait_for 'postie: Inbox'; ok $? "then the mail screen opens"
keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
