/* First run: no configuration file yet.  A form asks for the account
 * (name, address, POP3 server, port, security, user, password or password
 * command, leave-on-server and delete-after-days, SMTP server, port,
 * security), writes the configuration (conf_write_new: mode 0600,
 * atomically), offers OAuth for providers that take no passwords
 * (oauth/setup.c does the work), and offers to test the POP3 and SMTP
 * logins (fetch_check_account, send_test_account).  After the address,
 * the provider's settings (config/autoconfig.c) are offered; a provider
 * that takes only OAuth 2 is set up through its preset, or, without one,
 * named as such with what to do.  A login test that meets an untrusted
 * certificate hands back its fingerprint: the form offers to pin it or to
 * trust a CA file, which conf_write_new() then writes. */
#include <config.h>

#include <string.h>

#include "config/autoconfig.h"
#include "fetch/fetch.h"
#include "net/net.h"
#include "oauth/oauth.h"
#include "send/send.h"
#include "ui/private.h"

typedef enum {
    F_NAME, F_ADDRESS, F_POP3_HOST, F_POP3_PORT, F_POP3_SECURITY, F_USER,
    F_PASSWORD, F_PASSWORD_COMMAND, F_LEAVE, F_DELETE_DAYS, F_SMTP_HOST,
    F_SMTP_PORT, F_SMTP_SECURITY, F_COUNT
} Field;

static const char *const labels[F_COUNT] = {
    N_("Your name"), N_("E-mail address"), N_("POP3 server"), N_("POP3 port"),
    N_("POP3 security (tls, starttls, none)"), N_("User name"),
    N_("Password (or leave empty)"), N_("Password command (instead)"),
    N_("Leave mail on the server (yes, no)"),
    N_("Delete from the server after days (0: never)"),
    N_("SMTP server"), N_("SMTP port"), N_("SMTP security (starttls, tls, none)"),
};

typedef struct {
    char *v[F_COUNT];
    /* Chosen after a login test met an untrusted certificate: [0] POP3,
     * [1] SMTP. */
    char *ca_file[2];
    char *fingerprint[2];
    /* Answered by hand: no longer derived from the address (hosts, user)
     * or from the security (ports). */
    gboolean edited[F_COUNT];
} Answers;

static gboolean
is_yes(const char *s)
{
    return s && (!g_ascii_strcasecmp(s, "yes") || !g_ascii_strcasecmp(s, "y") ||
                 !g_ascii_strcasecmp(s, "true") || !strcmp(s, "1"));
}

/* The provider settings the user accepted (autoconfig), or NULL, and
 * the lines about them under the form (where they came from, the
 * provider's note and page). */
static Autoconfig *provider;
static char *provider_lines[4];
/* Whether the provider found logs in only with OAuth 2, and the OAuth
 * preset that applies to it (NULL: postie has none for it). */
static gboolean provider_oauth_only;
static const OAuthPreset *provider_oauth;

/* The port of PROVIDER's server when its security is the one chosen. */
static char *
provider_port(const AutoconfigServer *srv, const char *security)
{
    if (!provider || g_strcmp0(security, security_name(srv->security)))
        return NULL;
    return g_strdup_printf("%u", srv->port);
}

/* The value field F takes from earlier answers while not edited by
 * hand; NULL when nothing follows. */
static char *
derived_value(const Answers *a, Field f)
{
    if (provider) {
        char *p = NULL;
        switch (f) {
        case F_POP3_HOST: p = g_strdup(provider->pop3.host); break;
        case F_POP3_SECURITY: p = g_strdup(security_name(provider->pop3.security)); break;
        case F_POP3_PORT: p = provider_port(&provider->pop3, a->v[F_POP3_SECURITY]); break;
        case F_USER: p = g_strdup(provider->pop3.user); break;
        case F_SMTP_HOST: p = g_strdup(provider->smtp.host); break;
        case F_SMTP_SECURITY: p = g_strdup(security_name(provider->smtp.security)); break;
        case F_SMTP_PORT: p = provider_port(&provider->smtp, a->v[F_SMTP_SECURITY]); break;
        default: break;
        }
        if (p)
            return p;
    }
    const char *addr = a->v[F_ADDRESS];
    const char *domain = addr && strchr(addr, '@') ? strchr(addr, '@') + 1 : NULL;
    char *d = NULL;
    switch (f) {
    case F_POP3_HOST:
        d = domain ? g_strdup_printf("pop.%s", domain) : NULL;
        break;
    case F_POP3_SECURITY: d = g_strdup("tls"); break;
    case F_POP3_PORT:
        d = g_strdup(!g_strcmp0(a->v[F_POP3_SECURITY], "tls") ? "995" : "110");
        break;
    case F_USER: d = g_strdup(addr); break;
    case F_LEAVE: d = g_strdup("yes"); break;
    case F_DELETE_DAYS: d = g_strdup("0"); break;
    case F_SMTP_HOST:
        d = domain ? g_strdup_printf("smtp.%s", domain) : NULL;
        break;
    case F_SMTP_SECURITY: d = g_strdup("starttls"); break;
    case F_SMTP_PORT:
        d = g_strdup(!g_strcmp0(a->v[F_SMTP_SECURITY], "tls") ? "465" : "587");
        break;
    default: break;
    }
    return d;
}

/* Fields not edited by hand follow the answers they derive from (a new
 * address moves the hosts and the user, a new security the port). */
static const Field ask_order[F_COUNT];

static void
derive_all(Answers *a)
{
    /* In the order asked: a port follows the security before it. */
    for (int i = 0; i < F_COUNT; i++) {
        Field f = ask_order[i];
        if (a->edited[f] && a->v[f] && *a->v[f])
            continue;
        char *d = derived_value(a, (Field)f);
        if (d) {
            g_free(a->v[f]);
            a->v[f] = d;
        }
    }
}

/* Store answer V for F: edited by hand unless it is what would be
 * derived anyway (or empty: derive again).  A new security lets the
 * port follow it again. */
static void
set_answer(Answers *a, Field f, char *v)
{
    g_autofree char *d = derived_value(a, f);
    gboolean changed = g_strcmp0(a->v[f], v) != 0;
    g_free(a->v[f]);
    a->v[f] = v;
    a->edited[f] = *v && g_strcmp0(v, d) != 0;
    if (changed && f == F_POP3_SECURITY)
        a->edited[F_POP3_PORT] = FALSE;
    if (changed && f == F_SMTP_SECURITY)
        a->edited[F_SMTP_PORT] = FALSE;
    derive_all(a);
}

/* The port default depends on security: asked in that order. */
static const Field ask_order[F_COUNT] = {
    F_NAME, F_ADDRESS, F_POP3_HOST, F_POP3_SECURITY, F_POP3_PORT, F_USER,
    F_PASSWORD, F_PASSWORD_COMMAND, F_LEAVE, F_DELETE_DAYS, F_SMTP_HOST,
    F_SMTP_SECURITY, F_SMTP_PORT,
};

/* A problem with answer F, or NULL. */
static char *
check_field(const Answers *a, Field f)
{
    const char *v = a->v[f];
    gint64 n;
    Security s;
    switch (f) {
    case F_ADDRESS:
        if (!v || !conf_address_ok(v))
            return g_strdup(_("an e-mail address looks like name@example.org"));
        break;
    case F_POP3_HOST: case F_SMTP_HOST:
        if (!v || !*v || strchr(v, ' '))
            return g_strdup(_("a host name is needed"));
        break;
    case F_POP3_PORT: case F_SMTP_PORT:
        if (!v || !g_ascii_string_to_signed(v, 10, 1, 65535, &n, NULL))
            return g_strdup(_("a port is a number from 1 to 65535"));
        break;
    case F_POP3_SECURITY: case F_SMTP_SECURITY:
        if (!v || !security_from_string(v, &s))
            return g_strdup(_("one of tls, starttls, none"));
        break;
    case F_LEAVE:
        if (!v || !(is_yes(v) || !g_ascii_strcasecmp(v, "no") || !g_ascii_strcasecmp(v, "n")))
            return g_strdup(_("yes or no"));
        break;
    case F_DELETE_DAYS:
        if (!v || !g_ascii_string_to_signed(v, 10, 0, 36500, &n, NULL))
            return g_strdup(_("a number of days (0: never)"));
        break;
    default:
        break;
    }
    return NULL;
}

static const char *form_status;  /* the status line of the form, or NULL */
static char *form_error;         /* why the last answer was rejected */
static const char *form_note;    /* a hint above the prompt, or NULL */
/* The outcome of the login tests, one line per server, under the form. */
static char *test_result[2];
static gboolean test_failed[2];

static void
draw_form(Ui *ui, const Answers *a, const char *path, int current)
{
    erase();
    attrset(colors_attr(COL_HINT));
    draw_text(0, 0, _("Welcome to postie: set up your mail account"), COLS, TRUE);
    attrset(A_NORMAL);
    g_autofree char *where = g_strdup_printf(_("The settings go to %s (readable only by you)."),
                                             path);
    draw_untrusted(1, 0, where, COLS, TRUE);
    for (int i = 0; i < F_COUNT && i + 3 < LINES - 2; i++) {
        const char *v = a->v[i] ? a->v[i] : "";
        g_autofree char *shown = (i == F_PASSWORD && *v) ? g_strdup("********") : g_strdup(v);
        g_autofree char *line = g_strdup_printf("%2d %-46s %s", i + 1, _(labels[i]), shown);
        attrset(i == current ? colors_attr(COL_INDICATOR) : A_NORMAL);
        draw_untrusted(i + 3, 0, line, COLS, TRUE);
    }
    for (int k = 0; k < 2; k++) {
        if (!test_result[k] || F_COUNT + 4 + k >= LINES - 2)
            continue;
        attrset(test_failed[k] ? colors_attr(COL_ERROR) : A_NORMAL);
        draw_untrusted(F_COUNT + 4 + k, 0, test_result[k], COLS, TRUE);
    }
    /* Below the test results when there are any, else in their place,
     * so that all four lines fit 24 rows. */
    int top = F_COUNT + (test_result[0] || test_result[1] ? 6 : 4);
    for (int k = 0; k < 4; k++) {
        if (!provider_lines[k] || top + k >= LINES - 2)
            continue;
        attrset(k == 0 && top == F_COUNT + 4 ? colors_attr(COL_HEADER) : A_NORMAL);
        draw_untrusted(top + k, 0, provider_lines[k], COLS, TRUE);
    }
    if (form_error || form_note) {
        /* Above the prompt, which keeps the rejected text for editing. */
        attrset(colors_attr(form_error ? COL_ERROR : COL_HINT));
        draw_untrusted(LINES - 2, 0, form_error ? form_error : form_note, COLS, TRUE);
        attrset(A_NORMAL);
        message_draw(ui);
        refresh();
        return;
    }
    attrset(colors_attr(COL_STATUS));
    draw_text(LINES - 2, 0,
              form_status ? form_status
                          : _("-- setup: w: write the configuration  1-13: change an answer  q: quit --"),
              COLS, TRUE);
    attrset(A_NORMAL);
    message_draw(ui);
    refresh();
}

/* Where Thunderbird looks first: the provider's own file over HTTPS at
 * autoconfig.DOMAIN, then at DOMAIN's well-known place; then the
 * built-in entries.  *TRIED gets the last download error, if any. */
static Autoconfig *
find_provider(const char *address, char **tried)
{
    const char *at = strrchr(address, '@');
    g_autofree char *domain = g_ascii_strdown(at ? at + 1 : "", -1);
    g_autofree char *q = g_uri_escape_string(address, NULL, FALSE);
    g_autofree char *url1 = g_strdup_printf("https://autoconfig.%s/mail/config-v1.1.xml"
                                            "?emailaddress=%s", domain, q);
    g_autofree char *url2 = g_strdup_printf("https://%s/.well-known/autoconfig/mail/"
                                            "config-v1.1.xml", domain);
    const char *urls[] = { url1, url2 };
    for (gsize i = 0; i < G_N_ELEMENTS(urls); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) body = net_https_get(urls[i], 64 * 1024, 10, &error);
        Autoconfig *ac = NULL;
        if (body) {
            gsize len;
            const char *xml = g_bytes_get_data(body, &len);
            ac = autoconfig_parse(xml, len, address, urls[i], &error);
        }
        if (ac)
            return ac;
        g_free(*tried);
        *tried = g_strdup(error->message);
    }
    return autoconfig_builtin(address);
}

/* The OAuth preset for AC: the one its built-in entry names, the one of
 * the issuer its file names (never endpoints from the file), or the one
 * of its servers' provider. */
static const OAuthPreset *
preset_of(const Autoconfig *ac, const char *address)
{
    if (ac->oauth_preset)
        return oauth_preset_find(ac->oauth_preset);
    const OAuthPreset *p = oauth_preset_for_issuer(ac->oauth_issuer);
    if (!p)
        p = oauth_setup_needed(address, ac->has_pop3 ? ac->pop3.host : NULL,
                               ac->has_smtp ? ac->smtp.host : NULL);
    return p;
}

/* What a user of a provider that takes only OAuth 2, with no preset in
 * postie, must do instead of typing a password. */
static char *
no_preset_help(const char *address)
{
    g_autofree char *id = conf_new_account_id(address);
    return g_strdup_printf(_("See postie-oauth(1) to set them, then: postie oauth login %s"),
                           id);
}

static void
clear_provider(void)
{
    provider_oauth_only = FALSE;
    provider_oauth = NULL;
    g_clear_pointer(&provider, autoconfig_free);
    for (int k = 0; k < 4; k++)
        g_clear_pointer(&provider_lines[k], g_free);
}

/* After a new address: look up the provider's settings, show them and
 * use them when the user says so.  Hosts, ports, security and the user
 * then follow them unless edited by hand. */
static void
offer_provider(Ui *ui, Answers *a, const char *path)
{
    clear_provider();
    derive_all(a);   /* the usual names until settings are taken */
    const char *address = a->v[F_ADDRESS];
    const char *at = address ? strrchr(address, '@') : NULL;
    if (!at)
        return;
    ui_message(ui, _("Looking for the settings of %s..."), at + 1);
    draw_form(ui, a, path, F_ADDRESS);
    g_autofree char *tried = NULL;
    Autoconfig *ac = find_provider(address, &tried);
    if (!ac) {
        ui_message(ui, _("No settings published for %s; the usual names are filled in."),
                   at + 1);
        return;
    }
    const char *name = ac->display_name ? ac->display_name : at + 1;
    provider_lines[0] = g_strdup_printf(_("Settings for %s from %s:"), name, ac->source);
    if (ac->has_pop3 && ac->has_smtp)
        provider_lines[1] = g_strdup_printf(_("POP3 %s port %u %s, SMTP %s port %u %s, user %s"),
                                            ac->pop3.host, ac->pop3.port,
                                            security_name(ac->pop3.security), ac->smtp.host,
                                            ac->smtp.port, security_name(ac->smtp.security),
                                            ac->pop3.user);
    else
        provider_lines[1] = g_strdup_printf(_("%s offers no POP3 server: postie cannot fetch "
                                              "from it."), name);
    gboolean oauth_only = (ac->has_pop3 && ac->pop3.auth == AUTOCONFIG_AUTH_OAUTH2) ||
                          (ac->has_smtp && ac->smtp.auth == AUTOCONFIG_AUTH_OAUTH2);
    const OAuthPreset *preset = preset_of(ac, address);
    if (oauth_only && !preset) {
        /* Never a password prompt that cannot work without saying so. */
        provider_lines[2] = g_strdup_printf(_("%s requires OAuth 2; postie has no OAuth "
                                              "settings for it."), name);
        provider_lines[3] = no_preset_help(address);
    } else {
        if (oauth_only && !ac->doc_text)
            provider_lines[2] = g_strdup_printf(_("%s requires OAuth 2: postie sets up the "
                                                  "login (%s) once the form is written."),
                                                name, _(preset->description));
        else
            provider_lines[2] = g_strdup(ac->doc_text);
        if (ac->doc_url)
            provider_lines[3] = g_strdup_printf(_("See %s"), ac->doc_url);
    }
    g_clear_pointer(&ui->message, g_free);
    draw_form(ui, a, path, F_ADDRESS);
    if (!ac->has_pop3 || !ac->has_smtp) {
        autoconfig_free(ac);       /* the lines say why; nothing to use */
        return;
    }
    if (!prompt_yesno(ui, _("Use these settings?"), TRUE)) {
        autoconfig_free(ac);
        clear_provider();
        return;
    }
    provider = ac;
    provider_oauth_only = oauth_only;
    provider_oauth = preset;
    static const Field follow[] = { F_POP3_HOST, F_POP3_SECURITY, F_POP3_PORT, F_USER,
                                    F_SMTP_HOST, F_SMTP_SECURITY, F_SMTP_PORT };
    for (gsize i = 0; i < G_N_ELEMENTS(follow); i++)
        a->edited[follow[i]] = FALSE;
    derive_all(a);
}

/* Ask for F until the answer passes; a rejected answer stays in the
 * prompt for editing with the reason above it.  Esc asks before the
 * answers are thrown away: FALSE only when the user wants to quit. */
static gboolean
ask_answer(Ui *ui, Answers *a, Field f, const char *path)
{
    g_autofree char *text = g_strdup(f == F_PASSWORD ? "" : a->v[f]);
    for (;;) {
        draw_form(ui, a, path, f);
        g_autofree char *q = g_strdup_printf("%s: ", _(labels[f]));
        char *v = prompt_line_full(ui, q, text, NULL, NULL, f == F_PASSWORD);
        if (!v && ui_closing())
            return FALSE;   /* the terminal went away: nothing is written */
        if (!v) {
            g_clear_pointer(&form_error, g_free);
            draw_form(ui, a, path, f);
            if (prompt_yesno(ui, _("Quit the setup without writing the configuration?"),
                             FALSE))
                return FALSE;
            continue;
        }
        g_strstrip(v);
        g_free(text);
        text = g_strdup(v);
        Answers trial = *a;
        trial.v[f] = v;
        g_autofree char *problem = check_field(&trial, f);
        if (!problem) {
            g_clear_pointer(&form_error, g_free);
            g_clear_pointer(&ui->message, g_free);
            gboolean new_address = f == F_ADDRESS && g_strcmp0(a->v[f], v) != 0;
            set_answer(a, f, v);
            if (new_address)
                offer_provider(ui, a, path);
            return TRUE;
        }
        g_free(v);
        g_free(form_error);
        form_error = g_strdup_printf(_("%s: \"%s\" was not taken: %s"), _(labels[f]),
                                     f == F_PASSWORD ? "***" : text, problem);
    }
}

/* ask_answer(), with a hint at the password of a provider that takes
 * only OAuth 2: a password is not the way there. */
static gboolean
ask(Ui *ui, Answers *a, Field f, const char *path)
{
    if ((f == F_PASSWORD || f == F_PASSWORD_COMMAND) && provider_oauth_only)
        form_note = provider_oauth
                    ? _("OAuth 2 only: leave this empty; the OAuth login is set up "
                        "after writing.")
                    : _("A password will not work here (OAuth 2 only): see "
                        "postie-oauth(1).");
    gboolean ok = ask_answer(ui, a, f, path);
    form_note = NULL;
    return ok;
}

static gboolean
write_config(const Answers *a, const char *path, GError **error)
{
    ConfNewAccount n = {
        .name = a->v[F_NAME],
        .address = a->v[F_ADDRESS],
        .pop3_host = a->v[F_POP3_HOST],
        .pop3_port = a->v[F_POP3_PORT],
        .pop3_security = a->v[F_POP3_SECURITY],
        .user = a->v[F_USER],
        .password = a->v[F_PASSWORD],
        .password_command = a->v[F_PASSWORD_COMMAND],
        .leave_on_server = is_yes(a->v[F_LEAVE]),
        .delete_after_days = a->v[F_DELETE_DAYS],
        .smtp_host = a->v[F_SMTP_HOST],
        .smtp_port = a->v[F_SMTP_PORT],
        .smtp_security = a->v[F_SMTP_SECURITY],
        .pop3_ca_file = a->ca_file[0],
        .pop3_fingerprint = a->fingerprint[0],
        .smtp_ca_file = a->ca_file[1],
        .smtp_fingerprint = a->fingerprint[1],
    };
    return conf_write_new(path, &n, error);
}

/* The OAuth login's instructions (an address, a code), on the whole
 * screen so that a long address can be read and copied. */
static void
oauth_prompt(const char *message, gpointer data)
{
    (void)data;
    erase();
    attrset(colors_attr(COL_HINT));
    draw_text(0, 0, _("OAuth login: waiting for the provider (this can take a few minutes)"),
              COLS, TRUE);
    attrset(A_NORMAL);
    int row = 2;
    g_auto(GStrv) lines = g_strsplit(message, "\n", -1);
    for (int i = 0; lines[i] && row < LINES - 1; i++) {
        const char *p = lines[i];
        do {   /* wrap at the screen's width (addresses are long) */
            glong left = g_utf8_strlen(p, -1);
            const char *end = g_utf8_offset_to_pointer(p, MIN(left, (glong)MAX(COLS, 1)));
            g_autofree char *part = g_strndup(p, (gsize)(end - p));
            draw_untrusted(row++, 0, part, COLS, TRUE);
            p = end;
        } while (*p && row < LINES - 1);
    }
    refresh();
}

/* A provider that takes no passwords: offer OAuth for the account just
 * written, and the login now. */
static void
offer_oauth(Ui *ui, const Answers *a, const char *path)
{
    /* The preset of the provider found for the address, else the one
     * its servers' names point to. */
    const OAuthPreset *p = provider_oauth;
    if (!p)
        p = oauth_setup_needed(a->v[F_ADDRESS], a->v[F_POP3_HOST], a->v[F_SMTP_HOST]);
    if (!p)
        return;
    g_autofree char *q = g_strdup_printf(_("%s: log in with OAuth 2 instead of a password?"),
                                         _(p->description));
    if (!prompt_yesno(ui, q, TRUE))
        return;
    g_autofree char *client = prompt_line(ui, _("OAuth client id (see postie-oauth(1)): "),
                                          "", NULL, NULL);
    if (!client)
        return;
    g_strstrip(client);
    g_autofree char *id = conf_new_account_id(a->v[F_ADDRESS]);
    g_autoptr(GError) error = NULL;
    if (!oauth_setup_write(path, id, p, client, &error)) {
        ui_error(ui, "%s", error->message);
        return;
    }
    if (!*client) {
        ui_message(ui, _("Set oauth_client_id in %s, then run: postie oauth login %s"),
                   path, id);
        return;
    }
    if (!prompt_yesno(ui, _("Log in at the provider now?"), TRUE)) {
        ui_message(ui, _("To log in later run: postie oauth login %s"), id);
        return;
    }
    if (!oauth_setup_login(path, id, oauth_prompt, NULL, &error))
        ui_error(ui, "%s", error->message);
    else
        ui_message(ui, _("Logged in with OAuth 2."));
}

/* Log in to the POP3 server of A; the outcome for the message line.
 * *REFUSED_FP: the fingerprint of a refused certificate, else NULL. */
static char *
test_pop3(const Account *a, gboolean *ok, char **refused_fp)
{
    g_autoptr(GError) error = NULL;
    guint count = 0;
    *ok = fetch_check_account(a, &count, refused_fp, &error);
    if (!*ok)
        return g_strdup_printf(_("POP3 test failed: %s"), error->message);
    return g_strdup_printf(g_dngettext(PACKAGE, "POP3 login works (%u message on the server)",
                                       "POP3 login works (%u messages on the server)", count),
                           count);
}

/* Connect and log in to the SMTP server of A as delivery would. */
static char *
test_smtp(PostieConfig *cfg, const Account *a, gboolean *ok, char **refused_fp)
{
    g_autoptr(GError) error = NULL;
    *ok = send_test_account(cfg, a, refused_fp, &error);
    if (!*ok)
        return g_strdup_printf(_("SMTP test failed: %s"), error->message);
    return g_strdup(_("SMTP login works"));
}

/* The login test refused certificate FP (SMTP when IS_SMTP, else POP3;
 * the test's own connection fetched it): show the fingerprint and let
 * the user trust exactly it ([smtp_]tls_fingerprint) or name a CA file
 * ([smtp_]ca_file).  TRUE when the configuration was written again with
 * the choice. */
static gboolean
ask_about_certificate(Ui *ui, Answers *ans, const Account *a, gboolean is_smtp,
                      const char *fp, const char *path)
{
    const ServerConf *srv = is_smtp ? &a->smtp : &a->pop3;
    g_free(test_result[1]);
    test_result[1] = g_strdup_printf(is_smtp ? _("Certificate of the SMTP server %s, SHA-256 "
                                                 "fingerprint:")
                                             : _("Certificate of %s, SHA-256 fingerprint:"),
                                     srv->host);
    test_failed[1] = FALSE;
    /* 95 characters: two lines of 16 bytes each fit 80 columns. */
    clear_provider();
    provider_lines[0] = g_strndup(fp, 48);
    provider_lines[1] = g_strdup(strlen(fp) > 48 ? fp + 48 : "");
    draw_form(ui, ans, path, -1);
    int k = prompt_choice(ui, _("Not trusted: (t)rust this certificate (compare the "
                                "fingerprint with your provider's), give a (c)A file, or (n)o? "),
                          "tcn");
    if (k == 't') {
        g_free(ans->fingerprint[is_smtp]);
        ans->fingerprint[is_smtp] = g_strdup(fp);
    } else if (k == 'c') {
        g_autofree char *file = prompt_line(ui, _("CA file (Tab completes): "), NULL,
                                            complete_path, NULL);
        if (!file || !*g_strstrip(file))
            return FALSE;
        g_autofree char *full = paths_expand_home(file);
        if (!g_file_test(full, G_FILE_TEST_IS_REGULAR)) {
            ui_error(ui, _("%s is not a file."), full);
            return FALSE;
        }
        g_free(ans->ca_file[is_smtp]);
        ans->ca_file[is_smtp] = g_steal_pointer(&full);
    } else {
        return FALSE;
    }
    g_autoptr(GError) error = NULL;
    if (!write_config(ans, path, &error)) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    return TRUE;
}

/* Try both servers with the written configuration. */
static void
test_account(Ui *ui, Answers *ans, const char *path)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, &problems, &error);
    if (!cfg) {
        ui_error(ui, "%s", error->message);
        return;
    }
    Account *a = conf_default_account(cfg);
    if (!a) {
        ui_error(ui, _("The configuration has no account."));
        return;
    }
    clear_provider();   /* its lines, or an earlier fingerprint */
    ui_message(ui, _("Logging in to %s..."), a->pop3.host);
    message_draw(ui);
    refresh();
    gboolean pop3_ok, smtp_ok;
    g_autofree char *pop3_fp = NULL, *smtp_fp = NULL;
    g_free(test_result[0]);
    test_result[0] = test_pop3(a, &pop3_ok, &pop3_fp);
    test_failed[0] = !pop3_ok;
    if (pop3_fp && ask_about_certificate(ui, ans, a, FALSE, pop3_fp, path)) {
        test_account(ui, ans, path);   /* again, with the new trust */
        return;
    }
    ui_message(ui, _("Logging in to %s..."), a->smtp.host);
    message_draw(ui);
    refresh();
    g_free(test_result[1]);
    test_result[1] = test_smtp(cfg, a, &smtp_ok, &smtp_fp);
    test_failed[1] = !smtp_ok;
    if (smtp_fp && ask_about_certificate(ui, ans, a, TRUE, smtp_fp, path)) {
        test_account(ui, ans, path);
        return;
    }
    if (pop3_ok && smtp_ok)
        ui_message(ui, _("Both logins work."));
    else
        ui_error(ui, _("A login test failed (see above); the settings are in %s."),
                 path);
}

/* The form with its results until the user goes on to the mail. */
static void
wait_enter(Ui *ui, const Answers *a, const char *path)
{
    form_status = _("-- Press Enter to open your mail --");
    for (;;) {
        draw_form(ui, a, path, -1);
        int k = ui_getkey(ui);
        if (k == '\n' || k == '\r' || k == 'q' || k == (UI_KEY_FUNC | KEY_EXIT))
            break;
    }
    form_status = NULL;
}

char *
setup_run(const char *config_path)
{
    g_autofree char *path = config_path ? g_strdup(config_path) : paths_default_config_file();
    Ui ui = { 0 };
    ui.wake_fd[0] = ui.wake_fd[1] = -1;
    Answers a = { { 0 } };
    char *written = NULL;

    if (!terminal_start(NULL, NULL))
        return NULL;
    layout_compute(&ui.layout, LINES, COLS, FALSE, PREVIEW_OFF, 50);

    gboolean ok = TRUE;
    derive_all(&a);
    for (int i = 0; i < F_COUNT && ok; i++)
        ok = ask(&ui, &a, ask_order[i], path);
    while (ok) {
        layout_compute(&ui.layout, LINES, COLS, FALSE, PREVIEW_OFF, 50);
        draw_form(&ui, &a, path, -1);
        int key = ui_getkey(&ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        if (key == (UI_KEY_FUNC | KEY_EXIT))
            break;   /* the terminal went away: nothing is written */
        if (key == 'q' || key == 27) {
            if (prompt_yesno(&ui, _("Quit without writing the configuration?"), FALSE))
                break;
            continue;
        }
        if (key >= '1' && key <= '9') {
            int n = key - '0';
            if (n == 1) {
                /* 1 or 10-13: a second digit may follow */
                int k2 = prompt_choice(&ui, _("Answer number (1, 10-13, Enter for 1): "),
                                       "0123\n");
                if (k2 >= '0' && k2 <= '3')
                    n = 10 + (k2 - '0');
            }
            if (n >= 1 && n <= F_COUNT)
                ask(&ui, &a, (Field)(n - 1), path);
            continue;
        }
        if (key != 'w')
            continue;
        g_autofree char *problem = NULL;
        for (int f = 0; f < F_COUNT && !problem; f++)
            problem = check_field(&a, (Field)f);
        if (problem) {
            ui_error(&ui, "%s", problem);
            continue;
        }
        g_autoptr(GError) error = NULL;
        if (!write_config(&a, path, &error)) {
            ui_error(&ui, "%s", error->message);
            continue;
        }
        written = g_strdup(path);
        ui_message(&ui, _("Wrote %s."), path);
        if (provider_oauth_only && !provider_oauth) {
            /* No login can work yet: the lines under the form say what
             * to do (no test that can only fail). */
            ui_error(&ui, _("The account needs OAuth 2 settings before it can log in "
                            "(written to %s)."), path);
            wait_enter(&ui, &a, path);
            break;
        }
        offer_oauth(&ui, &a, path);
        if (prompt_yesno(&ui, _("Wrote the configuration. Test the POP3 and SMTP logins now?"), TRUE)) {
            test_account(&ui, &a, path);
            wait_enter(&ui, &a, path);
        }
        break;
    }
    endwin();
    for (int i = 0; i < F_COUNT; i++)
        g_free(a.v[i]);
    for (int k = 0; k < 2; k++) {
        g_free(a.ca_file[k]);
        g_free(a.fingerprint[k]);
    }
    for (int k = 0; k < 2; k++)
        g_clear_pointer(&test_result[k], g_free);
    g_clear_pointer(&form_error, g_free);
    clear_provider();
    g_free(ui.message);
    return written;
}
