/* postie save: write attachments of a message into a directory, under
 * safe names, never over an existing file. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/message.h"
#include "util/util.h"

int
cmd_save(CmdContext *ctx, int argc, char **argv)
{
    char *folder = NULL, *dir = NULL;
    GOptionEntry entries[] = {
        { "folder", 'f', 0, G_OPTION_ARG_FILENAME, &folder,
          N_("the folder: a name in the mail directory or a path (default Inbox)"),
          N_("NAME|PATH") },
        { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir,
          N_("save into DIR (default: download_dir from the configuration, "
             "else the current directory)"),
          N_("DIR") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, _("N [INDEX...]"),
                           _("Save the attachments of message N (all, or those "
                             "numbered as 'postie attachments' shows).")))
        return EXIT_USAGE;
    g_autofree char *dir_opt = dir;
    g_autofree char *folder_opt = folder;
    if (argc < 2) {
        cmd_usage_error("save", _("which message? give its number"));
        return EXIT_USAGE;
    }
    /* Check the indexes before touching anything. */
    g_autoptr(GArray) wanted = g_array_new(FALSE, FALSE, sizeof(guint));
    for (int i = 2; i < argc; i++) {
        guint64 idx = 0;
        if (!g_ascii_string_to_unsigned(argv[i], 10, 1, G_MAXUINT, &idx, NULL)) {
            g_autofree char *safe = term_safe(argv[i], -1, 0);
            cmd_usage_error("save", _("'%s' is not an attachment number"), safe);
            return EXIT_USAGE;
        }
        guint u = (guint)idx;
        g_array_append_val(wanted, u);
    }

    g_autoptr(MimeView) v = cmd_message_view(ctx, folder_opt, argv[1]);
    if (!v)
        return EXIT_FAIL;
    if (v->attachments->len == 0) {
        cmd_errorf(_("message %s has no attachments"), argv[1]);
        return EXIT_FAIL;
    }
    for (guint i = 0; i < wanted->len; i++) {
        guint idx = g_array_index(wanted, guint, i);
        if (idx > v->attachments->len) {
            cmd_errorf(ngettext("no attachment %u: message %s has %u attachment",
                                "no attachment %u: message %s has %u attachments",
                                v->attachments->len),
                       idx, argv[1], v->attachments->len);
            return EXIT_FAIL;
        }
    }
    if (wanted->len == 0)
        for (guint i = 1; i <= v->attachments->len; i++)
            g_array_append_val(wanted, i);

    const char *target = dir_opt;
    if (!target && ctx->config && ctx->config->download_dir)
        target = ctx->config->download_dir;
    g_autofree char *expanded = paths_expand_home(target ? target : ".");
    if (!g_file_test(expanded, G_FILE_TEST_IS_DIR)) {
        g_autofree char *safe = term_safe(expanded, -1, 0);
        cmd_errorf(_("cannot save into '%s': not a directory"), safe);
        return EXIT_FAIL;
    }

    int status = EXIT_OK;
    for (guint i = 0; i < wanted->len; i++) {
        const MimeAttachment *a = v->attachments->pdata[g_array_index(wanted, guint, i) - 1];
        g_autoptr(GError) error = NULL;
        g_autofree char *path = mime_attachment_save(a, expanded, &error);
        if (!path) {
            cmd_print_error(error);
            status = EXIT_FAIL;
            continue;
        }
        g_autofree char *safe = term_safe(path, -1, 0);
        if (a->damaged)
            printf(_("saved %u to %s (damaged: only the part that could be decoded)\n"),
                   a->index, safe);
        else
            printf(_("saved %u to %s\n"), a->index, safe);
    }
    fflush(stdout);
    return status;
}
