/* The screen: not built yet in this version of the tree. */
#include <config.h>

#include "ui/ui.h"
#include "util/util.h"

int
ui_main(CmdContext *ctx)
{
    cmd_errorf(_("the mail screen is not available in this build yet"));
    return 69; /* EX_UNAVAILABLE */
}
