/* Unit tests for store/ reading: one table row per mbox in
 * tests/data/mbox/, checking the index and the bytes read back. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mime/header.h"
#include "store/store.h"
#include "store/private.h"
#include "util/util.h"
#include <glib/gstdio.h>

typedef struct {
    const char *subject;      /* NULL: no Subject */
    const char *from;         /* NULL: don't check */
    guint32 flags;
    gboolean att;
    gint64 date;              /* -1: don't check */
    const char *starts;       /* read() starts with this (NULL: skip) */
    const char *ends;         /* read() ends with this (NULL: skip) */
} Expect;

#define MAXM 6
typedef struct {
    const char *file;
    guint count;
    Expect m[MAXM];
} ReadCase;

static const ReadCase read_cases[] = {
    { "simple.mbox", 2, {
        { "Hello", "Alice <alice@example.org>", 0, FALSE, 1704099600,
          "From: Alice <alice@example.org>\n", "\n\nFirst message.\n" },
        { "Re: Hello", "bob@example.org", 0, FALSE, 1704195000,
          "From: bob@example.org\n", "\n\nSecond message.\n" },
    } },
    { "mboxrd.mbox", 2, {
        { "quoting", NULL, 0, FALSE, -1, NULL,
          "\n\nFrom the start of a line\n>From two levels\n>>From three\nNot From here\n" },
        { "after", NULL, 0, FALSE, -1, NULL, "\n\nend\n" },
    } },
    { "false-from.mbox", 2, {
        { "false separators", NULL, 0, FALSE, -1, NULL,
          "Text\nFrom someone Mon Jan  1 10:00:00 2024\nthat line had no blank line "
          "before it.\n\nFrom the desk of the editor: no date on this line.\n" },
        { "real second", NULL, 0, FALSE, -1, NULL, "ok\n" },
    } },
    { "crlf.mbox", 2, {
        { "crlf one", "a@example.org", MSG_READ, FALSE, -1,
          "From: a@example.org\r\n", "\r\n\r\nline one\r\nline two\r\n" },
        { "crlf two", NULL, 0, FALSE, -1, NULL, "\r\n\r\nFrom quoted\r\n" },
    } },
    { "no-final-newline.mbox", 2, {
        { "one", NULL, 0, FALSE, -1, NULL, "\n\none\n" },
        { "last without newline", NULL, 0, FALSE, -1, NULL, "\n\nno newline at end" },
    } },
    { "content-length.mbox", 4, {
        { "with length", NULL, 0, FALSE, -1, NULL,
          "\nFrom x@example.org Mon Jan  1 10:00:00 2024\nstill the first message\n" },
        { "wrong length", NULL, 0, FALSE, -1, NULL, "\n\nshort\n" },
        { "bad length too", NULL, 0, FALSE, -1, NULL, "\n\nlonger than three bytes\n" },
        { "fourth", NULL, 0, FALSE, -1, NULL, "\n\nx\n" },
    } },
    { "nul-bytes.mbox", 2, {
        { "nul inside", NULL, 0, FALSE, -1, NULL, NULL },
        { "after nul", NULL, 0, FALSE, -1, NULL, "ok\n" },
    } },
    { "encoded.mbox", 1, {
        { "\xc3\xa9t\xc3\xa9 and \xc3\xa9t\xc3\xa9 folded",
          "Ren\xc3\xa9 Dupont <rene@example.org>", 0, FALSE, 1704103200, NULL, NULL },
    } },
    { "attachments.mbox", 5, {
        { "mixed", NULL, 0, TRUE, -1, NULL, NULL },
        { "disposition", NULL, 0, TRUE, -1, NULL, NULL },
        { "uuencoded", NULL, 0, TRUE, -1, NULL, NULL },
        { "alternative", NULL, 0, FALSE, -1, NULL, NULL },
        { "plain", NULL, 0, FALSE, -1, NULL, NULL },
    } },
    { "flags.mbox", 5, {
        { "new", NULL, 0, FALSE, 0, NULL, NULL },
        { "old", NULL, MSG_OLD, FALSE, -1, NULL, NULL },
        { "read", NULL, MSG_READ, FALSE, -1, NULL, NULL },
        { "replied flagged", NULL, MSG_READ | MSG_REPLIED | MSG_FLAGGED, FALSE, -1, NULL, NULL },
        { "deleted partial", NULL, MSG_DELETED | MSG_PARTIAL, FALSE, -1, NULL, NULL },
    } },
    /* Thunderbird's folder: its flags until a Status line says otherwise */
    { "thunderbird.mbox", 6, {
        { "new", NULL, 0, FALSE, -1, NULL, NULL },
        { "read", NULL, MSG_READ, FALSE, -1, NULL, NULL },
        { "read replied", NULL, MSG_READ | MSG_REPLIED, FALSE, -1, NULL, NULL },
        { "read flagged", NULL, MSG_READ | MSG_FLAGGED, FALSE, -1, NULL, NULL },
        { "deleted, not yet compacted", NULL, MSG_READ | MSG_DELETED, FALSE, -1, NULL, NULL },
        { "mutt's Status wins", NULL, MSG_OLD, FALSE, -1, NULL, NULL },
    } },
    { "leading-blank.mbox", 1, {
        { "after blank lines", NULL, 0, FALSE, -1, "From: a@", "\n\nx\n" },
    } },
    { "headers-only.mbox", 1, {
        { "no body, no blank line", NULL, 0, FALSE, -1, "From: a@",
          "Subject: no body, no blank line" },
    } },
    { "odd-from-lines.mbox", 3, {
        { "sender with spaces", NULL, 0, FALSE, -1, NULL, "\n\nx\n" },
        { "zone in the date", NULL, 0, FALSE, -1, NULL, "\n\ny\n" },
        { "empty sender", NULL, 0, FALSE, -1, NULL, "\n\nz\n" },
    } },
    { "empty.mbox", 0, { { 0 } } },
};

static char *state_dir;

static char *
data_path(const char *file)
{
    return g_build_filename(TEST_DATA_DIR, "mbox", file, NULL);
}

static void
check_folder(const ReadCase *c, StoreFolder *f)
{
    g_assert_cmpuint(store_folder_count(f), ==, c->count);
    for (guint i = 0; i < c->count; i++) {
        const Expect *e = &c->m[i];
        const StoreMessage *m = store_folder_get(f, i);
        g_test_message("%s message %u", c->file, i + 1);
        g_assert_nonnull(m);
        g_assert_cmpstr(m->subject, ==, e->subject);
        if (e->from)
            g_assert_cmpstr(m->from, ==, e->from);
        g_assert_cmphex(m->flags, ==, e->flags);
        g_assert_cmpint(m->has_attachments, ==, e->att);
        if (e->date >= 0)
            g_assert_cmpint(m->date, ==, e->date);
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) b = store_folder_read(f, i, &error);
        g_assert_no_error(error);
        gsize len;
        const char *data = g_bytes_get_data(b, &len);
        g_assert_cmpuint(m->size, >=, len);
        g_assert_false(len >= 5 && memcmp(data, "From ", 5) == 0);
        if (e->starts) {
            g_assert_cmpuint(len, >=, strlen(e->starts));
            g_assert_cmpmem(data, strlen(e->starts), e->starts, strlen(e->starts));
        }
        if (e->ends) {
            gsize el = strlen(e->ends);
            g_assert_cmpuint(len, >=, el);
            g_assert_cmpmem(data + len - el, el, e->ends, el);
        }
    }
    g_assert_null(store_folder_get(f, c->count));
}

static gboolean
collect_line(const char *line, gsize len, gpointer data, GError **error)
{
    (void)error;
    /* Each a whole line: only the last may lack its newline. */
    GString *all = data;
    g_assert_true(all->len == 0 || all->str[all->len - 1] == '\n');
    g_string_append_len(all, line, (gssize)len);
    return TRUE;
}

/* store_folder_read_lines gives exactly the bytes of store_folder_read. */
static void
check_read_lines(StoreFolder *f)
{
    for (guint i = 0; i < store_folder_count(f); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) b = store_folder_read(f, i, &error);
        g_assert_no_error(error);
        g_autoptr(GString) all = g_string_new(NULL);
        g_assert_true(store_folder_read_lines(f, i, collect_line, all, &error));
        g_assert_no_error(error);
        gsize len;
        const char *data = g_bytes_get_data(b, &len);
        g_assert_cmpmem(all->str, all->len, data, len);
    }
}

static void
test_read_case(gconstpointer p)
{
    const ReadCase *c = p;
    g_autofree char *path = data_path(c->file);
    g_autoptr(GError) error = NULL;

    /* First open scans; the second comes from the cache with the same
     * result. */
    for (int round = 0; round < 2; round++) {
        StoreFolder *f = store_folder_open(path, &error);
        g_assert_no_error(error);
        g_assert_nonnull(f);
        if (round == 1 && c->count > 0)
            g_assert_true(store_folder_loaded_from_cache(f));
        check_folder(c, f);
        check_read_lines(f);
        store_folder_close(f);
    }
}

static void
test_nul_bytes(void)
{
    g_autofree char *path = data_path("nul-bytes.mbox");
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_autoptr(GBytes) b = store_folder_read(f, 0, &error);
    g_assert_no_error(error);
    gsize len;
    const char *data = g_bytes_get_data(b, &len);
    const char want[] = "\n\nbin\0ary\0body\n";
    g_assert_cmpmem(data + len - (sizeof want - 1), sizeof want - 1, want, sizeof want - 1);
    const char hdr[] = "X-Bin: \0\1\2\n";
    g_assert_nonnull(memmem(data, len, hdr, sizeof hdr - 1));
    store_folder_close(f);
}

static void
test_long_header(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-store-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "long", NULL);
    GString *s = g_string_new("From a@example.org Mon Jan  1 10:00:00 2024\n"
                              "From: a@example.org\nSubject: long header\nX-Long: ");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(s, 'x');
    g_string_append(s, "\nReferences: <");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(s, 'r');
    g_string_append(s, "@x>\nSubject2: ");
    for (int i = 0; i < 100000; i++)
        g_string_append(s, i % 10 ? "y" : "=?");
    g_string_append(s, "\n\nbody after long header\n\n"
                       "From b@example.org Mon Jan  1 10:00:00 2024\n"
                       "From: b@example.org\nSubject: after long\n\nok\n");
    g_assert_true(g_file_set_contents(path, s->str, (gssize)s->len, NULL));

    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    g_assert_cmpstr(store_folder_get(f, 0)->subject, ==, "long header");
    g_assert_cmpuint(strlen(store_folder_get(f, 0)->references), >, 60000);
    g_assert_cmpstr(store_folder_get(f, 1)->subject, ==, "after long");
    g_autoptr(GBytes) b = store_folder_read(f, 0, &error);
    g_assert_no_error(error);
    /* The whole message survives: everything but the From_ line and the
     * separating blank line. */
    const char *first_nl = strchr(s->str, '\n');
    gsize expect = (gsize)(strstr(s->str, "\n\nFrom b@") - (first_nl + 1)) + 1;
    g_assert_cmpuint(g_bytes_get_size(b), ==, expect);
    store_folder_close(f);
    g_string_free(s, TRUE);
    unlink(path);
    g_rmdir(dir);
}

static void
test_not_mbox(void)
{
    g_autofree char *path = data_path("not-mbox.txt");
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_null(f);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_assert_nonnull(strstr(error->message, "not-mbox.txt"));
}

static void
test_missing(void)
{
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open("/nonexistent/postie/folder", &error);
    g_assert_null(f);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND);
}

static void
test_unreadable(void)
{
    if (geteuid() == 0) {
        g_test_skip("root can read any file");
        return;
    }
    g_autofree char *dir = g_dir_make_tmp("postie-store-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "secret", NULL);
    g_assert_true(g_file_set_contents(path, "", 0, NULL));
    chmod(path, 0);
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_null(f);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_IO);
    g_assert_nonnull(strstr(error->message, path));
    unlink(path);
    g_rmdir(dir);
}

/* The separator and From_ line rules on their own. */
typedef struct {
    const char *line;
    gboolean ok;
} FromCase;

static const FromCase from_cases[] = {
    { "a@b Mon Jan  1 10:00:00 2024", TRUE },
    { "a@b Mon Jan 1 10:00 2024", TRUE },
    { "MAILER-DAEMON Thu Jan  4 10:00:00 PST 2024", TRUE },
    { "\"x y\"@b  Sat Dec 31 23:59:59 1999", TRUE },
    { " Fri Jan  5 10:00:00 2024", TRUE },
    { "the desk of the editor", FALSE },
    { "a@b Mon Foo  1 10:00:00 2024", FALSE },
    { "a@b Mon Jan 123 10:00:00 2024", FALSE },
    { "a@b Mon Jan  1 10-00-00 2024", FALSE },
    { "a@b Monday", FALSE },
    { "", FALSE },
};

static void
test_from_lines(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(from_cases); i++) {
        const char *l = from_cases[i].line;
        g_test_message("From line: %s", l);
        g_assert_cmpint(store_from_line_plausible(l, strlen(l)), ==, from_cases[i].ok);
    }
}

typedef struct {
    const char *v;
    gint64 t;
} DateCase;

static const DateCase date_cases[] = {
    { "Mon, 1 Jan 2024 10:00:00 +0100", 1704099600 },
    { "1 Jan 2024 09:00:00 GMT", 1704099600 },
    { "Mon, 01 Jan 2024 04:00 -0500", 1704099600 },
    { "Mon, 1 Jan 24 09:00:00 +0000", 1704099600 },
    { "Thu, 1 Jan 1970 00:00:00 +0000", 0 },
    { "garbage", 0 },
    { "", 0 },
};

static void
test_dates(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(date_cases); i++) {
        g_test_message("date: %s", date_cases[i].v);
        g_assert_cmpint(store_parse_date(date_cases[i].v, strlen(date_cases[i].v)), ==,
                        date_cases[i].t);
    }
}

/* The layout of an index cache file (store/cache.c), to craft one. */
typedef struct {
    char magic[8];
    guint32 byte_order, count;
    guint64 dev, ino, size;
    gint64 mtime_ns, ctime_ns;
    guint64 tail_hash, strings_len;
    guint32 racy, reserved;
} CraftHeader;
typedef struct {
    guint64 offset, length, size;
    gint64 date;
    guint32 flags, attach_crypto;
    guint32 str[8];
} CraftRecord;

/* A cache whose first record starts at the third message and whose length
 * wraps around to the second one: offset + length fits the folder only
 * modulo 2^64.  It must be refused and the folder scanned again. */
static void
test_cache_wrapping_length(void)
{
    g_autofree char *path = data_path("content-length.mbox");
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);   /* writes the cache */
    g_assert_no_error(error);
    guint64 off1 = store_folder_get(f, 1)->offset;
    guint64 off2 = store_folder_get(f, 2)->offset;
    store_folder_close(f);

    g_autofree char *cache = store_cache_path(path);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(cache, &data, &len, NULL));
    CraftHeader h;
    memcpy(&h, data, sizeof h);
    g_assert_cmpmem(h.magic, 7, "POSTIDX", 7);   /* any version of this layout */
    g_assert_cmpuint(h.count, ==, 4);
    g_assert_cmpuint(len, ==, sizeof h + h.count * sizeof(CraftRecord) + h.strings_len);
    CraftRecord r;
    memcpy(&r, data + sizeof h, sizeof r);
    g_assert_cmpuint(r.offset, ==, 0);
    r.offset = off2;
    r.length = off1 - off2;             /* wraps: off2 + length == off1 */
    memcpy(data + sizeof h, &r, sizeof r);
    g_assert_true(g_file_set_contents(cache, data, (gssize)len, NULL));

    f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_count(f), ==, 4);
    const StoreMessage *m = store_folder_get(f, 0);
    g_assert_cmpuint(m->offset, ==, 0);
    g_assert_cmpuint(m->length, ==, off1);
    g_autoptr(GBytes) b = store_folder_read(f, 0, &error);
    g_assert_no_error(error);
    g_assert_nonnull(b);
    store_folder_close(f);
}

/* The decoders' fast paths (a whole UTF-8 encoded word; lists of simple
 * mailboxes) give what GMime gives; anything else still goes to GMime. */
static const struct {
    gboolean address;        /* store_decode_addresses, else _text */
    const char *raw;
    const char *want;
    gboolean same_as_gmime;  /* compare with the GMime decoder too */
} decode_cases[] = {
    { FALSE, "=?UTF-8?B?w6l0w6k=?=", "été", TRUE },
    { FALSE, "=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait", TRUE },
    { FALSE, "=?UTF-8?B?w6l0w6k?=", NULL, FALSE },           /* bad length */
    { FALSE, "=?UTF-8?B?AQID?=", NULL, TRUE },              /* control bytes */
    { FALSE, "=?UTF-8?B?/w==?=", NULL, TRUE },              /* not UTF-8 */
    { FALSE, "=?UTF-8?Q?a=ZZb?=", NULL, TRUE },             /* bad escape */
    { FALSE, "=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "éé", TRUE },  /* two words */
    { FALSE, "=?ISO-8859-1?Q?caf=E9?=", "café", TRUE },
    { FALSE, "=?UTF-8?B?w6k=?=x", NULL, TRUE },             /* word then text */
    { FALSE, "=?UTF-8?Q?_caf=C3=A9_?=", NULL, TRUE },       /* spaces at the ends */
    { FALSE, "=?UTF-8?B?PT9VVEYtOD9CP3c2az0/PQ==?=", "=?UTF-8?B?w6k=?=", TRUE },
    { TRUE, "\"Alice Ivanov\" <alice@example.com>, =?UTF-8?B?RGF2ZSBOb3bDoWs=?= <dave@example.org>, "
            "Peggy O'Brien <peggy@example.org>, bob@example.net",
      "Alice Ivanov <alice@example.com>, Dave Novák <dave@example.org>, "
      "Peggy O'Brien <peggy@example.org>, bob@example.net", TRUE },
    { TRUE, "\"Doe, John\" <john@example.org>, Jörg <jorg@example.org>",
      "\"Doe, John\" <john@example.org>, Jörg <jorg@example.org>", TRUE },
    { TRUE, "\"J. Smith\" <j@example.org>, k@example.org", NULL, TRUE },
    { TRUE, "\"a\" <a@example.org>, , b@example.org", NULL, TRUE },
    { TRUE, "friends: \"a\" <a@example.org>, b@example.org;", NULL, TRUE },
    { TRUE, "\"a <a@example.org>, b@example.org", NULL, TRUE },   /* open quote */
    { TRUE, "\"a\" <a@example.org, b@example.org", NULL, TRUE },   /* open angle */
    { TRUE, "\"a\" <>, b@example.org", NULL, TRUE },
    { TRUE, "\"a\" <a@xn--bcher-kva.example>, b@example.org", NULL, TRUE },
    /* One mailbox whose name needs its quotes to read as one mailbox. */
    { TRUE, "=?UTF-8?Q?Doe=2C_J=C3=B6rg?= <j@example.org>",
      "\"Doe, Jörg\" <j@example.org>", TRUE },
    { TRUE, "\"J. Smith\" <j@example.org>", "\"J. Smith\" <j@example.org>", TRUE },
    { TRUE, "\"Doe, John\" <john@example.org>", "\"Doe, John\" <john@example.org>", TRUE },
    { TRUE, "=?UTF-8?B?RGF2ZSBOb3bDoWs=?= <dave@example.org>", "Dave Novák <dave@example.org>", TRUE },
    { TRUE, "=?UTF-8?Q?a=28b=29?= <ab@example.org>", "\"a(b)\" <ab@example.org>", TRUE },
};

static void
test_decode_fast_paths(void)
{
    GStringChunk *strings = g_string_chunk_new(1024);
    for (gsize i = 0; i < G_N_ELEMENTS(decode_cases); i++) {
        const char *raw = decode_cases[i].raw;
        gsize len = strlen(raw);
        const char *got = decode_cases[i].address ?
                          store_decode_addresses(strings, raw, len) :
                          store_decode_text(strings, raw, len);
        g_assert_nonnull(got);
        g_assert_true(g_utf8_validate(got, -1, NULL));
        if (decode_cases[i].want)
            g_assert_cmpstr(got, ==, decode_cases[i].want);
        if (decode_cases[i].same_as_gmime) {
            g_autofree char *slow = decode_cases[i].address ?
                                    mime_address_list_display(raw) :
                                    mime_header_decode_text(raw);
            g_autofree char *valid = g_utf8_make_valid(slow ? slow : "", -1);
            g_assert_cmpstr(got, ==, valid);
        }
    }
    g_string_chunk_free(strings);
}

int
main(int argc, char **argv)
{
    /* A private state directory for the index cache. */
    state_dir = g_dir_make_tmp("postie-state-XXXXXX", NULL);
    g_setenv("XDG_STATE_HOME", state_dir, TRUE);
    g_test_init(&argc, &argv, NULL);
    store_cache_set_min_size(0);      /* the cache of every folder */
    for (gsize i = 0; i < G_N_ELEMENTS(read_cases); i++) {
        g_autofree char *name = g_strdup_printf("/store/read/%s", read_cases[i].file);
        g_test_add_data_func(name, &read_cases[i], test_read_case);
    }
    g_test_add_func("/store/read/nul-bytes-kept", test_nul_bytes);
    g_test_add_func("/store/read/long-header", test_long_header);
    g_test_add_func("/store/read/not-mbox", test_not_mbox);
    g_test_add_func("/store/read/missing", test_missing);
    g_test_add_func("/store/read/unreadable", test_unreadable);
    g_test_add_func("/store/read/from-lines", test_from_lines);
    g_test_add_func("/store/read/dates", test_dates);
    g_test_add_func("/store/read/cache-wrapping-length", test_cache_wrapping_length);
    g_test_add_func("/store/read/decode-fast-paths", test_decode_fast_paths);
    int rc = g_test_run();
    /* Remove the cache files we made. */
    g_autofree char *idx = g_build_filename(state_dir, "postie", "index", NULL);
    GDir *d = g_dir_open(idx, 0, NULL);
    if (d) {
        const char *n;
        while ((n = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(idx, n, NULL);
            unlink(p);
        }
        g_dir_close(d);
    }
    g_rmdir(idx);
    g_autofree char *pd = g_build_filename(state_dir, "postie", NULL);
    g_rmdir(pd);
    g_rmdir(state_dir);
    return rc;
}
