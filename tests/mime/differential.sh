#!/bin/sh
# Differential test: postie (show, attachments, save) against Python's
# email package on a corpus of messages in the styles of today's mailers
# (tests/mime/gen-corpus.py).  Every difference fails unless listed, with
# its reason, in tests/mime/compare-readers.py.
. "$top_srcdir/tests/lib/common.sh"

PY=${PYTHON3:-/usr/bin/python3}
n=$("$PY" "$top_srcdir/tests/mime/gen-corpus.py" "$TEST_TMP/corpus") ||
    { echo "Bail out! cannot write the corpus"; exit 1; }
[ "$n" -ge 150 ] || { echo "Bail out! only $n messages in the corpus"; exit 1; }
"$PY" "$top_srcdir/tests/mime/compare-readers.py" "$POSTIE" "$TEST_TMP/corpus" "$TEST_TMP/saved"
