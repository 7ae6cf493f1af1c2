/* Unit tests for search/: the pattern parser (one table row per text,
 * accepted or refused with the reason) and matching over
 * tests/data/search/patterns.mbox (one row per pattern, the message
 * numbers it must select). */
#include <config.h>

#include <string.h>
#include <glib/gstdio.h>

#include "mime/mime.h"
#include "search/pattern.h"
#include "search/private.h"
#include "util/util.h"

/* 2025-02-10 12:00:00 UTC: "now" for relative dates. */
#define NOW G_GINT64_CONSTANT(1739188800)

typedef struct {
    const char *text;
    const char *error;        /* NULL: must parse; else part of the message */
} ParseCase;

static const ParseCase parse_cases[] = {
    { "budget", NULL },
    { "~A", NULL },
    { "!~A", NULL },
    { "~f alice ~s budget", NULL },
    { "~f alice | ~f bob", NULL },
    { "(~f alice | ~f bob) !~D", NULL },
    { "~s \"two words\"", NULL },
    { "~s 'it\\'s'", NULL },
    { "~d 01/01/2024-31/12/2024", NULL },
    { "~d -31/12/23", NULL },
    { "~d 1/2-", NULL },
    { "~d <3d", NULL },
    { "~d >2w", NULL },
    { "~d =1m", NULL },
    { "~z <10K", NULL },
    { "~z 1M-", NULL },
    { "~z 100-2000", NULL },
    { "~", "was expected" },
    { "~x", "~f ~t" },
    { "(~A", "')' was expected" },
    { "~A)", "')' without '('" },
    { "~s", "an argument was expected" },
    { "~s )", NULL },
    { "(~s )", "an argument was expected" },
    { "~s \"open", "closing quote" },
    { "~d 32/01/2024", "a date" },
    { "~d 30/02/2024", "no such day" },
    { "~d 5/13", "a month" },
    { "~d 31/12/2024-01/01/2024", "ends before it starts" },
    { "~d <3q", "a unit" },
    { "~z abc", "a size" },
    { "~z 10-5", "ends before it starts" },
    { "~z 99999999999999999999M", "a size" },
    { "~A |", "the pattern ends too early" },
    { "~A foo", "a pattern" },
    { "   ", "empty" },
};

static void
test_parse(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
        const ParseCase *c = &parse_cases[i];
        GError *error = NULL;
        Pattern *p = pattern_parse(c->text, NOW, &error);
        if (!c->error) {
            if (!p)
                g_error("\"%s\": %s", c->text, error->message);
            pattern_free(p);
        } else {
            if (p)
                g_error("\"%s\" parsed; wanted an error with \"%s\"", c->text, c->error);
            if (!strstr(error->message, c->error))
                g_error("\"%s\": \"%s\" lacks \"%s\"", c->text, error->message, c->error);
            g_error_free(error);
        }
    }
}

static void
test_deep_nesting(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 100000; i++)
        g_string_append_c(s, '(');
    g_string_append(s, "~A");
    GError *error = NULL;
    g_assert_null(pattern_parse(s->str, NOW, &error));
    g_assert_nonnull(strstr(error->message, "nested"));
    g_error_free(error);
    g_string_free(s, TRUE);
}

typedef struct {
    const char *text;
    const char *want;         /* message numbers, 1-based, "1,3"; "" none */
} MatchCase;

static const MatchCase match_cases[] = {
    { "budget", "1" },
    { "GRACE", "" },                  /* upper case: case-sensitive */
    { "Grace", "5" },
    { "~s holiday", "2" },
    { "~s Holiday", "2" },
    { "~s HOLIDAY", "" },
    { "~f carol | ~f eve", "2,3" },
    { "~t bob", "1,2,3,4,5,6,7" },
    { "~c dave", "2" },
    { "!~A", "" },
    { "!(~f alice)", "2,3,4,5,6,7" },
    { "(~f alice | ~f eve) ~U", "3" },
    { "~N", "2,5" },
    { "~O", "3" },
    { "~U", "2,3,5" },
    { "~R", "1,4,6,7" },
    { "~F", "3" },
    { "~D", "4" },
    { "~T", "2,6" },
    { "~T !~R", "2" },
    /* decoded body text */
    { "~b quarterly", "1" },
    { "~b zebracrossing", "2" },      /* quoted-printable soft break */
    { "~b café", "2" },
    { "~b CAFÉ", "" },
    { "~b zebra", "2" },              /* not the base64 attachment of 3 */
    { "~b zebramail", "" },           /* only in a header */
    { "~b \"big sale\"", "4" },       /* HTML, tags dropped */
    { "~b grüße", "5" },              /* ISO-8859-1 */
    { "~b GRÜSSE", "" },
    { "~b otter", "6" },              /* base64 text */
    { "~b walrus", "7" },             /* multipart, plain part */
    { "~b \">from the desk\"", "" },  /* the mboxrd quote is not text */
    { "~b \"from the desk\"", "1" },
    { "~b nowhere-at-all", "" },
    /* raw bytes */
    { "~B otter", "" },
    { "~B zebramail", "4" },
    { "~B caf=c3=a9", "2" },
    { "~h zebramail", "4" },
    { "~h quarterly", "" },
    { "~h \"x-status: d\"", "4" },
    /* dates (UTC) and sizes */
    { "~d 01/01/2024-31/12/2024", "1,2,5" },
    { "~d -31/12/2023", "4,6" },
    { "~d 02/02/2025", "3" },
    { "~d 2/2/25-", "3,7" },
    { "~d <30d", "3,7" },
    { "~d >1y", "1,4,6" },
    { "~z 0-", "1,2,3,4,5,6,7" },
    { "~z >100000", "" },
    { "~z -1", "" },
    { "~b secret | ~b walrus", "2,6,7" },
    { "~b secret ~f heidi", "6" },
};

static char *
matches(Pattern *p, StoreFolder *f, const guint8 *tagged)
{
    PatternTarget t = { .folder = f, .tagged = tagged, .generation = 1 };
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < store_folder_count(f); i++) {
        GError *error = NULL;
        gboolean hit = pattern_match(p, &t, i, &error);
        g_assert_no_error(error);
        if (hit)
            g_string_append_printf(s, "%s%u", s->len ? "," : "", i + 1);
    }
    return g_string_free(s, FALSE);
}

static void
test_match(void)
{
    g_autofree char *path = g_build_filename(TEST_DATA_DIR, "search", "patterns.mbox", NULL);
    GError *error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(store_folder_count(f), ==, 7);
    guint8 tagged[7] = { 0, 1, 0, 0, 0, 1, 0 };
    for (gsize i = 0; i < G_N_ELEMENTS(match_cases); i++) {
        const MatchCase *c = &match_cases[i];
        Pattern *p = pattern_parse(c->text, NOW, &error);
        if (!p)
            g_error("\"%s\": %s", c->text, error->message);
        g_autofree char *got = matches(p, f, tagged);
        if (strcmp(got, c->want))
            g_error("\"%s\": matched \"%s\", wanted \"%s\"", c->text, got, c->want);
        /* the cached text results give the same answer again */
        g_autofree char *again = matches(p, f, tagged);
        g_assert_cmpstr(again, ==, got);
        pattern_free(p);
    }
    store_folder_close(f);
}

static void
test_find(void)
{
    static const struct { const char *hay, *needle; gboolean icase; int at; } cases[] = {
        { "hello world", "world", TRUE, 6 },
        { "hello WORLD", "world", TRUE, 6 },
        { "hello WORLD", "world", FALSE, -1 },
        { "hello WORLD", "WORLD", FALSE, 6 },
        { "aaaab", "aab", TRUE, 2 },
        { "ab", "abc", TRUE, -1 },
        { "", "a", TRUE, -1 },
        { "xyz", "z", TRUE, 2 },
        { "Zz", "zz", TRUE, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *hay = cases[i].hay;
        const char *r = bodyscan_find(hay, strlen(hay), cases[i].needle,
                                      strlen(cases[i].needle), cases[i].icase);
        g_assert_cmpint(r ? (int)(r - hay) : -1, ==, cases[i].at);
    }
}

static void
test_missing_folder(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-pattern-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "f", NULL);
    static const char msg[] = "From: a@b\nSubject: x\n\nbody text\n";
    GError *error = NULL;
    g_assert_true(store_append(path, msg, sizeof msg - 1, 0, &error));
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_cmpint(g_unlink(path), ==, 0);
    /* The folder went away: the scan says so once, and matches nothing. */
    Pattern *p = pattern_parse("~b body", NOW, &error);
    PatternTarget t = { .folder = f, .generation = 1 };
    g_assert_false(pattern_match(p, &t, 0, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "Cannot search"));
    g_clear_error(&error);
    pattern_free(p);
    store_folder_close(f);
    g_rmdir(dir);
}

/* Needles without case (CJK) are looked for by their bytes; text in
 * another charset is still decoded. */
static void
test_caseless(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-pattern-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "f", NULL);
    static const char *const msgs[] = {
        "From: a@b\nSubject: one\nContent-Type: text/plain; charset=utf-8\n\n"
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\n",
        "From: a@b\nSubject: two\nContent-Type: text/plain; charset=utf-8\n\nplain\n",
        "From: a@b\nSubject: three\nContent-Type: text/plain; charset=iso-2022-jp\n\n"
        "\x1b$BF|K\\8l\x1b(B\n",
    };
    GError *error = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(msgs); i++)
        g_assert_true(store_append(path, msgs[i], strlen(msgs[i]), 0, &error));
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    Pattern *p = pattern_parse("~b \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", NOW, &error);
    g_assert_no_error(error);
    g_autofree char *got = matches(p, f, NULL);
    g_assert_cmpstr(got, ==, "1,3");
    pattern_free(p);
    store_folder_close(f);
    g_unlink(path);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_setenv("TZ", "UTC", TRUE);
    g_autofree char *state = g_dir_make_tmp("postie-pattern-state-XXXXXX", NULL);
    g_setenv("XDG_STATE_HOME", state, TRUE);
    g_test_init(&argc, &argv, NULL);
    mime_init();
    g_test_add_func("/pattern/parse", test_parse);
    g_test_add_func("/pattern/deep-nesting", test_deep_nesting);
    g_test_add_func("/pattern/match", test_match);
    g_test_add_func("/pattern/find", test_find);
    g_test_add_func("/pattern/missing-folder", test_missing_folder);
    g_test_add_func("/pattern/caseless", test_caseless);
    int rc = g_test_run();
    /* the index cache of the test folder */
    g_autofree char *index = g_build_filename(state, "postie", "index", NULL);
    GDir *d = g_dir_open(index, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(index, name, NULL);
        g_unlink(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(index);
    g_autofree char *pd = g_build_filename(state, "postie", NULL);
    g_rmdir(pd);
    g_rmdir(state);
    return rc;
}
