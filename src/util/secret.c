/* Keeping secrets out of core dumps and out of freed memory. */
#include <config.h>

#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "util/util.h"

void
secret_wipe(char *s)
{
    if (s)
        explicit_bzero(s, strlen(s));
}

void
secret_free(char *s)
{
    secret_wipe(s);
    g_free(s);
}

void
secret_string_free(GString *s)
{
    if (!s)
        return;
    explicit_bzero(s->str, s->allocated_len);
    g_string_free(s, TRUE);
}

void
secrets_protect_process(void)
{
    /* A core file or a ptrace attach would show every password held. */
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
