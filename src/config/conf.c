/* Load the configuration file into PostieConfig, checking every value on
 * the way: each problem names FILE:LINE and the key. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/conf_private.h"
#include "util/util.h"

/* ---- problems ---------------------------------------------------------- */

void
conf_problem_free(gpointer data)
{
    ConfProblem *p = data;
    g_free(p->file);
    g_free(p->key);
    g_free(p->message);
    g_free(p);
}

void
conf_problem_add(GPtrArray *problems, ConfSeverity severity, const char *file,
                 int line, const char *key, char *message)
{
    ConfProblem *p = g_new0(ConfProblem, 1);
    p->severity = severity;
    p->file = g_strdup(file);
    p->line = line;
    p->key = g_strdup(key);
    p->message = message;
    g_ptr_array_add(problems, p);
}

gboolean
conf_has_errors(GPtrArray *problems)
{
    for (guint i = 0; problems && i < problems->len; i++)
        if (((ConfProblem *)problems->pdata[i])->severity == CONF_ERROR)
            return TRUE;
    return FALSE;
}

char *
conf_problem_format(const ConfProblem *p)
{
    GString *s = g_string_new(p->file);
    if (p->line > 0)
        g_string_append_printf(s, ":%d", p->line);
    g_string_append(s, ": ");
    if (p->key)
        g_string_append_printf(s, "%s: ", p->key);
    if (p->severity == CONF_WARNING)
        g_string_append(s, _("warning: "));
    g_string_append(s, p->message);
    return g_string_free(s, FALSE);
}

/* ---- reading values ---------------------------------------------------- */

/* Everything needed to report a problem about one group. */
typedef struct {
    PostieConfig *cfg;
    GPtrArray *problems;
    const char *group;
} Ctx;

static void
report(Ctx *c, ConfSeverity sev, const char *key, char *message)
{
    int line = conf_lookup_line(c->cfg->lines, c->group, key);
    if (line == 0)   /* a missing key: point at its group */
        line = conf_lookup_line(c->cfg->lines, c->group, NULL);
    conf_problem_add(c->problems, sev, c->cfg->path, line, key, message);
}

static char *
get_string(Ctx *c, const char *key, const char *def)
{
    g_autoptr(GError) e = NULL;
    char *v = g_key_file_get_string(c->cfg->keyfile, c->group, key, &e);
    if (!v)
        return g_strdup(def);
    g_strstrip(v);
    if (*v == '\0') {
        g_free(v);
        return g_strdup(def);
    }
    return v;
}

static gboolean
get_bool(Ctx *c, const char *key, gboolean def)
{
    g_autofree char *v = get_string(c, key, NULL);
    if (!v)
        return def;
    if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") ||
        !strcmp(v, "1") || !g_ascii_strcasecmp(v, "on"))
        return TRUE;
    if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") ||
        !strcmp(v, "0") || !g_ascii_strcasecmp(v, "off"))
        return FALSE;
    report(c, CONF_ERROR, key,
           g_strdup_printf(_("\"%s\" is not true or false"), v));
    return def;
}

static gboolean
parse_int(const char *v, gint64 min, gint64 max, gint64 *out)
{
    char *end;
    errno = 0;
    gint64 n = g_ascii_strtoll(v, &end, 10);
    if (errno || end == v || *end != '\0' || n < min || n > max)
        return FALSE;
    *out = n;
    return TRUE;
}

static int
get_int(Ctx *c, const char *key, int def, int min, int max)
{
    g_autofree char *v = get_string(c, key, NULL);
    gint64 n;
    if (!v)
        return def;
    if (!parse_int(v, min, max, &n)) {
        report(c, CONF_ERROR, key,
               g_strdup_printf(_("\"%s\" is not a whole number from %d to %d"),
                               v, min, max));
        return def;
    }
    return (int)n;
}

/* Sizes: a number of kilobytes, or with a suffix k/K (KiB) or m/M (MiB). */
static guint64
get_size(Ctx *c, const char *key)
{
    g_autofree char *v = get_string(c, key, NULL);
    if (!v)
        return 0;
    gsize len = strlen(v);
    guint64 unit = 1024;
    char last = v[len - 1];
    if (last == 'k' || last == 'K')
        v[len - 1] = '\0';
    else if (last == 'm' || last == 'M') {
        v[len - 1] = '\0';
        unit = 1024 * 1024;
    }
    gint64 n;
    if (!parse_int(v, 0, G_MAXINT32, &n)) {
        report(c, CONF_ERROR, key,
               g_strdup(_("not a size (kilobytes, or a number with k or M)")));
        return 0;
    }
    return (guint64)n * unit;
}

const char *
security_name(Security s)
{
    switch (s) {
    case SECURITY_TLS: return "tls";
    case SECURITY_STARTTLS: return "starttls";
    case SECURITY_NONE: return "none";
    }
    return "?";
}

gboolean
security_from_string(const char *s, Security *out)
{
    if (!g_ascii_strcasecmp(s, "tls") || !g_ascii_strcasecmp(s, "ssl"))
        *out = SECURITY_TLS;
    else if (!g_ascii_strcasecmp(s, "starttls") || !g_ascii_strcasecmp(s, "stls"))
        *out = SECURITY_STARTTLS;
    else if (!g_ascii_strcasecmp(s, "none") || !g_ascii_strcasecmp(s, "plain"))
        *out = SECURITY_NONE;
    else
        return FALSE;
    return TRUE;
}

/* A SHA-256 fingerprint: 64 hex digits, colons allowed.  Stored normalised
 * (lower case, no colons). */
static char *
get_fingerprint(Ctx *c, const char *key)
{
    g_autofree char *v = get_string(c, key, NULL);
    if (!v)
        return NULL;
    GString *hex = g_string_new(NULL);
    for (const char *p = v; *p; p++) {
        if (*p == ':')
            continue;
        if (!g_ascii_isxdigit(*p)) {
            g_string_set_size(hex, 0);
            break;
        }
        g_string_append_c(hex, g_ascii_tolower(*p));
    }
    if (hex->len != 64) {
        report(c, CONF_ERROR, key,
               g_strdup(_("not a SHA-256 fingerprint (64 hex digits, colons allowed)")));
        g_string_free(hex, TRUE);
        return NULL;
    }
    return g_string_free(hex, FALSE);
}

static gboolean
name_in(const char *v, const char *const *names)
{
    for (; *names; names++)
        if (!g_ascii_strcasecmp(v, *names))
            return TRUE;
    return FALSE;
}

/* ---- groups ------------------------------------------------------------ */

static const char *const general_keys[] = {
    "mail_dir", "editor", "check_interval", "html_converter", "download_dir",
    "sort", "threads", "preview", "preview_size", "folder_list", "color",
    "confirm_delete", "lock_timeout", "trash", "delete",
    "new_mail", "preview_mark_read", NULL,
};

static const char *const account_keys[] = {
    "name", "address", "default",
    "pop3_host", "pop3_port", "pop3_security", "pop3_user", "pop3_auth",
    "smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_auth",
    "password", "password_command", "smtp_password", "smtp_password_command",
    "oauth_token_command", "allow_plaintext_password",
    "oauth_provider", "oauth_client_id", "oauth_client_secret", "oauth_scope",
    "oauth_flow", "oauth_device_url", "oauth_authorize_url", "oauth_token_url",
    "oauth_refresh_token_command", "oauth_refresh_token_store_command",
    "ca_file", "tls_fingerprint", "smtp_ca_file", "smtp_tls_fingerprint",
    "timeout", "fetch", "inbox", "leave_on_server", "delete_after_days",
    "delete_when_deleted", "headers_only", "size_limit",
    "attachment_encoding", "signature", "sent_folder",
    "crypt_sign", "crypt_encrypt_if_possible", "pgp_key", "smime_key", NULL,
};

static const char *const filter_keys[] = {
    "account", "header", "contains", "matches", "folder", NULL,
};

static const char *const pop3_auth_names[] = {
    "auto", "user", "apop", "plain", "login", "cram-md5", "xoauth2",
    "oauthbearer", NULL,
};
static const char *const smtp_auth_names[] = {
    "auto", "plain", "login", "cram-md5", "xoauth2", "oauthbearer", "none", NULL,
};

static void
warn_unknown_keys(Ctx *c, const char *const *known)
{
    g_auto(GStrv) keys = g_key_file_get_keys(c->cfg->keyfile, c->group, NULL, NULL);
    for (int i = 0; keys && keys[i]; i++)
        if (!name_in(keys[i], known))
            report(c, CONF_WARNING, keys[i],
                   g_strdup(_("unknown setting; ignored")));
}

static gboolean valid_folder_name(const char *name);

static void
read_general(Ctx *c)
{
    PostieConfig *cfg = c->cfg;
    warn_unknown_keys(c, general_keys);

    g_autofree char *dir = get_string(c, "mail_dir", NULL);
    if (dir) {
        g_free(cfg->mail_dir);
        cfg->mail_dir = paths_expand_home(dir);
    }
    g_autofree char *dl = get_string(c, "download_dir", NULL);
    if (dl) {
        g_free(cfg->download_dir);
        cfg->download_dir = paths_expand_home(dl);
    }
    cfg->editor = get_string(c, "editor", NULL);
    cfg->html_converter = get_string(c, "html_converter", NULL);
    cfg->check_interval = get_int(c, "check_interval", cfg->check_interval, 0, 1440);

    static const char *const sorts[] = { "date", "sender", "subject", "size", NULL };
    g_autofree char *sort = get_string(c, "sort", NULL);
    if (sort && !name_in(sort, sorts))
        report(c, CONF_ERROR, "sort",
               g_strdup_printf(_("\"%s\" is not one of date, sender, subject, size"), sort));
    else if (sort) {
        g_free(cfg->sort);
        cfg->sort = g_ascii_strdown(sort, -1);
    }
    cfg->threads = get_bool(c, "threads", cfg->threads);

    static const char *const previews[] = { "below", "right", "off", NULL };
    g_autofree char *preview = get_string(c, "preview", NULL);
    if (preview && !name_in(preview, previews))
        report(c, CONF_ERROR, "preview",
               g_strdup_printf(_("\"%s\" is not one of below, right, off"), preview));
    else if (preview) {
        g_free(cfg->preview);
        cfg->preview = g_ascii_strdown(preview, -1);
    }
    cfg->preview_size = get_int(c, "preview_size", cfg->preview_size, 10, 90);
    cfg->folder_list = get_bool(c, "folder_list", cfg->folder_list);
    cfg->color = get_bool(c, "color", cfg->color);
    cfg->confirm_delete = get_bool(c, "confirm_delete", cfg->confirm_delete);
    cfg->lock_timeout = get_int(c, "lock_timeout", cfg->lock_timeout, 1, 3600);

    g_autofree char *trash = get_string(c, "trash", NULL);
    if (trash && !g_ascii_strcasecmp(trash, "none"))
        g_clear_pointer(&cfg->trash, g_free);
    else if (trash && !valid_folder_name(trash))
        report(c, CONF_ERROR, "trash",
               g_strdup_printf(_("\"%s\" is not a folder name (or \"none\")"), trash));
    else if (trash) {
        g_free(cfg->trash);
        cfg->trash = g_steal_pointer(&trash);
    }
    static const char *const quad[] = { "ask-yes", "ask-no", "yes", "no", NULL };
    g_autofree char *purge = get_string(c, "delete", NULL);
    if (purge && !name_in(purge, quad))
        report(c, CONF_ERROR, "delete",
               g_strdup_printf(_("\"%s\" is not one of ask-yes, ask-no, yes, no"), purge));
    else if (purge) {
        g_free(cfg->purge);
        cfg->purge = g_ascii_strdown(purge, -1);
    }
    static const char *const notices[] = { "mark", "bell", "both", "off", NULL };
    g_autofree char *new_mail = get_string(c, "new_mail", NULL);
    if (new_mail && !name_in(new_mail, notices))
        report(c, CONF_ERROR, "new_mail",
               g_strdup_printf(_("\"%s\" is not one of mark, bell, both, off"), new_mail));
    else if (new_mail) {
        g_free(cfg->new_mail);
        cfg->new_mail = g_ascii_strdown(new_mail, -1);
    }
    cfg->preview_mark_read = get_int(c, "preview_mark_read", cfg->preview_mark_read, 0, 3600);
}

/* Fill one ServerConf from keys with PREFIX ("pop3_" or "smtp_"). */
static void
read_server(Ctx *c, ServerConf *s, const char *prefix, Security def_security,
            guint16 tls_port, guint16 plain_port, const char *const *auths,
            gboolean required)
{
    g_autofree char *k_host = g_strconcat(prefix, "host", NULL);
    g_autofree char *k_port = g_strconcat(prefix, "port", NULL);
    g_autofree char *k_sec = g_strconcat(prefix, "security", NULL);
    g_autofree char *k_user = g_strconcat(prefix, "user", NULL);
    g_autofree char *k_auth = g_strconcat(prefix, "auth", NULL);

    s->host = get_string(c, k_host, NULL);
    if (!s->host && required)
        report(c, CONF_ERROR, k_host, g_strdup(_("missing: the server's host name")));

    s->security = def_security;
    g_autofree char *sec = get_string(c, k_sec, NULL);
    if (sec && !security_from_string(sec, &s->security))
        report(c, CONF_ERROR, k_sec,
               g_strdup_printf(_("\"%s\" is not one of tls, starttls, none"), sec));

    int port = get_int(c, k_port, 0, 1, 65535);
    s->port = port ? (guint16)port
                   : (s->security == SECURITY_TLS ? tls_port : plain_port);

    s->user = get_string(c, k_user, NULL);
    s->auth = get_string(c, k_auth, "auto");
    if (!name_in(s->auth, auths)) {
        g_autofree char *list = g_strjoinv(", ", (char **)auths);
        report(c, CONF_ERROR, k_auth,
               g_strdup_printf(_("\"%s\" is not one of %s"), s->auth, list));
    }
    char *lower = g_ascii_strdown(s->auth, -1);
    g_free(s->auth);
    s->auth = lower;
}

static void
server_clear(ServerConf *s)
{
    g_free(s->host);
    g_free(s->user);
    g_free(s->auth);
    g_free(s->ca_file);
    g_free(s->tls_fingerprint);
    g_free(s->password_key);
    g_free(s->password_command);
}

static void
account_free(gpointer data)
{
    Account *a = data;
    g_free(a->id);
    g_free(a->conf_path);
    g_free(a->conf_group);
    g_free(a->real_name);
    g_free(a->address);
    server_clear(&a->pop3);
    server_clear(&a->smtp);
    g_free(a->oauth_token_command);
    g_free(a->oauth.provider);
    g_free(a->oauth.client_id);
    g_free(a->oauth.client_secret);
    g_free(a->oauth.scope);
    g_free(a->oauth.flow);
    g_free(a->oauth.device_url);
    g_free(a->oauth.authorize_url);
    g_free(a->oauth.token_url);
    g_free(a->oauth.refresh_token_command);
    g_free(a->oauth.refresh_token_store_command);
    g_free(a->inbox);
    g_free(a->signature_file);
    g_free(a->sent_folder);
    g_free(a->pgp_key);
    g_free(a->smime_key);
    g_free(a);
}

static gboolean
file_is_private(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && (st.st_mode & 077) == 0;
}

gboolean
conf_url_allowed(const char *url)
{
    g_autoptr(GUri) u = url ? g_uri_parse(url, G_URI_FLAGS_NONE, NULL) : NULL;
    const char *host = u ? g_uri_get_host(u) : NULL;
    if (!host || !*host || g_uri_get_userinfo(u))
        return FALSE;
    if (!g_ascii_strcasecmp(g_uri_get_scheme(u), "https"))
        return TRUE;
    return !g_ascii_strcasecmp(g_uri_get_scheme(u), "http") &&
           (!strcmp(host, "127.0.0.1") || !g_ascii_strcasecmp(host, "localhost") ||
            !strcmp(host, "::1"));
}

/* The settings of "postie oauth"; the presets themselves are in oauth/. */
static void
read_oauth(Ctx *c, OAuthConf *o)
{
    static const char *const providers[] = {
        "microsoft", "microsoft-organizations", "google", NULL,
    };
    static const char *const flows[] = { "device", "browser", NULL };
    o->provider = get_string(c, "oauth_provider", NULL);
    if (o->provider && !name_in(o->provider, providers))
        report(c, CONF_ERROR, "oauth_provider",
               g_strdup_printf(_("\"%s\" is not one of microsoft, "
                                 "microsoft-organizations, google"), o->provider));
    o->client_id = get_string(c, "oauth_client_id", NULL);
    o->client_secret = get_string(c, "oauth_client_secret", NULL);
    o->scope = get_string(c, "oauth_scope", NULL);
    o->flow = get_string(c, "oauth_flow", NULL);
    if (o->flow && !name_in(o->flow, flows))
        report(c, CONF_ERROR, "oauth_flow",
               g_strdup_printf(_("\"%s\" is not one of device, browser"), o->flow));
    const char *url_keys[] = { "oauth_device_url", "oauth_authorize_url",
                               "oauth_token_url" };
    char **urls[] = { &o->device_url, &o->authorize_url, &o->token_url };
    for (gsize i = 0; i < G_N_ELEMENTS(urls); i++) {
        *urls[i] = get_string(c, url_keys[i], NULL);
        if (*urls[i] && !conf_url_allowed(*urls[i]))
            report(c, CONF_ERROR, url_keys[i],
                   g_strdup(_("must be an https:// address (http:// only on this "
                              "machine: 127.0.0.1, localhost, [::1])")));
    }
    o->refresh_token_command = get_string(c, "oauth_refresh_token_command", NULL);
    o->refresh_token_store_command =
        get_string(c, "oauth_refresh_token_store_command", NULL);
    if (!o->refresh_token_command != !o->refresh_token_store_command)
        report(c, CONF_ERROR, o->refresh_token_command
                                  ? "oauth_refresh_token_command"
                                  : "oauth_refresh_token_store_command",
               g_strdup(_("oauth_refresh_token_command and "
                          "oauth_refresh_token_store_command go together")));
}

/* The account's address is the bare address, as in MAIL FROM: name@domain
 * (the name has a setting of its own).  "Alice <alice@example.org>" or
 * two addresses would make a broken From line; a quoted local part and
 * a domain literal ([192.0.2.1], [IPv6:...]) are left to the server. */
gboolean
conf_address_ok(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || !at[1])
        return FALSE;
    if (s[0] == '"')
        return TRUE;
    for (const char *p = s; *p; p++)
        if ((guchar)*p <= ' ' || (guchar)*p == 0x7f || strchr("<>(),;\\\"", *p))
            return FALSE;
    return strchr(s, '@') == at;
}

static void
read_account(Ctx *c, const char *id)
{
    warn_unknown_keys(c, account_keys);
    Account *a = g_new0(Account, 1);
    a->id = g_strdup(id);
    if (*g_strstrip(a->id) == '\0')
        report(c, CONF_ERROR, NULL, g_strdup(_("an account needs a name: [account NAME]")));

    a->real_name = get_string(c, "name", NULL);
    a->address = get_string(c, "address", NULL);
    if (!a->address)
        report(c, CONF_ERROR, "address", g_strdup(_("missing: the account's e-mail address")));
    else if (!conf_address_ok(a->address))
        report(c, CONF_ERROR, "address",
               g_strdup_printf(_("\"%s\" is not an e-mail address (write only the "
                                 "address, like name@example.org; the name goes in "
                                 "name =)"), a->address));
    a->is_default = get_bool(c, "default", FALSE);

    gboolean has_pop = g_key_file_has_key(c->cfg->keyfile, c->group, "pop3_host", NULL);
    gboolean has_smtp = g_key_file_has_key(c->cfg->keyfile, c->group, "smtp_host", NULL);
    if (!has_pop && !has_smtp)
        report(c, CONF_ERROR, NULL,
               g_strdup(_("missing host: set pop3_host, smtp_host or both")));
    read_server(c, &a->pop3, "pop3_", SECURITY_TLS, 995, 110, pop3_auth_names, FALSE);
    read_server(c, &a->smtp, "smtp_", SECURITY_STARTTLS, 465, 587, smtp_auth_names, FALSE);
    if (!a->pop3.user)
        a->pop3.user = g_strdup(a->address);
    if (!a->smtp.user)
        a->smtp.user = g_strdup(a->pop3.user);

    /* Where a password is, not the password (see conf_server_secret). */
    a->conf_path = g_strdup(c->cfg->path);
    a->conf_group = g_strdup(c->group);
    gboolean pop_pw = g_key_file_has_key(c->cfg->keyfile, c->group, "password", NULL);
    gboolean smtp_pw = g_key_file_has_key(c->cfg->keyfile, c->group, "smtp_password", NULL);
    a->pop3.password = pop_pw;
    a->pop3.password_key = pop_pw ? g_strdup("password") : NULL;
    a->smtp.password = smtp_pw || pop_pw;
    a->smtp.password_key = smtp_pw ? g_strdup("smtp_password")
                         : pop_pw ? g_strdup("password") : NULL;
    a->pop3.password_command = get_string(c, "password_command", NULL);
    a->smtp.password_command = get_string(c, "smtp_password_command",
                                          a->pop3.password_command);
    a->pop3.ca_file = get_string(c, "ca_file", NULL);
    if (a->pop3.ca_file) {
        char *expanded = paths_expand_home(a->pop3.ca_file);
        g_free(a->pop3.ca_file);
        a->pop3.ca_file = expanded;
        if (!g_file_test(expanded, G_FILE_TEST_IS_REGULAR))
            report(c, CONF_ERROR, "ca_file",
                   g_strdup_printf(_("%s does not exist or is not a file"), expanded));
    }
    g_autofree char *smtp_ca = get_string(c, "smtp_ca_file", NULL);
    a->smtp.ca_file = smtp_ca ? paths_expand_home(smtp_ca) : g_strdup(a->pop3.ca_file);
    a->pop3.tls_fingerprint = get_fingerprint(c, "tls_fingerprint");
    a->smtp.tls_fingerprint = get_fingerprint(c, "smtp_tls_fingerprint");
    if (!a->smtp.tls_fingerprint && a->pop3.tls_fingerprint && a->smtp.host &&
        a->pop3.host && !g_ascii_strcasecmp(a->smtp.host, a->pop3.host))
        a->smtp.tls_fingerprint = g_strdup(a->pop3.tls_fingerprint);

    a->oauth_token_command = get_string(c, "oauth_token_command", NULL);
    a->allow_plaintext_password = get_bool(c, "allow_plaintext_password", FALSE);
    a->timeout = get_int(c, "timeout", 60, 1, 3600);
    read_oauth(c, &a->oauth);
    for (int i = 0; i < 2; i++) {
        const char *auth = i == 0 ? a->pop3.auth : a->smtp.auth;
        if (!a->oauth_token_command &&
            (!g_strcmp0(auth, "xoauth2") || !g_strcmp0(auth, "oauthbearer")))
            report(c, CONF_ERROR, i == 0 ? "pop3_auth" : "smtp_auth",
                   g_strdup_printf(_("%s needs oauth_token_command (for example "
                                     "\"postie oauth token %s\")"), auth, a->id));
    }

    /* A password in a file others can read is a password others know. */
    const char *pw_key = pop_pw ? "password" : smtp_pw ? "smtp_password" : NULL;
    if (pw_key && !file_is_private(c->cfg->path))
        report(c, CONF_ERROR, pw_key,
               g_strdup_printf(_("refusing a password in a file that others can read; "
                                 "run 'chmod 600 %s', or use password_command instead"),
                               c->cfg->path));

    gboolean has_secret = a->pop3.password || a->pop3.password_command ||
                          a->oauth_token_command;
    if (has_secret && !a->allow_plaintext_password &&
        ((has_pop && a->pop3.security == SECURITY_NONE) ||
         (has_smtp && a->smtp.security == SECURITY_NONE &&
          g_strcmp0(a->smtp.auth, "none") != 0)))
        report(c, CONF_WARNING, has_pop && a->pop3.security == SECURITY_NONE
                                    ? "pop3_security" : "smtp_security",
               g_strdup(_("security is none, so no password will be sent; set "
                          "allow_plaintext_password = true to send it unencrypted")));

    a->fetch = get_bool(c, "fetch", has_pop);
    a->inbox = get_string(c, "inbox", "Inbox");
    a->leave_on_server = get_bool(c, "leave_on_server", TRUE);
    a->delete_after_days = get_int(c, "delete_after_days", 0, 0, 100000);
    a->delete_when_deleted = get_bool(c, "delete_when_deleted", FALSE);
    a->headers_only = get_bool(c, "headers_only", FALSE);
    a->size_limit = get_size(c, "size_limit");

    g_autofree char *enc = get_string(c, "attachment_encoding", "mime");
    if (!g_ascii_strcasecmp(enc, "mime"))
        a->attachment_encoding = ATTACH_ENCODING_MIME;
    else if (!g_ascii_strcasecmp(enc, "uuencode"))
        a->attachment_encoding = ATTACH_ENCODING_UUENCODE;
    else
        report(c, CONF_ERROR, "attachment_encoding",
               g_strdup_printf(_("\"%s\" is not one of mime, uuencode"), enc));
    g_autofree char *sig = get_string(c, "signature", NULL);
    a->signature_file = sig ? paths_expand_home(sig) : NULL;
    a->sent_folder = get_string(c, "sent_folder", "Sent");
    a->crypt_sign = get_bool(c, "crypt_sign", FALSE);
    a->crypt_encrypt_if_possible = get_bool(c, "crypt_encrypt_if_possible", FALSE);
    a->pgp_key = get_string(c, "pgp_key", NULL);
    a->smime_key = get_string(c, "smime_key", NULL);

    for (guint i = 0; i < c->cfg->accounts->len; i++)
        if (!strcmp(((Account *)c->cfg->accounts->pdata[i])->id, a->id))
            report(c, CONF_ERROR, NULL,
                   g_strdup_printf(_("account \"%s\" is defined twice"), a->id));
    g_ptr_array_add(c->cfg->accounts, a);
}

static void
filter_free(gpointer data)
{
    Filter *f = data;
    g_free(f->id);
    g_free(f->account);
    g_free(f->header);
    g_free(f->pattern);
    if (f->regex)
        g_regex_unref(f->regex);
    g_free(f->folder);
    g_free(f);
}

static gboolean
valid_folder_name(const char *name)
{
    return *name && *name != '.' && !strchr(name, '/') && !strstr(name, "..");
}

static void
read_filter(Ctx *c, const char *id)
{
    warn_unknown_keys(c, filter_keys);
    Filter *f = g_new0(Filter, 1);
    f->id = g_strdup(id);
    f->account = get_string(c, "account", NULL);
    f->header = get_string(c, "header", NULL);
    f->folder = get_string(c, "folder", NULL);
    if (!f->header)
        report(c, CONF_ERROR, "header",
               g_strdup(_("missing: which header to look at (From, To, List-Id, ...)")));
    if (!f->folder)
        report(c, CONF_ERROR, "folder", g_strdup(_("missing: where matching mail goes")));
    else if (!valid_folder_name(f->folder))
        report(c, CONF_ERROR, "folder",
               g_strdup_printf(_("\"%s\" is not a folder name (no '/', no leading '.')"),
                               f->folder));

    char *contains = get_string(c, "contains", NULL);
    char *matches = get_string(c, "matches", NULL);
    if (contains && matches) {
        report(c, CONF_ERROR, "matches", g_strdup(_("use either contains or matches, not both")));
        g_free(matches);
        matches = NULL;
    }
    if (contains) {
        f->kind = FILTER_CONTAINS;
        f->pattern = contains;
    } else if (matches) {
        g_autoptr(GError) e = NULL;
        f->kind = FILTER_MATCHES;
        f->pattern = matches;
        f->regex = g_regex_new(matches, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &e);
        if (!f->regex)
            report(c, CONF_ERROR, "matches",
                   g_strdup_printf(_("bad regular expression: %s"), e->message));
    } else {
        report(c, CONF_ERROR, NULL,
               g_strdup(_("a filter needs contains = TEXT or matches = REGEX")));
    }
    g_ptr_array_add(c->cfg->filters, f);
}

static void
read_table(Ctx *c, GHashTable *into)
{
    g_auto(GStrv) keys = g_key_file_get_keys(c->cfg->keyfile, c->group, NULL, NULL);
    for (int i = 0; keys && keys[i]; i++)
        g_hash_table_replace(into, g_strdup(keys[i]), get_string(c, keys[i], ""));
}

/* ---- public ------------------------------------------------------------ */

PostieConfig *
conf_new_default(void)
{
    PostieConfig *cfg = g_new0(PostieConfig, 1);
    cfg->path = paths_default_config_file();
    cfg->mail_dir = paths_default_mail_dir();
    cfg->download_dir = g_strdup(g_get_home_dir());
    cfg->check_interval = 10;
    cfg->sort = g_strdup("date");
    cfg->threads = FALSE;
    cfg->preview = g_strdup("below");
    cfg->new_mail = g_strdup("mark");
    cfg->preview_size = 50;
    cfg->folder_list = TRUE;
    cfg->color = TRUE;
    cfg->confirm_delete = FALSE;
    cfg->lock_timeout = 30;
    cfg->trash = g_strdup("Trash");
    cfg->purge = g_strdup("ask-yes");
    cfg->accounts = g_ptr_array_new_with_free_func(account_free);
    cfg->filters = g_ptr_array_new_with_free_func(filter_free);
    cfg->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    cfg->colors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return cfg;
}

void
conf_free(PostieConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->path);
    g_free(cfg->mail_dir);
    g_free(cfg->editor);
    g_free(cfg->html_converter);
    g_free(cfg->download_dir);
    g_free(cfg->sort);
    g_free(cfg->preview);
    g_free(cfg->trash);
    g_free(cfg->purge);
    g_free(cfg->new_mail);
    g_ptr_array_unref(cfg->accounts);
    g_ptr_array_unref(cfg->filters);
    g_hash_table_unref(cfg->keys);
    g_hash_table_unref(cfg->colors);
    if (cfg->keyfile)
        g_key_file_free(cfg->keyfile);
    if (cfg->lines)
        g_hash_table_unref(cfg->lines);
    g_free(cfg);
}

/* Read on demand by conf_server_secret(): the parsed config keeps no
 * password (GKeyFile cannot wipe what it frees; that copy at least does not
 * stay for the life of the process). */
static void
forget_passwords(GKeyFile *kf)
{
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
    for (int i = 0; groups[i]; i++) {
        g_key_file_remove_key(kf, groups[i], "password", NULL);
        g_key_file_remove_key(kf, groups[i], "smtp_password", NULL);
    }
}

static PostieConfig *parse_text(PostieConfig *cfg, const char *text, gsize len,
                                GPtrArray **problems_out, GError **error);

PostieConfig *
conf_load(const char *path, GPtrArray **problems_out, GError **error)
{
    g_autoptr(PostieConfig) cfg = conf_new_default();
    if (path) {
        g_free(cfg->path);
        cfg->path = g_strdup(path);
    }
    char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    if (!g_file_get_contents(cfg->path, &text, &len, &e)) {
        int code = g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                       ? POSTIE_ERROR_NOT_FOUND : POSTIE_ERROR_CONFIG;
        g_set_error(error, POSTIE_ERROR, code, _("cannot read configuration: %s"),
                    e->message);
        return NULL;
    }
    PostieConfig *loaded = parse_text(g_steal_pointer(&cfg), text, len, problems_out, error);
    /* The text may hold passwords. */
    explicit_bzero(text, len);
    g_free(text);
    return loaded;
}

/* conf_load() for the file's TEXT; CFG is taken. */
static PostieConfig *
parse_text(PostieConfig *cfg_in, const char *text, gsize len,
           GPtrArray **problems_out, GError **error)
{
    g_autoptr(PostieConfig) cfg = cfg_in;
    g_autoptr(GError) e = NULL;
    if (memchr(text, '\0', len) || !g_utf8_validate(text, (gssize)len, NULL)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("%s: not a UTF-8 text file"), cfg->path);
        return NULL;
    }

    GPtrArray *problems = g_ptr_array_new_with_free_func(conf_problem_free);
    cfg->lines = conf_scan_lines(cfg->path, text, problems, error);
    if (!cfg->lines) {
        g_ptr_array_unref(problems);
        return NULL;
    }
    cfg->keyfile = g_key_file_new();
    if (!g_key_file_load_from_data(cfg->keyfile, text, len, G_KEY_FILE_NONE, &e)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG, "%s: %s", cfg->path,
                    e->message);
        g_ptr_array_unref(problems);
        return NULL;
    }

    /* [general] first: other groups' defaults may depend on it. */
    Ctx c = { cfg, problems, "general" };
    if (g_key_file_has_group(cfg->keyfile, "general"))
        read_general(&c);

    g_auto(GStrv) groups = g_key_file_get_groups(cfg->keyfile, NULL);
    for (int i = 0; groups[i]; i++) {
        const char *g = groups[i];
        c.group = g;
        if (!strcmp(g, "general"))
            continue;
        else if (g_str_has_prefix(g, "account "))
            read_account(&c, g + strlen("account "));
        else if (g_str_has_prefix(g, "filter "))
            read_filter(&c, g + strlen("filter "));
        else if (!strcmp(g, "keys"))
            read_table(&c, cfg->keys);
        else if (!strcmp(g, "colors"))
            read_table(&c, cfg->colors);
        else
            report(&c, CONF_WARNING, NULL,
                   g_strdup_printf(_("unknown group [%s]; expected [general], "
                                     "[account NAME], [filter NAME], [keys] or [colors]"), g));
    }

    /* A filter for an account that does not exist never matches: say so. */
    for (guint i = 0; i < cfg->filters->len; i++) {
        Filter *f = cfg->filters->pdata[i];
        if (f->account && !conf_find_account(cfg, f->account)) {
            g_autofree char *group = g_strdup_printf("filter %s", f->id);
            c.group = group;
            report(&c, CONF_ERROR, "account",
                   g_strdup_printf(_("no account named \"%s\""), f->account));
        }
    }

    forget_passwords(cfg->keyfile);
    if (problems_out)
        *problems_out = problems;
    else
        g_ptr_array_unref(problems);
    return g_steal_pointer(&cfg);
}

int
conf_line_of(const PostieConfig *cfg, const char *group, const char *key)
{
    return conf_lookup_line(cfg->lines, group, key);
}

Account *
conf_find_account(PostieConfig *cfg, const char *id)
{
    for (guint i = 0; i < cfg->accounts->len; i++) {
        Account *a = cfg->accounts->pdata[i];
        if (!strcmp(a->id, id))
            return a;
    }
    return NULL;
}

Account *
conf_default_account(PostieConfig *cfg)
{
    for (guint i = 0; i < cfg->accounts->len; i++) {
        Account *a = cfg->accounts->pdata[i];
        if (a->is_default)
            return a;
    }
    return cfg->accounts->len ? cfg->accounts->pdata[0] : NULL;
}

Account *
conf_account_for_address(PostieConfig *cfg, const char *addr)
{
    for (guint i = 0; addr && i < cfg->accounts->len; i++) {
        Account *a = cfg->accounts->pdata[i];
        if (a->address && !g_ascii_strcasecmp(a->address, addr))
            return a;
    }
    return NULL;
}
