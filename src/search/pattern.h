/* search/: mutt's pattern language over the messages of a folder, for
 * the screen's search, limit and tagging (and any command that wants it).
 *
 *   pattern.h   this interface
 *   private.h   the parsed tree, shared by the files below
 *   parse.c     text -> tree: ~X atoms, '!', '|', juxtaposition (and),
 *               parentheses, quoted strings, date ranges, size ranges
 *   match.c     evaluating the tree for one message; body atoms are
 *               computed for the whole folder once and cached
 *   bodyscan.c  ~b ~B ~h: one pass over the folder's bytes finds which
 *               messages could match; only those (and those whose text
 *               parts are encoded) are decoded with GMime
 *
 * Atoms: ~f ~t ~c ~s (From, To, Cc, Subject), ~b (decoded body text),
 * ~B (the whole raw message), ~h (the raw header), ~N new, ~O old,
 * ~U unread, ~R read, ~Q replied, ~F flagged, ~D deleted, ~T tagged,
 * ~A all, ~d DATE-RANGE, ~z SIZE-RANGE.  Text without any '~' is a
 * simple search: sender or subject contains it.  Strings are substrings
 * (not regular expressions), case-insensitive unless they contain an
 * upper-case letter (mutt's smart case).
 */
#ifndef POSTIE_SEARCH_PATTERN_H
#define POSTIE_SEARCH_PATTERN_H

#include <glib.h>

#include "store/store.h"

typedef struct Pattern Pattern;

/* Parse TEXT; dates relative to NOW (Unix time, local zone).  A syntax
 * error is POSTIE_ERROR_FAILED naming the position and what was wanted. */
Pattern *pattern_parse(const char *text, gint64 now, GError **error);
void pattern_free(Pattern *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pattern, pattern_free)

/* Does P look at message text (~b ~B ~h), so a match costs a folder scan? */
gboolean pattern_uses_text(const Pattern *p);

/* What a pattern is matched against. */
typedef struct {
    StoreFolder *folder;
    const guint8 *tagged;    /* per message index: tagged (or NULL) */
    guint64 generation;      /* bumped by the caller whenever the folder's
                              * messages change (refresh, sync), so cached
                              * text scans are made again */
} PatternTarget;

/* Does message I of T->folder match?  The first text atom evaluated
 * scans the whole folder; a folder that cannot be read is reported once
 * through ERROR (and the atom matches nothing). */
gboolean pattern_match(Pattern *p, const PatternTarget *t, guint i, GError **error);

/* ---- the raw scan (bodyscan.c), also usable on its own ------------------ */

typedef enum { SCAN_WHOLE, SCAN_HEADER, SCAN_BODY } ScanScope;

/* For each message of F (store_folder_count bytes, 1 = match), whether
 * NEEDLE occurs in SCOPE: the raw message, its raw header, or its body
 * text decoded (transfer encoding, charset, HTML, format=flowed).  ICASE:
 * ASCII and Unicode case ignored.  NULL with ERROR if the folder cannot
 * be read. */
guint8 *bodyscan_run(StoreFolder *f, const char *needle, gboolean icase,
                     ScanScope scope, GError **error);

/* Find NEEDLE (LEN bytes; ASCII letters lower-cased when ICASE) in
 * HAY[0..HAY_LEN); ICASE ignores ASCII case only.  NULL if absent. */
const char *bodyscan_find(const char *hay, gsize hay_len, const char *needle,
                          gsize len, gboolean icase);

#endif
