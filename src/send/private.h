/* send/: internals shared by the files of the directory and its tests. */
#ifndef POSTIE_SEND_PRIVATE_H
#define POSTIE_SEND_PRIVATE_H

#include <glib.h>
#include <gio/gio.h>

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

/* Deliver MESSAGES (SessionMessage*) over one session to ACCOUNT's SMTP
 * server.  FALSE with ERROR when the session as a whole failed before or
 * while transferring (then the per-message codes say how far each got). */
gboolean session_run(const Account *account, GPtrArray *messages,
                     SessionProgress progress, gpointer data,
                     GCancellable *cancellable, GError **error);

/* ---- oauth_auth.c ------------------------------------------------------ */
/* SMTP login with an OAuth 2 token through postie's libesmtp plugins. */
typedef enum {
    SEND_OAUTH_NONE,         /* password (or no) login */
    SEND_OAUTH_ANY,          /* smtp_auth = auto with oauth_token_command */
    SEND_OAUTH_XOAUTH2,
    SEND_OAUTH_OAUTHBEARER,
} SendOAuthMode;
typedef struct SendOAuth SendOAuth;

SendOAuthMode send_oauth_mode(const Account *account);
/* FALSE with an error saying how to install it when libesmtp cannot load
 * the plugin the mode needs. */
gboolean send_oauth_plugins_check(const Account *account, SendOAuthMode mode,
                                  GError **error);
/* Runs oauth_token_command. */
SendOAuth *send_oauth_new(const Account *account, SendOAuthMode mode,
                          GError **error);
void send_oauth_free(SendOAuth *o);
/* Does the EHLO AUTH list (names separated by blanks) hold one we use? */
gboolean send_oauth_offered(const SendOAuth *o, const char *ehlo_auth);
const char *send_oauth_wanted_name(const SendOAuth *o);
/* Answer libesmtp's interaction REQUEST for a plugin: 1 answered, 0
 * refused (not a mechanism we use: libesmtp tries the next), -1 with
 * ERROR (the response could not be sent). */
struct auth_client_request;
int send_oauth_interact(SendOAuth *o, const struct auth_client_request *request,
                        char **result, int fields, GError **error);

/* ---- bridge.c ---------------------------------------------------------- */
typedef struct Bridge Bridge;
/* Connect with implicit TLS to HOST:PORT (net/ policy), listen on
 * loopback, and relay the first connection that comes from a socket of
 * this process.  *PORT_OUT gets the loopback port for libesmtp. */
Bridge *bridge_start(const Account *account, guint16 *port_out, GError **error);
/* Cut both sides now (e.g. after a failed login). */
void bridge_abort(Bridge *b);
/* Stop the relay and free; *ERROR gets the upstream failure if any. */
void bridge_finish(Bridge *b, GError **error);

#endif
