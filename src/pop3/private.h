/* pop3/ internals: the session struct and the parsers of server input
 * (exposed here so the unit tests can drive them with tables). */
#ifndef POP3_PRIVATE_H
#define POP3_PRIVATE_H

#include "net/net.h"
#include "pop3/pop3.h"

/* Longest line of a message accepted by RETR/TOP (real mail has odd long
 * lines; memory stays bounded by POP3_MAX_MESSAGE anyway). */
#define POP3_MAX_MESSAGE_LINE ((gsize) 16 * 1024 * 1024)

struct Pop3Session {
    NetConn *conn;
    SSL_CTX *ctx;
    char *host;
    guint16 port;
    Security security;
    char *fingerprint;
    char **refused_fingerprint;   /* Pop3Options.refused_fingerprint */
    guint caps;                /* Pop3Cap */
    char **mechs;              /* SASL mechanisms, upper case */
    char *apop_timestamp;      /* "<...>" from the greeting, or NULL */
    guint window;
    GCancellable *cancellable; /* may be NULL */
    gboolean broken;
    gboolean authenticated;
    guint n_deleted;           /* DELEs accepted since login or RSET: the
                                  message numbers go up to STAT's count
                                  plus this */
    char *server_text;         /* term_safe text of the last reply */
    GString *msg;              /* reused buffer for one message */
    gsize max_line;            /* reply lines */
    gsize max_message;
};

/* ---- replies ------------------------------------------------------------ */

typedef enum {
    POP3_REPLY_OK,
    POP3_REPLY_ERR,
    POP3_REPLY_CONTINUE,       /* "+ base64" during AUTH */
    POP3_REPLY_BAD,            /* anything else: protocol violation */
} Pop3ReplyKind;

typedef struct {
    Pop3ReplyKind kind;
    char code[64];             /* RFC 2449 response code without brackets,
                                  upper case, e.g. "SYS/TEMP"; "" if none */
    const char *text;          /* rest of the line (points into LINE) */
} Pop3Reply;

/* Parse a status line (NUL-terminated LINE of LEN bytes). */
void pop3_parse_reply(const char *line, gsize len, Pop3Reply *reply);

/* The error code for a -ERR reply with response code CODE ("" if none)
 * to a command of kind: login (AUTH/PASS/APOP) or not. */
int pop3_error_code_for(const char *code, gboolean login);
/* A sentence explaining CODE to the user, or NULL for unknown/no code. */
const char *pop3_resp_code_message(const char *code);

/* CAPA: fold one capability line into *CAPS and MECHS (GPtrArray of
 * char*, upper case).  Unknown capabilities are ignored. */
void pop3_parse_capa_line(const char *line, guint *caps, GPtrArray *mechs);

/* The APOP timestamp "<...>" in a greeting's text, or NULL.  Only
 * printable ASCII without spaces inside the brackets is accepted. */
char *pop3_parse_greeting_timestamp(const char *text);

/* "+OK count octets" text part (after "+OK "). */
gboolean pop3_parse_stat(const char *text, guint *count, guint64 *octets);
/* "num size" (LIST) */
gboolean pop3_parse_list_line(const char *line, guint *num, guint64 *size);
/* "num uid" (UIDL).  *UID points into LINE; *UID_VALID says whether it
 * is 1..70 characters 0x21..0x7E. */
gboolean pop3_parse_uidl_line(const char *line, guint *num,
                              const char **uid, gboolean *uid_valid);
gboolean pop3_uid_is_valid(const char *uid, gsize len);

/* ---- the multi-line decoder ---------------------------------------------- */

typedef enum {
    POP3_UNSTUFF_MORE,         /* feed more input */
    POP3_UNSTUFF_DONE,         /* the terminating "." line was consumed */
    POP3_UNSTUFF_TOO_LONG,     /* a line exceeded max_line */
} Pop3UnstuffResult;

typedef struct {
    int state;
    gsize line_len;
    gsize max_line;
} Pop3Unstuff;

void pop3_unstuff_init(Pop3Unstuff *u, gsize max_line);
/* Decode IN (LEN bytes) of a multi-line reply body into OUT: removes the
 * leading dot of dot-stuffed lines, turns CRLF (and a bare LF) into LF,
 * stops after the terminating ".\r\n".  *CONSUMED gets how many bytes of
 * IN were used (less than LEN only when DONE or TOO_LONG).  State carries
 * across calls, so input may be split anywhere. */
Pop3UnstuffResult pop3_unstuff_feed(Pop3Unstuff *u, const char *in, gsize len,
                                    GString *out, gsize *consumed);

/* ---- digests and SASL payloads ----------------------------------------- */

/* Hex MD5 of TIMESTAMP followed by SECRET (RFC 1939 APOP). */
char *pop3_apop_digest(const char *timestamp, const char *secret);

/* ---- session internals (session.c) ---------------------------------------- */

/* Send one command line (CRLF added); the copy is wiped (secrets). */
gboolean pop3_send(Pop3Session *s, const char *line, GError **error);
/* Read one status line into *REPLY (text valid until the next read). */
gboolean pop3_read_reply(Pop3Session *s, Pop3Reply *reply, GError **error);
/* Read a multi-line body into s->msg (decoded): lines up to MAX_LINE,
 * all of it up to MAX_TOTAL bytes (0: s->max_message). */
gboolean pop3_read_multiline(Pop3Session *s, gsize max_line, gsize max_total,
                             GError **error);
/* The same, but whenever s->msg holds POP3_PIECE_SIZE bytes or more they
 * go to PIECE and s->msg is emptied: s->msg ends with the rest. */
typedef void (*Pop3PieceFunc)(const char *data, gsize len, gpointer user_data);
gboolean pop3_read_multiline_parts(Pop3Session *s, gsize max_line, gsize max_total,
                                   Pop3PieceFunc piece, gpointer piece_data,
                                   GError **error);
/* Set *ERROR for a -ERR (or bad) REPLY to WHAT ("the login", "UIDL"...). */
void pop3_reply_error(Pop3Session *s, const Pop3Reply *reply, gboolean login,
                      const char *what, GError **error);
/* Mark broken and set a protocol error for a malformed reply to WHAT. */
void pop3_garbage_error(Pop3Session *s, const char *what, GError **error);
/* Simple command expecting +OK. */
gboolean pop3_simple(Pop3Session *s, const char *cmd, const char *what,
                     Pop3Reply *reply, GError **error);
/* Fail early when the session is broken. */
gboolean pop3_check_usable(Pop3Session *s, GError **error);

#endif
