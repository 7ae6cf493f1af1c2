/* Editing text in the user's editor: cfg->editor, else $VISUAL, else
 * $EDITOR, else the first of Debian's sensible-editor, editor, nano and vi
 * that is installed.  The command is split into an argv (no shell) and the
 * file name is added as its last argument.  The file lives in a private
 * directory (0700) and is removed afterwards. */
#include <config.h>

#include <glib/gstdio.h>

#include "ui/private.h"

gboolean
editor_edit(Ui *ui, char **text, GError **error)
{
    const char *cmd = ui->cfg->editor;
    if (!cmd || !*cmd)
        cmd = g_getenv("VISUAL");
    if (!cmd || !*cmd)
        cmd = g_getenv("EDITOR");
    if (!cmd || !*cmd) {
        static const char *const fallbacks[] = {
            "sensible-editor", "editor", "nano", "vi",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(fallbacks) && (!cmd || !*cmd); i++) {
            g_autofree char *found = g_find_program_in_path(fallbacks[i]);
            if (found)
                cmd = fallbacks[i];
        }
    }
    if (!cmd || !*cmd) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("no editor found: set editor in the [general] group "
                      "of the configuration, or $EDITOR"));
        return FALSE;
    }

    g_auto(GStrv) argv = NULL;
    gint argc = 0;
    if (!g_shell_parse_argv(cmd, &argc, &argv, error)) {
        g_prefix_error(error, _("editor \"%s\": "), cmd);
        return FALSE;
    }
    g_autofree char *dir = g_dir_make_tmp("postie-edit-XXXXXX", error);
    if (!dir)
        return FALSE;
    g_autofree char *file = g_build_filename(dir, "message.txt", NULL);
    gboolean ok = FALSE;
    if (!g_file_set_contents_full(file, *text ? *text : "", -1,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        goto out;

    char **full = g_new0(char *, (gsize)argc + 2);
    for (int i = 0; i < argc; i++)
        full[i] = argv[i];
    full[argc] = file;
    gint status = 0;
    ui_suspend();
    ok = g_spawn_sync(NULL, full, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                      spawn_child_setup, NULL, NULL, NULL, &status, error);
    ui_resume();
    g_free(full);
    if (ok && !g_spawn_check_wait_status(status, NULL)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("the editor \"%s\" failed; the text was not changed"), cmd);
        ok = FALSE;
    }
    if (ok) {
        char *edited = NULL;
        ok = g_file_get_contents(file, &edited, NULL, error);
        if (ok) {
            g_free(*text);
            *text = edited;
        }
    }
out:
    g_unlink(file);
    g_rmdir(dir);
    return ok;
}
