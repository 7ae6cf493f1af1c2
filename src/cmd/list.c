/* postie list: not built yet in this version of the tree. */
#include <config.h>

#include "cmd/cmd.h"
#include "util/util.h"

int
cmd_list(CmdContext *ctx, int argc, char **argv)
{
    cmd_errorf(_("'%s' is not available in this build yet"), "list");
    return 69; /* EX_UNAVAILABLE */
}
