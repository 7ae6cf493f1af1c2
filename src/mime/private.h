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
/* LIST as one line for display (not term-safe; NULL if empty), each
 * domain as RAW, the header's text, has it: GMime writes them all in
 * ASCII (IDNA), also those the sender wrote in Unicode. */
char *mime_address_list_string(InternetAddressList *list, const char *raw);
/* The decoded content of a leaf part (transfer encoding removed). */
GBytes *mime_part_decoded(GMimePart *part);
/* Like mime_part_decoded; *DAMAGED (may be NULL) is set when the
 * transfer encoding was corrupt (base64 with a stray last character). */
GBytes *mime_part_decoded_checked(GMimePart *part, gboolean *damaged);
/* The content of a leaf part still in its transfer encoding. */
GBytes *mime_part_raw(GMimePart *part);
/* ---- gmime-fixes.c: our side of GMime 3.2.13 defects ---- */
/* Base64 as RFC 2045 wants it: junk skipped, '=' ends a chunk but not the
 * data, a last group without padding kept.  *DAMAGED (may be NULL): a
 * single stray character was left over. */
GBytes *mime_base64_decode(const char *in, gsize len, gboolean *damaged);
/* Quoted-printable; "=" plus trailing whitespace is a soft break. */
GBytes *mime_qp_decode(const char *in, gsize len);
/* VALUE with each run of adjacent same-charset encoded words merged into
 * one base64 word, or NULL when nothing needed merging. */
char *mime_fix_encoded_words(const char *value);
/* Apply mime_fix_encoded_words to every header in OBJ's tree. */
void mime_fix_headers(GMimeObject *obj, int depth);
/* Give every leaf part in OBJ's tree that has no content an empty one. */
void mime_fill_bodiless_parts(GMimeObject *obj, int depth);
/* Is OBJ a leaf part with a body of at least one byte? */
gboolean mime_part_has_body(GMimeObject *obj);
/* RAW with a blank line where its header block really ends (a body line
 * running into the headers, or no headers at all); NULL if fine. */
GBytes *mime_fix_header_block(GBytes *raw);
/* OBJ's lower-case "type/subtype"; "Content-Type: text" is text/plain. */
char *mime_object_type(GMimeObject *obj);

/* ---- tnef.c: winmail.dat ---- */
typedef struct {
    char *name;            /* UTF-8, from the sender (hostile), or NULL */
    GBytes *data;
} MimeTnefFile;
void mime_tnef_file_free(MimeTnefFile *f);
/* The files packed in the TNEF stream DATA (MimeTnefFile*), or NULL when
 * DATA is no TNEF.  *DAMAGED: cut short or a checksum did not match. */
GPtrArray *mime_tnef_files(const guint8 *data, gsize len, gboolean *damaged);

/* Run ARGV with IN on stdin; its stdout, or NULL when it failed, exited
 * non-zero, or ran longer than mime_filter_timeout_ms (then killed). */
GBytes *mime_run_filter(char **argv, GBytes *in, GError **error);
extern guint mime_filter_timeout_ms;

#endif
