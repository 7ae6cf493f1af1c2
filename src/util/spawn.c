/* What every child program starts with. */
#include <config.h>

#include <signal.h>

#include "util/util.h"

void
spawn_child_setup(gpointer unused)
{
    (void)unused;
    /* postie ignores SIGPIPE (a peer closing a socket must be an error);
     * an ignored signal stays ignored across exec, and a helper such as
     * "pass | head -1" must die of SIGPIPE as usual. */
    signal(SIGPIPE, SIG_DFL);
}
