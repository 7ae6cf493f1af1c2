/* SMTP login with an OAuth 2 access token: XOAUTH2 and OAUTHBEARER.
 *
 * libesmtp 1.1 has no such mechanisms and takes SASL mechanisms only as
 * plugins from its own directory, so postie ships them
 * (src/esmtp-plugins).  This file decides when they are used, checks that
 * libesmtp can load them (else says how to install them), and answers
 * their questions through libesmtp's interaction callback: the token goes
 * from oauth_token_command to the plugin only that way, never through a
 * file or the environment.
 */
#include <config.h>

#include <stddef.h>
#include <string.h>

#include <openssl/ssl.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "esmtp-plugins/oauth-sasl.h"
#include "send/private.h"
#include "util/util.h"

struct SendOAuth {
    SendOAuthMode mode;
    char *user;
    char *token;
    char *host;
    char port[8];
};

SendOAuthMode
send_oauth_mode(const Account *account)
{
    const char *auth = account->smtp.auth;
    if (!g_strcmp0(auth, "xoauth2"))
        return SEND_OAUTH_XOAUTH2;
    if (!g_strcmp0(auth, "oauthbearer"))
        return SEND_OAUTH_OAUTHBEARER;
    if ((!auth || !g_strcmp0(auth, "auto")) && account->oauth_token_command)
        return SEND_OAUTH_ANY;
    return SEND_OAUTH_NONE;
}

static const char *
mech_name(SendOAuthMode mode)
{
    return mode == SEND_OAUTH_OAUTHBEARER ? "OAUTHBEARER" : "XOAUTH2";
}

/* Can libesmtp load the plugin for NAME?  (It dlopen()s it now.) */
static gboolean
plugin_loads(const char *name)
{
    auth_context_t a = auth_create_context();
    auth_set_mechanism_flags(a, AUTH_PLUGIN_PLAIN, 0);
    int ok = auth_set_mechanism(a, name);
    auth_destroy_context(a);
    return ok != 0;
}

gboolean
send_oauth_plugins_check(const Account *account, SendOAuthMode mode,
                         GError **error)
{
    const char *missing = NULL;
    if (mode == SEND_OAUTH_ANY) {
        if (!plugin_loads("XOAUTH2") && !plugin_loads("OAUTHBEARER"))
            missing = "sasl-xoauth2.so";
    } else if (!plugin_loads(mech_name(mode))) {
        missing = mode == SEND_OAUTH_XOAUTH2 ? "sasl-xoauth2.so"
                                             : "sasl-oauthbearer.so";
    }
    if (!missing)
        return TRUE;
    const char *dir = *ESMTP_BUILTIN_PLUGINDIR ? ESMTP_BUILTIN_PLUGINDIR
                                               : _("libesmtp's plugin directory");
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                _("account %s: sending with an OAuth token needs postie's "
                  "libesmtp plugin %s in %s, and libesmtp cannot load it "
                  "there; install it with 'make install' (as root) in "
                  "postie's build directory, or copy src/esmtp-plugins/%s "
                  "from it into %s; nothing was sent"),
                account->id, missing, dir, missing, dir);
    return FALSE;
}

SendOAuth *
send_oauth_new(const Account *account, SendOAuthMode mode, GError **error)
{
    char *token = conf_oauth_token(account, error);
    if (!token)
        return NULL;
    SendOAuth *o = g_new0(SendOAuth, 1);
    o->mode = mode;
    o->token = token;
    const ServerConf *srv = &account->smtp;
    o->user = g_strdup(srv->user && *srv->user ? srv->user
                       : account->address ? account->address : "");
    o->host = g_strdup(srv->host ? srv->host : "");
    g_snprintf(o->port, sizeof o->port, "%u", srv->port);
    return o;
}

void
send_oauth_free(SendOAuth *o)
{
    if (!o)
        return;
    secret_free(o->token);   /* from conf_oauth_token() */
    g_free(o->user);
    g_free(o->host);
    g_free(o);
}

gboolean
send_oauth_offered(const SendOAuth *o, const char *ehlo_auth)
{
    g_auto(GStrv) mechs = g_strsplit_set(ehlo_auth ? ehlo_auth : "", " =", -1);
    for (int i = 0; mechs[i]; i++) {
        if ((o->mode != SEND_OAUTH_OAUTHBEARER &&
             !g_ascii_strcasecmp(mechs[i], "XOAUTH2")) ||
            (o->mode != SEND_OAUTH_XOAUTH2 &&
             !g_ascii_strcasecmp(mechs[i], "OAUTHBEARER")))
            return TRUE;
    }
    return FALSE;
}

const char *
send_oauth_wanted_name(const SendOAuth *o)
{
    return o->mode == SEND_OAUTH_ANY ? "XOAUTH2 / OAUTHBEARER" : mech_name(o->mode);
}

int
send_oauth_interact(SendOAuth *o, const struct auth_client_request *request,
                    char **result, int fields, GError **error)
{
    guint token_flag = 0;
    for (int i = 0; i < fields; i++)
        token_flag |= request[i].flags & (POSTIE_AUTH_XOAUTH2_TOKEN |
                                          POSTIE_AUTH_OAUTHBEARER_TOKEN);
    /* Another mechanism asks (PLAIN, NTLM, or the OAuth one not chosen):
     * refuse, libesmtp then cancels it and tries the next one offered. */
    if (token_flag == 0 ||
        (o->mode == SEND_OAUTH_XOAUTH2 && token_flag != POSTIE_AUTH_XOAUTH2_TOKEN) ||
        (o->mode == SEND_OAUTH_OAUTHBEARER &&
         token_flag != POSTIE_AUTH_OAUTHBEARER_TOKEN))
        return 0;

    /* libesmtp 1.1 drops a response longer than its buffer without a
     * word (see oauth-sasl.h): say so instead of a puzzling failure. */
    char buf[POSTIE_SASL_MAX_RESPONSE + 1];
    int n = token_flag == POSTIE_AUTH_XOAUTH2_TOKEN
                ? oauth_sasl_xoauth2(buf, sizeof buf, o->user, o->token)
                : oauth_sasl_oauthbearer(buf, sizeof buf, o->user, o->host,
                                         o->port, o->token);
    explicit_bzero(buf, sizeof buf);
    if (n < 0) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("the OAuth access token (%zu bytes) is too long for "
                      "libesmtp 1.1, which sends at most %d bytes in a login "
                      "response, or the token or user name holds a control "
                      "character; nothing was sent"),
                    strlen(o->token), POSTIE_SASL_MAX_RESPONSE);
        return -1;
    }
    for (int i = 0; i < fields; i++) {
        guint f = request[i].flags;
        if (f & (POSTIE_AUTH_XOAUTH2_TOKEN | POSTIE_AUTH_OAUTHBEARER_TOKEN))
            result[i] = o->token;
        else if (f & AUTH_USER)
            result[i] = o->user;
        else if (f & POSTIE_AUTH_HOST)
            result[i] = o->host;
        else if (f & POSTIE_AUTH_PORT)
            result[i] = o->port;
        else
            result[i] = NULL;
    }
    return 1;
}
