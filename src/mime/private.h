/* mime/ internals shared between its files. */
#ifndef POSTIE_MIME_PRIVATE_H
#define POSTIE_MIME_PRIVATE_H

#include <gmime/gmime.h>

#include "mime/mime.h"
#include "util/util.h"

/* Nesting deeper than this is not walked (hostile messages). */
#define MIME_MAX_DEPTH 32

/* The lenient parser options every parse uses (owned here). */
GMimeParserOptions *mime_parser_options(void);
/* Parse RAW as a message; NULL with POSTIE_ERROR_FORMAT if it is none. */
GMimeMessage *mime_parse(GBytes *raw, GError **error);
/* A header's decoded, unfolded value (not term-safe), or NULL. */
char *mime_header_decoded(GMimeObject *obj, const char *name);
/* The decoded content of a leaf part (transfer encoding removed). */
GBytes *mime_part_decoded(GMimePart *part);
/* The content of a leaf part still in its transfer encoding. */
GBytes *mime_part_raw(GMimePart *part);
/* Run ARGV with IN on stdin; its stdout, or NULL when it failed, exited
 * non-zero, or ran longer than mime_filter_timeout_ms (then killed). */
GBytes *mime_run_filter(char **argv, GBytes *in, GError **error);
extern guint mime_filter_timeout_ms;

#endif
