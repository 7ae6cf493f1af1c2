/* store/: the local mail store: one mbox file per folder, shared safely
 * with mutt, Dovecot and procmail.
 *
 *   private.h   internals shared by the files below
 *   scan.c      the fast mbox scanner: separators, the few headers the
 *               index needs, flags; no full MIME parse; a folder of 8 MB
 *               or more in two threads, giving the one-thread index
 *   decode.c    turning raw header values into display text and dates
 *   folder.c    open / refresh / read / close a folder; set flags
 *   cache.c     the persistent index cache ($XDG_STATE_HOME/postie/index)
 *   lock.c      dotlock (FOLDER.lock, linked from a file with our pid) +
 *               fcntl locking with timeout
 *   append.c    the appender: From_ line, mboxrd quoting, Status/X-Status,
 *               write, fsync, truncate back on error
 *   sync.c      saving flags and expunging: temp file + fsync + rename
 *   dir.c       the folder directory: default folders, create, rename,
 *               delete, list; copying and moving messages
 *
 * Order of calls for reading: store_folder_open, then _count/_get/_read as
 * often as wanted, store_folder_refresh to pick up new mail,
 * store_folder_set_flags + store_folder_sync to save changes,
 * store_folder_close.  For writing new mail: store_appender_open,
 * store_appender_add (many), store_appender_flush (durable point),
 * store_appender_close (or _abort).  store_append does all three for one.
 *
 * On disk: mboxrd, "From " lines quoted as ">From ", ">From " as ">>From ".
 * Flags live in "Status:" (R read, O old) and "X-Status:" (A replied,
 * F flagged, D deleted) headers exactly as mutt writes them ("Status: RO"
 * for read mail reads back as MSG_READ alone: MSG_OLD means seen but
 * unread, "Status: O"); MSG_PARTIAL in
 * "X-Postie-Partial: yes" (kept by other programs as an unknown header).
 * Thunderbird's "X-Mozilla-Status" is read when neither Status line is
 * there, and dropped when the flags are written.
 * Reading accepts mboxo as well, LF or CRLF line ends, and "From " lines
 * only where a separator can stand (file start or after a blank line, with
 * a plausible date).
 *
 * Locking: writers (appender, sync, rename, delete) take FOLDER.lock and
 * an fcntl write lock and wait up to the lock timeout; opening and
 * refreshing take an fcntl read lock only for the scan.  fcntl locks
 * belong to the process, and closing any descriptor of a file drops them,
 * so within one process the dotlock is what keeps two writers apart.
 *
 * Index cache: $XDG_STATE_HOME/postie/index/, one file per folder (mode
 * 0600), keyed by the folder's device, inode, size, mtime and ctime and
 * checked against the bytes at the end of the indexed region; an
 * unchanged folder is not read, a grown one is scanned from its last known
 * message on, and anything else is scanned again.  Folders under 512 KB
 * get no cache (scanning them again is cheaper than writing it).
 * Deleting the cache is always safe.
 *
 * Noticing changes (open, refresh, sync): a file replaced by rename has
 * another inode; a rewrite in place changes the ctime, which no program
 * can set back (mutt sets the mtime back); growth by appending keeps the
 * indexed bytes.  A file indexed within a timestamp's resolution of its
 * last change (a clock tick, or a second on file systems without
 * nanoseconds) is "racy": a second write in that tick would leave every
 * time as it was, so until its change is older, an unchanged-looking
 * file is read again and compared, and such an index is never taken
 * from the cache.  (A rewrite in place that also grows the file and keeps
 * the indexed tail bytes and separators is taken for an append, as mutt
 * does; postie itself never rewrites in place.)
 *
 * Not thread-safe per object: one StoreFolder or StoreAppender belongs to
 * one thread at a time.  Different objects may be used from different
 * threads.
 */
#ifndef POSTIE_STORE_H
#define POSTIE_STORE_H

#include <glib.h>

typedef enum {
    MSG_READ = 1 << 0, MSG_REPLIED = 1 << 1, MSG_FLAGGED = 1 << 2,
    MSG_DELETED = 1 << 3, MSG_OLD = 1 << 4,      /* mutt's O: seen, unread */
    MSG_PARTIAL = 1 << 5,  /* headers only: body still on the server */
} MsgFlags;

#define MSG_FLAGS_ALL 0x3fu

typedef struct {
    guint64 offset;        /* of the "From " line in the file */
    guint64 length;        /* whole message incl. From_ line */
    guint32 flags;         /* MsgFlags */
    gint64 date;           /* Date: as Unix time (0 if missing/bad) */
    char *from, *to, *cc;  /* decoded, UTF-8, display form */
    char *subject;         /* decoded UTF-8 */
    char *message_id, *in_reply_to, *references;
    char *uidl;            /* value of X-Postie-UIDL: "ACCOUNT UID", or NULL */
    guint64 size;          /* message size in bytes (without From_ line) */
    gboolean has_attachments;
    guint8 crypto;         /* StoreCrypto bits, from the top Content-Type */
} StoreMessage;

/* What the top Content-Type says about signing and encryption (for the
 * list's "s" and "P" flags; the viewer verifies and decrypts). */
typedef enum {
    STORE_CRYPTO_SIGNED = 1 << 0,      /* multipart/signed, S/MIME signed-data */
    STORE_CRYPTO_ENCRYPTED = 1 << 1,   /* multipart/encrypted, S/MIME enveloped */
} StoreCrypto;

/* Folder names: the defaults, created by store_ensure_default_folders. */
#define STORE_INBOX  "Inbox"
#define STORE_OUTBOX "Outbox"
#define STORE_SENT   "Sent"
#define STORE_DRAFTS "Drafts"
#define STORE_TRASH  "Trash"

/* ---- reading a folder -------------------------------------------------- */

typedef struct StoreFolder StoreFolder;

/* Open and index the mbox at PATH (using and updating the index cache).
 * A missing file is POSTIE_ERROR_NOT_FOUND; a file that is not an mbox
 * (does not start with "From ") is POSTIE_ERROR_FORMAT; an empty file is a
 * folder with no messages. */
StoreFolder *store_folder_open(const char *path, GError **error);
void store_folder_close(StoreFolder *f);
const char *store_folder_path(const StoreFolder *f);
guint store_folder_count(const StoreFolder *f);
/* NULL if I is out of range.  Valid until the next refresh/sync/close. */
const StoreMessage *store_folder_get(const StoreFolder *f, guint i);
/* Raw RFC 5322 bytes of message i: no From_ line, ">From " unquoted. */
GBytes *store_folder_read(StoreFolder *f, guint i, GError **error);
/* The same bytes line by line (each with its '\n', the last one perhaps
 * without), read in pieces: for messages too large to hold in memory.
 * FUNC returning FALSE stops with its error. */
typedef gboolean (*StoreLineFunc)(const char *line, gsize len, gpointer data,
                                  GError **error);
gboolean store_folder_read_lines(StoreFolder *f, guint i, StoreLineFunc func,
                                 gpointer data, GError **error);
/* Pick up mail appended (or other changes made) by anyone since open.
 * *CHANGED (may be NULL) says whether the message list changed. */
gboolean store_folder_refresh(StoreFolder *f, gboolean *changed, GError **error);
void store_folder_set_flags(StoreFolder *f, guint i, guint32 flags);
/* Write changed flags (and drop MSG_DELETED ones if EXPUNGE) through
 * temp + fsync + rename.  If EXPUNGED is not NULL it receives copies
 * (StoreMessage*, free with store_message_free) of what was expunged.
 * Mail appended meanwhile by others is kept and indexed. */
gboolean store_folder_sync(StoreFolder *f, gboolean expunge,
                           GPtrArray **expunged, GError **error);
/* Free a StoreMessage copy (from store_folder_sync or store_message_copy). */
void store_message_free(StoreMessage *m);
StoreMessage *store_message_copy(const StoreMessage *m);
/* TRUE when the last open/refresh came from the cache without reading the
 * folder (for tests and benchmarks). */
gboolean store_folder_loaded_from_cache(const StoreFolder *f);
/* How many bytes of the folder the last open/refresh scanned. */
guint64 store_folder_bytes_scanned(const StoreFolder *f);

/* ---- appending --------------------------------------------------------- */

/* Appending: lock once, add many, one fsync for all (fetch and send).
 * The folder file is created (mode 0600) if missing. */
typedef struct StoreAppender StoreAppender;
StoreAppender *store_appender_open(const char *path, GError **error);
/* DATA: one RFC 5322 message (LF or CRLF line ends; a leading From_ line
 * is dropped).  Added messages are built into one buffer and written
 * together, in one write, when it holds a few MB or at the flush; on a
 * failed write the folder is truncated back to before that write. */
gboolean store_appender_add(StoreAppender *a, const char *data, gsize len,
                            guint32 flags, GError **error);
/* The same for a message too large to hold in memory: HEAD (HEAD_LEN
 * bytes, may be NULL) followed by the contents of FD from offset 0 to its
 * end, read and written in pieces (lines are held whole: FD's lines must
 * be of a sane length). */
gboolean store_appender_add_file(StoreAppender *a, const char *head, gsize head_len,
                                 int fd, guint32 flags, GError **error);
/* fsync; when TRUE, everything added so far is durable on disk. */
gboolean store_appender_flush(StoreAppender *a, GError **error);
/* flush + unlock + close. */
gboolean store_appender_close(StoreAppender *a, GError **error);
/* Truncate back to the last successful flush, unlock, close. */
void store_appender_abort(StoreAppender *a);
/* One message: open, add, close. */
gboolean store_append(const char *path, const char *data, gsize len,
                      guint32 flags, GError **error);
/* Is the header line at P (LEN bytes, up to the colon at least) one of
 * those the store writes itself for a message's flags (Status, X-Status,
 * X-Postie-Partial; Thunderbird's X-Mozilla-Status goes with them)?  An
 * appended message's own are dropped. */
gboolean store_is_flag_header(const char *p, gsize len);

/* ---- locking ----------------------------------------------------------- */

/* How long to wait for a lock held by someone else before failing with
 * POSTIE_ERROR_LOCKED, in seconds (may be fractional).  The first of:
 * store_set_lock_timeout() (a negative value unsets it),
 * $POSTIE_LOCK_TIMEOUT, store_set_default_lock_timeout() (the
 * configuration's lock_timeout), 30 s. */
void store_set_lock_timeout(double seconds);
void store_set_default_lock_timeout(double seconds);
double store_get_lock_timeout(void);

/* ---- the folder directory --------------------------------------------- */

gboolean store_ensure_default_folders(const char *mail_dir, GError **error);
/* Check a user-given folder name: not empty, no '/', no leading '.', no
 * control characters, not ending in ".lock", at most 255 bytes. */
gboolean store_folder_name_valid(const char *name, GError **error);
char *store_path_for(const char *mail_dir, const char *name, GError **error);
/* Folder names (char*, g_free): the defaults first, then the rest sorted. */
GPtrArray *store_list_folders(const char *mail_dir, GError **error);
gboolean store_create_folder(const char *mail_dir, const char *name, GError **error);
gboolean store_rename_folder(const char *mail_dir, const char *from, const char *to, GError **error);
gboolean store_delete_folder(const char *mail_dir, const char *name, GError **error);
/* Copy messages to another folder (append), optionally marking them
 * deleted in the source (a move is then completed by store_folder_sync). */
gboolean store_copy(StoreFolder *src, const guint *idx, guint n,
                    const char *dest_path, gboolean move, GError **error);

#endif
