/* fetch/: a POP3 account -> local folders: what to download, where it goes,
 * what to delete on the server, and the records that make each message
 * arrive exactly once.
 *
 *   fetch.c    fetch_account(): the engine (order of work below)
 *   account.c  the POP3 login for an account, credentials included, and
 *              the connection check of the setup
 *   batch.c    one batch: in-flight record, append + fsync, record, DELE
 *   recover.c  in-flight records left by a crash: is the copy on disk?
 *   plan.c     what to do with each message the server lists (pure logic)
 *   uidls.c    the UIDL records file of an account and its fetch lock
 *   marks.c    the journal of user requests between fetches
 *   filter.c   which folder a message goes to ([filter NAME] rules)
 *   message.c  the bytes handed to the store (X-Postie-UIDL, LF ends)
 *   spool.c    a message too large for memory, on its way to a folder
 *   private.h  internals shared by these files (and the unit tests)
 *
 * The records ($XDG_STATE_HOME/postie/uidls/ACCOUNT, mode 0600) keep, per
 * server mailbox (USER@HOST), every UID seen with its first-seen time
 * and state: downloaded, headers only, headers only + body wanted, headers
 * only + delete wanted, deleted here, in flight, and a full copy whose
 * partial one is still to be expunged (the letters are in private.h).
 * Changes are appended to ACCOUNT.journal and fsynced; the file is
 * rewritten atomically when the journal is folded into it (uidls.c), and
 * only while ACCOUNT.lock is held (flock); a second fetch of
 * the same account fails at once with "a fetch for ACCOUNT is already
 * running".  A damaged file stops the account's fetch with FILE:LINE.
 *
 * Order of work in fetch_account(), per batch of messages (never another):
 *   1. download the batch (pipelined RETR / TOP n 0) into memory, at most
 *      16 MiB of what really arrives (LIST sizes may lie): at that mark
 *      the batch so far goes through steps 2-4 and the downloads go on.
 *      A message of 4 MiB or more never stays in memory: its pieces are
 *      prepared into an unlinked spool file in the mail directory, and
 *      once it is complete it goes through steps 2-4 alone, the store
 *      copying it from that file (so a fetch peaks at about 30 MB of
 *      mail whatever the server claims or sends);
 *   2. record the batch's UIDs as in flight, with their folder and length
 *      (appended to the journal, fdatasync);
 *   3. append them to their folders and fsync (one fsync per folder);
 *   4. record them as downloaded / headers only (journal, fdatasync);
 *   5. only now DELE those the policy deletes (QUIT commits at the end).
 * kill -9 between 2 and 4 leaves in-flight records: the next fetch first
 * looks for each in-flight UID's X-Postie-UIDL in its folder.  A copy at
 * least as long as what was handed to the store means step 3 completed: the
 * UID becomes downloaded and is not fetched again.  A shorter copy (cut off
 * by the crash) is expunged and the message downloaded again.  No copy:
 * downloaded again.  So every message ends up exactly once.  A dropped
 * connection hands over no partial message (pop3 layer); disk full fails
 * step 3, the appender truncates to its last flush, nothing is recorded and
 * no DELE is sent.  The tests check each window deterministically with a
 * test build of the program that dies right after a chosen step
 * (fetch_crash_hook in private.h) and with kill -9 at random moments.
 *
 * A server without UIDL (or a UID listed twice, or an invalid one): the
 * message is identified by the SHA-256 of its content (the second of two
 * byte-identical messages by "DIGEST.2", and so on, in the server's
 * order), so it must be downloaded again on every fetch to be recognised;
 * a warning says so.
 * Without leave_on_server such messages are deleted after they are safely
 * recorded, as usual; duplicate and invalid UIDs are never deleted.
 *
 * Thread safety: fetch_account() touches no global state; several may run
 * at once for different accounts (the store's folder locks serialise the
 * appends).  The fetch_mark_*() calls may be made at any time from any
 * thread: they append to a journal that the next fetch applies.
 */
#ifndef POSTIE_FETCH_H
#define POSTIE_FETCH_H

#include <gio/gio.h>

#include "config/conf.h"
#include "pop3/pop3.h"

typedef struct {
    guint n_new;             /* messages downloaded in full */
    guint n_headers_only;    /* messages of which only headers came */
    guint n_left;            /* messages still on the server afterwards */
    guint n_deleted;         /* messages deleted on the server */
    guint64 bytes;           /* bytes downloaded */
    guint n_warnings;        /* see the warning callback */
} FetchSummary;

typedef struct {
    /* Before the downloads start: how many messages and bytes are coming. */
    void (*account_started)(const char *account, guint n_new, guint64 bytes,
                            gpointer data);
    /* After each message is in memory (1-based N). */
    void (*message_done)(const char *account, guint n, guint of,
                         guint64 bytes_done, guint64 bytes_total,
                         gpointer data);
    /* At the end, whether it worked (ERROR NULL) or not. */
    void (*account_finished)(const char *account, const FetchSummary *s,
                             const GError *error, gpointer data);
    /* Something the user should know that does not stop the fetch (server
     * without UIDL, duplicate UIDs, ...).  May be NULL. */
    void (*warning)(const char *account, const char *message, gpointer data);
} FetchCallbacks;

typedef struct {
    gboolean headers_only;   /* this time, only headers of new messages */
} FetchOptions;

/* Fetch ACCOUNT of CFG into CFG->mail_dir (see the order above).  OPTIONS,
 * CALLBACKS and CANCELLABLE may be NULL.  Returns FALSE with *ERROR set
 * (naming the account) when the account failed; what was recorded before
 * the failure stays recorded.  POSTIE_ERROR_CANCELLED when cancelled. */
gboolean fetch_account(const PostieConfig *cfg, const Account *account,
                       const FetchOptions *options,
                       const FetchCallbacks *callbacks, gpointer data,
                       GCancellable *cancellable, GError **error);

/* A logged-in POP3 session for ACCOUNT (account.c): pop3_open() and
 * pop3_auth() from its pop3 settings (host, port, security, ca_file,
 * tls_fingerprint, user, auth, timeout, allow_plaintext_password).  The
 * secret (password, password_command, oauth_token_command) is fetched
 * only after the connection is secure and the mechanism is chosen.
 * Errors start with "account NAME: ". */
Pop3Session *fetch_pop3_open(const Account *account,
                             GCancellable *cancellable, GError **error);

/* The connection check of the account setup: log in, count the
 * messages (*N_MESSAGES, may be NULL), log out; nothing is fetched or
 * deleted.  Errors as fetch_pop3_open().  When the server's certificate
 * is refused (POSTIE_ERROR_TLS), *REFUSED_FP (may be NULL) gets its
 * SHA-256 fingerprint, for the setup to show and let the user confirm. */
gboolean fetch_check_account(const Account *account, guint *n_messages,
                             char **refused_fp, GError **error);

/* Requests applied by the next fetch of ACCOUNT (any thread, never waits
 * for a running fetch).  UID is the server's UID, as in the second word of
 * X-Postie-UIDL. */
/* The local copy was expunged (deleted on the server by the next fetch
 * when delete_when_deleted). */
gboolean fetch_mark_deleted_here(const char *account, const char *uid,
                                 GError **error);
/* Download the whole of a headers-only message; the full copy replaces the
 * partial one (in the partial one's folder). */
gboolean fetch_mark_download(const char *account, const char *uid,
                             GError **error);
/* Delete this message on the server at the next fetch. */
gboolean fetch_mark_delete_on_server(const char *account, const char *uid,
                                     GError **error);

/* Split an X-Postie-UIDL value "ACCOUNT UID" (the account name may hold
 * spaces, the UID never does).  FALSE if malformed. */
gboolean fetch_parse_uidl_header(const char *value, char **account,
                                 char **uid);

/* One headers-only message known to the records. */
typedef struct {
    char *uid;
    char *folder;
    char state;              /* 'H' headers only, 'G' body wanted,
                                'X' delete wanted */
    gint64 first_seen;
} FetchPartial;
void fetch_partial_free(gpointer p);
/* The headers-only messages of ACCOUNT (all its server mailboxes), read
 * without taking the fetch lock.  New array of FetchPartial*. */
GPtrArray *fetch_list_partial(const char *account, GError **error);

#endif
