/* A message as the pager shows it.  One walk over the MIME tree fills the
 * body text and the attachment list together, so the numbers in the text
 * ("[-- attachment 2 ... --]") and in the list always agree. */
#include <config.h>

#include <string.h>

#include "mime/crypto_private.h"
#include "mime/private.h"

typedef struct {
    const MimeViewOptions *opts;
    GString *body;
    GPtrArray *attachments;
    MimeCrypto *crypto;
} Walk;

static void walk(Walk *w, GMimeObject *obj, int depth);

static void
attachment_free(MimeAttachment *a)
{
    if (!a)
        return;
    g_free(a->name);
    g_free(a->display_name);
    g_free(a->content_type);
    g_strfreev(a->params);
    if (a->data)
        g_bytes_unref(a->data);
    g_free(a);
}

static void
header_free(MimeHeader *h)
{
    g_free(h->name);
    g_free(h->value);
    g_free(h);
}

void
mime_view_free(MimeView *v)
{
    if (!v)
        return;
    g_ptr_array_unref(v->headers);
    g_ptr_array_unref(v->lines);
    g_ptr_array_unref(v->attachments);
    g_free(v->body_text);
    if (v->line_kinds)
        g_array_unref(v->line_kinds);
    g_free(v->protected_subject);
    g_free(v);
}

static MimeAttachment *
add_attachment(Walk *w, const char *name, const char *type, GBytes *data,
               gboolean uuencoded, gboolean damaged)
{
    MimeAttachment *a = g_new0(MimeAttachment, 1);
    a->index = w->attachments->len + 1;
    a->name = name && *name ? g_utf8_make_valid(name, -1) : NULL;
    a->display_name = a->name ? term_safe(a->name, -1, 0) : g_strdup(_("(no name)"));
    g_autofree char *lower = g_ascii_strdown(type ? type : "application/octet-stream", -1);
    a->content_type = term_safe(lower, -1, 0);
    a->data = data ? g_bytes_ref(data) : g_bytes_new(NULL, 0);
    a->size = g_bytes_get_size(a->data);
    a->uuencoded = uuencoded;
    a->damaged = damaged;
    g_ptr_array_add(w->attachments, a);
    return a;
}

/* A blank line between parts shown one after another. */
static void
separate(Walk *w)
{
    if (w->body->len == 0)
        return;
    if (w->body->str[w->body->len - 1] != '\n')
        g_string_append_c(w->body, '\n');
    if (w->body->len >= 2 && w->body->str[w->body->len - 2] != '\n')
        g_string_append_c(w->body, '\n');
}

static void
append_marker(GString *out, const MimeAttachment *a)
{
    if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c(out, '\n');
    g_autofree char *size = g_format_size(a->size);
    if (a->damaged)
        g_string_append_printf(out, _("[-- attachment %u: %s (%s, %s, damaged) --]\n"),
                               a->index, a->name ? a->name : _("(no name)"), a->content_type, size);
    else
        g_string_append_printf(out, _("[-- attachment %u: %s (%s, %s) --]\n"),
                               a->index, a->name ? a->name : _("(no name)"), a->content_type, size);
}

static char *
guess_type(const char *name)
{
    if (!name)
        return g_strdup("application/octet-stream");
    g_autofree char *ct = g_content_type_guess(name, NULL, 0, NULL);
    char *mime = ct ? g_content_type_get_mime_type(ct) : NULL;
    return mime ? mime : g_strdup("application/octet-stream");
}

/* A uuencoded block's type: by its name, or by its first bytes when the
 * encoder left the name out. */
static char *
guess_block_type(const MimeUuBlock *b)
{
    if (b->name)
        return guess_type(b->name);
    gsize len = 0;
    const guchar *data = g_bytes_get_data(b->data, &len);
    if (len == 0)
        return g_strdup("application/octet-stream");
    gboolean uncertain = TRUE;
    g_autofree char *ct = g_content_type_guess(NULL, data, MIN(len, 4096), &uncertain);
    char *mime = ct && !uncertain ? g_content_type_get_mime_type(ct) : NULL;
    return mime ? mime : g_strdup("application/octet-stream");
}

/* Text with inline uuencode blocks: each block becomes an attachment and a
 * marker line where it stood. */
static void
append_text_scanning_uu(Walk *w, const char *text)
{
    GString *rest = g_string_new(NULL);
    GPtrArray *blocks = mime_uu_scan(text, strlen(text), rest);
    if (blocks->len == 0) {
        g_string_append(w->body, text);
    } else {
        gsize done = 0;
        for (guint i = 0; i < blocks->len; i++) {
            MimeUuBlock *b = blocks->pdata[i];
            g_string_append_len(w->body, rest->str + done, (gssize)(b->rest_offset - done));
            done = b->rest_offset;
            g_autofree char *type = guess_block_type(b);
            MimeAttachment *a = add_attachment(w, b->name, type, b->data, TRUE, b->damaged);
            append_marker(w->body, a);
        }
        g_string_append_len(w->body, rest->str + done, (gssize)(rest->len - done));
    }
    g_ptr_array_unref(blocks);
    g_string_free(rest, TRUE);
}

static gboolean
is_uuencode_cte(GMimeObject *obj)
{
    const char *cte = g_mime_object_get_header(obj, "Content-Transfer-Encoding");
    if (!cte)
        return FALSE;
    g_autofree char *v = g_strstrip(g_ascii_strdown(cte, -1));
    return strcmp(v, "x-uuencode") == 0 || strcmp(v, "uuencode") == 0 ||
           strcmp(v, "x-uue") == 0 || strcmp(v, "uue") == 0;
}

/* An inline part that is text to read, shown under its marker as mutt
 * and Thunderbird show it: a bounce's delivery report (with the reason)
 * and the returned headers, a read receipt, a patch, a log.  Not the
 * types another program shows better (calendar, contact cards). */
static gboolean
read_as_text(const char *type)
{
    static const char *const reports[] = {
        "message/delivery-status", "message/global-delivery-status",
        "message/disposition-notification", "message/global-disposition-notification",
        "message/global-headers", NULL };
    static const char *const not_text[] = {
        "text/calendar", "text/vcard", "text/x-vcard", "text/directory",
        "text/x-vcalendar", NULL };
    for (int i = 0; reports[i]; i++)
        if (strcmp(type, reports[i]) == 0)
            return TRUE;
    for (int i = 0; not_text[i]; i++)
        if (strcmp(type, not_text[i]) == 0)
            return FALSE;
    return g_str_has_prefix(type, "text/");
}

static char *
part_text(GMimePart *part)
{
    g_autoptr(GBytes) data = mime_part_decoded(part);
    gsize len = 0;
    const char *p = g_bytes_get_data(data, &len);
    const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    return mime_charset_to_utf8(p, len, charset);
}

/* RFC 2231 PARAM (e.g. "filename") read again from the raw header VALUE:
 * GMime turns bytes that do not fit the declared charset into U+FFFD, but
 * senders often mislabel (us-ascii for Latin-1), so the bytes are decoded
 * here with the fallbacks of mime_charset_to_utf8.  NULL if not there. */
static char *
rfc2231_fallback(const char *value, const char *param)
{
    if (!value)
        return NULL;
    enum { MAX_SEGMENTS = 64 };
    GString *seg[MAX_SEGMENTS] = { NULL };
    g_autofree char *charset = NULL;
    gsize plen = strlen(param);
    const char *p = value;
    while (*p) {
        while (*p == ';' || g_ascii_isspace(*p))
            p++;
        const char *key = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        if (*p != '=')
            continue;
        g_autofree char *k = g_strstrip(g_ascii_strdown(key, p - key));
        p++;
        while (g_ascii_isspace(*p))
            p++;
        GString *v = g_string_new(NULL);
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                g_string_append_c(v, *p);
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ';' && !g_ascii_isspace(*p))
                g_string_append_c(v, *p++);
        }
        int n = -1;
        gboolean ext = FALSE;
        if (strncmp(k, param, plen) == 0 && k[plen] == '*') {
            const char *rest = k + plen + 1;
            if (*rest == '\0') {
                n = 0;
                ext = TRUE;
            } else if (g_ascii_isdigit(*rest)) {
                char *end = NULL;
                guint64 idx = g_ascii_strtoull(rest, &end, 10);
                if (idx < MAX_SEGMENTS && (*end == '\0' || (end[0] == '*' && end[1] == '\0'))) {
                    n = (int)idx;
                    ext = *end == '*';
                }
            }
        }
        if (n < 0 || seg[n]) {
            g_string_free(v, TRUE);
            continue;
        }
        seg[n] = g_string_new(NULL);
        const char *s = v->str;
        if (ext && n == 0) {
            const char *q1 = strchr(s, '\'');
            const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
            if (q2) {
                charset = g_strndup(s, (gsize)(q1 - s));
                s = q2 + 1;
            }
        }
        for (; *s; s++) {
            if (ext && *s == '%' && g_ascii_isxdigit(s[1]) && g_ascii_isxdigit(s[2])) {
                g_string_append_c(seg[n], (char)(g_ascii_xdigit_value(s[1]) * 16 + g_ascii_xdigit_value(s[2])));
                s += 2;
            } else {
                g_string_append_c(seg[n], *s);
            }
        }
        g_string_free(v, TRUE);
    }
    GString *all = g_string_new(NULL);
    for (int i = 0; i < MAX_SEGMENTS && seg[i]; i++)
        g_string_append_len(all, seg[i]->str, (gssize)seg[i]->len);
    for (int i = 0; i < MAX_SEGMENTS; i++)
        if (seg[i])
            g_string_free(seg[i], TRUE);
    char *r = all->len ? mime_charset_to_utf8(all->str, all->len, charset) : NULL;
    g_string_free(all, TRUE);
    return r;
}

static char *
part_name(GMimeObject *obj)
{
    const char *name = GMIME_IS_PART(obj) ? g_mime_part_get_filename(GMIME_PART(obj)) : NULL;
    if (!name)
        name = g_mime_object_get_content_disposition_parameter(obj, "filename");
    if (!name)
        name = g_mime_object_get_content_type_parameter(obj, "name");
    if (!name)
        return NULL;
    /* Encoded words inside a quoted file name (not allowed, but common). */
    char *dec = strstr(name, "=?") ? mime_header_decode_text(name) : NULL;
    if (!dec)
        dec = g_strdup(name);
    if (!g_utf8_validate(dec, -1, NULL) || strstr(dec, "\xEF\xBF\xBD")) {
        char *again = rfc2231_fallback(g_mime_object_get_header(obj, "Content-Disposition"), "filename");
        if (!again)
            again = rfc2231_fallback(g_mime_object_get_header(obj, "Content-Type"), "name");
        if (again && !strstr(again, "\xEF\xBF\xBD")) {
            g_free(dec);
            return again;
        }
        g_free(again);
        again = mime_charset_to_utf8(dec, strlen(dec), NULL);
        g_free(dec);
        dec = again;
    }
    return dec;
}

static gboolean
is_tnef(const char *type, const char *name)
{
    return strcmp(type, "application/ms-tnef") == 0 ||
           strcmp(type, "application/vnd.ms-tnef") == 0 ||
           (name && g_ascii_strcasecmp(name, "winmail.dat") == 0);
}

/* winmail.dat: the files it carries take its place in the list.  FALSE
 * when it is no TNEF or carries no file (then it is listed as itself). */
static gboolean
append_tnef(Walk *w, GBytes *data)
{
    gsize len = 0;
    const guint8 *p = g_bytes_get_data(data, &len);
    gboolean damaged = FALSE;
    g_autoptr(GPtrArray) files = mime_tnef_files(p, len, &damaged);
    if (!files || files->len == 0)
        return FALSE;
    for (guint i = 0; i < files->len; i++) {
        MimeTnefFile *f = files->pdata[i];
        g_autofree char *type = guess_type(f->name);
        MimeAttachment *a = add_attachment(w, f->name, type, f->data, FALSE, damaged);
        separate(w);
        append_marker(w->body, a);
    }
    return TRUE;
}

static void show_embedded(Walk *w, GMimeObject *obj, GMimeMessage *inner, GBytes *data,
                          int depth);

/* The Content-Type parameters: name, value, ..., NULL (for %{NAME}). */
static char **
type_params(GMimeContentType *ct)
{
    GMimeParamList *list = ct ? g_mime_content_type_get_parameters(ct) : NULL;
    int n = list ? g_mime_param_list_length(list) : 0;
    char **out = g_new0(char *, 2 * (gsize)n + 1);
    for (int i = 0; i < n; i++) {
        GMimeParam *p = g_mime_param_list_get_parameter_at(list, i);
        const char *name = g_mime_param_get_name(p), *value = g_mime_param_get_value(p);
        out[2 * i] = g_strdup(name ? name : "");
        out[2 * i + 1] = g_strdup(value ? value : "");
    }
    return out;
}

static void
walk_part(Walk *w, GMimePart *part, int depth)
{
    GMimeObject *obj = GMIME_OBJECT(part);
    g_autofree char *lower = mime_object_type(obj);
    g_autofree char *name = part_name(obj);

    if (is_uuencode_cte(obj)) {
        g_autoptr(GBytes) raw = mime_part_raw(part);
        gsize len = 0;
        const char *p = g_bytes_get_data(raw, &len);
        GPtrArray *blocks = mime_uu_scan(p ? p : "", len, NULL);
        if (blocks->len == 0) {
            MimeAttachment *a = add_attachment(w, name, lower, NULL, TRUE, TRUE);
            separate(w);
            append_marker(w->body, a);
        }
        for (guint i = 0; i < blocks->len; i++) {
            MimeUuBlock *b = blocks->pdata[i];
            /* One block: the part's name if it has one; several: each
             * block's own. */
            const char *n = name && blocks->len == 1 ? name : b->name;
            g_autofree char *t = strcmp(lower, "application/octet-stream") != 0 &&
                                         !g_str_has_prefix(lower, "text/")
                                     ? g_strdup(lower)
                                     : n ? guess_type(n) : guess_block_type(b);
            MimeAttachment *a = add_attachment(w, n, t, b->data, TRUE, b->damaged);
            separate(w);
            append_marker(w->body, a);
        }
        g_ptr_array_unref(blocks);
        return;
    }

    gboolean attachment = g_mime_part_is_attachment(part);
    gboolean is_text = !attachment && (strcmp(lower, "text/plain") == 0 ||
                                        strcmp(lower, "text/html") == 0);
    if (is_text && name) {
        /* An inline text part with a file name (Apple Mail does this):
         * shown, and in the list so it can be saved as the file it is. */
        gboolean damaged = FALSE;
        g_autoptr(GBytes) data = mime_part_decoded_checked(part, &damaged);
        MimeAttachment *a = add_attachment(w, name, lower, data, FALSE, damaged);
        separate(w);
        append_marker(w->body, a);
    }
    if (!attachment && strcmp(lower, "text/plain") == 0) {
        separate(w);
        if (mime_crypto_inline(w->crypto, part, w->body))
            return;
        g_autofree char *text = part_text(part);
        const char *format = g_mime_object_get_content_type_parameter(obj, "format");
        if (format && g_ascii_strcasecmp(format, "flowed") == 0) {
            const char *delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
            char *flowed = mime_flowed_reflow(text, delsp && g_ascii_strcasecmp(delsp, "yes") == 0);
            g_free(text);
            text = flowed;
        }
        separate(w);
        append_text_scanning_uu(w, text);
        return;
    }
    if (!attachment && strcmp(lower, "text/html") == 0) {
        g_autofree char *html = part_text(part);
        g_autofree char *text = mime_html_to_text(html, w->opts);
        separate(w);
        g_string_append(w->body, text);
        return;
    }
    gboolean damaged = FALSE;
    g_autoptr(GBytes) data = mime_part_decoded_checked(part, &damaged);
    if (strcmp(lower, "message/rfc822") == 0) {
        /* GMime leaves an encoded message/rfc822 (base64, QP) as a leaf. */
        GMimeMessage *inner = mime_parse(data, NULL);
        if (inner) {
            show_embedded(w, obj, inner, data, depth);
            g_object_unref(inner);
            return;
        }
    }
    if (is_tnef(lower, name) && append_tnef(w, data))
        return;
    MimeAttachment *a = add_attachment(w, name, lower, data, FALSE, damaged);
    a->params = type_params(g_mime_object_get_content_type(obj));
    separate(w);
    append_marker(w->body, a);
    if (!attachment && read_as_text(lower)) {
        g_autofree char *text = part_text(part);
        if (text && *text) {
            g_string_append(w->body, text);
            separate(w);
        }
    }
}

/* The alternative to show: the last text/plain one (the parts go from
 * plainest to richest, but plain is what we show best), else the last
 * one we can show at all. */
static GMimeObject *
pick_alternative(GMimeMultipart *mp)
{
    int n = g_mime_multipart_get_count(mp);
    GMimeObject *plain = NULL, *other = NULL;
    for (int i = 0; i < n; i++) {
        GMimeObject *child = g_mime_multipart_get_part(mp, i);
        GMimeContentType *ct = g_mime_object_get_content_type(child);
        if (ct && g_mime_content_type_is_type(ct, "text", "plain") && GMIME_IS_PART(child) &&
            !g_mime_part_is_attachment(GMIME_PART(child)))
            plain = child;
        else if (ct && (g_mime_content_type_is_type(ct, "text", "html") ||
                        g_mime_content_type_is_type(ct, "multipart", "*")))
            other = child;
    }
    if (plain)
        return plain;
    if (other)
        return other;
    return n > 0 ? g_mime_multipart_get_part(mp, 0) : NULL;
}

static void append_headers(GString *out, GMimeMessage *msg);

/* An embedded message: in the list (to save it as .eml) and shown. */
static void
show_embedded(Walk *w, GMimeObject *obj, GMimeMessage *inner, GBytes *data, int depth)
{
    g_autofree char *name = part_name(obj);
    if (!name && inner && g_mime_message_get_subject(inner))
        name = g_strconcat(g_mime_message_get_subject(inner), ".eml", NULL);
    MimeAttachment *a = add_attachment(w, name ? name : "message.eml", "message/rfc822", data,
                                       FALSE, inner == NULL);
    separate(w);
    append_marker(w->body, a);
    if (!inner)
        return;
    g_string_append(w->body, _("-------- Embedded message --------\n"));
    append_headers(w->body, inner);
    g_string_append_c(w->body, '\n');
    GMimeObject *body = g_mime_message_get_mime_part(inner);
    if (body)
        walk(w, body, depth + 1);
    if (w->body->len > 0 && w->body->str[w->body->len - 1] != '\n')
        g_string_append_c(w->body, '\n');
    g_string_append(w->body, _("-------- End of embedded message --------\n"));
}

/* Content out of a signed or encrypted part; decrypted HTML gets only the
 * built-in converter, which fetches nothing (EFAIL). */
static void
walk_crypto_content(gpointer data, GMimeObject *obj, int depth, gboolean decrypted)
{
    Walk *w = data;
    const MimeViewOptions *saved = w->opts;
    MimeViewOptions safe = { NULL, saved->mailcap_files, TRUE };
    if (decrypted)
        w->opts = &safe;
    walk(w, obj, depth);
    w->opts = saved;
}

static void
walk_message_part(Walk *w, GMimeMessagePart *mpart, int depth)
{
    GMimeMessage *inner = g_mime_message_part_get_message(mpart);
    GBytes *data = NULL;
    if (inner) {
        GMimeStream *mem = g_mime_stream_mem_new();
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
        GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
        data = g_bytes_new(ba->data, ba->len);
        g_object_unref(mem);
    }
    show_embedded(w, GMIME_OBJECT(mpart), inner, data, depth);
    if (data)
        g_bytes_unref(data);
}

/* The leaves of an alternative that is not shown: a calendar invite,
 * attachments inside a related or mixed part.  Another rendering of the
 * text (text/plain or text/html, no name) is not listed. */
static void
walk_hidden(Walk *w, GMimeObject *obj, int depth)
{
    if (!obj || depth > MIME_MAX_DEPTH)
        return;
    if (GMIME_IS_MULTIPART_SIGNED(obj)) {
        /* The signed content's leaves; the signature is no file. */
        walk_hidden(w, g_mime_multipart_get_part(GMIME_MULTIPART(obj), GMIME_MULTIPART_SIGNED_CONTENT),
                    depth + 1);
        return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++)
            walk_hidden(w, g_mime_multipart_get_part(mp, i), depth + 1);
        return;
    }
    if (GMIME_IS_PART(obj)) {
        g_autofree char *type = mime_object_type(obj);
        g_autofree char *name = part_name(obj);
        if (!name && !g_mime_part_is_attachment(GMIME_PART(obj)) &&
            (strcmp(type, "text/plain") == 0 || strcmp(type, "text/html") == 0 ||
             strcmp(type, "text/enriched") == 0))
            return;
        if (strcmp(type, "text/plain") == 0 || strcmp(type, "text/html") == 0) {
            /* Named text: listed, not shown a second time. */
            gboolean damaged = FALSE;
            g_autoptr(GBytes) data = mime_part_decoded_checked(GMIME_PART(obj), &damaged);
            MimeAttachment *a = add_attachment(w, name, type, data, FALSE, damaged);
            separate(w);
            append_marker(w->body, a);
            return;
        }
    }
    walk(w, obj, depth);
}

static void
walk(Walk *w, GMimeObject *obj, int depth)
{
    if (!obj)
        return;
    if (depth > MIME_MAX_DEPTH) {
        separate(w);
        g_string_append(w->body, _("[-- nested too deeply, not shown --]\n"));
        return;
    }
    if (mime_crypto_walk(w->crypto, obj, depth, w->body, walk_crypto_content, w))
        return;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        int n = g_mime_multipart_get_count(mp);
        if (n == 0) {
            /* The boundary never appears (bounces often, and any
             * subtype, alternative too): GMime puts the whole body in
             * the prologue.  It is the text. */
            const char *text = g_mime_multipart_get_prologue(mp);
            if (text && *text) {
                g_autofree char *utf8 = mime_charset_to_utf8(text, strlen(text), NULL);
                separate(w);
                append_text_scanning_uu(w, utf8);
            }
            return;
        }
        if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
            GMimeObject *shown_part = pick_alternative(mp);
            walk(w, shown_part, depth + 1);
            for (int i = 0; i < n; i++) {
                GMimeObject *child = g_mime_multipart_get_part(mp, i);
                if (child != shown_part)
                    walk_hidden(w, child, depth + 1);
            }
            return;
        }
        for (int i = 0; i < n; i++)
            walk(w, g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        walk_message_part(w, GMIME_MESSAGE_PART(obj), depth);
    } else if (GMIME_IS_PART(obj)) {
        walk_part(w, GMIME_PART(obj), depth);
    }
}

/* ---- headers ----------------------------------------------------------- */

static char *
address_header(GMimeMessage *msg, GMimeAddressType type, const char *name)
{
    InternetAddressList *list = g_mime_message_get_addresses(msg, type);
    char *s = mime_address_list_string(list, g_mime_object_get_header(GMIME_OBJECT(msg), name));
    if (s)
        return s;
    /* Unparseable: show what is there, decoded as text. */
    return mime_header_decoded(GMIME_OBJECT(msg), name);
}

static const struct { const char *name; int type; } shown[] = {
    { N_("From"), GMIME_ADDRESS_TYPE_FROM },
    { N_("To"), GMIME_ADDRESS_TYPE_TO },
    { N_("Cc"), GMIME_ADDRESS_TYPE_CC },
    { N_("Date"), -1 },
    { N_("Subject"), -2 },
};

static char *
header_value(GMimeMessage *msg, guint i)
{
    if (shown[i].type >= 0)
        return address_header(msg, (GMimeAddressType)shown[i].type, shown[i].name);
    if (shown[i].type == -1)
        return mime_header_decoded(GMIME_OBJECT(msg), "Date");
    const char *s = g_mime_message_get_subject(msg);
    if (!s)
        return NULL;
    char *u = g_mime_utils_header_unfold(s);
    return g_strstrip(u);
}

static void
append_headers(GString *out, GMimeMessage *msg)
{
    for (guint i = 0; i < G_N_ELEMENTS(shown); i++) {
        g_autofree char *v = header_value(msg, i);
        if (v)
            g_string_append_printf(out, "%s: %s\n", shown[i].name, v);
    }
}

/* ---- the view ---------------------------------------------------------- */

MimeView *
mime_view_new(GBytes *raw, const MimeViewOptions *opts, GError **error)
{
    static const MimeViewOptions defaults = { NULL, NULL, FALSE };
    GMimeMessage *msg = mime_parse(raw, error);
    if (!msg)
        return NULL;

    MimeView *v = g_new0(MimeView, 1);
    v->headers = g_ptr_array_new_with_free_func((GDestroyNotify)header_free);
    v->lines = g_ptr_array_new_with_free_func(g_free);
    v->attachments = g_ptr_array_new_with_free_func((GDestroyNotify)attachment_free);

    for (guint i = 0; i < G_N_ELEMENTS(shown); i++) {
        g_autofree char *value = header_value(msg, i);
        if (!value)
            continue;
        MimeHeader *h = g_new0(MimeHeader, 1);
        h->name = g_strdup(shown[i].name);
        h->value = term_safe(value, -1, 0);
        g_ptr_array_add(v->headers, h);
    }

    /* store/ marks a message of which only the headers were fetched. */
    const char *partial = g_mime_object_get_header(GMIME_OBJECT(msg), "X-Postie-Partial");
    if (partial) {
        g_autofree char *p = g_strstrip(g_strdup(partial));
        v->headers_only = g_ascii_strcasecmp(p, "yes") == 0;
    }

    Walk w = { opts ? opts : &defaults, g_string_new(NULL), v->attachments, mime_crypto_new(msg) };
    walk(&w, g_mime_message_get_mime_part(msg), 0);
    g_object_unref(msg);

    /* Trailing blank lines add nothing. */
    while (w.body->len > 0 && w.body->str[w.body->len - 1] == '\n')
        g_string_truncate(w.body, w.body->len - 1);
    v->body_text = g_string_free(w.body, FALSE);

    g_autofree char *safe = term_safe(v->body_text, -1, TERM_SAFE_KEEP_NEWLINES);
    if (*safe) {
        char **lines = g_strsplit(safe, "\n", -1);
        for (char **l = lines; *l; l++)
            g_ptr_array_add(v->lines, g_steal_pointer(l));
        g_free(lines);
    }
    mime_crypto_finish(w.crypto, v);
    mime_crypto_free(w.crypto);
    return v;
}

void
mime_view_note_headers_only(MimeView *v, const char *how)
{
    if (!v->headers_only)
        return;
    g_autofree char *line = g_strdup_printf(
        _("[-- Only the headers of this message are here; the body is still on the server. %s --]"),
        how ? how : "");
    char *safe = term_safe(line, -1, 0);
    gboolean blank = v->lines->len > 0;
    g_ptr_array_insert(v->lines, 0, safe);
    if (blank)
        g_ptr_array_insert(v->lines, 1, g_strdup(""));
    if (v->line_kinds) {
        /* Keep the signature/decryption kinds on their lines. */
        static const guint8 text[2] = { MIME_LINE_TEXT, MIME_LINE_TEXT };
        g_array_prepend_vals(v->line_kinds, text, blank ? 2 : 1);
    }
}

char *
mime_attachment_describe(const MimeAttachment *a)
{
    g_autofree char *size = g_format_size(a->size);
    return g_strdup_printf("[%u] %s (%s, %s%s)", a->index, a->display_name, a->content_type, size,
                           a->damaged ? _(", damaged") : "");
}

char *
mime_view_to_text(const MimeView *v)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < v->headers->len; i++) {
        const MimeHeader *h = v->headers->pdata[i];
        g_string_append_printf(out, "%s: %s\n", _(h->name), h->value);
    }
    g_string_append_c(out, '\n');
    for (guint i = 0; i < v->lines->len; i++) {
        g_string_append(out, v->lines->pdata[i]);
        g_string_append_c(out, '\n');
    }
    if (v->attachments->len > 0) {
        g_string_append(out, _("\n[-- Attachments --]\n"));
        for (guint i = 0; i < v->attachments->len; i++) {
            g_autofree char *d = mime_attachment_describe(v->attachments->pdata[i]);
            g_string_append(out, d);
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}
