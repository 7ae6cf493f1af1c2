/* The relay's connection to the SMTP server, up to where libesmtp may
 * take over: TCP (net/, with the account's timeout), implicit TLS or the
 * server's greeting, postie's own EHLO, for STARTTLS the STARTTLS,
 * handshake and EHLO again, and then the login (auth.c).  libesmtp gets
 * a session that is already logged in; the setup's check (probe.c) ends
 * it with QUIT instead.
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

static gboolean
ehlo(NetConn *conn, const char *ehlo_name, SmtpReply *r, GError **error)
{
    g_autofree char *cmd = g_strdup_printf("EHLO %s", ehlo_name);
    if (!smtp_command(conn, cmd, r, error))
        return FALSE;
    if (r->code != 250) {
        g_autofree char *said = smtp_reply_text(r);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s refused EHLO (server said: %s)"), net_conn_host(conn), said);
        return FALSE;
    }
    return TRUE;
}

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

/* STARTTLS and TLS: the part of the dialogue libesmtp is not trusted
 * with.  R holds the EHLO reply before it. */
static gboolean
start_tls_upgrade(NetConn *conn, const ServerConf *srv, SSL_CTX *ctx,
                  SmtpReply *r, char **refused_fp, GError **error)
{
    if (!smtp_ehlo_has(r, "STARTTLS")) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("%s does not offer STARTTLS, so postie did not log in or "
                      "send anything (smtp_security = starttls requires it)"),
                    srv->host);
        return FALSE;
    }
    if (!smtp_command(conn, "STARTTLS", r, error))
        return FALSE;
    if (r->code != 220) {
        g_autofree char *said = smtp_reply_text(r);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("TLS could not be started with %s (server said: %s); "
                      "nothing was sent"), srv->host, said);
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

/* After a failure of this kind the server still expects a command. */
static gboolean
dialogue_intact(int code)
{
    return code == POSTIE_ERROR_AUTH || code == POSTIE_ERROR_UNSUPPORTED ||
           code == POSTIE_ERROR_INSECURE || code == POSTIE_ERROR_CONFIG;
}

gboolean
relay_quit(NetConn *conn, GError **error)
{
    SmtpReply r = { 0 };
    gboolean ok = smtp_command(conn, "QUIT", &r, error);
    if (ok && r.code != 221) {
        g_autofree char *said = smtp_reply_text(&r);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s did not end the session (server said: %s)"),
                    net_conn_host(conn), said);
        ok = FALSE;
    }
    smtp_reply_clear(&r);
    return ok;
}

NetConn *
relay_connect(const Account *account, const char *ehlo_name, SmtpLogin *login,
              SmtpReply *ehlo_out, GCancellable *cancellable, char **refused_fp,
              GError **error)
{
    const ServerConf *srv = &account->smtp;
    SSL_CTX *ctx = NULL;
    SmtpReply r = { 0 };
    if (srv->security != SECURITY_NONE) {
        ctx = net_tls_client_ctx_new(srv->ca_file, error);
        if (!ctx)
            return NULL;
    }
    NetConn *conn = net_conn_connect(srv->host, srv->port, account->timeout, cancellable,
                                     error);
    gboolean ok = conn != NULL;
    if (ok)
        net_conn_set_quick_ack(conn, TRUE);   /* multi-line replies, see net.h */
    if (!ok && error && *error && !host_resolves(srv->host))
        (*error)->code = POSTIE_ERROR_NOT_FOUND;   /* EX_NOHOST for send */
    if (ok && srv->security == SECURITY_TLS)
        ok = start_tls(conn, ctx, srv, refused_fp, error);
    if (ok) {
        ok = smtp_reply_read(conn, &r, error);
        if (ok && r.code != 220) {
            g_autofree char *said = smtp_reply_text(&r);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("%s does not accept mail now (server said: %s)"),
                        srv->host, said);
            ok = FALSE;
        }
    }
    if (ok)
        ok = ehlo(conn, ehlo_name, &r, error);
    if (ok && srv->security == SECURITY_STARTTLS)
        ok = start_tls_upgrade(conn, srv, ctx, &r, refused_fp, error) &&
             ehlo(conn, ehlo_name, &r, error);
    if (ctx)
        SSL_CTX_free(ctx);
    if (ok && login)
        ok = smtp_login_run(login, conn, &r, error);
    if (!ok && conn && error && *error && dialogue_intact((*error)->code))
        relay_quit(conn, NULL);   /* end it politely, a broken one is just closed */
    if (!ok) {
        smtp_reply_clear(&r);
        net_conn_free(conn);
        return NULL;
    }
    if (ehlo_out)
        *ehlo_out = r;
    else
        smtp_reply_clear(&r);
    return conn;
}
