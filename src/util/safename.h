/* Safe file names for saving what others named (attachment names).
 * Part of util/ (see util.h); kept in its own header because only the
 * savers need it. */
#ifndef POSTIE_UTIL_SAFENAME_H
#define POSTIE_UTIL_SAFENAME_H

#include <glib.h>

/* The longest name safe_name returns, in bytes. */
#define SAFE_NAME_MAX 200

/* NAME (untrusted, may be NULL or invalid UTF-8) as a file name that stays
 * inside the directory it is saved in: only its last path component (after
 * '/' or '\'), valid UTF-8, no control or bidi characters (they become
 * '_'), no leading dots or spaces, no trailing dots or spaces, at most
 * SAFE_NAME_MAX bytes with the extension kept; FALLBACK when nothing is
 * left (never "." or ".."). */
char *safe_name(const char *name, const char *fallback);

/* Create a new file in DIR named NAME (already safe), or "stem (1).ext",
 * "stem (2).ext", ... when taken: O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600
 * (mail is private).  Never replaces an existing file or follows a
 * symlink.  Returns the open fd and the path in *PATH, or -1 with *error
 * set. */
int safe_create(const char *dir, const char *name, char **path, GError **error);

#endif
