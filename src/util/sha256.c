/* SHA-256 through OpenSSL: GLib's GChecksum is a portable C version that
 * runs at a seventh of the speed of OpenSSL's (which uses the CPU's SHA
 * instructions), and a fetch hashes every byte it stores. */
#include <config.h>

#include <openssl/evp.h>

#include "util/util.h"

struct Sha256 {
    EVP_MD_CTX *ctx;
};

/* Fetched once: an implicit fetch on every init costs as much as
 * hashing a small message. */
static const EVP_MD *
sha256_md(void)
{
    static gsize done = 0;
    static EVP_MD *md = NULL;
    if (g_once_init_enter(&done)) {
        md = EVP_MD_fetch(NULL, "SHA256", NULL);
        if (!md)
            g_error("OpenSSL: no SHA-256");
        g_once_init_leave(&done, 1);
    }
    return md;
}

Sha256 *
sha256_new(void)
{
    Sha256 *s = g_new(Sha256, 1);
    s->ctx = EVP_MD_CTX_new();
    if (!s->ctx || EVP_DigestInit_ex(s->ctx, sha256_md(), NULL) != 1)
        g_error("OpenSSL: cannot start a SHA-256 digest");
    return s;
}

void
sha256_update(Sha256 *s, const void *data, gsize len)
{
    if (len > 0 && EVP_DigestUpdate(s->ctx, data, len) != 1)
        g_error("OpenSSL: SHA-256 update failed");
}

char *
sha256_finish(Sha256 *s)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(s->ctx, md, &n) != 1 || n != 32)
        g_error("OpenSSL: SHA-256 final failed");
    sha256_free(s);
    static const char hexd[] = "0123456789abcdef";
    char *hex = g_malloc(2 * 32 + 1);
    for (unsigned int i = 0; i < 32; i++) {
        hex[2 * i] = hexd[md[i] >> 4];
        hex[2 * i + 1] = hexd[md[i] & 15];
    }
    hex[64] = '\0';
    return hex;
}

void
sha256_free(Sha256 *s)
{
    if (!s)
        return;
    EVP_MD_CTX_free(s->ctx);
    g_free(s);
}

char *
sha256_hex(const void *data, gsize len)
{
    Sha256 *s = sha256_new();
    sha256_update(s, data, len);
    return sha256_finish(s);
}
