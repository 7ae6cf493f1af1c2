/* Unit tests for util/: terminal-safe text, widths, atomic files. */
#include <config.h>

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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

/* The signal mask FIELD ("SigIgn", "SigBlk") of /proc/self/status of a
 * child started with CHILD_SETUP. */
static guint64
child_signal_mask(GSpawnChildSetupFunc child_setup, const char *field)
{
    g_autofree char *expr = g_strdup_printf("s/^%s:[[:space:]]*//p", field);
    char *argv[] = { (char *)"sed", (char *)"-n", expr, (char *)"/proc/self/status", NULL };
    g_autofree char *out = NULL;
    int status = 0;
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, child_setup, NULL,
                               &out, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    return g_ascii_strtoull(g_strstrip(out), NULL, 16);
}

/* Does a child started with CHILD_SETUP while SIGPIPE is ignored here
 * have SIGPIPE (bit 13) ignored? */
static gboolean
child_ignores_sigpipe(GSpawnChildSetupFunc child_setup)
{
    guint64 mask = child_signal_mask(child_setup, "SigIgn");
    return (mask & (G_GUINT64_CONSTANT(1) << (SIGPIPE - 1))) != 0;
}

/* postie ignores SIGPIPE; its children must not.  (GLib 2.74 resets it
 * in g_spawn children by itself; the helper does not rely on that.) */
static void
test_child_setup(void)
{
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    g_assert_false(child_ignores_sigpipe(spawn_child_setup));
    spawn_child_setup(NULL);
    struct sigaction sa;
    g_assert_cmpint(sigaction(SIGPIPE, NULL, &sa), ==, 0);
    g_assert_true(sa.sa_handler == SIG_DFL);
    signal(SIGPIPE, old);

    /* The screen's worker threads block SIGTERM, SIGINT and SIGHUP; a
     * helper one of them starts (password_command) must not.  (GLib 2.74
     * passes the mask on to its children.) */
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    guint64 blocked = child_signal_mask(spawn_child_setup, "SigBlk");
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    g_assert_cmphex(blocked, ==, 0);
}

/* In a child process, as it changes the process for good. */
static void
test_protect_process(void)
{
    if (g_test_subprocess()) {
        secrets_protect_process();
        struct rlimit rl;
        g_assert_cmpint(getrlimit(RLIMIT_CORE, &rl), ==, 0);
        g_assert_cmpuint(rl.rlim_cur, ==, 0);
        g_assert_cmpuint(rl.rlim_max, ==, 0);
        g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static void
test_secret_free(void)
{
    char buf[] = "hunter2";
    secret_wipe(buf);
    g_assert_cmpmem(buf, sizeof buf, "\0\0\0\0\0\0\0", sizeof buf);
    secret_wipe(NULL);
    secret_free(NULL);
    secret_free(g_strdup("x"));
    secret_auto char *s = g_strdup("scoped");
    g_assert_cmpstr(s, ==, "scoped");
}

static void
test_sasl_cram_md5(void)
{
    /* RFC 2195 section 2 (the challenge ends in mci.net) */
    gsize n = 0;
    g_autofree guchar *ch = g_base64_decode(
        "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", &n);
    g_assert_cmpmem(ch, n, "<1896.697170952@postoffice.reston.mci.net>", 42);
    g_autofree char *b = sasl_cram_md5("tim", "tanstaaftanstaaf", ch, n);
    /* base64 of "tim b913a602c7eda7a495b4e6e7334d3890" */
    g_assert_cmpstr(b, ==, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}

static void
test_sasl_messages(void)
{
    g_autofree char *p = sasl_plain("tim", "tanstaaf");
    gsize n = 0;
    g_autofree guchar *d = g_base64_decode(p, &n);
    g_assert_cmpmem(d, n, "\0tim\0tanstaaf", 13);

    g_autofree char *x = sasl_xoauth2("someuser@example.com", "ya29.vF9dft4");
    g_autofree guchar *xd = g_base64_decode(x, &n);
    const char want_x[] = "user=someuser@example.com\001auth=Bearer ya29.vF9dft4\001\001";
    g_assert_cmpmem(xd, n, want_x, sizeof want_x - 1);

    g_autofree char *o = sasl_oauthbearer("a,b=c@x", "pop.example", 995, "T");
    g_autofree guchar *od = g_base64_decode(o, &n);
    const char want_o[] = "n,a=a=2Cb=3Dc@x,\001host=pop.example\001port=995\001auth=Bearer T\001\001";
    g_assert_cmpmem(od, n, want_o, sizeof want_o - 1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_test_add_func("/util/term_safe", test_term_safe);
    g_test_add_func("/util/term_width", test_term_width);
    g_test_add_func("/util/atomic_write", test_atomic_write);
    g_test_add_func("/util/spawn/child-setup", test_child_setup);
    g_test_add_func("/util/secrets/protect-process", test_protect_process);
    g_test_add_func("/util/secrets/wipe", test_secret_free);
    g_test_add_func("/util/sasl/cram-md5", test_sasl_cram_md5);
    g_test_add_func("/util/sasl/messages", test_sasl_messages);
    return g_test_run();
}
