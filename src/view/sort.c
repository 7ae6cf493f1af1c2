/* The order of the message list.  Sort keys (casefolded sender, subject
 * without "Re:") are computed once per folder and kept, so re-sorting a
 * folder of 100,000 messages is one qsort over precomputed keys. */
#include <config.h>

#include <string.h>

#include "util/util.h"
#include "view/view.h"

static const char *const sort_names[SORT_COUNT] = {
    "date", "sender", "subject", "size",
};

const char *
sort_name(SortKey s)
{
    return sort_names[s];
}

gboolean
sort_from_name(const char *name, SortKey *out)
{
    for (int i = 0; i < SORT_COUNT; i++)
        if (name && !g_ascii_strcasecmp(name, sort_names[i])) {
            *out = (SortKey)i;
            return TRUE;
        }
    return FALSE;
}

/* Skip reply and forward prefixes ("Re: ", "Fwd: ", "AW: ", "[list] " is
 * kept) so a thread's messages sort together. */
static const char *
strip_subject_prefixes(const char *s)
{
    static const char *const prefixes[] = { "re:", "fwd:", "fw:", "aw:", "sv:", "wg:" };
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        gboolean found = FALSE;
        for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++) {
            gsize n = strlen(prefixes[i]);
            if (!g_ascii_strncasecmp(s, prefixes[i], n)) {
                s += n;
                found = TRUE;
                break;
            }
        }
        if (!found)
            return s;
    }
}

static char *
fold(const char *s)
{
    if (!s)
        return g_strdup("");
    /* Most headers are ASCII: the cheap path (100,000 senders matter). */
    const char *p = s;
    while (*p && !(*p & 0x80))
        p++;
    if (!*p)
        return g_ascii_strdown(s, -1);
    if (!g_utf8_validate(s, -1, NULL))
        return g_ascii_strdown(s, -1);
    return g_utf8_casefold(s, -1);
}

static void
free_keys(char ***keys, guint n)
{
    if (!*keys)
        return;
    for (guint i = 0; i < n; i++)
        g_free((*keys)[i]);
    g_free(*keys);
    *keys = NULL;
}

void
view_ensure_keys(MsgView *v, SortKey s)
{
    char ***keys = s == SORT_SENDER ? &v->sender_key
                 : s == SORT_SUBJECT ? &v->subject_key : NULL;
    if (!keys || *keys)
        return;
    *keys = g_new0(char *, v->n + 1);
    for (guint i = 0; i < v->n; i++) {
        const StoreMessage *m = store_folder_get(v->folder, i);
        (*keys)[i] = s == SORT_SENDER ? fold(m->from)
                                      : fold(strip_subject_prefixes(m->subject ? m->subject : ""));
    }
}

void
view_init(MsgView *v, StoreFolder *f, SortKey sort, gboolean threads)
{
    memset(v, 0, sizeof *v);
    v->folder = f;
    v->sort = sort;
    v->threads = threads;
    view_rebuild(v, TRUE);
}

static void
drop_keys(MsgView *v)
{
    free_keys(&v->sender_key, v->n);
    free_keys(&v->subject_key, v->n);
}

void
view_clear(MsgView *v)
{
    drop_keys(v);
    g_free(v->order);
    g_free(v->depth);
    g_free(v->row_of);
    pattern_free(v->limit);
    g_free(v->limit_text);
    g_clear_error(&v->limit_error);
    tags_clear(v);
    memset(v, 0, sizeof *v);
}

int
view_compare(MsgView *v, guint a, guint b)
{
    const StoreMessage *ma = store_folder_get(v->folder, a);
    const StoreMessage *mb = store_folder_get(v->folder, b);
    int r = 0;
    switch (v->sort) {
    case SORT_DATE:
        r = ma->date < mb->date ? -1 : ma->date > mb->date;
        break;
    case SORT_SIZE:
        r = ma->size < mb->size ? -1 : ma->size > mb->size;
        break;
    case SORT_SENDER:
        r = strcmp(v->sender_key[a], v->sender_key[b]);
        break;
    case SORT_SUBJECT:
        r = strcmp(v->subject_key[a], v->subject_key[b]);
        break;
    case SORT_COUNT:
        break;
    }
    if (r == 0)   /* ties: folder order, so the result is stable */
        r = a < b ? -1 : a > b;
    return v->reverse ? -r : r;
}

static gint
compare_cb(gconstpointer pa, gconstpointer pb, gpointer data)
{
    return view_compare(data, *(const guint *)pa, *(const guint *)pb);
}

PatternTarget
view_target(const MsgView *v)
{
    PatternTarget t = { .folder = v->folder, .tagged = v->tagged,
                        .generation = v->generation };
    return t;
}

/* Keep only the rows whose message matches the limit (threads keep
 * their order and depth). */
static void
apply_limit(MsgView *v)
{
    v->rows = v->n;
    if (!v->limit)
        return;
    PatternTarget t = view_target(v);
    guint out = 0;
    for (guint r = 0; r < v->n; r++) {
        GError *error = NULL;
        if (pattern_match(v->limit, &t, v->order[r], &error)) {
            v->order[out] = v->order[r];
            v->depth[out] = v->depth[r];
            out++;
        }
        if (error && !v->limit_error)
            v->limit_error = error;
        else if (error)
            g_error_free(error);
    }
    v->rows = out;
}

void
view_rebuild(MsgView *v, gboolean contents)
{
    if (contents) {
        /* Unique across folders: a new folder may reuse the old one's
         * address, and cached text scans must not be taken for its. */
        static guint64 generations;
        drop_keys(v);
        v->generation = ++generations;
    }
    v->n = v->folder ? store_folder_count(v->folder) : 0;
    if (contents || !v->tagged)
        tags_rebuild(v);
    g_free(v->order);
    g_free(v->depth);
    g_free(v->row_of);
    v->order = g_new(guint, v->n + 1);
    v->depth = g_new0(guint8, v->n + 1);
    v->row_of = g_new(int, v->n + 1);
    view_ensure_keys(v, v->sort);

    if (v->threads) {
        threads_order(v);
    } else {
        for (guint i = 0; i < v->n; i++)
            v->order[i] = i;
        g_qsort_with_data(v->order, (gint)v->n, sizeof(guint), compare_cb, v);
    }
    apply_limit(v);
    for (guint i = 0; i < v->n; i++)
        v->row_of[i] = -1;
    for (guint r = 0; r < v->rows; r++)
        v->row_of[v->order[r]] = (int)r;
}

int
view_row_of(const MsgView *v, guint idx)
{
    return idx < v->n ? v->row_of[idx] : -1;
}

int
view_search(MsgView *v, Pattern *p, int from, gboolean backward, GError **error)
{
    if (v->rows == 0)
        return -1;
    PatternTarget t = view_target(v);
    int rows = (int)v->rows;
    if (from < 0 || from >= rows)
        from = backward ? rows - 1 : 0;
    for (int k = 1; k <= rows; k++) {
        int row = backward ? ((from - k) % rows + rows) % rows : (from + k) % rows;
        if (pattern_match(p, &t, v->order[row], error))
            return row;
        if (error && *error)
            return -1;
    }
    return -1;
}
