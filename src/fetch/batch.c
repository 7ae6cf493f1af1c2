/* One batch of downloaded messages made durable, in the one safe order:
 * record in flight, append + fsync, record done.  Only then may the caller
 * DELE them (it gets their numbers in run->dele). */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "fetch/private.h"
#include "store/store.h"
#include "util/util.h"

void
batch_entry_free(gpointer p)
{
    BatchEntry *e = p;
    if (!e)
        return;
    g_free(e->uid);
    g_free(e->folder);
    if (e->data)
        g_string_free(e->data, TRUE);
    spool_free(e->spool);
    g_free(e->head);
    g_free(e);
}

char *
fetch_uidl_value(const FetchRun *run, const char *uid)
{
    return g_strdup_printf("%s %s", run->account->id, uid);
}

char *
fetch_folder_path(const FetchRun *run, const char *name, GError **error)
{
    char *path = store_path_for(run->cfg->mail_dir, name, error);
    if (!path)
        return NULL;
    if (!g_file_test(path, G_FILE_TEST_EXISTS) &&
        !store_create_folder(run->cfg->mail_dir, name, error)) {
        /* Someone else may have just made it. */
        if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
            g_free(path);
            return NULL;
        }
        g_clear_error(error);
    }
    return path;
}

/* Append every entry going to FOLDER; one fsync for all of them. */
static gboolean
append_folder(FetchRun *run, GPtrArray *entries, const char *folder,
              GError **error)
{
    g_autofree char *path = fetch_folder_path(run, folder, error);
    if (!path)
        return FALSE;
    StoreAppender *a = store_appender_open(path, error);
    if (!a)
        return FALSE;
    for (guint i = 0; i < entries->len; i++) {
        BatchEntry *e = entries->pdata[i];
        if (g_strcmp0(e->folder, folder) != 0)
            continue;
        guint32 flags = e->partial ? MSG_PARTIAL : 0;
        gboolean added = e->spool
            ? store_appender_add_file(a, e->head, strlen(e->head), spool_fd(e->spool),
                                      flags, error)
            : store_appender_add(a, e->data->str, e->data->len, flags, error);
        if (!added) {
            store_appender_abort(a);
            return FALSE;
        }
    }
    if (!store_appender_close(a, error))
        return FALSE;   /* the appender truncated back and unlocked */
    return TRUE;
}

void (*fetch_crash_hook)(const char *step);

/* Only the test build of the program sets the hook (see private.h). */
static void
crash_point(const FetchRun *run, const char *step)
{
    (void)run;
    if (fetch_crash_hook)
        fetch_crash_hook(step);
}

gboolean
batch_commit(FetchRun *run, GPtrArray *entries, GError **error)
{
    if (entries->len == 0)
        return TRUE;

    /* 2. In flight: from now on a crash leaves a trace to check. */
    for (guint i = 0; i < entries->len; i++) {
        BatchEntry *e = entries->pdata[i];
        gsize clen = 0;
        char *sum = e->spool ? spool_canonical_sum(e->spool, e->head, &clen, error)
                             : message_canonical_sum(e->data->str, e->data->len, FALSE, &clen);
        if (!sum)
            return FALSE;    /* nothing recorded or appended */
        UidlRecord *old = g_hash_table_lookup(run->records, e->uid);
        UidlRecord *r = uidl_record_new(e->uid, old ? old->first_seen : run->now,
                                        UIDL_IN_FLIGHT);
        r->sum = sum;
        r->length = clen;
        r->partial = e->partial;
        uidl_record_set_folder(r, e->folder);
        g_hash_table_replace(run->records, r->uid, r);
        uidls_note(run->records_file, run->records, e->uid);
    }
    if (!uidls_save(run->records_file, error))
        return FALSE;
    crash_point(run, "in-flight");

    /* 3. Append and fsync, folder by folder. */
    g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < entries->len; i++) {
        BatchEntry *e = entries->pdata[i];
        if (g_hash_table_contains(done, e->folder))
            continue;
        g_hash_table_add(done, e->folder);
        if (!append_folder(run, entries, e->folder, error))
            return FALSE;    /* in-flight records stay: next time checks */
    }
    crash_point(run, "appended");

    /* 4. Recorded: never downloaded again. */
    gboolean cleanup = FALSE;
    for (guint i = 0; i < entries->len; i++) {
        BatchEntry *e = entries->pdata[i];
        UidlRecord *r = g_hash_table_lookup(run->records, e->uid);
        uidls_note(run->records_file, run->records, e->uid);
        r->length = 0;
        g_clear_pointer(&r->sum, g_free);
        if (e->partial) {
            r->state = UIDL_HEADERS;
        } else if (e->replace) {
            r->state = UIDL_CLEANUP;
            cleanup = TRUE;
        } else {
            r->state = UIDL_DOWNLOADED;
            g_clear_pointer(&r->folder, g_free);
        }
    }
    if (!uidls_save(run->records_file, error))
        return FALSE;
    crash_point(run, "recorded");

    /* The full copy is safe: drop the partial one it replaces. */
    if (cleanup) {
        for (guint i = 0; i < entries->len; i++) {
            BatchEntry *e = entries->pdata[i];
            if (!e->replace)
                continue;
            if (!recover_expunge_partial(run, e->folder, e->uid, error))
                return FALSE;
            UidlRecord *r = g_hash_table_lookup(run->records, e->uid);
            uidls_note(run->records_file, run->records, e->uid);
            r->state = UIDL_DOWNLOADED;
            g_clear_pointer(&r->folder, g_free);
        }
        if (!uidls_save(run->records_file, error))
            return FALSE;
    }

    for (guint i = 0; i < entries->len; i++) {
        BatchEntry *e = entries->pdata[i];
        if (e->dele_after && !e->partial) {
            g_array_append_val(run->dele, e->num);
            g_ptr_array_add(run->dele_uids, g_strdup(e->uid));
        }
    }
    return TRUE;
}
