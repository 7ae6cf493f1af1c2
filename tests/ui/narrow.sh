#!/bin/sh
# 80x24 and smaller: the sender column shows the name (the address only
# when there is none), the date column is compact (10:05 today, Mar 04
# this year, Mar 2021 before), the Sent folder names the recipient; on
# a very narrow terminal the size goes before the subject does.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/ui/lib.sh"

MAIL="$TEST_TMP/mail"
mkdir -p "$MAIL"
"$PYTHON3" - "$MAIL" <<'PY'
import sys, time, email.utils
mail = sys.argv[1]
now = time.time()
today = email.utils.formatdate(now - 60, usegmt=True)   # a minute ago
t = time.gmtime(now)
# This year: the 1st of the month at noon, or of January when that is today.
this_year_ts = time.mktime((t.tm_year, 1 if t.tm_mday == 1 and t.tm_mon == 1 else t.tm_mon,
                            1, 12, 0, 0, 0, 0, 0)) - time.timezone
if time.gmtime(this_year_ts).tm_yday == t.tm_yday:
    this_year_ts = time.mktime((t.tm_year, 1, 1, 12, 0, 0, 0, 0, 0)) - time.timezone
this_year = email.utils.formatdate(this_year_ts, usegmt=True)
def msg(frm, to, subj, date, n):
    return (f"From x@y Mon Jan  1 00:00:00 2024\nFrom: {frm}\nTo: {to}\nSubject: {subj}\n"
            f"Date: {date}\nMessage-ID: <n{n}@test>\n\nBody {n}.\n\n")
with open(f"{mail}/Inbox", "w") as f:
    f.write(msg("Pat Longname-Sender <pat.with.a.long.address@example.net>", "me@example.org",
                "Old news", "Wed, 03 Mar 2021 10:00:00 +0000", 1))
    f.write(msg("Quinn Named <quinn@example.net>", "me@example.org", "This year", this_year, 2))
    f.write(msg("bare@example.net", "me@example.org", "Only an address", today, 3))
with open(f"{mail}/Sent", "w") as f:
    f.write(msg("me@example.org", "Robin Rec <robin@example.net>, x@example.net",
                "Sent one", today, 4))
print(time.strftime("%b %d", time.gmtime(this_year_ts)), file=open(f"{mail}/../this-year", "w"))
PY
cat > "$XDG_CONFIG_HOME/postie/config" <<CFG
[general]
mail_dir = $MAIL
check_interval = 0
CFG
UI_ENV="export TZ=UTC"

start_postie 80 24
wait_for 'postie: Inbox'; ok $? "the screen opens at 80x24"
row() { screen | grep -- "$1"; }
like "$(row 'Old news')" 'Mar 2021 +Pat Longname-Sender ' "an older year shows month and year, and the name"
unlike "$(screen | grep -v 'From:')" 'pat\.with|<pat' "the address of a named sender is not shown"
like "$(row 'This year')" "$(cat "$TEST_TMP/this-year") +Quinn Named " "this year shows month and day"
like "$(row 'Only an address')" ' [0-9][0-9]:[0-9][0-9] +bare@example\.net ' "today shows the time; no name: the address"
like "$(row 'Old news')" ' [0-9.]+K? *$' "at 80 columns the size is shown"

keys c; wait_for 'Open folder'; type_text Sent; keys Enter
wait_for 'postie: Sent'
like "$(row 'Sent one')" 'To Robin Rec \+1 ' "Sent shows the first recipient's name and how many more"

# Very narrow: the subject stays, the size goes.
keys c; wait_for 'Open folder'; type_text Inbox; keys Enter
wait_for 'postie: Inbox'
tm resize-window -t t -x 44 -y 14
# Until postie draws again tmux shows the old rows pushed up (the old
# status line lands on row 13) or cut off: only the new drawing has the
# key hint on row 1 and the status line on row 13 at once.
wait_rows 1 '^q:Quit' 13 '^-- postie: Inbox'; ok $? "at 44x14 the screen is drawn"
like "$(row 'Old news')" 'Old news *$' "the subject is still there, at the end of the row"

keys q
wait_for 'EXIT=0'; ok $? "q quits"
done_testing
