/* The relay's connection to the SMTP server, up to where libesmtp may
 * take over: TCP (net/, with the account's timeout), implicit TLS or the
 * server's greeting, and for STARTTLS postie's own EHLO, STARTTLS and
 * handshake.
 *
 * libesmtp 1.1.0 keeps plaintext bytes that came with the 220 reply to
 * STARTTLS and later reads them as the server's replies inside TLS (a man
 * in the middle can fake a whole delivery that way).  Here any byte after
 * that 220, before the handshake, ends the session.
 */
#include <config.h>

#include <string.h>
#include <netdb.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

/* Read one (multi-line) reply; *TEXT gets its last line, terminal-safe. */
static int
read_reply(NetConn *conn, gboolean *starttls, char **text, GError **error)
{
    for (int lines = 0; lines < 1000; lines++) {
        gsize n = 0;
        const char *l = net_conn_read_line(conn, 4096, &n, error);
        if (!l)
            return 0;
        if (n < 3 || !g_ascii_isdigit(l[0]) || !g_ascii_isdigit(l[1]) ||
            !g_ascii_isdigit(l[2]) || (n > 3 && l[3] != ' ' && l[3] != '-')) {
            g_autofree char *safe = term_safe(l, (gssize)n, TERM_SAFE_DEFAULT);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                        _("%s sent a malformed SMTP reply: %s"),
                        net_conn_host(conn), safe);
            return 0;
        }
        if (starttls && n >= 12 && !g_ascii_strncasecmp(l + 4, "STARTTLS", 8) &&
            (n == 12 || l[12] == ' '))
            *starttls = TRUE;
        if (n == 3 || l[3] == ' ') {
            *text = term_safe(l, (gssize)n, TERM_SAFE_DEFAULT);
            return (int)g_ascii_strtoll(l, NULL, 10);
        }
    }
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                _("%s sent an endless SMTP reply"), net_conn_host(conn));
    return 0;
}

static gboolean
send_line(NetConn *conn, const char *line, GError **error)
{
    return net_conn_write(conn, line, strlen(line), error);
}

/* EHLO, STARTTLS, and TLS: the part of the dialogue libesmtp is not
 * trusted with. */
/* TLS with the net/ policy; a refused certificate's fingerprint to
 * *REFUSED_FP when asked for. */
static gboolean
start_tls(NetConn *conn, SSL_CTX *ctx, const ServerConf *srv, char **refused_fp,
          GError **error)
{
    GError *e = NULL;
    if (net_conn_start_tls(conn, ctx, srv->tls_fingerprint, &e))
        return TRUE;
    if (refused_fp && e->code == POSTIE_ERROR_TLS) {
        g_free(*refused_fp);
        *refused_fp = net_conn_peer_fingerprint(conn);
    }
    g_propagate_error(error, e);
    return FALSE;
}

static gboolean
start_tls_upgrade(NetConn *conn, const ServerConf *srv, SSL_CTX *ctx,
                  const char *ehlo_name, char **refused_fp, GError **error)
{
    g_autofree char *text = NULL;
    g_autofree char *ehlo = g_strdup_printf("EHLO %s\r\n", ehlo_name);
    gboolean offered = FALSE;
    if (!send_line(conn, ehlo, error))
        return FALSE;
    int code = read_reply(conn, &offered, &text, error);
    if (!code)
        return FALSE;
    if (code != 250 || !offered) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("%s does not offer STARTTLS, so postie did not log in or "
                      "send anything (smtp_security = starttls requires it)"),
                    srv->host);
        return FALSE;
    }
    g_clear_pointer(&text, g_free);
    if (!send_line(conn, "STARTTLS\r\n", error))
        return FALSE;
    code = read_reply(conn, NULL, &text, error);
    if (!code)
        return FALSE;
    if (code != 220) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("TLS could not be started with %s (server said: %s); "
                      "nothing was sent"), srv->host, text);
        return FALSE;
    }
    /* Bytes after the 220 came in plain text before TLS: a man in the
     * middle answering in the server's name (libesmtp 1.1.0 would read
     * them as replies inside TLS). */
    if (net_conn_buffered(conn) > 0) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("%s sent data after its reply to STARTTLS, before TLS "
                      "began (a sign of an attack on the connection); nothing "
                      "was sent"), srv->host);
        return FALSE;
    }
    return start_tls(conn, ctx, srv, refused_fp, error);
}

/* Only asked after a failed connect: was it the name? */
static gboolean
host_resolves(const char *host)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return FALSE;
    freeaddrinfo(res);
    return TRUE;
}

NetConn *
relay_connect(const Account *account, const char *ehlo_name,
              GCancellable *cancellable, char **refused_fp, GError **error)
{
    const ServerConf *srv = &account->smtp;
    SSL_CTX *ctx = NULL;
    if (srv->security != SECURITY_NONE) {
        ctx = net_tls_client_ctx_new(srv->ca_file, error);
        if (!ctx)
            return NULL;
    }
    NetConn *conn = net_conn_connect(srv->host, srv->port, account->timeout, cancellable,
                                     error);
    gboolean ok = conn != NULL;
    if (!ok && error && *error && !host_resolves(srv->host))
        (*error)->code = POSTIE_ERROR_NOT_FOUND;   /* EX_NOHOST for send */
    if (ok && srv->security == SECURITY_TLS)
        ok = start_tls(conn, ctx, srv, refused_fp, error);
    if (ok) {
        g_autofree char *text = NULL;
        int code = read_reply(conn, NULL, &text, error);
        if (code && code != 220) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("%s does not accept mail now (server said: %s)"),
                        srv->host, text);
        }
        ok = code == 220;
    }
    if (ok && srv->security == SECURITY_STARTTLS)
        ok = start_tls_upgrade(conn, srv, ctx, ehlo_name, refused_fp, error);
    if (ctx)
        SSL_CTX_free(ctx);
    if (!ok) {
        net_conn_free(conn);
        return NULL;
    }
    return conn;
}
