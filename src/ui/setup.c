/* First run: no configuration file yet.  A form asks for the account
 * (name, address, POP3 server, port, security, user, password or password
 * command, leave-on-server and delete-after-days, SMTP server, port,
 * security), writes the configuration as GKeyFile text with mode 0600
 * (atomically), offers OAuth for providers that take no passwords
 * (oauth/setup.c does the work), and offers to test the POP3 and SMTP
 * logins. */
#include <config.h>

#include <string.h>

#include "oauth/oauth.h"
#include "pop3/pop3.h"
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
} Answers;

static gboolean
is_yes(const char *s)
{
    return s && (!g_ascii_strcasecmp(s, "yes") || !g_ascii_strcasecmp(s, "y") ||
                 !g_ascii_strcasecmp(s, "true") || !strcmp(s, "1"));
}

/* Defaults that follow from earlier answers. */
static void
fill_defaults(Answers *a, Field f)
{
    if (a->v[f] && *a->v[f])
        return;
    const char *addr = a->v[F_ADDRESS];
    const char *domain = addr && strchr(addr, '@') ? strchr(addr, '@') + 1 : NULL;
    char *d = NULL;
    /* Providers with OAuth presets know their own servers. */
    const OAuthPreset *preset = oauth_preset_for_host(domain);
    switch (f) {
    case F_POP3_HOST:
        d = preset ? g_strdup(preset->pop3_host)
                   : domain ? g_strdup_printf("pop.%s", domain) : NULL;
        break;
    case F_POP3_SECURITY: d = g_strdup("tls"); break;
    case F_POP3_PORT:
        d = g_strdup(!g_strcmp0(a->v[F_POP3_SECURITY], "tls") ? "995" : "110");
        break;
    case F_USER: d = g_strdup(addr); break;
    case F_LEAVE: d = g_strdup("yes"); break;
    case F_DELETE_DAYS: d = g_strdup("0"); break;
    case F_SMTP_HOST:
        d = preset ? g_strdup(preset->smtp_host)
                   : domain ? g_strdup_printf("smtp.%s", domain) : NULL;
        break;
    case F_SMTP_SECURITY: d = g_strdup("starttls"); break;
    case F_SMTP_PORT:
        d = g_strdup(!g_strcmp0(a->v[F_SMTP_SECURITY], "tls") ? "465" : "587");
        break;
    default: break;
    }
    if (d) {
        g_free(a->v[f]);
        a->v[f] = d;
    }
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
        if (!v || !strchr(v, '@') || strchr(v, ' '))
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
    attrset(colors_attr(COL_STATUS));
    draw_text(LINES - 2, 0,
              form_status ? form_status
                          : _("-- setup: w: write the configuration  1-13: change an answer  q: quit --"),
              COLS, TRUE);
    attrset(A_NORMAL);
    message_draw(ui);
    refresh();
}

static gboolean
ask(Ui *ui, Answers *a, Field f, const char *path)
{
    for (;;) {
        fill_defaults(a, f);
        draw_form(ui, a, path, f);
        g_autofree char *q = g_strdup_printf("%s: ", _(labels[f]));
        char *v = prompt_line_full(ui, q, f == F_PASSWORD ? "" : a->v[f], NULL, NULL,
                                   f == F_PASSWORD);
        if (!v)
            return FALSE;
        g_strstrip(v);
        g_free(a->v[f]);
        a->v[f] = v;
        g_autofree char *problem = check_field(a, f);
        if (!problem) {
            g_clear_pointer(&ui->message, g_free);
            return TRUE;
        }
        ui_error(ui, "%s: %s", _(labels[f]), problem);
    }
}

static char *
account_id(const Answers *a)
{
    const char *at = strchr(a->v[F_ADDRESS], '@');
    GString *s = g_string_new(NULL);
    for (const char *p = at ? at + 1 : "mail"; *p && *p != '.'; p++)
        if (g_ascii_isalnum(*p) || *p == '-')
            g_string_append_c(s, *p);
    if (s->len == 0)
        g_string_append(s, "mail");
    return g_string_free(s, FALSE);
}

static gboolean
write_config(const Answers *a, const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *id = account_id(a);
    g_autofree char *group = g_strdup_printf("account %s", id);
    g_key_file_set_comment(kf, NULL, NULL,
                           " postie configuration, written by the first-run setup.\n"
                           " See postie.conf(5).", NULL);
    if (a->v[F_NAME] && *a->v[F_NAME])
        g_key_file_set_string(kf, group, "name", a->v[F_NAME]);
    g_key_file_set_string(kf, group, "address", a->v[F_ADDRESS]);
    g_key_file_set_string(kf, group, "default", "true");
    g_key_file_set_string(kf, group, "pop3_host", a->v[F_POP3_HOST]);
    g_key_file_set_string(kf, group, "pop3_port", a->v[F_POP3_PORT]);
    g_key_file_set_string(kf, group, "pop3_security", a->v[F_POP3_SECURITY]);
    g_key_file_set_string(kf, group, "pop3_user", a->v[F_USER]);
    if (a->v[F_PASSWORD_COMMAND] && *a->v[F_PASSWORD_COMMAND])
        g_key_file_set_string(kf, group, "password_command", a->v[F_PASSWORD_COMMAND]);
    else if (a->v[F_PASSWORD] && *a->v[F_PASSWORD])
        g_key_file_set_string(kf, group, "password", a->v[F_PASSWORD]);
    g_key_file_set_string(kf, group, "leave_on_server", is_yes(a->v[F_LEAVE]) ? "true" : "false");
    if (is_yes(a->v[F_LEAVE]) && g_strcmp0(a->v[F_DELETE_DAYS], "0"))
        g_key_file_set_string(kf, group, "delete_after_days", a->v[F_DELETE_DAYS]);
    g_key_file_set_string(kf, group, "smtp_host", a->v[F_SMTP_HOST]);
    g_key_file_set_string(kf, group, "smtp_port", a->v[F_SMTP_PORT]);
    g_key_file_set_string(kf, group, "smtp_security", a->v[F_SMTP_SECURITY]);
    g_key_file_set_string(kf, group, "smtp_user", a->v[F_USER]);

    gsize len;
    g_autofree char *data = g_key_file_to_data(kf, &len, error);
    if (!data)
        return FALSE;
    g_autofree char *dir = g_path_get_dirname(path);
    if (!paths_ensure_dir(dir, 0700, error))
        return FALSE;
    return atomic_write_file(path, data, len, 0600, error);
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
    const OAuthPreset *p = oauth_setup_needed(a->v[F_ADDRESS], a->v[F_POP3_HOST],
                                              a->v[F_SMTP_HOST]);
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
    g_autofree char *id = account_id(a);
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

/* Log in to the POP3 server of A; the outcome for the message line. */
static char *
test_pop3(const Account *a, gboolean *ok)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(Pop3Session) s = pop3_account_open(a, NULL, &error);
    *ok = s != NULL;
    if (!s)
        return g_strdup_printf(_("POP3 test failed: %s"), error->message);
    guint count = 0;
    guint64 octets = 0;
    pop3_stat(s, &count, &octets, NULL);
    pop3_quit(s, NULL);
    return g_strdup_printf(_("POP3 login works (%u messages on the server)"), count);
}

/* Connect and log in to the SMTP server of A as delivery would. */
static char *
test_smtp(PostieConfig *cfg, const Account *a, gboolean *ok)
{
    g_autoptr(GError) error = NULL;
    *ok = send_test_account(cfg, a, &error);
    if (!*ok)
        return g_strdup_printf(_("SMTP test failed: %s"), error->message);
    return g_strdup(_("SMTP login works"));
}

/* Try both servers with the written configuration. */
static void
test_account(Ui *ui, const char *path)
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
    ui_message(ui, _("Logging in to %s..."), a->pop3.host);
    message_draw(ui);
    refresh();
    gboolean pop3_ok, smtp_ok;
    g_free(test_result[0]);
    test_result[0] = test_pop3(a, &pop3_ok);
    test_failed[0] = !pop3_ok;
    ui_message(ui, _("Logging in to %s..."), a->smtp.host);
    message_draw(ui);
    refresh();
    g_free(test_result[1]);
    test_result[1] = test_smtp(cfg, a, &smtp_ok);
    test_failed[1] = !smtp_ok;
    if (pop3_ok && smtp_ok)
        ui_message(ui, _("Both logins work."));
    else
        ui_error(ui, _("A login test failed (see above); the settings are in %s."),
                 path);
}

char *
setup_run(const char *config_path)
{
    g_autofree char *path = config_path ? g_strdup(config_path) : paths_default_config_file();
    Ui ui = { 0 };
    ui.wake_fd[0] = ui.wake_fd[1] = -1;
    Answers a = { { 0 } };
    char *written = NULL;

    set_escdelay(25);
    if (!initscr())
        return NULL;
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    colors_init(NULL, NULL);
    layout_compute(&ui.layout, LINES, COLS, FALSE, PREVIEW_OFF, 50);

    gboolean ok = TRUE;
    for (int i = 0; i < F_COUNT && ok; i++)
        ok = ask(&ui, &a, ask_order[i], path);
    while (ok) {
        layout_compute(&ui.layout, LINES, COLS, FALSE, PREVIEW_OFF, 50);
        draw_form(&ui, &a, path, -1);
        int key = ui_getkey(&ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
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
        offer_oauth(&ui, &a, path);
        if (prompt_yesno(&ui, _("Wrote the configuration. Test the POP3 and SMTP logins now?"), TRUE)) {
            test_account(&ui, path);
            form_status = _("-- Press Enter to open your mail --");
            for (;;) {
                draw_form(&ui, &a, path, -1);
                int k = ui_getkey(&ui);
                if (k == '\n' || k == '\r' || k == 'q' || k == (UI_KEY_FUNC | KEY_EXIT))
                    break;
            }
            form_status = NULL;
        }
        break;
    }
    endwin();
    for (int i = 0; i < F_COUNT; i++)
        g_free(a.v[i]);
    for (int k = 0; k < 2; k++)
        g_clear_pointer(&test_result[k], g_free);
    g_free(ui.message);
    return written;
}
