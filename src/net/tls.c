/* The one TLS policy of postie, and TLS on a NetConn (implicit or STLS). */
#include <config.h>

#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/private.h"
#include "util/util.h"

char *
net_tls_error_string(void)
{
    unsigned long e = ERR_get_error();
    if (e == 0)
        return NULL;
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    /* The library's "error:0A000086:SSL routines::" prefix helps nobody. */
    const char *reason = ERR_reason_error_string(e);
    return g_strdup(reason ? reason : buf);
}

SSL_CTX *
net_tls_client_ctx_new(const char *ca_file, GError **error)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        g_autofree char *why = net_tls_error_string();
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("cannot set up TLS: %s"), why ? why : _("unknown error"));
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    /* Checked after the handshake by net_tls_check_peer(), which can
     * accept a pinned certificate and say precisely what is wrong. */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    int ok;
    if (ca_file && *ca_file) {
        g_autofree char *path = paths_expand_home(ca_file);
        ok = SSL_CTX_load_verify_locations(ctx, path, NULL);
        if (!ok) {
            g_autofree char *why = net_tls_error_string();
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("cannot load the CA certificates from %s: %s"),
                        path, why ? why : _("unknown error"));
            SSL_CTX_free(ctx);
            return NULL;
        }
    } else {
        ok = net_tls_use_system_cas(ctx);
        if (!ok) {
            g_autofree char *why = net_tls_error_string();
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                        _("cannot load the system CA certificates: %s"),
                        why ? why : _("unknown error"));
            SSL_CTX_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

char *
net_tls_normalize_fingerprint(const char *fingerprint)
{
    if (!fingerprint)
        return NULL;
    GString *s = g_string_new(NULL);
    for (const char *p = fingerprint; *p; p++) {
        if (*p == ':' || g_ascii_isspace(*p))
            continue;
        if (!g_ascii_isxdigit(*p)) {
            g_string_free(s, TRUE);
            return NULL;
        }
        g_string_append_c(s, g_ascii_tolower(*p));
    }
    if (s->len != 64) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

/* Lower-case hex SHA-256 of CERT's DER, with SEP between bytes (or none). */
static char *
cert_sha256(X509 *cert, gboolean colons)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!X509_digest(cert, EVP_sha256(), md, &n))
        return NULL;
    GString *s = g_string_sized_new(n * 3);
    for (unsigned int i = 0; i < n; i++) {
        if (colons && i)
            g_string_append_c(s, ':');
        g_string_append_printf(s, "%02x", md[i]);
    }
    return g_string_free(s, FALSE);
}

char *
net_tls_peer_fingerprint(SSL *ssl)
{
    X509 *cert = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
    return cert ? cert_sha256(cert, TRUE) : NULL;
}

/* The DNS names (and IP addresses) a certificate is for, for errors. */
static char *
cert_names(X509 *cert)
{
    GString *s = g_string_new(NULL);
    GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    int n = sans ? sk_GENERAL_NAME_num(sans) : 0;
    for (int i = 0; i < n && i < 8; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
        if (g->type == GEN_DNS) {
            const unsigned char *d = ASN1_STRING_get0_data(g->d.dNSName);
            g_autofree char *safe = term_safe((const char *) d,
                                              ASN1_STRING_length(g->d.dNSName), 0);
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", safe);
        } else if (g->type == GEN_IPADD) {
            int l = ASN1_STRING_length(g->d.iPAddress);
            const unsigned char *d = ASN1_STRING_get0_data(g->d.iPAddress);
            char buf[INET6_ADDRSTRLEN] = "?";
            if (l == 4 || l == 16)
                inet_ntop(l == 4 ? AF_INET : AF_INET6, d, buf, sizeof buf);
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", buf);
        }
    }
    GENERAL_NAMES_free(sans);
    if (s->len == 0) {
        char cn[256];
        if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
                                      cn, sizeof cn) > 0) {
            g_autofree char *safe = term_safe(cn, -1, 0);
            g_string_append(s, safe);
        }
    }
    return g_string_free(s, FALSE);
}

static const char *
verify_reason(long v)
{
    switch (v) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return _("the certificate has expired");
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return _("the certificate is not yet valid");
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return _("the certificate is self-signed (unknown issuer)");
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return _("the certificate was issued by an unknown authority");
    case X509_V_ERR_CERT_REVOKED:
        return _("the certificate has been revoked");
    default:
        return NULL;
    }
}

gboolean
net_tls_check_peer(SSL *ssl, const char *host, const char *fingerprint,
                   GError **error)
{
    const char *h = host ? host : "?";
    X509 *cert = SSL_get0_peer_certificate(ssl);
    if (!cert) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("TLS certificate of %s refused: the server sent no certificate"),
                    h);
        return FALSE;
    }
    if (fingerprint && *fingerprint) {
        g_autofree char *want = net_tls_normalize_fingerprint(fingerprint);
        g_autofree char *seen = cert_sha256(cert, FALSE);
        g_autofree char *shown = cert_sha256(cert, TRUE);
        if (!want) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("TLS certificate of %s refused: tls_fingerprint is not "
                          "a SHA-256 fingerprint (64 hex digits); the server's is %s"),
                        h, shown ? shown : "?");
            return FALSE;
        }
        if (!seen || strcmp(want, seen) != 0) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                        _("TLS certificate of %s refused: it does not match the "
                          "pinned tls_fingerprint (the server's is %s)"),
                        h, shown ? shown : "?");
            return FALSE;
        }
        return TRUE;
    }
    long v = net_tls_verify_result(ssl);
    if (v != X509_V_OK) {
        const char *why = verify_reason(v);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("TLS certificate of %s refused: %s"), h,
                    why ? why : X509_verify_cert_error_string(v));
        return FALSE;
    }
    int match;
    if (g_hostname_is_ip_address(h))
        match = X509_check_ip_asc(cert, h, 0);
    else
        match = X509_check_host(cert, h, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                                NULL);
    if (match != 1) {
        g_autofree char *names = cert_names(cert);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("TLS certificate of %s refused: wrong host name "
                      "(the certificate is for %s)"), h,
                    *names ? names : _("no name"));
        return FALSE;
    }
    return TRUE;
}

char *
net_conn_peer_fingerprint(NetConn *c)
{
    return c && c->ssl ? net_tls_peer_fingerprint(c->ssl) : NULL;
}

gboolean
net_conn_start_tls(NetConn *c, SSL_CTX *ctx, const char *fingerprint,
                   GError **error)
{
    g_autofree char *desc = net_conn_describe(c);
    g_return_val_if_fail(c->ssl == NULL, FALSE);
    /* Whatever arrived before the handshake did not come through TLS:
     * an attacker may have injected it (RFC 2595 section 4). */
    c->start = c->end = 0;

    c->ssl = SSL_new(ctx);
    if (!c->ssl || !SSL_set_fd(c->ssl, c->fd)) {
        g_autofree char *why = net_tls_error_string();
        c->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("%s: cannot start TLS: %s"), desc,
                    why ? why : _("unknown error"));
        return FALSE;
    }
    if (!g_hostname_is_ip_address(c->host))
        SSL_set_tlsext_host_name(c->ssl, c->host);
    SSL_set_connect_state(c->ssl);
    for (;;) {
        ERR_clear_error();
        NetSigpipeGuard g;
        net_sigpipe_block(&g);
        int r = SSL_connect(c->ssl);
        net_sigpipe_restore(&g);
        if (r == 1)
            break;
        if (!net_tls_retry(c, r, NET_TLS_HANDSHAKE, error))
            return FALSE;
    }
    if (!net_tls_check_peer(c->ssl, c->host, fingerprint, error)) {
        c->broken = TRUE;
        return FALSE;
    }
    return TRUE;
}
