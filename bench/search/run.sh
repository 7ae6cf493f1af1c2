#!/bin/sh
# The body search benchmark: "~b WORD" over a 100,000-message folder
# against grep -c WORD over the same file, both from a warm page cache;
# prints each time (best of ROUNDS), the matches and the ratio, which
# should stay at or below 2 (doc/benchmarks.md).
#
#   bench/search/run.sh [BUILD_DIR] [COUNT] [ROUNDS]
#
# The folder is bench/store/gen-mbox.py's (plain and multipart mail with
# base64 attachments), generated once into $BENCH_DIR (/tmp/postie-bench).
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$SRC/_build}" && pwd)
COUNT=${2:-100000}
ROUNDS=${3:-3}
WORK=${BENCH_DIR:-/tmp/postie-bench}
MBOX="$WORK/bench-$COUNT.mbox"
mkdir -p "$WORK"
if [ ! -s "$MBOX" ]; then
    echo "generating $MBOX ..." >&2
    /usr/bin/python3 "$SRC/bench/store/gen-mbox.py" "$MBOX.tmp" "$COUNT"
    mv "$MBOX.tmp" "$MBOX"
fi
make -s -C "$BUILD" bench/search/bench-search >&2
export XDG_STATE_HOME="$WORK/state"
cat "$MBOX" > /dev/null

best_grep() {   # best wall time of grep -c over ROUNDS runs
    best=
    i=0
    while [ $i -lt "$ROUNDS" ]; do
        t0=$(date +%s.%N)
        n=$(grep -c -- "$1" "$MBOX" || true)
        t=$(echo "$(date +%s.%N) - $t0" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
        i=$((i + 1))
    done
    echo "$best $n"
}

printf '| needle | grep -c (s) | lines | ~b (s) | messages | ratio |\n'
printf '|---|---|---|---|---|---|\n'
"$BUILD/bench/search/bench-search" "$MBOX" "~A" 1 > /dev/null   # index cache
for word in xylophone invoice deadline; do
    set -- $(best_grep "$word")
    g=$1 gl=$2
    set -- $("$BUILD/bench/search/bench-search" "$MBOX" "~b $word" "$ROUNDS")
    b=$1 bm=$2
    printf '| %s | %.3f | %s | %.3f | %s | %.2f |\n' "$word" "$g" "$gl" "$b" "$bm" \
        "$(echo "$b / $g" | bc -l)"
done
