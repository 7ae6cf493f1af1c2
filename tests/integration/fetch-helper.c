/* Test helper for the fetch tests: does what the screen does when the user
 * expunges messages (store_folder_sync, then fetch_mark_deleted_here for
 * each expunged message that came from an account).
 *
 *   fetch-helper expunge FOLDER-PATH N...    (1-based message numbers)
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "fetch/fetch.h"
#include "store/store.h"
#include "util/util.h"

int
main(int argc, char **argv)
{
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
