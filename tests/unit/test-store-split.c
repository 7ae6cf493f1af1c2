/* The two-thread scan gives the one-thread index, byte for byte: every
 * file in tests/data/mbox and generated folders with the split put on
 * every offset (or many), including false separators inside a
 * Content-Length body, From_ lines without a blank line before them,
 * CRLF line ends and Content-Length hints that do not check out. */
#include <config.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/private.h"
#include "util/util.h"
#include <glib/gstdio.h>

typedef struct {
    GArray *msgs;
    GStringChunk *strings;
    GPtrArray *blobs;
} Index;

static void
index_init(Index *ix)
{
    ix->msgs = g_array_new(FALSE, FALSE, sizeof(StoreMessage));
    ix->strings = g_string_chunk_new(4096);
    ix->blobs = g_ptr_array_new_with_free_func(store_blob_free);
}

static void
index_clear(Index *ix)
{
    g_array_free(ix->msgs, TRUE);
    g_string_chunk_free(ix->strings);
    g_ptr_array_free(ix->blobs, TRUE);
}

static void
assert_same_message(const StoreMessage *a, const StoreMessage *b)
{
    g_assert_cmpuint(a->offset, ==, b->offset);
    g_assert_cmpuint(a->length, ==, b->length);
    g_assert_cmpuint(a->size, ==, b->size);
    g_assert_cmpuint(a->flags, ==, b->flags);
    g_assert_cmpint(a->date, ==, b->date);
    g_assert_cmpint(a->has_attachments, ==, b->has_attachments);
    g_assert_cmpuint(a->crypto, ==, b->crypto);
    const char *sa[] = { a->from, a->to, a->cc, a->subject, a->message_id,
                         a->in_reply_to, a->references, a->uidl };
    const char *sb[] = { b->from, b->to, b->cc, b->subject, b->message_id,
                         b->in_reply_to, b->references, b->uidl };
    for (gsize i = 0; i < G_N_ELEMENTS(sa); i++)
        g_assert_cmpstr(sa[i], ==, sb[i]);
}

/* Scan PATH once with one thread, then split at every offset (or at
 * MAX_RUNS offsets spread over the file) and compare.  Returns how many
 * splits ran. */
static guint
compare_splits(const char *path, guint64 max_runs)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    g_assert_cmpint(fd, >=, 0);
    guint64 len = (guint64)lseek(fd, 0, SEEK_END);
    guint64 step = len / max_runs + 1;
    GError *error = NULL;
    const char *map = store_map(fd, len, path, &error);
    g_assert_no_error(error);

    Index one;
    index_init(&one);
    gboolean ok1 = store_scan_split_at(map, len, 0, 0, one.msgs, one.strings,
                                       one.blobs, path, &error);
    g_clear_error(&error);
    g_assert_cmpuint(one.blobs->len, ==, 0);
    guint runs = 0;
    for (guint64 split = 1; split < len; split += step) {
        Index two;
        index_init(&two);
        gboolean ok2 = store_scan_split_at(map, len, 0, split, two.msgs, two.strings,
                                           two.blobs, path, &error);
        g_clear_error(&error);
        g_assert_cmpint(ok1, ==, ok2);
        g_assert_cmpuint(one.msgs->len, ==, two.msgs->len);
        for (guint i = 0; i < one.msgs->len; i++)
            assert_same_message(&g_array_index(one.msgs, StoreMessage, i),
                                &g_array_index(two.msgs, StoreMessage, i));
        index_clear(&two);
        runs++;
    }
    index_clear(&one);
    store_unmap(map, len);
    close(fd);
    return runs;
}

static void
test_data_files(void)
{
    g_autofree char *dir = g_build_filename(TEST_DATA_DIR, "mbox", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    const char *name;
    guint files = 0;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        compare_splits(path, G_MAXUINT64);
        files++;
    }
    g_dir_close(d);
    g_assert_cmpuint(files, >, 10);
}

/* A folder of COUNT messages of the awkward kinds, NL line ends. */
static GString *
generated_folder(guint count, guint32 seed)
{
    GRand *r = g_rand_new_with_seed(seed);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < count; i++) {
        g_string_append_printf(s, "From sender%u@example.org Mon Jan  1 10:%02u:00 2024\n"
                               "From: =?UTF-8?B?w6l0w6k=?= <s%u@example.org>\n"
                               "To: \"A B\" <a@example.org>, c@example.org\n"
                               "Subject: message %u\n"
                               "Date: Mon, 1 Jan 2024 10:%02u:00 +0000\n",
                               i, i % 60, i, i, i % 60);
        switch (g_rand_int_range(r, 0, 7)) {
        case 6: {
            /* As case 0, but the false message's own Content-Length runs
             * over the real message after this one: the second thread
             * never sees that one, and the first goes on alone until the
             * two meet again. */
            const char *next = "From next@example.org Mon Jan  1 10:00:00 2024\n"
                               "Subject: next\n\nnext body\n\n";
            const char *rest = "more text\n";
            g_autofree char *body = g_strdup_printf(
                "text\n\nFrom fake@example.org Mon Jan  1 10:00:00 2024\n"
                "Content-Length: %zu\n\n%s", strlen(rest) + 1 + strlen(next), rest);
            g_string_append_printf(s, "Content-Length: %zu\n\n%s\n%s", strlen(body),
                                   body, next);
            break;
        }
        case 0: {
            /* A Content-Length over a false separator: the split may land
             * on it, and the first half's message then runs past it. */
            const char *body = "text\n\nFrom fake@example.org Mon Jan  1 10:00:00 2024\n"
                               "Subject: not a message\n\nmore text\n";
            g_string_append_printf(s, "Content-Length: %zu\n\n%s\n", strlen(body), body);
            break;
        }
        case 1:
            /* A From_ line with no blank line before it. */
            g_string_append(s, "\nline\nFrom someone Mon Jan  1 10:00:00 2024\nend\n\n");
            break;
        case 2:
            /* A Content-Length that does not check out. */
            g_string_append(s, "Content-Length: 3\n\nlonger body than that\n\n");
            break;
        case 3:
            g_string_append(s, "Status: RO\nX-Status: F\nContent-Type: multipart/mixed; "
                               "boundary=b\n\n--b\n\nx\n--b--\n\n");
            break;
        case 4:
            /* No blank line at the end: the next From_ is not a separator,
             * this message swallows the next one. */
            g_string_append(s, "\nbody without a blank line after\n");
            break;
        default:
            g_string_append(s, "\nbody\n\n");
            break;
        }
    }
    g_rand_free(r);
    return s;
}

static char *
write_temp(const char *data, gsize len)
{
    char *path = g_build_filename(g_get_tmp_dir(), "postie-split-XXXXXX", NULL);
    int fd = g_mkstemp(path);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    return path;
}

static void
test_generated(void)
{
    for (guint32 seed = 1; seed <= 3; seed++) {
        g_autoptr(GString) s = generated_folder(150, seed);
        g_autofree char *path = write_temp(s->str, s->len);
        compare_splits(path, 400);
        /* The same in CRLF. */
        g_autoptr(GString) crlf = g_string_new(NULL);
        for (gsize i = 0; i < s->len; i++) {
            if (s->str[i] == '\n')
                g_string_append_c(crlf, '\r');
            g_string_append_c(crlf, s->str[i]);
        }
        g_autofree char *path2 = write_temp(crlf->str, crlf->len);
        compare_splits(path2, 400);
        g_unlink(path);
        g_unlink(path2);
    }
}

/* The open of a folder past the split size gives the one-thread index
 * (and the strings of the second thread live as long as the folder). */
static void
test_open_split(void)
{
    g_autoptr(GString) s = generated_folder(400, 9);
    g_autofree char *path = write_temp(s->str, s->len);
    GError *error = NULL;
    store_scan_set_split_min(G_MAXUINT64);
    StoreFolder *one = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_autofree char *cache = store_cache_path(path);
    g_unlink(cache);
    store_scan_set_split_min(1);
    StoreFolder *two = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_false(store_folder_loaded_from_cache(two));
    store_scan_set_split_min(0);
    g_assert_cmpuint(store_folder_count(one), ==, store_folder_count(two));
    g_assert_cmpuint(store_folder_count(one), >, 100);
    for (guint i = 0; i < store_folder_count(one); i++)
        assert_same_message(store_folder_get(one, i), store_folder_get(two, i));
    store_folder_close(one);
    store_folder_close(two);
    g_unlink(cache);
    g_unlink(path);
}

int
main(int argc, char **argv)
{
    /* A private state directory for the index cache. */
    g_autofree char *state = g_dir_make_tmp("postie-state-XXXXXX", NULL);
    g_setenv("XDG_STATE_HOME", state, TRUE);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/store/split/data-files", test_data_files);
    g_test_add_func("/store/split/generated", test_generated);
    g_test_add_func("/store/split/open", test_open_split);
    int rc = g_test_run();
    g_autofree char *idx = g_build_filename(state, "postie", "index", NULL);
    g_autofree char *pd = g_build_filename(state, "postie", NULL);
    g_rmdir(idx);
    g_rmdir(pd);
    g_rmdir(state);
    return rc;
}
