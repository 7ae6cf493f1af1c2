/* Threads: a message's parent is the nearest message named in its
 * References (last first), else in In-Reply-To.  Roots are ordered by the
 * view's sort, replies under their parent by date.  Headers are outside
 * input: loops and self-references are broken, depth is capped. */
#include <config.h>

#include <string.h>

#include "util/util.h"
#include "view/view.h"

/* Message-IDs in S ("<a@b> <c@d>"), appended in order to IDS (pointers
 * into a copy owned by the caller through BUF). */
static void
split_ids(const char *s, GPtrArray *ids, GPtrArray *bufs)
{
    if (!s)
        return;
    char *copy = g_strdup(s);
    g_ptr_array_add(bufs, copy);
    char *p = copy;
    while ((p = strchr(p, '<'))) {
        char *end = strchr(p, '>');
        if (!end)
            break;
        *end = '\0';
        g_ptr_array_add(ids, p + 1);
        p = end + 1;
    }
}

/* The bare id of a Message-ID header value ("<x@y>" -> "x@y"). */
static char *
bare_id(const char *s)
{
    if (!s)
        return NULL;
    const char *a = strchr(s, '<');
    const char *b = a ? strchr(a, '>') : NULL;
    if (a && b)
        return g_strndup(a + 1, (gsize)(b - a - 1));
    g_autofree char *t = g_strstrip(g_strdup(s));
    return *t ? g_strdup(t) : NULL;
}

static gint
by_date(gconstpointer pa, gconstpointer pb, gpointer data)
{
    MsgView *v = data;
    guint a = *(const guint *)pa, b = *(const guint *)pb;
    const StoreMessage *ma = store_folder_get(v->folder, a);
    const StoreMessage *mb = store_folder_get(v->folder, b);
    if (ma->date != mb->date)
        return ma->date < mb->date ? -1 : 1;
    return a < b ? -1 : a > b;
}

static gint
by_view(gconstpointer pa, gconstpointer pb, gpointer data)
{
    return view_compare(data, *(const guint *)pa, *(const guint *)pb);
}

void
threads_order(MsgView *v)
{
    guint n = v->n;
    GHashTable *by_id = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < n; i++) {
        char *id = bare_id(store_folder_get(v->folder, i)->message_id);
        if (id && !g_hash_table_contains(by_id, id))
            g_hash_table_insert(by_id, id, GUINT_TO_POINTER(i + 1));
        else
            g_free(id);
    }

    /* parent[i] = index + 1, or 0 for a root. */
    guint *parent = g_new0(guint, n + 1);
    GPtrArray *ids = g_ptr_array_new();
    GPtrArray *bufs = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < n; i++) {
        const StoreMessage *m = store_folder_get(v->folder, i);
        g_ptr_array_set_size(ids, 0);
        split_ids(m->in_reply_to, ids, bufs);
        split_ids(m->references, ids, bufs);
        /* References' last entry is the parent; In-Reply-To is checked
         * after it (it was added first, so search from the end and
         * come back to index 0 last). */
        for (guint k = ids->len; k > 0; k--) {
            guint p = GPOINTER_TO_UINT(g_hash_table_lookup(by_id, ids->pdata[k - 1]));
            if (p && p - 1 != i) {
                parent[i] = p;
                break;
            }
        }
        g_ptr_array_set_size(bufs, 0);
    }
    g_ptr_array_free(ids, TRUE);
    g_ptr_array_free(bufs, TRUE);
    g_hash_table_destroy(by_id);

    /* Children grouped per parent (counting sort), each group by date. */
    guint *count = g_new0(guint, n + 2);
    for (guint i = 0; i < n; i++)
        count[parent[i]]++;
    guint *start = g_new0(guint, n + 2);
    for (guint p = 1; p <= n + 1; p++)
        start[p] = start[p - 1] + count[p - 1];
    guint *fill = g_memdup2(start, sizeof(guint) * (n + 2));
    guint *kids = g_new(guint, n + 1);
    for (guint i = 0; i < n; i++)
        kids[fill[parent[i]]++] = i;
    /* group 0 holds the roots */
    g_qsort_with_data(kids, (gint)count[0], sizeof(guint), by_view, v);
    for (guint p = 1; p <= n; p++)
        if (count[p] > 1)
            g_qsort_with_data(kids + start[p], (gint)count[p], sizeof(guint), by_date, v);

    /* Depth-first walk.  Messages caught in a reference loop have no root;
     * they are walked from the first of them found, as roots. */
    guint8 *seen = g_new0(guint8, n + 1);
    guint *stack = g_new(guint, n + 1);
    guint8 *sdepth = g_new(guint8, n + 1);
    guint row = 0;
    guint next_root = 0, scan = 0;
    for (;;) {
        guint root;
        if (next_root < count[0]) {
            root = kids[next_root++];
        } else {
            while (scan < n && seen[scan])
                scan++;
            if (scan == n)
                break;
            root = scan;
        }
        if (seen[root])
            continue;
        guint sp = 0;
        stack[sp] = root;
        sdepth[sp++] = 0;
        seen[root] = 1;
        while (sp > 0) {
            sp--;
            guint m = stack[sp];
            guint8 d = sdepth[sp];
            v->order[row] = m;
            v->depth[row++] = d;
            /* Push children in reverse so the earliest comes out first. */
            guint c0 = start[m + 1], cn = count[m + 1];
            for (guint k = cn; k > 0; k--) {
                guint c = kids[c0 + k - 1];
                if (seen[c])
                    continue;
                seen[c] = 1;
                stack[sp] = c;
                sdepth[sp++] = d < 255 ? d + 1 : 255;
            }
        }
    }
    g_assert(row == n);
    g_free(seen);
    g_free(stack);
    g_free(sdepth);
    g_free(kids);
    g_free(fill);
    g_free(start);
    g_free(count);
    g_free(parent);
}
