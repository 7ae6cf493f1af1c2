/* Provider settings in Mozilla's autoconfig format (config-v1.1.xml, as
 * Thunderbird, K-9 and Evolution read it): parsing, and the built-in
 * entries used when the provider cannot be reached.  Part of config/;
 * fetching the file over HTTPS is the caller's job (net/https.c).
 *
 * Only what a POP3 client needs is kept: the first POP3 incoming server
 * and the first SMTP outgoing server, each with host, port, security and
 * the user name (placeholders %EMAILADDRESS% and %EMAILLOCALPART%
 * replaced), how to log in, the OAuth issuer (<oAuth2><issuer>, as
 * Thunderbird reads it), and the provider's page about it.
 *
 * The input is outside data: every value is checked (host name
 * characters, port range, known socket types); anything else is an error
 * naming where it came from, never a guess. */
#ifndef POSTIE_AUTOCONFIG_H
#define POSTIE_AUTOCONFIG_H

#include <glib.h>

#include "config/conf.h"

typedef enum {
    AUTOCONFIG_AUTH_PASSWORD,      /* password-cleartext / -encrypted */
    AUTOCONFIG_AUTH_OAUTH2,        /* OAuth2 only */
    AUTOCONFIG_AUTH_OTHER,
} AutoconfigAuth;

typedef struct {
    char *host;
    guint16 port;
    Security security;
    char *user;                    /* placeholders replaced */
    AutoconfigAuth auth;
    gboolean oauth2_possible;      /* OAuth2 listed among the methods */
} AutoconfigServer;

typedef struct {
    char *display_name;            /* the provider's name, or NULL */
    gboolean has_pop3;             /* FALSE: the provider offers no POP3 */
    AutoconfigServer pop3;
    gboolean has_smtp;
    AutoconfigServer smtp;
    char *doc_url;                 /* the provider's page, https only */
    char *doc_text;                /* its description, or NULL */
    char *source;                  /* where it came from (URL, "built-in") */
    char **domains;                /* the <domain>s listed, lower case */
    char *oauth_issuer;            /* <oAuth2><issuer>, or NULL: names the
                                      authorization server, never trusted
                                      for endpoints (oauth/ maps it to a
                                      preset it knows) */
    char *oauth_preset;            /* built-in entries: the OAuth preset
                                      (oauth/provider.c) that applies */
} Autoconfig;

/* Parse XML (LEN bytes) for ADDRESS.  SOURCE names it in errors.  An
 * error when the text is not a clientConfig, or has neither a POP3 nor an
 * SMTP server. */
Autoconfig *autoconfig_parse(const char *xml, gsize len, const char *address,
                             const char *source, GError **error);
void autoconfig_free(Autoconfig *ac);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Autoconfig, autoconfig_free)

/* The built-in entry for the domain of ADDRESS, or NULL.  The built-in
 * entries are postie's one table of providers: each also names the OAuth
 * preset of a provider that takes OAuth 2 (oauth_preset). */
Autoconfig *autoconfig_builtin(const char *address);
/* The OAuth preset of the built-in provider NAME belongs to: NAME is an
 * address or domain one entry lists, or the host name of an entry's POP3
 * or SMTP server.  NULL when none matches or it has no preset. */
const char *autoconfig_builtin_oauth(const char *name);
/* The built-in XML text I (NULL past the last), for tests. */
const char *autoconfig_builtin_text(guint i);

#endif
