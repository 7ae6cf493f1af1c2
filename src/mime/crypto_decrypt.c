/* Encrypted parts: multipart/encrypted (PGP/MIME, RFC 3156) and S/MIME
 * enveloped-data (RFC 8551), decrypted through GMime's GPGME contexts with
 * the user's keyring and agent.  The plaintext stays in memory: it is
 * walked like any message and never written anywhere from here. */
#include <config.h>

#include <string.h>

#include "mime/crypto_private.h"

static gboolean
is_enveloped(GMimeObject *obj)
{
    if (!GMIME_IS_APPLICATION_PKCS7_MIME(obj) || !mime_part_has_body(obj))
        return FALSE;   /* no content: listed as the attachment it is */
    GMimeSecureMimeType t = g_mime_application_pkcs7_mime_get_smime_type(GMIME_APPLICATION_PKCS7_MIME(obj));
    /* Old senders leave smime-type out; such a part is enveloped-data. */
    return t == GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA || t == GMIME_SECURE_MIME_TYPE_UNKNOWN;
}

/* RFC 7508 / "protected headers" (draft-autocrypt-lamps): the real
 * Subject rides on the decrypted root part. */
static void
take_protected_subject(MimeCrypto *c, GMimeObject *inner, int depth)
{
    if (depth != 0 || c->protected_subject)
        return;
    const char *ph = g_mime_object_get_content_type_parameter(inner, "protected-headers");
    if (!ph || g_ascii_strcasecmp(ph, "v1") != 0)
        return;
    char *subject = mime_header_decoded(inner, "Subject");
    if (subject)
        c->protected_subject = subject;
}

char *
mime_crypto_pgp_recipients(const char *ciphertext, gsize len)
{
    if (!ciphertext || len == 0)
        return NULL;
    char *argv[] = { (char *)"gpg", (char *)"--batch", (char *)"--no-tty",
                     (char *)"--list-only", (char *)"--list-packets", NULL };
    g_autoptr(GBytes) in = g_bytes_new(ciphertext, len);
    g_autoptr(GBytes) out = mime_run_filter(argv, in, NULL);
    if (!out)
        return NULL;
    gsize n = 0;
    const char *p = g_bytes_get_data(out, &n);
    g_autofree char *text = g_strndup(p ? p : "", n);
    GString *ids = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *k = g_str_has_prefix(*l, ":pubkey enc packet:") ? strstr(*l, "keyid ") : NULL;
        if (!k)
            continue;
        k += strlen("keyid ");
        gsize m = strspn(k, "0123456789ABCDEFabcdef");
        if (m == 0 || m > 40)
            continue;
        g_string_append_printf(ids, "%s%.*s", ids->len ? ", " : "", (int)m, k);
    }
    return ids->len ? g_string_free(ids, FALSE) : (g_string_free(ids, TRUE), NULL);
}

void
mime_crypto_decrypt_failure(MimeCrypto *c, GString *body, const char *what, const GError *err,
                            const char *ciphertext, gsize len)
{
    g_autofree char *ids = mime_crypto_pgp_recipients(ciphertext, len);
    g_autofree char *why = mime_crypto_clean(err && err->message ? err->message : _("unknown error"));
    if (ids)
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD,
                         _("%s: could not decrypt: %s (encrypted to key %s)"), what, why, ids);
    else
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD, _("%s: could not decrypt: %s"), what, why);
}

/* GMime 3.2.13 bug (still in 3.2.15): g_mime_multipart_encrypted_decrypt
 * crashes on a multipart/encrypted without its two leaf parts.  Such a
 * part, or one with an empty part, is refused here. */
static gboolean
pgp_parts_ok(GMimeObject *obj)
{
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    return g_mime_multipart_get_count(mp) >= 2 &&
           mime_part_has_body(g_mime_multipart_get_part(mp, GMIME_MULTIPART_ENCRYPTED_VERSION)) &&
           mime_part_has_body(g_mime_multipart_get_part(mp, GMIME_MULTIPART_ENCRYPTED_CONTENT));
}

gboolean
mime_crypto_decrypt_part(MimeCrypto *c, GMimeObject *obj, int depth, GString *body,
                         MimeCryptoWalkFn fn, gpointer walk)
{
    gboolean pgp = GMIME_IS_MULTIPART_ENCRYPTED(obj);
    if (!pgp && !is_enveloped(obj))
        return FALSE;
    const char *what = pgp ? _("Encrypted message (OpenPGP)") : _("Encrypted message (S/MIME)");
    g_autoptr(GError) err = NULL;
    if (pgp && !pgp_parts_ok(obj)) {
        g_set_error(&err, POSTIE_ERROR, POSTIE_ERROR_FORMAT, "%s",
                    _("malformed: it needs a version part and an encrypted part"));
        g_autofree char *msg = g_strdup_printf(_("%s: could not decrypt"), what);
        mime_crypto_failure(c, body, msg, err);
        return TRUE;
    }
    GMimeDecryptResult *result = NULL;
    GMimeObject *inner = pgp
        ? g_mime_multipart_encrypted_decrypt(GMIME_MULTIPART_ENCRYPTED(obj), GMIME_DECRYPT_NONE,
                                             NULL, &result, &err)
        : g_mime_application_pkcs7_mime_decrypt(GMIME_APPLICATION_PKCS7_MIME(obj),
                                                GMIME_DECRYPT_NONE, NULL, &result, &err);
    if (!inner) {
        /* Nothing of it is shown: there is no plaintext to show. */
        g_autoptr(GBytes) ct = NULL;
        if (pgp) {
            GMimeObject *part = g_mime_multipart_get_part(GMIME_MULTIPART(obj),
                                                          GMIME_MULTIPART_ENCRYPTED_CONTENT);
            ct = mime_part_decoded(GMIME_PART(part));
        }
        gsize n = 0;
        const char *p = ct ? g_bytes_get_data(ct, &n) : NULL;
        mime_crypto_decrypt_failure(c, body, what, err, p, n);
        g_clear_object(&result);
        return TRUE;
    }
    mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, _("%s, decrypted"), what);
    /* GMime parsed the plaintext itself: give its headers the fixes
     * mime_parse gives every message (gmime-fixes.c). */
    mime_fix_headers(inner, depth + 1);
    take_protected_subject(c, inner, depth);

    /* One-pass signed and encrypted OpenPGP: the signatures come with the
     * decryption. */
    GMimeSignatureList *sigs = result ? g_mime_decrypt_result_get_signatures(result) : NULL;
    gboolean signed_inside = sigs && g_mime_signature_list_length(sigs) > 0;
    if (signed_inside) {
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("This part is signed and encrypted"));
        mime_crypto_describe(c, body, sigs);
        c->covered++;
    } else if (!c->partly_signed && !mime_crypto_is_signed(inner) &&
               mime_crypto_contains_signed(inner, 0)) {
        c->partly_signed = TRUE;
    }
    c->decrypted++;
    fn(walk, inner, depth + 1, TRUE);
    c->decrypted--;
    if (signed_inside)
        c->covered--;
    mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("End of encrypted part"));
    g_object_unref(inner);
    g_clear_object(&result);
    return TRUE;
}
