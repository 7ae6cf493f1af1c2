/* Saving flags and expunging: the folder is rewritten into a temporary
 * file in the same directory, fsynced, given the old file's permissions
 * and renamed over it, all under the folder lock.  A crash at any moment
 * leaves the old folder or the new one, never a mix.
 *
 * Before writing, the tail of the file is indexed again under the lock,
 * so mail appended by someone else since we opened it is kept. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/private.h"

/* Copy MAP[OFF..OFF+LEN) to FD in pieces, dropping pages behind us. */
static gboolean
copy_range(int fd, const char *map, guint64 off, guint64 len, const char *tmp,
           GError **error)
{
    const guint64 piece = 8u << 20;
    while (len > 0) {
        guint64 n = len < piece ? len : piece;
        if (!write_all(fd, map + off, (gsize)n, tmp, error))
            return FALSE;
        guint64 page = (guint64)sysconf(_SC_PAGESIZE);
        guint64 a = off & ~(page - 1);
        madvise((void *)(map + a), (size_t)(off + n - a) & ~(size_t)(page - 1), MADV_DONTNEED);
        off += n;
        len -= n;
    }
    return TRUE;
}

/* Write message M with its flag headers replaced by those for FLAGS. */
static gboolean
write_with_flags(int fd, const char *map, const StoreMessage *m, guint32 flags,
                 const char *tmp, GError **error)
{
    const char *p = map + m->offset, *end = p + m->length;
    const char *nl = memchr(p, '\n', m->length);
    const char *nlstyle = nl && nl > p && nl[-1] == '\r' ? "\r\n" : "\n";
    const char *q = nl ? nl + 1 : end;
    g_autoptr(GString) head = g_string_new_len(p, q - p);
    gboolean skipping = FALSE;
    while (q < end) {
        const char *e = memchr(q, '\n', (gsize)(end - q));
        const char *le = e ? e + 1 : end;
        gsize l = (gsize)(le - q);
        gsize content = l - (e ? 1 : 0);
        if (content > 0 && q[content - 1] == '\r')
            content--;
        if (content == 0)
            break;                               /* the empty line */
        if (q[0] == ' ' || q[0] == '\t') {
            if (!skipping)
                g_string_append_len(head, q, (gssize)l);
        } else {
            skipping = store_is_flag_header(q, content);
            if (!skipping)
                g_string_append_len(head, q, (gssize)l);
        }
        q = le;
    }
    /* A message cut short with no empty line: headers end the file. */
    if (q == end && end > p && end[-1] != '\n')
        g_string_append(head, nlstyle);
    store_status_lines(head, flags, nlstyle);
    if (!write_all(fd, head->str, head->len, tmp, error))
        return FALSE;
    if (q == end)
        return write_all(fd, nlstyle, strlen(nlstyle), tmp, error);
    return copy_range(fd, map, (guint64)(q - map), (guint64)(end - q), tmp, error);
}

/* Temp files of a rewrite that was killed.  Only a lock holder creates
 * them, and we hold the lock, so any that exist are orphans. */
static void
remove_orphans(const char *dir, const char *base)
{
    g_autofree char *prefix = g_strdup_printf(".%s.postie-tmp.", base);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_prefix(name, prefix) && strlen(name) == strlen(prefix) + 6) {
            g_autofree char *p = g_build_filename(dir, name, NULL);
            unlink(p);
        }
    }
    g_dir_close(d);
}

static gboolean
needs_sync(StoreFolder *f, gboolean expunge)
{
    for (guint i = 0; i < f->msgs->len; i++) {
        guint32 fl = g_array_index(f->msgs, StoreMessage, i).flags;
        if (fl != g_array_index(f->disk_flags, guint32, i) ||
            (expunge && (fl & MSG_DELETED)))
            return TRUE;
    }
    return FALSE;
}

gboolean
store_folder_sync(StoreFolder *f, gboolean expunge, GPtrArray **expunged,
                  GError **error)
{
    if (expunged)
        *expunged = g_ptr_array_new_with_free_func((GDestroyNotify)store_message_free);
    if (!needs_sync(f, expunge))
        return TRUE;

    int fd = open(f->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open folder for writing"), f->path);
        return FALSE;
    }
    StoreLock lock;
    if (!store_lock_current(&lock, f->path, &fd, O_RDWR, error)) {
        close(fd);
        return FALSE;
    }
    gboolean ok = FALSE;
    const char *map = NULL;
    char *tmp = NULL;
    int out = -1;
    struct stat st;
    guint64 size = 0;
    g_autofree char *dir = NULL, *base = NULL;
    g_autoptr(GArray) new_msgs = g_array_new(FALSE, FALSE, sizeof(StoreMessage));

    /* Under the lock: the file must still be the one we indexed, maybe
     * with new mail at its end, which we index now. */
    if (fstat(fd, &st) < 0) {
        postie_set_error_errno(error, errno, _("stat"), f->path);
        goto done;
    }
    if (st.st_dev != f->dev || st.st_ino != f->ino ||
        (guint64)st.st_size < f->indexed_size ||
        ((guint64)st.st_size == f->indexed_size &&
         (store_mtime_ns(&st) != f->mtime_ns || store_ctime_ns(&st) != f->ctime_ns)) ||
        !store_index_still_matches(f, fd)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("%s was changed by another program; reopen it and try again"),
                    f->path);
        goto done;
    }
    if ((guint64)st.st_size != f->indexed_size) {
        /* Our fd F->fd is on the same file; index the new tail with it. */
        if (!store_folder_update(f, fd, NULL, error))
            goto done;
        if (fstat(fd, &st) < 0) {
            postie_set_error_errno(error, errno, _("stat"), f->path);
            goto done;
        }
    }
    size = f->indexed_size;
    map = store_map(fd, size, f->path, error);
    if (!map)
        goto done;

    dir = g_path_get_dirname(f->path);
    base = g_path_get_basename(f->path);
    remove_orphans(dir, base);
    tmp = g_strdup_printf("%s/.%s.postie-tmp.XXXXXX", dir, base);
    out = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
    if (out < 0) {
        postie_set_error_errno(error, errno, _("create"), tmp);
        g_clear_pointer(&tmp, g_free);
        goto done;
    }
    /* Keep who may read the folder; owner when we are allowed to. */
    if (fchmod(out, st.st_mode & 07777) < 0) {
        postie_set_error_errno(error, errno, _("set permissions of"), tmp);
        goto done;
    }
    if (fchown(out, st.st_uid, st.st_gid) < 0 && errno != EPERM) {
        postie_set_error_errno(error, errno, _("set owner of"), tmp);
        goto done;
    }

    guint64 pos = 0;
    guint64 run_start = 0, run_len = 0;     /* unchanged bytes to copy */
    if (f->msgs->len > 0) {
        /* Anything before the first message (blank lines) is dropped. */
        run_start = g_array_index(f->msgs, StoreMessage, 0).offset;
    }
    for (guint i = 0; i < f->msgs->len; i++) {
        StoreMessage m = g_array_index(f->msgs, StoreMessage, i);
        guint32 disk = g_array_index(f->disk_flags, guint32, i);
        if (expunge && (m.flags & MSG_DELETED)) {
            if (expunged)
                g_ptr_array_add(*expunged, store_message_copy(&m));
            if (run_len && !copy_range(out, map, run_start, run_len, tmp, error))
                goto done;
            run_len = 0;
            continue;
        }
        if (m.flags == disk) {
            if (run_len == 0)
                run_start = m.offset;
            run_len += m.length;
            m.offset = pos;
            pos += m.length;
        } else {
            if (run_len && !copy_range(out, map, run_start, run_len, tmp, error))
                goto done;
            run_len = 0;
            off_t before = lseek(out, 0, SEEK_CUR);
            if (!write_with_flags(out, map, &m, m.flags, tmp, error))
                goto done;
            off_t after = lseek(out, 0, SEEK_CUR);
            guint64 from_line = m.length - m.size;
            m.offset = pos;
            m.length = (guint64)(after - before);
            m.size = m.length - from_line;
            pos += m.length;
        }
        g_array_append_val(new_msgs, m);
    }
    if (run_len && !copy_range(out, map, run_start, run_len, tmp, error))
        goto done;
    /* Every message but the last ends in an empty line, and the order is
     * kept, so the separators stay valid without any fixing up. */
    if (fsync(out) < 0) {
        postie_set_error_errno(error, errno, _("sync"), tmp);
        goto done;
    }
    if (close(out) < 0) {
        out = -1;
        postie_set_error_errno(error, errno, _("close"), tmp);
        goto done;
    }
    out = -1;
    if (rename(tmp, f->path) < 0) {
        postie_set_error_errno(error, errno, _("rename into place"), f->path);
        goto done;
    }
    g_clear_pointer(&tmp, g_free);
    fsync_parent_dir(f->path, NULL);

    /* The new file is ours now; point the index at it. */
    int nfd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (nfd < 0) {
        postie_set_error_errno(error, errno, _("open folder"), f->path);
        goto done;
    }
    close(f->fd);
    f->fd = nfd;
    g_array_set_size(f->msgs, 0);
    g_array_append_vals(f->msgs, new_msgs->data, new_msgs->len);
    g_array_set_size(f->disk_flags, new_msgs->len);
    for (guint i = 0; i < new_msgs->len; i++)
        g_array_index(f->disk_flags, guint32, i) =
            g_array_index(f->msgs, StoreMessage, i).flags;
    struct stat nst;
    if (fstat(nfd, &nst) == 0) {
        store_folder_set_identity(f, &nst);
        f->indexed_size = (guint64)nst.st_size;
        gboolean hok;
        f->tail_hash = store_tail_hash(nfd, f->indexed_size, &hok);
        store_cache_save(f);
    }
    ok = TRUE;

done:
    if (out >= 0)
        close(out);
    if (tmp) {
        unlink(tmp);
        g_free(tmp);
    }
    store_unmap(map, size);
    store_unlock(&lock);
    close(fd);
    return ok;
}
