/* First run: not written yet. */
#include <config.h>

#include "ui/private.h"

char *
setup_run(const char *config_path)
{
    return NULL;
}
