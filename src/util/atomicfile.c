/* Whole-file replacement that survives a crash at any moment: the reader
 * sees either the old file or the new one, never a mix. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

gboolean
write_all(int fd, const void *data, gsize len, const char *path, GError **error)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            postie_set_error_errno(error, errno, _("write"), path);
            return FALSE;
        }
        p += n;
        len -= (gsize)n;
    }
    return TRUE;
}

gboolean
fsync_parent_dir(const char *path, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open directory"), dir);
        return FALSE;
    }
    if (fsync(fd) < 0 && errno != EINVAL) {
        postie_set_error_errno(error, errno, _("sync directory"), dir);
        close(fd);
        return FALSE;
    }
    close(fd);
    return TRUE;
}

gboolean
atomic_write_file(const char *path, const void *data, gsize len, int mode,
                  GError **error)
{
    g_autofree char *tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("create"), tmp);
        return FALSE;
    }
    /* mkstemp applies the umask; the caller's mode is what it asked for. */
    if (fchmod(fd, (mode_t)mode) < 0 ||
        !write_all(fd, data, len, tmp, error) ||
        fsync(fd) < 0) {
        if (error && !*error)
            postie_set_error_errno(error, errno, _("write"), tmp);
        close(fd);
        unlink(tmp);
        return FALSE;
    }
    if (close(fd) < 0) {
        postie_set_error_errno(error, errno, _("close"), tmp);
        unlink(tmp);
        return FALSE;
    }
    if (rename(tmp, path) < 0) {
        postie_set_error_errno(error, errno, _("rename into place"), path);
        unlink(tmp);
        return FALSE;
    }
    return fsync_parent_dir(path, error);
}
