/* pop3/: the POP3 protocol only (RFC 1939, 2449, 2595, 5034).
 *
 *   session.c   Pop3Session: open (connect, greeting, CAPA, STLS, CAPA),
 *               the security policy, simple commands, QUIT
 *   auth.c      USER/PASS, APOP, AUTH PLAIN / LOGIN / CRAM-MD5 / XOAUTH2 /
 *               OAUTHBEARER, and "auto"
 *   scan.c      STAT, LIST, UIDL (UID checks, duplicates)
 *   pipeline.c  RETR / TOP / DELE for many messages, pipelined (a bounded
 *               window of outstanding commands) when the server says
 *               PIPELINING, one at a time otherwise
 *   parse.c     every parser of server input (status lines, response codes,
 *               CAPA, LIST/UIDL lines, the multi-line decoder) and digests
 *   private.h   the session struct and the parsers (used by the unit tests)
 *
 * Order of calls:
 *
 *   pop3_open()            connect; TLS at once for SECURITY_TLS; read the
 *                          greeting (APOP timestamp); CAPA; for
 *                          SECURITY_STARTTLS: STLS (required: if not offered
 *                          or it fails, stop here, nothing secret was sent)
 *                          then CAPA again; UTF8 when the (last) CAPA
 *                          offers it (RFC 6856: else a server such as
 *                          Courier may replace messages with raw UTF-8
 *                          headers by a notice; a -ERR to it is ignored)
 *   pop3_auth()            one login (refuses to send any secret over a
 *                          connection without TLS unless allowed)
 *   pop3_stat() / pop3_list() / pop3_scan() / pop3_scan_uids()
 *   pop3_retr_many() / pop3_top_many() / pop3_dele_many()  (any order,
 *                          any number of times); pop3_rset(), pop3_noop()
 *   pop3_quit()            commits the DELEs (RFC 1939: UPDATE state)
 *   pop3_session_free()    without pop3_quit() nothing is deleted
 *
 *   Credentials are the caller's: fetch/ (fetch_pop3_open()) reads the
 *   account and runs password_command once the connection is secure.
 *
 * Errors (POSTIE_ERROR domain).  The message says what failed and on which
 * host; the server's own text is
 * kept apart, made terminal-safe, and added at the end as
 * "(server said: ...)" and available through pop3_last_server_text().
 *   POSTIE_ERROR_NET         connect, timeout, connection dropped
 *   POSTIE_ERROR_TLS         handshake or certificate refused
 *   POSTIE_ERROR_UNSUPPORTED STLS required but not offered, mechanism not
 *                            offered, UIDL/TOP missing
 *   POSTIE_ERROR_INSECURE    a secret would go over a connection without
 *                            TLS (the message names allow_plaintext_password)
 *   POSTIE_ERROR_AUTH        login refused ([AUTH] or plain -ERR)
 *   POSTIE_ERROR_TEMPORARY   [IN-USE], [LOGIN-DELAY], [SYS/TEMP]: try later
 *   POSTIE_ERROR_PROTOCOL    garbage, [SYS/PERM], -ERR to a command that
 *                            must work, a bad multi-line reply, a line or
 *                            message over the limits
 *   POSTIE_ERROR_CANCELLED   the GCancellable was triggered
 * After NET, TLS, PROTOCOL (for malformed replies) or CANCELLED the session
 * is broken: only pop3_session_free() is allowed (pop3_is_broken() says so).
 * After AUTH, TEMPORARY, UNSUPPORTED, INSECURE or a -ERR to a single
 * command the session stays usable.
 */
#ifndef POP3_POP3_H
#define POP3_POP3_H

#include <glib.h>
#include <gio/gio.h>

#include "config/conf.h"

typedef struct Pop3Session Pop3Session;

/* ---- opening a session ------------------------------------------------ */

typedef struct {
    const char *host;            /* as the user wrote it: checked against
                                    the certificate */
    guint16 port;                /* 0: 995 for SECURITY_TLS, else 110 */
    Security security;           /* tls | starttls | none */
    const char *ca_file;         /* NULL: system CA store */
    const char *tls_fingerprint; /* pinned SHA-256, or NULL */
    int timeout;                 /* seconds for connect and each read;
                                    <= 0: 60 */
    GCancellable *cancellable;   /* may be NULL */
    guint window;                /* max outstanding pipelined commands;
                                    0: POP3_DEFAULT_WINDOW */
    char **refused_fingerprint;  /* may be NULL; when the certificate is
                                    refused, gets its SHA-256 fingerprint
                                    (to show, never to trust by itself) */
} Pop3Options;

#define POP3_DEFAULT_WINDOW 64
/* Longest line accepted in a status, CAPA, LIST or UIDL reply; a longer
 * one is a clear POSTIE_ERROR_PROTOCOL, not a memory hog.  (Lines inside
 * a message may be up to 16 MiB: real mail has odd long lines.) */
#define POP3_MAX_LINE (64 * 1024)
/* Largest single message RETR/TOP accept (POSTIE_ERROR_PROTOCOL beyond);
 * a caller seeing a larger LIST size should fetch headers only. */
#define POP3_MAX_MESSAGE ((gsize) 256 * 1024 * 1024)

/* Connect and get to the AUTHORIZATION state per the security policy (see
 * the order of calls above).  Returns NULL with *error set on failure. */
Pop3Session *pop3_open(const Pop3Options *options, GError **error);
void pop3_session_free(Pop3Session *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pop3Session, pop3_session_free)

/* ---- what the server offers ------------------------------------------- */

typedef enum {
    POP3_CAP_TOP            = 1 << 0,
    POP3_CAP_UIDL           = 1 << 1,
    POP3_CAP_USER           = 1 << 2,
    POP3_CAP_SASL           = 1 << 3,
    POP3_CAP_STLS           = 1 << 4,
    POP3_CAP_PIPELINING     = 1 << 5,
    POP3_CAP_RESP_CODES     = 1 << 6,
    POP3_CAP_AUTH_RESP_CODE = 1 << 7,
    POP3_CAP_APOP           = 1 << 8,  /* greeting had a <timestamp> */
    POP3_CAP_CAPA           = 1 << 9,  /* CAPA itself worked */
    POP3_CAP_UTF8           = 1 << 10, /* RFC 6856 */
} Pop3Cap;

/* Pop3Cap bits of the latest CAPA (after STLS, the one from inside TLS). */
guint pop3_caps(const Pop3Session *s);
/* SASL mechanisms offered, upper case (NULL-terminated, owned by S). */
const char *const *pop3_sasl_mechs(const Pop3Session *s);
gboolean pop3_is_tls(const Pop3Session *s);
gboolean pop3_is_broken(const Pop3Session *s);
const char *pop3_host(const Pop3Session *s);
/* Terminal-safe text of the server's last reply (may be ""). */
const char *pop3_last_server_text(const Pop3Session *s);
/* SHA-256 fingerprint "ab:cd:..." of the server certificate, or NULL. */
char *pop3_peer_fingerprint(Pop3Session *s);

/* ---- logging in ------------------------------------------------------- */

typedef enum {
    POP3_AUTH_AUTO,
    POP3_AUTH_USER,          /* USER/PASS */
    POP3_AUTH_APOP,
    POP3_AUTH_PLAIN,
    POP3_AUTH_LOGIN,
    POP3_AUTH_CRAM_MD5,
    POP3_AUTH_XOAUTH2,       /* secret is an OAuth 2 access token */
    POP3_AUTH_OAUTHBEARER,   /* secret is an OAuth 2 access token */
} Pop3AuthMech;

/* "auto" "user" "apop" "plain" "login" "cram-md5" "xoauth2" "oauthbearer"
 * (case-insensitive).  FALSE if unknown. */
gboolean pop3_auth_mech_from_string(const char *name, Pop3AuthMech *out);
const char *pop3_auth_mech_name(Pop3AuthMech mech);
/* TRUE for the mechanisms whose secret is an OAuth token. */
gboolean pop3_auth_mech_is_oauth(Pop3AuthMech mech);

/* Resolve REQUESTED against what the server offers: an explicit mechanism
 * is returned if offered (else POSTIE_ERROR_UNSUPPORTED naming what is
 * offered); POP3_AUTH_AUTO picks the strongest password mechanism offered
 * for the connection's security (over TLS: PLAIN, LOGIN, USER, CRAM-MD5,
 * APOP; without TLS: CRAM-MD5, APOP, PLAIN, LOGIN, USER) — never an OAuth
 * one, those must be asked for.  Call it before fetching the secret so
 * the caller knows whether to get a password or a token. */
gboolean pop3_auth_choose(Pop3Session *s, Pop3AuthMech requested,
                          Pop3AuthMech *chosen, GError **error);

/* POSTIE_ERROR_INSECURE unless the connection has TLS or ALLOW_PLAINTEXT:
 * ask before getting a secret that could not be sent anyway. */
gboolean pop3_may_send_secret(Pop3Session *s, gboolean allow_plaintext,
                              GError **error);

/* Log in as USER with SECRET (password, or token for the OAuth
 * mechanisms).  REQUESTED goes through pop3_auth_choose().  Over a
 * connection without TLS nothing is sent and POSTIE_ERROR_INSECURE is
 * returned unless ALLOW_PLAINTEXT (the account's allow_plaintext_password).
 * A refused login is POSTIE_ERROR_AUTH ([AUTH] or a plain -ERR),
 * [IN-USE]/[LOGIN-DELAY]/[SYS/TEMP] are POSTIE_ERROR_TEMPORARY. */
gboolean pop3_auth(Pop3Session *s, Pop3AuthMech requested, const char *user,
                   const char *secret, gboolean allow_plaintext,
                   GError **error);

/* ---- the mailbox (TRANSACTION state) ----------------------------------- */

gboolean pop3_stat(Pop3Session *s, guint *count, guint64 *octets,
                   GError **error);

/* LIST: *SIZES gets a new GArray of guint64 with one element per message
 * number: g_array_index(*sizes, guint64, num - 1).  Messages the server
 * did not list (deleted in this session) hold G_MAXUINT64. */
gboolean pop3_list(Pop3Session *s, GArray **sizes, GError **error);

typedef struct {
    guint num;              /* message number, 1-based */
    guint64 size;           /* octets from LIST */
    char *uid;              /* NULL: no UIDL on this server, or invalid */
    gboolean uid_invalid;   /* the server sent a UID we refuse (see above) */
    gboolean uid_duplicate; /* another message has the same UID: the caller
                               must not treat either as "seen" by UID alone */
} Pop3Message;

/* STAT + LIST + UIDL (UIDL skipped when not offered — then every uid is
 * NULL and *HAS_UIDL is FALSE).  Returns a new GPtrArray of Pop3Message*
 * (freed with the array) in message-number order, or NULL on error. */
GPtrArray *pop3_scan(Pop3Session *s, gboolean *has_uidl, GError **error);
/* The same without LIST where the server offers UIDL (and nothing was
 * deleted in this session): every size is 0 and *HAVE_SIZES FALSE, so
 * that a check that finds nothing new does not wait for a LIST of the
 * whole mailbox.  pop3_scan_sizes then fills in the sizes (LIST). */
GPtrArray *pop3_scan_uids(Pop3Session *s, gboolean *has_uidl,
                          gboolean *have_sizes, GError **error);
gboolean pop3_scan_sizes(Pop3Session *s, GPtrArray *scan, GError **error);

/* ---- many messages, pipelined ------------------------------------------ */

/* Called once per message, in the order of NUMS, with the whole message:
 * dot-unstuffed, CRLF turned into LF, in a buffer reused for the next
 * message (copy what you keep).  DATA is NUL-terminated at DATA[LEN].
 * Return FALSE (with *ERROR set) to stop: no new commands are sent, the
 * replies already on their way are read and thrown away (the session
 * stays usable), and the _many() call returns FALSE with that error.
 * A message is never handed over partially: if the connection drops or
 * the reply is malformed half-way, the callback is not called for it and
 * the _many() call fails (session broken). */
typedef gboolean (*Pop3MessageFunc)(guint num, const char *data, gsize len,
                                    gpointer user_data, GError **error);

/* RETR each of NUMS (N numbers).  A -ERR for one message stops the run
 * with POSTIE_ERROR_PROTOCOL naming the message (session usable).
 * Returns TRUE when FUNC was called for every message. */
gboolean pop3_retr_many(Pop3Session *s, const guint *nums, guint n,
                        Pop3MessageFunc func, gpointer user_data,
                        GError **error);

/* Large messages in pieces, so that memory stays bounded whatever a
 * server claims or sends.  A message of POP3_PIECE_SIZE bytes or more
 * goes to PART in pieces of at least that size, in order, and then FUNC
 * gets the rest (possibly empty) as the end of that message; a smaller one
 * goes to FUNC whole, as with the calls above.  A message cut off half-way
 * (connection dropped, malformed reply) never reaches FUNC: the caller
 * drops what PART gave for it when the _many() call fails, or when PART or
 * FUNC is next called for another message.  Replies read after a stop
 * are thrown away piece by piece as well.  PART returning FALSE stops the
 * run like FUNC returning FALSE (the rest of that message is read and
 * thrown away). */
#define POP3_PIECE_SIZE ((gsize) 4 * 1024 * 1024)
gboolean pop3_retr_many_parts(Pop3Session *s, const guint *nums, guint n,
                              Pop3MessageFunc part, Pop3MessageFunc func,
                              gpointer user_data, GError **error);
gboolean pop3_top_many_parts(Pop3Session *s, const guint *nums, guint n,
                             guint lines, Pop3MessageFunc part,
                             Pop3MessageFunc func, gpointer user_data,
                             GError **error);

/* TOP num LINES (0: headers and the blank line after them).
 * POSTIE_ERROR_UNSUPPORTED if the server rejects TOP. */
gboolean pop3_top_many(Pop3Session *s, const guint *nums, guint n,
                       guint lines, Pop3MessageFunc func, gpointer user_data,
                       GError **error);

/* DELE each of NUMS.  Marked only; committed by pop3_quit().  On error
 * *N_DONE (may be NULL) says how many of NUMS were accepted (in order). */
gboolean pop3_dele_many(Pop3Session *s, const guint *nums, guint n,
                        guint *n_done, GError **error);

/* One message, for convenience: *OUT gets a new GBytes. */
gboolean pop3_retr(Pop3Session *s, guint num, GBytes **out, GError **error);

/* Undo this session's DELEs. */
gboolean pop3_rset(Pop3Session *s, GError **error);
gboolean pop3_noop(Pop3Session *s, GError **error);

/* QUIT: the server deletes what was marked.  FALSE if the server reports
 * that it could not (-ERR), or the connection failed before +OK: then
 * the caller cannot know whether the DELEs happened. */
gboolean pop3_quit(Pop3Session *s, GError **error);

#endif
