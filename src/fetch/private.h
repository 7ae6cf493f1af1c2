/* fetch/ internals: UIDL records, marks, filters, plan, message preparation.
 * Nothing outside src/fetch/ includes this header. */
#ifndef POSTIE_FETCH_PRIVATE_H
#define POSTIE_FETCH_PRIVATE_H

#include <glib.h>

#include "config/conf.h"
#include "fetch/fetch.h"
#include "pop3/pop3.h"
#include "store/store.h"

/* ---- uidls.c: the records of UIDs seen --------------------------------- */

/* What we know about one UID of one server mailbox.  The letter is what the
 * records file holds. */
typedef enum {
    UIDL_DOWNLOADED   = 'D', /* the whole message is in a folder here */
    UIDL_HEADERS      = 'H', /* only its headers are here (MSG_PARTIAL) */
    UIDL_WANT_BODY    = 'G', /* headers here; the user asked for the rest */
    UIDL_WANT_DELETE  = 'X', /* headers here; the user asked to DELE it */
    UIDL_DELETED_HERE = 'R', /* the local copy was expunged */
    UIDL_IN_FLIGHT    = 'F', /* being appended: may or may not be on disk */
    UIDL_CLEANUP      = 'C', /* full copy on disk; partial copy to expunge */
} UidlState;

typedef struct {
    char *uid;             /* in the record's allocation (uidl_record_new) */
    gint64 first_seen;     /* Unix time postie first saw it on the server */
    char state;            /* UidlState */
    gboolean partial;      /* F: the copy being appended is headers only */
    guint64 length;        /* F: canonical length of the copy (message.c) */
    char *sum;             /* F: its SHA-256, hex */
    char *folder;          /* H G X F C: folder name of the local copy */
} UidlRecord;

typedef struct UidlFile UidlFile;

/* "$XDG_STATE_HOME/postie/uidls/ACCOUNT" (the name escaped so that any
 * account name gives one plain file name). */
char *uidls_path_for(const char *account);

/* Take the account's fetch lock (ACCOUNT.lock beside the records, flock)
 * without waiting: POSTIE_ERROR_LOCKED "a fetch for ACCOUNT is already
 * running" when another process or thread holds it.  Then read the records
 * (the file, then its journal ACCOUNT.journal replayed over it).
 * A missing file is an empty one; a malformed one is POSTIE_ERROR_FORMAT
 * naming FILE:LINE, and nothing is read (the caller must stop: guessing
 * would mean downloading or deleting everything again). */
UidlFile *uidls_open(const char *path, const char *account, GError **error);
/* uidls_open in two steps, so that the reading can run in another thread:
 * the lock (its fd, or -1 with ERROR), then the records (the fd is the
 * UidlFile's from then on, and closed on error). */
int uidls_lock(const char *path, const char *account, GError **error);
UidlFile *uidls_open_locked(const char *path, const char *account, int lock_fd,
                            GError **error);
/* Parse TEXT as the contents of PATH (used by uidls_open and the tests). */
UidlFile *uidls_parse(const char *path, const char *text, gsize len,
                      GError **error);
/* Replay TEXT, a journal (see uidls.c), over F (used by the fuzzer). */
gboolean uidls_replay(UidlFile *f, const char *text, gsize len, GError **error);
/* The records of one server mailbox ("USER@HOST"), created empty. */
GHashTable *uidls_section(UidlFile *f, const char *server);
/* Every change to a section's records (a record added, changed in place
 * or removed) must be noted, by UID, for uidls_save to write it. */
void uidls_note(UidlFile *f, GHashTable *section, const char *uid);
/* Make the noted records durable: appended to the journal and fsynced
 * (or, once the journal outgrows the file, uidls_compact). */
gboolean uidls_save(UidlFile *f, GError **error);
/* Write every section atomically (temp + fsync + rename, mode 0600) and
 * empty the journal. */
gboolean uidls_compact(UidlFile *f, GError **error);
/* uidls_save, then uidls_compact when the journal holds anything (the
 * end of a fetch). */
gboolean uidls_fold_journal(UidlFile *f, GError **error);
/* The text uidls_save writes. */
char *uidls_format(UidlFile *f, gsize *len);
/* Release the lock and free. */
void uidls_close(UidlFile *f);

UidlRecord *uidl_record_new(const char *uid, gint64 first_seen, char state);
void uidl_record_free(gpointer r);
void uidl_record_set_folder(UidlRecord *r, const char *folder);
/* RFC 1939 unique-id: 1 to 70 characters 0x21..0x7E.  We take up to 512
 * so that a sloppy server still works; anything else is refused. */
gboolean uidl_valid(const char *uid);

/* ---- marks.c: what the user asked for, between fetches ------------------ */

/* Marks are appended to ACCOUNT.marks (O_APPEND, fsync, short flock of
 * ACCOUNT.marks.lock) so that the screen never waits for a running fetch.
 * The next fetch applies them under its own lock: marks_take moves the file
 * aside to ACCOUNT.marks.applying and returns its lines; marks_done removes
 * it once the records that include them are saved.  A crash in between
 * applies them again, which changes nothing. */
gboolean marks_append(const char *records_path, char state, const char *uid,
                      GError **error);
/* Returns an array of "S UID" strings (S a UidlState letter). */
GPtrArray *marks_take(const char *records_path, GError **error);
gboolean marks_done(const char *records_path, GError **error);
/* Apply one taken mark to the records of SECTION. */
void marks_apply(GHashTable *section, const char *mark);

/* ---- filter.c: which folder a fetched message goes to ------------------- */

/* Folder name for MESSAGE (raw RFC 5322 text, LF or CRLF) fetched by
 * ACCOUNT: the first filter of CFG whose account is ACCOUNT's or unset and
 * whose header (or any header, for "any") matches; else account->inbox.
 * Every occurrence of a repeated header is tried; values are unfolded and
 * RFC 2047-decoded before matching. */
const char *filter_folder_for(const PostieConfig *cfg, const Account *account,
                              const char *message, gsize len);
/* Does FILTER match the header block of MESSAGE? */
gboolean filter_matches(const Filter *filter, const char *message, gsize len);

/* ---- plan.c: what to do with each message on the server ----------------- */

typedef struct {
    guint num;             /* message number in this session */
    char *uid;             /* NULL when the server has no UIDL */
    guint64 size;          /* from LIST */
    gboolean no_dele;      /* never DELE it (an invalid UID: no identity) */
} ServerMsg;

typedef enum {
    ACT_NONE,
    ACT_RETR,              /* download in full */
    ACT_TOP,               /* download headers only */
    ACT_RETR_REPLACE,      /* download in full, replacing the partial copy */
} FetchAct;

typedef struct {
    gboolean leave_on_server;
    int delete_after_days;
    gboolean delete_when_deleted;
    gboolean headers_only;
    guint64 size_limit;
} PlanPolicy;

typedef struct {
    guint num;
    const char *uid;       /* points into the ServerMsg; NULL when the
                              message must be identified by content */
    guint64 size;
    FetchAct act;
    gboolean dele;         /* DELE after the records are saved */
    gboolean dele_after_download; /* DELE only if the download succeeds */
    gboolean no_dele;      /* cannot be told apart: never DELE */
} PlanItem;

typedef struct {
    GArray *items;         /* PlanItem, in message-number order */
    guint n_download;
    guint64 bytes_download;
    guint n_dele;
    GPtrArray *dup_uids;   /* UIDs the server listed more than once */
    gboolean uids_changed; /* none of our records matched a non-empty list */
    guint n_known;         /* listed UIDs (each once) that have a record: when
                              it is every record, plan_prune has nothing to do */
} FetchPlan;

/* Decide, for the messages the server lists, what to download and what to
 * delete, from the records of this mailbox and the policy.  Records must
 * hold no F or C states (recovery resolves those first).  Messages with a
 * UID listed twice are downloaded and never deleted: we cannot tell them
 * apart from each other. */
FetchPlan *plan_make(const ServerMsg *msgs, guint n, GHashTable *records,
                     const PlanPolicy *policy, gint64 now);
void plan_free(FetchPlan *p);
/* A message identified by its content after download (item IT had no
 * usable UID) turned out to be here already: R is its record, or NULL
 * when it was seen earlier in this fetch.  Delete it on the server?  The
 * same rule as for a downloaded UID (leave_on_server, delete_after_days),
 * decided here so that the expiry rule lives in one place. */
gboolean plan_dele_known(const PlanItem *it, const UidlRecord *r,
                         const PlanPolicy *policy, gint64 now);
/* Drop records of UIDs the server no longer lists (not when the list
 * shares none of them: that looks like a server that changed every UID,
 * and the records are kept so nothing is deleted or fetched by mistake).
 * The UIDs dropped are added to DROPPED (copies) when it is not NULL. */
guint plan_prune(GHashTable *records, const ServerMsg *msgs, guint n,
                 GPtrArray *dropped);

/* ---- message.c: the bytes we hand to the store -------------------------- */

/* RAW as the store wants it: LF line ends, every X-Postie-UIDL header of
 * the original removed (a sender must not be able to name another message)
 * and ours, "X-Postie-UIDL: ACCOUNT UID", as the first header.  The fields
 * the store rewrites or drops (Status, X-Status, X-Postie-Partial,
 * Content-Length) are dropped here already, so that what the store gives
 * back can be compared with what we handed it (message_canonical). */
GString *message_prepare(const char *raw, gsize len, const char *account,
                         const char *uid);
/* The same in pieces, for a message too large to hold in memory: each
 * feed appends to OUT what is ready (without the X-Postie-UIDL line, which
 * the caller writes first); finish appends the rest.  Holds back at most
 * one header line. */
typedef struct {
    gboolean in_headers, skipping;
    gboolean open_line;    /* part of a body line is out, not its end */
    GString *carry;        /* a header line so far, or a body's last '\r' */
} MessagePrep;
void message_prep_init(MessagePrep *p);
void message_prep_feed(MessagePrep *p, const char *data, gsize len, GString *out);
void message_prep_finish(MessagePrep *p, GString *out);
/* "postie-sha256:HEX" of RAW: the identity of a message on a server that
 * gives none (no UIDL, or a UID listed twice). */
char *message_digest_uid(const char *raw, gsize len);
/* The canonical form of a stored copy: DATA without the store's flag
 * fields and without trailing newlines.  For a prepared message it is a
 * prefix, so *LEN is set and DATA itself is hashed; for a copy read back
 * from a folder the flag fields are removed first.  Returns the SHA-256
 * hex of the canonical form. */
char *message_canonical_sum(const char *data, gsize len, gboolean from_store,
                            gsize *canon_len);
/* The same (FROM_STORE) for message I of folder F, read in pieces: a
 * copy too large for memory is checked without holding it. */
char *message_stored_sum(StoreFolder *f, guint i, gsize *canon_len, GError **error);

/* ---- spool.c: a message too large for memory ------------------------------ */

/* For message NUM: its pieces are prepared (message_prep_*, without the
 * X-Postie-UIDL line) into an unlinked file in DIR. */
typedef struct Spool Spool;
Spool *spool_new(const char *dir, guint num, GError **error);
gboolean spool_add(Spool *s, const char *data, gsize len, GError **error);
/* All pieces are in: write the rest. */
gboolean spool_finish(Spool *s, GError **error);
guint spool_num(const Spool *s);
int spool_fd(const Spool *s);
guint64 spool_raw_length(const Spool *s);
/* filter_folder_for() on the start of the raw message. */
const char *spool_folder_for(const Spool *s, const PostieConfig *cfg,
                             const Account *account);
/* message_digest_uid() of the raw pieces. */
char *spool_digest_uid(Spool *s);
/* message_canonical_sum() of HEAD (the X-Postie-UIDL line) + the file. */
char *spool_canonical_sum(Spool *s, const char *head, gsize *canon_len,
                          GError **error);
void spool_free(Spool *s);

/* ---- fetch.c, batch.c, recover.c: the engine ----------------------------- */

typedef struct {
    const PostieConfig *cfg;
    const Account *account;
    const FetchCallbacks *cb;
    gpointer cb_data;
    GCancellable *cancellable;
    PlanPolicy policy;
    gint64 now;

    char *records_path;
    UidlFile *records_file;
    GHashTable *records;       /* this server mailbox's section */
    Pop3Session *session;
    GHashTable *seen_digests;  /* digest UIDs seen this time (no UIDL) */
    GHashTable *digest_counts; /* digest -> messages with it so far */

    FetchSummary summary;
    guint n_done, n_total;
    guint64 bytes_done, bytes_total;
    GArray *dele;              /* guint message numbers to DELE */
    GPtrArray *dele_uids;      /* their UIDs, dropped from the records
                                  after a successful QUIT */
    gboolean error_names_account; /* the error already says "account X: " */
    GPtrArray *marks;          /* requests taken from the journal */
} FetchRun;

/* One downloaded message waiting to be committed. */
typedef struct {
    guint num;
    char *uid;
    char *folder;
    GString *data;             /* message_prepare()d, or NULL: */
    Spool *spool;              /* a large one: HEAD + the spool's file */
    char *head;                /* "X-Postie-UIDL: ACCOUNT UID\n" */
    gboolean partial;          /* headers only */
    gboolean replace;          /* replaces a partial copy in FOLDER */
    gboolean dele_after;       /* DELE once recorded */
} BatchEntry;

void batch_entry_free(gpointer p);
/* Called after each step of batch_commit() ("in-flight", "appended",
 * "recorded").  NULL in the program; the test build of the program
 * (tests/integration/crash-hook.c) sets it to die there, so the tests can
 * check each window of the order in fetch.h deterministically. */
extern void (*fetch_crash_hook)(const char *step);
/* Steps 2-4 of the order in fetch.h for ENTRIES; on success the message
 * numbers to DELE are added to run->dele. */
gboolean batch_commit(FetchRun *run, GPtrArray *entries, GError **error);
/* Resolve in-flight (F) and cleanup (C) records left by an interrupted
 * fetch, looking at the folders; saves the records if anything changed. */
gboolean recover_in_flight(FetchRun *run, GError **error);
/* Expunge from FOLDER the partial copies of UID (MSG_PARTIAL with our
 * X-Postie-UIDL). */
gboolean recover_expunge_partial(FetchRun *run, const char *folder,
                                 const char *uid, GError **error);
/* "ACCOUNT UID" as in X-Postie-UIDL. */
char *fetch_uidl_value(const FetchRun *run, const char *uid);
/* Path of folder NAME, created when missing. */
char *fetch_folder_path(const FetchRun *run, const char *name, GError **error);

#endif
