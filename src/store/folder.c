/* Opening a folder: index it (from the cache when it still matches the
 * file, scanning only what is new or everything when in doubt), then hand
 * out index entries and message bytes. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/private.h"

static char empty_map[1];

const char *
store_map(int fd, guint64 len, const char *path, GError **error)
{
    if (len == 0)
        return empty_map;
    if (len > (guint64)G_MAXSIZE) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO, _("%s is too big"), path);
        return NULL;
    }
    void *m = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        postie_set_error_errno(error, errno, _("map"), path);
        return NULL;
    }
    madvise(m, (size_t)len, MADV_SEQUENTIAL);
    return m;
}

void
store_unmap(const char *map, guint64 len)
{
    if (map && map != empty_map)
        munmap((void *)map, (size_t)len);
}

gint64
store_mtime_ns(const struct stat *st)
{
    return (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

gint64
store_ctime_ns(const struct stat *st)
{
    return (gint64)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

void
store_folder_clear(StoreFolder *f)
{
    g_array_set_size(f->msgs, 0);
    g_array_set_size(f->disk_flags, 0);
    if (f->strings)
        g_string_chunk_free(f->strings);
    f->strings = g_string_chunk_new(64 * 1024);
    g_ptr_array_set_size(f->blobs, 0);
    f->indexed_size = 0;
}

/* Scan FD from the message at index FIRST (dropping it and everything
 * after it from the index, but keeping flags set on it in memory) or
 * from the start when FIRST is the count. */
static gboolean
scan_from(StoreFolder *f, int fd, guint64 size, guint first, GError **error)
{
    guint64 start = 0;
    guint32 kept_flags = 0, kept_disk = 0;
    gboolean keep = FALSE;
    if (first < f->msgs->len) {
        const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, first);
        start = m->offset;
        kept_flags = m->flags;
        kept_disk = g_array_index(f->disk_flags, guint32, first);
        keep = TRUE;
        g_array_set_size(f->msgs, first);
        g_array_set_size(f->disk_flags, first);
    } else {
        store_folder_clear(f);
    }
    const char *map = store_map(fd, size, f->path, error);
    if (!map)
        return FALSE;
    guint before = f->msgs->len;
    gboolean ok = store_scan(map, size, start, f->msgs, f->strings, f->blobs, f->path,
                             error);
    store_unmap(map, size);
    if (!ok)
        return FALSE;
    for (guint i = before; i < f->msgs->len; i++)
        g_array_append_val(f->disk_flags, g_array_index(f->msgs, StoreMessage, i).flags);
    if (keep && before < f->msgs->len &&
        g_array_index(f->disk_flags, guint32, before) == kept_disk)
        g_array_index(f->msgs, StoreMessage, before).flags = kept_flags;
    f->indexed_size = size;
    f->scanned += size - start;
    gboolean hok;
    f->tail_hash = store_tail_hash(fd, size, &hok);
    return hok || (g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                               _("read %s failed"), f->path), FALSE);
}

/* Does the file still hold what the index says, up to INDEXED_SIZE?
 * Checks the bytes at the end of the indexed region and a sample of
 * separators; a changed middle that kept the size fails on mtime first. */
gboolean
store_index_still_matches(StoreFolder *f, int fd)
{
    gboolean ok;
    if (store_tail_hash(fd, f->indexed_size, &ok) != f->tail_hash || !ok)
        return FALSE;
    guint n = f->msgs->len;
    guint step = n > 64 ? n / 64 : 1;
    for (guint i = 0; i < n; i += step) {
        char buf[5];
        const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
        if (pread(fd, buf, 5, (off_t)m->offset) != 5 || memcmp(buf, "From ", 5) != 0)
            return FALSE;
    }
    if (n > 0) {
        char buf[5];
        const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, n - 1);
        if (pread(fd, buf, 5, (off_t)m->offset) != 5 || memcmp(buf, "From ", 5) != 0)
            return FALSE;
    }
    return TRUE;
}

/* Is a file last changed at CTIME_NS, looked at now, "racy": could it
 * still be written within the same timestamp?  File systems that keep
 * only seconds (no nanoseconds in either time) stamp a whole second
 * alike; the others stamp at most a clock tick (a few ms) alike.  A clock
 * behind the file's is racy too. */
static gboolean
times_racy(const struct stat *st)
{
    gint64 ct = store_ctime_ns(st);
    gboolean coarse = st->st_ctim.tv_nsec == 0 && st->st_mtim.tv_nsec == 0;
    gint64 margin = coarse ? G_GINT64_CONSTANT(2000000000) : G_GINT64_CONSTANT(100000000);
    gint64 now = g_get_real_time() * 1000;
    return now - ct < margin;
}

void
store_folder_set_identity(StoreFolder *f, const struct stat *st)
{
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    f->mtime_ns = store_mtime_ns(st);
    f->ctime_ns = store_ctime_ns(st);
    f->racy = times_racy(st);
    f->has_identity = TRUE;
}

static gboolean
same_string(const char *a, const char *b)
{
    return g_strcmp0(a, b) == 0;
}

/* Do A and B index the same messages, as written on disk? */
static gboolean
same_index(const StoreFolder *a, const StoreFolder *b)
{
    if (a->msgs->len != b->msgs->len)
        return FALSE;
    for (guint i = 0; i < a->msgs->len; i++) {
        const StoreMessage *x = &g_array_index(a->msgs, StoreMessage, i);
        const StoreMessage *y = &g_array_index(b->msgs, StoreMessage, i);
        if (x->offset != y->offset || x->length != y->length || x->size != y->size ||
            x->date != y->date || x->has_attachments != y->has_attachments ||
            x->crypto != y->crypto ||
            g_array_index(a->disk_flags, guint32, i) != g_array_index(b->disk_flags, guint32, i) ||
            !same_string(x->from, y->from) || !same_string(x->to, y->to) ||
            !same_string(x->cc, y->cc) || !same_string(x->subject, y->subject) ||
            !same_string(x->message_id, y->message_id) ||
            !same_string(x->in_reply_to, y->in_reply_to) ||
            !same_string(x->references, y->references) || !same_string(x->uidl, y->uidl))
            return FALSE;
    }
    return TRUE;
}

/* Flags changed in memory and not yet written survive a fresh index of
 * a file another program rewrote (mutt's sync, a fetch that completed a
 * headers-only message): a message is known again by its Message-ID,
 * Date, From and Subject (its length changes when the other program
 * writes its Status line), and the bits changed here are applied to the
 * flags the new file has, so what the other program changed stays too.
 * Messages with the same key are paired in file order (the k-th before
 * is the k-th after). */
typedef struct {
    guint32 set, clear;
} FlagChange;

static char *
message_key(const StoreMessage *m)
{
    return g_strdup_printf("%s\n%" G_GINT64_FORMAT "\n%s\n%s",
                           m->message_id ? m->message_id : "", m->date,
                           m->from ? m->from : "", m->subject ? m->subject : "");
}

static void
free_change_queue(gpointer q)
{
    g_queue_free_full(q, g_free);
}

/* Key -> GQueue of FlagChange, one for each message with a key that
 * some changed message has (most of them no change), in file order; NULL
 * when nothing is changed here. */
static GHashTable *
unwritten_changes(const StoreFolder *f)
{
    GHashTable *t = NULL;
    for (guint i = 0; i < f->msgs->len; i++) {
        const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
        if (m->flags == g_array_index(f->disk_flags, guint32, i))
            continue;
        if (!t)
            t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_change_queue);
        char *key = message_key(m);
        if (!g_hash_table_contains(t, key))
            g_hash_table_insert(t, key, g_queue_new());
        else
            g_free(key);
    }
    if (!t)
        return NULL;
    for (guint i = 0; i < f->msgs->len; i++) {
        const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
        g_autofree char *key = message_key(m);
        GQueue *q = g_hash_table_lookup(t, key);
        if (!q)
            continue;
        guint32 disk = g_array_index(f->disk_flags, guint32, i);
        FlagChange *c = g_new(FlagChange, 1);
        c->set = m->flags & ~disk;
        c->clear = disk & ~m->flags;
        g_queue_push_tail(q, c);
    }
    return t;
}

static void
apply_unwritten_changes(StoreFolder *f, GHashTable *changes)
{
    if (!changes)
        return;
    for (guint i = 0; i < f->msgs->len && g_hash_table_size(changes) > 0; i++) {
        StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
        g_autofree char *key = message_key(m);
        GQueue *q = g_hash_table_lookup(changes, key);
        if (!q)
            continue;
        FlagChange *c = g_queue_pop_head(q);
        m->flags = ((m->flags | c->set) & ~c->clear) & MSG_FLAGS_ALL;
        g_free(c);
        if (g_queue_is_empty(q))
            g_hash_table_remove(changes, key);
    }
}

static void
swap_index(StoreFolder *a, StoreFolder *b)
{
    GArray *msgs = a->msgs, *disk = a->disk_flags;
    GStringChunk *strings = a->strings;
    GPtrArray *blobs = a->blobs;
    a->msgs = b->msgs;
    a->disk_flags = b->disk_flags;
    a->strings = b->strings;
    a->blobs = b->blobs;
    b->msgs = msgs;
    b->disk_flags = disk;
    b->strings = strings;
    b->blobs = blobs;
    a->tail_hash = b->tail_hash;
    a->indexed_size = b->indexed_size;
}

/* The file looks untouched, but F was indexed within a timestamp of its
 * last change: read it all again and compare.  Flags set in memory are
 * kept when nothing changed on disk. */
static gboolean
recheck_racy(StoreFolder *f, int fd, const struct stat *st, gboolean *changed,
             GError **error)
{
    StoreFolder fresh = { 0 };
    fresh.path = f->path;
    fresh.msgs = g_array_new(FALSE, FALSE, sizeof(StoreMessage));
    fresh.disk_flags = g_array_new(FALSE, FALSE, sizeof(guint32));
    fresh.blobs = g_ptr_array_new_with_free_func(store_blob_free);
    store_folder_clear(&fresh);
    gboolean ok = scan_from(&fresh, fd, (guint64)st->st_size, 0, error);
    if (ok) {
        f->scanned = fresh.scanned;
        if (!same_index(f, &fresh)) {
            GHashTable *changes = unwritten_changes(f);
            swap_index(f, &fresh);
            apply_unwritten_changes(f, changes);
            if (changes)
                g_hash_table_destroy(changes);
            if (changed)
                *changed = TRUE;
        }
        store_folder_set_identity(f, st);
        store_cache_save(f);
    }
    g_array_free(fresh.msgs, TRUE);
    g_array_free(fresh.disk_flags, TRUE);
    if (fresh.strings)
        g_string_chunk_free(fresh.strings);
    g_ptr_array_free(fresh.blobs, TRUE);
    return ok;
}

/* Index F's file anew: from the index cache when one matches (not for
 * the file already indexed, SAME_FILE, which changed in place), else by
 * reading it all. */
static gboolean
reindex(StoreFolder *f, int fd, const struct stat *st, gboolean same_file, GError **error)
{
    guint64 size = (guint64)st->st_size;
    if (!same_file) {
        store_folder_clear(f);
        gboolean complete = FALSE;
        if (store_cache_load(f, fd, size, store_mtime_ns(st), store_ctime_ns(st), &complete)) {
            store_folder_set_identity(f, st);
            if (complete) {
                f->from_cache = TRUE;
                return TRUE;
            }
            if (f->msgs->len > 0 &&
                scan_from(f, fd, size, f->msgs->len - 1, error)) {
                store_cache_save(f);
                return TRUE;
            }
            g_clear_error(error);
        }
    }

    /* Anything else: index it all again. */
    store_folder_clear(f);
    store_folder_set_identity(f, st);
    if (!scan_from(f, fd, size, 0, error)) {
        store_folder_clear(f);
        f->has_identity = FALSE;
        return FALSE;
    }
    store_cache_save(f);
    return TRUE;
}

gboolean
store_folder_update(StoreFolder *f, int fd, gboolean *changed, GError **error)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        postie_set_error_errno(error, errno, _("stat"), f->path);
        return FALSE;
    }
    guint64 size = (guint64)st.st_size;
    gint64 mt = store_mtime_ns(&st);
    gint64 ct = store_ctime_ns(&st);
    f->from_cache = FALSE;
    f->scanned = 0;
    if (changed)
        *changed = FALSE;

    /* (An empty folder is known too, or it would look changed at every
     * refresh.) */
    gboolean known = f->has_identity;
    gboolean same_file = known && f->dev == st.st_dev && f->ino == st.st_ino;
    /* Size and mtime alone miss a rewrite in place of the same length
     * within one clock tick, or one whose mtime was set back (mutt does
     * that); the change time cannot be set back. */
    if (same_file && size == f->indexed_size && mt == f->mtime_ns &&
        ct == f->ctime_ns)                            /* nothing happened */
        return !f->racy || recheck_racy(f, fd, &st, changed, error);
    if (changed)
        *changed = TRUE;

    /* Grown, and what we know is still there: index only the tail (from
     * our last message, which may have grown too). */
    if (same_file && size > f->indexed_size && f->msgs->len > 0 &&
        store_index_still_matches(f, fd)) {
        store_folder_set_identity(f, &st);
        if (scan_from(f, fd, size, f->msgs->len - 1, error)) {
            store_cache_save(f);
            return TRUE;
        }
        g_clear_error(error);
    }

    /* From here on the index is made anew. */
    GHashTable *changes = unwritten_changes(f);
    gboolean ok = reindex(f, fd, &st, known && same_file, error);
    if (ok)
        apply_unwritten_changes(f, changes);
    if (changes)
        g_hash_table_destroy(changes);
    return ok;
}

static gboolean
update_locked(StoreFolder *f, gboolean *changed, GError **error)
{
    StoreLock lock;
    if (!store_lock(&lock, f->path, f->fd, FALSE, error))
        return FALSE;
    gboolean ok = store_folder_update(f, f->fd, changed, error);
    store_unlock(&lock);
    return ok;
}

static int
open_folder_file(const char *path, GError **error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                        _("no folder %s"), path);
        else
            postie_set_error_errno(error, e, _("open folder"), path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s is not a regular file"), path);
        close(fd);
        return -1;
    }
    return fd;
}

StoreFolder *
store_folder_open(const char *path, GError **error)
{
    int fd = open_folder_file(path, error);
    if (fd < 0)
        return NULL;
    StoreFolder *f = g_new0(StoreFolder, 1);
    f->path = g_strdup(path);
    f->fd = fd;
    f->msgs = g_array_new(FALSE, FALSE, sizeof(StoreMessage));
    f->disk_flags = g_array_new(FALSE, FALSE, sizeof(guint32));
    f->blobs = g_ptr_array_new_with_free_func(store_blob_free);
    store_folder_clear(f);
    if (!update_locked(f, NULL, error)) {
        store_folder_close(f);
        return NULL;
    }
    return f;
}

void
store_folder_close(StoreFolder *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    g_array_free(f->msgs, TRUE);
    g_array_free(f->disk_flags, TRUE);
    if (f->strings)
        g_string_chunk_free(f->strings);
    g_ptr_array_free(f->blobs, TRUE);
    g_free(f->path);
    g_free(f);
}

const char *
store_folder_path(const StoreFolder *f)
{
    return f->path;
}

guint
store_folder_count(const StoreFolder *f)
{
    return f->msgs->len;
}

const StoreMessage *
store_folder_get(const StoreFolder *f, guint i)
{
    if (i >= f->msgs->len)
        return NULL;
    return &g_array_index(f->msgs, StoreMessage, i);
}

gboolean
store_folder_loaded_from_cache(const StoreFolder *f)
{
    return f->from_cache;
}

guint64
store_folder_bytes_scanned(const StoreFolder *f)
{
    return f->scanned;
}

GBytes *
store_folder_read(StoreFolder *f, guint i, GError **error)
{
    if (i >= f->msgs->len) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                    _("%s: no message %u"), f->path, i + 1);
        return NULL;
    }
    const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
    if (m->length > (guint64)G_MAXSSIZE) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("%s: message %u is too big"), f->path, i + 1);
        return NULL;
    }
    gsize len = (gsize)m->length;
    char *buf = g_malloc(len + 1);
    gsize got = 0;
    while (got < len) {
        ssize_t n = pread(f->fd, buf + got, len - got, (off_t)(m->offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            g_free(buf);
            if (n == 0)
                g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                            _("%s changed since it was opened (message %u is gone)"),
                            f->path, i + 1);
            else
                postie_set_error_errno(error, e, _("read"), f->path);
            return NULL;
        }
        got += (gsize)n;
    }
    if (len < 5 || memcmp(buf, "From ", 5) != 0) {
        g_free(buf);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s changed since it was opened (message %u moved)"),
                    f->path, i + 1);
        return NULL;
    }
    /* Drop the From_ line and the blank line before the next message. */
    const char *nl = memchr(buf, '\n', len);
    gsize start = nl ? (gsize)(nl - buf) + 1 : len;
    gsize end = len;
    if (end - start >= 2 && buf[end - 1] == '\n' && buf[end - 2] == '\n')
        end--;
    else if (end - start >= 4 && memcmp(buf + end - 4, "\r\n\r\n", 4) == 0)
        end -= 2;
    /* Unquote ">From " (mboxrd: one '>' less on ">*From " lines). */
    gsize o = 0;
    gsize p = start;
    while (p < end) {
        const char *lnl = memchr(buf + p, '\n', end - p);
        gsize le = lnl ? (gsize)(lnl - buf) + 1 : end;
        gsize q = p;
        while (q < le && buf[q] == '>')
            q++;
        if (q > p && le - q >= 5 && memcmp(buf + q, "From ", 5) == 0)
            p++;
        memmove(buf + o, buf + p, le - p);
        o += le - p;
        p = le;
    }
    return g_bytes_new_take(g_realloc(buf, o ? o : 1), o);
}

static gboolean
pread_all(StoreFolder *f, guint i, char *buf, gsize len, guint64 off, GError **error)
{
    gsize got = 0;
    while (got < len) {
        ssize_t n = pread(f->fd, buf + got, len - got, (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                            _("%s changed since it was opened (message %u is gone)"),
                            f->path, i + 1);
            else
                postie_set_error_errno(error, errno, _("read"), f->path);
            return FALSE;
        }
        got += (gsize)n;
    }
    return TRUE;
}

/* One line of message I: unquoted, handed to FUNC. */
static gboolean
emit_line(GString *line, StoreLineFunc func, gpointer data, GError **error)
{
    gsize q = 0;
    while (q < line->len && line->str[q] == '>')
        q++;
    gboolean quoted = q > 0 && line->len - q >= 5 && memcmp(line->str + q, "From ", 5) == 0;
    gboolean ok = func(line->str + quoted, line->len - quoted, data, error);
    g_string_truncate(line, 0);
    return ok;
}

gboolean
store_folder_read_lines(StoreFolder *f, guint i, StoreLineFunc func,
                        gpointer data, GError **error)
{
    if (i >= f->msgs->len) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                    _("%s: no message %u"), f->path, i + 1);
        return FALSE;
    }
    const StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
    char tail[4], head[4096];
    gsize tl = m->length < 4 ? (gsize)m->length : 4;
    gsize hl = m->length < sizeof head ? (gsize)m->length : sizeof head;
    if (m->length < 5 || !pread_all(f, i, head, hl, m->offset, error) ||
        !pread_all(f, i, tail, tl, m->offset + m->length - tl, error) ||
        memcmp(head, "From ", 5) != 0) {
        if (error && !*error)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                        _("%s changed since it was opened (message %u moved)"),
                        f->path, i + 1);
        return FALSE;
    }
    /* Without the blank line before the next message, as store_folder_read. */
    const char *fnl = memchr(head, '\n', hl);
    guint64 body = fnl ? (guint64)(fnl - head) + 1 : m->length;   /* after From_ */
    guint64 end = m->offset + m->length, rest = m->length - body;
    if (rest >= 2 && tail[tl - 1] == '\n' && tail[tl - 2] == '\n')
        end--;
    else if (rest >= 4 && memcmp(tail, "\r\n\r\n", 4) == 0)
        end -= 2;
    g_autofree char *buf = g_malloc(256 * 1024);
    g_autoptr(GString) line = g_string_new(NULL);
    gboolean from_line = TRUE;
    for (guint64 off = m->offset; off < end;) {
        gsize n = (gsize)MIN(end - off, (guint64)256 * 1024);
        if (!pread_all(f, i, buf, n, off, error))
            return FALSE;
        off += n;
        for (gsize p = 0; p < n;) {
            const char *nl = memchr(buf + p, '\n', n - p);
            gsize take = nl ? (gsize)(nl - (buf + p)) + 1 : n - p;
            g_string_append_len(line, buf + p, (gssize)take);
            p += take;
            if (!nl)
                break;
            if (from_line) {
                from_line = FALSE;
                g_string_truncate(line, 0);
            } else if (!emit_line(line, func, data, error)) {
                return FALSE;
            }
        }
    }
    return from_line || line->len == 0 || emit_line(line, func, data, error);
}

gboolean
store_folder_refresh(StoreFolder *f, gboolean *changed, GError **error)
{
    /* A folder replaced by rename (a rewrite by us or another program)
     * is a new file: reopen it. */
    struct stat st;
    if (stat(f->path, &st) < 0) {
        int e = errno;
        if (e == ENOENT)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                        _("folder %s was removed"), f->path);
        else
            postie_set_error_errno(error, e, _("stat"), f->path);
        return FALSE;
    }
    if (st.st_dev != f->dev || st.st_ino != f->ino) {
        int fd = open_folder_file(f->path, error);
        if (fd < 0)
            return FALSE;
        close(f->fd);
        f->fd = fd;
    }
    return update_locked(f, changed, error);
}

void
store_folder_set_flags(StoreFolder *f, guint i, guint32 flags)
{
    if (i < f->msgs->len)
        g_array_index(f->msgs, StoreMessage, i).flags = flags & MSG_FLAGS_ALL;
}

void
store_message_free(StoreMessage *m)
{
    if (!m)
        return;
    g_free(m->from);
    g_free(m->to);
    g_free(m->cc);
    g_free(m->subject);
    g_free(m->message_id);
    g_free(m->in_reply_to);
    g_free(m->references);
    g_free(m->uidl);
    g_free(m);
}

StoreMessage *
store_message_copy(const StoreMessage *src)
{
    StoreMessage *m = g_new(StoreMessage, 1);
    *m = *src;
    m->from = g_strdup(src->from);
    m->to = g_strdup(src->to);
    m->cc = g_strdup(src->cc);
    m->subject = g_strdup(src->subject);
    m->message_id = g_strdup(src->message_id);
    m->in_reply_to = g_strdup(src->in_reply_to);
    m->references = g_strdup(src->references);
    m->uidl = g_strdup(src->uidl);
    return m;
}
