/* mime/header.h: header fields as every module reads and writes them.
 * This is the door to GMime for store, abook, send, fetch, ui and cmd:
 * they include this header (never <gmime/gmime.h>), so the program has
 * one g_mime_init, one set of lenient parser options (parse.c), one
 * RFC 5322 field walker and address parser, and the GMime 3.2.13
 * workarounds of gmime-fixes.c wherever a header is decoded.
 *
 * Strings returned are UTF-8 but NOT term-safe: pass them through
 * term_safe() before drawing them. */
#ifndef POSTIE_MIME_HEADER_H
#define POSTIE_MIME_HEADER_H

#include <glib.h>

/* Initialise GMime once for the whole program (cheap to repeat, thread
 * safe); mime_shutdown() at exit. */
void mime_init(void);
void mime_shutdown(void);

/* RAW (a header value: RFC 2047 words, raw 8-bit text) as UTF-8; NULL
 * for NULL.  Not unfolded. */
char *mime_header_decode_text(const char *raw);

/* Call FN(name, value) for each field of the header block at the start of
 * MSG (up to the first empty line): the value unfolded (line breaks and
 * the white space after them become one space) and still raw.  A leading
 * mbox "From " line and lines that are no field are skipped.  Stops and
 * returns TRUE as soon as FN returns TRUE. */
typedef gboolean (*MimeFieldFunc)(const char *name, const char *value, gpointer data);
gboolean mime_header_foreach(const char *msg, gsize len, MimeFieldFunc fn, gpointer data);
/* The first field NAME of MSG's header block, unfolded and trimmed but
 * not decoded; NULL when there is none. */
char *mime_header_get(const char *msg, gsize len, const char *name);

/* One mailbox of an address list. */
typedef struct {
    char *name;        /* decoded display name, or NULL */
    char *address;     /* addr-spec as written (may lack a domain) */
    char *wire;        /* the same with an IDN domain in ASCII (xn--), for SMTP */
} MimeMailbox;
void mime_mailbox_free(MimeMailbox *m);
/* The mailboxes of the RFC 5322 address list VALUE, groups flattened, in
 * order.  NULL when VALUE is NULL or holds nothing GMime could read. */
GPtrArray *mime_address_list_parse(const char *value);
/* VALUE for display: "Name <addr>, addr, ..." decoded; NULL when no
 * address could be read. */
char *mime_address_list_display(const char *value);

/* ---- outgoing ------------------------------------------------------ */

/* "Name <address>", the name quoted or RFC 2047-encoded as needed. */
char *mime_mailbox_format(const char *name, const char *address);
/* A new unique Message-ID for DOMAIN, without the angle brackets. */
char *mime_message_id_new(const char *domain);
/* DT as an RFC 5322 date. */
char *mime_date_format(GDateTime *dt);
/* An RFC 5322 date (lenient: obsolete and broken forms); NULL if none. */
GDateTime *mime_date_parse(const char *value);
/* MESSAGE with every part re-encoded to 7 bit (QP or base64, RFC 2047
 * headers), MIME-Version added, Bcc left out; LF line ends.  NULL when it
 * is no message. */
GString *mime_encode_7bit(const char *message, gsize len);
/* MESSAGE with every header field (of the message and of its parts) that
 * holds raw 8-bit bytes RFC 2047 encoded; bodies as they are.  LF line
 * ends.  NULL when it is no message. */
GString *mime_encode_8bit_headers(const char *message, gsize len);

#endif
