/* Open a folder once and report how long store_folder_open took, in
 * this process (no process start-up, no printing):
 *
 *   bench-open FOLDER   ->  "<messages> <seconds> <from-cache 0|1>"
 *
 * Peak memory is measured from outside (/usr/bin/time); see run.sh. */
#include <config.h>

#include <stdio.h>

#include "store/store.h"

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench-open FOLDER\n");
        return 2;
    }
    GError *error = NULL;
    gint64 t0 = g_get_monotonic_time();
    StoreFolder *f = store_folder_open(argv[1], &error);
    gint64 t1 = g_get_monotonic_time();
    if (!f) {
        fprintf(stderr, "bench-open: %s\n", error->message);
        return 1;
    }
    /* Touch what a message list shows, as the screen would. */
    gsize chars = 0;
    for (guint i = 0; i < store_folder_count(f); i++) {
        const StoreMessage *m = store_folder_get(f, i);
        chars += (m->subject ? 1 : 0) + (m->from ? 1 : 0);
    }
    gint64 t2 = g_get_monotonic_time();
    printf("%u %.3f %d %.3f %zu\n", store_folder_count(f), (t1 - t0) / 1e6,
           store_folder_loaded_from_cache(f) ? 1 : 0, (t2 - t0) / 1e6, chars);
    store_folder_close(f);
    return 0;
}
