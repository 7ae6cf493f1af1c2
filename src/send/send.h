/* send/: Outbox -> SMTP (libesmtp, logged in by postie) -> Sent, with
 * the server's reply kept in the message when it could not go.
 *
 *   headers.c  the header block as text: get, drop, copies for the wire
 *              (no Bcc, no X-Postie-*) and for Sent (Bcc kept), CRLF
 *   prepare.c  queue time: Date, Message-ID, MIME-Version, the account,
 *              the envelope; send time: recipients, the 7-bit variant
 *   session.c  one libesmtp session for many messages: timeouts,
 *              8BITMIME, SIZE, and judging every status code (the final
 *              verdict on each message is the relay's, below)
 *   relay-connect.c  postie's own connection to the server for every
 *              session: plain, implicit TLS, or STARTTLS done by postie
 *              (nothing may follow the 220 before TLS); the net/ policy;
 *              postie's EHLO and login, before libesmtp comes
 *   reply.c    SMTP replies postie reads itself (bounded), EHLO keywords
 *   auth.c     the login: smtp_auth's mechanism of those offered, the
 *              secret only over verified TLS, one attempt
 *   sasl.c     the SASL messages: PLAIN, LOGIN, CRAM-MD5, XOAUTH2,
 *              OAUTHBEARER (any length), OAuth's error challenge
 *   relay.c    relays that connection to libesmtp over loopback, to a
 *              client that proves with a random token that it is ours
 *   relay-watch.c  the dialogue as the relay sees it: which reply answered
 *              which command, so that only the reply to the end of DATA or
 *              to the last BDAT chunk accepts a message; the rest of a
 *              message after a refused chunk is not uploaded; libesmtp's
 *              EHLO is answered without AUTH (postie logged in already)
 *   journal.c  $XDG_STATE_HOME/postie/send-journal: each message the
 *              server accepted, fsynced the moment its final reply came
 *   outbox.c   send_queue(), send_flush(): Outbox, Sent, recorded errors
 *   probe.c    send_test_account(): connect, log in, QUIT
 *   private.h  what the files above share (and the unit tests use)
 *
 * Order of calls: send_queue() puts a message into the Outbox (fsynced);
 * send_flush() delivers the Outbox of one account or all of them, one SMTP
 * session per account, and moves each accepted message to the account's
 * Sent folder (fsynced) before removing it from the Outbox.  A message the
 * server did not take stays in the Outbox with these header fields, which
 * are never transmitted:
 *   X-Postie-Send-Error:     the reason and the server's reply
 *   X-Postie-Send-Status:    temporary | permanent
 *   X-Postie-Send-Attempts:  how many deliveries were tried
 * Permanent failures are skipped by later flushes unless
 * SEND_FLUSH_RETRY_FAILED is given (after the user edited the message).
 * A crash at any moment loses nothing; at worst a message goes twice:
 * each message the server accepts is written to the send journal before
 * anything else happens, and a flush first files journalled messages
 * (left by a killed flush) in Sent without sending them, so a kill costs
 * at most the one message whose final reply was not yet written down.
 *
 * The program must ignore SIGPIPE (main.c does): a server closing the
 * connection during DATA would otherwise kill it inside libesmtp.
 * send_flush() blocks (connect and every reply bounded by the account's
 * timeout); the screen calls it from a worker thread, and the callbacks
 * run in that thread.
 *
 * Errors (POSTIE_ERROR domain), for a whole account:
 *   NET (connect, DNS, timeout, dropped), TLS (handshake, certificate),
 *   UNSUPPORTED (no STARTTLS, no AUTH mechanism smtp_auth allows),
 *   INSECURE (password would go unencrypted), AUTH (login refused, with
 *   the server's words), CONFIG, IO/NOSPACE/LOCKED
 *   (folders).  Per message: SendResult below.
 */
#ifndef POSTIE_SEND_H
#define POSTIE_SEND_H

#include <glib.h>
#include <gio/gio.h>

#include "config/conf.h"

typedef enum {
    SEND_STATUS_SENT,       /* every recipient accepted, final 250 seen */
    SEND_STATUS_TEMPORARY,  /* 4xx or no connection: stays, retried */
    SEND_STATUS_PERMANENT,  /* 5xx: stays until edited or deleted */
    SEND_STATUS_SKIPPED,    /* a permanent failure not retried this time */
} SendStatus;

typedef struct {
    char *address;
    int code;               /* the RCPT reply code; 0: never answered */
    char *reply;            /* the server's text (terminal-safe), or NULL */
} SendRecipientResult;

typedef struct {
    char *account;
    char *message_id;       /* as in the message, or NULL */
    char *subject;          /* terminal-safe, or NULL */
    SendStatus status;
    /* What went wrong, for the user (terminal-safe; NULL when sent).  The
     * same text is recorded in X-Postie-Send-Error. */
    char *error;
    GPtrArray *recipients;  /* SendRecipientResult* of this attempt */
} SendResult;

void send_result_free(SendResult *r);

typedef struct {
    /* Before connecting: N messages to go for ACCOUNT. */
    void (*account_started)(const char *account, guint n, gpointer data);
    /* During the session: DONE of TOTAL messages transferred. */
    void (*progress)(const char *account, guint done, guint total, gpointer data);
    /* After the session, once per message, in Outbox order. */
    void (*message_done)(const SendResult *r, guint i, guint n, gpointer data);
    /* ERROR is set when the session as a whole failed (then every message
     * of the account was reported TEMPORARY through message_done). */
    void (*account_finished)(const char *account, guint sent, guint failed,
                             const GError *error, gpointer data);
} SendCallbacks;

typedef struct {
    const char *account;        /* --account, or NULL */
    const char *envelope_from;  /* -f, or NULL: the account's address */
    const char *const *recipients; /* command line, or NULL */
    gboolean extract_recipients;   /* -t: also To, Cc, Bcc */
} SendQueueOptions;

/* Put one RFC 5322 message (LF or CRLF line ends) into the Outbox:
 * adds Date, Message-ID (in the sender's domain) and MIME-Version when
 * missing, picks the account (the one whose address matches From, else
 * OPTIONS->account, else the default), records the envelope given on the
 * command line, and fsyncs.  *ACCOUNT_OUT and *MESSAGE_ID_OUT (may be
 * NULL) get the account's name and the message's Message-ID.  Errors: CONFIG (no such account, no account at all), FORMAT (not
 * a message, no recipients), IO/NOSPACE/LOCKED. */
gboolean send_queue(PostieConfig *cfg, const char *data, gsize len,
                    const SendQueueOptions *options, char **account_out,
                    char **message_id_out, GError **error);

typedef enum {
    SEND_FLUSH_DEFAULT = 0,
    SEND_FLUSH_RETRY_FAILED = 1 << 0,   /* also permanent failures */
} SendFlushFlags;

/* Deliver the Outbox of ACCOUNT (NULL: of every account that has mail
 * waiting).  Each account gets one session; CALLBACKS (may be NULL) hear
 * of progress.  *SENT and *FAILED (may be NULL) count messages.  Returns
 * FALSE with ERROR for the first account-level failure (the others are
 * still tried and reported through account_finished), or when any message
 * failed (POSTIE_ERROR_REJECTED for a 5xx, POSTIE_ERROR_TEMPORARY for a
 * 4xx).  Safe against concurrent flushes: one at a time.  CANCELLABLE
 * (may be NULL) cuts the connection at once: what the server had not
 * confirmed stays in the Outbox (POSTIE_ERROR_CANCELLED). */
gboolean send_flush(PostieConfig *cfg, const char *account, SendFlushFlags flags,
                    const SendCallbacks *callbacks, gpointer data,
                    GCancellable *cancellable, guint *sent, guint *failed,
                    GError **error);

/* Try ACCOUNT's SMTP server the way delivery does (same TLS policy,
 * STARTTLS required when configured, the login and mechanism a send
 * would use) without sending anything: connect, EHLO, log in, QUIT and
 * its 221, spoken by postie itself (probe.c).  For the first-run setup.
 * A refused login is POSTIE_ERROR_AUTH with the server's reply.  When
 * the server's certificate is refused (POSTIE_ERROR_TLS), *REFUSED_FP
 * (may be NULL) gets its SHA-256 fingerprint, for the setup to show. */
gboolean send_test_account(PostieConfig *cfg, const Account *account,
                           char **refused_fp, GError **error);

/* The recorded error of an Outbox message (its raw bytes), or NULL when
 * none: "temporary: ..." / "permanent: ...", terminal-safe. */
char *send_message_error(const char *data, gsize len);
/* Number of attempts recorded in an Outbox message. */
guint send_message_attempts(const char *data, gsize len);

#endif
