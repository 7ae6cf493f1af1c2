/* The SMTP check of the first-run setup: connect, EHLO, log in, QUIT.
 *
 * The connection, TLS, STARTTLS and the login are a send's own
 * (relay_connect() with auth.c's login: the same policy, the same
 * mechanism choice, the same SASL exchange); instead of handing the
 * session to libesmtp the check ends it with QUIT and wants its 221.
 */
#include <config.h>

#include <string.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

gboolean
send_test_account(PostieConfig *cfg, const Account *account, char **refused_fp,
                  GError **error)
{
    (void)cfg;   /* delivery needs it for folders; a test needs none */
    const ServerConf *srv = &account->smtp;
    if (!srv->host || strchr(srv->host, ':')) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: smtp_host must be a host name or IPv4 address"),
                    account->id);
        return FALSE;
    }
    SmtpLogin *login = NULL;
    if (!smtp_login_new(account, &login, error))
        return FALSE;
    NetConn *conn = relay_connect(account, g_get_host_name(), login, NULL, NULL,
                                  refused_fp, error);
    smtp_login_free(login);
    if (!conn)
        return FALSE;
    /* After a success the 221 to QUIT is part of the check. */
    gboolean ok = relay_quit(conn, error);
    net_conn_free(conn);
    return ok;
}
