#!/bin/sh
# postie show / attachments / save on a small mbox built from the mime
# corpus: the text the pager shows, the attachment list, saving under safe
# names without overwriting, and clear errors.
. "$top_srcdir/tests/lib/common.sh"

DATA="$top_srcdir/tests/data/mime"
MAIL="$XDG_DATA_HOME/postie/mail"
# Only the mailcap files a test names; never the machine's /etc/mailcap.
MAILCAPS="$TEST_TMP/none"; export MAILCAPS
mkdir -p "$MAIL"

# 1 uu-multiple, 2 rfc2231-names, 3 escapes, 4 uu-damaged, 5 html
for f in uu-multiple rfc2231-names escapes uu-damaged html; do
    printf 'From sender@example.org Mon Mar  2 10:00:00 2026\n'
    cat "$DATA/$f.eml"
    printf '\n'
done > "$MAIL/Inbox"
cp "$MAIL/Inbox" "$TEST_TMP/other.mbox"

# show: exactly what the viewer corpus expects.
"$POSTIE" show 1 > "$TEST_TMP/show1" 2> "$TEST_TMP/err"
ok $? "show 1 exits 0"
cmp -s "$TEST_TMP/show1" "$DATA/uu-multiple.expected"
ok $? "show 1 prints the rendered message (uu-multiple.expected)"

"$POSTIE" show --folder "$TEST_TMP/other.mbox" 2 > "$TEST_TMP/show2"
ok $? "show --folder PATH works"
cmp -s "$TEST_TMP/show2" "$DATA/rfc2231-names.expected"
ok $? "show --folder PATH 2 prints rfc2231-names.expected"

"$POSTIE" show -f Inbox 5 > "$TEST_TMP/show5"
ok $? "show -f Inbox 5 (HTML) exits 0"
cmp -s "$TEST_TMP/show5" "$DATA/html.expected"
ok $? "HTML shown through the built-in converter (no mailcap, no config)"

# A mailcap text/html entry with copiousoutput converts HTML (RFC 1524
# $MAILCAPS names the file); the file name is one argv element.
printf 'text/html; sed -n -e s/Heading/CONVERTED/p %%s; copiousoutput\n' > "$TEST_TMP/mailcap"
out=$(MAILCAPS="$TEST_TMP/mailcap" "$POSTIE" show 5)
like "$out" "^<h1>CONVERTED</h1>" "HTML converted by the mailcap entry"

# Nothing from a message reaches the terminal raw.
"$POSTIE" show 3 > "$TEST_TMP/show3"
ok $? "show 3 (escape sequences) exits 0"
if LC_ALL=C grep -q "$(printf '\033')" "$TEST_TMP/show3"; then r=1; else r=0; fi
ok $r "no ESC byte in the output"
like "$(cat "$TEST_TMP/show3")" 'Subject: evil \^\[\]0;title\^G' "escapes shown visibly"

# attachments
out=$("$POSTIE" attachments 2)
ok $? "attachments 2 exits 0"
tab=$(printf '\t')
is "$(printf '%s\n' "$out" | sed -n 1p)" "1${tab}application/octet-stream${tab}4${tab}日本語 résumé.txt" "RFC 2231 continuation name"
is "$(printf '%s\n' "$out" | sed -n 5p)" "5${tab}application/octet-stream${tab}4${tab}été.txt" "mislabelled RFC 2231 charset tolerated"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 5 "five attachments"
out=$("$POSTIE" attachments 4)
like "$out" "^1${tab}application/octet-stream${tab}45${tab}corrupt.bin${tab}damaged$" "damaged block flagged"
out=$("$POSTIE" attachments 5)
is "$out" "" "no attachments: empty output"

# save
mkdir "$TEST_TMP/out"
out=$("$POSTIE" save 1 --dir "$TEST_TMP/out")
ok $? "save 1 (all) exits 0"
like "$out" "saved 2 to $TEST_TMP/out/two words.txt" "save reports the path"
is "$(cat "$TEST_TMP/out/one.txt")" "first file" "uuencoded block saved decoded"
"$POSTIE" save 1 1 --dir "$TEST_TMP/out" > /dev/null
ok $? "save 1 1 again exits 0"
is "$(cat "$TEST_TMP/out/one (1).txt")" "first file" "never overwrites: one (1).txt"
is "$(ls "$TEST_TMP/out" | wc -l | tr -d ' ')" 3 "three files in the directory"

mkdir "$TEST_TMP/evil"
before=$(ls -A "$TEST_TMP")
"$POSTIE" save 3 -d "$TEST_TMP/evil" > /dev/null
ok $? "save of a hostile name exits 0"
is "$(ls -A "$TEST_TMP/evil")" "evil_[2J.sh" "name cleaned, kept inside the directory"
is "$(ls -A "$TEST_TMP")" "$before" "nothing else written in the test directory"
test ! -e "$TEST_TMP/../evil$(printf '\033')[2J.sh"
ok $? "nothing written where ../../ would lead"

(cd "$TEST_TMP/out" && "$POSTIE" save 2 3 > /dev/null)
ok $? "save into the current directory by default"
test -f "$TEST_TMP/out/résumé.bin"
ok $? "RFC 2047 in a quoted name decoded for saving"

out=$("$POSTIE" save 4 2 --dir "$TEST_TMP/out")
like "$out" "damaged" "saving a damaged block says so"

# errors
"$POSTIE" show 99 > /dev/null 2> "$TEST_TMP/err"
is $? 1 "show 99: exit 1"
like "$(cat "$TEST_TMP/err")" "no message 99 in .*Inbox: it holds 5 messages" "show 99: says why"
"$POSTIE" show abc > /dev/null 2> "$TEST_TMP/err"
is $? 1 "show abc: exit 1"
"$POSTIE" show > /dev/null 2>&1
is $? 2 "show without N: usage error"
"$POSTIE" show --folder NoSuchFolder 1 > /dev/null 2> "$TEST_TMP/err"
is $? 1 "missing folder: exit 1"
"$POSTIE" save 2 9 --dir "$TEST_TMP/out" > /dev/null 2> "$TEST_TMP/err"
is $? 1 "save of a missing attachment: exit 1"
like "$(cat "$TEST_TMP/err")" "no attachment 9: message 2 has 5 attachments" "says which"
"$POSTIE" save 2 x > /dev/null 2>&1
is $? 2 "save with a bad index: usage error"
"$POSTIE" save 2 --dir "$TEST_TMP/none" > /dev/null 2> "$TEST_TMP/err"
is $? 1 "save into a missing directory: exit 1"
"$POSTIE" save 5 > /dev/null 2> "$TEST_TMP/err"
is $? 1 "save from a message without attachments: exit 1"
"$POSTIE" show --help > "$TEST_TMP/help" 2>&1
like "$(cat "$TEST_TMP/help")" "folder" "show --help lists --folder"

# Every part reachable: the files inside winmail.dat, an attachment in a
# mixed part inside the alternative not shown, a calendar invite; the
# list is the same for show, attachments and save.
for f in tnef related-alternative-mixed outlook-invite; do
    printf 'From sender@example.org Mon Mar  2 10:00:00 2026\n'
    cat "$DATA/$f.eml"
    printf '\n'
done > "$TEST_TMP/parts.mbox"
out=$("$POSTIE" attachments --folder "$TEST_TMP/parts.mbox" 1)
is "$(printf '%s\n' "$out" | cut -f1-4)" "1${tab}application/pdf${tab}210${tab}Quartalsbericht März.pdf
2${tab}text/plain${tab}12${tab}notes.txt" "winmail.dat: the two files it carries"
mkdir "$TEST_TMP/tnef"
"$POSTIE" save --folder "$TEST_TMP/parts.mbox" 1 --dir "$TEST_TMP/tnef" > /dev/null
ok $? "save of the TNEF files exits 0"
is "$(cat "$TEST_TMP/tnef/notes.txt")" "plain notes" "the file from winmail.dat is saved"
is "$(wc -c < "$TEST_TMP/tnef/Quartalsbericht März.pdf" | tr -d ' ')" 210 "under its long name, whole"
out=$("$POSTIE" attachments --folder "$TEST_TMP/parts.mbox" 2)
like "$out" "^1${tab}application/pdf${tab}15${tab}contract.pdf" "the attachment inside the hidden alternative"
like "$(printf '%s\n' "$out" | sed -n 2p)" "^2${tab}image/png${tab}8${tab}logo.png" "and the related image"
like "$("$POSTIE" show --folder "$TEST_TMP/parts.mbox" 2)" "attachment 1: contract.pdf" "show lists it too"
out=$("$POSTIE" attachments --folder "$TEST_TMP/parts.mbox" 3)
like "$out" "^1${tab}text/calendar${tab}48" "the calendar invite of the alternative not shown"

done_testing
