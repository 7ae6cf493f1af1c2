/* The crypto side of one view: which parts a signature covers, the status
 * lines and their kinds, and the Subject protected inside an encryption. */
#include <config.h>

#include <stdarg.h>
#include <string.h>

#include "mime/crypto_private.h"

/* Enough for any real message; more status lines just lose their colour. */
#define MAX_MARKS 256

MimeCrypto *
mime_crypto_new(GMimeMessage *msg)
{
    MimeCrypto *c = g_new0(MimeCrypto, 1);
    c->marks = g_array_new(FALSE, FALSE, sizeof(MimeCryptoMark));
    GPtrArray *from = g_ptr_array_new();
    InternetAddressList *list = g_mime_message_get_from(msg);
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
            if (addr && *addr)
                g_ptr_array_add(from, g_ascii_strdown(addr, -1));
        }
    }
    g_ptr_array_add(from, NULL);
    c->from = (char **)g_ptr_array_free(from, FALSE);
    GMimeObject *root = g_mime_message_get_mime_part(msg);
    c->partly_signed = root && !mime_crypto_is_signed(root) &&
                       mime_crypto_contains_signed(root, 0);
    return c;
}

void
mime_crypto_free(MimeCrypto *c)
{
    if (!c)
        return;
    g_strfreev(c->from);
    g_array_unref(c->marks);
    g_free(c->protected_subject);
    g_free(c);
}

char *
mime_crypto_clean(const char *s)
{
    char *u = g_utf8_make_valid(s ? s : "", -1);
    GString *out = g_string_new(NULL);
    for (const char *p = u; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || ch == 0x2028 || ch == 0x2029)
            g_string_append_c(out, ' ');
        else
            g_string_append_unichar(out, ch);
    }
    g_free(u);
    return g_string_free(out, FALSE);
}

void
mime_crypto_line(MimeCrypto *c, GString *body, MimeLineKind kind, const char *fmt, ...)
{
    if (body->len > 0 && body->str[body->len - 1] != '\n')
        g_string_append_c(body, '\n');
    if (c->marks->len < MAX_MARKS) {
        MimeCryptoMark m = { body->len, kind };
        g_array_append_val(c->marks, m);
    }
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_string_append_printf(body, "[-- %s --]\n", text);
}

void
mime_crypto_failure(MimeCrypto *c, GString *body, const char *what, const GError *err)
{
    g_autofree char *why = mime_crypto_clean(err && err->message ? err->message : _("unknown error"));
    mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD, "%s: %s", what, why);
}

gboolean
mime_crypto_is_signed(GMimeObject *obj)
{
    if (GMIME_IS_MULTIPART_SIGNED(obj))
        return TRUE;
    return GMIME_IS_APPLICATION_PKCS7_MIME(obj) && mime_part_has_body(obj) &&
           g_mime_application_pkcs7_mime_get_smime_type(GMIME_APPLICATION_PKCS7_MIME(obj)) ==
               GMIME_SECURE_MIME_TYPE_SIGNED_DATA;
}

gboolean
mime_crypto_contains_signed(GMimeObject *obj, int depth)
{
    if (!obj || depth > MIME_MAX_DEPTH)
        return FALSE;
    if (mime_crypto_is_signed(obj))
        return TRUE;
    if (GMIME_IS_MULTIPART(obj) && !GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
        int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
        for (int i = 0; i < n; i++)
            if (mime_crypto_contains_signed(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i),
                                            depth + 1))
                return TRUE;
    }
    return FALSE;
}

gboolean
mime_crypto_walk(MimeCrypto *c, GMimeObject *obj, int depth, GString *body,
                 MimeCryptoWalkFn fn, gpointer walk)
{
    if (!c || !obj)
        return FALSE;
    if (mime_crypto_verify_part(c, obj, depth, body, fn, walk) ||
        mime_crypto_decrypt_part(c, obj, depth, body, fn, walk))
        return TRUE;
    if (c->partly_signed && c->covered == 0 && !GMIME_IS_MULTIPART(obj))
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD,
                         "%s", _("The following part is not covered by a signature"));
    return FALSE;
}

MimeLineKind
mime_view_line_kind(const MimeView *v, guint i)
{
    if (!v->line_kinds || i >= v->line_kinds->len)
        return MIME_LINE_TEXT;
    return (MimeLineKind)g_array_index(v->line_kinds, guint8, i);
}

/* The marks are byte offsets in the walked body; the view's lines come
 * from term_safe() of it, which may turn other characters into line
 * breaks too (U+2028), so count lines the way term_safe made them. */
void
mime_crypto_finish(MimeCrypto *c, MimeView *v)
{
    if (c->marks->len > 0 && v->lines->len > 0) {
        v->line_kinds = g_array_sized_new(FALSE, TRUE, sizeof(guint8), v->lines->len);
        g_array_set_size(v->line_kinds, v->lines->len);
        gsize body_len = strlen(v->body_text), done = 0;
        guint line = 0;
        for (guint i = 0; i < c->marks->len; i++) {
            const MimeCryptoMark *m = &g_array_index(c->marks, MimeCryptoMark, i);
            if (m->offset >= body_len || m->offset < done)
                break;
            g_autofree char *seg = term_safe(v->body_text + done, (gssize)(m->offset - done),
                                             TERM_SAFE_KEEP_NEWLINES);
            for (const char *p = seg; *p; p++)
                line += *p == '\n';
            done = m->offset;
            if (line < v->line_kinds->len)
                g_array_index(v->line_kinds, guint8, line) = (guint8)m->kind;
        }
    }
    /* body_text is for quoting and resuming drafts: the text alone,
     * without the status lines. */
    if (c->marks->len > 0) {
        GString *text = g_string_new(NULL);
        gsize len = strlen(v->body_text), done = 0;
        for (guint i = 0; i < c->marks->len; i++) {
            const MimeCryptoMark *m = &g_array_index(c->marks, MimeCryptoMark, i);
            if (m->offset >= len || m->offset < done)
                break;
            g_string_append_len(text, v->body_text + done, (gssize)(m->offset - done));
            const char *nl = strchr(v->body_text + m->offset, '\n');
            done = nl ? (gsize)(nl + 1 - v->body_text) : len;
        }
        if (done < len)
            g_string_append(text, v->body_text + done);
        g_free(v->body_text);
        v->body_text = g_string_free(text, FALSE);
    }
    if (c->protected_subject) {
        v->protected_subject = g_strdup(c->protected_subject);
        for (guint i = 0; i < v->headers->len; i++) {
            MimeHeader *h = v->headers->pdata[i];
            if (strcmp(h->name, "Subject") == 0) {
                g_free(h->value);
                h->value = term_safe(c->protected_subject, -1, 0);
                return;
            }
        }
        MimeHeader *h = g_new0(MimeHeader, 1);
        h->name = g_strdup("Subject");
        h->value = term_safe(c->protected_subject, -1, 0);
        g_ptr_array_add(v->headers, h);
    }
}
