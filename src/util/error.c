/* The single error domain of the core. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "util/util.h"

G_DEFINE_QUARK(postie-error-quark, postie_error)

void
postie_set_error_errno(GError **error, int errnum, const char *what,
                       const char *path)
{
    int code = POSTIE_ERROR_IO;
#ifdef EDQUOT
    if (errnum == EDQUOT)
        code = POSTIE_ERROR_NOSPACE;
#endif
    if (errnum == ENOSPC)
        code = POSTIE_ERROR_NOSPACE;
    else if (errnum == ENOENT)
        code = POSTIE_ERROR_NOT_FOUND;
    /* TRANSLATORS: "cannot write /path/Inbox: No space left on device" */
    g_set_error(error, POSTIE_ERROR, code, _("cannot %s %s: %s"), what, path,
                g_strerror(errnum));
}
