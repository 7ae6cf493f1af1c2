/* Writing a new configuration file for the first-run setup: GKeyFile
 * text, so that the reader (conf.c) and the writer agree on quoting, and
 * atomic_write_file, so that a crash leaves no half-written file. */
#include <config.h>

#include <string.h>

#include "config/conf.h"
#include "util/util.h"

char *
conf_new_account_id(const char *address)
{
    const char *at = address ? strchr(address, '@') : NULL;
    GString *s = g_string_new(NULL);
    for (const char *p = at ? at + 1 : "mail"; *p && *p != '.'; p++)
        if (g_ascii_isalnum(*p) || *p == '-')
            g_string_append_c(s, *p);
    if (s->len == 0)
        g_string_append(s, "mail");
    return g_string_free(s, FALSE);
}

static void
set(GKeyFile *kf, const char *group, const char *key, const char *value)
{
    if (value && *value)
        g_key_file_set_string(kf, group, key, value);
}

gboolean
conf_write_new(const char *path, const ConfNewAccount *a, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *id = conf_new_account_id(a->address);
    g_autofree char *group = g_strdup_printf("account %s", id);
    g_key_file_set_comment(kf, NULL, NULL,
                           " postie configuration, written by the first-run setup.\n"
                           " See postie.conf(5).", NULL);
    set(kf, group, "name", a->name);
    set(kf, group, "address", a->address);
    set(kf, group, "default", "true");
    set(kf, group, "pop3_host", a->pop3_host);
    set(kf, group, "pop3_port", a->pop3_port);
    set(kf, group, "pop3_security", a->pop3_security);
    set(kf, group, "pop3_user", a->user);
    set(kf, group, "ca_file", a->pop3_ca_file);
    set(kf, group, "tls_fingerprint", a->pop3_fingerprint);
    if (a->password_command && *a->password_command)
        set(kf, group, "password_command", a->password_command);
    else
        set(kf, group, "password", a->password);
    set(kf, group, "leave_on_server", a->leave_on_server ? "true" : "false");
    if (a->leave_on_server && g_strcmp0(a->delete_after_days, "0"))
        set(kf, group, "delete_after_days", a->delete_after_days);
    set(kf, group, "smtp_host", a->smtp_host);
    set(kf, group, "smtp_port", a->smtp_port);
    set(kf, group, "smtp_security", a->smtp_security);
    set(kf, group, "smtp_user", a->user);
    set(kf, group, "smtp_ca_file", a->smtp_ca_file);
    set(kf, group, "smtp_tls_fingerprint", a->smtp_fingerprint);

    gsize len;
    g_autofree char *data = g_key_file_to_data(kf, &len, error);
    if (!data)
        return FALSE;
    g_autofree char *dir = g_path_get_dirname(path);
    if (!paths_ensure_dir(dir, 0700, error))
        return FALSE;
    return atomic_write_file(path, data, len, 0600, error);
}
