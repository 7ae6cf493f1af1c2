/* Fuzz target for the pattern parser and matcher (search/).
 *
 * Built with -fsanitize=fuzzer (POSTIE_LIBFUZZER) it is a libFuzzer
 * target.  Built normally (make check) its main() runs seeded random
 * mutations of a list of valid patterns, so every build checks under the
 * sanitizers too that:
 *
 *   - parsing never crashes, and fails only with a message;
 *   - a parsed pattern matches tests/data/search/patterns.mbox without
 *     error, and gives the same answer twice (cached text scans);
 *   - an input starting with "From " is a folder instead: the text scan
 *     (~b ~B ~h, which reads hostile MIME headers) never crashes on it,
 *     and ~B agrees with ~h or a body hit. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include <glib/gstdio.h>

#include "search/pattern.h"
#include "util/util.h"

static StoreFolder *folder;

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static char *scratch;

static void
scan_folder(const guint8 *data, size_t size)
{
    g_autofree char *path = g_build_filename(scratch, "folder", NULL);
    if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
        abort();
    StoreFolder *f = store_folder_open(path, NULL);
    if (!f)
        return;
    static const char *const needles[] = { "zebra", "gr\xc3\xbc\xc3\x9f" "e", "content-", "=" };
    guint n = store_folder_count(f);
    for (gsize k = 0; k < G_N_ELEMENTS(needles); k++) {
        g_autofree char *needle = g_utf8_casefold(needles[k], -1);
        GError *error = NULL;
        guint8 *whole = bodyscan_run(f, needle, TRUE, SCAN_WHOLE, &error);
        guint8 *head = bodyscan_run(f, needle, TRUE, SCAN_HEADER, &error);
        guint8 *body = bodyscan_run(f, needle, TRUE, SCAN_BODY, &error);
        if (!whole || !head || !body)
            abort();
        for (guint i = 0; i < n; i++)
            if (head[i] && !whole[i])
                abort();
        g_free(whole);
        g_free(head);
        g_free(body);
    }
    store_folder_close(f);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    if (!scratch) {
        scratch = g_dir_make_tmp("postie-fuzz-scan-XXXXXX", NULL);
        if (!scratch)
            abort();
    }
    if (size >= 5 && !memcmp(data, "From ", 5)) {
        if (!folder)
            LLVMFuzzerTestOneInput((const guint8 *)"~A", 2);
        scan_folder(data, size);
        return 0;
    }
    if (!folder) {
        g_autofree char *state = g_build_filename(scratch, "state", NULL);
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
static void
remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(path, name, NULL);
            remove_tree(p);
        }
        g_dir_close(d);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

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
    /* Folders: the test mbox with bytes changed, header lines spliced in. */
    g_autofree char *path = g_build_filename(TEST_DATA_DIR, "search", "patterns.mbox", NULL);
    g_autofree char *mbox = NULL;
    gsize mlen = 0;
    if (!g_file_get_contents(path, &mbox, &mlen, NULL))
        return 1;
    static const char *const lines[] = {
        "\nContent-Type: text/html\n", "\nContent-Transfer-Encoding: base64\n",
        "\nContent-Type: multipart/mixed; boundary=b1\n", "\n--b1\n", "\n\n",
        "\nContent-Type: text/plain; charset=utf-16\n", "=\n", "\ncontent-", "\r",
    };
    int folders = rounds / 40;
    for (int i = 0; i < folders; i++) {
        GString *m = g_string_new_len(mbox, (gssize)mlen);
        for (int e = g_rand_int_range(r, 1, 8); e > 0; e--) {
            gsize pos = (gsize)g_rand_int_range(r, 5, (gint32)m->len);
            if (g_rand_boolean(r))
                m->str[pos] = (char)g_rand_int_range(r, 0, 256);
            else
                g_string_insert(m, (gssize)pos, lines[g_rand_int_range(r, 0, G_N_ELEMENTS(lines))]);
        }
        LLVMFuzzerTestOneInput((const guint8 *)m->str, m->len);
        g_string_free(m, TRUE);
    }
    g_rand_free(r);
    printf("ok 1 - %d mutated patterns parsed and matched, %d mutated folders scanned\n",
           rounds, folders);
    store_folder_close(folder);
    remove_tree(scratch);
    return 0;
}
#endif
