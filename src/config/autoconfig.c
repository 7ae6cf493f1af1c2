/* Parsing Mozilla's config-v1.1.xml with GLib's GMarkup (see
 * autoconfig.h).  The structure read:
 *   clientConfig / emailProvider [id]
 *     domain*, displayName
 *     incomingServer [type=pop3|imap]  hostname port socketType username
 *                                      authentication*
 *     outgoingServer [type=smtp]       (the same)
 *     documentation [url] / descr
 *     oAuth2 / issuer                  (Thunderbird's; the rest of it,
 *                                      endpoints and scope, is ignored)
 */
#include <config.h>

#include <string.h>

#include "config/autoconfig.h"
#include "util/util.h"

typedef struct {
    char *host, *port, *socket, *user;
    GPtrArray *auths;
} RawServer;

typedef struct {
    GPtrArray *stack;            /* element names */
    gboolean in_provider;
    int server;                  /* 0 none, 1 incoming pop3, 2 outgoing smtp, 3 other */
    RawServer pop3, smtp;
    gboolean seen_pop3, seen_smtp;
    char *display_name, *doc_url, *doc_text, *issuer;
    gboolean seen_doc_text;
    GPtrArray *domains;
    GString *text;
} Parse;

static void
raw_clear(RawServer *r)
{
    g_free(r->host);
    g_free(r->port);
    g_free(r->socket);
    g_free(r->user);
    if (r->auths)
        g_ptr_array_unref(r->auths);
    memset(r, 0, sizeof *r);
}

static const char *
attr(const char **names, const char **values, const char *want)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], want))
            return values[i];
    return NULL;
}

static void
on_start(GMarkupParseContext *ctx, const char *name, const char **names,
         const char **values, gpointer data, GError **error)
{
    (void)ctx;
    (void)error;
    Parse *p = data;
    g_ptr_array_add(p->stack, g_strdup(name));
    g_string_truncate(p->text, 0);
    if (!strcmp(name, "emailProvider"))
        p->in_provider = TRUE;
    else if (p->in_provider && !strcmp(name, "incomingServer")) {
        const char *type = attr(names, values, "type");
        p->server = (!g_strcmp0(type, "pop3") && !p->seen_pop3) ? 1 : 3;
        if (p->server == 1) {
            p->seen_pop3 = TRUE;
            p->pop3.auths = g_ptr_array_new_with_free_func(g_free);
        }
    } else if (p->in_provider && !strcmp(name, "outgoingServer")) {
        const char *type = attr(names, values, "type");
        p->server = (!g_strcmp0(type, "smtp") && !p->seen_smtp) ? 2 : 3;
        if (p->server == 2) {
            p->seen_smtp = TRUE;
            p->smtp.auths = g_ptr_array_new_with_free_func(g_free);
        }
    } else if (p->in_provider && !strcmp(name, "documentation") && !p->doc_url) {
        const char *url = attr(names, values, "url");
        /* Only a page the user can open safely is shown. */
        if (url && g_str_has_prefix(url, "https://"))
            p->doc_url = g_strdup(url);
    }
}

static gboolean host_ok(const char *h);

static void
set_once(char **field, const char *value)
{
    if (!*field)
        *field = g_strdup(value);
}

static void
on_end(GMarkupParseContext *ctx, const char *name, gpointer data, GError **error)
{
    (void)ctx;
    (void)error;
    Parse *p = data;
    g_autofree char *text = g_strstrip(g_strdup(p->text->str));
    const char *parent = p->stack->len >= 2 ? p->stack->pdata[p->stack->len - 2] : "";
    RawServer *r = p->server == 1 ? &p->pop3 : p->server == 2 ? &p->smtp : NULL;
    if (r && (!strcmp(parent, "incomingServer") || !strcmp(parent, "outgoingServer"))) {
        if (!strcmp(name, "hostname"))
            set_once(&r->host, text);
        else if (!strcmp(name, "port"))
            set_once(&r->port, text);
        else if (!strcmp(name, "socketType"))
            set_once(&r->socket, text);
        else if (!strcmp(name, "username"))
            set_once(&r->user, text);
        else if (!strcmp(name, "authentication"))
            g_ptr_array_add(r->auths, g_strdup(text));
    } else if (!strcmp(name, "domain") && !strcmp(parent, "emailProvider") &&
               p->domains->len < 100) {
        g_ptr_array_add(p->domains, g_ascii_strdown(text, -1));
    } else if (!strcmp(name, "issuer") && !strcmp(parent, "oAuth2") && host_ok(text)) {
        set_once(&p->issuer, text);
    } else if (!strcmp(name, "displayName") && !strcmp(parent, "emailProvider")) {
        set_once(&p->display_name, text);
    } else if (!strcmp(name, "descr") && !strcmp(parent, "documentation") &&
               !p->seen_doc_text) {
        p->seen_doc_text = TRUE;
        p->doc_text = g_strdup(text);
    }
    if (!strcmp(name, "incomingServer") || !strcmp(name, "outgoingServer"))
        p->server = 0;
    if (!strcmp(name, "emailProvider"))
        p->in_provider = FALSE;
    g_ptr_array_remove_index(p->stack, p->stack->len - 1);
    g_string_truncate(p->text, 0);
}

static void
on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer data,
        GError **error)
{
    (void)ctx;
    (void)error;
    Parse *p = data;
    if (p->text->len + len > 4096)      /* no value is this long */
        return;
    g_string_append_len(p->text, text, (gssize)len);
}

static gboolean
host_ok(const char *h)
{
    if (!h || !*h || strlen(h) > 253)
        return FALSE;
    for (const char *c = h; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '.' && *c != '-')
            return FALSE;
    return TRUE;
}

/* %EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN% in a user name. */
static char *
expand_user(const char *tmpl, const char *address)
{
    const char *at = strrchr(address, '@');
    g_autofree char *local = at ? g_strndup(address, (gsize)(at - address)) : g_strdup(address);
    const char *domain = at ? at + 1 : "";
    GString *out = g_string_new(NULL);
    for (const char *c = tmpl; *c;) {
        if (g_str_has_prefix(c, "%EMAILADDRESS%")) {
            g_string_append(out, address);
            c += strlen("%EMAILADDRESS%");
        } else if (g_str_has_prefix(c, "%EMAILLOCALPART%")) {
            g_string_append(out, local);
            c += strlen("%EMAILLOCALPART%");
        } else if (g_str_has_prefix(c, "%EMAILDOMAIN%")) {
            g_string_append(out, domain);
            c += strlen("%EMAILDOMAIN%");
        } else {
            g_string_append_c(out, *c++);
        }
    }
    return g_string_free(out, FALSE);
}

static gboolean
make_server(const RawServer *r, const char *what, const char *address, const char *source,
            AutoconfigServer *out, GError **error)
{
    gint64 port;
    if (!host_ok(r->host)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: the %s server has no valid host name"), source, what);
        return FALSE;
    }
    if (!r->port || !g_ascii_string_to_signed(r->port, 10, 1, 65535, &port, NULL)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: the %s server has no valid port"), source, what);
        return FALSE;
    }
    if (!g_strcmp0(r->socket, "SSL"))
        out->security = SECURITY_TLS;
    else if (!g_strcmp0(r->socket, "STARTTLS"))
        out->security = SECURITY_STARTTLS;
    else if (!g_strcmp0(r->socket, "plain"))
        out->security = SECURITY_NONE;
    else {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: the %s server has an unknown socketType"), source, what);
        return FALSE;
    }
    out->host = g_ascii_strdown(r->host, -1);
    out->port = (guint16)port;
    out->user = expand_user(r->user ? r->user : "%EMAILADDRESS%", address);
    gboolean password = FALSE, oauth = FALSE;
    for (guint i = 0; r->auths && i < r->auths->len; i++) {
        const char *m = r->auths->pdata[i];
        password |= g_str_has_prefix(m, "password-");
        oauth |= !strcmp(m, "OAuth2");
    }
    out->oauth2_possible = oauth;
    out->auth = password || !r->auths || r->auths->len == 0 ? AUTOCONFIG_AUTH_PASSWORD
              : oauth ? AUTOCONFIG_AUTH_OAUTH2 : AUTOCONFIG_AUTH_OTHER;
    return TRUE;
}

void
autoconfig_free(Autoconfig *ac)
{
    if (!ac)
        return;
    g_free(ac->display_name);
    g_free(ac->pop3.host);
    g_free(ac->pop3.user);
    g_free(ac->smtp.host);
    g_free(ac->smtp.user);
    g_free(ac->doc_url);
    g_free(ac->doc_text);
    g_free(ac->source);
    g_strfreev(ac->domains);
    g_free(ac->oauth_issuer);
    g_free(ac->oauth_preset);
    g_free(ac);
}

Autoconfig *
autoconfig_parse(const char *xml, gsize len, const char *address, const char *source,
                 GError **error)
{
    static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
    Parse p = { 0 };
    p.stack = g_ptr_array_new_with_free_func(g_free);
    p.text = g_string_new(NULL);
    p.domains = g_ptr_array_new_with_free_func(g_free);
    GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, &p, NULL);
    g_autoptr(GError) local = NULL;
    gboolean ok = g_utf8_validate(xml, (gssize)len, NULL) &&
                  g_markup_parse_context_parse(ctx, xml, (gssize)len, &local) &&
                  g_markup_parse_context_end_parse(ctx, &local);
    g_markup_parse_context_free(ctx);
    Autoconfig *ac = NULL;
    if (!ok) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: not a mail configuration file (%s)"), source,
                    local ? local->message : _("not UTF-8"));
    } else if (!p.seen_pop3 && !p.seen_smtp) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: no POP3 or SMTP server in the file"), source);
    } else {
        ac = g_new0(Autoconfig, 1);
        ac->source = g_strdup(source);
        ac->has_pop3 = p.seen_pop3;
        ac->has_smtp = p.seen_smtp;
        if ((p.seen_pop3 &&
             !make_server(&p.pop3, "POP3", address, source, &ac->pop3, error)) ||
            (p.seen_smtp &&
             !make_server(&p.smtp, "SMTP", address, source, &ac->smtp, error))) {
            g_clear_pointer(&ac, autoconfig_free);
        } else {
            ac->display_name = g_steal_pointer(&p.display_name);
            ac->doc_url = g_steal_pointer(&p.doc_url);
            ac->doc_text = g_steal_pointer(&p.doc_text);
            if (p.issuer)
                ac->oauth_issuer = g_ascii_strdown(p.issuer, -1);
            g_ptr_array_add(p.domains, NULL);
            ac->domains = (char **)g_ptr_array_free(g_steal_pointer(&p.domains), FALSE);
        }
    }
    raw_clear(&p.pop3);
    raw_clear(&p.smtp);
    g_free(p.display_name);
    g_free(p.doc_url);
    g_free(p.doc_text);
    g_free(p.issuer);
    g_ptr_array_unref(p.stack);
    if (p.domains)
        g_ptr_array_unref(p.domains);
    g_string_free(p.text, TRUE);
    return ac;
}
