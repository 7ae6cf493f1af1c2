#!/bin/sh
# make install stages postie's libesmtp plugins under DESTDIR, in the
# directory configure chose (libesmtp's own, or --with-esmtp-plugindir),
# and each exports only libesmtp's entry point.
. "$top_srcdir/tests/lib/common.sh"

[ -n "${ESMTP_PLUGINDIR:-}" ] || skip_all "run through make check"
stage="$TEST_TMP/stage"
out=$(cd "$top_builddir" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
      make -s install-esmtppluginPROGRAMS DESTDIR="$stage" 2>&1); rc=$?
is "$rc" 0 "make install-esmtppluginPROGRAMS DESTDIR=... succeeds"
[ "$rc" -eq 0 ] || diag "$out"
for p in sasl-xoauth2.so sasl-oauthbearer.so; do
    f="$stage$ESMTP_PLUGINDIR/$p"
    ok $([ -f "$f" ] && echo 0 || echo 1) "$p is staged in DESTDIR$ESMTP_PLUGINDIR"
    is "$(nm -D --defined-only "$f" 2>/dev/null | awk '{print $3}' | grep -v '^_' | tr '\n' ' ')" \
       "sasl_client " "$p exports only sasl_client"
done
is "$(find "$stage" -type f | wc -l)" 2 "nothing else is installed by it"
done_testing
