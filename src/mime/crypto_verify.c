/* Signed parts: multipart/signed (PGP/MIME, RFC 3156; S/MIME, RFC 8551)
 * and S/MIME signed-data, verified through GMime's GPGME contexts, and the
 * lines that say what the signatures are worth. */
#include <config.h>

#include <string.h>

#include <gpg-error.h>

#include "mime/crypto_private.h"

static const char *
validity_name(GMimeSignatureStatus status, GMimeCertificate *cert, gboolean *bad)
{
    *bad = FALSE;
    if (status & GMIME_SIGNATURE_STATUS_KEY_REVOKED) {
        *bad = TRUE;
        return _("revoked");
    }
    if (status & (GMIME_SIGNATURE_STATUS_KEY_EXPIRED | GMIME_SIGNATURE_STATUS_SIG_EXPIRED)) {
        *bad = TRUE;
        return _("expired");
    }
    switch (cert ? g_mime_certificate_get_id_validity(cert) : GMIME_VALIDITY_UNKNOWN) {
    case GMIME_VALIDITY_ULTIMATE:
        return _("ultimate");
    case GMIME_VALIDITY_FULL:
        return _("full");
    case GMIME_VALIDITY_MARGINAL:
        return _("marginal");
    case GMIME_VALIDITY_NEVER:
        *bad = TRUE;
        return _("never");
    default:
        return _("unknown");
    }
}

/* The certificate's address without angle brackets (gpgsm gives
 * "<addr>"), lower case; NULL if it has none. */
static char *
signer_address(GMimeCertificate *cert)
{
    const char *e = cert ? g_mime_certificate_get_email(cert) : NULL;
    if (!e || !*e)
        return NULL;
    g_autofree char *s = g_strdup(e);
    g_strstrip(s);
    gsize n = strlen(s);
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
        s[n - 1] = '\0';
        return g_ascii_strdown(s + 1, -1);
    }
    return g_ascii_strdown(s, -1);
}

static void
describe_one(MimeCrypto *c, GString *body, GMimeSignature *sig, gboolean *all_good)
{
    GMimeSignatureStatus status = g_mime_signature_get_status(sig);
    GMimeCertificate *cert = g_mime_signature_get_certificate(sig);
    g_autofree char *addr = signer_address(cert);
    g_autofree char *name = mime_crypto_clean(cert ? g_mime_certificate_get_name(cert) : NULL);
    g_autofree char *caddr = mime_crypto_clean(addr);
    const char *fpr = cert ? g_mime_certificate_get_fingerprint(cert) : NULL;
    if (!fpr || !*fpr)
        fpr = cert ? g_mime_certificate_get_key_id(cert) : NULL;
    g_autofree char *key = mime_crypto_clean(fpr && *fpr ? fpr : _("unknown"));
    g_autofree char *who = NULL;
    if (*name && *caddr)
        who = g_strdup_printf("%s <%s>", name, caddr);
    else if (*caddr || *name)
        who = g_strdup(*caddr ? caddr : name);
    else
        who = g_strdup(_("an unknown signer"));

    if (status & GMIME_SIGNATURE_STATUS_RED) {
        *all_good = FALSE;
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD, _("BAD signature from %s (key %s)"), who, key);
        return;
    }
    if (status & GMIME_SIGNATURE_STATUS_KEY_MISSING) {
        *all_good = FALSE;
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD,
                         _("Could not verify the signature: no public key %s in the keyring"), key);
        return;
    }
    if (status & (GMIME_SIGNATURE_STATUS_SYS_ERROR | GMIME_SIGNATURE_STATUS_BAD_POLICY)) {
        *all_good = FALSE;
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD,
                         _("Could not verify the signature from %s (key %s): %s"), who, key,
                         (status & GMIME_SIGNATURE_STATUS_SYS_ERROR) ? _("system error")
                                                                      : _("policy not met"));
        return;
    }
    gboolean weak = FALSE;
    const char *validity = validity_name(status, cert, &weak);
    if (weak)
        *all_good = FALSE;
    mime_crypto_line(c, body, weak ? MIME_LINE_CRYPTO_BAD : MIME_LINE_CRYPTO_GOOD,
                     _("Good signature from %s (key %s), validity: %s"), who, key, validity);
    if (addr && c->from[0] && !g_strv_contains((const char *const *)c->from, addr)) {
        *all_good = FALSE;
        g_autofree char *from = mime_crypto_clean(c->from[0]);
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD,
                         _("Warning: the signer <%s> is not the sender <%s> (From)"), caddr, from);
    }
}

gboolean
mime_crypto_describe(MimeCrypto *c, GString *body, GMimeSignatureList *sigs)
{
    int n = sigs ? g_mime_signature_list_length(sigs) : 0;
    if (n == 0) {
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_BAD, "%s", _("BAD signature: no signature found"));
        return FALSE;
    }
    gboolean all_good = TRUE;
    for (int i = 0; i < n; i++)
        describe_one(c, body, g_mime_signature_list_get_signature(sigs, i), &all_good);
    return all_good;
}

/* Show CONTENT as covered by the signatures just described. */
static void
walk_covered(MimeCrypto *c, GMimeObject *content, int depth, GString *body,
             MimeCryptoWalkFn fn, gpointer walk)
{
    c->covered++;
    if (content)
        fn(walk, content, depth + 1, c->decrypted > 0);
    c->covered--;
    mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("End of signed part"));
}

gboolean
mime_crypto_verify_part(MimeCrypto *c, GMimeObject *obj, int depth, GString *body,
                        MimeCryptoWalkFn fn, gpointer walk)
{
    if (!mime_crypto_is_signed(obj))
        return FALSE;
    if (c->decrypted > 0)
        mime_crypto_line(c, body, MIME_LINE_CRYPTO_INFO, "%s", _("This part is signed and encrypted"));
    g_autoptr(GError) err = NULL;
    if (GMIME_IS_MULTIPART_SIGNED(obj)) {
        GMimeMultipartSigned *mps = GMIME_MULTIPART_SIGNED(obj);
        GMimeObject *content = g_mime_multipart_get_part(GMIME_MULTIPART(obj),
                                                         GMIME_MULTIPART_SIGNED_CONTENT);
        /* A missing or empty signature part is malformed, not a
         * failed check. */
        GMimeObject *sig = g_mime_multipart_get_count(GMIME_MULTIPART(obj)) > 1
            ? g_mime_multipart_get_part(GMIME_MULTIPART(obj), GMIME_MULTIPART_SIGNED_SIGNATURE)
            : NULL;
        GMimeSignatureList *sigs = NULL;
        if (!mime_part_has_body(sig))
            g_set_error(&err, POSTIE_ERROR, POSTIE_ERROR_FORMAT, "%s",
                        _("malformed: the signature part is missing or empty"));
        else
            sigs = g_mime_multipart_signed_verify(mps, GMIME_VERIFY_NONE, &err);
        if (!sigs && err && err->domain == GMIME_GPGME_ERROR &&
            gpg_err_code((gpg_error_t)err->code) == GPG_ERR_NO_DATA) {
            /* GMime says "Could not verify signature: No data". */
            g_clear_error(&err);
            g_set_error(&err, POSTIE_ERROR, POSTIE_ERROR_FORMAT, "%s",
                        _("malformed: the signature part holds no signature"));
        }
        if (!sigs)
            mime_crypto_failure(c, body, _("Could not verify the signature"), err);
        else
            mime_crypto_describe(c, body, sigs);
        g_clear_object(&sigs);
        /* The signed content is shown either way: it is what was sent,
         * and the line above says what its signature is worth. */
        walk_covered(c, content, depth, body, fn, walk);
        return TRUE;
    }
    /* S/MIME signed-data: the content is inside the signature. */
    GMimeObject *entity = NULL;
    GMimeSignatureList *sigs = g_mime_application_pkcs7_mime_verify(
        GMIME_APPLICATION_PKCS7_MIME(obj), GMIME_VERIFY_NONE, &entity, &err);
    if (!sigs) {
        mime_crypto_failure(c, body, _("Could not verify the S/MIME signature"), err);
        g_clear_object(&entity);
        return FALSE;   /* shown as the attachment it is */
    }
    mime_crypto_describe(c, body, sigs);
    g_object_unref(sigs);
    mime_fix_headers(entity, depth + 1);   /* as mime_parse does (gmime-fixes.c) */
    walk_covered(c, entity, depth, body, fn, walk);
    g_clear_object(&entity);
    return TRUE;
}
