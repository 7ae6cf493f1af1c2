/* Unit tests for util/: terminal-safe text, widths, atomic files. */
#include <config.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

typedef struct {
    const char *in;
    TermSafeFlags flags;
    const char *out;
} SafeCase;

static const SafeCase safe_cases[] = {
    { "plain text", 0, "plain text" },
    { "\x1b[31mred\x1b[0m", 0, "^[[31mred^[[0m" },
    { "bell\a", 0, "bell^G" },
    { "del\x7f", 0, "del^?" },
    { "tab\there", 0, "tab here" },
    { "tab\there", TERM_SAFE_KEEP_TABS, "tab\there" },
    { "two\nlines", 0, "two^Jlines" },
    { "two\nlines", TERM_SAFE_KEEP_NEWLINES, "two\nlines" },
    { "crlf\r\nend", TERM_SAFE_KEEP_NEWLINES, "crlf\nend" },
    { "cr\rover", TERM_SAFE_KEEP_NEWLINES, "cr^Mover" },
    { "csi \xc2\x9b" "31m", 0, "csi <U+009B>31m" },          /* C1 CSI */
    { "bad \xff\xfe byte", 0, "bad \xEF\xBF\xBD\xEF\xBF\xBD byte" },
    { "caf\xc3\xa9 \xe6\x97\xa5", 0, "caf\xc3\xa9 \xe6\x97\xa5" },
    { "rlo \xe2\x80\xae" "txt", 0, "rlo <U+202E>txt" },
    { "trunc \xe6\x97", 0, "trunc \xEF\xBF\xBD\xEF\xBF\xBD" },
};

static void
test_term_safe(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(safe_cases); i++) {
        g_autofree char *got = term_safe(safe_cases[i].in, -1, safe_cases[i].flags);
        g_assert_cmpstr(got, ==, safe_cases[i].out);
        g_assert_true(g_utf8_validate(got, -1, NULL));
    }
    /* Embedded NUL with an explicit length. */
    g_autofree char *nul = term_safe("a\0b", 3, 0);
    g_assert_cmpstr(nul, ==, "a^@b");
}

static void
test_term_width(void)
{
    g_assert_cmpuint(term_width("abc"), ==, 3);
    g_assert_cmpuint(term_width("\xe6\x97\xa5\xe6\x9c\xac"), ==, 4);   /* 日本 */
    g_assert_cmpuint(term_width("e\xcc\x81"), ==, 1);                   /* e + U+0301 */
}

static void
test_atomic_write(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-util-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "file", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true(atomic_write_file(path, "one", 3, 0600, &error));
    g_assert_no_error(error);
    g_assert_true(atomic_write_file(path, "two!", 4, 0600, &error));
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "two!");
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    /* Only the file remains: no temporary left behind. */
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    int n = 0;
    while (g_dir_read_name(d))
        n++;
    g_assert_cmpint(n, ==, 1);

    /* Failure names the path and leaves nothing. */
    g_autofree char *bad = g_build_filename(dir, "missing", "file", NULL);
    g_assert_false(atomic_write_file(bad, "x", 1, 0600, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(error->message, "missing"));

    unlink(path);
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_test_add_func("/util/term_safe", test_term_safe);
    g_test_add_func("/util/term_width", test_term_width);
    g_test_add_func("/util/atomic_write", test_atomic_write);
    return g_test_run();
}
