/* Inline PGP in text/plain: clearsigned blocks ("-----BEGIN PGP SIGNED
 * MESSAGE-----") are verified and encrypted ones ("-----BEGIN PGP
 * MESSAGE-----") decrypted through GMime's OpenPGP context.  Text around
 * the blocks is shown, marked as not covered by their signatures. */
#include <config.h>

#include <string.h>

#include "mime/crypto_private.h"

#define BEGIN_SIGNED "-----BEGIN PGP SIGNED MESSAGE-----"
#define BEGIN_SIG    "-----BEGIN PGP SIGNATURE-----"
#define END_SIG      "-----END PGP SIGNATURE-----"
#define BEGIN_MSG    "-----BEGIN PGP MESSAGE-----"
#define END_MSG      "-----END PGP MESSAGE-----"

/* Is the line at P (up to EOL, the '\n' or the end) exactly MARKER,
 * allowing trailing blanks and CR? */
static gboolean
line_is(const char *p, const char *eol, const char *marker)
{
    gsize n = strlen(marker);
    if ((gsize)(eol - p) < n || memcmp(p, marker, n) != 0)
        return FALSE;
    for (p += n; p < eol; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return FALSE;
    return TRUE;
}

static const char *
line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    return nl ? nl : end;
}

/* The first line at or after P that is MARKER: its start, or NULL. */
static const char *
find_line(const char *p, const char *end, const char *marker)
{
    while (p < end) {
        const char *eol = line_end(p, end);
        if (line_is(p, eol, marker))
            return p;
        p = eol < end ? eol + 1 : end;
    }
    return NULL;
}

static const char *
after_line(const char *p, const char *end)
{
    const char *eol = line_end(p, end);
    return eol < end ? eol + 1 : end;
}

GArray *
mime_pgp_scan(const char *text, gsize len)
{
    GArray *blocks = g_array_new(FALSE, FALSE, sizeof(MimePgpBlock));
    if (!text)
        return blocks;
    const char *p = text, *end = text + len;
    /* Once an END marker is known to be missing from some point on, it
     * is missing from every later point too: keeps hostile input with
     * many BEGIN lines linear. */
    gboolean no_sig_end = FALSE, no_msg_end = FALSE;
    while (p < end) {
        const char *eol = line_end(p, end);
        const char *next = eol < end ? eol + 1 : end;
        MimePgpBlock b = { 0, 0, 0 };
        const char *stop = NULL;
        if (!no_sig_end && line_is(p, eol, BEGIN_SIGNED)) {
            const char *sig = find_line(next, end, BEGIN_SIG);
            const char *fin = sig ? find_line(after_line(sig, end), end, END_SIG) : NULL;
            if (fin) {
                b.kind = MIME_PGP_SIGNED;
                stop = after_line(fin, end);
            } else {
                no_sig_end = TRUE;
            }
        } else if (!no_msg_end && line_is(p, eol, BEGIN_MSG)) {
            const char *fin = find_line(next, end, END_MSG);
            if (fin) {
                b.kind = MIME_PGP_MESSAGE;
                stop = after_line(fin, end);
            } else {
                no_msg_end = TRUE;
            }
        }
        if (stop) {
            b.start = (gsize)(p - text);
            b.end = (gsize)(stop - text);
            g_array_append_val(blocks, b);
            p = stop;
        } else {
            p = next;
        }
    }
    return blocks;
}

/* ---- showing the blocks ------------------------------------------------ */

static void
append_text(GString *body, const char *data, gsize len, const char *charset)
{
    g_autofree char *t = mime_charset_to_utf8(data, len, charset);
    g_string_append(body, t);
    if (body->len > 0 && body->str[body->len - 1] != '\n')
        g_string_append_c(body, '\n');
}

/* Text outside every block: shown, but said not to be covered. */
static void
append_outside(MimeCrypto *c, GString *body, const char *data, gsize len, const char *charset)
{
    gboolean blank = TRUE;
    for (gsize i = 0; i < len && blank; i++)
        blank = g_ascii_isspace(data[i]);
    if (blank)
        return;
    if (c->covered == 0)
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD, "%s",
                         _("The following text is not covered by a signature"));
    append_text(body, data, len, charset);
}

static GBytes *
mem_bytes(GMimeStream *mem)
{
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    return g_bytes_new(ba->data, ba->len);
}

static void
show_signed(MimeCrypto *c, GMimeCryptoContext *ctx, GString *body, const char *data, gsize len,
            const char *charset)
{
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeStream *out = g_mime_stream_mem_new();
    g_autoptr(GError) err = NULL;
    GMimeSignatureList *sigs = g_mime_crypto_context_verify(ctx, GMIME_VERIFY_NONE, in, NULL, out, &err);
    if (!sigs) {
        /* The block as it came, under a line saying it is unverified. */
        mime_crypto_failure(c, body, _("Could not verify the inline PGP signature"), err);
        append_text(body, data, len, charset);
    } else {
        mime_crypto_describe(c, body, sigs);
        g_autoptr(GBytes) text = mem_bytes(out);
        gsize n = 0;
        const char *p = g_bytes_get_data(text, &n);
        append_text(body, p ? p : "", n, charset);
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("End of signed part"));
        g_object_unref(sigs);
    }
    g_object_unref(in);
    g_object_unref(out);
}

static void
show_encrypted(MimeCrypto *c, GMimeCryptoContext *ctx, GString *body, const char *data, gsize len,
               const char *charset)
{
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeStream *out = g_mime_stream_mem_new();
    g_autoptr(GError) err = NULL;
    GMimeDecryptResult *res = g_mime_crypto_context_decrypt(ctx, GMIME_DECRYPT_NONE, NULL, in, out, &err);
    if (!res) {
        mime_crypto_decrypt_failure(c, body, _("Encrypted message (inline PGP)"), err, data, len);
    } else {
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s",
                         _("Encrypted message (inline PGP), decrypted"));
        GMimeSignatureList *sigs = g_mime_decrypt_result_get_signatures(res);
        if (sigs && g_mime_signature_list_length(sigs) > 0) {
            mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("This part is signed and encrypted"));
            mime_crypto_describe(c, body, sigs);
        }
        g_autoptr(GBytes) text = mem_bytes(out);
        gsize n = 0;
        const char *p = g_bytes_get_data(text, &n);
        append_text(body, p ? p : "", n, charset);
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("End of encrypted part"));
        g_object_unref(res);
    }
    g_object_unref(in);
    g_object_unref(out);
}

gboolean
mime_crypto_inline(MimeCrypto *c, GMimePart *part, GString *body)
{
    if (!c)
        return FALSE;
    g_autoptr(GBytes) data = mime_part_decoded(part);
    gsize len = 0;
    const char *p = g_bytes_get_data(data, &len);
    if (!p || len == 0)
        return FALSE;
    GArray *blocks = mime_pgp_scan(p, len);
    if (blocks->len == 0) {
        g_array_unref(blocks);
        return FALSE;
    }
    const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    GMimeCryptoContext *ctx = g_mime_gpg_context_new();
    gsize pos = 0;
    for (guint i = 0; i < blocks->len; i++) {
        const MimePgpBlock *b = &g_array_index(blocks, MimePgpBlock, i);
        append_outside(c, body, p + pos, b->start - pos, charset);
        if (b->kind == MIME_PGP_SIGNED)
            show_signed(c, ctx, body, p + b->start, b->end - b->start, charset);
        else
            show_encrypted(c, ctx, body, p + b->start, b->end - b->start, charset);
        pos = b->end;
    }
    append_outside(c, body, p + pos, len - pos, charset);
    g_object_unref(ctx);
    g_array_unref(blocks);
    return TRUE;
}
