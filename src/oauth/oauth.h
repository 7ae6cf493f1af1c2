/* oauth/: OAuth 2 tokens for accounts whose servers want them (Outlook.com,
 * Microsoft 365, Google): "postie oauth login" and "postie oauth token".
 *
 *   provider.c  presets (endpoints, scopes, flow, issuer) for Microsoft
 *               consumers and organizations and for Google, merged with the
 *               account; which provider uses which preset is said once, in
 *               config's built-in provider table (config/autoconfig.h)
 *   reply.c     the authorization server's JSON replies, checked (hostile
 *               input: size, depth, types, characters)
 *   http.c      one form POST with libcurl (opened by net_curl()): https
 *               only (http only to this machine), no redirects, bounded
 *               reply and time; CAs of $SSL_CERT_FILE when set,
 *               $https_proxy as a tunnel
 *   flow.c      device-code flow, authorization-code flow with PKCE and a
 *               loopback redirect, refresh
 *   setup.c     for the first-run setup: which providers need OAuth, the
 *               settings to write, the login right after writing them
 *   store.c     the refresh token (0600 file under $XDG_STATE_HOME/postie/
 *               oauth/, or the user's secret commands) and the cached
 *               access token
 *
 * Data flow: login runs a flow, gets access + refresh token, stores both.
 * token prints the cached access token while it is valid for another
 * minute, else refreshes it (under a lock, so two postie processes never
 * spend the same refresh token twice) and stores what came back.
 *
 * Errors (POSTIE_ERROR): AUTH when the user must log in again (no stored
 * login, refresh token refused, login denied or expired), NET (connect,
 * timeout), PROTOCOL (a reply that is not what OAuth says), CONFIG.
 */
#ifndef POSTIE_OAUTH_H
#define POSTIE_OAUTH_H

#include <glib.h>

#include "config/conf.h"

/* ---- provider.c -------------------------------------------------------- */
typedef struct {
    char *account;         /* account name, for messages and the store */
    char *login_hint;      /* the address, passed to the provider */
    char *client_id;
    char *client_secret;   /* or NULL */
    char *scope;
    gboolean browser;      /* authorization-code flow instead of device */
    char *device_url, *authorize_url, *token_url;
    char *extra_auth_params;   /* appended to the authorize URL, or NULL */
    char *refresh_token_command, *refresh_token_store_command;
    int timeout;           /* seconds for each HTTP request */
} OAuthSettings;

/* The account's settings over its provider's preset.  Error (CONFIG) when
 * something needed is missing (client id, an endpoint). */
OAuthSettings *oauth_settings_new(const Account *account, GError **error);
void oauth_settings_free(OAuthSettings *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OAuthSettings, oauth_settings_free)

/* A preset by name: the endpoints and default scope (POP and SMTP) of an
 * authorization server.  Which providers use which preset is said once,
 * in the built-in provider table (config/autoconfig_builtin.c).  NULL
 * when unknown. */
typedef struct {
    const char *name;
    const char *description;
    const char *issuer;                   /* as in autoconfig's <oAuth2> */
    const char *device_url, *authorize_url, *token_url;
    const char *scope;
    const char *extra_auth_params;
    gboolean browser;                     /* default flow */
} OAuthPreset;
const OAuthPreset *oauth_preset_find(const char *name);
/* The preset of the provider HOST belongs to (an address, a domain or a
 * server's host name; autoconfig_builtin_oauth()), or NULL. */
const OAuthPreset *oauth_preset_for_host(const char *host);
/* The preset whose issuer is ISSUER (the first, for a shared one), or
 * NULL. */
const OAuthPreset *oauth_preset_for_issuer(const char *issuer);

/* ---- reply.c ----------------------------------------------------------- */
#define OAUTH_REPLY_MAX (64 * 1024)   /* bytes read from a reply, at most */

typedef enum {
    OAUTH_REPLY_OK,
    OAUTH_REPLY_PENDING,         /* authorization_pending */
    OAUTH_REPLY_SLOW_DOWN,       /* slow_down */
    OAUTH_REPLY_ERROR,           /* any other "error" */
} OAuthReplyKind;

typedef struct {
    OAuthReplyKind kind;
    char *error;                 /* the "error" code (safe), or NULL */
    char *error_description;     /* term-safe, or NULL */
    char *access_token;
    char *refresh_token;         /* NULL when none came */
    gint64 expires_in;           /* seconds; 3600 when not given */
} OAuthTokenReply;

typedef struct {
    char *device_code;
    char *user_code;
    char *verification_uri;
    char *verification_uri_complete;   /* or NULL */
    gint64 expires_in;
    gint64 interval;
} OAuthDeviceReply;

/* Parse a token endpoint reply (HTTP STATUS, BODY of LEN bytes).  FALSE
 * with ERROR (PROTOCOL) for anything malformed: not a JSON object, too
 * deep, a field of the wrong type, a token with characters outside
 * printable ASCII, neither a token nor an error. */
gboolean oauth_parse_token_reply(long status, const char *body, gsize len,
                                 OAuthTokenReply *out, GError **error);
void oauth_token_reply_clear(OAuthTokenReply *r);
/* Parse a device authorization reply (RFC 8628 3.2). */
gboolean oauth_parse_device_reply(long status, const char *body, gsize len,
                                  OAuthDeviceReply *out, GError **error);
void oauth_device_reply_clear(OAuthDeviceReply *r);

/* ---- http.c ------------------------------------------------------------ */
/* POST the form FIELDS (name, value, name, value, ..., NULL) to URL and
 * return the reply body (at most OAUTH_REPLY_MAX bytes) and *STATUS. */
GBytes *oauth_http_post(const char *url, const char *const *fields,
                        int timeout, long *status, GError **error);

/* ---- flow.c ------------------------------------------------------------ */
/* Where the device flow and the browser flow tell the user what to do. */
typedef void (*OAuthPrompt)(const char *message, gpointer data);

/* Log in (device or browser flow, as the settings say) and store the
 * tokens.  PROMPT gets the instructions (URL, code). */
gboolean oauth_login(const OAuthSettings *s, OAuthPrompt prompt, gpointer data,
                     GError **error);
/* A valid access token, refreshed when needed. */
char *oauth_access_token(const OAuthSettings *s, GError **error);
/* PKCE (RFC 7636): the S256 challenge of VERIFIER. */
char *oauth_pkce_challenge(const char *verifier);

/* ---- setup.c ----------------------------------------------------------- */
/* For the setup wizard (ui/setup.c): call oauth_setup_needed() with the
 * answers; when it returns a preset, ask for the client id, write the
 * configuration as usual, then oauth_setup_write() and, if the user
 * wants to log in now, oauth_setup_login() (it blocks until the login is
 * approved, refused or expired; PROMPT gets the instructions to show).
 *
 * The preset of a provider that takes no passwords for POP3/SMTP
 * (Microsoft) or prefers tokens (Google), from the address's domain or
 * the server names (SMTP first); NULL when passwords are fine. */
const OAuthPreset *oauth_setup_needed(const char *address, const char *pop3_host,
                                      const char *smtp_host);
/* Set oauth_provider, oauth_client_id and oauth_token_command (postie
 * oauth token ID, with --config CONFIG_PATH when that is not the default
 * file) in GROUP of KF, and drop the password keys. */
void oauth_setup_keys(GKeyFile *kf, const char *group, const char *id,
                      const char *config_path, const OAuthPreset *p,
                      const char *client_id);
/* The same on the file CONFIG_PATH (comments kept, 0600, atomic). */
gboolean oauth_setup_write(const char *config_path, const char *id,
                           const OAuthPreset *p, const char *client_id,
                           GError **error);
/* Log account ID of CONFIG_PATH in (the provider's default flow). */
gboolean oauth_setup_login(const char *config_path, const char *id,
                           OAuthPrompt prompt, gpointer data, GError **error);

/* ---- store.c ----------------------------------------------------------- */
typedef struct {
    char *refresh_token;
    char *access_token;
    gint64 expires_at;           /* unix time; 0 unknown */
} OAuthStored;

/* $XDG_STATE_HOME/postie/oauth/ACCOUNT (escaped). */
char *oauth_store_path(const char *account);
/* FALSE and no error when nothing is stored.  WITH_REFRESH: also the
 * refresh token when the user's secret command keeps it (runs it). */
gboolean oauth_store_load(const OAuthSettings *s, OAuthStored *out,
                          gboolean with_refresh, GError **error);
/* Write the tokens: the file (0600, atomic), the refresh token through
 * the store command when configured (then not in the file). */
gboolean oauth_store_save(const OAuthSettings *s, const OAuthStored *st,
                          gboolean refresh_changed, GError **error);
void oauth_stored_clear(OAuthStored *st);
/* Hold an exclusive lock for the account's tokens; -1 with ERROR. */
int oauth_store_lock(const char *account, GError **error);
void oauth_store_unlock(int fd);

#endif
