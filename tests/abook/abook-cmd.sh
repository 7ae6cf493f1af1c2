#!/bin/sh
# postie abook: import, export, query (mutt's format), list, add, merge,
# run as a person would, against a private data directory.
. "$top_srcdir/tests/lib/common.sh"

D="$top_srcdir/tests/data/abook"
BOOK="$XDG_DATA_HOME/postie/contacts.vcf"
TAB=$(printf '\t')

# --- import --------------------------------------------------------------
out=$("$POSTIE" abook import "$D/contacts-40.vcf" 2>&1); rc=$?
is "$rc" 0 "import vCard 4.0 exits 0"
like "$out" 'contacts-40.vcf: 3 read as vcard: 3 added, 0 merged' "import summary"
mode=$(stat -c %a "$BOOK")
is "$mode" 600 "contacts file is mode 0600"
head -1 "$BOOK" | od -c | grep -q '\\r  \\n'
ok $? "contacts file uses CRLF line ends"

out=$("$POSTIE" abook import "$D/contacts-21.vcf" 2>&1)
like "$out" 'contacts-21.vcf:15: vCard inside a vCard \(AGENT\) skipped' "2.1 problem reported with FILE:LINE"
"$POSTIE" abook import "$D/thunderbird.csv" >/dev/null 2>&1
ok $? "import Thunderbird CSV"
out=$("$POSTIE" abook import --format ldif "$D/thunderbird.ldif" 2>&1)
like "$out" 'read as ldif: 4 added' "import LDIF with --format"
out=$("$POSTIE" abook import "$D/aliases.mutt" 2>&1)
like "$out" "aliases.mutt:7: not an alias line, skipped" "mutt file: skipped line reported"
like "$out" "read as mutt" "mutt aliases detected"

# --- list ----------------------------------------------------------------
list=$("$POSTIE" abook list)
like "$list" '^Anna Smith <anna@example.org>$' "list shows a contact"
like "$list" '^Jürgen Müller <juergen@example.de>, <jm@firma.example>$' "quoted-printable name decoded"
like "$list" '^Book Club \(group\): José Álvarez <jose@work.example>, Anna Smith <anna@example.org>, guest@outside.example$' \
    "group listed with its members"
like "$list" '^Tom Baker <tom@tardis.example>, <tom.baker@bbc.example> \(doc\)$' "CSV contact with two addresses"

# --- query: mutt's query_command format ------------------------------------
q=$("$POSTIE" abook query smith); rc=$?
is "$rc" 0 "query with matches exits 0"
first=$(printf '%s\n' "$q" | head -1)
like "$first" "^postie: [0-9]+ address(es)? match" "first line is a message"
body=$(printf '%s\n' "$q" | tail -n +2)
bad=$(printf '%s\n' "$body" | awk -F'\t' 'NF != 3' | wc -l)
is "$bad" 0 "every result line has three tab-separated fields"
like "$body" "^anna@example.org${TAB}Anna Smith${TAB}\$" "address, name, other"
like "$body" "^sarah@example.com${TAB}Sarah Smith${TAB}" "CSV contact found"
q=$("$POSTIE" abook query pepe)
like "$q" "^jose@work.example${TAB}José Álvarez${TAB}Pepe, Jo,se; Example Corp;Research\$" \
    "nickname match; other info holds nicknames and organisation"
q=$("$POSTIE" abook query alvarez)
like "$q" "^jose.alvarez@home.example${TAB}José Álvarez${TAB}" "accent-insensitive query"
q=$("$POSTIE" abook query "book club")
like "$q" "^José Álvarez <jose@work.example>, Anna Smith <anna@example.org>, guest@outside.example${TAB}Book Club${TAB}group\$" \
    "a group is one line with all its addresses"
q=$("$POSTIE" abook query -smith); rc=$?
is "$rc" 1 "a query may start with '-' (nothing matches it)"
like "$q" "^No matches for '-smith'" "and is taken as text, not an option"
q=$("$POSTIE" abook query no-such-person-anywhere); rc=$?
is "$rc" 1 "no match exits 1"
like "$q" "^No matches for 'no-such-person-anywhere'" "no match prints a message for mutt"

# --- a failed import changes nothing ----------------------------------------
cp "$BOOK" "$TEST_TMP/before.vcf"
out=$("$POSTIE" abook import "$D/unterminated.csv" 2>&1); rc=$?
is "$rc" 1 "unterminated CSV quote fails"
like "$out" "unterminated.csv:3: quoted field never closed; nothing imported" "failure names FILE:LINE"
cmp -s "$BOOK" "$TEST_TMP/before.vcf"
ok $? "contacts file unchanged after a failed import"
out=$("$POSTIE" abook import "$TEST_TMP/missing.csv" 2>&1); rc=$?
is "$rc" 1 "missing file fails"
printf 'just some words\n' > "$TEST_TMP/words.txt"
out=$("$POSTIE" abook import "$TEST_TMP/words.txt" 2>&1); rc=$?
is "$rc" 1 "unknown format fails"
like "$out" "cannot tell the format" "unknown format explained"
cmp -s "$BOOK" "$TEST_TMP/before.vcf"
ok $? "still unchanged"
ls "$XDG_DATA_HOME/postie" | grep -q tmp
ok $((! $?)) "no temporary file left behind"

# --- charset repair --------------------------------------------------------
out=$("$POSTIE" abook import "$D/cp1252.csv" 2>&1)
like "$out" "cp1252.csv:2: not valid UTF-8; the file was read as windows-1252" "charset conversion reported"
like "$("$POSTIE" abook list rene)" "^René Lévesque <rene@example.ca>$" "windows-1252 name converted"

# --- merge by address across files ----------------------------------------
"$POSTIE" abook import "$D/dup-a.vcf" >/dev/null 2>&1
out=$("$POSTIE" abook import "$D/dup-b.csv" 2>&1)
like "$out" "0 added, 1 merged by address" "second file merged by address"
is "$("$POSTIE" abook list "pat jones" | wc -l)" 1 "one contact for both files"
like "$("$POSTIE" abook list "pat jones")" "^Pat Jones <pat@example.org>, <pat.jones@work.example> \(pj, patty, Patricia Jones\)$" \
    "merged contact keeps all addresses and nicknames"

# --- add ------------------------------------------------------------------
out=$("$POSTIE" abook add '"Doe, Jane" <jane.doe@example.org>')
is "$out" 'added: "Doe, Jane" <jane.doe@example.org>' "add a person"
out=$("$POSTIE" abook add 'JANE.DOE@example.org')
is "$out" 'already in the address book: "Doe, Jane" <jane.doe@example.org>' "add an existing address"
out=$("$POSTIE" abook add 'Nobody <nowhere>' 2>&1); rc=$?
is "$rc" 1 "add without an address fails"
# A name with terminal escapes is stored but never printed raw.
printf 'BEGIN:VCARD\r\nFN:Evil\033[2J\033]0;title\007 Name\r\nEMAIL:evil@example.org\r\nEND:VCARD\r\n' \
    > "$TEST_TMP/evil.vcf"
"$POSTIE" abook import "$TEST_TMP/evil.vcf" >/dev/null 2>&1
ok $? "import a name holding terminal escapes"
esc=$(printf '\033')
"$POSTIE" abook list evil | grep -q "$esc"
ok $((! $?)) "control characters are not printed"
"$POSTIE" abook query evil | grep -q "$esc"
ok $((! $?)) "nor in query output"

# --- export and round trip -------------------------------------------------
"$POSTIE" abook export --format vcard --output "$TEST_TMP/all.vcf"
ok $? "export vCard to a file"
is "$(stat -c %a "$TEST_TMP/all.vcf")" 600 "exported file is private"
"$POSTIE" abook export > "$TEST_TMP/stdout.vcf"
cmp -s "$TEST_TMP/all.vcf" "$TEST_TMP/stdout.vcf"
ok $? "vCard is the default, standard output the default place"
"$POSTIE" abook export --format csv > "$TEST_TMP/all.csv"
ok $? "export CSV"
list_before=$("$POSTIE" abook list)

# Import both exports into empty books: the same listing comes back.
# CSV holds groups only as a column of their members, so members that are
# not contacts themselves (guest@outside.example) do not come back.
for f in all.vcf all.csv; do
    XDG_DATA_HOME="$TEST_TMP/$f.data" XDG_STATE_HOME="$TEST_TMP/$f.state" \
        "$POSTIE" abook import "$TEST_TMP/$f" >/dev/null 2>&1
    ok $? "import own $f export"
    got=$(XDG_DATA_HOME="$TEST_TMP/$f.data" XDG_STATE_HOME="$TEST_TMP/$f.state" "$POSTIE" abook list)
    if [ $f = all.vcf ]; then
        is "$got" "$list_before" "round trip through $f keeps every contact and group"
    else
        is "$(printf '%s\n' "$got" | grep -v '(group)')" "$(printf '%s\n' "$list_before" | grep -v '(group)')" \
            "round trip through $f keeps every contact"
        like "$got" '^Swedes \(group\): Zoë Ångström <zoe@example.se>, Plain Person <plain@example.org>$' \
            "and the groups of contacts"
    fi
done

# Importing one's own export again adds nothing.
out=$("$POSTIE" abook import "$TEST_TMP/all.vcf" 2>&1)
like "$out" ": 0 added" "re-import merges everything"
is "$("$POSTIE" abook list)" "$list_before" "and changes no listing"

# --- merge ----------------------------------------------------------------
"$POSTIE" abook add "Pat Jones <pj@other.example>" >/dev/null
out=$("$POSTIE" abook merge)
like "$out" "^1 contact merged" "merge duplicates by name"
like "$("$POSTIE" abook list jones)" "<pj@other.example>" "merged contact holds the new address"

# --- usage ------------------------------------------------------------------
"$POSTIE" abook frobnicate >/dev/null 2>&1
is "$?" 2 "unknown subcommand exits 2"
"$POSTIE" abook import --format xml "$D/dup-a.vcf" >/dev/null 2>&1
is "$?" 2 "unknown format exits 2"
"$POSTIE" abook export --format ldif >/dev/null 2>&1
is "$?" 2 "export only as vcard or csv"
"$POSTIE" abook query >/dev/null 2>&1
is "$?" 2 "query needs a string"
"$POSTIE" abook --help | grep -q "import FILE"
ok $? "abook --help lists the subcommands"
"$POSTIE" abook import --help | grep -q -- "--format"
ok $? "import --help shows its options"

# --- a contacts file that is not vCard is never overwritten -----------------
printf 'my notes, not a vcard\n' > "$BOOK"
"$POSTIE" abook add "X <x@example.org>" >/dev/null 2>&1
is "$?" 1 "refuses to work on a file that is not vCard"
is "$(cat "$BOOK")" "my notes, not a vcard" "and leaves it alone"

done_testing
