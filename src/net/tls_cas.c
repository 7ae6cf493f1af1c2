/* The system CA store, read lazily.
 *
 * SSL_CTX_set_default_verify_paths() parses the whole CA bundle file
 * (/etc/ssl/certs/ca-certificates.crt, about 150 certificates) into every
 * context: 20 ms of CPU per connection with OpenSSL 3.0 on Debian 12,
 * more than all the rest of a `postie send`.  The hashed directory of the
 * same certificates (the links update-ca-certificates or `openssl
 * rehash` make) is read on demand, one file per issuer looked up.
 *
 * So a context for the system CAs gets only the directory, and a chain
 * that does not verify with it is verified once more against the full
 * default paths (bundle and directory, $SSL_CERT_FILE and $SSL_CERT_DIR
 * honoured), which is exactly the store the context had before: the
 * verdict is the same, only a refusal (or a system without hash links)
 * pays for the bundle. */
#include <config.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "net/private.h"

/* The ex_data slot that marks a context made by net_tls_use_system_cas(). */
static int
lazy_index(void)
{
    static gsize once = 0;
    static int index = -1;
    if (g_once_init_enter(&once)) {
        index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
        g_once_init_leave(&once, 1);
    }
    return index;
}

gboolean
net_tls_use_system_cas(SSL_CTX *ctx)
{
    int index = lazy_index();
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    X509_LOOKUP *dir = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
    if (index < 0 || !dir)
        return FALSE;
    /* $SSL_CERT_DIR or OpenSSL's default directory; a missing directory
     * only means every issuer is looked up in the bundle afterwards. */
    X509_LOOKUP_add_dir(dir, NULL, X509_FILETYPE_DEFAULT);
    ERR_clear_error();
    return SSL_CTX_set_ex_data(ctx, index, (void *)1) == 1;
}

/* Verify SSL's peer chain again as libssl does (ssl_verify_cert_chain):
 * the peer's chain as untrusted certificates, the server purpose, the
 * connection's parameters and security level; but with the full default
 * store. */
static long
verify_with_default_paths(SSL *ssl)
{
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *v = X509_STORE_CTX_new();
    long result = X509_V_ERR_UNSPECIFIED;
    if (leaf && store && v && X509_STORE_set_default_paths(store) &&
        X509_STORE_CTX_init(v, store, leaf, chain)) {
        X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(v);
        X509_STORE_CTX_set_default(v, "ssl_server");
        X509_VERIFY_PARAM_set1(param, SSL_get0_param(ssl));
        X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(ssl));
        if (X509_verify_cert(v) == 1)
            result = X509_V_OK;
        else if (X509_STORE_CTX_get_error(v) != X509_V_OK)
            result = X509_STORE_CTX_get_error(v);
    }
    X509_STORE_CTX_free(v);
    X509_STORE_free(store);
    ERR_clear_error();
    return result;
}

long
net_tls_verify_result(SSL *ssl)
{
    long v = SSL_get_verify_result(ssl);
    if (v == X509_V_OK)
        return v;
    int index = lazy_index();
    if (index < 0 || !SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), index))
        return v;
    return verify_with_default_paths(ssl);
}
