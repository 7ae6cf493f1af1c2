/* Where the tokens of an account are kept.
 *
 * $XDG_STATE_HOME/postie/oauth/ACCOUNT (directory 0700, file 0600,
 * written through temp file + rename): the refresh token, unless the
 * user's secret commands keep it (oauth_refresh_token_store_command gets
 * it on its standard input, oauth_refresh_token_command prints it), and
 * the current access token with its expiry time.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <gio/gio.h>

#include "oauth/oauth.h"
#include "util/util.h"

#define GROUP "tokens"

static char *
store_dir(void)
{
    g_autofree char *state = paths_state_dir();
    return g_build_filename(state, "oauth", NULL);
}

char *
oauth_store_path(const char *account)
{
    g_autofree char *dir = store_dir();
    /* '/' and the like escaped: the name stays one file in DIR. */
    g_autofree char *name = g_uri_escape_string(account, NULL, FALSE);
    if (name[0] == '.')
        name[0] = '_';
    return g_build_filename(dir, name, NULL);
}

void
oauth_stored_clear(OAuthStored *st)
{
    if (st->refresh_token)
        memset(st->refresh_token, 0, strlen(st->refresh_token));
    if (st->access_token)
        memset(st->access_token, 0, strlen(st->access_token));
    g_free(st->refresh_token);
    g_free(st->access_token);
    memset(st, 0, sizeof *st);
}

gboolean
oauth_store_load(const OAuthSettings *s, OAuthStored *out, gboolean with_refresh,
                 GError **error)
{
    memset(out, 0, sizeof *out);
    g_autofree char *path = oauth_store_path(s->account);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) e = NULL;
    gboolean have_file = g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &e);
    if (!have_file && !g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot read the stored OAuth login %s: %s"), path, e->message);
        return FALSE;
    }
    if (have_file) {
        out->access_token = g_key_file_get_string(kf, GROUP, "access_token", NULL);
        out->expires_at = g_key_file_get_int64(kf, GROUP, "expires_at", NULL);
        out->refresh_token = g_key_file_get_string(kf, GROUP, "refresh_token", NULL);
    }
    if (s->refresh_token_command && with_refresh) {
        g_free(out->refresh_token);
        g_autofree char *what = g_strdup_printf(_("account %s: oauth_refresh_token_command"),
                                                s->account);
        out->refresh_token = conf_run_for_line(s->refresh_token_command, what, error);
        if (!out->refresh_token) {
            oauth_stored_clear(out);
            return FALSE;
        }
    }
    return out->refresh_token != NULL || out->access_token != NULL;
}

/* Hand the refresh token to the user's store command on its stdin. */
static gboolean
store_by_command(const OAuthSettings *s, const char *token, GError **error)
{
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) e = NULL;
    if (!g_shell_parse_argv(s->refresh_token_store_command, NULL, &argv, &e)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: oauth_refresh_token_store_command: cannot "
                      "parse the command: %s"), s->account, e->message);
        return FALSE;
    }
    g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE);
    g_subprocess_launcher_set_child_setup(launcher, spawn_child_setup, NULL, NULL);
    g_autoptr(GSubprocess) p =
        g_subprocess_launcher_spawnv(launcher, (const char *const *)argv, &e);
    g_autofree char *input = g_strconcat(token, "\n", NULL);
    gboolean ok = p && g_subprocess_communicate_utf8(p, input, NULL, NULL, NULL, &e) &&
                  g_subprocess_get_successful(p);
    memset(input, 0, strlen(input));
    if (!ok) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: oauth_refresh_token_store_command failed%s%s"),
                    s->account, e ? ": " : "", e ? e->message : "");
        return FALSE;
    }
    return TRUE;
}

gboolean
oauth_store_save(const OAuthSettings *s, const OAuthStored *st,
                 gboolean refresh_changed, GError **error)
{
    if (s->refresh_token_store_command && refresh_changed && st->refresh_token &&
        !store_by_command(s, st->refresh_token, error))
        return FALSE;
    g_autofree char *dir = store_dir();
    if (!paths_ensure_dir(dir, 0700, error))
        return FALSE;
    g_autofree char *path = oauth_store_path(s->account);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (st->refresh_token && !s->refresh_token_store_command)
        g_key_file_set_string(kf, GROUP, "refresh_token", st->refresh_token);
    if (st->access_token) {
        g_key_file_set_string(kf, GROUP, "access_token", st->access_token);
        g_key_file_set_int64(kf, GROUP, "expires_at", st->expires_at);
    }
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
    gboolean ok = atomic_write_file(path, data, len, 0600, error);
    memset(data, 0, len);
    return ok;
}

int
oauth_store_lock(const char *account, GError **error)
{
    g_autofree char *dir = store_dir();
    if (!paths_ensure_dir(dir, 0700, error))
        return -1;
    g_autofree char *base = oauth_store_path(account);
    g_autofree char *path = g_strconcat(base, ".lock", NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot lock %s: %s"), path, g_strerror(err));
        return -1;
    }
    return fd;
}

void
oauth_store_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}
