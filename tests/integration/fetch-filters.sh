#!/bin/sh
# Filters on fetched mail: two people sharing one POP account (by To), a
# domain-wide mailbox sorted by the envelope recipient (several
# Delivered-To), a list by List-Id, RFC 2047 subjects; first match wins;
# folders are created when needed.
. "$top_srcdir/tests/integration/fetch-lib.sh"
start_dovecot
message f1 "To: Anna <anna@family.example>" > "$TEST_TMP/1"
message f2 "Cc: bob@family.example" > "$TEST_TMP/2"
message f3 "Delivered-To: all@dom.example" "Delivered-To: carol@dom.example" > "$TEST_TMP/3"
message f4 "X-Original-To: dave@dom.example" > "$TEST_TMP/4"
message f5 "List-Id: Developers <dev.lists.example.org>" > "$TEST_TMP/5"
message f6 "Subject: =?UTF-8?Q?R=C3=A9union?= today" > "$TEST_TMP/6"
message f7 > "$TEST_TMP/7"
message f8 "To: anna@family.example, bob@family.example" > "$TEST_TMP/8"
add_mail "$TEST_TMP"/1 "$TEST_TMP"/2 "$TEST_TMP"/3 "$TEST_TMP"/4 \
    "$TEST_TMP"/5 "$TEST_TMP"/6 "$TEST_TMP"/7 "$TEST_TMP"/8

new_config
account home
account work fetch=false
cat >> "$CONFIG" <<'CONF'
[filter anna]
account = home
header = To
contains = anna@family.example
folder = Anna

[filter bob]
header = Cc
contains = BOB@family.example
folder = Bob

[filter carol]
header = Delivered-To
matches = ^carol@dom\.example$
folder = Carol

[filter dave]
header = X-Original-To
contains = dave@
folder = Dave

[filter lists]
header = List-Id
matches = <dev\.lists\.example\.org>
folder = Dev

[filter other-account]
account = work
header = Subject
contains = message
folder = Wrong

[filter reunion]
header = Subject
contains = réunion
folder = Events
CONF
out=$("$POSTIE" fetch 2>&1); rc=$?
is "$rc" 0 "fetch with filters exits 0"
like "$out" "^home: 8 new" "8 new messages"
is "$(local_ids Anna)" "$(printf 'Message-ID: <f1@test>\nMessage-ID: <f8@test>')" \
    "To: anna (and the first match of a message to both) goes to Anna"
is "$(local_ids Bob)" "Message-ID: <f2@test>" "Cc matched case-insensitively"
is "$(local_ids Carol)" "Message-ID: <f3@test>" "the second Delivered-To is checked too"
is "$(local_ids Dave)" "Message-ID: <f4@test>" "X-Original-To"
is "$(local_ids Dev)" "Message-ID: <f5@test>" "List-Id regular expression"
is "$(local_ids Events)" "Message-ID: <f6@test>" "RFC 2047-decoded Subject"
is "$(local_ids Inbox)" "Message-ID: <f7@test>" "no match: the inbox"
[ ! -e "$MAIL/Wrong" ]; ok $? "a filter of another account does not apply"
is "$(local_ids Anna Bob Carol Dave Dev Events Inbox | wc -l)" 8 "each message exactly once"
done_testing
