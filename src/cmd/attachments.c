/* postie attachments: the attachments of a message, one per line:
 * INDEX TAB TYPE TAB SIZE TAB NAME [TAB "damaged"]. */
#include <config.h>

#include <errno.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/message.h"
#include "util/util.h"

int
cmd_attachments(CmdContext *ctx, int argc, char **argv)
{
    char *folder = NULL;
    GOptionEntry entries[] = {
        { "folder", 'f', 0, G_OPTION_ARG_FILENAME, &folder,
          N_("the folder: a name in the mail directory or a path (default Inbox)"),
          N_("NAME|PATH") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, _("N"),
                           _("List the attachments of message N: index, type, "
                             "size in bytes and name, separated by tabs.")))
        return EXIT_USAGE;
    if (argc != 2) {
        cmd_usage_error("attachments", argc < 2 ? _("which message? give its number")
                                                : _("give one message number"));
        g_free(folder);
        return EXIT_USAGE;
    }
    g_autoptr(MimeView) v = cmd_message_view(ctx, folder, argv[1]);
    g_free(folder);
    if (!v)
        return EXIT_FAIL;
    for (guint i = 0; i < v->attachments->len; i++) {
        const MimeAttachment *a = v->attachments->pdata[i];
        printf("%u\t%s\t%" G_GSIZE_FORMAT "\t%s%s\n", a->index, a->content_type, a->size,
               a->display_name, a->damaged ? "\tdamaged" : "");
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_errorf(_("could not write the list: %s"), g_strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
