/* After an interrupted fetch: was each in-flight message written?
 *
 * An in-flight record (F) names the folder, the canonical length and the
 * SHA-256 of the copy that was being appended.  In that folder we look at
 * every message whose X-Postie-UIDL is ours for the UID:
 *   - same length and checksum: the append completed, the UID is recorded
 *     as done (no second download);
 *   - shorter: the append was cut off by the crash; that copy is expunged
 *     and the message downloaded again;
 *   - anything else is not from this append and is left alone.
 * A full download that replaced a partial copy (F part=0 with a
 * MSG_PARTIAL copy beside it) ends in C, "cleanup": the partial copy is
 * expunged and the record becomes D. */
#include <config.h>

#include <string.h>

#include "fetch/private.h"
#include "store/store.h"
#include "util/util.h"

typedef struct {
    guint n_complete;
    guint n_partial_copies;
} Found;

/* Look at FOLDER's copies of R; expunge cut-off ones (and the partial
 * copies too when EXPUNGE_PARTIAL). */
static gboolean
examine(FetchRun *run, const char *folder, const UidlRecord *r,
        gboolean expunge_partial, Found *found, GError **error)
{
    memset(found, 0, sizeof *found);
    g_autofree char *path = store_path_for(run->cfg->mail_dir, folder, error);
    if (!path)
        return FALSE;
    g_autoptr(GError) local = NULL;
    StoreFolder *f = store_folder_open(path, &local);
    if (!f) {
        if (g_error_matches(local, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND))
            return TRUE;         /* nothing was ever written there */
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    g_autofree char *want = fetch_uidl_value(run, r->uid);
    gboolean changed = FALSE;
    for (guint i = 0; i < store_folder_count(f); i++) {
        const StoreMessage *m = store_folder_get(f, i);
        if (!m->uidl || strcmp(m->uidl, want) != 0 || (m->flags & MSG_DELETED))
            continue;
        gboolean is_partial = (m->flags & MSG_PARTIAL) != 0;
        if (r->state == UIDL_IN_FLIGHT && is_partial == r->partial) {
            /* Read in pieces: the copy may be larger than memory allows. */
            gsize clen = 0;
            g_autofree char *sum = message_stored_sum(f, i, &clen, error);
            if (!sum) {
                store_folder_close(f);
                return FALSE;
            }
            if (clen == r->length && r->sum && strcmp(sum, r->sum) == 0) {
                found->n_complete++;
            } else if (clen < r->length) {
                store_folder_set_flags(f, i, m->flags | MSG_DELETED);
                changed = TRUE;
            }
        } else if (is_partial) {
            found->n_partial_copies++;
            if (expunge_partial) {
                store_folder_set_flags(f, i, m->flags | MSG_DELETED);
                changed = TRUE;
            }
        }
    }
    gboolean ok = TRUE;
    if (changed)
        ok = store_folder_sync(f, TRUE, NULL, error);
    store_folder_close(f);
    return ok;
}

gboolean
recover_expunge_partial(FetchRun *run, const char *folder, const char *uid,
                        GError **error)
{
    UidlRecord probe = { 0 };
    probe.uid = (char *)uid;
    probe.state = UIDL_CLEANUP;
    Found found;
    return examine(run, folder, &probe, TRUE, &found, error);
}

/* Did the user expunge a copy of UID since (a pending request)? */
static gboolean
deleted_here(const FetchRun *run, const char *uid)
{
    for (guint i = 0; run->marks && i < run->marks->len; i++) {
        const char *m = run->marks->pdata[i];
        if (m[0] == UIDL_DELETED_HERE && strcmp(m + 2, uid) == 0)
            return TRUE;
    }
    return FALSE;
}

gboolean
recover_in_flight(FetchRun *run, GError **error)
{
    g_autoptr(GPtrArray) todo = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, run->records);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        UidlRecord *r = v;
        if (r->state == UIDL_IN_FLIGHT || r->state == UIDL_CLEANUP)
            g_ptr_array_add(todo, r);
    }
    if (todo->len == 0)
        return TRUE;

    for (guint i = 0; i < todo->len; i++) {
        UidlRecord *r = todo->pdata[i];
        uidls_note(run->records_file, run->records, r->uid);
        Found found;
        if (r->state == UIDL_CLEANUP) {
            if (!examine(run, r->folder, r, TRUE, &found, error))
                return FALSE;
            r->state = UIDL_DOWNLOADED;
            g_clear_pointer(&r->folder, g_free);
            continue;
        }
        /* In flight.  A full copy that is complete also retires the
         * partial copy it replaces; look first, expunge after. */
        if (!examine(run, r->folder, r, FALSE, &found, error))
            return FALSE;
        if (found.n_complete > 0) {
            if (r->partial) {
                r->state = UIDL_HEADERS;
            } else {
                if (found.n_partial_copies > 0 &&
                    !recover_expunge_partial(run, r->folder, r->uid, error))
                    return FALSE;
                r->state = UIDL_DOWNLOADED;
                g_clear_pointer(&r->folder, g_free);
            }
        } else if (!r->partial && found.n_partial_copies > 0) {
            r->state = UIDL_WANT_BODY;   /* the partial copy is still here */
        } else if (deleted_here(run, r->uid)) {
            /* The copy made it, and the user has expunged it since. */
            r->state = UIDL_DELETED_HERE;
            g_clear_pointer(&r->folder, g_free);
        } else {
            g_hash_table_remove(run->records, r->uid);   /* download again */
            continue;
        }
        r->length = 0;
        g_clear_pointer(&r->sum, g_free);
    }
    return uidls_save(run->records_file, error);
}
