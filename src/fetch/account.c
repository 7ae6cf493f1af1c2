/* The POP3 side of an account: a logged-in session from the account's
 * settings, with the secret (password, password_command, OAuth token)
 * fetched here from config/ only once the connection is secure and the
 * login method is chosen; pop3/ itself knows only the protocol. */
#include <config.h>

#include <string.h>

#include "fetch/fetch.h"
#include "pop3/pop3.h"
#include "util/util.h"

static Pop3Session *
fail(const Account *a, GError *e, GError **error)
{
    g_propagate_prefixed_error(error, e, _("account %s: "), a->id);
    return NULL;
}

/* fetch_pop3_open(); REFUSED_FP (may be NULL) as in Pop3Options. */
static Pop3Session *
open_session(const Account *a, GCancellable *cancellable, char **refused_fp,
             GError **error)
{
    const ServerConf *sc = &a->pop3;
    GError *e = NULL;
    if (!sc->host || !*sc->host) {
        g_set_error(&e, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("no POP3 server (pop3_host) is configured"));
        return fail(a, e, error);
    }
    Pop3AuthMech requested;
    if (!pop3_auth_mech_from_string(sc->auth, &requested)) {
        g_autofree char *safe = term_safe(sc->auth, -1, 0);
        g_set_error(&e, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("unknown POP3 login method \"%s\""), safe);
        return fail(a, e, error);
    }
    Pop3Options o = {
        .host = sc->host,
        .port = sc->port,
        .security = sc->security,
        .ca_file = sc->ca_file,
        .tls_fingerprint = sc->tls_fingerprint,
        .timeout = a->timeout,
        .cancellable = cancellable,
        .refused_fingerprint = refused_fp,
    };
    g_autoptr(Pop3Session) s = pop3_open(&o, &e);
    if (!s)
        return fail(a, e, error);

    /* Refuse before running password_command when nothing may be sent. */
    if (!pop3_may_send_secret(s, a->allow_plaintext_password, &e))
        return fail(a, e, error);
    Pop3AuthMech mech;
    if (requested == POP3_AUTH_AUTO && a->oauth_token_command) {
        /* An account with a token logs in with it, never a password. */
        if (!pop3_auth_choose(s, POP3_AUTH_XOAUTH2, &mech, NULL) &&
            !pop3_auth_choose(s, POP3_AUTH_OAUTHBEARER, &mech, &e))
            return fail(a, e, error);
    } else if (!pop3_auth_choose(s, requested, &mech, &e)) {
        return fail(a, e, error);
    }
    secret_auto char *secret = pop3_auth_mech_is_oauth(mech)
                              ? conf_oauth_token(a, &e)
                              : conf_server_secret(a, sc, &e);
    if (!secret) {
        /* config/ already names the account in these messages */
        g_propagate_error(error, e);
        return NULL;
    }
    const char *user = sc->user && *sc->user ? sc->user : a->address;
    gboolean ok = pop3_auth(s, mech, user ? user : "", secret,
                            a->allow_plaintext_password, &e);
    if (!ok && pop3_auth_mech_is_oauth(mech) && e->code == POSTIE_ERROR_AUTH) {
        /* An expired or revoked token: say what gets a new one. */
        g_autofree char *hint = conf_oauth_relogin_hint(a);
        g_prefix_error(&e, _("the OAuth token was refused (%s): "), hint);
    }
    if (!ok)
        return fail(a, e, error);
    return g_steal_pointer(&s);
}

Pop3Session *
fetch_pop3_open(const Account *a, GCancellable *cancellable, GError **error)
{
    return open_session(a, cancellable, NULL, error);
}

gboolean
fetch_check_account(const Account *a, guint *n_messages, char **refused_fp,
                    GError **error)
{
    g_autoptr(Pop3Session) s = open_session(a, NULL, refused_fp, error);
    if (!s)
        return FALSE;
    guint count = 0;
    guint64 octets = 0;
    GError *e = NULL;
    if (!pop3_stat(s, &count, &octets, &e)) {
        fail(a, e, error);
        return FALSE;
    }
    pop3_quit(s, NULL);   /* nothing was marked: its outcome does not matter */
    if (n_messages)
        *n_messages = count;
    return TRUE;
}
