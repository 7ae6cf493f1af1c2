/* Secrets for logging in: from password_command (run without a shell),
 * or from the file, read again each time.  Never logged, never kept longer
 * than needed, wiped when done with. */
#include <config.h>

#include <string.h>
#include <sys/stat.h>

#include "config/conf.h"
#include "util/util.h"

char *
conf_run_for_line(const char *command, const char *what, GError **error)
{
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) e = NULL;
    if (!g_shell_parse_argv(command, NULL, &argv, &e)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("%s: cannot parse the command: %s"), what, e->message);
        return NULL;
    }
    secret_auto char *out = NULL;
    secret_auto char *err = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, spawn_child_setup, NULL,
                      &out, &err, &status, &e)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("%s: cannot run %s: %s"), what, argv[0], e->message);
        return NULL;
    }
    if (!g_spawn_check_wait_status(status, &e)) {
        g_autofree char *first = g_strdup(err ? g_strstrip(err) : "");
        char *nl = strchr(first, '\n');
        if (nl)
            *nl = '\0';
        g_autofree char *shown = term_safe(first, -1, TERM_SAFE_DEFAULT);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("%s: %s failed (%s)%s%s"), what, argv[0], e->message,
                    *shown ? ": " : "", shown);
        return NULL;
    }
    char *nl = strpbrk(out, "\r\n");
    if (nl)
        explicit_bzero(nl, strlen(nl));   /* the rest goes unused */
    if (*out == '\0') {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("%s: %s printed nothing"), what, argv[0]);
        return NULL;
    }
    return g_steal_pointer(&out);
}

/* The password under SERVER->password_key in the account's group of its
 * file, read now, so that no copy stays in memory between logins. */
static char *
password_from_file(const Account *account, const ServerConf *server,
                   GError **error)
{
    const char *path = account->conf_path ? account->conf_path : "";
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: refusing a password in a file that others can "
                      "read; run 'chmod 600 %s', or use password_command instead"),
                    account->id, path);
        return NULL;
    }
    char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    if (!g_file_get_contents(path, &text, &len, &e)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: cannot read the password: %s"), account->id,
                    e->message);
        return NULL;
    }
    GKeyFile *kf = g_key_file_new();
    char *pw = NULL;
    if (g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, NULL))
        pw = g_key_file_get_string(kf, account->conf_group ? account->conf_group : "",
                                   server->password_key, NULL);
    explicit_bzero(text, len);
    g_free(text);
    g_key_file_free(kf);
    if (!pw)
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: %s is no longer in %s"), account->id,
                    server->password_key, path);
    return pw;
}

char *
conf_server_secret(const Account *account, const ServerConf *server,
                   GError **error)
{
    secrets_protect_process();     /* before any secret is in memory */
    if (server->password_command) {
        g_autofree char *what = g_strdup_printf(_("account %s: password_command"),
                                                account->id);
        return conf_run_for_line(server->password_command, what, error);
    }
    if (server->password && server->password_key)
        return password_from_file(account, server, error);
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                _("account %s: no password: set password_command (or password) "
                  "in the configuration"), account->id);
    return NULL;
}

char *
conf_oauth_token(const Account *account, GError **error)
{
    secrets_protect_process();
    if (!account->oauth_token_command) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: OAuth needs oauth_token_command"), account->id);
        return NULL;
    }
    g_autofree char *what = g_strdup_printf(_("account %s: oauth_token_command"),
                                            account->id);
    return conf_run_for_line(account->oauth_token_command, what, error);
}
