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
    /* A helper started from a worker thread (password_command during a
     * fetch) would inherit the signals the screen keeps from its workers
     * blocked: a helper starts with none blocked. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}
