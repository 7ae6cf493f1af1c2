/* Outgoing mail signed and/or encrypted through GMime's GPGME contexts:
 * PGP/MIME (RFC 3156) with gpg, S/MIME (RFC 8551) with gpgsm.  GMime
 * writes the signed content in canonical form (7-bit, CRLF) and sets
 * micalg from the digest the engine used. */
#include <config.h>

#include <string.h>

#include "mime/crypto_private.h"

static GMimeCryptoContext *
context_for(const MimeProtect *p)
{
    return p->smime ? g_mime_pkcs7_context_new() : g_mime_gpg_context_new();
}

static char *
sender_address(GMimeMessage *msg)
{
    InternetAddressList *from = g_mime_message_get_from(msg);
    if (!from || internet_address_list_length(from) == 0)
        return NULL;
    InternetAddress *ia = internet_address_list_get_address(from, 0);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
        return NULL;
    return g_strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
}

/* Every mailbox in LIST (groups opened), lower case, once, into OUT. */
static void
add_addresses(GPtrArray *out, InternetAddressList *list)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            add_addresses(out, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
            continue;
        }
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        if (!addr || !*addr)
            continue;
        char *low = g_ascii_strdown(addr, -1);
        if (g_ptr_array_find_with_equal_func(out, low, g_str_equal, NULL))
            g_free(low);
        else
            g_ptr_array_add(out, low);
    }
}

static GPtrArray *
recipients_of(GMimeMessage *msg)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    add_addresses(out, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO));
    add_addresses(out, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC));
    add_addresses(out, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_BCC));
    return out;
}

/* Does the keyring hold a usable encryption key for WHO?  Asked the only
 * way GMime offers: encrypt one byte to it. */
static gboolean
has_key(GMimeCryptoContext *ctx, const char *who)
{
    GPtrArray *one = g_ptr_array_new();
    g_ptr_array_add(one, (gpointer)who);
    GMimeStream *in = g_mime_stream_mem_new_with_buffer("x", 1);
    GMimeStream *out = g_mime_stream_mem_new();
    int rc = g_mime_crypto_context_encrypt(ctx, FALSE, NULL, GMIME_ENCRYPT_ALWAYS_TRUST, one,
                                           in, out, NULL);
    g_object_unref(in);
    g_object_unref(out);
    g_ptr_array_free(one, TRUE);
    return rc >= 0;
}

GPtrArray *
mime_crypto_missing_keys(GBytes *raw, const MimeProtect *p)
{
    GPtrArray *missing = g_ptr_array_new_with_free_func(g_free);
    GMimeMessage *msg = mime_parse(raw, NULL);
    if (!msg)
        return missing;
    GMimeCryptoContext *ctx = context_for(p);
    g_autoptr(GPtrArray) rcpts = recipients_of(msg);
    for (guint i = 0; i < rcpts->len; i++)
        if (!has_key(ctx, rcpts->pdata[i]))
            g_ptr_array_add(missing, g_strdup(rcpts->pdata[i]));
    g_object_unref(ctx);
    g_object_unref(msg);
    return missing;
}

/* Protected headers (draft-autocrypt-lamps-protected-headers "v1"): the
 * real ones on the root of what gets encrypted. */
static void
protect_headers(GMimeMessage *msg, GMimeObject *content)
{
    g_mime_object_set_content_type_parameter(content, "protected-headers", "v1");
    static const struct { const char *name; GMimeAddressType type; } addrs[] = {
        { "From", GMIME_ADDRESS_TYPE_FROM }, { "To", GMIME_ADDRESS_TYPE_TO },
        { "Cc", GMIME_ADDRESS_TYPE_CC }, { "Reply-To", GMIME_ADDRESS_TYPE_REPLY_TO },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(addrs); i++) {
        InternetAddressList *l = g_mime_message_get_addresses(msg, addrs[i].type);
        if (!l || internet_address_list_length(l) == 0)
            continue;
        g_autofree char *v = internet_address_list_to_string(l, NULL, FALSE);
        g_mime_object_set_header(content, addrs[i].name, v, "utf-8");
    }
    const char *date = g_mime_object_get_header(GMIME_OBJECT(msg), "Date");
    if (date)
        g_mime_object_set_header(content, "Date", date, NULL);
    const char *subject = g_mime_message_get_subject(msg);
    if (subject) {
        g_mime_object_set_header(content, "Subject", subject, "utf-8");
        g_mime_message_set_subject(msg, "...", NULL);
    }
}

void
mime_crypto_fix_smime_signed(GMimeObject *mps)
{
    const char *micalg = g_mime_object_get_content_type_parameter(mps, "micalg");
    if (micalg && g_ascii_strncasecmp(micalg, "sha", 3) == 0 && g_ascii_isdigit(micalg[3])) {
        g_autofree char *low = g_ascii_strdown(micalg, -1);
        g_autofree char *fixed = g_strdup_printf("sha-%s", low + 3);
        g_mime_object_set_content_type_parameter(mps, "micalg", fixed);
    }
    if (!GMIME_IS_MULTIPART(mps) || g_mime_multipart_get_count(GMIME_MULTIPART(mps)) < 2)
        return;
    GMimeObject *sig = g_mime_multipart_get_part(GMIME_MULTIPART(mps), GMIME_MULTIPART_SIGNED_SIGNATURE);
    if (GMIME_IS_PART(sig)) {
        g_mime_part_set_filename(GMIME_PART(sig), "smime.p7s");
        g_mime_object_set_content_type_parameter(sig, "name", "smime.p7s");
    }
}

static GMimeObject *
sign(GMimeCryptoContext *ctx, GMimeObject *content, const char *key, GError **error)
{
    GMimeMultipartSigned *mps = g_mime_multipart_signed_sign(ctx, content, key, error);
    if (mps && GMIME_IS_PKCS7_CONTEXT(ctx))
        mime_crypto_fix_smime_signed(GMIME_OBJECT(mps));
    return mps ? GMIME_OBJECT(mps) : NULL;
}

static GMimeObject *
encrypt(GMimeCryptoContext *ctx, const MimeProtect *p, GMimeObject *content, const char *key,
        GPtrArray *rcpts, gboolean hide_keys, GError **error)
{
    gboolean also_sign = (p->flags & MIME_PROTECT_SIGN) != 0;
    /* Always trust: the keys are the user's keyring's; gpg's batch default
     * would refuse every key the user has not certified. */
    GMimeEncryptFlags flags = GMIME_ENCRYPT_ALWAYS_TRUST;
    /* With Bcc recipients the key IDs would tell the others about them:
     * leave all key IDs out (gpg --throw-keyids; OpenPGP only). */
    if (hide_keys && !p->smime)
        flags |= GMIME_ENCRYPT_THROW_KEYIDS;
    if (!p->smime) {
        /* One pass, signed and encrypted (RFC 3156 6.2). */
        GMimeMultipartEncrypted *mpe = g_mime_multipart_encrypted_encrypt(
            ctx, content, also_sign, key, flags, rcpts, error);
        return mpe ? GMIME_OBJECT(mpe) : NULL;
    }
    /* S/MIME: sign, then envelope the signed entity (RFC 8551 3.7). */
    GMimeObject *inner = also_sign ? sign(ctx, content, key, error) : g_object_ref(content);
    if (!inner)
        return NULL;
    GMimeApplicationPkcs7Mime *p7 = g_mime_application_pkcs7_mime_encrypt(inner, flags, rcpts, error);
    g_object_unref(inner);
    return p7 ? GMIME_OBJECT(p7) : NULL;
}

GBytes *
mime_crypto_protect(GBytes *raw, const MimeProtect *p, GError **error)
{
    if (!p || p->flags == 0)
        return g_bytes_ref(raw);
    GMimeMessage *msg = mime_parse(raw, error);
    if (!msg)
        return NULL;
    g_autofree char *sender = sender_address(msg);
    const char *key = p->sign_key && *p->sign_key ? p->sign_key : sender;
    GMimeObject *content = g_mime_message_get_mime_part(msg);
    if (!content || !key) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("cannot sign or encrypt: the message has no body or no sender"));
        g_object_unref(msg);
        return NULL;
    }
    g_object_ref(content);
    g_mime_object_encode(content, GMIME_ENCODING_CONSTRAINT_7BIT);
    GMimeCryptoContext *ctx = context_for(p);
    GMimeObject *result = NULL;
    g_autoptr(GError) err = NULL;
    if (p->flags & MIME_PROTECT_ENCRYPT) {
        GPtrArray *rcpts = p->self_only ? g_ptr_array_new_with_free_func(g_free) : recipients_of(msg);
        /* The sender too, so the Sent and Drafts copies can be read. */
        g_ptr_array_add(rcpts, g_strdup(key));
        InternetAddressList *bcc = g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_BCC);
        gboolean hide = !p->self_only && bcc && internet_address_list_length(bcc) > 0;
        protect_headers(msg, content);
        result = encrypt(ctx, p, content, key, rcpts, hide, &err);
        g_ptr_array_unref(rcpts);
    } else {
        result = sign(ctx, content, key, &err);
    }
    g_object_unref(content);
    g_object_unref(ctx);
    GBytes *out = NULL;
    if (!result) {
        g_autofree char *why = mime_crypto_clean(err ? err->message : _("unknown error"));
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    (p->flags & MIME_PROTECT_ENCRYPT) ? _("cannot encrypt the message (%s): %s")
                                                      : _("cannot sign the message (%s): %s"),
                    p->smime ? "S/MIME" : "OpenPGP", why);
    } else {
        g_mime_message_set_mime_part(msg, result);
        g_object_unref(result);
        GMimeFormatOptions *fo = g_mime_format_options_new();
        g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
        char *text = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
        g_mime_format_options_free(fo);
        out = g_bytes_new_take(text, strlen(text));
    }
    g_object_unref(msg);
    return out;
}

gboolean
mime_crypto_import_key(GBytes *key, gboolean smime, GError **error)
{
    MimeProtect p = { 0, smime, NULL, FALSE };
    GMimeCryptoContext *ctx = context_for(&p);
    gsize n = 0;
    const char *data = g_bytes_get_data(key, &n);
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(data ? data : "", n);
    GError *err = NULL;
    int rc = g_mime_crypto_context_import_keys(ctx, in, &err);
    g_object_unref(in);
    g_object_unref(ctx);
    if (rc < 0 || err) {
        g_autofree char *why = mime_crypto_clean(err ? err->message : _("unknown error"));
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED, _("cannot import the key: %s"), why);
        g_clear_error(&err);
        return FALSE;
    }
    return TRUE;
}
