/* The persistent index cache: $XDG_STATE_HOME/postie/index/<sha256 of the
 * folder's real path>.idx, mode 0600, written with atomic_write_file.
 *
 * It is only a cache: any doubt (another device or inode, a shorter file,
 * the last TAIL_BYTES of the indexed region hashing differently, bad
 * magic, bad sizes) and the folder is indexed again.  Layout, native
 * byte order (the header says which):
 *
 *   CacheHeader
 *   CacheRecord[count]
 *   strings: NUL-terminated, referenced by offset (NO_STRING: NULL)
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/private.h"

/* Also changed when the decoded strings or flags would read differently
 * (6: a single mailbox keeps the quotes its name needs, a domain written
 * in Unicode stays so; 7: Thunderbird's X-Mozilla-Status is read), so
 * old caches go. */
#define CACHE_MAGIC "POSTIDX7"
#define BYTE_ORDER_MARK 0x01020304u
#define NO_STRING 0xffffffffu
#define TAIL_BYTES 4096

typedef struct {
    char magic[8];
    guint32 byte_order;
    guint32 count;
    guint64 dev, ino, size;
    gint64 mtime_ns, ctime_ns;
    guint64 tail_hash;
    guint64 strings_len;
    guint32 racy;             /* StoreFolder.racy when saved */
    guint32 reserved;
} CacheHeader;

enum { S_FROM, S_TO, S_CC, S_SUBJECT, S_MESSAGE_ID, S_IN_REPLY_TO, S_REFERENCES, S_UIDL, S_COUNT };

typedef struct {
    guint64 offset, length, size;
    gint64 date;
    guint32 flags;
    guint32 attach_crypto;    /* bit 0: has_attachments; bits 8-15: StoreCrypto */
    guint32 str[S_COUNT];
} CacheRecord;

guint64
store_tail_hash(int fd, guint64 end, gboolean *ok)
{
    char buf[TAIL_BYTES];
    gsize n = end < TAIL_BYTES ? (gsize)end : TAIL_BYTES;
    guint64 h = 14695981039346656037ull ^ end;
    *ok = TRUE;
    if (n > 0 && pread(fd, buf, n, (off_t)(end - n)) != (ssize_t)n) {
        *ok = FALSE;
        return 0;
    }
    for (gsize i = 0; i < n; i++) {
        h ^= (unsigned char)buf[i];
        h *= 1099511628211ull;
    }
    return h;
}

char *
store_cache_path(const char *folder_path)
{
    char *real = realpath(folder_path, NULL);
    const char *key = real ? real : folder_path;
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
    free(real);
    g_autofree char *state = paths_state_dir();
    g_autofree char *name = g_strconcat(sum, ".idx", NULL);
    return g_build_filename(state, "index", name, NULL);
}

static char **
message_strings(StoreMessage *m, char **s[S_COUNT])
{
    s[S_FROM] = &m->from;
    s[S_TO] = &m->to;
    s[S_CC] = &m->cc;
    s[S_SUBJECT] = &m->subject;
    s[S_MESSAGE_ID] = &m->message_id;
    s[S_IN_REPLY_TO] = &m->in_reply_to;
    s[S_REFERENCES] = &m->references;
    s[S_UIDL] = &m->uidl;
    return NULL;
}

void
store_blob_free(gpointer p)
{
    StoreBlob *b = p;
    if (b->len > 0)
        munmap(b->data, b->len);
    if (b->strings)
        g_string_chunk_free(b->strings);
    g_free(b);
}

/* The cache is mapped, not read: the records are walked once, and the
 * strings are paged in only when someone looks at them. */
gboolean
store_cache_load(StoreFolder *f, int fd, guint64 file_size, gint64 mtime_ns,
                 gint64 ctime_ns, gboolean *complete)
{
    *complete = FALSE;
    g_autofree char *path = store_cache_path(f->path);
    int cfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (cfd < 0)
        return FALSE;
    struct stat cst;
    if (fstat(cfd, &cst) < 0 || !S_ISREG(cst.st_mode) ||
        (guint64)cst.st_size < sizeof(CacheHeader) || (guint64)cst.st_size > G_MAXSIZE) {
        close(cfd);
        return FALSE;
    }
    gsize len = (gsize)cst.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, cfd, 0);
    close(cfd);
    if (map == MAP_FAILED)
        return FALSE;
    StoreBlob blob = { map, len, NULL };
    char *data = map;
    const CacheHeader *h = (const CacheHeader *)data;
    struct stat st;
    if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 ||
        h->byte_order != BYTE_ORDER_MARK || fstat(fd, &st) < 0 ||
        h->dev != (guint64)st.st_dev || h->ino != (guint64)st.st_ino ||
        h->size > file_size ||
        (guint64)h->count > (len - sizeof *h) / sizeof(CacheRecord) ||
        sizeof *h + (guint64)h->count * sizeof(CacheRecord) + h->strings_len != len ||
        (h->strings_len > 0 && data[len - 1] != '\0') ||
        /* Saved within a timestamp of a change: the times prove nothing. */
        h->racy) {
        munmap(map, len);
        return FALSE;
    }
    const CacheRecord *rec = (const CacheRecord *)(data + sizeof *h);
    char *strings = data + sizeof *h + (gsize)h->count * sizeof(CacheRecord);
    g_array_set_size(f->msgs, h->count);
    g_array_set_size(f->disk_flags, h->count);
#ifdef MADV_POPULATE_WRITE
    /* Fault the new index in with one call instead of page by page. */
    {
        long page = sysconf(_SC_PAGESIZE);
        guintptr a = ((guintptr)f->msgs->data + (guintptr)page - 1) & ~(guintptr)(page - 1);
        guintptr e = ((guintptr)f->msgs->data + (guintptr)h->count * sizeof(StoreMessage)) &
                     ~(guintptr)(page - 1);
        if (e > a)
            madvise((void *)a, e - a, MADV_POPULATE_WRITE);
    }
#endif
    guint64 prev_end = 0;
    for (guint32 i = 0; i < h->count; i++) {
        StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
        const CacheRecord *r = &rec[i];
        /* Messages must tile the indexed region in order, each inside
         * it: written so that no sum can wrap around. */
        if (r->offset != prev_end && !(i == 0 && r->offset < h->size))
            goto bad;
        if (r->offset < prev_end || r->offset >= h->size || r->length == 0 ||
            r->length > h->size - r->offset || r->size > r->length)
            goto bad;
        prev_end = r->offset + r->length;
        m->offset = r->offset;
        m->length = r->length;
        m->size = r->size;
        m->date = r->date;
        m->flags = r->flags & MSG_FLAGS_ALL;
        m->has_attachments = (r->attach_crypto & 1) != 0;
        m->crypto = (guint8)(r->attach_crypto >> 8);
        char **s[S_COUNT];
        message_strings(m, s);
        for (int k = 0; k < S_COUNT; k++) {
            if (r->str[k] == NO_STRING)
                *s[k] = NULL;
            else if (r->str[k] < h->strings_len)
                *s[k] = strings + r->str[k];
            else
                goto bad;
        }
        g_array_index(f->disk_flags, guint32, i) = m->flags;
    }
    if (h->count > 0 && prev_end != h->size)
        goto bad;
    f->indexed_size = h->size;
    f->tail_hash = h->tail_hash;
    if (!store_index_still_matches(f, fd))
        goto bad;
    if (h->count == 0 && h->size != 0)
        goto bad;
    g_ptr_array_add(f->blobs, g_memdup2(&blob, sizeof blob));
    *complete = h->size == file_size && h->mtime_ns == mtime_ns &&
                h->ctime_ns == ctime_ns;
    /* A partial cache is only useful when we can scan on from it. */
    return *complete || h->count > 0;
bad:
    g_array_set_size(f->msgs, 0);
    g_array_set_size(f->disk_flags, 0);
    f->indexed_size = 0;
    munmap(map, len);
    return FALSE;
}

static gboolean
put(FILE *fp, const void *p, gsize n)
{
    return n == 0 || fwrite(p, 1, n, fp) == n;
}

/* Written through a buffered temp file (no copy of the whole cache in
 * memory), fsynced and renamed: the same steps as atomic_write_file. */
/* A folder smaller than this is scanned again faster than its cache is
 * written (which costs two fsyncs): it gets none. */
#define CACHE_MIN (512u << 10)
static guint64 cache_min = CACHE_MIN;

void
store_cache_set_min_size(guint64 bytes)
{
    cache_min = bytes;
}

void
store_cache_save(StoreFolder *f)
{
    g_autofree char *path = store_cache_path(f->path);
    if (f->indexed_size < cache_min) {
        unlink(path);          /* one left from when it was bigger */
        return;
    }
    g_autofree char *dir = g_path_get_dirname(path);
    if (!paths_ensure_dir(dir, 0700, NULL))
        return;

    guint n = f->msgs->len;
    gsize strings_len = 0;
    for (guint i = 0; i < n; i++) {
        char **s[S_COUNT];
        message_strings(&g_array_index(f->msgs, StoreMessage, i), s);
        for (int k = 0; k < S_COUNT; k++)
            if (*s[k])
                strings_len += strlen(*s[k]) + 1;
    }
    if (strings_len >= NO_STRING)
        return;

    g_autofree char *tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        unlink(tmp);
        return;
    }
    /* Our own buffer: given NULL, glibc ignores the size and writes in
     * 4 KB pieces (6,000 writes for the cache of 100,000 messages). */
    g_autofree char *buf = g_malloc(1 << 20);
    setvbuf(fp, buf, _IOFBF, 1 << 20);

    CacheHeader h = { { 0 } };
    memcpy(h.magic, CACHE_MAGIC, 8);
    h.byte_order = BYTE_ORDER_MARK;
    h.count = n;
    h.dev = (guint64)f->dev;
    h.ino = (guint64)f->ino;
    h.size = f->indexed_size;
    h.mtime_ns = f->mtime_ns;
    h.ctime_ns = f->ctime_ns;
    h.racy = f->racy ? 1 : 0;
    h.tail_hash = f->tail_hash;
    h.strings_len = strings_len;
    gboolean ok = put(fp, &h, sizeof h);
    gsize so = 0;
    for (guint i = 0; ok && i < n; i++) {
        StoreMessage *m = &g_array_index(f->msgs, StoreMessage, i);
        CacheRecord r = { 0 };
        r.offset = m->offset;
        r.length = m->length;
        r.size = m->size;
        r.date = m->date;
        r.flags = g_array_index(f->disk_flags, guint32, i);
        r.attach_crypto = (m->has_attachments ? 1u : 0u) | ((guint32)m->crypto << 8);
        char **s[S_COUNT];
        message_strings(m, s);
        for (int k = 0; k < S_COUNT; k++) {
            if (!*s[k]) {
                r.str[k] = NO_STRING;
                continue;
            }
            r.str[k] = (guint32)so;
            so += strlen(*s[k]) + 1;
        }
        ok = put(fp, &r, sizeof r);
    }
    for (guint i = 0; ok && i < n; i++) {
        char **s[S_COUNT];
        message_strings(&g_array_index(f->msgs, StoreMessage, i), s);
        for (int k = 0; ok && k < S_COUNT; k++)
            if (*s[k])
                ok = put(fp, *s[k], strlen(*s[k]) + 1);
    }
    ok = ok && fflush(fp) == 0 && fsync(fd) == 0;
    ok = fclose(fp) == 0 && ok;
    /* A cache that cannot be written only costs time on the next open. */
    if (!ok || rename(tmp, path) < 0) {
        unlink(tmp);
        return;
    }
    fsync_parent_dir(path, NULL);
}
