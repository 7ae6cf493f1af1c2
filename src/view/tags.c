/* Tags (mutt's t, T, ^T) belong to a message, not a row or an index:
 * they are kept by file offset and Message-ID, so mail arriving keeps
 * them and a folder rewritten by another program drops those whose
 * message moved (never tagging another message by mistake). */
#include <config.h>

#include "view/view.h"

static char *
tag_id(const StoreMessage *m)
{
    return g_strdup_printf("%" G_GUINT64_FORMAT "\n%s", m->offset,
                           m->message_id ? m->message_id : "");
}

void
tags_clear(MsgView *v)
{
    g_clear_pointer(&v->tag_ids, g_hash_table_unref);
    g_clear_pointer(&v->tagged, g_free);
    v->ntagged = 0;
}

void
tags_rebuild(MsgView *v)
{
    g_free(v->tagged);
    v->tagged = g_new0(guint8, v->n + 1);
    v->ntagged = 0;
    if (!v->tag_ids || g_hash_table_size(v->tag_ids) == 0)
        return;
    GHashTable *still = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < v->n; i++) {
        char *id = tag_id(store_folder_get(v->folder, i));
        if (g_hash_table_contains(v->tag_ids, id)) {
            v->tagged[i] = 1;
            v->ntagged++;
            g_hash_table_add(still, id);
        } else {
            g_free(id);
        }
    }
    g_hash_table_unref(v->tag_ids);
    v->tag_ids = still;
}

void
tags_set(MsgView *v, guint i, gboolean on)
{
    if (!v->tag_ids)
        v->tag_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!!v->tagged[i] == !!on)
        return;
    char *id = tag_id(store_folder_get(v->folder, i));
    v->tagged[i] = on;
    if (on) {
        v->ntagged++;
        g_hash_table_add(v->tag_ids, id);
    } else {
        v->ntagged--;
        g_hash_table_remove(v->tag_ids, id);
        g_free(id);
    }
}
