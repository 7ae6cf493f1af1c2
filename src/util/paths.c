/* Where postie keeps things, following the XDG base directory spec. */
#include <config.h>

#include <errno.h>

#include "util/util.h"

char *
paths_default_config_file(void)
{
    return g_build_filename(g_get_user_config_dir(), "postie", "config", NULL);
}

char *
paths_data_dir(void)
{
    return g_build_filename(g_get_user_data_dir(), "postie", NULL);
}

char *
paths_default_mail_dir(void)
{
    return g_build_filename(g_get_user_data_dir(), "postie", "mail", NULL);
}

char *
paths_state_dir(void)
{
    return g_build_filename(g_get_user_state_dir(), "postie", NULL);
}

char *
paths_expand_home(const char *path)
{
    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
        return g_build_filename(g_get_home_dir(), path + 1, NULL);
    return g_strdup(path);
}

gboolean
paths_ensure_dir(const char *dir, int mode, GError **error)
{
    if (g_mkdir_with_parents(dir, mode) < 0) {
        postie_set_error_errno(error, errno, _("create directory"), dir);
        return FALSE;
    }
    return TRUE;
}
