/* pop3_account_open(): a logged-in session for an Account. */
#include <config.h>

#include <string.h>

#include "pop3/private.h"
#include "util/util.h"

static Pop3Session *
fail(const Account *a, GError *e, GError **error)
{
    g_propagate_prefixed_error(error, e, _("account %s: "), a->id);
    return NULL;
}

Pop3Session *
pop3_account_open(const Account *a, GCancellable *cancellable, GError **error)
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
    };
    g_autoptr(Pop3Session) s = pop3_open(&o, &e);
    if (!s)
        return fail(a, e, error);

    /* Refuse before running password_command when nothing may be sent. */
    if (!pop3_may_send_secret(s, a->allow_plaintext_password, &e))
        return fail(a, e, error);
    Pop3AuthMech mech;
    if (!pop3_auth_choose(s, requested, &mech, &e))
        return fail(a, e, error);
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
    if (!ok)
        return fail(a, e, error);
    return g_steal_pointer(&s);
}
