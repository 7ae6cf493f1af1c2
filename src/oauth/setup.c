/* What the first-run setup needs to offer OAuth: whether the provider of
 * an address takes no passwords, the settings to write, and the login
 * run right after the configuration was written. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oauth/oauth.h"
#include "util/util.h"

const OAuthPreset *
oauth_setup_needed(const char *address, const char *pop3_host,
                   const char *smtp_host)
{
    const char *at = address ? strrchr(address, '@') : NULL;
    const OAuthPreset *p = oauth_preset_for_host(at ? at + 1 : NULL);
    /* The SMTP host before the POP3 host: Microsoft's personal and
     * work accounts share outlook.office365.com for POP3, and only the
     * SMTP host (smtp-mail.outlook.com / smtp.office365.com) tells them
     * apart, e.g. for outlook.de from the built-in provider entry. */
    if (!p)
        p = oauth_preset_for_host(smtp_host);
    if (!p)
        p = oauth_preset_for_host(pop3_host);
    return p;
}

/* Shell-style quoting only where a word needs it (the file stays
 * readable: postie oauth token work). */
static char *
quote(const char *word)
{
    for (const char *p = word; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("_./-@:+,=", *p))
            return g_shell_quote(word);
    return *word ? g_strdup(word) : g_shell_quote(word);
}

/* How the written configuration calls us back: "postie" when that is the
 * program on PATH, else this very binary; with the configuration file
 * when it is not the default one. */
static char *
token_command(const char *config_path, const char *id)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *on_path = g_find_program_in_path("postie");
    g_autofree char *on_path_real = on_path ? realpath(on_path, NULL) : NULL;
    const char *prog = self && g_strcmp0(self, on_path_real) != 0 ? self : "postie";
    g_autofree char *qprog = quote(prog);
    g_autofree char *qid = quote(id);
    g_autofree char *def = paths_default_config_file();
    if (config_path && g_strcmp0(config_path, def) != 0) {
        g_autofree char *qconf = quote(config_path);
        return g_strdup_printf("%s --config %s oauth token %s", qprog, qconf, qid);
    }
    return g_strdup_printf("%s oauth token %s", qprog, qid);
}

void
oauth_setup_keys(GKeyFile *kf, const char *group, const char *id,
                 const char *config_path, const OAuthPreset *p,
                 const char *client_id)
{
    g_key_file_set_string(kf, group, "oauth_provider", p->name);
    if (client_id && *client_id)
        g_key_file_set_string(kf, group, "oauth_client_id", client_id);
    g_autofree char *cmd = token_command(config_path, id);
    g_key_file_set_string(kf, group, "oauth_token_command", cmd);
    /* The token replaces the password: an unused password is only a risk. */
    g_key_file_remove_key(kf, group, "password", NULL);
    g_key_file_remove_key(kf, group, "password_command", NULL);
}

gboolean
oauth_setup_write(const char *config_path, const char *id, const OAuthPreset *p,
                  const char *client_id, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (!g_key_file_load_from_file(kf, config_path,
                                   G_KEY_FILE_KEEP_COMMENTS, error))
        return FALSE;
    g_autofree char *group = g_strdup_printf("account %s", id);
    if (!g_key_file_has_group(kf, group)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                    _("%s has no account %s"), config_path, id);
        return FALSE;
    }
    oauth_setup_keys(kf, group, id, config_path, p, client_id);
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(kf, &len, error);
    return data && atomic_write_file(config_path, data, len, 0600, error);
}

gboolean
oauth_setup_login(const char *config_path, const char *id, OAuthPrompt prompt,
                  gpointer data, GError **error)
{
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(config_path, &problems, error);
    if (!cfg)
        return FALSE;
    Account *a = conf_find_account(cfg, id);
    if (!a) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                    _("%s has no account %s"), config_path, id);
        return FALSE;
    }
    g_autoptr(OAuthSettings) s = oauth_settings_new(a, error);
    return s && oauth_login(s, prompt, data, error);
}
