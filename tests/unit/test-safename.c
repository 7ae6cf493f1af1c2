/* safe_name and safe_create: attachment names from strangers. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/safename.h"
#include "util/util.h"

typedef struct {
    const char *in;
    const char *out;
} NameCase;

static const NameCase cases[] = {
    { "report.pdf", "report.pdf" },
    { "../../etc/passwd", "passwd" },
    { "/absolute/path.txt", "path.txt" },
    { "C:\\Users\\x\\doc.docx", "doc.docx" },
    { "..", "attachment" },
    { ".", "attachment" },
    { "...", "attachment" },
    { ".bashrc", "bashrc" },
    { "  . hidden", "hidden" },
    { "trailing dots...", "trailing dots" },
    { "a..b.txt", "a..b.txt" },
    { "", "attachment" },
    { "dir/", "attachment" },
    { "esc\x1b[2Jname", "esc_[2Jname" },
    { "new\nline\r.txt", "new_line_.txt" },
    { "tab\tname", "tab_name" },
    { "c1 \xc2\x9b" "31m", "c1 _31m" },
    { "bidi \xe2\x80\xae" "fdp.exe", "bidi _fdp.exe" },
    { "bad \xff utf8", "bad _ utf8" },
    { "colon:stream", "colon_stream" },
    { "\xe6\x97\xa5\xe6\x9c\xac.txt", "\xe6\x97\xa5\xe6\x9c\xac.txt" },
    { "del\x7f", "del_" },
};

static void
test_names(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = safe_name(cases[i].in, NULL);
        g_assert_cmpstr(got, ==, cases[i].out);
    }
    g_autofree char *null = safe_name(NULL, "fallback.bin");
    g_assert_cmpstr(null, ==, "fallback.bin");
}

static void
test_long_names(void)
{
    /* Long ASCII: cut, extension kept. */
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 300; i++)
        g_string_append_c(s, 'a');
    g_string_append(s, ".pdf");
    g_autofree char *got = safe_name(s->str, NULL);
    g_assert_cmpuint(strlen(got), ==, SAFE_NAME_MAX);
    g_assert_true(g_str_has_suffix(got, "aaa.pdf"));
    /* Long multibyte: cut on a character boundary. */
    g_string_truncate(s, 0);
    for (int i = 0; i < 150; i++)
        g_string_append(s, "\xe6\x97\xa5");
    g_autofree char *wide = safe_name(s->str, NULL);
    g_assert_cmpuint(strlen(wide), <=, SAFE_NAME_MAX);
    g_assert_true(g_utf8_validate(wide, -1, NULL));
    g_assert_cmpuint(strlen(wide) % 3, ==, 0);
    g_string_free(s, TRUE);
}

static void
test_create_unique(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-safename-XXXXXX", NULL);
    g_assert_nonnull(dir);
    const char *want[] = { "a.txt", "a (1).txt", "a (2).txt" };
    for (int i = 0; i < 3; i++) {
        char *path = NULL;
        int fd = safe_create(dir, "a.txt", &path, NULL);
        g_assert_cmpint(fd, >=, 0);
        close(fd);
        g_autofree char *base = g_path_get_basename(path);
        g_assert_cmpstr(base, ==, want[i]);
        struct stat st;
        g_assert_cmpint(stat(path, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
        g_free(path);
    }
    /* A symlink planted under the name is never followed or replaced. */
    g_autofree char *target = g_build_filename(dir, "target", NULL);
    g_autofree char *link = g_build_filename(dir, "b", NULL);
    g_assert_cmpint(symlink(target, link), ==, 0);
    char *path = NULL;
    int fd = safe_create(dir, "b", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_str_has_suffix(path, "/b (1)"));
    g_assert_false(g_file_test(target, G_FILE_TEST_EXISTS));
    g_free(path);
    /* No extension, and a name that is all extension. */
    fd = safe_create(dir, "b", &path, NULL);
    close(fd);
    g_assert_true(g_str_has_suffix(path, "/b (2)"));
    g_free(path);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/safename/names", test_names);
    g_test_add_func("/safename/long", test_long_names);
    g_test_add_func("/safename/create-unique", test_create_unique);
    return g_test_run();
}
