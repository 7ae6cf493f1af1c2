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
    int rc;
    g_autoptr(MimeView) v = cmd_message_from_args(ctx, argc, argv,
        _("List the attachments of message N: index, type, "
        "size in bytes and name, separated by tabs."), &rc);
    if (!v)
        return rc;
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
