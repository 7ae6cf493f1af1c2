/* Internals of store/: shared by its files, never included from outside. */
#ifndef POSTIE_STORE_PRIVATE_H
#define POSTIE_STORE_PRIVATE_H

#include <sys/stat.h>
#include <sys/types.h>

#include "store/store.h"
#include "util/util.h"

struct StoreFolder {
    char *path;
    int fd;                   /* O_RDONLY on the file we indexed */
    GArray *msgs;             /* StoreMessage */
    GArray *disk_flags;       /* guint32: flags as written in the file */
    GStringChunk *strings;    /* strings of messages indexed by scanning */
    GPtrArray *blobs;         /* StoreBlob: caches and strings messages point into */
    guint64 indexed_size;     /* bytes of the file the index covers */
    gboolean has_identity;    /* dev..racy describe an indexed file */
    dev_t dev;
    ino_t ino;
    gint64 mtime_ns;
    gint64 ctime_ns;          /* no program can set it back, unlike mtime */
    gboolean racy;            /* indexed so soon after the last change that
                               * a write in the same clock tick would leave
                               * the times as they are */
    guint64 tail_hash;        /* store_tail_hash at indexed_size */
    gboolean from_cache;
    guint64 scanned;          /* bytes scanned by the last open/refresh */
};

/* ---- scan.c ------------------------------------------------------------ */

/* Index MAP[START..LEN) (the whole file is mapped; START is the offset of a
 * separator, or 0) and append the messages found to MSGS, their strings in
 * STRINGS.  Fails with POSTIE_ERROR_FORMAT (naming PATH) when START is not
 * at a "From " separator. */
gboolean store_scan(const char *map, guint64 len, guint64 start,
                    GArray *msgs, GStringChunk *strings, GPtrArray *blobs,
                    const char *path, GError **error);
/* Folders of at least split_min bytes (0: the default, 8 MB) are scanned
 * by two threads, the second one's strings in a StoreBlob added to BLOBS.
 * The result is the same as one thread's; tests lower the size to run
 * the two-thread path on small folders. */
void store_scan_set_split_min(guint64 bytes);
/* store_scan with the second thread starting at the first separator at
 * or after SPLIT (one thread when SPLIT is 0 or there is none): for
 * tests that put the split on chosen places. */
gboolean store_scan_split_at(const char *map, guint64 len, guint64 start,
                             guint64 split, GArray *msgs, GStringChunk *strings,
                             GPtrArray *blobs, const char *path, GError **error);
/* Is MAP[POS..) a separator line: at file start or after a blank line,
 * "From " and a plausible ctime date? */
gboolean store_is_separator(const char *map, guint64 len, guint64 pos);
guint store_missing_newlines(const char *tail, gsize tl);
/* The "From " line checks alone, on LEN bytes starting after "From ". */
gboolean store_from_line_plausible(const char *p, gsize len);
/* Parse the flags of a Status: / X-Status: value. */
guint32 store_parse_status(const char *v, gsize len, gboolean x_status);
guint32 store_parse_mozilla_status(const char *v, gsize len);

/* ---- decode.c ---------------------------------------------------------- */

/* Raw (possibly folded) header value -> display strings, in STRINGS. */
char *store_decode_text(GStringChunk *strings, const char *v, gsize len);
char *store_decode_addresses(GStringChunk *strings, const char *v, gsize len);
char *store_decode_plain(GStringChunk *strings, const char *v, gsize len);
/* RFC 5322 date -> Unix time, 0 when it cannot be read. */
gint64 store_parse_date(const char *v, gsize len);

/* ---- lock.c ------------------------------------------------------------ */

typedef struct {
    char *dotlock;            /* FOLDER.lock when we created it */
    int fd;                   /* fd the fcntl lock is on, or -1 */
} StoreLock;

/* WRITE: dotlock + fcntl write lock; else an fcntl read lock only.  FD is
 * open on PATH (O_RDWR for a write lock).  Waits up to the lock timeout. */
gboolean store_lock(StoreLock *l, const char *path, int fd, gboolean write,
                    GError **error);
/* A write lock on the file now at PATH: like store_lock, but if the file
 * was replaced while we waited, *FD is reopened (with open FLAGS) on the
 * new one and locked instead. */
gboolean store_lock_current(StoreLock *l, const char *path, int *fd, int flags,
                            GError **error);
void store_unlock(StoreLock *l);

/* ---- append.c ---------------------------------------------------------- */

/* The header lines for FLAGS ("Status: RO" ...), each ending in NL. */
void store_status_lines(GString *out, guint32 flags, const char *nl);

/* ---- folder.c ---------------------------------------------------------- */

/* Bring F's index up to date with the file now at F->path (FD open on
 * it, already locked by the caller or not).  Used by open, refresh, sync. */
gboolean store_folder_update(StoreFolder *f, int fd, gboolean *changed,
                             GError **error);
void store_folder_clear(StoreFolder *f);
gboolean store_index_still_matches(StoreFolder *f, int fd);
/* Modification and change times of ST in nanoseconds. */
gint64 store_mtime_ns(const struct stat *st);
gint64 store_ctime_ns(const struct stat *st);
/* Record ST (the file just indexed) as what F's index describes. */
void store_folder_set_identity(StoreFolder *f, const struct stat *st);
/* Map a file read-only; NULL with *error set on failure.  LEN 0 gives
 * a non-NULL dummy. */
const char *store_map(int fd, guint64 len, const char *path, GError **error);
void store_unmap(const char *map, guint64 len);

/* ---- cache.c ----------------------------------------------------------- */

/* What indexed messages point into: a mapped cache (DATA, LEN), or the
 * strings of a second scanning thread (STRINGS). */
typedef struct {
    void *data;
    gsize len;
    GStringChunk *strings;
} StoreBlob;
void store_blob_free(gpointer blob);

char *store_cache_path(const char *folder_path);
/* Try to fill F (empty) from the cache of FD, the folder now FILE_SIZE
 * bytes with modification time MTIME_NS and change time CTIME_NS.  TRUE
 * if the cache describes a prefix of the file (checked); *COMPLETE if it
 * covers all of it. */
gboolean store_cache_load(StoreFolder *f, int fd, guint64 file_size,
                          gint64 mtime_ns, gint64 ctime_ns, gboolean *complete);
/* Written only for folders of at least 512 KB (the default); tests set
 * another size (0: every folder). */
void store_cache_save(StoreFolder *f);
void store_cache_set_min_size(guint64 bytes);
/* 64-bit FNV-1a over the last bytes before END (up to 4 KiB). */
guint64 store_tail_hash(int fd, guint64 end, gboolean *ok);

#endif
