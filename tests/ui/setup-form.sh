#!/bin/sh
# The first-run form as a new user meets it: a rejected answer stays in
# the prompt for editing with the reason shown; Esc asks before throwing
# the answers away; the servers and the user name follow the address
# until edited by hand; a new security brings its port.
. "$top_srcdir/tests/ui/lib.sh"

CONFIG="$XDG_CONFIG_HOME/postie/config"
rm -f "$CONFIG"
# Provider lookups (autoconfig over HTTPS) go through a proxy on a closed
# port: refused
# at once, whatever the network (tests/ui/setup-autoconfig.sh has them).
hold_closed_port
NO_HTTPS="export https_proxy=http://127.0.0.1:$CLOSED_PORT no_proxy= NO_PROXY="
UI_ENV=$NO_HTTPS
field() { screen | grep -E "^ *$1 " ; }   # field NUMBER: its row in the form

start_postie 100 30
wait_for 'Welcome to postie'; ok $? "the setup form opens"
wait_for '^Your name'; type_text 'Pat Example'; keys Enter
wait_for '^E-mail address'; type_text 'not an address'; keys Enter
wait_for 'E-mail address: "not an address" was not taken: an e-mail address looks like'
ok $? "a rejected answer is shown with the reason"
# (the prompt is drawn again under the reason)
wait_for '^E-mail address: not an address'
like "$(screen | tail -1)" '^E-mail address: not an address' "the prompt keeps the text for editing"
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text 'pat@example.org'; keys Enter
wait_for '^POP3 server: pop\.example\.org'; ok $? "the POP3 server follows the address"

# Esc asks; no keeps the form.
keys Escape
wait_for 'Quit the setup without writing'; ok $? "Esc asks before discarding"
keys n
wait_for '^POP3 server: pop\.example\.org'; ok $? "n goes back to the same question"

keys Enter
wait_for '^POP3 security'; tm send-keys -t t C-u; type_text 'starttls'; keys Enter
wait_for '^POP3 port: 110$'; ok $? "with starttls the POP3 port is 110"
keys Enter
wait_for '^User name: pat@example\.org'; ok $? "the user name follows the address"
for q in 'User name' 'Password \(' 'Password command' 'Leave mail' 'Delete from' 'SMTP server' 'SMTP security' 'SMTP port'; do
    wait_for "^$q" && keys Enter
done
# "w: write" is on the form's status line all along: the last question
# going is what shows the form is complete.
wait_not '^SMTP port' && wait_for 'w: write'; ok $? "the form is complete"
like "$(field 11)" 'smtp\.example\.org' "the SMTP server followed the address"

# A new address moves every derived field.
keys 2; wait_for '^E-mail address'; tm send-keys -t t C-u; type_text 'pat@other.example'; keys Enter
wait_for 'pop\.other\.example'; ok $? "a new address moves the POP3 server"
# (fields 6 and 11 are drawn after field 3, above them)
wait_for '^ *11 .*smtp\.other\.example'; ok $? "and the SMTP server"
wait_for '^ *6 .*pat@other\.example'; ok $? "and the user name"

# Edited by hand, a field no longer follows.
# (the prompt shows the typed text before Enter: wait for the form's row)
keys 3; wait_for '^POP3 server'; tm send-keys -t t C-u; type_text 'mail.custom.example'; keys Enter
wait_for '^ *3 POP3 server +mail\.custom\.example'
keys 2; wait_for '^E-mail address'; tm send-keys -t t C-u; type_text 'pat@third.example'; keys Enter
wait_for 'smtp\.third\.example'; ok $? "the SMTP server follows the next address"
like "$(field 3)" 'mail\.custom\.example' "the POP3 server edited by hand stays"

# Security brings its port, even after the port was typed by hand.
keys 4; wait_for '^POP3 port'; tm send-keys -t t C-u; type_text '1110'; keys Enter
wait_for '^ *4 POP3 port +1110$'
keys 5; wait_for '^POP3 security'; tm send-keys -t t C-u; type_text 'tls'; keys Enter
wait_for '^ *4 POP3 port +995$'; ok $? "changing the security to tls makes the port 995"
keys 1; wait_for 'Answer number'; keys 3
wait_for '^SMTP security'; tm send-keys -t t C-u; type_text 'tls'; keys Enter
wait_for '^ *12 SMTP port +465$'; ok $? "SMTP security tls makes the SMTP port 465"

keys q
wait_for 'Quit without writing'; keys y
wait_for 'EXIT=0'; ok $? "quitting the form ends postie"
ok "$([ ! -e "$CONFIG" ]; echo $?)" "nothing was written"
done_testing
