/* Test helper for the fetch tests: does what the screen does.
 *
 *   fetch-helper expunge FOLDER-PATH N...    (1-based message numbers)
 *       expunge through the store, then fetch_mark_deleted_here for each
 *       expunged message that came from an account
 *   fetch-helper cancel-after N ACCOUNT
 *       run fetch_account for ACCOUNT (default config) in a worker thread
 *       and cancel it from the progress callback after N messages; prints
 *       "cancelled" when it stopped with POSTIE_ERROR_CANCELLED
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include <gmime/gmime.h>

#include "config/conf.h"
#include "fetch/fetch.h"
#include "store/store.h"
#include "util/util.h"

typedef struct {
    PostieConfig *cfg;
    Account *account;
    GCancellable *cancel;
    guint after;
    gboolean cancelled;
    gboolean finished_called;
} Worker;

static void
on_done(const char *account, guint n, guint of, guint64 bytes_done,
        guint64 bytes_total, gpointer data)
{
    Worker *w = data;
    (void)account; (void)of; (void)bytes_done; (void)bytes_total;
    if (n >= w->after)
        g_cancellable_cancel(w->cancel);
}

static void
on_finished(const char *account, const FetchSummary *s, const GError *error,
            gpointer data)
{
    Worker *w = data;
    (void)account; (void)s;
    w->finished_called = TRUE;
    w->cancelled = g_error_matches(error, POSTIE_ERROR, POSTIE_ERROR_CANCELLED);
}

static gpointer
worker(gpointer data)
{
    Worker *w = data;
    FetchCallbacks cb = { NULL, on_done, on_finished, NULL };
    GError *error = NULL;
    gboolean ok = fetch_account(w->cfg, w->account, NULL, &cb, w, w->cancel, &error);
    if (!ok)
        fprintf(stderr, "%s\n", error->message);
    g_clear_error(&error);
    return GINT_TO_POINTER(ok);
}

static int
cancel_after(guint n, const char *account)
{
    g_autoptr(GError) error = NULL;
    g_mime_init();
    PostieConfig *cfg = conf_load(NULL, NULL, &error);
    if (!cfg) {
        fprintf(stderr, "%s\n", error->message);
        return 1;
    }
    Worker w = { cfg, conf_find_account(cfg, account), g_cancellable_new(), n,
                 FALSE, FALSE };
    GThread *t = g_thread_new("fetch", worker, &w);
    gboolean ok = GPOINTER_TO_INT(g_thread_join(t));
    printf("%s\n", ok ? "finished" : w.cancelled ? "cancelled" : "failed");
    g_object_unref(w.cancel);
    conf_free(cfg);
    g_mime_shutdown();
    return w.finished_called ? 0 : 1;
}

int
main(int argc, char **argv)
{
    if (argc == 4 && g_strcmp0(argv[1], "cancel-after") == 0)
        return cancel_after((guint)atoi(argv[2]), argv[3]);
    if (argc < 4 || g_strcmp0(argv[1], "expunge") != 0) {
        fprintf(stderr, "usage: fetch-helper expunge FOLDER-PATH N...\n");
        return 2;
    }
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(argv[2], &error);
    if (!f) {
        fprintf(stderr, "%s\n", error->message);
        return 1;
    }
    for (int i = 3; i < argc; i++) {
        guint n = (guint)atoi(argv[i]);
        const StoreMessage *m = store_folder_get(f, n - 1);
        if (!m) {
            fprintf(stderr, "no message %u\n", n);
            return 1;
        }
        store_folder_set_flags(f, n - 1, m->flags | MSG_DELETED);
    }
    GPtrArray *gone = NULL;
    if (!store_folder_sync(f, TRUE, &gone, &error)) {
        fprintf(stderr, "%s\n", error->message);
        return 1;
    }
    int rc = 0;
    for (guint i = 0; i < gone->len; i++) {
        StoreMessage *m = gone->pdata[i];
        char *acct = NULL, *uid = NULL;
        if (m->uidl && fetch_parse_uidl_header(m->uidl, &acct, &uid)) {
            if (!fetch_mark_deleted_here(acct, uid, &error)) {
                fprintf(stderr, "%s\n", error->message);
                g_clear_error(&error);
                rc = 1;
            }
            printf("%s %s\n", acct, uid);
        }
        g_free(acct);
        g_free(uid);
    }
    g_ptr_array_unref(gone);   /* frees the copies */
    store_folder_close(f);
    return rc;
}
