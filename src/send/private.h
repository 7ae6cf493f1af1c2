/* send/: internals shared by the files of the directory and its tests. */
#ifndef POSTIE_SEND_PRIVATE_H
#define POSTIE_SEND_PRIVATE_H

#include <glib.h>
#include <gio/gio.h>

#include "net/net.h"
#include "send/send.h"

/* Our own header fields in Outbox copies (never transmitted). */
#define HDR_ACCOUNT        "X-Postie-Account"
#define HDR_ENVELOPE_FROM  "X-Postie-Envelope-From"
#define HDR_ENVELOPE_TO    "X-Postie-Envelope-To"
#define HDR_DELIVERED_TO   "X-Postie-Delivered-To"
#define HDR_SEND_ERROR     "X-Postie-Send-Error"
#define HDR_SEND_STATUS    "X-Postie-Send-Status"
#define HDR_SEND_ATTEMPTS  "X-Postie-Send-Attempts"

/* ---- headers.c --------------------------------------------------------- */
gsize send_header_block_len(const char *data, gsize len);
/* Unfolded, trimmed value of the first NAME field, or NULL. */
char *send_header_get(const char *data, gsize len, const char *name);
/* The values of every NAME field, in order (char*). */
GPtrArray *send_header_get_all(const char *data, gsize len, const char *name);
gboolean send_header_has(const char *data, gsize len, const char *name);
GString *send_header_filter(const char *data, gsize len,
                            gboolean (*drop)(const char *line, gsize len, gpointer user),
                            gpointer user);
/* Drop every field named in NAMES (and X-Postie-* when INTERNAL). */
GString *send_header_remove(const char *data, gsize len,
                            const char *const *names, gboolean internal);
/* What goes to Sent: X-Postie-* and mbox Status dropped, Bcc kept. */
GString *send_copy_for_sent(const char *data, gsize len);
/* What goes on the wire (before CRLF): also without Bcc and Return-Path. */
GString *send_copy_for_wire(const char *data, gsize len);
void send_lf_normalize(GString *s);
/* LF -> CRLF (existing CRLF kept), ending with a line end. */
GString *send_to_crlf(const char *data, gsize len);
gboolean send_has_8bit(const char *data, gsize len);

/* ---- prepare.c --------------------------------------------------------- */
/* Append the addr-spec of every mailbox in the address-list VALUE
 * (groups flattened) to OUT, skipping duplicates (case-insensitive). */
void send_collect_addresses(const char *value, GPtrArray *out);
/* The envelope of an Outbox copy: reverse path and recipients still to
 * deliver (recorded envelope or To/Cc/Bcc, minus X-Postie-Delivered-To). */
gboolean send_envelope_of(const Account *account, const char *data, gsize len,
                          char **from, GPtrArray **rcpts, GError **error);
/* Re-encode a message with 8-bit content to 7 bit (QP / base64) through
 * mime/header.h; LF line ends in and out.  NULL on a parse failure. */
GString *send_encode_7bit(const char *data, gsize len);
/* Header fields (of the message and of its MIME parts) with raw 8-bit
 * bytes RFC 2047 encoded (libesmtp has no SMTPUTF8, and 8BITMIME covers
 * only bodies); the body is left as it is.  LF line ends in and out; a
 * copy when no field has 8-bit bytes; NULL on a parse failure. */
GString *send_encode_headers(const char *data, gsize len);
/* A Message-ID in the domain of ADDRESS: "<...@domain>". */
char *send_make_message_id(const char *address);

/* The account that sends a message: the one whose address matches From,
 * else WANTED (--account), else the default; it must have smtp_host. */
Account *send_pick_account(PostieConfig *cfg, const char *data, gsize len,
                           const char *wanted, GError **error);
/* The Outbox copy of a message given to send_queue(): LF line ends, our
 * fields at the top, Date / Message-ID / MIME-Version / From added when
 * missing.  *ACCOUNT gets the account that will send it. */
GString *send_prepare_queued(PostieConfig *cfg, const char *data, gsize len,
                             const SendQueueOptions *o, Account **account,
                             GError **error);

/* ---- session.c --------------------------------------------------------- */
typedef struct {
    /* in */
    char *reverse_path;
    GPtrArray *rcpts;            /* char* */
    GString *wire8;              /* CRLF, as written (may hold 8-bit) */
    GString *wire7;              /* CRLF, 7-bit variant; NULL if wire8 is */
    char *journal_key;           /* for the send journal (outbox.c), or NULL */
    /* out */
    gboolean used_8bitmime;
    int mail_code;
    char *mail_text;
    int data_code;
    char *data_text;
    GPtrArray *rcpt_results;     /* SendRecipientResult* */
    /* private */
    gpointer priv;
    gsize sent_off;
} SessionMessage;

void session_message_free(SessionMessage *m);

typedef void (*SessionProgress)(guint done, guint total, gpointer data);
/* The server accepted M for every recipient (its final reply, seen by the
 * relay, before libesmtp reads it).  Called in the relay's thread.  FALSE
 * with ERROR stops the session. */
typedef gboolean (*SessionAccepted)(SessionMessage *m, gpointer data,
                                    GError **error);

/* Deliver MESSAGES (SessionMessage*) over one session to ACCOUNT's SMTP
 * server.  FALSE with ERROR when the session as a whole failed before or
 * while transferring (then the per-message codes say how far each got).
 * ACCEPTED (may be NULL) hears of each message the moment it is accepted;
 * PROGRESS and ACCEPTED share DATA. */
gboolean session_run(const Account *account, GPtrArray *messages,
                     SessionProgress progress, SessionAccepted accepted,
                     gpointer data, GCancellable *cancellable, GError **error);

/* ---- reply.c ----------------------------------------------------------- */
/* One SMTP reply read by postie itself (outside input, bounded). */
typedef struct {
    int code;                /* of the last line */
    gboolean complete;       /* the last line came */
    GPtrArray *lines;        /* char*: each line's text after "NNN-"/"NNN " */
    gsize bytes;
} SmtpReply;
void smtp_reply_clear(SmtpReply *r);
/* Add one line (N bytes without its CRLF).  1: the reply is complete
 * (the next line starts a new one), 0: more lines follow, -1: malformed
 * or too long (ERROR names HOST). */
int smtp_reply_add_line(SmtpReply *r, const char *line, gsize n,
                        const char *host, GError **error);
gboolean smtp_reply_read(NetConn *conn, SmtpReply *r, GError **error);
/* Write LINE and CRLF (the copy wiped: it may hold a secret), then read
 * the reply. */
gboolean smtp_command(NetConn *conn, const char *line, SmtpReply *reply,
                      GError **error);
/* The raw text of the last line (after the code), e.g. a 334 challenge. */
const char *smtp_reply_last(const SmtpReply *r);
/* "535 5.7.8 text" of the last line, terminal-safe, for messages. */
char *smtp_reply_text(const SmtpReply *r);
/* EHLO replies: does a line (after the greeting) start with keyword KW;
 * the AUTH mechanisms, blank-separated (also "AUTH="), or NULL; the
 * reply the relay gives libesmtp (CRLF lines): without AUTH, STARTTLS. */
gboolean smtp_ehlo_has(const SmtpReply *ehlo, const char *kw);
char *smtp_ehlo_auth(const SmtpReply *ehlo);
char *smtp_ehlo_for_client(const SmtpReply *ehlo);

/* ---- sasl.c ------------------------------------------------------------ */
typedef enum {
    SMTP_MECH_NONE,
    SMTP_MECH_PLAIN,
    SMTP_MECH_LOGIN,
    SMTP_MECH_CRAM_MD5,
    SMTP_MECH_XOAUTH2,
    SMTP_MECH_OAUTHBEARER,
} SmtpMech;
#define SMTP_MECH_BIT(m) (1u << (m))
/* RFC 5321 4.5.3.1.4: a command line, CRLF included. */
#define SMTP_COMMAND_LINE_MAX 512

const char *smtp_mech_name(SmtpMech m);
gboolean smtp_mech_is_oauth(SmtpMech m);
/* The first mechanism of OFFERED (the EHLO AUTH list, in the server's
 * order) that WANTED (SMTP_MECH_BIT()s) allows, or SMTP_MECH_NONE. */
SmtpMech smtp_mech_pick(guint wanted, const char *offered);

typedef struct {
    const char *user;
    const char *secret;      /* password, or OAuth access token */
    const char *host;        /* for OAUTHBEARER */
    guint16 port;
} SaslCreds;
/* No field empty, none with a line break (OAuth: nor \001). */
gboolean sasl_creds_usable(SmtpMech m, const SaslCreds *c);
/* The initial response, base64 (a secret: secret_free()), or NULL for a
 * mechanism where the server speaks first (LOGIN, CRAM-MD5) or unusable
 * credentials. */
char *sasl_initial(SmtpMech m, const SaslCreds *c);
/* The answer (base64, a secret) to the mechanism's challenge number STEP
 * (from 0; CHALLENGE is the text after "334 "), or NULL: cancel ("*").
 * XOAUTH2 / OAUTHBEARER: a challenge is the error, answered "" / "AQ==". */
char *sasl_answer(SmtpMech m, const SaslCreds *c, guint step,
                  const char *challenge);
/* "AUTH MECH INITIAL" when it fits SMTP_COMMAND_LINE_MAX (*ON_LINE TRUE),
 * else "AUTH MECH" (INITIAL then goes after the first 334). */
char *sasl_auth_command(SmtpMech m, const char *initial, gboolean *on_line);
/* The "status" of an OAuth error challenge (base64 JSON, RFC 7628
 * 3.2.2), terminal-safe, or NULL. */
char *sasl_oauth_error(const char *challenge);

/* ---- auth.c ------------------------------------------------------------ */
typedef struct SmtpLogin SmtpLogin;
/* The mechanisms ACCOUNT's smtp_auth allows (SMTP_MECH_BIT()s; 0: no
 * login); *OAUTH: with the token of oauth_token_command. */
guint smtp_login_wanted(const Account *account, gboolean *oauth);
/* What ACCOUNT logs in with, the secret fetched now (password_command or
 * oauth_token_command run before any connection).  *LOGIN is NULL when
 * the account does not log in.  INSECURE: a secret would go unencrypted;
 * CONFIG / AUTH: no secret. */
gboolean smtp_login_new(const Account *account, SmtpLogin **login,
                        GError **error);
void smtp_login_free(SmtpLogin *l);
/* AUTH on CONN after EHLO (its reply in EHLO): one mechanism, one
 * attempt.  UNSUPPORTED (no usable mechanism offered), INSECURE, AUTH
 * (refused: the server's words), NET / PROTOCOL. */
gboolean smtp_login_run(SmtpLogin *l, NetConn *conn, const SmtpReply *ehlo,
                        GError **error);

/* ---- journal.c --------------------------------------------------------- */
typedef struct SendJournal SendJournal;
/* The key of an Outbox message: SHA-256 of its bytes, hex. */
char *send_journal_key(const char *data, gsize len);
SendJournal *send_journal_open(GError **error);
void send_journal_close(SendJournal *j);
/* Record KEY as accepted (fsynced before returning). */
gboolean send_journal_add(SendJournal *j, const char *key, GError **error);
/* Key -> count (GUINT_TO_POINTER) of what was recorded. */
GHashTable *send_journal_read(SendJournal *j, GError **error);
gboolean send_journal_clear(SendJournal *j, GError **error);

/* ---- relay-watch.c ----------------------------------------------------- */
/* One mail transaction as the relay saw it (in MAIL FROM order). */
typedef struct {
    char *reverse_path;     /* from MAIL FROM:<...> */
    int mail_code;          /* reply to MAIL, 0: none */
    guint rcpts_accepted;
    guint rcpts;            /* RCPT commands */
    int final_code;         /* the reply that decided the message, 0: none */
    char *final_text;       /* that reply line */
    gboolean final_seen;    /* FINAL_CODE answers the end of DATA or the
                             * last BDAT chunk (else a refused step) */
    gboolean failed;        /* later chunks are no longer sent on */
} RelayTxn;

typedef struct RelayWatch RelayWatch;
/* Called when transaction INDEX got its final reply, before the reply
 * goes on to libesmtp. */
typedef void (*RelayFinal)(guint index, const RelayTxn *t, gpointer data);
/* TOKEN: the EHLO argument given to libesmtp (the proof that a loopback
 * connection is ours); EHLO_REPLY: the answer to its EHLO, CRLF lines
 * (smtp_ehlo_for_client()): the server had postie's EHLO already. */
RelayWatch *relay_watch_new(const char *token, const char *ehlo_reply);
void relay_watch_free(RelayWatch *w);
void relay_watch_set_final_cb(RelayWatch *w, RelayFinal cb, gpointer data);
/* Feed bytes from libesmtp / from the server.  What is to be written
 * appears in the to_server / to_client buffers (the caller consumes
 * them).  FALSE: stop the session (relay_watch_error() says why). */
gboolean relay_watch_client(RelayWatch *w, const char *buf, gsize n);
gboolean relay_watch_server(RelayWatch *w, const char *buf, gsize n);
/* The server's connection is gone: every command still unanswered, and
 * every later one, is answered here (421; 221 to QUIT), so that libesmtp
 * ends the session by the protocol instead of on a socket error (its
 * error paths in a BDAT pipeline can crash it).  to_server is then
 * never to be written. */
void relay_watch_upstream_lost(RelayWatch *w);
GString *relay_watch_to_server(RelayWatch *w);
GString *relay_watch_to_client(RelayWatch *w);
const char *relay_watch_error(const RelayWatch *w);
/* The first command carried the token. */
gboolean relay_watch_greeted(const RelayWatch *w);
/* A reply from the server is awaited. */
gboolean relay_watch_waiting(const RelayWatch *w);
GPtrArray *relay_watch_txns(RelayWatch *w);   /* RelayTxn* */

/* ---- relay-connect.c --------------------------------------------------- */
/* Connect to ACCOUNT's SMTP server (plain, STARTTLS or implicit TLS with
 * the net/ policy), read the greeting, EHLO (as EHLO_NAME); for STARTTLS
 * also STARTTLS, the 220 and nothing after it, the handshake and EHLO
 * again; then log in with LOGIN (NULL: none; a refused login is followed
 * by QUIT).  The connection is then ready for MAIL.  *EHLO_OUT (may be
 * NULL) gets the last EHLO reply (smtp_reply_clear() it).  A refused
 * certificate's fingerprint goes to *REFUSED_FP when not NULL. */
NetConn *relay_connect(const Account *account, const char *ehlo_name,
                       SmtpLogin *login, SmtpReply *ehlo_out,
                       GCancellable *cancellable, char **refused_fp, GError **error);
/* QUIT and its 221. */
gboolean relay_quit(NetConn *conn, GError **error);

/* ---- relay.c ----------------------------------------------------------- */
typedef struct Relay Relay;
/* relay_connect() (with the login), then listen on loopback for
 * libesmtp, which must greet with TOKEN.  *PORT_OUT gets the loopback
 * port.  CANCELLABLE interrupts every wait, also the relay's later ones. */
Relay *relay_start(const Account *account, const char *token,
                   const char *ehlo_name, SmtpLogin *login,
                   RelayFinal on_final, gpointer final_data,
                   GCancellable *cancellable, guint16 *port_out, GError **error);
/* Nothing more goes to the server (e.g. after a failed login): libesmtp
 * gets 421 to everything from now on. */
void relay_abort(Relay *r);
/* Stop the relay (after libesmtp is done).  *ERROR gets a failure the
 * relay saw (timeout, the server's connection lost, protocol error); the
 * transactions it saw are handed over (caller unrefs), or NULL. */
GPtrArray *relay_finish(Relay *r, GError **error);

#endif
