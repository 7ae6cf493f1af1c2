/* Fuzz target for the pattern parser and matcher (search/).
 *
 * Built with -fsanitize=fuzzer (POSTIE_LIBFUZZER) it is a libFuzzer
 * target.  Built normally (make check) its main() runs seeded random
 * mutations of a list of valid patterns, so every build checks under the
 * sanitizers too that:
 *
 *   - parsing never crashes, and fails only with a message;
 *   - a parsed pattern matches tests/data/search/patterns.mbox without
 *     error, and gives the same answer twice (cached text scans). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "search/pattern.h"
#include "util/util.h"

static StoreFolder *folder;

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    if (!folder) {
        g_autofree char *state = g_dir_make_tmp("postie-fuzz-pattern-XXXXXX", NULL);
        g_setenv("XDG_STATE_HOME", state, TRUE);
        mime_init();
        g_autofree char *path = g_build_filename(TEST_DATA_DIR, "search", "patterns.mbox", NULL);
        folder = store_folder_open(path, NULL);
        if (!folder)
            abort();
    }
    g_autofree char *text = g_strndup((const char *)data, size);
    GError *error = NULL;
    Pattern *p = pattern_parse(text, 1739188800, &error);
    if (!p) {
        if (!error || !error->message[0])
            abort();
        g_error_free(error);
        return 0;
    }
    guint8 tagged[8] = { 1, 0, 1, 0, 1, 0, 1, 0 };
    PatternTarget t = { .folder = folder, .tagged = tagged, .generation = 1 };
    guint n = store_folder_count(folder);
    for (guint i = 0; i < n; i++) {
        gboolean a = pattern_match(p, &t, i, &error);
        if (error)
            abort();
        if (pattern_match(p, &t, i, &error) != a)
            abort();
    }
    pattern_free(p);
    return 0;
}

#ifndef POSTIE_LIBFUZZER
static const char *const seeds[] = {
    "budget", "~f alice ~s budget", "(~f a | ~t b) !~D", "~b \"big sale\"",
    "~B x | ~h y", "~d 01/01/2024-31/12/2024", "~d <3d", "~z 1K-2M", "~N ~O ~U ~F ~T",
    "!(~A)", "~s 'it\\'s'", "~b grüße", "~z >100",
};
static const char pieces[] = "~!|() \"'\\-/<>=fFtcsbBhNOURQDTAdz0123456789KM\xc3\xa9";

int
main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20000;
    GRand *r = g_rand_new_with_seed(20261204);
    printf("1..1\n");
    for (int i = 0; i < rounds; i++) {
        GString *s = g_string_new(seeds[g_rand_int_range(r, 0, G_N_ELEMENTS(seeds))]);
        int edits = g_rand_int_range(r, 1, 6);
        for (int e = 0; e < edits; e++) {
            gsize pos = s->len ? (gsize)g_rand_int_range(r, 0, (gint32)s->len + 1) : 0;
            switch (g_rand_int_range(r, 0, 4)) {
            case 0:
                g_string_insert_c(s, (gssize)pos, pieces[g_rand_int_range(r, 0, sizeof pieces - 1)]);
                break;
            case 1:
                if (pos < s->len)
                    g_string_erase(s, (gssize)pos, 1);
                break;
            case 2:
                if (pos < s->len)
                    s->str[pos] = (char)g_rand_int_range(r, 1, 256);
                break;
            default:
                g_string_truncate(s, pos);
                break;
            }
        }
        LLVMFuzzerTestOneInput((const guint8 *)s->str, s->len);
        g_string_free(s, TRUE);
    }
    g_rand_free(r);
    printf("ok 1 - %d mutated patterns parsed and matched\n", rounds);
    return 0;
}
#endif
