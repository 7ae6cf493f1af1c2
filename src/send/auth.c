/* The SMTP login, done by postie for every connection (a send's relay and
 * the setup's check): which mechanism smtp_auth and the server's EHLO
 * allow, the secret, and the SASL exchange (messages in sasl.c).
 *
 * Why postie and not libesmtp: libesmtp 1.1 base64-encodes a response
 * into a 2048-byte buffer and silently drops a longer one, so an OAuth
 * token over about 1500 bytes (Microsoft 365's often are) could not be
 * sent; it also takes mechanisms only as plugins from its own directory,
 * picks the first in the server's order, and after a refused login goes
 * on without one.  Here a response may be as long as the token is.
 *
 * The rules: smtp_auth = none never logs in; auto logs in with the OAuth
 * token when oauth_token_command is set (XOAUTH2 or OAUTHBEARER, whichever
 * the server lists first), else with the password (PLAIN or LOGIN,
 * whichever the server lists first), and not at all when there is neither;
 * a named mechanism is the only one tried.  A secret goes only over
 * verified TLS, or with allow_plaintext_password over a plain connection.
 * One mechanism, one attempt: a refusal ends the login.
 */
#include <config.h>

#include <string.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

struct SmtpLogin {
    const Account *account;
    guint wanted;          /* SMTP_MECH_BIT()s smtp_auth allows */
    gboolean oauth;        /* SECRET is an access token */
    char *user;
    char *secret;          /* password or token (secret_free()) */
};

/* "XOAUTH2 / OAUTHBEARER": the mechanisms WANTED names, for messages. */
static char *
wanted_names(guint wanted)
{
    GString *s = g_string_new(NULL);
    for (SmtpMech m = SMTP_MECH_PLAIN; m <= SMTP_MECH_OAUTHBEARER; m++)
        if (wanted & SMTP_MECH_BIT(m))
            g_string_append_printf(s, "%s%s", s->len ? " / " : "", smtp_mech_name(m));
    return g_string_free(s, FALSE);
}

guint
smtp_login_wanted(const Account *account, gboolean *oauth)
{
    const ServerConf *srv = &account->smtp;
    const char *auth = srv->auth;
    gboolean is_auto = !auth || !*auth || !g_strcmp0(auth, "auto");
    *oauth = FALSE;
    if (!g_strcmp0(auth, "none"))
        return 0;
    if (!g_strcmp0(auth, "xoauth2") || !g_strcmp0(auth, "oauthbearer") ||
        (is_auto && account->oauth_token_command)) {
        *oauth = TRUE;
        if (!g_strcmp0(auth, "xoauth2"))
            return SMTP_MECH_BIT(SMTP_MECH_XOAUTH2);
        if (!g_strcmp0(auth, "oauthbearer"))
            return SMTP_MECH_BIT(SMTP_MECH_OAUTHBEARER);
        return SMTP_MECH_BIT(SMTP_MECH_XOAUTH2) | SMTP_MECH_BIT(SMTP_MECH_OAUTHBEARER);
    }
    if (!g_strcmp0(auth, "plain"))
        return SMTP_MECH_BIT(SMTP_MECH_PLAIN);
    if (!g_strcmp0(auth, "login"))
        return SMTP_MECH_BIT(SMTP_MECH_LOGIN);
    if (!g_strcmp0(auth, "cram-md5"))
        return SMTP_MECH_BIT(SMTP_MECH_CRAM_MD5);
    if (!srv->password && !srv->password_command)
        return 0;   /* auto with nothing to log in with: no AUTH */
    return SMTP_MECH_BIT(SMTP_MECH_PLAIN) | SMTP_MECH_BIT(SMTP_MECH_LOGIN);
}

gboolean
smtp_login_new(const Account *account, SmtpLogin **out, GError **error)
{
    const ServerConf *srv = &account->smtp;
    *out = NULL;
    gboolean oauth = FALSE;
    guint wanted = smtp_login_wanted(account, &oauth);
    if (!wanted)
        return TRUE;
    if (srv->security == SECURITY_NONE && !account->allow_plaintext_password) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_INSECURE,
                    _("account %s: smtp_security is none, so the password would "
                      "go unencrypted to %s; use starttls or tls, or set "
                      "allow_plaintext_password = true"), account->id, srv->host);
        return FALSE;
    }
    /* The secret now, before connecting: a slow password or token
     * command must not hold a connection open. */
    char *secret = oauth ? conf_oauth_token(account, error)
                         : conf_server_secret(account, srv, error);
    if (!secret)
        return FALSE;
    SmtpLogin *l = g_new0(SmtpLogin, 1);
    l->account = account;
    l->wanted = wanted;
    l->oauth = oauth;
    l->secret = secret;
    l->user = g_strdup(srv->user && *srv->user ? srv->user
                       : account->address ? account->address : "");
    *out = l;
    return TRUE;
}

void
smtp_login_free(SmtpLogin *l)
{
    if (!l)
        return;
    secret_free(l->secret);
    g_free(l->user);
    g_free(l);
}

/* The final reply refused the login: the server's words, where, and for a
 * token how to get a new one (and the status of its error challenge). */
static void
refused(SmtpLogin *l, const char *host, const SmtpReply *reply,
        const char *oauth_status, GError **error)
{
    g_autofree char *said = smtp_reply_text(reply);
    if (!l->oauth) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("%s: login failed — the server said: %s"), host, said);
        return;
    }
    g_autofree char *hint = conf_oauth_relogin_hint(l->account);
    if (oauth_status)
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("%s: login with the OAuth token failed (%s) — the server "
                      "said: %s (OAuth status: %s)"), host, hint, said, oauth_status);
    else
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("%s: login with the OAuth token failed (%s) — the server "
                      "said: %s"), host, hint, said);
}

gboolean
smtp_login_run(SmtpLogin *l, NetConn *conn, const SmtpReply *ehlo, GError **error)
{
    const char *host = net_conn_host(conn);
    g_autofree char *offered = smtp_ehlo_auth(ehlo);
    SmtpMech m = smtp_mech_pick(l->wanted, offered);
    if (m == SMTP_MECH_NONE) {
        g_autofree char *want = wanted_names(l->wanted);
        if (!offered) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                        _("%s does not offer AUTH, so postie cannot log in as "
                          "account %s asks (%s)"), host, l->account->id, want);
        } else {
            g_autofree char *offers = term_safe(offered, MIN((gssize)strlen(offered), 400),
                                                TERM_SAFE_DEFAULT);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                        _("%s does not offer the login method %s that account %s "
                          "asks for (it offers: %s)"), host, want, l->account->id,
                        offers);
        }
        return FALSE;
    }
    /* The connection is verified TLS (relay_connect() checked it), or the
     * account allows secrets in plain text. */
    if (!net_conn_is_tls(conn) && !l->account->allow_plaintext_password) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_INSECURE,
                    _("refusing to log in as account %s at %s without TLS "
                      "(set allow_plaintext_password = true to allow it)"),
                    l->account->id, host);
        return FALSE;
    }
    SaslCreds creds = { l->user, l->secret, host, net_conn_port(conn) };
    if (!sasl_creds_usable(m, &creds)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: the user name or secret for %s is empty or "
                      "holds a line break (or, for OAuth, a \\001 byte)"),
                    l->account->id, host);
        return FALSE;
    }

    secret_auto char *initial = sasl_initial(m, &creds);
    gboolean on_line = FALSE;
    secret_auto char *cmd = sasl_auth_command(m, initial, &on_line);
    SmtpReply r = { 0 };
    g_autofree char *oauth_status = NULL;
    gboolean ok = smtp_command(conn, cmd, &r, error);
    gboolean pending = initial && !on_line;   /* goes after the first 334 */
    guint step = 0;
    /* A mechanism needs at most two challenges; a server that keeps
     * asking is cancelled ("*", RFC 4954 4). */
    for (int round = 0; ok && r.code == 334; round++) {
        secret_auto char *answer = NULL;
        if (round >= 4) {
            answer = NULL;
        } else if (pending) {
            answer = g_strdup(initial);
            pending = FALSE;
        } else {
            if (smtp_mech_is_oauth(m) && !oauth_status)
                oauth_status = sasl_oauth_error(smtp_reply_last(&r));
            answer = sasl_answer(m, &creds, step++, smtp_reply_last(&r));
        }
        ok = smtp_command(conn, answer ? answer : "*", &r, error);
    }
    if (ok && r.code != 235) {
        refused(l, host, &r, oauth_status, error);
        ok = FALSE;
    }
    smtp_reply_clear(&r);
    return ok;
}
