/* OAuth presets (the endpoints and scopes of authorization servers, by
 * name) and the settings of one account.  Which provider uses which
 * preset is in the built-in provider table (config/autoconfig_builtin.c).
 *
 * Endpoints and scopes as the providers document them (2026):
 *  - Microsoft identity platform v2.0: /consumers for Outlook.com,
 *    /organizations for Microsoft 365; POP and SMTP AUTH scopes on
 *    outlook.office.com, offline_access for a refresh token.
 *  - Google: the https://mail.google.com/ scope covers POP and SMTP;
 *    its device flow does not allow that scope, so the default is the
 *    browser flow, with access_type=offline and prompt=consent so that a
 *    refresh token comes back.
 * No client id is built in: the user registers an application or uses a
 * public client id they trust (see postie-oauth(1)).
 */
#include <config.h>

#include <string.h>

#include "config/autoconfig.h"
#include "oauth/oauth.h"
#include "util/util.h"

#define MS_SCOPE "offline_access https://outlook.office.com/POP.AccessAsUser.All " \
                 "https://outlook.office.com/SMTP.Send"
#define MS(t) "https://login.microsoftonline.com/" t "/oauth2/v2.0/"

static const OAuthPreset presets[] = {
    { "microsoft", N_("Outlook.com, Hotmail, Live (personal Microsoft accounts)"),
      "login.microsoftonline.com",
      MS("consumers") "devicecode", MS("consumers") "authorize",
      MS("consumers") "token", MS_SCOPE, NULL, FALSE },
    { "microsoft-organizations", N_("Microsoft 365 (work or school accounts)"),
      "login.microsoftonline.com",
      MS("organizations") "devicecode", MS("organizations") "authorize",
      MS("organizations") "token", MS_SCOPE, NULL, FALSE },
    { "google", N_("Gmail and Google Workspace"),
      "accounts.google.com",
      "https://oauth2.googleapis.com/device/code",
      "https://accounts.google.com/o/oauth2/v2/auth",
      "https://oauth2.googleapis.com/token", "https://mail.google.com/",
      "access_type=offline&prompt=consent", TRUE },
};

const OAuthPreset *
oauth_preset_find(const char *name)
{
    for (gsize i = 0; name && i < G_N_ELEMENTS(presets); i++)
        if (!g_ascii_strcasecmp(name, presets[i].name))
            return &presets[i];
    return NULL;
}

const OAuthPreset *
oauth_preset_for_host(const char *host)
{
    return oauth_preset_find(autoconfig_builtin_oauth(host));
}

const OAuthPreset *
oauth_preset_for_issuer(const char *issuer)
{
    for (gsize i = 0; issuer && i < G_N_ELEMENTS(presets); i++)
        if (!g_ascii_strcasecmp(issuer, presets[i].issuer))
            return &presets[i];
    return NULL;
}

void
oauth_settings_free(OAuthSettings *s)
{
    if (!s)
        return;
    g_free(s->account);
    g_free(s->login_hint);
    g_free(s->client_id);
    g_free(s->client_secret);
    g_free(s->scope);
    g_free(s->device_url);
    g_free(s->authorize_url);
    g_free(s->token_url);
    g_free(s->extra_auth_params);
    g_free(s->refresh_token_command);
    g_free(s->refresh_token_store_command);
    g_free(s);
}

static char *
pick(const char *own, const char *preset)
{
    return g_strdup(own ? own : preset);
}

OAuthSettings *
oauth_settings_new(const Account *account, GError **error)
{
    const OAuthConf *c = &account->oauth;
    const OAuthPreset *p = oauth_preset_find(c->provider);
    g_autoptr(OAuthSettings) s = g_new0(OAuthSettings, 1);
    s->account = g_strdup(account->id);
    s->login_hint = g_strdup(account->address);
    s->client_id = g_strdup(c->client_id);
    s->client_secret = g_strdup(c->client_secret);
    s->scope = pick(c->scope, p ? p->scope : NULL);
    s->browser = c->flow ? !g_strcmp0(c->flow, "browser") : (p && p->browser);
    s->device_url = pick(c->device_url, p ? p->device_url : NULL);
    s->authorize_url = pick(c->authorize_url, p ? p->authorize_url : NULL);
    s->token_url = pick(c->token_url, p ? p->token_url : NULL);
    s->extra_auth_params = g_strdup(p ? p->extra_auth_params : NULL);
    s->refresh_token_command = g_strdup(c->refresh_token_command);
    s->refresh_token_store_command = g_strdup(c->refresh_token_store_command);
    s->timeout = account->timeout > 0 ? account->timeout : 60;

    const char *missing = !s->client_id ? "oauth_client_id"
                        : !s->token_url ? "oauth_token_url"
                        : !s->scope ? "oauth_scope"
                        : s->browser && !s->authorize_url ? "oauth_authorize_url"
                        : !s->browser && !s->device_url ? "oauth_device_url"
                        : NULL;
    if (missing) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: OAuth needs %s (set it, or oauth_provider = "
                      "microsoft, microsoft-organizations or google for the "
                      "endpoints and scopes; see postie-oauth(1))"),
                    account->id, missing);
        return NULL;
    }
    return g_steal_pointer(&s);
}
