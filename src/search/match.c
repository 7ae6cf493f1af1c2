/* Evaluating a parsed pattern for one message.  Header fields come from
 * the folder index (no file access); text atoms (~b ~B ~h) are computed
 * for the whole folder at their first use by bodyscan_run and kept until
 * the folder's generation changes. */
#include <config.h>

#include <string.h>

#include "search/private.h"
#include "util/util.h"

static gboolean
is_ascii(const char *s)
{
    for (; *s; s++)
        if (*s & 0x80)
            return FALSE;
    return TRUE;
}

char *
pattern_fold_needle(const char *s, gboolean *case_sensitive)
{
    *case_sensitive = FALSE;
    for (const char *p = s; *p; p = g_utf8_next_char(p))
        if (g_unichar_isupper(g_utf8_get_char(p)))
            *case_sensitive = TRUE;
    return *case_sensitive ? g_strdup(s) : g_utf8_casefold(s, -1);
}

/* ASCII-only case-insensitive search for a lower-case NEEDLE (short
 * header fields: glibc's strcasestr, no table to set up per call). */
static gboolean
ascii_contains(const char *hay, const char *needle)
{
    return strcasestr(hay, needle) != NULL;
}

gboolean
pattern_text_contains(const char *hay, const char *needle, gboolean case_sensitive)
{
    if (!hay)
        return FALSE;
    if (case_sensitive)
        return strstr(hay, needle) != NULL;
    /* Most headers are ASCII: the cheap path matters for 100,000. */
    if (is_ascii(hay) && is_ascii(needle))
        return ascii_contains(hay, needle);
    if (!g_utf8_validate(hay, -1, NULL))
        return ascii_contains(hay, needle);
    g_autofree char *folded = g_utf8_casefold(hay, -1);
    return strstr(folded, needle) != NULL;
}

/* The folder-wide result of a text atom, computed when missing or stale. */
static gboolean
text_hit(PatternNode *n, const PatternTarget *t, guint i, GError **error)
{
    guint count = store_folder_count(t->folder);
    if (n->hits_folder != t->folder || n->hits_generation != t->generation ||
        n->hits_n != count) {
        g_clear_pointer(&n->hits, g_free);
        ScanScope scope = n->kind == PN_BODY ? SCAN_BODY
                        : n->kind == PN_HEADER ? SCAN_HEADER : SCAN_WHOLE;
        n->hits = bodyscan_run(t->folder, n->str, !n->case_sensitive, scope, error);
        n->hits_failed = n->hits == NULL;
        n->hits_folder = t->folder;
        n->hits_generation = t->generation;
        n->hits_n = count;
    }
    return !n->hits_failed && i < n->hits_n && n->hits[i];
}

static gboolean
in_range(gint64 v, const PatternNode *n)
{
    return v >= n->min && v <= n->max;
}

static gboolean
eval(PatternNode *n, const PatternTarget *t, guint i, const StoreMessage *m,
     GError **error)
{
    switch (n->kind) {
    case PN_AND:
        return eval(n->a, t, i, m, error) && eval(n->b, t, i, m, error);
    case PN_OR:
        return eval(n->a, t, i, m, error) || eval(n->b, t, i, m, error);
    case PN_NOT:
        return !eval(n->a, t, i, m, error);
    case PN_FROM:
        return pattern_text_contains(m->from, n->str, n->case_sensitive);
    case PN_TO:
        return pattern_text_contains(m->to, n->str, n->case_sensitive);
    case PN_CC:
        return pattern_text_contains(m->cc, n->str, n->case_sensitive);
    case PN_SUBJECT:
        return pattern_text_contains(m->subject, n->str, n->case_sensitive);
    case PN_SIMPLE:
        return pattern_text_contains(m->from, n->str, n->case_sensitive) ||
               pattern_text_contains(m->subject, n->str, n->case_sensitive);
    case PN_BODY: case PN_WHOLE: case PN_HEADER:
        return text_hit(n, t, i, error);
    case PN_NEW:
        return !(m->flags & (MSG_READ | MSG_OLD));
    case PN_OLD:
        return !(m->flags & MSG_READ) && (m->flags & MSG_OLD);
    case PN_UNREAD:
        return !(m->flags & MSG_READ);
    case PN_READ:
        return (m->flags & MSG_READ) != 0;
    case PN_REPLIED:
        return (m->flags & MSG_REPLIED) != 0;
    case PN_FLAGGED:
        return (m->flags & MSG_FLAGGED) != 0;
    case PN_DELETED:
        return (m->flags & MSG_DELETED) != 0;
    case PN_TAGGED:
        return t->tagged && t->tagged[i];
    case PN_ALL:
        return TRUE;
    case PN_DATE:
        return in_range(m->date, n);
    case PN_SIZE:
        return in_range((gint64)MIN(m->size, (guint64)G_MAXINT64), n);
    }
    return FALSE;
}

gboolean
pattern_match(Pattern *p, const PatternTarget *t, guint i, GError **error)
{
    const StoreMessage *m = store_folder_get(t->folder, i);
    if (!m)
        return FALSE;
    return eval(p->root, t, i, m, error);
}
