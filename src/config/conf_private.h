/* Internal to config/: shared by its source files only. */
#ifndef POSTIE_CONF_PRIVATE_H
#define POSTIE_CONF_PRIVATE_H

#include "config/conf.h"

/* Map "group\x1fkey" -> line number; NULL on a syntax error (*error set,
 * with FILE:LINE).  Duplicate groups and keys are added to PROBLEMS. */
GHashTable *conf_scan_lines(const char *path, const char *text,
                            GPtrArray *problems, GError **error);
int conf_lookup_line(GHashTable *lines, const char *group, const char *key);

#endif
