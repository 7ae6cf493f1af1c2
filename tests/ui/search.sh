#!/bin/sh
# Finding mail with mutt's keys and patterns: / and M-/ with ~f ~s ~b ...,
# n and wrapping, a bad pattern explained, limit (l) and its status, and
# message numbers that match postie list.
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
msg() {   # msg FROM SUBJECT DATE STATUS EXTRA-HEADERS BODY
    printf 'From x@example.org Mon Jan  1 00:00:00 2024\nFrom: %s\nTo: Me <me@example.org>\nSubject: %s\nDate: %s\nMessage-ID: <%s@example.org>\n%b%b\n%b\n\n' \
        "$1" "$2" "$3" "$(echo "$2" | tr -c 'a-zA-Z0-9\n' .)" "$4" "$5" "$6"
}
{
    msg "Alice <alice@example.org>" "Lunch plans" "Mon, 01 Jan 2024 10:00:00 +0000" "" \
        "" "Let us meet at noon."
    # The code word is split by a quoted-printable soft line break: only
    # the decoded text holds "pelican".
    msg "Bob <bob@example.org>" "Invoice 42" "Tue, 02 Jan 2024 10:00:00 +0000" "Status: RO\n" \
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n" \
        "Total: 100 =E2=82=AC. Code word: pelic=\nan."
    msg "Carol <carol@example.org>" "Holiday photos" "Sat, 10 Jun 2023 10:00:00 +0000" "Status: RO\n" \
        "" "See you soon."
    msg "Dave <dave@example.org>" "Re: Lunch plans" "Wed, 03 Jan 2024 10:00:00 +0000" "" \
        "" "Noon works."
    msg "Eve <eve@example.org>" "Newsletter" "Thu, 04 Jan 2024 10:00:00 +0000" "Status: RO\n" \
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n" "<p>Weekly <b>pelican</b> news</p>"
} > "$MAIL/Inbox"
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
CFG
ok $(grep -c 'pelican' "$MAIL/Inbox" | grep -qx 1 && echo 0 || echo 1) \
    "the folder holds \"pelican\" in one message's bytes only"

# Message numbers: the screen's column and # agree with postie list.
listed=$("$POSTIE" list | grep 'Invoice 42')
like "$listed" '^ *2 ' "postie list numbers the invoice 2"

start_postie 120 30
wait_for 'postie: Inbox \[[0-9]/5'; ok $? "the Inbox opens"
keys o s
wait_for '\(sender\)'; ok $? "sorted by sender"
like "$(screen)" 'N? +2 Jan 2024 Bob' "the invoice's row shows its number 2 after sorting"
keys '='
wait_for '#1\b'; ok $? "the status line shows #1 for Alice's message (first by sender)"

# ~b: the decoded body (quoted-printable and HTML)
keys /
type_text '~b pelican'
keys Enter
wait_for '#2\b'; ok $? "~b finds the word split by a soft line break (message 2)"
keys n
wait_for '#5\b'; ok $? "n: the next match, in the HTML message (5)"
keys n
wait_for 'wrapped to the top'; ok $? "n wraps around"
like "$(screen)" '#2\b' "back at message 2"

# M-/ (Esc /): backwards, with and, not and or
keys Escape /
wait_for 'Reverse search for:'; ok $? "Esc / asks for a reverse search"
type_text '~s lunch !~f alice'
keys Enter
wait_for '#4\b'; ok $? "~s lunch !~f alice finds Dave's reply (4)"
keys /
type_text '(~f carol | ~f eve) ~d -31/12/2023'
keys Enter
wait_for '#3\b'; ok $? "or, parentheses and a date range find Carol's old message (3)"
keys /
type_text 'newsletter'
keys Enter
wait_for '#5\b'; ok $? "plain text searches subjects"

# a bad pattern is explained, not ignored
keys /
type_text '~s (oops'
keys Enter
keys /
type_text '~x'
keys Enter
wait_for 'pattern, at character 2'; ok $? "an unknown ~x is reported with its position"

# limit
keys l
type_text '~U'
keys Enter
wait_for '\[[0-9]/2 limited, of 5'; ok $? "l ~U: 2 of 5 shown and the status says limited"
like "$(screen)" 'limit: ~U' "the status line shows the pattern"
unlike "$(screen)" 'Invoice 42' "read messages are hidden"
like "$(screen)" 'Re: Lunch plans' "unread ones are shown"
keys /
type_text 'invoice'
keys Enter
wait_for 'Not found: invoice'; ok $? "search looks only at the shown messages"
keys l
keys C-u
type_text 'all'
keys Enter
wait_for 'Inbox \[[0-9]/5[],]'; ok $? "l all shows every message again"
unlike "$(screen)" 'limited' "and the status line no longer says limited"
keys l
keys C-u
type_text '~b zzzznothing'
keys Enter
wait_for 'No messages match'; ok $? "a limit matching nothing says so"
keys l
keys C-u
type_text '~A'
keys Enter
wait_for 'Inbox \[[0-9]/5[],]'; ok $? "l ~A restores the list"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
