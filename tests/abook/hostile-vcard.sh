#!/bin/sh
# A hostile vCard: a quoted-printable property whose head leaves a '"'
# open, continued over 80,000 folded lines ending in '='.  Joining them
# used to rescan the whole joined line per continuation (quadratic: about
# a minute here); it must import at once and keep the good contacts.
. "$top_srcdir/tests/lib/common.sh"

card="$TEST_TMP/hostile.vcf"
awk 'BEGIN {
    printf "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\nFN:Jane Doe\r\n"
    printf "EMAIL:jane@example.org\r\n"
    printf "NOTE;ENCODING=QUOTED-PRINTABLE;X=\"a:b=\r\n"
    for (i = 0; i < 80000; i++)
        printf " 0123456789abcdef=\r\n"
    printf "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Roe\r\n"
    printf "EMAIL:john@example.org\r\nEND:VCARD\r\n"
}' > "$card"
is "$(wc -l < "$card" | tr -d ' ')" 80012 "the card has 80,012 lines"

# A generous bound that only a hang or quadratic time exceeds.
out=$(timeout 20 "$POSTIE" abook import "$card" 2>&1); rc=$?
is "$rc" 0 "the import finishes (within 20 s) and exits 0"
like "$out" 'hostile.vcf: 2 read as vcard: 2 added' "both contacts imported"
like "$out" 'hostile.vcf:6: no .:. in the line' "the broken property is named by FILE:LINE"
list=$("$POSTIE" abook list)
is "$list" "Jane Doe <jane@example.org>
John Roe <john@example.org>" "the address book holds exactly the two contacts"

done_testing
