/* SASL client messages, shared by POP3 (pop3/auth.c) and SMTP
 * (send/sasl.c): PLAIN (RFC 4616), CRAM-MD5 (RFC 2195), XOAUTH2
 * (Google's format) and OAUTHBEARER (RFC 7628).  Each buffer that held a
 * secret is wiped before it is freed; the results are secrets too
 * (secret_free() them). */
#include <config.h>

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/util.h"

/* Sized once, so that no realloc leaves a copy of the secret behind. */
static GString *
sized(gsize n)
{
    return g_string_sized_new(n + 128);
}

/* Base64 of S, then S wiped. */
static char *
encode_wipe(GString *s)
{
    char *r = g_base64_encode((const guchar *)s->str, s->len);
    secret_string_free(s);
    return r;
}

char *
sasl_plain(const char *user, const char *secret)
{
    /* authzid (empty) NUL authcid NUL password */
    GString *s = sized(strlen(user) + strlen(secret));
    g_string_append_c(s, '\0');
    g_string_append(s, user);
    g_string_append_c(s, '\0');
    g_string_append(s, secret);
    return encode_wipe(s);
}

char *
sasl_xoauth2(const char *user, const char *token)
{
    GString *s = sized(strlen(user) + strlen(token));
    g_string_append_printf(s, "user=%s\001auth=Bearer %s\001\001", user, token);
    return encode_wipe(s);
}

char *
sasl_oauthbearer(const char *user, const char *host, guint port, const char *token)
{
    /* gs2 header "n,a=USER," with ',' and '=' escaped (RFC 5801). */
    GString *s = sized(3 * strlen(user) + strlen(host) + strlen(token));
    g_string_append(s, "n,a=");
    for (const char *p = user; *p; p++) {
        if (*p == ',')
            g_string_append(s, "=2C");
        else if (*p == '=')
            g_string_append(s, "=3D");
        else
            g_string_append_c(s, *p);
    }
    g_string_append_printf(s, ",\001host=%s\001port=%u\001auth=Bearer %s\001\001",
                           host, port, token);
    return encode_wipe(s);
}

char *
sasl_cram_md5(const char *user, const char *secret, const guchar *challenge,
              gsize challenge_len)
{
    guchar md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_md5(), secret, (int)strlen(secret), challenge, challenge_len, md, &n))
        return NULL;
    GString *s = sized(strlen(user) + 2 * n);
    g_string_append(s, user);
    g_string_append_c(s, ' ');
    for (unsigned int i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", md[i]);
    OPENSSL_cleanse(md, sizeof md);
    return encode_wipe(s);
}
