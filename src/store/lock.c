/* Folder locking, compatible with mutt, Dovecot and procmail: first a
 * dotlock (FOLDER.lock, made by linking a temporary file that holds our
 * pid, so it never exists empty; O_EXCL where there are no hard links),
 * then an fcntl lock on the whole file.  Both are waited for up to the
 * lock timeout.
 *
 * A dotlock is stale when it is older than STALE_SECONDS or names a
 * process (its content, a pid, as Dovecot and we write it) that no longer
 * exists on this machine; stale locks are removed. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/private.h"

#define STALE_SECONDS 300
#define DEFAULT_TIMEOUT 30.0

static double lock_timeout = -1;   /* < 0: not set, use env or default */
static double default_timeout = DEFAULT_TIMEOUT;

void
store_set_lock_timeout(double seconds)
{
    lock_timeout = seconds;
}

void
store_set_default_lock_timeout(double seconds)
{
    default_timeout = seconds >= 0 ? seconds : DEFAULT_TIMEOUT;
}

double
store_get_lock_timeout(void)
{
    if (lock_timeout >= 0)
        return lock_timeout;
    const char *env = g_getenv("POSTIE_LOCK_TIMEOUT");
    if (env && *env) {
        char *end = NULL;
        double v = g_ascii_strtod(env, &end);
        if (end && *end == '\0' && v >= 0)
            return v;
    }
    return default_timeout;
}

/* Sleep a little longer each round, up to a quarter second.  The first
 * wait is announced as a debug message (G_MESSAGES_DEBUG=all): it tells a
 * user why postie hangs, and lets the tests wait for the waiting. */
static void
backoff(guint *round, const char *path, const char *kind)
{
    if (*round == 0)
        g_debug("%s: waiting for the %s lock held by another program",
                path, kind);
    guint ms = 5u << MIN(*round, 6u);
    if (ms > 250)
        ms = 250;
    g_usleep(ms * 1000);
    (*round)++;
}

static gboolean
dotlock_stale(const char *lock)
{
    struct stat st;
    if (lstat(lock, &st) < 0)
        return FALSE;
    time_t now = time(NULL);
    if (now - st.st_mtime > STALE_SECONDS)
        return TRUE;
    char buf[32] = "";
    int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return FALSE;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return FALSE;
    buf[n] = '\0';
    char *end = NULL;
    long pid = strtol(buf, &end, 10);
    if (pid <= 0 || end == buf || (*end != '\n' && *end != '\0'))
        return FALSE;
    return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Write our pid to a new file FD (closing it); 0 or an errno. */
static int
write_pid(int fd)
{
    char pid[32];
    int n = g_snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    int e = write(fd, pid, (size_t)n) == n ? 0 : (errno ? errno : EIO);
    if (close(fd) < 0 && e == 0)
        e = errno;
    return e;
}

/* Create LOCK holding our pid, atomically: the pid goes into a temporary
 * file (named like sync.c's, so a rewrite removes one left by a kill)
 * that is then linked to LOCK.  A lock file created empty and left so by
 * a kill before the pid was written would look held for STALE_SECONDS.
 * Where hard links are not supported: O_EXCL, then the pid.
 * Returns 0 when created, else an errno (EEXIST: held by someone), or
 * -1 when our temporary file vanished (a rewrite took it for an orphan):
 * try again. */
static int
create_lock(const char *path, const char *lock)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.postie-tmp.XXXXXX", dir, base);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno;
    int e = write_pid(fd);
    if (e == 0)
        e = link(tmp, lock) == 0 ? 0 : errno;
    unlink(tmp);
    if (e == ENOENT)
        return -1;
    if (e == EPERM || e == ENOSYS || e == EOPNOTSUPP || e == EMLINK) {
        fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
            return errno;
        e = write_pid(fd);
        if (e != 0)
            unlink(lock);
    }
    return e;
}

static gboolean
dotlock(StoreLock *l, const char *path, gint64 deadline, GError **error)
{
    g_autofree char *lock = g_strconcat(path, ".lock", NULL);
    guint round = 0;
    for (;;) {
        int e = create_lock(path, lock);
        if (e == 0) {
            l->dotlock = g_steal_pointer(&lock);
            return TRUE;
        }
        if (e < 0)
            continue;
        if (e == EACCES || e == EPERM || e == EROFS) {
            /* A directory we may not write to: mutt then relies on
             * fcntl alone, and so do we. */
            return TRUE;
        }
        if (e != EEXIST) {
            postie_set_error_errno(error, e, _("create lock file"), lock);
            return FALSE;
        }
        if (dotlock_stale(lock)) {
            unlink(lock);
            continue;
        }
        if (g_get_monotonic_time() >= deadline) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED,
                        _("folder %s is locked by another program (lock file %s); "
                          "gave up after %.0f seconds"),
                        path, lock, store_get_lock_timeout());
            return FALSE;
        }
        backoff(&round, path, "dot");
    }
}

gboolean
store_lock(StoreLock *l, const char *path, int fd, gboolean write, GError **error)
{
    l->dotlock = NULL;
    l->fd = -1;
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)(store_get_lock_timeout() * G_USEC_PER_SEC);
    if (write && !dotlock(l, path, deadline, error))
        return FALSE;

    struct flock fl = { 0 };
    fl.l_type = write ? F_WRLCK : F_RDLCK;
    fl.l_whence = SEEK_SET;
    guint round = 0;
    while (fcntl(fd, F_SETLK, &fl) < 0) {
        int e = errno;
        if (e == EINTR)
            continue;
        if (e != EAGAIN && e != EACCES) {
            if (e == ENOLCK || e == EINVAL)
                break;       /* no fcntl locks here: the dotlock must do */
            store_unlock(l);
            postie_set_error_errno(error, e, _("lock"), path);
            return FALSE;
        }
        if (g_get_monotonic_time() >= deadline) {
            store_unlock(l);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED,
                        _("folder %s is locked by another program; "
                          "gave up after %.0f seconds"),
                        path, store_get_lock_timeout());
            return FALSE;
        }
        backoff(&round, path, "fcntl");
    }
    l->fd = fd;
    return TRUE;
}

gboolean
store_lock_current(StoreLock *l, const char *path, int *fd, int flags,
                   GError **error)
{
    /* Another program may replace the folder (rename) between our open
     * and our getting the lock; then FD is on a file no one will read
     * again, so open the new one and lock again. */
    for (int attempt = 0; attempt < 10; attempt++) {
        if (!store_lock(l, path, *fd, TRUE, error))
            return FALSE;
        struct stat a, b;
        if (fstat(*fd, &a) < 0) {
            postie_set_error_errno(error, errno, _("stat"), path);
            store_unlock(l);
            return FALSE;
        }
        if (stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            return TRUE;
        store_unlock(l);
        int nfd = open(path, flags | O_CLOEXEC | O_NOCTTY, 0600);
        if (nfd < 0) {
            postie_set_error_errno(error, errno, _("open folder"), path);
            return FALSE;
        }
        close(*fd);
        *fd = nfd;
    }
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED,
                _("folder %s keeps being replaced by another program"), path);
    return FALSE;
}

void
store_unlock(StoreLock *l)
{
    if (l->fd >= 0) {
        struct flock fl = { 0 };
        fl.l_type = F_UNLCK;
        fl.l_whence = SEEK_SET;
        fcntl(l->fd, F_SETLK, &fl);
        l->fd = -1;
    }
    if (l->dotlock) {
        unlink(l->dotlock);
        g_clear_pointer(&l->dotlock, g_free);
    }
}
