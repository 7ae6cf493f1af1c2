# TAP helpers for shell tests.  Source this file, call plan N (or
# plan_later and done_testing), then ok/not_ok/is/like per check.
_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

ok() {   # ok CONDITION-EXIT-STATUS DESCRIPTION   (use: check ... ; ok $? "desc")
    _tap_n=$((_tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $_tap_n - $2"
    else
        echo "not ok $_tap_n - $2"
        _tap_failed=$((_tap_failed + 1))
    fi
}

# is GOT EXPECTED DESCRIPTION
is() {
    if [ "$1" = "$2" ]; then ok 0 "$3"; else
        ok 1 "$3"
        printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | head -40
    fi
}

# like TEXT REGEX DESCRIPTION   (grep -E)
like() {
    if printf '%s\n' "$1" | grep -qE -- "$2"; then ok 0 "$3"; else
        ok 1 "$3"
        printf '%s\n' "$1" | head -20 | sed 's/^/#   got: /'
        printf '#   wanted /%s/\n' "$2"
    fi
}

unlike() {
    if printf '%s\n' "$1" | grep -qE -- "$2"; then
        ok 1 "$3"
        printf '%s\n' "$1" | grep -E -- "$2" | head -5 | sed 's/^/#   matched: /'
    else ok 0 "$3"; fi
}

diag() { printf '# %s\n' "$*"; }

done_testing() {
    echo "1..$_tap_n"
    [ "$_tap_failed" -eq 0 ]
}
