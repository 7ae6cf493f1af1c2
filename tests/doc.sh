#!/bin/sh
# The manual: every page formats without warnings, every command has its
# page, and every configuration key the parser accepts is documented.
. "$top_srcdir/tests/lib/common.sh"
doc="$top_srcdir/doc"

for page in "$doc"/*.[157]; do
    out=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$page" 2>&1)
    is "$out" "" "$(basename "$page") formats without warnings"
done

# Commands: the dispatch table in main.c.
for cmd in $(sed -n 's/^ *{ "\([a-z]*\)", *cmd_.*/\1/p' "$top_srcdir/src/main.c"); do
    [ "$cmd" = config ] && continue   # "config check" is described in postie(1)
    ok $([ -f "$doc/postie-$cmd.1" ] && echo 0 || echo 1) "postie $cmd has a man page"
    ok $(grep -q "postie\\\\-$cmd (1)" "$doc/postie.1" && echo 0 || echo 1) "postie(1) points to postie-$cmd(1)"
done

# Keys: the tables in conf.c, each must appear as a key in postie.conf(5).
keys=$(sed -n '/_keys\[\] = {/,/NULL,/p' "$top_srcdir/src/config/conf.c" |
       grep -o '"[a-z0-9_]*"' | tr -d '"')
[ -n "$keys" ] || ok 1 "found the key tables in conf.c"
for key in $keys; do
    ok $(grep -qE "^\\.BR? (.* )?\"?$key\\b" "$doc/postie.conf.5" && echo 0 || echo 1) \
        "postie.conf(5) documents $key"
done

done_testing
