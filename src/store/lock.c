/* Folder locking, compatible with mutt, Dovecot and procmail: first a
 * dotlock (FOLDER.lock, linked into place already holding our pid, or
 * created with O_EXCL), then an fcntl lock on the whole file.  Both are
 * waited for up to the lock timeout.
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

void
store_set_lock_timeout(double seconds)
{
    lock_timeout = seconds;
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
    return DEFAULT_TIMEOUT;
}

/* Sleep a little longer each round, up to a quarter second. */
static void
backoff(guint *round)
{
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

/* Create LOCK holding our pid, without a moment where it exists empty:
 * a process killed between creating it and writing its pid would leave a
 * lock nobody could prove stale for STALE_SECONDS, and mail would wait.
 * The pid goes into a hidden file beside it (no folder name starts with
 * '.'), which is then linked into place; where links do not work, the
 * lock is created and written as before.  0, or an errno (EEXIST: held). */
static int
dotlock_create(const char *lock)
{
    char buf[32];
    int n = g_snprintf(buf, sizeof buf, "%d\n", (int)getpid());
    g_autofree char *dir = g_path_get_dirname(lock);
    g_autofree char *base = g_path_get_basename(lock);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.%d", dir, base, (int)getpid());
    unlink(tmp);                 /* left by a killed process with our pid */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        int e = 0;
        if (write(fd, buf, (size_t)n) != n)
            e = errno ? errno : EIO;
        if (close(fd) < 0 && e == 0)
            e = errno;
        if (e == 0 && link(tmp, lock) < 0)
            e = errno;
        unlink(tmp);
        if (e != EPERM && e != ENOSYS && e != EOPNOTSUPP && e != EMLINK)
            return e;
        /* no hard links here: the plain way */
    }
    fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno;
    if (write(fd, buf, (size_t)n) != n || close(fd) < 0) {
        int e = errno ? errno : EIO;
        unlink(lock);
        return e;
    }
    return 0;
}

static gboolean
dotlock(StoreLock *l, const char *path, gint64 deadline, GError **error)
{
    g_autofree char *lock = g_strconcat(path, ".lock", NULL);
    guint round = 0;
    for (;;) {
        int e = dotlock_create(lock);
        if (e == 0) {
            l->dotlock = g_steal_pointer(&lock);
            return TRUE;
        }
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
        backoff(&round);
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
        backoff(&round);
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
