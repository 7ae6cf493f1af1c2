/* Unit tests for store/ writing: appending, locking, flags, expunge, the
 * index cache, folder directory operations, copy and move. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "store/store.h"
#include "store/private.h"
#include "util/util.h"

static char *state_dir;

typedef struct {
    char *dir;
    char *path;
} Fixture;

static void
fx_setup(Fixture *fx, gconstpointer data)
{
    (void)data;
    fx->dir = g_dir_make_tmp("postie-store-XXXXXX", NULL);
    fx->path = g_build_filename(fx->dir, "Inbox", NULL);
    store_set_lock_timeout(20);
}

static void
rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        const char *n;
        while ((n = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(dir, n, NULL);
            if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
                rm_rf(p);
            else
                unlink(p);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
}

static void
fx_teardown(Fixture *fx, gconstpointer data)
{
    (void)data;
    rm_rf(fx->dir);
    g_free(fx->dir);
    g_free(fx->path);
}

static char *
make_message(int n, const char *extra_body)
{
    return g_strdup_printf("From: Sender %d <sender%d@example.org>\n"
                           "To: me@example.org\n"
                           "Subject: message %d\n"
                           "Date: Mon, 1 Jan 2024 10:00:%02d +0000\n"
                           "Message-ID: <%d@example.org>\n"
                           "\n"
                           "Body of message %d.\n%s",
                           n, n, n, n % 60, n, n, extra_body ? extra_body : "");
}

static void
append_n(const char *path, int first, int count)
{
    g_autoptr(GError) error = NULL;
    StoreAppender *a = store_appender_open(path, &error);
    g_assert_no_error(error);
    for (int i = first; i < first + count; i++) {
        g_autofree char *m = make_message(i, NULL);
        g_assert_true(store_appender_add(a, m, strlen(m), 0, &error));
        g_assert_no_error(error);
    }
    g_assert_true(store_appender_close(a, &error));
    g_assert_no_error(error);
}

static StoreFolder *
open_ok(const char *path)
{
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_nonnull(f);
    return f;
}

static char *
read_string(StoreFolder *f, guint i)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) b = store_folder_read(f, i, &error);
    g_assert_no_error(error);
    gsize len;
    const char *d = g_bytes_get_data(b, &len);
    return g_strndup(d, len);
}

static char *
file_contents(const char *path)
{
    char *s = NULL;
    g_assert_true(g_file_get_contents(path, &s, NULL, NULL));
    return s;
}

static void wait_settled(const char *path);

/* ---- append ------------------------------------------------------------ */

static void
test_append_roundtrip(Fixture *fx, gconstpointer data)
{
    (void)data;
    static const char *const bodies[] = {
        "From the start\n>From quoted once\n>>From twice\nFrom: not a header\n",
        "",
        "no final newline",
    };
    g_autoptr(GError) error = NULL;
    StoreAppender *a = store_appender_open(fx->path, &error);
    g_assert_no_error(error);
    for (int i = 0; i < 3; i++) {
        g_autofree char *m = make_message(i, bodies[i]);
        g_assert_true(store_appender_add(a, m, strlen(m), i == 1 ? MSG_READ | MSG_FLAGGED : 0, &error));
    }
    /* CRLF input becomes LF; a given From_ line and old flag headers are
     * replaced. */
    const char crlf[] = "From old@sender Mon Jan  1 10:00:00 2024\r\n"
                        "Return-Path: <bounce@example.org>\r\n"
                        "Status: RO\r\nX-Status: D\r\nContent-Length: 9999\r\n"
                        "Subject: crlf\r\n\r\nline\r\nFrom me\r\n";
    g_assert_true(store_appender_add(a, crlf, strlen(crlf), MSG_REPLIED, &error));
    g_assert_true(store_appender_close(a, &error));
    g_assert_no_error(error);

    struct stat st;
    g_assert_cmpint(stat(fx->path, &st), ==, 0);
    g_assert_cmpuint(st.st_mode & 0777, ==, 0600);

    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 4);
    for (int i = 0; i < 3; i++) {
        g_autofree char *want = make_message(i, bodies[i]);
        g_autofree char *got = read_string(f, (guint)i);
        if (i == 2) {
            /* A newline is added so the next From_ line can follow. */
            g_autofree char *w2 = g_strconcat(want, "\n", NULL);
            g_assert_cmpstr(got, ==, w2);
        } else if (i == 1) {
            g_assert_nonnull(strstr(got, "\nStatus: RO\nX-Status: F\n\n"));
        } else {
            g_assert_cmpstr(got, ==, want);
        }
    }
    g_assert_cmphex(store_folder_get(f, 1)->flags, ==, MSG_READ | MSG_FLAGGED);
    g_assert_cmpstr(store_folder_get(f, 0)->subject, ==, "message 0");
    g_autofree char *got = read_string(f, 3);
    g_assert_cmpstr(got, ==, "Return-Path: <bounce@example.org>\nSubject: crlf\n"
                             "X-Status: A\n\nline\nFrom me\n");
    g_assert_cmphex(store_folder_get(f, 3)->flags, ==, MSG_REPLIED);
    store_folder_close(f);

    g_autofree char *raw = file_contents(fx->path);
    g_assert_true(g_str_has_prefix(raw, "From sender0@example.org "));
    g_assert_nonnull(strstr(raw, "\n>From the start\n>>From quoted once\n>>>From twice\n"));
    g_assert_nonnull(strstr(raw, "\n\nFrom bounce@example.org "));
}

/* The folder's text with the date of each From_ line cut off. */
static char *
without_dates(const char *path)
{
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++)
        if (g_str_has_prefix(*l, "From ")) {
            char *sp = strchr(*l + 5, ' ');
            if (sp)
                *sp = '\0';
        }
    return g_strjoinv("\n", lines);
}

/* A message too large for memory is appended from a file (a head, then
 * the file), line by line: the folder must read exactly as if it had
 * been appended from memory. */
static void
test_append_from_file(Fixture *fx, gconstpointer data)
{
    (void)data;
    static const char *const msgs[] = {
        "From someone@else Mon Jan  1 00:00:00 2024\nReturn-Path: <rp@example.org>\n"
        "From: a@example.org\nStatus: RO\nContent-Length: 5\n folded\nSubject: s\n\n"
        "From the body\n>From quoted\nlast",
        "Subject: no body, no blank line",
        "From: Bob <b@example.org>\r\nSubject: crlf\r\n\r\nline\r\n\r\n",
        "",
        "\n\nonly a body\n",
    };
    g_autofree char *other = g_build_filename(fx->dir, "Other", NULL);
    g_autoptr(GError) error = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(msgs); i++) {
        const char *m = msgs[i];
        gsize len = strlen(m), cut = len / 3;
        guint32 flags = i % 2 ? MSG_PARTIAL : MSG_FLAGGED;
        g_assert_true(store_append(fx->path, m, len, flags, &error));
        g_assert_no_error(error);

        g_autofree char *file = g_build_filename(fx->dir, "spool", NULL);
        g_assert_true(g_file_set_contents(file, m + cut, (gssize)(len - cut), NULL));
        int fd = open(file, O_RDONLY);
        g_assert_cmpint(fd, >=, 0);
        StoreAppender *a = store_appender_open(other, &error);
        g_assert_no_error(error);
        g_assert_true(store_appender_add_file(a, m, cut, fd, flags, &error));
        g_assert_no_error(error);
        g_assert_true(store_appender_close(a, &error));
        close(fd);
        unlink(file);
    }
    g_autofree char *want = without_dates(fx->path);
    g_autofree char *got = without_dates(other);
    g_assert_cmpstr(got, ==, want);
    g_assert_nonnull(strstr(want, "From rp@example.org"));
}

static void
test_append_after_no_newline(Fixture *fx, gconstpointer data)
{
    (void)data;
    const char *old = "From a@b Mon Jan  1 10:00:00 2024\nSubject: old\n\nno newline";
    g_assert_true(g_file_set_contents(fx->path, old, -1, NULL));
    append_n(fx->path, 1, 1);
    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    g_assert_cmpstr(store_folder_get(f, 1)->subject, ==, "message 1");
    store_folder_close(f);
}

/* Bodies are copied in runs between the lines that need a '>' (and line
 * by line when they hold a CR): the same bytes either way. */
static void
test_append_body_quoting(Fixture *fx, gconstpointer data)
{
    (void)data;
    static const struct { const char *body, *want; } cases[] = {
        { "", "" },
        { "plain\n", "plain\n" },
        { "no newline", "no newline\n" },
        { "From start\n", ">From start\n" },
        { "a\nFrom mid\nb\n", "a\n>From mid\nb\n" },
        { "a\n>From q\n>>From qq\n", "a\n>>From q\n>>>From qq\n" },
        { "not From here\nx>From no\n", "not From here\nx>From no\n" },
        { "From\nFrom:\nFromage\n", "From\nFrom:\nFromage\n" },
        { "last From \nFrom ", "last From \n>From \n" },
        { "crlf\r\nFrom x\r\n", "crlf\n>From x\n" },
        { "bare\rcr\nFrom y\n", "bare\rcr\n>From y\n" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *m = g_strconcat("Subject: q\n\n", cases[i].body, NULL);
        g_assert_true(g_file_set_contents(fx->path, "", 0, NULL));
        g_assert_true(store_append(fx->path, m, strlen(m), 0, &error));
        g_assert_no_error(error);
        g_autofree char *raw = NULL;
        g_assert_true(g_file_get_contents(fx->path, &raw, NULL, NULL));
        g_autofree char *want = g_strconcat("\nSubject: q\n\n", cases[i].want, "\n", NULL);
        g_test_message("case %zu", i);
        g_assert_true(g_str_has_suffix(raw, want));
    }
}

static void
test_append_refuses_non_mbox(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_true(g_file_set_contents(fx->path, "not mail\n", -1, NULL));
    g_autoptr(GError) error = NULL;
    g_assert_false(store_append(fx->path, "Subject: x\n\ny\n", 14, 0, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_autofree char *raw = file_contents(fx->path);
    g_assert_cmpstr(raw, ==, "not mail\n");
}

static void
test_append_abort(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    StoreAppender *a = store_appender_open(fx->path, &error);
    for (int i = 0; i < 2; i++) {
        g_autofree char *m = make_message(i, NULL);
        g_assert_true(store_appender_add(a, m, strlen(m), 0, &error));
    }
    g_assert_true(store_appender_flush(a, &error));
    g_autofree char *m = make_message(9, NULL);
    g_assert_true(store_appender_add(a, m, strlen(m), 0, &error));
    store_appender_abort(a);
    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    store_folder_close(f);
}

/* ---- locking ----------------------------------------------------------- */

static void
test_lock_dotlock_held(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 1);
    g_autofree char *lock = g_strconcat(fx->path, ".lock", NULL);
    /* A live process (our parent) holds it. */
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getppid());
    g_assert_true(g_file_set_contents(lock, pid, -1, NULL));
    store_set_lock_timeout(0.3);
    g_autoptr(GError) error = NULL;
    g_autofree char *m = make_message(1, NULL);
    g_assert_false(store_append(fx->path, m, strlen(m), 0, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED);
    g_assert_nonnull(strstr(error->message, fx->path));
    g_assert_true(g_file_test(lock, G_FILE_TEST_EXISTS));
    g_clear_error(&error);

    /* A lock of a dead process is stale and removed. */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    g_free(pid);
    pid = g_strdup_printf("%d\n", (int)child);
    g_assert_true(g_file_set_contents(lock, pid, -1, NULL));
    g_assert_true(store_append(fx->path, m, strlen(m), 0, &error));
    g_assert_no_error(error);

    /* An empty lock file older than five minutes is stale too. */
    g_assert_true(g_file_set_contents(lock, "", 0, NULL));
    struct timeval tv[2] = { { time(NULL) - 600, 0 }, { time(NULL) - 600, 0 } };
    g_assert_cmpint(utimes(lock, tv), ==, 0);
    g_assert_true(store_append(fx->path, m, strlen(m), 0, &error));
    g_assert_no_error(error);
    g_assert_false(g_file_test(lock, G_FILE_TEST_EXISTS));

    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 3);
    store_folder_close(f);

    /* Our own lock holds our pid from the moment it exists (linked into
     * place from a temporary file, which is gone again). */
    StoreAppender *a = store_appender_open(fx->path, &error);
    g_assert_no_error(error);
    g_autofree char *held = NULL;
    g_assert_true(g_file_get_contents(lock, &held, NULL, NULL));
    g_autofree char *mine = g_strdup_printf("%d\n", (int)getpid());
    g_assert_cmpstr(held, ==, mine);
    g_autofree char *dir = g_path_get_dirname(fx->path);
    g_autofree char *base = g_path_get_basename(fx->path);
    g_autofree char *prefix = g_strdup_printf(".%s.postie-tmp.", base);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    const char *name;
    while ((name = g_dir_read_name(d)))
        g_assert_false(g_str_has_prefix(name, prefix));
    store_appender_abort(a);
    g_assert_false(g_file_test(lock, G_FILE_TEST_EXISTS));
}

/* A child holds an fcntl lock until told to let go through a pipe. */
static pid_t
hold_fcntl_lock(const char *path, int *release_fd)
{
    int go[2], ready[2];
    g_assert_cmpint(pipe(go), ==, 0);
    g_assert_cmpint(pipe(ready), ==, 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(go[1]);
        close(ready[0]);
        int fd = open(path, O_RDWR);
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        if (fd < 0 || fcntl(fd, F_SETLKW, &fl) < 0)
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        char c;
        while (read(go[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    close(go[0]);
    close(ready[1]);
    char c;
    g_assert_cmpint(read(ready[0], &c, 1), ==, 1);
    close(ready[0]);
    *release_fd = go[1];
    return pid;
}

typedef struct {
    const char *path;
    gboolean ok;
    gint done;
} AppendJob;

/* The store announces (g_debug) that it starts waiting for a lock; the
 * tests wait for that instead of sleeping and hoping it got there. */
static gint lock_waits;

static void
count_lock_waits(const gchar *domain, GLogLevelFlags level,
                 const gchar *message, gpointer data)
{
    (void)domain; (void)level; (void)data;
    if (strstr(message, "waiting for the"))
        g_atomic_int_inc(&lock_waits);
}

static void
wait_until_waiting_for_lock(void)
{
    for (int i = 0; i < 12000; i++) {   /* up to 2 minutes on a loaded machine */
        if (g_atomic_int_get(&lock_waits) > 0)
            return;
        g_usleep(10000);
    }
    g_assert_not_reached();
}

static gpointer
append_thread(gpointer p)
{
    AppendJob *j = p;
    g_autofree char *m = make_message(7, NULL);
    j->ok = store_append(j->path, m, strlen(m), 0, NULL);
    g_atomic_int_set(&j->done, 1);
    return NULL;
}

static void
test_lock_fcntl_wait(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 2);
    int release;
    pid_t pid = hold_fcntl_lock(fx->path, &release);

    /* Held: a short timeout fails with a clear error. */
    store_set_lock_timeout(0.2);
    g_autoptr(GError) error = NULL;
    g_autofree char *m = make_message(5, NULL);
    g_assert_false(store_append(fx->path, m, strlen(m), 0, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED);
    g_assert_nonnull(strstr(error->message, "Inbox"));
    /* The dotlock we took is gone again. */
    g_autofree char *lock = g_strconcat(fx->path, ".lock", NULL);
    g_assert_false(g_file_test(lock, G_FILE_TEST_EXISTS));

    /* With a long timeout the append waits, and lands once released. */
    store_set_lock_timeout(120);
    AppendJob job = { fx->path, FALSE, 0 };
    g_atomic_int_set(&lock_waits, 0);
    GThread *t = g_thread_new("append", append_thread, &job);
    wait_until_waiting_for_lock();
    g_assert_cmpint(g_atomic_int_get(&job.done), ==, 0);   /* still waiting */
    close(release);
    g_thread_join(t);
    waitpid(pid, NULL, 0);
    g_assert_true(job.ok);
    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 3);
    g_assert_cmpstr(store_folder_get(f, 2)->subject, ==, "message 7");
    store_folder_close(f);
}

/* A writer waits for the dotlock while another program replaces the
 * folder by rename: the message must land in the new file. */
static void
test_lock_replaced_while_waiting(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 1);
    g_autofree char *lock = g_strconcat(fx->path, ".lock", NULL);
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getppid());
    g_assert_true(g_file_set_contents(lock, pid, -1, NULL));
    store_set_lock_timeout(120);
    AppendJob job = { fx->path, FALSE, 0 };
    g_atomic_int_set(&lock_waits, 0);
    GThread *t = g_thread_new("append", append_thread, &job);
    wait_until_waiting_for_lock();
    g_autofree char *other = g_build_filename(fx->dir, "new", NULL);
    append_n(other, 50, 2);
    g_assert_cmpint(rename(other, fx->path), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&job.done), ==, 0);
    unlink(lock);
    g_thread_join(t);
    g_assert_true(job.ok);
    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 3);
    g_assert_cmpstr(store_folder_get(f, 0)->subject, ==, "message 50");
    g_assert_cmpstr(store_folder_get(f, 2)->subject, ==, "message 7");
    store_folder_close(f);
}

/* ---- flags and expunge ------------------------------------------------- */

static void
test_flags_sync(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 4);
    g_assert_cmpint(chmod(fx->path, 0640), ==, 0);
    StoreFolder *f = open_ok(fx->path);
    g_autofree char *before2 = read_string(f, 2);
    store_folder_set_flags(f, 0, MSG_READ);
    store_folder_set_flags(f, 1, MSG_READ | MSG_REPLIED | MSG_FLAGGED);
    store_folder_set_flags(f, 3, MSG_OLD | MSG_DELETED | MSG_PARTIAL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) gone = NULL;
    g_assert_true(store_folder_sync(f, FALSE, &gone, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(gone->len, ==, 0);
    g_assert_cmphex(store_folder_get(f, 1)->flags, ==, MSG_READ | MSG_REPLIED | MSG_FLAGGED);
    /* The index stays usable after the rewrite. */
    g_autofree char *after2 = read_string(f, 2);
    g_assert_cmpstr(before2, ==, after2);
    store_folder_close(f);

    struct stat st;
    g_assert_cmpint(stat(fx->path, &st), ==, 0);
    g_assert_cmpuint(st.st_mode & 0777, ==, 0640);
    g_autofree char *raw = file_contents(fx->path);
    g_assert_nonnull(strstr(raw, "Subject: message 0\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
                                 "Message-ID: <0@example.org>\nStatus: RO\n\n"));
    g_assert_nonnull(strstr(raw, "<1@example.org>\nStatus: RO\nX-Status: AF\n\n"));
    g_assert_nonnull(strstr(raw, "<3@example.org>\nStatus: O\nX-Status: D\nX-Postie-Partial: yes\n\n"));

    f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 4);
    g_assert_cmphex(store_folder_get(f, 0)->flags, ==, MSG_READ);
    g_assert_cmphex(store_folder_get(f, 1)->flags, ==, MSG_READ | MSG_REPLIED | MSG_FLAGGED);
    g_assert_cmphex(store_folder_get(f, 2)->flags, ==, 0);
    g_assert_cmphex(store_folder_get(f, 3)->flags, ==, MSG_OLD | MSG_DELETED | MSG_PARTIAL);
    /* Clearing flags removes the headers again. */
    store_folder_set_flags(f, 1, 0);
    g_assert_true(store_folder_sync(f, FALSE, NULL, &error));
    store_folder_close(f);
    g_free(raw);
    raw = file_contents(fx->path);
    g_assert_null(strstr(raw, "X-Status: AF"));
}

static void
test_expunge(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 5);
    StoreFolder *f = open_ok(fx->path);
    g_autofree char *m1 = read_string(f, 1);
    store_folder_set_flags(f, 0, MSG_DELETED);
    store_folder_set_flags(f, 2, MSG_DELETED | MSG_READ);
    store_folder_set_flags(f, 3, MSG_DELETED);
    store_folder_set_flags(f, 4, MSG_READ);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) gone = NULL;
    g_assert_true(store_folder_sync(f, TRUE, &gone, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(gone->len, ==, 3);
    g_assert_cmpstr(((StoreMessage *)gone->pdata[1])->subject, ==, "message 2");
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    g_autofree char *n0 = read_string(f, 0);
    g_assert_cmpstr(n0, ==, m1);
    store_folder_close(f);

    f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    g_assert_cmpstr(store_folder_get(f, 0)->subject, ==, "message 1");
    g_assert_cmpstr(store_folder_get(f, 1)->subject, ==, "message 4");
    g_assert_cmphex(store_folder_get(f, 1)->flags, ==, MSG_READ);
    g_autofree char *n1 = read_string(f, 1);
    g_assert_true(g_str_has_suffix(n1, "\nStatus: RO\n\nBody of message 4.\n"));
    /* Expunge everything. */
    store_folder_set_flags(f, 0, MSG_DELETED);
    store_folder_set_flags(f, 1, MSG_DELETED);
    g_assert_true(store_folder_sync(f, TRUE, NULL, &error));
    g_assert_cmpuint(store_folder_count(f), ==, 0);
    store_folder_close(f);
    struct stat st;
    g_assert_cmpint(stat(fx->path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 0);
}

static void
test_sync_keeps_new_mail(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 3);
    StoreFolder *f = open_ok(fx->path);
    /* Someone else delivers two messages meanwhile. */
    append_n(fx->path, 10, 2);
    store_folder_set_flags(f, 2, MSG_READ);
    store_folder_set_flags(f, 0, MSG_DELETED);
    g_autoptr(GError) error = NULL;
    g_assert_true(store_folder_sync(f, TRUE, NULL, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(store_folder_count(f), ==, 4);
    store_folder_close(f);
    f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 4);
    g_assert_cmpstr(store_folder_get(f, 1)->subject, ==, "message 2");
    g_assert_cmphex(store_folder_get(f, 1)->flags, ==, MSG_READ);
    g_assert_cmpstr(store_folder_get(f, 3)->subject, ==, "message 11");
    store_folder_close(f);
}

static void
test_sync_refuses_replaced(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 3);
    StoreFolder *f = open_ok(fx->path);
    /* Another program rewrites the folder (new inode, other content). */
    StoreFolder *g = open_ok(fx->path);
    store_folder_set_flags(g, 1, MSG_DELETED);
    g_assert_true(store_folder_sync(g, TRUE, NULL, NULL));
    store_folder_close(g);

    store_folder_set_flags(f, 0, MSG_DELETED);
    g_autoptr(GError) error = NULL;
    g_assert_false(store_folder_sync(f, TRUE, NULL, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "changed by another program"));
    /* After a refresh it works on the new file. */
    gboolean changed = FALSE;
    g_clear_error(&error);
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_true(changed);
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    store_folder_close(f);
}

/* The flags of the message with SUBJECT in F (it must be there once). */
static guint32
flags_of(StoreFolder *f, const char *subject)
{
    for (guint i = 0; i < store_folder_count(f); i++)
        if (!g_strcmp0(store_folder_get(f, i)->subject, subject))
            return store_folder_get(f, i)->flags;
    g_assert_not_reached();
}

/* The flags test_refresh_keeps_unwritten_flags expects: the changes
 * made here merged with the other program's, the second twin's own. */
static void
assert_merged_flags(StoreFolder *f)
{
    g_assert_cmphex(flags_of(f, "message 0"), ==, MSG_READ | MSG_FLAGGED);
    g_assert_cmphex(flags_of(f, "message 1"), ==, MSG_READ | MSG_REPLIED);
    g_assert_cmphex(flags_of(f, "message 3"), ==, MSG_DELETED);
    g_assert_cmphex(store_folder_get(f, 3)->flags, ==, 0);
    g_assert_cmphex(store_folder_get(f, 4)->flags, ==, MSG_READ | MSG_FLAGGED);
}

/* Flags changed here and not yet written survive another program's
 * rewrite of the folder (mutt's sync), merged with what it changed. */
static void
test_refresh_keeps_unwritten_flags(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 4);
    /* two messages that only their place tells apart */
    g_autofree char *twin = make_message(9, NULL);
    StoreAppender *a = store_appender_open(fx->path, NULL);
    g_assert_true(store_appender_add(a, twin, strlen(twin), 0, NULL));
    g_assert_true(store_appender_add(a, twin, strlen(twin), MSG_READ, NULL));
    g_assert_true(store_appender_close(a, NULL));

    StoreFolder *f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 6);
    store_folder_set_flags(f, 0, MSG_FLAGGED);
    store_folder_set_flags(f, 1, MSG_READ);
    store_folder_set_flags(f, 3, MSG_DELETED);
    store_folder_set_flags(f, 5, MSG_READ | MSG_FLAGGED);   /* the second twin */

    /* Meanwhile another program marks message 1 replied and message 0
     * read, expunges message 2 and writes the folder anew. */
    StoreFolder *g = open_ok(fx->path);
    store_folder_set_flags(g, 0, MSG_READ);
    store_folder_set_flags(g, 1, MSG_REPLIED);
    store_folder_set_flags(g, 2, MSG_DELETED);
    g_assert_true(store_folder_sync(g, TRUE, NULL, NULL));
    store_folder_close(g);

    gboolean changed = FALSE;
    g_autoptr(GError) error = NULL;
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_no_error(error);
    g_assert_true(changed);
    g_assert_cmpuint(store_folder_count(f), ==, 5);
    assert_merged_flags(f);

    /* and they are written like any change made here */
    g_assert_true(store_folder_sync(f, FALSE, NULL, &error));
    g_assert_no_error(error);
    store_folder_close(f);
    f = open_ok(fx->path);
    assert_merged_flags(f);
    store_folder_close(f);
}

/* A folder of Thunderbird's: a flag changed here is written the mbox
 * way and its X-Mozilla-Status goes, or a message made unread here (no
 * Status line) would read as read again; untouched messages keep theirs. */
static void
test_sync_thunderbird_flags(Fixture *fx, gconstpointer data)
{
    (void)data;
    const char *tb =
        "From - Sat Nov 18 10:15:20 2023\n"
        "X-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
        "Subject: made unread\n\nbody\n\n"
        "From - Sat Nov 18 10:15:21 2023\n"
        "X-Mozilla-Status: 0005\nX-Mozilla-Status2: 00000000\n"
        "Subject: untouched\n\nbody\n\n";
    g_assert_true(g_file_set_contents(fx->path, tb, -1, NULL));
    StoreFolder *f = open_ok(fx->path);
    g_assert_cmphex(flags_of(f, "made unread"), ==, MSG_READ);
    g_assert_cmphex(flags_of(f, "untouched"), ==, MSG_READ | MSG_FLAGGED);
    store_folder_set_flags(f, 0, 0);
    g_autoptr(GError) error = NULL;
    g_assert_true(store_folder_sync(f, FALSE, NULL, &error));
    g_assert_no_error(error);
    store_folder_close(f);

    f = open_ok(fx->path);
    g_assert_cmphex(flags_of(f, "made unread"), ==, 0);
    g_assert_cmphex(flags_of(f, "untouched"), ==, MSG_READ | MSG_FLAGGED);
    store_folder_close(f);
    g_autofree char *raw = file_contents(fx->path);
    g_assert_cmpstr(raw, ==,
                    "From - Sat Nov 18 10:15:20 2023\n"
                    "X-Mozilla-Status2: 00000000\n"
                    "Subject: made unread\n\nbody\n\n"
                    "From - Sat Nov 18 10:15:21 2023\n"
                    "X-Mozilla-Status: 0005\nX-Mozilla-Status2: 00000000\n"
                    "Subject: untouched\n\nbody\n\n");
}

/* The same when the other program writes over the file in place (mutt
 * does), with a Status line of its own: the message is longer now. */
static void
test_refresh_in_place_keeps_unwritten_flags(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 3);
    StoreFolder *f = open_ok(fx->path);
    store_folder_set_flags(f, 1, MSG_FLAGGED);
    store_folder_set_flags(f, 2, MSG_DELETED);

    g_autofree char *raw = file_contents(fx->path);
    g_autofree char *m1 = make_message(1, NULL);
    char *at = strstr(raw, m1);
    g_assert_nonnull(at);
    char *end = strstr(at, "\n\n");
    g_assert_nonnull(end);
    g_autofree char *head = g_strndup(raw, (gsize)(end - raw));
    g_autofree char *rewritten = g_strconcat(head, "\nStatus: RO", end, NULL);
    int fd = open(fx->path, O_WRONLY | O_TRUNC);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(write_all(fd, rewritten, strlen(rewritten), fx->path, NULL));
    close(fd);

    gboolean changed = FALSE;
    g_autoptr(GError) error = NULL;
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_no_error(error);
    g_assert_true(changed);
    g_assert_cmpuint(store_folder_count(f), ==, 3);
    g_assert_cmphex(flags_of(f, "message 0"), ==, 0);
    g_assert_cmphex(flags_of(f, "message 1"), ==, MSG_READ | MSG_FLAGGED);
    g_assert_cmphex(flags_of(f, "message 2"), ==, MSG_DELETED);
    store_folder_close(f);
}

static void
test_refresh(Fixture *fx, gconstpointer data)
{
    (void)data;
    gboolean changed = TRUE;
    g_autoptr(GError) error = NULL;
    /* An empty folder that stays empty has not changed. */
    g_assert_true(g_file_set_contents(fx->path, "", 0, NULL));
    StoreFolder *f = open_ok(fx->path);
    wait_settled(fx->path);
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_no_error(error);
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_false(changed);
    store_folder_close(f);

    append_n(fx->path, 0, 2);
    f = open_ok(fx->path);
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_false(changed);
    append_n(fx->path, 2, 3);
    g_assert_true(store_folder_refresh(f, &changed, &error));
    g_assert_true(changed);
    g_assert_cmpuint(store_folder_count(f), ==, 5);
    g_assert_cmpstr(store_folder_get(f, 4)->subject, ==, "message 4");
    store_folder_close(f);
}

/* What the folder at PATH looks like now: its size, times and inode. */
static struct stat
stat_ok(const char *path)
{
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    return st;
}

/* Give PATH the modification time it had in ST, to the nanosecond: what
 * a second write in the same clock tick (or the same second, on a file
 * system with coarse times) leaves, and what mutt does after a rewrite. */
static void
restore_mtime(const char *path, const struct stat *st)
{
    struct timespec ts[2] = { st->st_atim, st->st_mtim };
    g_assert_cmpint(utimensat(AT_FDCWD, path, ts, 0), ==, 0);
    struct stat now = stat_ok(path);
    g_assert_cmpint(now.st_mtim.tv_sec, ==, st->st_mtim.tv_sec);
    g_assert_cmpint(now.st_mtim.tv_nsec, ==, st->st_mtim.tv_nsec);
}

static void
assert_subjects(StoreFolder *f, const char *const *want)
{
    guint n = 0;
    while (want[n])
        n++;
    g_assert_cmpuint(store_folder_count(f), ==, n);
    for (guint i = 0; i < n; i++) {
        g_assert_cmpstr(store_folder_get(f, i)->subject, ==, want[i]);
        g_autofree char *body = read_string(f, i);
        g_autofree char *tail = g_strdup_printf("Body of %s.\n", want[i]);
        g_assert_true(g_str_has_suffix(body, tail));
    }
}

/* Another StoreFolder expunges a message (temp file + rename: a new
 * inode) and a message of the same size is appended, so the folder ends
 * with the size and modification time it had: the first one must see the
 * new file, whether it looks before the append or only after it. */
static void
test_refresh_replaced_same_size(Fixture *fx, gconstpointer data)
{
    (void)data;
    for (int look_between = 0; look_between <= 1; look_between++) {
        g_unlink(fx->path);
        append_n(fx->path, 0, 3);
        struct stat before = stat_ok(fx->path);
        StoreFolder *x = open_ok(fx->path);
        g_autoptr(GError) error = NULL;
        gboolean changed = FALSE;

        StoreFolder *y = open_ok(fx->path);
        store_folder_set_flags(y, 1, MSG_DELETED);
        g_assert_true(store_folder_sync(y, TRUE, NULL, &error));
        g_assert_no_error(error);
        store_folder_close(y);
        if (look_between) {
            g_assert_true(store_folder_refresh(x, &changed, &error));
            g_assert_no_error(error);
            g_assert_true(changed);
            assert_subjects(x, (const char *const[]){ "message 0", "message 2", NULL });
        }
        append_n(fx->path, 5, 1);
        struct stat after = stat_ok(fx->path);
        g_assert_cmpint(after.st_size, ==, before.st_size);
        g_assert_cmpuint(after.st_ino, !=, before.st_ino);
        restore_mtime(fx->path, &before);

        changed = FALSE;
        g_assert_true(store_folder_refresh(x, &changed, &error));
        g_assert_no_error(error);
        g_assert_true(changed);
        assert_subjects(x, (const char *const[]){ "message 0", "message 2", "message 5", NULL });
        /* And no change is reported once it is up to date. */
        g_assert_true(store_folder_refresh(x, &changed, &error));
        g_assert_false(changed);
        store_folder_close(x);
    }
}

/* Rewrite message 1 of PATH in place as message 5 (the same length):
 * another program's in-place rewrite, in a child process. */
static void
rewrite_in_place_child(const char *path)
{
    pid_t pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        g_autofree char *raw = NULL;
        gsize len;
        if (!g_file_get_contents(path, &raw, &len, NULL))
            _exit(1);
        g_autofree char *m1 = make_message(1, NULL);
        g_autofree char *m5 = make_message(5, NULL);
        char *p = strstr(raw, m1);
        if (!p || strlen(m1) != strlen(m5))
            _exit(2);
        memcpy(p, m5, strlen(m5));
        int fd = open(path, O_WRONLY);
        if (fd < 0 || pwrite(fd, raw, len, 0) != (ssize_t)len || close(fd) < 0)
            _exit(3);
        _exit(0);
    }
    int status;
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* The same file rewritten in place, with the same size and modification
 * time: refresh and a later open (from the index cache) must both see
 * the new contents. */
static void
test_refresh_rewritten_in_place(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 3);
    struct stat before = stat_ok(fx->path);
    StoreFolder *x = open_ok(fx->path);
    assert_subjects(x, (const char *const[]){ "message 0", "message 1", "message 2", NULL });

    rewrite_in_place_child(fx->path);
    restore_mtime(fx->path, &before);
    struct stat after = stat_ok(fx->path);
    g_assert_cmpuint(after.st_ino, ==, before.st_ino);
    g_assert_cmpint(after.st_size, ==, before.st_size);

    g_autoptr(GError) error = NULL;
    gboolean changed = FALSE;
    g_assert_true(store_folder_refresh(x, &changed, &error));
    g_assert_no_error(error);
    g_assert_true(changed);
    assert_subjects(x, (const char *const[]){ "message 0", "message 5", "message 2", NULL });
    g_assert_true(store_folder_refresh(x, &changed, &error));
    g_assert_false(changed);
    store_folder_close(x);

    /* The cache written above now describes the new contents; change the
     * file back behind its back and open it afresh. */
    before = stat_ok(fx->path);
    g_autofree char *raw = file_contents(fx->path);
    g_autofree char *m1 = make_message(1, NULL);
    g_autofree char *m5 = make_message(5, NULL);
    char *p = strstr(raw, m5);
    g_assert_nonnull(p);
    memcpy(p, m1, strlen(m1));
    int fd = open(fx->path, O_WRONLY);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(write_all(fd, raw, strlen(raw), fx->path, NULL));
    close(fd);
    restore_mtime(fx->path, &before);
    x = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(x));
    assert_subjects(x, (const char *const[]){ "message 0", "message 1", "message 2", NULL });
    store_folder_close(x);
}

/* A rewrite within the clock tick of the previous change leaves even the
 * change time as it was.  The kernel decides when that happens, so the
 * folder is told the new times by hand: all it has left is that it
 * indexed the file "racily", right after a change. */
static void
test_refresh_racy(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 3);
    StoreFolder *x = open_ok(fx->path);
    g_assert_true(x->racy);        /* indexed right after the append */

    /* Nothing changed: no change reported, flags set here are kept. */
    store_folder_set_flags(x, 2, MSG_FLAGGED);
    g_autoptr(GError) error = NULL;
    gboolean changed = TRUE;
    g_assert_true(store_folder_refresh(x, &changed, &error));
    g_assert_no_error(error);
    g_assert_false(changed);
    g_assert_cmphex(store_folder_get(x, 2)->flags, ==, MSG_FLAGGED);

    rewrite_in_place_child(fx->path);
    struct stat st = stat_ok(fx->path);
    x->mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    x->ctime_ns = (gint64)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
    x->racy = TRUE;
    g_assert_true(store_folder_refresh(x, &changed, &error));
    g_assert_no_error(error);
    g_assert_true(changed);
    assert_subjects(x, (const char *const[]){ "message 0", "message 5", "message 2", NULL });

    /* Once the last change is old enough, the times are trusted again
     * and an unchanged folder is not read. */
    wait_settled(fx->path);
    g_assert_true(store_folder_refresh(x, &changed, &error));
    g_assert_false(x->racy);
    g_assert_true(store_folder_refresh(x, &changed, &error));
    g_assert_false(changed);
    g_assert_cmpuint(store_folder_bytes_scanned(x), ==, 0);
    store_folder_close(x);
}

/* ---- the index cache --------------------------------------------------- */

static guint64
file_size(const char *path)
{
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    return (guint64)st.st_size;
}

static void
bump_mtime(const char *path)
{
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    struct timeval tv[2] = { { st.st_mtime + 5, 0 }, { st.st_mtime + 5, 0 } };
    g_assert_cmpint(utimes(path, tv), ==, 0);
}

/* Wait (polling) until the last change of PATH is old enough that the
 * store trusts its times again: an index made sooner is "racy" and is
 * checked against the file's contents instead of coming from the cache. */
static void
wait_settled(const char *path)
{
    for (int i = 0; i < 1000; i++) {
        struct stat st;
        g_assert_cmpint(stat(path, &st), ==, 0);
        gboolean coarse = st.st_ctim.tv_nsec == 0 && st.st_mtim.tv_nsec == 0;
        gint64 margin = coarse ? G_GINT64_CONSTANT(2000000000) : G_GINT64_CONSTANT(100000000);
        gint64 ct = (gint64)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
        if (g_get_real_time() * 1000 - ct >= margin)
            return;
        g_usleep(10000);
    }
    g_assert_not_reached();
}

static void
test_cache_cases(Fixture *fx, gconstpointer data)
{
    (void)data;
    append_n(fx->path, 0, 20);
    wait_settled(fx->path);

    /* First open scans everything and writes the cache (mode 0600). */
    StoreFolder *f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_bytes_scanned(f), ==, file_size(fx->path));
    guint64 last_offset = store_folder_get(f, 19)->offset;
    store_folder_close(f);
    g_autofree char *cache = store_cache_path(fx->path);
    struct stat st;
    g_assert_cmpint(stat(cache, &st), ==, 0);
    g_assert_cmpuint(st.st_mode & 0777, ==, 0600);

    /* Unchanged: from the cache, nothing scanned. */
    f = open_ok(fx->path);
    g_assert_true(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_bytes_scanned(f), ==, 0);
    g_assert_cmpstr(store_folder_get(f, 7)->subject, ==, "message 7");
    g_autofree char *m7 = read_string(f, 7);
    g_assert_true(g_str_has_suffix(m7, "Body of message 7.\n"));
    store_folder_close(f);

    /* Grown: only the tail (from the old last message) is scanned. */
    guint64 old_size = file_size(fx->path);
    append_n(fx->path, 20, 3);
    wait_settled(fx->path);
    f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_count(f), ==, 23);
    g_assert_cmpuint(store_folder_bytes_scanned(f), ==, file_size(fx->path) - last_offset);
    g_assert_cmpuint(store_folder_bytes_scanned(f), <, file_size(fx->path) - old_size + 400);
    g_assert_cmpstr(store_folder_get(f, 22)->subject, ==, "message 22");
    store_folder_close(f);
    f = open_ok(fx->path);
    g_assert_true(store_folder_loaded_from_cache(f));
    store_folder_close(f);

    /* Changed in the middle, same size: "message 5" -> "massage 5". */
    g_autofree char *raw = file_contents(fx->path);
    gsize size = strlen(raw);
    char *p = strstr(raw, "Subject: message 5\n");
    g_assert_nonnull(p);
    p[10] = 'a';
    g_assert_true(g_file_set_contents(fx->path, raw, (gssize)size, NULL));
    bump_mtime(fx->path);
    g_assert_cmpuint(file_size(fx->path), ==, size);
    f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_bytes_scanned(f), ==, size);
    g_assert_cmpstr(store_folder_get(f, 5)->subject, ==, "massage 5");
    store_folder_close(f);

    /* Same file (inode), changed in place with the same size. */
    int fd = open(fx->path, O_WRONLY);
    g_assert_cmpint(fd, >=, 0);
    gsize off = (gsize)(strstr(raw, "Subject: message 6\n") - raw) + 10;
    g_assert_cmpint(pwrite(fd, "u", 1, (off_t)off), ==, 1);
    close(fd);
    bump_mtime(fx->path);
    f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpstr(store_folder_get(f, 6)->subject, ==, "mussage 6");
    store_folder_close(f);

    /* Truncated in the middle of a message: re-indexed. */
    fd = open(fx->path, O_WRONLY);
    g_assert_cmpint(ftruncate(fd, (off_t)(last_offset + 80)), ==, 0);
    close(fd);
    f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_count(f), ==, 20);
    store_folder_close(f);

    /* Rewritten (new file, different content, larger) via rename. */
    g_autofree char *other = g_build_filename(fx->dir, "other", NULL);
    append_n(other, 100, 30);
    g_assert_cmpint(rename(other, fx->path), ==, 0);
    f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_count(f), ==, 30);
    g_assert_cmpstr(store_folder_get(f, 0)->subject, ==, "message 100");
    store_folder_close(f);

    /* Grown, but not by appending: bytes at the old end changed. */
    g_free(raw);
    raw = file_contents(fx->path);
    size = strlen(raw);
    g_autofree char *grown = g_strdup_printf("From x@y Mon Jan  1 10:00:00 2024\nSubject: new first\n\nhi\n\n%s", raw);
    fd = open(fx->path, O_WRONLY);
    g_assert_true(write_all(fd, grown, strlen(grown), fx->path, NULL));
    close(fd);
    f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 31);
    g_assert_cmpstr(store_folder_get(f, 0)->subject, ==, "new first");
    g_assert_cmpuint(store_folder_bytes_scanned(f), ==, strlen(grown));
    store_folder_close(f);

    /* A damaged cache file is not trusted. */
    g_assert_true(g_file_set_contents(cache, "POSTIDX3garbage", -1, NULL));
    f = open_ok(fx->path);
    g_assert_false(store_folder_loaded_from_cache(f));
    g_assert_cmpuint(store_folder_count(f), ==, 31);
    store_folder_close(f);
    g_autofree char *cdata = NULL;
    gsize clen;
    g_assert_true(g_file_get_contents(cache, &cdata, &clen, NULL));
    /* Flip bytes in the records: offsets that no longer tile the file. */
    for (gsize i = 80; i < clen && i < 400; i += 7)
        cdata[i] ^= 0x5a;
    g_assert_true(g_file_set_contents(cache, cdata, (gssize)clen, NULL));
    f = open_ok(fx->path);
    g_assert_cmpuint(store_folder_count(f), ==, 31);
    for (guint i = 0; i < 31; i++)
        g_assert_nonnull(store_folder_get(f, i)->subject);
    store_folder_close(f);
}

/* ---- the folder directory ---------------------------------------------- */

static void
test_folders(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autofree char *mail = g_build_filename(fx->dir, "mail", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true(store_ensure_default_folders(mail, &error));
    g_assert_no_error(error);
    g_assert_true(store_create_folder(mail, "Lists", &error));
    g_assert_true(store_create_folder(mail, "Archive 2024", &error));
    g_assert_no_error(error);
    g_assert_false(store_create_folder(mail, "Lists", &error));
    g_clear_error(&error);

    static const char *const bad[] = { "", ".hidden", "a/b", "..", "tab\tname",
                                       "esc\x1b[1m", "x.lock", "bad\xff" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(store_create_folder(mail, bad[i], &error));
        g_assert_nonnull(error);
        g_assert_nonnull(strstr(error->message, "not a valid folder name"));
        g_clear_error(&error);
    }

    g_autoptr(GPtrArray) list = store_list_folders(mail, &error);
    g_assert_no_error(error);
    const char *want[] = { "Inbox", "Outbox", "Sent", "Drafts", "Trash", "Archive 2024", "Lists" };
    g_assert_cmpuint(list->len, ==, G_N_ELEMENTS(want));
    for (gsize i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(list->pdata[i], ==, want[i]);

    g_autofree char *lists = store_path_for(mail, "Lists", &error);
    append_n(lists, 0, 2);
    g_assert_true(store_rename_folder(mail, "Lists", "Mailing lists", &error));
    g_assert_no_error(error);
    g_assert_false(store_rename_folder(mail, "Mailing lists", "Archive 2024", &error));
    g_assert_nonnull(strstr(error->message, "already exists"));
    g_clear_error(&error);
    g_assert_false(store_rename_folder(mail, "Inbox", "Old", &error));
    g_clear_error(&error);
    g_assert_false(store_rename_folder(mail, "Nope", "Other", &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND);
    g_clear_error(&error);
    g_autofree char *ml = store_path_for(mail, "Mailing lists", &error);
    StoreFolder *f = open_ok(ml);
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    store_folder_close(f);

    g_assert_true(store_delete_folder(mail, "Archive 2024", &error));
    g_assert_no_error(error);
    g_assert_false(store_delete_folder(mail, "Trash", &error));
    g_clear_error(&error);
    g_ptr_array_unref(list);
    list = store_list_folders(mail, &error);
    g_assert_cmpuint(list->len, ==, 6);
    g_assert_cmpstr(list->pdata[5], ==, "Mailing lists");
}

static void
test_copy_move(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autofree char *mail = g_build_filename(fx->dir, "mail", NULL);
    g_assert_true(store_ensure_default_folders(mail, NULL));
    g_autofree char *inbox = g_build_filename(mail, "Inbox", NULL);
    g_autofree char *trash = g_build_filename(mail, "Trash", NULL);
    g_autofree char *body = g_strdup("From the top\n>From quoted\n");
    g_autoptr(GError) error = NULL;
    for (int i = 0; i < 4; i++) {
        g_autofree char *m = make_message(i, body);
        g_assert_true(store_append(inbox, m, strlen(m), i == 1 ? MSG_READ | MSG_FLAGGED : 0, &error));
    }
    StoreFolder *f = open_ok(inbox);
    guint copy[] = { 0, 1 };
    g_assert_true(store_copy(f, copy, 2, trash, FALSE, &error));
    g_assert_no_error(error);
    g_assert_cmphex(store_folder_get(f, 0)->flags, ==, 0);
    guint move[] = { 1, 3 };
    g_assert_true(store_copy(f, move, 2, trash, TRUE, &error));
    g_assert_no_error(error);
    g_assert_true(store_folder_get(f, 3)->flags & MSG_DELETED);
    g_assert_false(store_copy(f, move, 2, inbox, FALSE, &error));
    g_clear_error(&error);
    guint bad[] = { 9 };
    g_assert_false(store_copy(f, bad, 1, trash, FALSE, &error));
    g_clear_error(&error);
    g_autofree char *orig1 = read_string(f, 1);
    g_assert_true(store_folder_sync(f, TRUE, NULL, &error));
    g_assert_cmpuint(store_folder_count(f), ==, 2);
    store_folder_close(f);

    StoreFolder *t = open_ok(trash);
    g_assert_cmpuint(store_folder_count(t), ==, 4);
    g_assert_cmpstr(store_folder_get(t, 2)->subject, ==, "message 1");
    g_assert_cmphex(store_folder_get(t, 2)->flags, ==, MSG_READ | MSG_FLAGGED);
    g_assert_cmpstr(store_folder_get(t, 3)->subject, ==, "message 3");
    g_autofree char *copied1 = read_string(t, 2);
    g_assert_cmpstr(copied1, ==, orig1);
    store_folder_close(t);
}

/* A Content-Length that reaches just past the end of the file (where the
 * blank line before the next From_ line will go) must be read the same
 * before and after a delivery: no message may fold into the one before it
 * when mail arrives.  Found by the mbox fuzzer. */
static void
test_append_keeps_content_length_reading(Fixture *fx, gconstpointer data)
{
    (void)data;
    /* The hint reaches EXTRA bytes past the end of the file: within
     * the newlines an append adds it is trusted (one message), beyond
     * them it is not (two). */
    static const struct { const char *tail; guint extra, messages; } cases[] = {
        { "ok\n", 0, 1 }, { "ok\n", 1, 1 }, { "ok\n", 2, 2 },
        { "ok", 1, 1 }, { "ok", 2, 1 }, { "ok", 3, 2 }, { "ok\r\n", 1, 1 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *body = g_strdup_printf(
            "body\n\nFrom b@example.org Mon Jan  1 10:00:00 2024\n%s", cases[i].tail);
        g_autofree char *text = g_strdup_printf(
            "From a@example.org Mon Jan  1 10:00:00 2024\n"
            "Subject: first\nContent-Length: %zu\n\n%s",
            strlen(body) + cases[i].extra, body);
        g_assert_true(g_file_set_contents(fx->path, text, -1, NULL));
        g_autofree char *cache = store_cache_path(fx->path);
        StoreFolder *f = open_ok(fx->path);
        guint n = store_folder_count(f);
        g_assert_cmpuint(n, ==, cases[i].messages);
        g_autofree char *first = read_string(f, 0);
        store_folder_close(f);

        static const char msg[] = "From: c@example.org\nSubject: new\n\nbody\n";
        g_autoptr(GError) error = NULL;
        g_assert_true(store_append(fx->path, msg, sizeof msg - 1, 0, &error));
        g_assert_no_error(error);
        /* Both the incremental index and a scan from nothing. */
        for (int fresh = 0; fresh < 2; fresh++) {
            if (fresh)
                g_unlink(cache);
            f = open_ok(fx->path);
            g_assert_cmpuint(store_folder_count(f), ==, n + 1);
            g_autofree char *again = read_string(f, 0);
            g_assert_cmpstr(g_strchomp(again), ==, g_strchomp(first));
            g_assert_cmpstr(store_folder_get(f, n)->subject, ==, "new");
            store_folder_close(f);
        }
        g_assert_cmpint(g_unlink(fx->path), ==, 0);
        g_unlink(cache);
    }
}

int
main(int argc, char **argv)
{
    state_dir = g_dir_make_tmp("postie-state-XXXXXX", NULL);
    g_setenv("XDG_STATE_HOME", state_dir, TRUE);
    g_test_init(&argc, &argv, NULL);
    store_cache_set_min_size(0);      /* the cache of every folder */
    g_log_set_handler(NULL, G_LOG_LEVEL_DEBUG, count_lock_waits, NULL);
#define ADD(name, fn) g_test_add(name, Fixture, NULL, fx_setup, fn, fx_teardown)
    ADD("/store/append/roundtrip", test_append_roundtrip);
    ADD("/store/append/from-file", test_append_from_file);
    ADD("/store/append/after-no-newline", test_append_after_no_newline);
    ADD("/store/append/body-quoting", test_append_body_quoting);
    ADD("/store/append/refuses-non-mbox", test_append_refuses_non_mbox);
    ADD("/store/append/abort", test_append_abort);
    ADD("/store/append/keeps-content-length-reading", test_append_keeps_content_length_reading);
    ADD("/store/lock/dotlock", test_lock_dotlock_held);
    ADD("/store/lock/fcntl-wait", test_lock_fcntl_wait);
    ADD("/store/lock/replaced-while-waiting", test_lock_replaced_while_waiting);
    ADD("/store/sync/flags", test_flags_sync);
    ADD("/store/sync/expunge", test_expunge);
    ADD("/store/sync/keeps-new-mail", test_sync_keeps_new_mail);
    ADD("/store/sync/refuses-replaced", test_sync_refuses_replaced);
    ADD("/store/sync/thunderbird-flags", test_sync_thunderbird_flags);
    ADD("/store/refresh", test_refresh);
    ADD("/store/refresh/replaced-same-size", test_refresh_replaced_same_size);
    ADD("/store/refresh/rewritten-in-place", test_refresh_rewritten_in_place);
    ADD("/store/refresh/racy", test_refresh_racy);
    ADD("/store/refresh/keeps-unwritten-flags", test_refresh_keeps_unwritten_flags);
    ADD("/store/refresh/in-place-keeps-unwritten-flags",
        test_refresh_in_place_keeps_unwritten_flags);
    ADD("/store/cache/cases", test_cache_cases);
    ADD("/store/dir/folders", test_folders);
    ADD("/store/dir/copy-move", test_copy_move);
    int rc = g_test_run();
    rm_rf(state_dir);
    g_free(state_dir);
    return rc;
}
