/* The viewer against the corpus in tests/data/mime: each NAME.eml has the
 * text the pager must show in NAME.expected and, when it has attachments,
 * one line per attachment in NAME.attachments:
 *     index|type|size|damaged|uuencoded|display name|md5 of the data
 * Run with --regen to rewrite the expected files after a deliberate
 * change (and then read the diff). */
#include <config.h>

#include <string.h>

#include "mime/mime.h"
#include "util/util.h"

static const char *const corpus[] = {
    "rfc2047-good", "rfc2047-malformed", "header-8bit",
    /* crypto parts with headers but no body: GMime 3.2.13 must never see
     * them (it writes their missing content: a CRITICAL) */
    "crypto-encrypted-bodiless", "crypto-signed-bodiless", "crypto-pkcs7-bodiless",
    "charset-latin1-qp", "charset-unknown", "charset-missing", "charset-mislabelled",
    "charset-koi8", "base64-utf8", "invalid-utf8",
    "flowed", "flowed-delsp",
    "alternative", "alternative-html-only", "html",
    "nested-rfc822", "rfc2231-names",
    "uu-inline", "uu-multiple", "uu-damaged", "uu-cte",
    "escapes", "no-body",
    "broken-no-boundary", "broken-type-text", "broken-headers-into-body",
    "broken-no-headers", "html-unclosed-head", "uu-stripped",
    "broken-alternative-no-boundary", "broken-inner-no-boundary", "uu-nameless",
    "report-inline-text",
    "outlook-invite", "related-alternative-mixed", "inline-named-text", "rfc822-base64",
    "tnef",
};

static gboolean regen;

static char *
data_path(const char *name, const char *ext)
{
    return g_strdup_printf("%s/mime/%s%s", TEST_DATA_DIR, name, ext);
}

static GBytes *
load(const char *name)
{
    g_autofree char *path = data_path(name, ".eml");
    char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    return g_bytes_new_take(data, len);
}

static char *
attachment_table(const MimeView *v)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < v->attachments->len; i++) {
        const MimeAttachment *a = v->attachments->pdata[i];
        g_autofree char *md5 = g_compute_checksum_for_bytes(G_CHECKSUM_MD5, a->data);
        g_string_append_printf(s, "%u|%s|%" G_GSIZE_FORMAT "|%d|%d|%s|%s\n", a->index,
                               a->content_type, a->size, a->damaged, a->uuencoded,
                               a->display_name, md5);
    }
    return g_string_free(s, FALSE);
}

/* Nothing a terminal would act on: valid UTF-8 and no controls but '\n'. */
static void
assert_terminal_safe(const char *text)
{
    g_assert_true(g_utf8_validate(text, -1, NULL));
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n')
            continue;
        g_assert_false(g_unichar_iscntrl(c));
        g_assert_true(c != 0x202E && c != 0x202D);
    }
}

static void
check_file(const char *name, const char *ext, const char *got)
{
    g_autofree char *path = data_path(name, ext);
    if (regen) {
        if (*got || g_str_equal(ext, ".expected"))
            g_assert_true(g_file_set_contents(path, got, -1, NULL));
        return;
    }
    g_autofree char *want = NULL;
    if (!g_file_get_contents(path, &want, NULL, NULL))
        want = g_strdup("");
    if (g_strcmp0(want, got) != 0)
        g_test_message("%s%s differs; got:\n%s", name, ext, got);
    g_assert_cmpstr(got, ==, want);
}

static void
test_corpus_case(gconstpointer data)
{
    const char *name = data;
    g_autoptr(GBytes) raw = load(name);
    MimeViewOptions opts = { NULL, NULL, TRUE };
    g_autoptr(GError) error = NULL;
    g_autoptr(MimeView) v = mime_view_new(raw, &opts, &error);
    g_assert_no_error(error);
    g_autofree char *text = mime_view_to_text(v);
    assert_terminal_safe(text);
    for (guint i = 0; i < v->lines->len; i++)
        assert_terminal_safe(v->lines->pdata[i]);
    for (guint i = 0; i < v->headers->len; i++)
        assert_terminal_safe(((MimeHeader *)v->headers->pdata[i])->value);
    check_file(name, ".expected", text);
    g_autofree char *table = attachment_table(v);
    assert_terminal_safe(table);
    check_file(name, ".attachments", table);
}

static void
test_empty_input(void)
{
    g_autoptr(GBytes) raw = g_bytes_new("", 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(MimeView) v = mime_view_new(raw, NULL, &error);
    g_assert_null(v);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
}

/* Structured form: the screen gets headers and lines apart. */
static void
test_structured(void)
{
    g_autoptr(GBytes) raw = load("rfc2047-good");
    g_autoptr(MimeView) v = mime_view_new(raw, NULL, NULL);
    g_assert_nonnull(v);
    g_assert_cmpuint(v->headers->len, ==, 5);
    MimeHeader *subject = v->headers->pdata[4];
    g_assert_cmpstr(subject->name, ==, "Subject");
    g_assert_cmpstr(subject->value, ==, "Gr\xC3\xBC\xC3\x9F" "e und S\xC3\xBC\xC3\x9F" "es");
    g_assert_cmpuint(v->lines->len, ==, 1);
    g_assert_cmpstr(v->lines->pdata[0], ==, "Hello.");
}

/* The raw attachment name keeps what was sent (for the saver to clean);
 * only the display name is made safe. */
static void
test_raw_name_kept(void)
{
    g_autoptr(GBytes) raw = load("escapes");
    g_autoptr(MimeView) v = mime_view_new(raw, NULL, NULL);
    MimeAttachment *a = v->attachments->pdata[0];
    g_assert_cmpstr(a->name, ==, "../../evil\x1b[2J.sh");
    g_assert_cmpstr(a->display_name, ==, "../../evil^[[2J.sh");
}

int
main(int argc, char **argv)
{
    mime_init();
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--regen") == 0)
            regen = TRUE;
    if (regen) {
        for (gsize i = 0; i < G_N_ELEMENTS(corpus); i++)
            test_corpus_case(corpus[i]);
        return 0;
    }
    g_test_init(&argc, &argv, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(corpus); i++) {
        g_autofree char *path = g_strdup_printf("/mime/view/%s", corpus[i]);
        g_test_add_data_func(path, corpus[i], test_corpus_case);
    }
    g_test_add_func("/mime/view/empty", test_empty_input);
    g_test_add_func("/mime/view/structured", test_structured);
    g_test_add_func("/mime/view/raw-name", test_raw_name_kept);
    return g_test_run();
}
