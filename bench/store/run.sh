#!/bin/sh
# The store benchmark: mutt and postie open the same 100,000-message mbox
# in the same run; wall time and peak memory of each.
#
#   bench/store/run.sh [BUILD_DIR] [COUNT] [ROUNDS]
#
# BUILD_DIR defaults to _build (a configured build tree of this source),
# COUNT to 100000 messages, ROUNDS to 3 (the median is reported).  The
# folder is generated once into $BENCH_DIR (default /tmp/postie-bench) by
# gen-mbox.py.  Needs mutt, script (util-linux) and /usr/bin/time.
# The file is read once first so every program starts from a warm page
# cache.  Results go to stdout as a Markdown table.
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
make -s -C "$BUILD" src/postie bench/store/bench-open >&2
POSTIE="$BUILD/src/postie"
OPEN="$BUILD/bench/store/bench-open"
export XDG_STATE_HOME="$WORK/state"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# /usr/bin/time -f "%e %M": wall seconds and peak RSS in KB.
run_mutt() {
    script -qec "/usr/bin/time -f '%e %M' -o '$WORK/mutt.time' env TERM=xterm HOME='$WORK' \
        mutt -F /dev/null -n -R -e 'set folder=$WORK' -f '$MBOX' -e 'push <quit>'" /dev/null >/dev/null
    cat "$WORK/mutt.time"
}
run_postie_list() {
    /usr/bin/time -f '%e %M' -o "$WORK/postie.time" "$POSTIE" list --folder "$MBOX" >/dev/null
    cat "$WORK/postie.time"
}
run_open() {
    /usr/bin/time -f '%M' -o "$WORK/open.time" "$OPEN" "$MBOX" > "$WORK/open.out"
    echo "$(cut -d' ' -f2 "$WORK/open.out") $(cat "$WORK/open.time")"
}

cat "$MBOX" > /dev/null
: > "$WORK/r.mutt"; : > "$WORK/r.first"; : > "$WORK/r.reopen"
: > "$WORK/r.ofirst"; : > "$WORK/r.oreopen"
r=0
while [ "$r" -lt "$ROUNDS" ]; do
    r=$((r + 1))
    echo "round $r ..." >&2
    run_mutt >> "$WORK/r.mutt"
    rm -rf "$XDG_STATE_HOME"
    run_postie_list >> "$WORK/r.first"
    run_postie_list >> "$WORK/r.reopen"
    rm -rf "$XDG_STATE_HOME"
    run_open >> "$WORK/r.ofirst"
    run_open >> "$WORK/r.oreopen"
done

col() { cut -d' ' -f"$2" "$WORK/r.$1" | median; }
SIZE=$(du -m "$MBOX" | cut -f1)
MT=$(col mutt 1); MM=$(col mutt 2)
FT=$(col first 1); FM=$(col first 2)
RT=$(col reopen 1); RM=$(col reopen 2)
OFT=$(col ofirst 1); OFM=$(col ofirst 2)
ORT=$(col oreopen 1); ORM=$(col oreopen 2)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

cat <<EOT
Folder: $COUNT messages, $SIZE MB; median of $ROUNDS rounds; $(nproc) CPUs; $(date -u +%Y-%m-%d).

| program | wall (s) | peak RSS (MB) |
| --- | ---: | ---: |
| mutt 2.2 (\`mutt -R -f FILE\`, quit at once) | $MT | $((MM / 1024)) |
| postie list, first open (no cache) | $FT | $((FM / 1024)) |
| postie list, reopen (cache) | $RT | $((RM / 1024)) |
| store_folder_open, first open (no cache) | $OFT | $((OFM / 1024)) |
| store_folder_open, reopen (cache) | $ORT | $((ORM / 1024)) |

Targets: first open / mutt = $(ratio "$FT" "$MT") (postie list) and $(ratio "$OFT" "$MT") (open alone), at most 0.5;
reopen / first open = $(ratio "$RT" "$FT") (postie list) and $(ratio "$ORT" "$OFT") (open alone), at most 0.1;
peak memory / mutt = $(ratio "$FM" "$MM") (postie list, first open), at most 0.5.
EOT
