/* Time one pattern over a folder: bench-search FOLDER PATTERN [ROUNDS].
 * Opens the folder (index cache warm after the first run), then matches
 * every message ROUNDS times with a freshly parsed pattern (so text scans
 * are not cached) and prints the best time in seconds and the count. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "mime/mime.h"
#include "search/pattern.h"
#include "util/util.h"

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench-search FOLDER PATTERN [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    mime_init();
    GError *error = NULL;
    StoreFolder *f = store_folder_open(argv[1], &error);
    if (!f) {
        fprintf(stderr, "%s\n", error->message);
        return 1;
    }
    double best = 1e9;
    guint count = 0;
    for (int r = 0; r < rounds; r++) {
        Pattern *p = pattern_parse(argv[2], g_get_real_time() / G_USEC_PER_SEC, &error);
        if (!p) {
            fprintf(stderr, "%s\n", error->message);
            return 1;
        }
        PatternTarget t = { .folder = f, .generation = 1 };
        gint64 t0 = g_get_monotonic_time();
        count = 0;
        for (guint i = 0, n = store_folder_count(f); i < n; i++)
            count += pattern_match(p, &t, i, &error);
        if (error) {
            fprintf(stderr, "%s\n", error->message);
            return 1;
        }
        double s = (double)(g_get_monotonic_time() - t0) / 1e6;
        best = MIN(best, s);
        pattern_free(p);
    }
    printf("%.3f %u\n", best, count);
    store_folder_close(f);
    return 0;
}
