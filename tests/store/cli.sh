#!/bin/sh
# postie list and postie folders as a person or a script uses them.
. "$top_srcdir/tests/lib/common.sh"

TOOL="$top_builddir/tests/store/store-tool"
MAIL="$XDG_DATA_HOME/postie/mail"

# First run: the standard folders appear.
OUT=$("$POSTIE" folders)
is "$OUT" "Inbox
Outbox
Sent
Drafts
Trash" "the standard folders exist after the first run"
is "$(stat -c %a "$MAIL/Inbox")" 600 "folders are private (0600)"

"$POSTIE" list; ok $? "listing an empty Inbox works"
is "$("$POSTIE" list)" "" "and prints nothing"

printf 'From: =?UTF-8?Q?Ren=C3=A9?= <rene@example.org>\nTo: me@example.org\nSubject: =?UTF-8?B?SMOpbGxv?=\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <1@x>\nX-Postie-UIDL: acct 42\n\nhi\n' \
    | "$TOOL" append "$MAIL/Inbox"
printf 'From: bob@example.org\nSubject: second\nContent-Type: multipart/mixed; boundary=b\n\n--b--\n' \
    | "$TOOL" append "$MAIL/Inbox" RF
OUT=$(TZ=UTC "$POSTIE" list)
like "$OUT" '^1  N   2024-01-01 10:00  René +Héllo$' "default columns: number, flags, date, sender name, subject"
like "$OUT" '^2   !\+ +bob@example.org +second$' "flags column: read, flagged, attachment"
OUT=$("$POSTIE" list --folder Inbox --format '%n|%F|%D|%s|%S|%i|%u|%a|%%\t.')
is "$OUT" "1|-|1704103200|René <rene@example.org>|Héllo|<1@x>|acct 42|0|%	.
2|RF|0|bob@example.org|second|||1|%	." "--format fields for scripts"
OUT=$("$POSTIE" list --folder "$MAIL/Inbox" --format '%S')
is "$OUT" "Héllo
second" "--folder takes a path too"

OUT=$("$POSTIE" list --folder Nope 2>&1); rc=$?
is "$rc" 1 "listing a missing folder fails"
like "$OUT" "no folder .*Nope" "and says which"
OUT=$("$POSTIE" list --folder ../x 2>&1); rc=$?
is "$rc" 1 "a path outside needs a slash and must exist"
OUT=$("$POSTIE" list --folder .hidden 2>&1); rc=$?
like "$OUT" 'not a valid folder name' "bad names are refused"
"$POSTIE" list extra >/dev/null 2>&1
is "$?" 2 "extra arguments are a usage error"

# Folders.
"$POSTIE" folders create Lists; ok $? "create a folder"
"$POSTIE" folders create Lists 2>/dev/null
is "$?" 1 "creating it twice fails"
OUT=$("$POSTIE" folders create "a/b" 2>&1)
like "$OUT" "contains '/'" "a name with a slash is refused"
OUT=$("$POSTIE" folders create "$(printf 'bad\033name')" 2>&1)
like "$OUT" 'bad\^\[name.*control character' "a name with a control character is refused (and shown safely)"
printf 'Subject: x\n\ny\n' | "$TOOL" append "$MAIL/Lists"
"$POSTIE" folders rename Lists "Mailing lists"; ok $? "rename a folder"
is "$("$POSTIE" folders --count)" "Inbox	2	1
Outbox	0	0
Sent	0	0
Drafts	0	0
Trash	0	0
Mailing lists	1	1" "folders --count: messages and unread"
OUT=$("$POSTIE" folders delete "Mailing lists" 2>&1); rc=$?
is "$rc" 1 "a folder with mail is not deleted without --force"
like "$OUT" "holds 1 message" "and says why"
"$POSTIE" folders delete --force "Mailing lists"; ok $? "delete --force"
OUT=$("$POSTIE" folders delete Inbox 2>&1); rc=$?
is "$rc" 1 "the Inbox cannot be deleted"
"$POSTIE" folders frobnicate >/dev/null 2>&1
is "$?" 2 "an unknown action is a usage error"
is "$("$POSTIE" folders | tr '\n' ' ')" "Inbox Outbox Sent Drafts Trash " "back to the standard folders"

done_testing
