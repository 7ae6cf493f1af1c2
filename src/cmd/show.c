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
    int rc;
    g_autoptr(MimeView) v = cmd_message_from_args(ctx, argc, argv,
        _("Show message N of a folder as text: decoded headers, "
        "the body, and a list of its attachments."), &rc);
    if (!v)
        return rc;
    g_autofree char *text = mime_view_to_text(v);
    fputs(text, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_errorf(_("could not write the message: %s"), g_strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
