/* postie show: a message as the pager shows it, for scripts and tests. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/message.h"
#include "util/util.h"

int
cmd_show(CmdContext *ctx, int argc, char **argv)
{
    char *folder = NULL;
    GOptionEntry entries[] = {
        { "folder", 'f', 0, G_OPTION_ARG_FILENAME, &folder,
          N_("the folder: a name in the mail directory or a path (default Inbox)"),
          N_("NAME|PATH") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, _("N"),
                           _("Show message N of a folder as text: decoded headers, "
                             "the body, and a list of its attachments.")))
        return EXIT_USAGE;
    if (argc != 2) {
        cmd_usage_error("show", argc < 2 ? _("which message? give its number")
                                         : _("give one message number"));
        g_free(folder);
        return EXIT_USAGE;
    }
    g_autoptr(MimeView) v = cmd_message_view(ctx, folder, argv[1]);
    g_free(folder);
    if (!v)
        return EXIT_FAIL;
    g_autofree char *text = mime_view_to_text(v);
    fputs(text, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_errorf(_("could not write the message: %s"), g_strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
