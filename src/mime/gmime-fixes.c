/* Workarounds for defects of GMime 3.2.13 (Debian 12), all in this file.
 * Each one names the upstream issue and the release that fixed it; the
 * unit tests in tests/unit/test-mime-fixes.c show input and right output.
 *
 * 1. Adjacent base64 encoded-words (GMime issue #133, fixed in 3.2.14):
 *    the base64 decoder's "saw '='" state is carried into the next word of
 *    the same charset, so everything after a padded word is dropped
 *    ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=" gives "Hello").  We merge
 *    each run of adjacent same-charset words into one UTF-8 base64 word
 *    before GMime decodes the header; this also joins a character split
 *    across a B word and a Q word, which no GMime release does, and reads
 *    the charset as mime_charset_to_utf8 does (WHATWG labels, one U+FFFD
 *    per bad sequence, where GMime turns a whole word into '?'s).
 * 2. Base64 bodies (GMime issue #150, fixed in 3.2.14): decoding stops at
 *    the first '=' (a second base64 chunk, e.g. a list footer, is lost),
 *    and every release drops a final group without padding ("SGkhIQ" gives
 *    "Hi!").  We decode base64 ourselves.
 * 3. Quoted-printable (not fixed upstream as of 3.2.15): "=" followed by
 *    transport whitespace before the line end is kept as text instead of
 *    being a soft line break (RFC 2045 6.7).  We decode QP ourselves. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

/* ---- base64 and quoted-printable --------------------------------------- */

static int
b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* The whole bytes of a last group of N (2 or 3) characters in ACC. */
static void
append_partial(GByteArray *out, guint32 acc, int n)
{
    acc <<= 6 * (4 - n);   /* as if padded with zero bits */
    guint8 b[2] = { (guint8)(acc >> 16), (guint8)(acc >> 8) };
    g_byte_array_append(out, b, (guint)(n - 1));
}

GBytes *
mime_base64_decode(const char *in, gsize len, gboolean *damaged)
{
    GByteArray *out = g_byte_array_sized_new((guint)(len / 4 * 3 + 3));
    guint32 acc = 0;
    int n = 0;
    gboolean bad = FALSE;
    for (gsize i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '=') {
            /* Padding ends a group; a new chunk may follow (lists append
             * their footer as a second base64 stream). */
            if (n == 1)
                bad = TRUE;
            else if (n > 1)
                append_partial(out, acc, n);
            acc = 0;
            n = 0;
            continue;
        }
        int v = b64_value(c);
        if (v < 0)
            continue;   /* line ends, spaces, junk: skipped as RFC 2045 says */
        acc = (acc << 6) | (guint32)v;
        if (++n == 4) {
            guint8 b[3] = { (guint8)(acc >> 16), (guint8)(acc >> 8), (guint8)acc };
            g_byte_array_append(out, b, 3);
            acc = 0;
            n = 0;
        }
    }
    /* A final group without its padding still holds whole bytes. */
    if (n == 1)
        bad = TRUE;
    else if (n > 1)
        append_partial(out, acc, n);
    if (damaged)
        *damaged = bad;
    return g_byte_array_free_to_bytes(out);
}

GBytes *
mime_qp_decode(const char *in, gsize len)
{
    GByteArray *out = g_byte_array_sized_new((guint)len);
    gsize pos = 0;
    while (pos < len) {
        const char *line = in + pos;
        const char *nl = memchr(line, '\n', len - pos);
        gsize llen = nl ? (gsize)(nl - line) : len - pos;
        pos += llen + (nl ? 1 : 0);
        /* Trailing whitespace was added in transport (RFC 2045 6.7). */
        gsize end = llen;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
            end--;
        gboolean soft = end > 0 && line[end - 1] == '=';
        if (soft)
            end--;
        for (gsize i = 0; i < end; i++) {
            guint8 c = (guint8)line[i];
            if (c == '=' && i + 2 < end && g_ascii_isxdigit(line[i + 1]) &&
                g_ascii_isxdigit(line[i + 2])) {
                c = (guint8)(g_ascii_xdigit_value(line[i + 1]) * 16 + g_ascii_xdigit_value(line[i + 2]));
                i += 2;
            }
            g_byte_array_append(out, &c, 1);
        }
        if (!soft && nl)
            g_byte_array_append(out, (const guint8 *)"\n", 1);
    }
    return g_byte_array_free_to_bytes(out);
}

/* ---- RFC 2047: merge runs of adjacent encoded words -------------------- */

typedef struct {
    const char *start, *end;   /* the whole "=?...?=" */
    char *charset;             /* without an RFC 2231 language tag */
    GBytes *bytes;             /* decoded payload */
} Word;

/* An encoded word at P ("=?charset?B|Q?text?="); fills W. */
static gboolean
parse_word(const char *p, Word *w)
{
    if (p[0] != '=' || p[1] != '?')
        return FALSE;
    const char *cs = p + 2, *q = cs;
    while (*q && *q != '?' && !g_ascii_isspace(*q))
        q++;
    if (*q != '?' || q == cs || !q[1] || q[2] != '?')
        return FALSE;
    char enc = g_ascii_toupper(q[1]);
    if (enc != 'B' && enc != 'Q')
        return FALSE;
    const char *text = q + 3, *t = text;
    while (*t && !(t[0] == '?' && t[1] == '=') && !g_ascii_isspace(*t))
        t++;
    if (t[0] != '?' || t[1] != '=')
        return FALSE;
    w->start = p;
    w->end = t + 2;
    const char *star = memchr(cs, '*', (gsize)(q - cs));
    w->charset = g_strndup(cs, (gsize)((star ? star : q) - cs));
    gsize tlen = (gsize)(t - text);
    if (enc == 'B') {
        w->bytes = mime_base64_decode(text, tlen, NULL);
    } else {
        GByteArray *b = g_byte_array_sized_new((guint)tlen);
        for (gsize i = 0; i < tlen; i++) {
            guint8 c = (guint8)text[i];
            if (c == '_')
                c = ' ';
            else if (c == '=' && i + 2 < tlen && g_ascii_isxdigit(text[i + 1]) &&
                     g_ascii_isxdigit(text[i + 2])) {
                c = (guint8)(g_ascii_xdigit_value(text[i + 1]) * 16 +
                             g_ascii_xdigit_value(text[i + 2]));
                i += 2;
            }
            g_byte_array_append(b, &c, 1);
        }
        w->bytes = g_byte_array_free_to_bytes(b);
    }
    return TRUE;
}

static void
word_clear(Word *w)
{
    g_free(w->charset);
    if (w->bytes)
        g_bytes_unref(w->bytes);
    memset(w, 0, sizeof *w);
}

char *
mime_fix_encoded_words(const char *value)
{
    if (!value || !strstr(value, "=?"))
        return NULL;
    GString *out = g_string_new(NULL);
    gboolean changed = FALSE;
    const char *p = value;
    while (*p) {
        Word w = { 0 };
        if (!parse_word(p, &w)) {
            g_string_append_c(out, *p++);
            continue;
        }
        /* The run: words with only whitespace between them (RFC 2047
         * 6.2: that whitespace is not text).  Bytes of consecutive words in
         * one charset are joined before conversion (a character may be
         * split between them); the whole run becomes one UTF-8 word, so
         * GMime sees no adjacent words at all. */
        GString *text = g_string_new(NULL);
        GByteArray *run = g_byte_array_new();
        g_autofree char *run_charset = g_strdup(w.charset);
        gboolean all_utf8 = TRUE;
        const char *run_end = w.end;
        guint count = 0;
        Word cur = w;
        memset(&w, 0, sizeof w);
        for (;;) {
            if (g_ascii_strcasecmp(cur.charset, run_charset) != 0) {
                g_autofree char *part = mime_charset_to_utf8((const char *)run->data, run->len,
                                                             run_charset);
                g_string_append(text, part);
                g_byte_array_set_size(run, 0);
                g_free(run_charset);
                run_charset = g_strdup(cur.charset);
            }
            if (g_ascii_strcasecmp(cur.charset, "UTF-8") != 0)
                all_utf8 = FALSE;
            gsize size = 0;
            const guint8 *d = g_bytes_get_data(cur.bytes, &size);
            g_byte_array_append(run, d, (guint)size);
            run_end = cur.end;
            count++;
            word_clear(&cur);
            const char *q = run_end;
            while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
                q++;
            if (q == run_end || !parse_word(q, &cur))
                break;
        }
        g_autofree char *last = mime_charset_to_utf8((const char *)run->data, run->len, run_charset);
        g_string_append(text, last);
        if (count > 1 || !all_utf8) {
            g_autofree char *b64 = g_base64_encode((const guint8 *)text->str, text->len);
            g_string_append_printf(out, "=?UTF-8?B?%s?=", b64);
            changed = TRUE;
        } else {
            g_string_append_len(out, p, run_end - p);
        }
        g_string_free(text, TRUE);
        p = run_end;
        g_byte_array_unref(run);
        word_clear(&w);
    }
    if (!changed) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

char *
mime_header_decode_text(const char *raw)
{
    if (!raw)
        return NULL;
    g_autofree char *fixed = mime_fix_encoded_words(raw);
    return g_mime_utils_header_decode_text(mime_parser_options(), fixed ? fixed : raw);
}

/* Call FN on OBJ and on everything inside it: a message's part, the
 * message of a message/rfc822 part, a multipart's parts (to
 * MIME_MAX_DEPTH). */
static void
walk(GMimeObject *obj, int depth, void (*fn)(GMimeObject *obj))
{
    if (!obj || depth > MIME_MAX_DEPTH)
        return;
    fn(obj);
    if (GMIME_IS_MESSAGE(obj)) {
        walk(g_mime_message_get_mime_part(GMIME_MESSAGE(obj)), depth + 1, fn);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (inner)
            walk(GMIME_OBJECT(inner), depth + 1, fn);
    } else if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int count = g_mime_multipart_get_count(mp);
        for (int i = 0; i < count; i++)
            walk(g_mime_multipart_get_part(mp, i), depth + 1, fn);
    }
}

static void
fix_object_headers(GMimeObject *obj)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        const char *raw = g_mime_header_get_raw_value(h);
        g_autofree char *fixed = mime_fix_encoded_words(raw);
        if (fixed)
            g_mime_header_set_raw_value(h, fixed);
    }
}

/* Every header of OBJ and of everything inside it. */
void
mime_fix_headers(GMimeObject *obj, int depth)
{
    walk(obj, depth, fix_object_headers);
}

/* ---- broken structure ----------------------------------------------- */

/* Is LINE (LEN bytes, no line end) a header field "Name: value"? */
static gboolean
is_field_line(const char *line, gsize len)
{
    gsize i = 0;
    while (i < len && line[i] > ' ' && line[i] < 127 && line[i] != ':')
        i++;
    if (i == 0)
        return FALSE;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return i < len && line[i] == ':';
}

/* 4. GMime (all releases) reads a header block that runs into the body
 *    without a blank line, or a message with no header at all, as an empty
 *    message ("not a mail message").  Returns RAW with a blank line put
 *    where the header block really ends, or NULL when it is fine.  Lines
 *    of white space before the first field (some gateways write one) are
 *    left out: the index reads the fields after them, so the view does. */
GBytes *
mime_fix_header_block(GBytes *raw)
{
    gsize len = 0;
    const char *data = raw ? g_bytes_get_data(raw, &len) : NULL;
    if (!data)
        return NULL;
    gsize pos = 0;
    /* An mbox "From " line is not ours to judge. */
    if (len >= 5 && strncmp(data, "From ", 5) == 0) {
        const char *nl = memchr(data, '\n', len);
        pos = nl ? (gsize)(nl - data) + 1 : len;
    }
    gsize fields = pos;      /* where the header block should start */
    while (pos < len) {
        const char *line = data + pos;
        const char *nl = memchr(line, '\n', len - pos);
        gsize llen = nl ? (gsize)(nl - line) : len - pos;
        gsize ws = 0;
        while (ws < llen && (line[ws] == ' ' || line[ws] == '\t'))
            ws++;
        /* Spaces or tabs, then the line end (an empty line is the end of
         * an empty header block: a message that is all body). */
        if (ws == 0 || !nl || !(ws == llen || (ws + 1 == llen && line[ws] == '\r')))
            break;
        pos += llen + 1;
    }
    if (pos > fields) {
        /* Without those lines, then judged as any other message. */
        GByteArray *rest = g_byte_array_sized_new((guint)(len - (pos - fields)));
        g_byte_array_append(rest, (const guint8 *)data, (guint)fields);
        g_byte_array_append(rest, (const guint8 *)data + pos, (guint)(len - pos));
        g_autoptr(GBytes) trimmed = g_byte_array_free_to_bytes(rest);
        GBytes *fixed = mime_fix_header_block(trimmed);
        return fixed ? fixed : g_bytes_ref(trimmed);
    }
    gboolean first = TRUE;
    while (pos < len) {
        const char *line = data + pos;
        const char *nl = memchr(line, '\n', len - pos);
        gsize llen = nl ? (gsize)(nl - line) : len - pos;
        gsize text = llen > 0 && line[llen - 1] == '\r' ? llen - 1 : llen;
        if (text == 0)
            return NULL;   /* the blank line: the block is well formed */
        gboolean continuation = !first && (line[0] == ' ' || line[0] == '\t');
        if (!continuation && !is_field_line(line, text))
            break;
        first = FALSE;
        pos += llen + (nl ? 1 : 0);
    }
    if (pos >= len)
        return NULL;   /* headers only */
    GByteArray *out = g_byte_array_sized_new((guint)len + 1);
    g_byte_array_append(out, (const guint8 *)data, (guint)pos);
    g_byte_array_append(out, (const guint8 *)"\n", 1);
    g_byte_array_append(out, (const guint8 *)data + pos, (guint)(len - pos));
    return g_byte_array_free_to_bytes(out);
}

/* 5. GMime (all releases) reads "Content-Type: text" (no subtype) as
 *    application/octet-stream, so the text became an attachment.  RFC 2045
 *    5.2 says to treat an unknown form as text/plain; we do for "text".
 *    Returns OBJ's lower-case "type/subtype". */
char *
mime_object_type(GMimeObject *obj)
{
    const char *raw = g_mime_object_get_header(obj, "Content-Type");
    if (raw) {
        gsize n = strcspn(raw, ";");
        g_autofree char *t = g_strstrip(g_ascii_strdown(raw, (gssize)n));
        if (strcmp(t, "text") == 0)
            return g_strdup("text/plain");
    }
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    g_autofree char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("text/plain");
    return g_ascii_strdown(type, -1);
}

/* 6. GMime (all releases, still on master) gives a part whose boundary
 *    follows its header block no content at all, and then writes that
 *    content without checking it exists: g_mime_object_encode (choosing a
 *    transfer encoding), the crypto contexts and the writers log a
 *    CRITICAL and drop or garble the part (a crash where criticals are
 *    fatal).  Such a part's body is empty; we give it an empty content
 *    right after parsing, so nothing downstream meets the NULL. */
static void
fill_if_bodiless(GMimeObject *obj)
{
    if (!GMIME_IS_PART(obj) || g_mime_part_get_content(GMIME_PART(obj)))
        return;
    GMimeStream *empty = g_mime_stream_mem_new();
    GMimeDataWrapper *w =
        g_mime_data_wrapper_new_with_stream(empty, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(GMIME_PART(obj), w);
    g_object_unref(w);
    g_object_unref(empty);
}

void
mime_fill_bodiless_parts(GMimeObject *obj, int depth)
{
    walk(obj, depth, fill_if_bodiless);
}

/* Does OBJ, a leaf part, have a body of at least one byte?  GMime's
 * crypto is handed only parts that do: an empty signature or encrypted
 * part is malformed, and said to be. */
gboolean
mime_part_has_body(GMimeObject *obj)
{
    if (!GMIME_IS_PART(obj))
        return FALSE;
    GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));
    GMimeStream *st = w ? g_mime_data_wrapper_get_stream(w) : NULL;
    return st && g_mime_stream_length(st) != 0;
}
