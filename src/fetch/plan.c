/* The fetch plan: from the server's list, our records and the account's
 * policy, what to download (in full or headers only) and what to delete.
 * No I/O here, so every rule is covered by table-driven unit tests.
 *
 * Rules, per message the server lists:
 *   no record        new: RETR, or TOP n 0 when headers_only or over
 *                    size_limit.  Not leave_on_server: DELE once the full
 *                    message is safely recorded (never a headers-only one).
 *   D downloaded     DELE when not leave_on_server, or first seen at least
 *                    delete_after_days ago.
 *   R deleted here   as D, and also when delete_when_deleted.
 *   H headers only   kept on the server: its body exists nowhere else.
 *   G want body      RETR, replacing the partial copy; then as D.
 *   X want delete    DELE (the user asked for it).
 * A UID the server lists more than once cannot tell its messages apart:
 * each of them is downloaded (the engine identifies it by content) and
 * never deleted by UID.  "Every UID changed" is judged only on UIDs that
 * name one message, against records kept by UID. */
#include <config.h>

#include <string.h>

#include "fetch/private.h"
#include "util/util.h"

static gboolean
is_digest(const char *uid)
{
    return g_str_has_prefix(uid, "postie-sha256:");
}

/* The UIDs the server lists: ALL of them, and the few it gives to more
 * than one message (DUPS, usually empty).  Built with one hash insert
 * per UID, so that "is it a duplicate?" costs next to nothing for the
 * 100,000 UIDs of a big mailbox. */
typedef struct {
    GHashTable *all;
    GHashTable *dups;
} UidSet;

static void
uid_set_build(UidSet *u, const ServerMsg *msgs, guint n)
{
    u->all = g_hash_table_new(str_hash_fast, g_str_equal);
    u->dups = g_hash_table_new(str_hash_fast, g_str_equal);
    for (guint i = 0; i < n; i++)
        if (msgs[i].uid && !g_hash_table_add(u->all, msgs[i].uid))
            g_hash_table_add(u->dups, msgs[i].uid);
}

static void
uid_set_clear(UidSet *u)
{
    g_hash_table_unref(u->all);
    g_hash_table_unref(u->dups);
}

static gboolean
uid_dup(const UidSet *u, const char *uid)
{
    return g_hash_table_size(u->dups) > 0 && g_hash_table_contains(u->dups, uid);
}

/* Does the server seem to have changed every UID?  Only UIDs that name
 * one message each are compared with the records kept by UID: a UID given
 * to several messages (popa3d hashes headers) is never recorded, the
 * messages it names are recorded by content. */
static gboolean
uids_all_changed(const ServerMsg *msgs, guint n, GHashTable *records,
                 const UidSet *uids)
{
    guint unique = 0;
    for (guint i = 0; i < n; i++) {
        if (!msgs[i].uid || uid_dup(uids, msgs[i].uid))
            continue;
        unique++;
        if (g_hash_table_contains(records, msgs[i].uid))
            return FALSE;     /* one UID we know: not all changed */
    }
    if (unique == 0)
        return FALSE;
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, records);
    while (g_hash_table_iter_next(&it, &key, NULL))
        if (!is_digest(key))
            return TRUE;
    return FALSE;
}

static gboolean
expired(const UidlRecord *r, const PlanPolicy *p, gint64 now)
{
    return p->delete_after_days > 0 &&
           now - r->first_seen >= (gint64)p->delete_after_days * 86400;
}

gboolean
plan_dele_known(const PlanItem *it, const UidlRecord *r,
                const PlanPolicy *policy, gint64 now)
{
    if (it->no_dele)
        return FALSE;
    return it->dele_after_download || (r && expired(r, policy, now));
}

FetchPlan *
plan_make(const ServerMsg *msgs, guint n, GHashTable *records,
          const PlanPolicy *policy, gint64 now)
{
    FetchPlan *p = g_new0(FetchPlan, 1);
    p->items = g_array_new(FALSE, TRUE, sizeof(PlanItem));
    p->dup_uids = g_ptr_array_new_with_free_func(g_free);

    /* Find the duplicate UIDs first: they are treated apart. */
    UidSet uids;
    uid_set_build(&uids, msgs, n);
    g_autoptr(GHashTable) reported = g_hash_table_new(str_hash_fast, g_str_equal);
    for (guint i = 0; i < n; i++)
        if (msgs[i].uid && uid_dup(&uids, msgs[i].uid) &&
            g_hash_table_add(reported, msgs[i].uid))
            g_ptr_array_add(p->dup_uids, g_strdup(msgs[i].uid));
    p->uids_changed = uids_all_changed(msgs, n, records, &uids);

    for (guint i = 0; i < n; i++) {
        const ServerMsg *m = &msgs[i];
        PlanItem it = { m->num, m->uid, m->size, ACT_NONE, FALSE, FALSE, m->no_dele };
        gboolean dup = m->uid && uid_dup(&uids, m->uid);
        const UidlRecord *r = (m->uid && !dup) ?
            g_hash_table_lookup(records, m->uid) : NULL;
        if (r)
            p->n_known++;

        if (!m->uid || dup) {
            /* Identified by content after download; see fetch.c. */
            it.act = ACT_RETR;
            it.uid = NULL;
            it.no_dele = m->no_dele || dup;
            it.dele_after_download = !policy->leave_on_server && !it.no_dele;
        } else if (!r) {
            gboolean headers = policy->headers_only ||
                (policy->size_limit > 0 && m->size > policy->size_limit);
            it.act = headers ? ACT_TOP : ACT_RETR;
            it.dele_after_download = !headers && !policy->leave_on_server;
        } else {
            switch (r->state) {
            case UIDL_DOWNLOADED:
                it.dele = !policy->leave_on_server || expired(r, policy, now);
                break;
            case UIDL_DELETED_HERE:
                it.dele = !policy->leave_on_server || expired(r, policy, now) ||
                          policy->delete_when_deleted;
                break;
            case UIDL_WANT_BODY:
                it.act = ACT_RETR_REPLACE;
                it.dele_after_download = !policy->leave_on_server;
                break;
            case UIDL_WANT_DELETE:
                it.dele = TRUE;
                break;
            case UIDL_HEADERS:
            default:
                break;
            }
        }
        if (it.act != ACT_NONE) {
            p->n_download++;
            p->bytes_download += it.act == ACT_TOP ? 0 : m->size;
        }
        if (it.dele)
            p->n_dele++;
        g_array_append_val(p->items, it);
    }
    uid_set_clear(&uids);
    return p;
}

void
plan_free(FetchPlan *p)
{
    if (!p)
        return;
    g_array_unref(p->items);
    g_ptr_array_unref(p->dup_uids);
    g_free(p);
}

guint
plan_prune(GHashTable *records, const ServerMsg *msgs, guint n,
           GPtrArray *dropped)
{
    UidSet uids;
    uid_set_build(&uids, msgs, n);
    guint n_dropped = 0;
    if (uids_all_changed(msgs, n, records, &uids) ||  /* keep what we know */
        (n > 0 && g_hash_table_size(uids.all) == 0)) {  /* nothing to compare */
        uid_set_clear(&uids);
        return 0;
    }

    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, records);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const UidlRecord *r = value;
        /* Digest identities are not listed by the server; an empty list
         * drops them like the rest (the server is empty). */
        if (g_hash_table_contains(uids.all, key))   /* listed */
            continue;
        if (is_digest(r->uid) && n > 0)
            continue;
        if (dropped)
            g_ptr_array_add(dropped, g_strdup(key));
        g_hash_table_iter_remove(&it);
        n_dropped++;
    }
    uid_set_clear(&uids);
    return n_dropped;
}
