/* Fuzz target for the mbox scanner (store_folder_open on hostile bytes).
 *
 * Built with -fsanitize=fuzzer it is a libFuzzer target
 * (LLVMFuzzerTestOneInput).  Built normally (make check) its main() runs
 * a fixed number of seeded random mutations of the tests/data/mbox corpus,
 * so every build checks the invariants below under the sanitizers too:
 *
 *   - opening never crashes; it fails only with POSTIE_ERROR_FORMAT;
 *   - the messages tile the file from the first one to the end;
 *   - every message reads back, and its index strings are valid UTF-8;
 *   - a reopen from the cache gives the same index;
 *   - appending one message gives exactly one more;
 *   - the two-thread scan (used here for every size) gives the one-thread
 *     index, with the split in the middle and at an offset taken from
 *     the input. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <fcntl.h>

#include "store/store.h"
#include "store/private.h"
#include "util/util.h"

static char *work_dir;

static void
check_strings(const StoreMessage *m)
{
    const char *s[] = { m->from, m->to, m->cc, m->subject, m->message_id,
                        m->in_reply_to, m->references, m->uidl };
    for (gsize i = 0; i < G_N_ELEMENTS(s); i++)
        if (s[i] && !g_utf8_validate(s[i], -1, NULL))
            abort();
}

static gboolean
same_string(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static gboolean
same_message(const StoreMessage *a, const StoreMessage *b)
{
    return a->offset == b->offset && a->length == b->length && a->size == b->size &&
           a->flags == b->flags && a->date == b->date &&
           a->has_attachments == b->has_attachments && a->crypto == b->crypto &&
           same_string(a->from, b->from) && same_string(a->to, b->to) &&
           same_string(a->cc, b->cc) && same_string(a->subject, b->subject) &&
           same_string(a->message_id, b->message_id) &&
           same_string(a->in_reply_to, b->in_reply_to) &&
           same_string(a->references, b->references) && same_string(a->uidl, b->uidl);
}

/* Scan MAP split at SPLIT (0: one thread) into fresh arrays. */
static GArray *
scan_at(const char *map, guint64 len, guint64 split, GStringChunk *strings,
        GPtrArray *blobs, const char *path)
{
    GArray *msgs = g_array_new(FALSE, FALSE, sizeof(StoreMessage));
    GError *error = NULL;
    if (!store_scan_split_at(map, len, 0, split, msgs, strings, blobs, path, &error)) {
        g_error_free(error);
        g_array_set_size(msgs, 0);
    }
    return msgs;
}

/* The one-thread index equals the two-thread one split at SPLIT. */
static void
check_split(const char *path, guint64 split)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        abort();
    guint64 len = (guint64)lseek(fd, 0, SEEK_END);
    const char *map = store_map(fd, len, path, NULL);
    if (!map)
        abort();
    GStringChunk *strings = g_string_chunk_new(4096);
    GPtrArray *blobs = g_ptr_array_new_with_free_func(store_blob_free);
    GArray *one = scan_at(map, len, 0, strings, blobs, path);
    GArray *two = scan_at(map, len, split, strings, blobs, path);
    if (one->len != two->len)
        abort();
    for (guint i = 0; i < one->len; i++)
        if (!same_message(&g_array_index(one, StoreMessage, i),
                          &g_array_index(two, StoreMessage, i)))
            abort();
    g_array_free(one, TRUE);
    g_array_free(two, TRUE);
    g_ptr_array_free(blobs, TRUE);
    g_string_chunk_free(strings);
    store_unmap(map, len);
    close(fd);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    if (!work_dir) {
        /* Every round fsyncs several times: use memory when we can. */
        if (g_access("/dev/shm", W_OK) == 0) {
            work_dir = g_build_filename("/dev/shm", "postie-fuzz-XXXXXX", NULL);
            if (!g_mkdtemp(work_dir))
                g_clear_pointer(&work_dir, g_free);
        }
        if (!work_dir)
            work_dir = g_dir_make_tmp("postie-fuzz-XXXXXX", NULL);
        g_autofree char *state = g_build_filename(work_dir, "state", NULL);
        g_setenv("XDG_STATE_HOME", state, TRUE);
        /* Every folder goes through the two-thread scan. */
        store_scan_set_split_min(1);
        store_cache_set_min_size(0);      /* and is cached */
    }
    g_autofree char *path = g_build_filename(work_dir, "folder", NULL);
    if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
        abort();
    if (size > 1) {
        /* The split at an offset the input chooses (its first bytes). */
        guint64 at = 1;
        for (gsize i = 0; i < 4 && i < size; i++)
            at = at * 257 + data[i];
        check_split(path, 1 + at % (size - 1));
    }
    GError *error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    if (!f) {
        if (!g_error_matches(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT))
            abort();
        g_error_free(error);
        return 0;
    }
    guint n = store_folder_count(f);
    guint64 end = n ? store_folder_get(f, 0)->offset : size;
    for (guint i = 0; i < n; i++) {
        const StoreMessage *m = store_folder_get(f, i);
        if (m->offset != end || m->length == 0 || m->size > m->length)
            abort();
        end = m->offset + m->length;
        check_strings(m);
        GBytes *b = store_folder_read(f, i, &error);
        if (!b)
            abort();
        g_bytes_unref(b);
    }
    if (end != size)
        abort();
    store_folder_close(f);

    /* Again, from the cache. */
    f = store_folder_open(path, &error);
    if (!f || store_folder_count(f) != n)
        abort();
    store_folder_close(f);

    static const char msg[] = "From: fuzz@example.org\nSubject: appended\n\nbody\n";
    if (!store_append(path, msg, sizeof msg - 1, MSG_READ, &error))
        abort();
    f = store_folder_open(path, &error);
    if (!f || store_folder_count(f) != n + 1 ||
        strcmp(store_folder_get(f, n)->subject, "appended") != 0)
        abort();
    store_folder_close(f);
    return 0;
}

#ifndef POSTIE_LIBFUZZER
/* Seeded mutations: flip, insert and delete bytes, splice in separator
 * lines and blank lines, cut the file short. */
static GBytes *
mutate(GRand *r, const char *in, gsize len)
{
    static const char *const pieces[] = {
        "\nFrom a@b Mon Jan  1 10:00:00 2024\n", "\n\n", "\r\n", ">From ",
        "Content-Length: 5\n", "Content-Length: 99999999999999999999\n",
        "Subject: =?UTF-8?B?w6k=?=\n", "Status: RO\n", "X-Status: AFD\n",
        "\0", "\xff\xfe", "From: \"x\" <y@z>\n", "\nbegin 644 x\n", ":\n",
        " folded\n",
    };
    GString *s = g_string_new_len(in, (gssize)len);
    int edits = g_rand_int_range(r, 1, 8);
    for (int e = 0; e < edits; e++) {
        gsize pos = s->len ? (gsize)g_rand_int_range(r, 0, (gint32)s->len) : 0;
        switch (g_rand_int_range(r, 0, 5)) {
        case 0:
            if (s->len)
                s->str[pos] = (char)g_rand_int_range(r, 0, 256);
            break;
        case 1: {
            const char *p = pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))];
            g_string_insert_len(s, (gssize)pos, p, p[0] ? (gssize)strlen(p) : 1);
            break;
        }
        case 2: {
            gssize n = g_rand_int_range(r, 1, 64);
            g_string_erase(s, (gssize)pos, MIN(n, (gssize)(s->len - pos)));
            break;
        }
        case 3:
            g_string_truncate(s, pos);
            break;
        default:
            g_string_insert_c(s, (gssize)pos, '\n');
            break;
        }
    }
    return g_string_free_to_bytes(s);
}

int
main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 4000;
    const char *dir = TEST_DATA_DIR "/mbox";
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return 1;
    GPtrArray *corpus = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);
        char *c;
        gsize l;
        if (g_file_get_contents(p, &c, &l, NULL))
            g_ptr_array_add(corpus, g_bytes_new_take(c, l));
    }
    g_dir_close(d);
    printf("1..1\n");
    GRand *r = g_rand_new_with_seed(20261122);
    for (int i = 0; i < rounds; i++) {
        GBytes *seed = corpus->pdata[g_rand_int_range(r, 0, (gint32)corpus->len)];
        gsize len;
        const char *in = g_bytes_get_data(seed, &len);
        GBytes *m = mutate(r, in, len);
        const guint8 *md = g_bytes_get_data(m, &len);
        LLVMFuzzerTestOneInput(md, len);
        g_bytes_unref(m);
    }
    g_rand_free(r);
    g_ptr_array_unref(corpus);
    printf("ok 1 - %d mutated folders opened, read, reopened and appended to\n", rounds);
    /* Clean up the scratch directory. */
    g_autofree char *state = g_build_filename(work_dir, "state", "postie", "index", NULL);
    GDir *sd = g_dir_open(state, 0, NULL);
    if (sd) {
        while ((name = g_dir_read_name(sd))) {
            g_autofree char *p = g_build_filename(state, name, NULL);
            unlink(p);
        }
        g_dir_close(sd);
    }
    g_rmdir(state);
    g_autofree char *s1 = g_build_filename(work_dir, "state", "postie", NULL);
    g_rmdir(s1);
    g_autofree char *s2 = g_build_filename(work_dir, "state", NULL);
    g_rmdir(s2);
    g_autofree char *fp = g_build_filename(work_dir, "folder", NULL);
    unlink(fp);
    g_rmdir(work_dir);
    return 0;
}
#endif
