/* mime/: GMime glue: show a message, its attachments (MIME parts and inline
 * uuencode blocks), save and open them, build outgoing mail, and start
 * replies and forwards.
 *
 *   parse.c      mime_init, the one set of lenient parser options, parsing
 *   header.c     header.h: fields, addresses, dates for every module
 *   view.c       a message as display text: headers, body lines, attachments
 *   charset.c    bytes in a declared (or missing, or wrong) charset -> UTF-8
 *   flowed.c     format=flowed reflow (RFC 3676, DelSp)
 *   html.c       HTML -> text: config converter, mailcap, or built-in
 *   uuencode.c   inline uuencode blocks: scan, decode, encode
 *   tnef.c       the files inside winmail.dat (application/ms-tnef)
 *   gmime-fixes.c  our side of GMime 3.2.13 defects (encoded words,
 *                base64, quoted-printable, broken structure), one place
 *   mailcap.c    RFC 1524 mailcap files and their commands as argv vectors
 *   attach.c     save an attachment under a safe name; open it via mailcap
 *   build.c      MimeDraft -> RFC 5322 message bytes
 *   reply.c      reply, reply-all and forward drafts from a message
 *   crypto*.c, inline_pgp.c  signed and encrypted mail (mime/crypto.h)
 *   private.h    what these files share (parser options, part contents)
 *
 * Call mime_init() once before anything else (it is cheap to repeat).
 * Everything this directory returns *for display* (MimeView headers and
 * lines, MimeAttachment.display_name, mime_view_to_text) is valid UTF-8 and
 * has passed through term_safe(); raw fields (MimeAttachment.name, .data)
 * are for saving and must not be printed as they are.
 */
#ifndef POSTIE_MIME_H
#define POSTIE_MIME_H

#include <glib.h>

#include "config/conf.h"
#include "mime/header.h"

/* ---- viewing ------------------------------------------------------------ */

typedef struct {
    /* HTML converter: an argv string (config "html_converter") fed the
     * HTML on stdin; NULL: a mailcap text/html entry with copiousoutput;
     * none of these: the built-in converter. */
    const char *html_converter;
    /* Mailcap files to read, NULL-terminated; NULL: as mime_mailcap_load. */
    const char *const *mailcap_files;
    /* Only the built-in HTML converter (no helper programs at all). */
    gboolean no_external;
} MimeViewOptions;

typedef struct {
    char *name;        /* "From", "To", "Cc", "Date", "Subject" */
    char *value;       /* decoded, unfolded, term-safe */
} MimeHeader;

typedef struct {
    guint index;           /* 1-based, as "postie attachments" numbers them */
    char *name;            /* decoded file name as the sender gave it (may be
                              hostile or NULL): for safe_name(), not display */
    char *display_name;    /* term-safe name, or "(no name)" */
    char *content_type;    /* lower-case "type/subtype", term-safe */
    gsize size;            /* decoded size in bytes */
    gboolean damaged;      /* truncated or corrupt uuencode data */
    gboolean uuencoded;    /* from an inline block or a uuencode part */
    GBytes *data;          /* the decoded content */
    char **params;         /* Content-Type parameters as the sender gave
                              them: name, value, ..., NULL (or NULL) */
} MimeAttachment;

typedef struct {
    GPtrArray *headers;     /* MimeHeader*: From, To, Cc, Date, Subject (present ones) */
    GPtrArray *lines;       /* char*: body lines, term-safe, without newline */
    GPtrArray *attachments; /* MimeAttachment* */
    char *body_text;        /* the body as plain UTF-8, NOT term-safe (for quoting);
                               without the signature/decryption status lines */
    GArray *line_kinds;     /* guint8 MimeLineKind per line, or NULL (mime/crypto.h) */
    char *protected_subject;/* the Subject from inside the encryption, NOT term-safe, or NULL */
    gboolean headers_only;  /* only the headers were fetched (X-Postie-Partial):
                               the body is still on the server */
} MimeView;

/* Parse RAW (an RFC 5322 message, LF or CRLF) and render it.  Fails only
 * when RAW holds no message at all (POSTIE_ERROR_FORMAT). */
MimeView *mime_view_new(GBytes *raw, const MimeViewOptions *opts, GError **error);
void mime_view_free(MimeView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MimeView, mime_view_free)

/* What the pager shows: the headers, a blank line, the body lines, and an
 * attachment summary; newline-terminated lines, term-safe. */
char *mime_view_to_text(const MimeView *view);
/* For a headers-only VIEW: put a line first in its body saying the body is
 * still on the server, then HOW (the key or command that downloads it,
 * e.g. "Press D to download it at the next fetch."). */
void mime_view_note_headers_only(MimeView *view, const char *how);
/* One line per attachment for the summary: "[N] name (type, size)". */
char *mime_attachment_describe(const MimeAttachment *a);

/* ---- pieces of the viewer, public for the screen and the tests --------- */

/* DATA in CHARSET (NULL or unknown: guess) as valid UTF-8: the declared
 * charset (read as mime_charset_name says) when it converts cleanly, else
 * UTF-8 if the data is valid UTF-8, else the declared charset with one
 * U+FFFD per bad sequence; missing or unknown: UTF-8 if valid, else
 * windows-1252, else ISO-8859-1.  NUL bytes become U+FFFD; CRLF line
 * ends become LF. */
char *mime_charset_to_utf8(const char *data, gsize len, const char *charset);
/* The iconv name postie decodes LABEL with: the WHATWG mapping to the
 * Windows supersets (ISO-8859-1 and US-ASCII -> WINDOWS-1252, Shift_JIS
 * -> CP932, EUC-KR and ks_c_5601-1987 -> CP949, GB2312 -> GBK, ...),
 * else GMime's canonical name.  Static string; NULL for NULL. */
const char *mime_charset_name(const char *label);
/* Reflow format=flowed TEXT (RFC 3676); DELSP for DelSp=yes. */
char *mime_flowed_reflow(const char *text, gboolean delsp);
/* HTML (UTF-8) -> plain text, built-in converter only. */
char *mime_html_to_text_builtin(const char *html);
/* HTML -> text as the viewer does it (converter, mailcap, built-in). */
char *mime_html_to_text(const char *html, const MimeViewOptions *opts);

/* One inline uuencode block. */
typedef struct {
    char *name;            /* from the begin line, raw */
    guint mode;            /* octal mode from the begin line */
    gboolean damaged;      /* no "end", bad lines, or short data */
    GBytes *data;          /* what could be decoded */
    gsize rest_offset;     /* where the block stood in REST (see below) */
} MimeUuBlock;
void mime_uu_block_free(MimeUuBlock *b);
/* Find "begin MODE NAME" ... "end" blocks in TEXT.  Returns MimeUuBlock*.
 * When REST is not NULL, the text without the blocks is appended to it. */
GPtrArray *mime_uu_scan(const char *text, gsize len, GString *rest);
/* Append a "begin 644 NAME" ... "end" block for DATA to OUT. */
void mime_uu_encode_block(GString *out, const char *name, const guint8 *data, gsize len);

/* ---- attachments: save and open ---------------------------------------- */

/* Write A into DIR under safe_name(A->name) without ever overwriting
 * ("name (1).ext" when taken).  Returns the path written. */
char *mime_attachment_save(const MimeAttachment *a, const char *dir, GError **error);

/* Open A with the mailcap entry for its type: the data goes into a private
 * temporary file (0600 in a 0700 directory, named after A with only
 * [A-Za-z0-9._-] kept, plus the entry's nametemplate suffix), the command
 * runs as an argv vector with the file name as its own argument, and the
 * file is removed when the command ends.  When the entry has copiousoutput
 * and OUTPUT is not NULL, the command's output is returned there
 * (term-safe).  The caller gives up the terminal before calling (the
 * screen ends curses), since the entry may need it (needsterminal). */
gboolean mime_attachment_open(const MimeAttachment *a, const char *const *mailcap_files,
                              char **output, GError **error);

/* ---- mailcap (RFC 1524) ------------------------------------------------ */

typedef struct {
    char *type;            /* "text/html", or "image/" plus a star */
    char *command;         /* the view command, unparsed */
    char *test;            /* test command, or NULL */
    char *nametemplate;    /* or NULL */
    gboolean needsterminal;
    gboolean copiousoutput;
} MimeMailcapEntry;

void mime_mailcap_entry_free(MimeMailcapEntry *e);
/* Parse mailcap TEXT: comments, continuation lines ending in "\", fields
 * separated by ";" ("\;" is a literal semicolon).  Bad lines are skipped.
 * Returns MimeMailcapEntry*. */
GPtrArray *mime_mailcap_parse(const char *text);
/* Read FILES in order (NULL: the files in $MAILCAPS, colon-separated, or
 * else ~/.mailcap, /etc/mailcap); missing files are skipped. */
GPtrArray *mime_mailcap_load(const char *const *files);
/* First entry for TYPE (exact, then a wildcard entry); with WANT_COPIOUS only
 * entries with copiousoutput.  Entries with a test command are taken only
 * when the test exits 0. */
const MimeMailcapEntry *mime_mailcap_find(GPtrArray *entries, const char *type,
                                          gboolean want_copious);
/* Split COMMAND into an argv (shell quoting rules, no shell) and put FILE
 * where it says %s (as a whole argument or inside one), TYPE for %t
 * (mime_mailcap_safe_type) and the value of parameter NAME of PARAMS
 * (name, value, ..., NULL; may be NULL) for %{NAME}: empty when absent or
 * when it holds anything but [A-Za-z0-9._+/-]; "%%" is "%".  Without %s
 * the file is appended as the last argument. */
char **mime_mailcap_argv(const char *command, const char *file, const char *type,
                         const char *const *params, GError **error);
/* TYPE when it holds only [A-Za-z0-9._+/-], else "application/octet-stream":
 * the type a sender gave, as it may be looked up and shown to a command. */
const char *mime_mailcap_safe_type(const char *type);

/* ---- outgoing mail ----------------------------------------------------- */

typedef struct {
    char *from_name;          /* may be NULL */
    char *from_address;       /* required, ASCII */
    char *to, *cc, *bcc;      /* RFC 5322 address lists as typed, or NULL */
    char *subject;            /* UTF-8 */
    char *in_reply_to;        /* "<id>" or NULL */
    char *references;         /* "<id1> <id2>" or NULL */
    char *body;               /* UTF-8 text */
    GPtrArray *attachments;   /* char*: file paths */
    GBytes *forward_message;  /* attached as message/rfc822, or NULL */
    GPtrArray *forward_more;  /* GBytes*: more messages attached after it
                                 (forwarding several), or NULL */
    AttachEncoding attachment_encoding;
    char *attachment_dir;     /* private (0700) directory holding the
                                 original's attachments of an inline
                                 forward, or NULL; mime_draft_free removes
                                 it and what is in it */
} MimeDraft;

MimeDraft *mime_draft_new(void);
void mime_draft_free(MimeDraft *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MimeDraft, mime_draft_free)

/* Build the message: RFC 2047 headers, RFC 2231 file names, MIME types
 * guessed from name and content, QP or base64 per part so every line is
 * 7-bit and short, Message-ID (From domain), Date, MIME-Version,
 * User-Agent.  Bcc stays in the result (the sender leaves it off the wire,
 * the Sent copy keeps it).  Line ends are LF; the sender converts to CRLF.
 * With ATTACH_ENCODING_UUENCODE the result is one text/plain part whose
 * body ends with a uuencoded block per attachment. */
GBytes *mime_build(const MimeDraft *d, GError **error);

/* ---- replies and forwards ---------------------------------------------- */

typedef enum {
    MIME_REPLY,            /* to Reply-To, else From */
    MIME_REPLY_ALL,        /* Mail-Followup-To, else sender + To + Cc */
    MIME_FORWARD_INLINE,   /* original headers and text in the body */
    MIME_FORWARD_ATTACH,   /* original attached as message/rfc822 */
} MimeReplyKind;

/* A draft answering RAW.  OWN_ADDRESSES (NULL-terminated, may be NULL) are
 * the user's addresses: dropped from the recipients, and the first one the
 * original was sent to becomes from_address.  An inline forward carries
 * every attachment of the original (files in attachment_dir).  Subjects get one "Re: " or
 * "Fwd: " prefix; quoted text uses "> " after "On DATE, NAME wrote:". */
MimeDraft *mime_reply_draft(GBytes *raw, MimeReplyKind kind,
                            const char *const *own_addresses,
                            const MimeViewOptions *opts, GError **error);
/* SUBJECT without any leading Re:/RE:/Aw:/Fwd:/Fw: prefixes (repeated,
 * also "Re[2]:" and "[list] Re:"-free forms). */
char *mime_subject_strip_prefixes(const char *subject);

#endif
