/* Linked only into tests/integration/postie-crashable, the test build of
 * the program: $POSTIE_TEST_CRASH_AT = in-flight | appended | recorded
 * makes it die (exit 137, like kill -9) right after that step of the
 * first batch of a fetch (fetch/batch.c), so the tests can check each
 * window of the crash-safety order deterministically.  The program
 * itself never reads this variable. */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "fetch/private.h"

static void
crash_at(const char *step)
{
    const char *want = g_getenv("POSTIE_TEST_CRASH_AT");
    if (want && strcmp(want, step) == 0)
        _exit(137);
}

__attribute__((constructor)) static void
install_crash_hook(void)
{
    fetch_crash_hook = crash_at;
}
