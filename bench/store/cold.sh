#!/bin/sh
# Cold open of the 100,000-message folder next to a bare From_ scan of the
# same file, in the same run (issue 17, item 3: within 2x).
#
#   bench/store/cold.sh [BUILD_DIR] [COUNT] [ROUNDS] [OLD_BENCH_OPEN]
#
# The folder is the store benchmark's (gen-mbox.py, in $BENCH_DIR,
# default /tmp/postie-bench).  Every round runs bench/store/bare-scan
# (map, count From_ lines), bench/store/bench-open with an empty index
# cache (store_folder_open: scan, index, cache write) and, if given,
# another build's bench-open; each timed inside its process, page cache
# warm.  Prints medians, CPU time (user + system) and the ratio.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$SRC/_build}" && pwd)
COUNT=${2:-100000}
ROUNDS=${3:-5}
OLD=${4:-}
WORK=${BENCH_DIR:-/tmp/postie-bench}
MBOX="$WORK/bench-$COUNT.mbox"
mkdir -p "$WORK"
if [ ! -s "$MBOX" ]; then
    echo "generating $MBOX ..." >&2
    /usr/bin/python3 "$SRC/bench/store/gen-mbox.py" "$MBOX.tmp" "$COUNT"
    mv "$MBOX.tmp" "$MBOX"
fi
make -s -C "$BUILD" bench/store/bench-open bench/store/bare-scan >&2
export XDG_STATE_HOME="$WORK/cold-state"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# one NAME CMD...: "wall cpu" of one run to $WORK/cold.NAME
one() {
    name=$1; shift
    rm -rf "$XDG_STATE_HOME"
    /usr/bin/time -f '%U %S' -o "$WORK/cold.time" "$@" "$MBOX" > "$WORK/cold.out"
    wall=$(awk '{ print $2 }' "$WORK/cold.out")
    cpu=$(awk '{ print $1 + $2 }' "$WORK/cold.time")
    echo "$wall $cpu" >> "$WORK/cold.$name"
}
cat "$MBOX" > /dev/null
: > "$WORK/cold.bare"; : > "$WORK/cold.open"; : > "$WORK/cold.old"
r=0
while [ "$r" -lt "$ROUNDS" ]; do
    r=$((r + 1))
    one bare "$BUILD/bench/store/bare-scan"
    one open "$BUILD/bench/store/bench-open"
    [ -z "$OLD" ] || one old "$OLD"
done
bw=$(cut -d' ' -f1 "$WORK/cold.bare" | median)
printf '%-28s %8s %8s %8s\n' program wall/s xbare cpu/s
for name in bare open old; do
    [ -s "$WORK/cold.$name" ] || continue
    w=$(cut -d' ' -f1 "$WORK/cold.$name" | median)
    c=$(cut -d' ' -f2 "$WORK/cold.$name" | median)
    case $name in
        bare) label="bare From_ scan" ;; open) label="store_folder_open (cold)" ;;
        *) label="old store_folder_open" ;;
    esac
    printf '%-28s %8.3f %7.2fx %8.2f\n' "$label" "$w" "$(echo "$w / $bw" | bc -l)" "$c"
done
echo "# $(stat -c %s "$MBOX") bytes, $COUNT messages, medians of $ROUNDS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$XDG_STATE_HOME"
